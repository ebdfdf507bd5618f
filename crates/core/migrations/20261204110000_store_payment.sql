-- Whether the store has been paid for an order, as its platform reported it at the last sync:
-- 'paid', 'unpaid' or 'high_risk' (StorePayment), with the platform's own word for it
-- ("PENDING", "on-hold", "Awaiting Payment", "risk: CANCEL").
ALTER TABLE orders ADD COLUMN store_payment TEXT NOT NULL DEFAULT 'paid';
ALTER TABLE orders ADD COLUMN store_payment_status TEXT;
-- The dealer released an unpaid or risky order by hand: it is routed whatever the store says.
ALTER TABLE orders ADD COLUMN payment_hold_released INTEGER NOT NULL DEFAULT 0;
