-- Routing to US Direct, payment authorization and the outbox worker.

-- The supplier order's invoice, kept beside the dealer's order (amounts in minor units of
-- `supplier_currency`).
ALTER TABLE orders ADD COLUMN supplier_invoice_id TEXT;
ALTER TABLE orders ADD COLUMN supplier_currency TEXT;
ALTER TABLE orders ADD COLUMN supplier_product_cost_minor INTEGER;
ALTER TABLE orders ADD COLUMN supplier_shipping_cost_minor INTEGER;
ALTER TABLE orders ADD COLUMN payment_status TEXT;
-- What kind of problem `attention_reason` describes (routing, refused, declined, …) and, for
-- routing, the failed rules as JSON, so the order page offers the right Resolve actions.
ALTER TABLE orders ADD COLUMN attention_kind TEXT;
ALTER TABLE orders ADD COLUMN attention_detail TEXT;
-- The dealer released the weight hold after checking with US Direct.
ALTER TABLE orders ADD COLUMN weight_hold_released INTEGER NOT NULL DEFAULT 0;
-- When and by whom payment was authorized (the daily cap of Auto Authorize sums these).
ALTER TABLE orders ADD COLUMN authorized_at TEXT;
ALTER TABLE orders ADD COLUMN authorized_by TEXT;
-- The Orders list takes its pages and its counts per status from indexes alone: a channel's
-- orders newest first with their status, and the narrowest index there is for the counts of
-- all orders (a table read per order made these slow at 100,000 orders).
CREATE INDEX orders_channel_placed_at ON orders (channel_id, placed_at DESC, status);
CREATE INDEX orders_status ON orders (status);
CREATE INDEX orders_authorized_at ON orders (authorized_at) WHERE authorized_at IS NOT NULL;

-- The dealer's SKU map: a store SKU → the US Direct item it is.
CREATE TABLE sku_map (
    store_sku     TEXT NOT NULL PRIMARY KEY,
    supplier_sku  TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Outbox leases: a worker claims a job until `lease_until`; a job whose worker died (its
-- process is gone, or the lease ran out) is claimed again and re-run with the same key.
ALTER TABLE outbox_jobs ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox_jobs ADD COLUMN lease_until TEXT;
ALTER TABLE outbox_jobs ADD COLUMN finished_at TEXT;
CREATE INDEX outbox_jobs_order ON outbox_jobs (order_id, id);
CREATE INDEX outbox_jobs_updated ON outbox_jobs (updated_at DESC);

-- Search over order number, customer, email, SKUs and tracking numbers: one row per order
-- (rowid = orders.id). Trigram tokens match any part of a word (3+ chars). The engine writes an
-- order's row once its lines are in (one write per order, not one per line: imports stay
-- fast); triggers follow later edits of the order and new shipments.
CREATE VIRTUAL TABLE order_search USING fts5 (
    number, customer, email, skus, tracking,
    tokenize = 'trigram'
);

CREATE TRIGGER order_search_update AFTER UPDATE OF number, customer_name, customer_email ON orders
BEGIN
    UPDATE order_search
    SET number = new.number, customer = new.customer_name,
        email = coalesce(new.customer_email, '')
    WHERE rowid = new.id;
END;
CREATE TRIGGER order_search_delete AFTER DELETE ON orders BEGIN
    DELETE FROM order_search WHERE rowid = old.id;
END;
CREATE TRIGGER order_search_shipments_insert AFTER INSERT ON shipments BEGIN
    UPDATE order_search
    SET tracking = (SELECT group_concat(tracking_number, ' ') FROM shipments
                    WHERE order_id = new.order_id)
    WHERE rowid = new.order_id;
END;

-- Orders imported before this version.
INSERT INTO order_search (rowid, number, customer, email, skus, tracking)
SELECT o.id, o.number, o.customer_name, coalesce(o.customer_email, ''),
       coalesce((SELECT group_concat(sku, ' ') FROM order_lines l WHERE l.order_id = o.id), ''),
       coalesce((SELECT group_concat(tracking_number, ' ') FROM shipments s
                 WHERE s.order_id = o.id), '')
FROM orders o;
