//! `cancel_supplier_order`: cancels US Direct's order after the store cancelled it, or the
//! dealer did in Dealer Portal. It looks first (`getOrder`): an order US Direct has already
//! cancelled is done, one it has shipped cannot be cancelled; either way the answer goes on
//! the order's timeline.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{to_payload, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind};
use crate::domain::Actor;
use crate::lifecycle;
use crate::supplier::{SupplierError, SupplierOrderStatus};
use crate::Result;

#[derive(Serialize, Deserialize)]
struct Payload {
    supplier_order_id: String,
    reason: String,
}

/// Queues the cancellation of an order's supplier order (the store cancelled it); nothing when
/// US Direct has no order for it.
pub(crate) async fn enqueue(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    enqueue_with_reason(conn, order_id, "Cancelled in the dealer's store").await
}

/// Queues the cancellation of an order's supplier order with the dealer's reason (the dealer
/// cancelled it in Dealer Portal); nothing when US Direct has no order for it.
pub(crate) async fn enqueue_for_dealer(
    conn: &mut SqliteConnection,
    order_id: i64,
    reason: &str,
) -> Result<()> {
    enqueue_with_reason(
        conn,
        order_id,
        &format!("Cancelled by the dealer: {reason}"),
    )
    .await
}

async fn enqueue_with_reason(
    conn: &mut SqliteConnection,
    order_id: i64,
    reason: &str,
) -> Result<()> {
    let Some(supplier_order_id) = sqlx::query_scalar!(
        "SELECT supplier_order_id FROM orders WHERE id = ?",
        order_id
    )
    .fetch_one(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    // US Direct's order id names the one cancellation, wherever it started (the store or the
    // dealer): however both arrive, US Direct is asked once.
    let key = format!("cancel:{supplier_order_id}");
    let payload = to_payload(&Payload {
        supplier_order_id,
        reason: reason.to_string(),
    })?;
    queue::enqueue(
        conn,
        JobKind::CancelSupplierOrder,
        Some(order_id),
        &key,
        &payload,
    )
    .await?;
    Ok(())
}

pub(super) struct CancelSupplierOrder;

#[async_trait]
impl Handler for CancelSupplierOrder {
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError> {
        let payload: Payload = job.payload()?;
        let supplier = cx.supplier(job)?;
        // Look before writing: an order US Direct already cancelled (an earlier try whose
        // answer was lost, or US Direct itself) or shipped is not asked again.
        let current = supplier.get_order(&payload.supplier_order_id).await?;
        let looked = match current.status {
            SupplierOrderStatus::Canceled => Some(format!(
                "US Direct had already cancelled its order {} (nothing asked twice)",
                payload.supplier_order_id
            )),
            SupplierOrderStatus::Shipped | SupplierOrderStatus::PartiallyShipped => Some(format!(
                "US Direct had already shipped {}; it could not be cancelled. Handle the \
                 return in your store",
                payload.supplier_order_id
            )),
            _ => None,
        };
        let result = match looked {
            Some(note) => Ok(note),
            None => supplier
                .cancel_order(
                    &job.idempotency_key,
                    &payload.supplier_order_id,
                    &payload.reason,
                )
                .await
                .map(|_| {
                    format!(
                        "US Direct cancelled its order {}",
                        payload.supplier_order_id
                    )
                }),
        };
        let note = match result {
            Ok(note) => note,
            Err(SupplierError::Conflict { code, .. }) if code == "already_shipped" => format!(
                "US Direct had already shipped {}; it could not be cancelled",
                payload.supplier_order_id
            ),
            Err(error) => return Err(error.into()),
        };
        let Some(mut tx) = cx.succeed(job).await? else {
            return Ok(JobEnd::Retrying);
        };
        if let Some(order_id) = job.order_id {
            lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &note).await?;
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }
}
