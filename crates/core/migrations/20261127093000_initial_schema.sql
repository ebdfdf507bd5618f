-- Dealer Portal store, first schema. Money is integer minor units plus an ISO 4217 code; times
-- are RFC 3339 UTC text written by chrono.

CREATE TABLE channels (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('shopify', 'woocommerce', 'bigcommerce')),
    name          TEXT NOT NULL UNIQUE,
    base_url      TEXT NOT NULL,
    -- True for the loopback sandbox store that stands in for a real one.
    is_sandbox    INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1)),
    -- Where the next incremental import starts (channel-specific, e.g. an updated_at time).
    sync_cursor   TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE orders (
    id                   INTEGER PRIMARY KEY,
    channel_id           INTEGER NOT NULL REFERENCES channels (id),
    channel_order_id     TEXT NOT NULL,
    number               TEXT NOT NULL,
    status               TEXT NOT NULL,
    customer_name        TEXT NOT NULL,
    customer_email       TEXT,
    ship_name            TEXT NOT NULL,
    ship_line1           TEXT NOT NULL,
    ship_line2           TEXT,
    ship_city            TEXT NOT NULL,
    ship_state_code      TEXT NOT NULL,
    ship_postal_code     TEXT NOT NULL,
    ship_country_code    TEXT NOT NULL,
    ship_phone           TEXT,
    currency             TEXT NOT NULL,
    subtotal_minor       INTEGER NOT NULL,
    shipping_minor       INTEGER NOT NULL,
    tax_minor            INTEGER NOT NULL,
    total_minor          INTEGER NOT NULL,
    -- What US Direct charges the dealer, once the supplier order exists.
    supplier_order_id    TEXT,
    supplier_cost_minor  INTEGER,
    attention_reason     TEXT,
    placed_at            TEXT NOT NULL,
    channel_updated_at   TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (channel_id, channel_order_id)
);
CREATE INDEX orders_placed_at ON orders (placed_at DESC, id DESC);
CREATE INDEX orders_status_placed_at ON orders (status, placed_at DESC);

CREATE TABLE order_lines (
    id                 INTEGER PRIMARY KEY,
    order_id           INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    sku                TEXT NOT NULL,
    title              TEXT NOT NULL,
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor   INTEGER NOT NULL,
    unit_weight_grams  INTEGER NOT NULL,
    UNIQUE (order_id, position)
);
CREATE INDEX order_lines_sku ON order_lines (sku);

CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    tracking_number  TEXT NOT NULL,
    carrier          TEXT NOT NULL,
    tracking_url     TEXT,
    shipped_at       TEXT NOT NULL,
    -- Set when the sales channel confirmed the fulfillment.
    pushed_at        TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (order_id, tracking_number)
);

CREATE TABLE shipment_lines (
    shipment_id  INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    sku          TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, sku)
);

CREATE TABLE order_events (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    actor        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events (order_id, id);
CREATE INDEX order_events_at ON order_events (at DESC);

-- External effects (supplier order, payment authorization, tracking push), written in the same
-- transaction as the status change that needs them and run by the outbox worker.
CREATE TABLE outbox_jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    order_id         INTEGER REFERENCES orders (id),
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL DEFAULT '{}',
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_run_at      TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX outbox_jobs_due ON outbox_jobs (state, next_run_at);

CREATE TABLE sync_runs (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER REFERENCES channels (id),
    trigger      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    imported     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    quarantined  INTEGER NOT NULL DEFAULT 0,
    error        TEXT
);
CREATE INDEX sync_runs_started ON sync_runs (started_at DESC);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
