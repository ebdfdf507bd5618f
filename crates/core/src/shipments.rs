//! Shipments in from US Direct, tracking out to the store.
//!
//! `Engine::supplier_sync` reads US Direct's change log from the saved cursor, a page per
//! transaction: holds, cancellations, payment captures and shipments. Each new tracking number
//! is stored once per order (`UNIQUE (order_id, tracking_number)`), checked against its
//! carrier's format and check digit, and moves the order to `partially_shipped` or `shipped`.
//! A valid one gets a `push_tracking` outbox job; an invalid one puts the order in
//! `needs_attention` and is never pushed. When the store has confirmed every shipment of a
//! shipped order, the order is `completed`.

use chrono::Utc;
use serde::Serialize;
use sqlx::SqliteConnection;

use crate::domain::Environment;
use crate::domain::{plain_text, Actor};
use crate::fulfillment::money_text;
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::outbox;
use crate::settings::{self, LiveSupplierCursor, SandboxSupplierCursor};
use crate::supplier::{
    PaymentStatus, Supplier, SupplierError, SupplierOrder, SupplierOrderStatus, Suppliers,
};
use crate::tracking::Carrier;
use crate::{Engine, Error, Result};

/// The longest carrier name, shipping method or tracking number kept from the supplier: the
/// longest real ones ("FedEx Ground Economy", "UPS Next Day Air Saver") are under 30
/// characters; 64 leaves room without letting a peer fill the order page.
pub const MAX_SUPPLIER_TEXT_CHARS: usize = 64;

/// A shipment that just arrived, for the dealer's notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewShipment {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shipment_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order_id: i64,
    pub order_number: String,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_valid: bool,
}

/// What one pass over US Direct's changes did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierSyncReport {
    pub changes: u32,
    pub shipments: Vec<NewShipment>,
}

impl Engine {
    /// Reads the changes of `environment`'s US Direct since its saved cursor and applies them
    /// to that environment's orders only (the sandbox supplier's order ids may well be a live
    /// order's too).
    pub async fn supplier_sync(
        &self,
        environment: Environment,
        supplier: &dyn Supplier,
    ) -> std::result::Result<SupplierSyncReport, SupplierSyncError> {
        let mut report = SupplierSyncReport::default();
        let mut skipped = Vec::new();
        let mut stopped = None;
        let mut cursor = read_cursor(self.store().pool(), environment).await?;
        for _ in 0..1000 {
            let asked = cursor.clone();
            let listed = crate::panics::isolate(
                "US Direct's change log",
                supplier.list_changes(cursor.as_deref(), 100),
            )
            .await
            .map_err(|panic| SupplierError::Protocol {
                detail: crate::panics::reason("reading US Direct's change log", &panic),
            })?;
            let page = match listed {
                Ok(page) => page,
                // The cursor is too old for US Direct (or was never ours): start over. Every
                // entry is an order's whole state, so reading again converges.
                Err(SupplierError::Invalid { message, .. }) if cursor.is_some() => {
                    tracing::warn!(%message, "US Direct refused the saved cursor; reading again");
                    cursor = None;
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            let mut tx = self.store().write_transaction().await?;
            for change in &page.changes {
                // Each change in a savepoint of its own: one that meets a bug is rolled back
                // and recorded, and the others (and the cursor) go on.
                let mut one = sqlx::Connection::begin(&mut *tx).await?;
                let mut found = Vec::new();
                let applied = crate::panics::isolate(
                    "a change from US Direct",
                    apply_change(&mut one, environment, change, &mut found),
                )
                .await;
                match applied {
                    Ok(result) => {
                        result?;
                        one.commit().await?;
                        report.shipments.append(&mut found);
                    }
                    Err(panic) => {
                        drop(one);
                        skipped.push(format!(
                            "A change from US Direct was not applied: {}",
                            crate::panics::reason(
                                &format!("applying US Direct's change to its order {}", change.id),
                                &panic,
                            )
                        ));
                    }
                }
                report.changes += 1;
            }
            for entry in &page.unreadable {
                let what = unreadable_note(&mut tx, environment, entry).await?;
                skipped.push(what);
            }
            let repeated = page.has_more && asked.as_deref() == Some(page.next_cursor.as_str());
            cursor = Some(page.next_cursor);
            write_cursor(&mut tx, environment, cursor.clone()).await?;
            tx.commit().await?;
            if repeated {
                // The same cursor back with "more": reading on would loop forever.
                stopped = Some(SupplierError::Protocol {
                    detail: "US Direct's change log answered \"more\" with the cursor it was \
                             given; stopped reading. The next pass tries again"
                        .into(),
                });
                break;
            }
            if !page.has_more {
                break;
            }
        }
        for reason in &skipped {
            self.store()
                .record_incident("supplier_change", reason)
                .await?;
        }
        if let Some(error) = stopped {
            return Err(error.into());
        }
        if !report.shipments.is_empty() {
            tracing::info!(
                shipments = report.shipments.len(),
                "shipments from US Direct"
            );
        }
        Ok(report)
    }

    /// Reads every reachable environment's US Direct changes, one after the other. One that
    /// fails does not keep the others from being read; its error is returned after them (what
    /// they applied is stored: their shipments are announced and pushed from the store).
    pub async fn supplier_sync_all(
        &self,
        suppliers: &Suppliers,
    ) -> std::result::Result<SupplierSyncReport, SupplierSyncError> {
        let mut report = SupplierSyncReport::default();
        let mut failed = None;
        for (environment, supplier) in suppliers.each() {
            match self.supplier_sync(environment, supplier).await {
                Ok(one) => {
                    report.changes += one.changes;
                    report.shipments.extend(one.shipments);
                }
                Err(error) => {
                    tracing::warn!(%environment, %error, "reading US Direct's changes failed");
                    failed.get_or_insert(error);
                }
            }
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(report),
        }
    }

    /// Shipments the dealer has not been told of yet, oldest first; marks them told.
    pub async fn take_unannounced_shipments(&self) -> Result<Vec<NewShipment>> {
        let mut tx = self.store().write_transaction().await?;
        let rows = sqlx::query!(
            r#"SELECT s.id AS "id!", s.order_id, o.number, s.carrier, s.tracking_number,
                      s.tracking_valid
               FROM shipments s JOIN orders o ON o.id = s.order_id
               WHERE s.notified_at IS NULL ORDER BY s.id"#
        )
        .fetch_all(&mut *tx)
        .await?;
        let now = Utc::now();
        for row in &rows {
            sqlx::query!(
                "UPDATE shipments SET notified_at = ? WHERE id = ?",
                now,
                row.id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|row| NewShipment {
                shipment_id: row.id,
                order_id: row.order_id,
                order_number: row.number,
                carrier: row.carrier,
                tracking_number: row.tracking_number,
                tracking_valid: row.tracking_valid != 0,
            })
            .collect())
    }
}

/// Why reading US Direct's changes stopped.
#[derive(Debug, thiserror::Error)]
pub enum SupplierSyncError {
    #[error(transparent)]
    Supplier(#[from] SupplierError),
    #[error(transparent)]
    Engine(#[from] Error),
}

impl From<sqlx::Error> for SupplierSyncError {
    fn from(error: sqlx::Error) -> Self {
        SupplierSyncError::Engine(error.into())
    }
}

async fn read_cursor<'c>(
    db: impl sqlx::SqliteExecutor<'c>,
    environment: Environment,
) -> Result<Option<String>> {
    Ok(match environment {
        Environment::Sandbox => settings::get::<SandboxSupplierCursor>(db).await?.0,
        Environment::Live => settings::get::<LiveSupplierCursor>(db).await?.0,
    })
}

async fn write_cursor(
    conn: &mut SqliteConnection,
    environment: Environment,
    cursor: Option<String>,
) -> Result<()> {
    match environment {
        Environment::Sandbox => settings::set(conn, &SandboxSupplierCursor(cursor)).await,
        Environment::Live => settings::set(conn, &LiveSupplierCursor(cursor)).await,
    }
}

async fn apply_change(
    conn: &mut SqliteConnection,
    environment: Environment,
    change: &SupplierOrder,
    found: &mut Vec<NewShipment>,
) -> Result<()> {
    let Some(order) = sqlx::query!(
        r#"SELECT id AS "id!", number, attention_kind AS "attention_kind: AttentionKind",
                  supplier_invoice_id, supplier_cost_minor
           FROM orders WHERE environment = ? AND supplier_order_id = ?"#,
        environment,
        change.id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        // Not ours (yet): an order whose creation this store has not recorded comes back with
        // its next change, or with the job's replayed answer.
        return Ok(());
    };
    let order_id = order.id;
    let payment = change.invoice.payment_status;
    // A decline and a capture keep the time US Direct reported them (the statement dates the
    // invoice by them); a repeat of the same status keeps the first.
    sqlx::query!(
        "UPDATE orders SET payment_status = ?1,
                payment_declined_at = CASE WHEN ?1 = 'declined' AND payment_status IS NOT ?1
                                           THEN ?2 ELSE payment_declined_at END,
                paid_at = CASE WHEN ?1 = 'paid' AND paid_at IS NULL THEN ?2 ELSE paid_at END
         WHERE id = ?3",
        payment,
        change.updated_at,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    // US Direct may charge more or less than the invoice it sent when the order was placed (a
    // re-rated parcel, a carrier surcharge, a credit): the total it reports now is what it
    // charges, and the statement shows the difference on a line of its own.
    let invoice = &change.invoice;
    if order.supplier_invoice_id.as_deref() == Some(invoice.id.as_str())
        && order
            .supplier_cost_minor
            .is_some_and(|total| total != invoice.total_cost_minor)
    {
        sqlx::query!(
            "UPDATE orders SET supplier_cost_minor = ? WHERE id = ?",
            invoice.total_cost_minor,
            order_id
        )
        .execute(&mut *conn)
        .await?;
        let note = format!(
            "US Direct now charges {} for invoice {} (was {})",
            money_text(invoice.total_cost_minor, &invoice.currency),
            invoice.id,
            money_text(order.supplier_cost_minor.unwrap_or(0), &invoice.currency),
        );
        lifecycle::record_note(&mut *conn, order_id, Actor::Supplier, &note).await?;
    }
    for shipment in &change.shipments {
        if let Some(new) = record_shipment(conn, order_id, &order.number, shipment).await? {
            found.push(new);
        }
    }
    let status = lifecycle::status(conn, order_id).await?;
    match change.status {
        SupplierOrderStatus::OnHold if status == OrderStatus::Processing => {
            let reason = format!(
                "US Direct put the order on hold: {}. Contact US Direct to release it.",
                change.hold_reason.as_deref().unwrap_or("no reason given")
            );
            lifecycle::transition(
                &mut *conn,
                order_id,
                Attention::new(AttentionKind::Refused, &reason),
                Actor::Supplier,
                &reason,
            )
            .await?;
        }
        SupplierOrderStatus::Processing | SupplierOrderStatus::Open
            if status == OrderStatus::NeedsAttention
                && order.attention_kind == Some(AttentionKind::Refused)
                && change.invoice.payment_status == PaymentStatus::Authorized =>
        {
            lifecycle::transition(
                &mut *conn,
                order_id,
                OrderStatus::Processing,
                Actor::Supplier,
                "US Direct released the hold",
            )
            .await?;
        }
        SupplierOrderStatus::Canceled if status.can_move_to(OrderStatus::Cancelled) => {
            lifecycle::transition(
                &mut *conn,
                order_id,
                OrderStatus::Cancelled,
                Actor::Supplier,
                "US Direct cancelled the order",
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Stores a shipment the first time its tracking number is seen for the order; moves the
/// order on and queues the push (or flags a bad number). `None` when it was known.
async fn record_shipment(
    conn: &mut SqliteConnection,
    order_id: i64,
    order_number: &str,
    shipment: &crate::supplier::SupplierShipment,
) -> Result<Option<NewShipment>> {
    // The supplier's text is shown, stored and sent on: plain text of a bounded length.
    let supplier_carrier = plain_text(&shipment.carrier, MAX_SUPPLIER_TEXT_CHARS);
    let method = plain_text(&shipment.method, MAX_SUPPLIER_TEXT_CHARS);
    let check = crate::tracking::check(&shipment.tracking_number, Some(&supplier_carrier));
    let number = plain_text(
        if check.normalized.is_empty() {
            &shipment.tracking_number
        } else {
            &check.normalized
        },
        MAX_SUPPLIER_TEXT_CHARS,
    );
    let known = sqlx::query_scalar!(
        "SELECT count(*) FROM shipments WHERE order_id = ? AND tracking_number = ?",
        order_id,
        number
    )
    .fetch_one(&mut *conn)
    .await?;
    if known > 0 {
        return Ok(None);
    }
    let carrier = check
        .carrier
        .map(|carrier| carrier.display_name().to_string())
        .unwrap_or_else(|| supplier_carrier.clone());
    // The carrier's page for a valid number; else the supplier's link only when it is the
    // carrier's own https page, or that page rebuilt from the number; else none.
    let url = check.url.clone().or_else(|| {
        crate::tracking::safe_tracking_url(
            &shipment.tracking_url,
            check
                .carrier
                .or_else(|| Carrier::from_name(&supplier_carrier)),
            &number,
        )
    });
    let now = Utc::now();
    let valid = i64::from(check.valid);
    let shipment_id = sqlx::query_scalar!(
        r#"INSERT INTO shipments (order_id, tracking_number, carrier, tracking_url, shipped_at,
                                  created_at, supplier_shipment_id, method, tracking_valid)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!""#,
        order_id,
        number,
        carrier,
        url,
        shipment.shipped_at,
        now,
        shipment.id,
        method,
        valid
    )
    .fetch_one(&mut *conn)
    .await?;
    // The first tracking number known for the order: the Dashboard's "placed to tracking".
    sqlx::query("UPDATE orders SET tracking_at = coalesce(tracking_at, ?) WHERE id = ?")
        .bind(now)
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    // US Direct names its own SKUs; the store's lines are found through the SKU map.
    for line in &shipment.lines {
        let store_sku = sqlx::query_scalar!(
            r#"SELECT l.sku AS "sku!" FROM order_lines l
               LEFT JOIN sku_map m ON m.store_sku = l.sku
               WHERE l.order_id = ? AND coalesce(m.supplier_sku, l.sku) = ?
               ORDER BY l.position LIMIT 1"#,
            order_id,
            line.sku
        )
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_else(|| line.sku.clone());
        let quantity = i64::from(line.quantity);
        sqlx::query!(
            "INSERT INTO shipment_lines (shipment_id, sku, quantity) VALUES (?, ?, ?)
             ON CONFLICT (shipment_id, sku) DO UPDATE SET quantity = quantity + excluded.quantity",
            shipment_id,
            store_sku,
            quantity
        )
        .execute(&mut *conn)
        .await?;
    }
    let mut status = lifecycle::status(conn, order_id).await?;
    if status == OrderStatus::Authorized {
        // Shipped before this store recorded US Direct's authorization answer.
        lifecycle::transition(
            &mut *conn,
            order_id,
            OrderStatus::Processing,
            Actor::Supplier,
            "US Direct is fulfilling the order",
        )
        .await?;
        status = OrderStatus::Processing;
    }
    let remaining = sqlx::query_scalar!(
        r#"SELECT coalesce(sum(max(l.quantity - coalesce(
                      (SELECT sum(sl.quantity) FROM shipment_lines sl
                       JOIN shipments s ON s.id = sl.shipment_id
                       WHERE s.order_id = l.order_id AND sl.sku = l.sku), 0), 0)), 0)
                  AS "remaining!: i64"
           FROM order_lines l WHERE l.order_id = ?"#,
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let next = if remaining == 0 {
        OrderStatus::Shipped
    } else {
        OrderStatus::PartiallyShipped
    };
    let detail = format!(
        "US Direct shipped it: {carrier} {number}{}",
        if remaining > 0 {
            format!(" ({remaining} items still to ship)")
        } else {
            String::new()
        }
    );
    if status != next && status.can_move_to(next) {
        lifecycle::transition(&mut *conn, order_id, next, Actor::Supplier, &detail).await?;
    } else {
        lifecycle::record_note(&mut *conn, order_id, Actor::Supplier, &detail).await?;
    }
    if check.valid {
        outbox::enqueue_push_tracking(conn, order_id, &number, shipment_id).await?;
    } else {
        let reason = format!(
            "US Direct sent tracking number {number} ({}), which is not valid: {}. It was not \
             sent to your store; ask US Direct for the right number.",
            supplier_carrier,
            check.reason.as_deref().unwrap_or("unknown format")
        );
        let status = lifecycle::status(conn, order_id).await?;
        if status.can_move_to(OrderStatus::NeedsAttention) {
            lifecycle::transition(
                &mut *conn,
                order_id,
                Attention::new(AttentionKind::Refused, &reason),
                Actor::System,
                &reason,
            )
            .await?;
        } else {
            lifecycle::record_note(&mut *conn, order_id, Actor::System, &reason).await?;
        }
    }
    Ok(Some(NewShipment {
        shipment_id,
        order_id,
        order_number: order_number.to_string(),
        carrier,
        tracking_number: number,
        tracking_valid: check.valid,
    }))
}

/// Notes an entry of the change log that could not be read on its order (when it is one of
/// this environment's), and says what it was for Activity.
async fn unreadable_note(
    conn: &mut SqliteConnection,
    environment: Environment,
    entry: &crate::supplier::UnreadableChange,
) -> Result<String> {
    let order = match &entry.order_id {
        Some(id) => sqlx::query!(
            r#"SELECT id AS "id!", number FROM orders
               WHERE environment = ? AND supplier_order_id = ?"#,
            environment,
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| (row.id, row.number)),
        None => None,
    };
    let Some((order_id, number)) = order else {
        return Ok(format!(
            "An entry of US Direct's change log could not be read and was skipped: {}",
            entry.reason
        ));
    };
    let note = format!(
        "US Direct's latest change for this order could not be read and was not applied: {}. \
         Contact US Direct about it",
        entry.reason
    );
    lifecycle::record_note(&mut *conn, order_id, Actor::Supplier, &note).await?;
    Ok(format!(
        "US Direct's change for order {number} could not be read and was not applied: {}",
        entry.reason
    ))
}
