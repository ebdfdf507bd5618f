-- Background work that went wrong outside any one order: a worker that stopped and was started
-- again, a change from US Direct that could not be applied. Shown in Activity.
CREATE TABLE incidents (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    -- What had the trouble: 'outbox', 'supplier', 'schedule', 'changes', 'supplier_change'.
    source  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX incidents_at ON incidents (at DESC);
