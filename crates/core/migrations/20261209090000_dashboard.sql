-- The Dashboard (issue 14): when an order's tracking became known and when it completed, kept
-- on the order like `authorized_at`, so each lead time is a column of one index scan; and the
-- covering indexes the Dashboard's aggregates walk, each over one environment's placed dates.

-- The first shipment US Direct sent for the order (its tracking number recorded), valid or not.
ALTER TABLE orders ADD COLUMN tracking_at TEXT;
-- The order became `completed` (every shipment's tracking written back to the store).
ALTER TABLE orders ADD COLUMN completed_at TEXT;

UPDATE orders SET tracking_at = (SELECT min(s.created_at) FROM shipments s WHERE s.order_id = orders.id)
WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id);

-- `completed` is final: its one event says when; an order without one (none written before
-- events existed) takes its last update.
UPDATE orders SET completed_at = coalesce(
    (SELECT min(e.at) FROM order_events e
     WHERE e.order_id = orders.id AND e.to_status = 'completed'), updated_at)
WHERE status = 'completed';

-- Orders per day and channel, and the money series: every column they read.
CREATE INDEX orders_dashboard_money ON orders (
    environment, placed_at, channel_id, status, currency, total_minor, subtotal_minor,
    shipping_minor, supplier_currency, supplier_cost_minor);

-- Lead times: the three moments beside the placed date.
CREATE INDEX orders_dashboard_lead ON orders (
    environment, placed_at, authorized_at, tracking_at, completed_at)
WHERE authorized_at IS NOT NULL;

-- What Auto Authorize spent per day (and its daily cap's "since local midnight").
CREATE INDEX orders_authorized_by ON orders (
    environment, authorized_by, authorized_at, supplier_cost_minor)
WHERE authorized_by IS NOT NULL;

-- The counts per status of one environment (the funnel, the Orders list's chips).
CREATE INDEX orders_environment_status ON orders (environment, status, placed_at);
