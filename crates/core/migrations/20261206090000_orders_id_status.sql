-- The Orders list's counts per status for a search that matches many orders: each match's
-- status is read by id from this narrow index (a few bytes an order, a few hundred kilobytes at
-- 100,000 orders) instead of from the table, whose rows are wide, or by testing every entry of
-- the status index against the matches (docs/BENCHMARKS.md, Orders list at scale).
CREATE INDEX orders_id_status ON orders (id, status);
