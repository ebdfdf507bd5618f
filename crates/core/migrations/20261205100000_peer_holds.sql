-- A peer (a store or US Direct) that told us not to call before a time (a 429/503 Retry-After,
-- a spent rate window): kept so that a new process (the next `dealer sync` after a crash or a
-- kill) does not call it early either. One row per origin (scheme://host:port); the time is
-- already clamped to outbox::MAX_RETRY_AFTER when written, and a later hold never shortens one.
CREATE TABLE peer_holds (
    origin TEXT PRIMARY KEY NOT NULL,
    until  TEXT NOT NULL
);
