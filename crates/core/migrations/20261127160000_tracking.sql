-- Shipments from US Direct and their tracking written back to the store.

ALTER TABLE shipments ADD COLUMN supplier_shipment_id TEXT;
ALTER TABLE shipments ADD COLUMN method TEXT;
-- The tracking number passed the carrier's format and check digit.
ALTER TABLE shipments ADD COLUMN tracking_valid INTEGER NOT NULL DEFAULT 1;
-- The store's id for the fulfillment / shipment / tracking entry, once it confirmed it.
ALTER TABLE shipments ADD COLUMN channel_fulfillment_id TEXT;
-- Set when the dealer was told (tray notification), so each shipment is announced once.
ALTER TABLE shipments ADD COLUMN notified_at TEXT;
CREATE INDEX shipments_unnotified ON shipments (id) WHERE notified_at IS NULL;
CREATE INDEX orders_supplier_order ON orders (supplier_order_id) WHERE supplier_order_id IS NOT NULL;
