-- Late and stuck orders, and the problems the dealer is told of.

-- When a job's failing stretch began: set by its first failed attempt (a retry keeps it), cleared
-- when it succeeds or is cancelled. A job failing for an hour makes its order "Stuck"; the few
-- failing jobs are found through their own small index, never by reading every job.
ALTER TABLE outbox_jobs ADD COLUMN failing_since TEXT;
UPDATE outbox_jobs SET failing_since = updated_at
 WHERE state = 'failed' OR (state IN ('pending', 'running') AND last_error IS NOT NULL);
CREATE INDEX outbox_jobs_failing ON outbox_jobs (failing_since) WHERE failing_since IS NOT NULL;

-- Orders sent on to US Direct and not shipped yet, by when they were authorized: "Late" is a range
-- of this index (authorized before a cutoff), read from the index alone, never from every order
-- that was ever authorized. A query names it (INDEXED BY) and repeats its condition word for word
-- (crate::store::order_query::LATE_STATUSES): SQLite uses a partial index only then.
CREATE INDEX orders_late ON orders (authorized_at, status)
 WHERE status IN ('authorized', 'processing', 'needs_attention') AND authorized_at IS NOT NULL;

-- Problems not told to the dealer yet, a queue: the runtime takes them after each pass and the
-- window groups them into one notification. Written by triggers, so every path that declines,
-- refuses or stores a bad tracking number is heard, and by the engine for orders that turn late.
CREATE TABLE problem_notices (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('declined', 'refused', 'invalid_tracking', 'late')),
    at        TEXT NOT NULL
);

CREATE TRIGGER problem_notices_attention AFTER UPDATE OF status, attention_kind ON orders
WHEN NEW.status = 'needs_attention' AND NEW.attention_kind IN ('declined', 'refused')
     AND (OLD.status IS NOT 'needs_attention' OR OLD.attention_kind IS NOT NEW.attention_kind)
     -- A tracking number that is not valid holds the order as a refusal: told once, as itself.
     AND NOT EXISTS (SELECT 1 FROM problem_notices p
                     WHERE p.order_id = NEW.id AND p.kind = 'invalid_tracking')
BEGIN
    INSERT INTO problem_notices (order_id, kind, at)
    VALUES (NEW.id, NEW.attention_kind, NEW.updated_at);
END;

CREATE TRIGGER problem_notices_tracking AFTER INSERT ON shipments
WHEN NEW.tracking_valid = 0
BEGIN
    INSERT INTO problem_notices (order_id, kind, at)
    VALUES (NEW.order_id, 'invalid_tracking', NEW.created_at);
END;
