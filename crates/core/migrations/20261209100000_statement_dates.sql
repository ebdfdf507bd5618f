-- US Direct's statement dates each invoice by its own event. Declining a payment clears
-- authorized_at (the dealer authorizes again after fixing the card), so a decline keeps its own
-- time; a payment US Direct reports as paid keeps when that was first seen.
ALTER TABLE orders ADD COLUMN payment_declined_at TEXT;
ALTER TABLE orders ADD COLUMN paid_at TEXT;

-- Declines before this column: the order's last change is the best time known (the decline,
-- unless the dealer acted on the order since). Paid invoices before it have no paid time; the
-- statement dates them by their authorization, as it does every paid invoice.
UPDATE orders SET payment_declined_at = updated_at
 WHERE payment_status = 'declined' AND payment_declined_at IS NULL;

-- A month of the statement is a range of this index, in the order the statement lists it: an
-- invoice authorized or paid is dated by its authorization (its paid time when it has none), a
-- declined one by its decline. A query repeats the expression and the condition word for word
-- (crate::export::statement::DATED): SQLite uses an expression or partial index only then.
CREATE INDEX orders_statement ON orders (
    (CASE WHEN payment_status = 'declined' THEN payment_declined_at
          ELSE coalesce(authorized_at, paid_at) END),
    id
) WHERE supplier_invoice_id IS NOT NULL AND payment_status IN ('authorized', 'paid', 'declined');
