-- The search finds SKUs from the lines, not from the full-text index. Every SKU of a catalog
-- shares its first characters ("USD-…"), so in a trigram index those few trigrams were in every
-- order and a SKU search read lists of 100,000 orders to find 25,000 (docs/ARCHITECTURE.md,
-- Orders list search). A search word is now matched against the few distinct SKUs ever seen,
-- then the orders of the SKUs it matches are read from the lines' (sku, order_id) index.

-- Every SKU an order line ever held, once. A row is never removed: an SKU no line holds any
-- more matches no order. Written with the search rows (store::orders).
CREATE TABLE search_skus (
    sku TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
INSERT INTO search_skus (sku) SELECT DISTINCT sku FROM order_lines;

-- A SKU's orders from the index alone, in id order.
DROP INDEX order_lines_sku;
CREATE INDEX order_lines_sku ON order_lines (sku, order_id);

-- The full-text index without the SKUs; its triggers (supplier migration) are unchanged.
DROP TABLE order_search;
CREATE VIRTUAL TABLE order_search USING fts5 (
    number, customer, email, tracking,
    tokenize = 'trigram'
);
INSERT INTO order_search (rowid, number, customer, email, tracking)
SELECT o.id, o.number, o.customer_name, coalesce(o.customer_email, ''),
       coalesce((SELECT group_concat(tracking_number, ' ') FROM shipments s
                 WHERE s.order_id = o.id), '')
FROM orders o;
