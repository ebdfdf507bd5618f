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

-- Each aggregate reads one of these per bucket of the period (a range of placed dates, or of
-- authorized dates), never the table's wide rows. The placed date is keyed as its Unix second
-- (`unixepoch(placed_at)`, an integer of 5 bytes where the text takes 32): half the pages for
-- SQLCipher to decrypt on each read. Orders per day and channel read the existing
-- `orders_channel_placed_at` (channel_id, placed_at, status).

-- Money: the orders that are sales (not cancelled, not fulfilled elsewhere) per currency, and
-- of those the ones US Direct invoiced, per the invoice's currency (the order's own when the
-- invoice names none, as on the order page), with what their margin needs.
CREATE INDEX orders_dashboard_sales ON orders (
    environment, currency, unixepoch(placed_at), total_minor)
WHERE status NOT IN ('cancelled', 'not_for_us_direct');
CREATE INDEX orders_dashboard_invoiced ON orders (
    environment, currency, coalesce(supplier_currency, currency), unixepoch(placed_at),
    supplier_cost_minor, subtotal_minor, shipping_minor)
WHERE status NOT IN ('cancelled', 'not_for_us_direct') AND supplier_cost_minor IS NOT NULL;

-- Lead times: the seconds from placed to each moment, computed once when the order is written
-- (an index on expressions; parsing four times a row at each read cost four times the scan).
-- Only authorized orders: an order reaches tracking and completed through authorization.
CREATE INDEX orders_dashboard_lead ON orders (
    environment, unixepoch(placed_at),
    unixepoch(authorized_at) - unixepoch(placed_at),
    unixepoch(tracking_at) - unixepoch(placed_at),
    unixepoch(completed_at) - unixepoch(placed_at))
WHERE authorized_at IS NOT NULL;

-- What Auto Authorize spent per day (and its daily cap's "since local midnight").
CREATE INDEX orders_authorized_by ON orders (
    environment, authorized_by, authorized_at, supplier_cost_minor)
WHERE authorized_by IS NOT NULL;

-- The counts per status of one environment (the funnel, the Orders list's chips).
CREATE INDEX orders_environment_status ON orders (environment, status, placed_at);
