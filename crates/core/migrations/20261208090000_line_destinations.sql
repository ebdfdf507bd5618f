-- Mixed orders: a store sells other brands too. Every readable order is imported; each line is
-- classified when the order is routed (`destination`: us_direct, other_supplier, no_sku,
-- not_shipped; NULL until then) and only US Direct lines are sent. A line the store says is not
-- shipped (a digital product) is never a US Direct item. A line without a SKU is stored with
-- the empty SKU.
ALTER TABLE order_lines ADD COLUMN requires_shipping INTEGER NOT NULL DEFAULT 1
    CHECK (requires_shipping IN (0, 1));
ALTER TABLE order_lines ADD COLUMN destination TEXT
    CHECK (destination IN ('us_direct', 'other_supplier', 'no_sku', 'not_shipped'));

-- Lines of orders already sent to US Direct went there whole.
UPDATE order_lines SET destination = 'us_direct'
WHERE order_id IN (SELECT id FROM orders WHERE supplier_order_id IS NOT NULL);

-- The empty SKU is not a SKU to search for.
DELETE FROM search_skus WHERE sku = '';

-- Holds the dealer overrules: a street that only looks like a PO box ("12 Pobox Ave") is
-- released as is from the order page or the CLI, as the weight hold is.
ALTER TABLE orders ADD COLUMN po_box_hold_released INTEGER NOT NULL DEFAULT 0
    CHECK (po_box_hold_released IN (0, 1));
