-- Sandbox and Live never mix: every order and every outbox job belongs to one environment,
-- fixed when it is written (an order from its channel, a job from its order). The outbox
-- worker sends a job only to the US Direct of its own environment.

ALTER TABLE orders ADD COLUMN environment TEXT NOT NULL DEFAULT 'live'
    CHECK (environment IN ('sandbox', 'live'));
UPDATE orders SET environment = 'sandbox'
WHERE channel_id IN (SELECT id FROM channels WHERE is_sandbox = 1);

ALTER TABLE outbox_jobs ADD COLUMN environment TEXT NOT NULL DEFAULT 'live'
    CHECK (environment IN ('sandbox', 'live'));
UPDATE outbox_jobs SET environment = coalesce(
    (SELECT o.environment FROM orders o WHERE o.id = outbox_jobs.order_id), 'live');

-- An order's environment is its channel's, always: a write that disagrees is refused.
CREATE TRIGGER orders_environment_insert BEFORE INSERT ON orders
WHEN new.environment <> (SELECT CASE is_sandbox WHEN 1 THEN 'sandbox' ELSE 'live' END
                         FROM channels WHERE id = new.channel_id)
BEGIN
    SELECT RAISE(ABORT, 'an order belongs to the environment of its channel');
END;
CREATE TRIGGER orders_environment_update BEFORE UPDATE OF environment, channel_id ON orders
BEGIN
    SELECT RAISE(ABORT, 'an order''s environment and channel are fixed when it is imported');
END;
CREATE TRIGGER outbox_jobs_environment_update BEFORE UPDATE OF environment ON outbox_jobs
BEGIN
    SELECT RAISE(ABORT, 'a job''s environment is fixed when it is queued');
END;
CREATE TRIGGER channels_sandbox_fixed BEFORE UPDATE OF is_sandbox ON channels
BEGIN
    SELECT RAISE(ABORT, 'a channel is Sandbox or Live for good');
END;

-- The supplier's change log is read per environment (each US Direct has its own cursor), and
-- its order ids are matched only against orders of that environment.
DROP INDEX IF EXISTS orders_supplier_order;
CREATE INDEX orders_supplier_order ON orders (environment, supplier_order_id)
    WHERE supplier_order_id IS NOT NULL;
CREATE INDEX orders_environment ON orders (environment, placed_at DESC);
-- The one cursor kept so far was of the US Direct the mode pointed at.
UPDATE settings SET key = CASE
    WHEN EXISTS (SELECT 1 FROM channels WHERE is_sandbox = 0 AND removed_at IS NULL)
    THEN 'supplier_cursor.live' ELSE 'supplier_cursor.sandbox' END
WHERE key = 'supplier_cursor';
