-- What US Direct answered about each SKU the app asked it about (`getItem`), per environment:
-- the sandbox supplier's catalog and the dealer's real account are different catalogs, as their
-- orders are different orders. One row per SKU, replaced by each new answer; a SKU US Direct
-- answered "no such item" for is kept with `carried = 0` (and no item facts), so a second look
-- within the cache's age asks nothing. Transient failures are never stored.
CREATE TABLE supplier_items (
    environment   TEXT NOT NULL,
    sku           TEXT NOT NULL,
    carried       INTEGER NOT NULL,
    title         TEXT,
    weight_grams  INTEGER,
    available     INTEGER,
    checked_at    TEXT NOT NULL,
    PRIMARY KEY (environment, sku)
) WITHOUT ROWID;
