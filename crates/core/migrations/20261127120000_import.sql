-- Order import: orders a channel sent that could not be read, and channels that were removed
-- but whose imported orders stay.

CREATE TABLE quarantined_orders (
    id                INTEGER PRIMARY KEY,
    channel_id        INTEGER NOT NULL REFERENCES channels (id),
    -- NULL when even the store's id for it could not be read.
    channel_order_id  TEXT,
    reason            TEXT NOT NULL,
    excerpt           TEXT NOT NULL,
    first_seen_at     TEXT NOT NULL,
    last_seen_at      TEXT NOT NULL,
    times_seen        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (channel_id, channel_order_id)
);
CREATE INDEX quarantined_orders_seen ON quarantined_orders (last_seen_at DESC);

ALTER TABLE channels ADD COLUMN removed_at TEXT;
ALTER TABLE sync_runs ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
