//! `cancel_supplier_order`: cancels US Direct's order after the store cancelled it. An order
//! US Direct has already shipped cannot be cancelled; either way the answer goes on the
//! order's timeline.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{to_payload, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind};
use crate::domain::Actor;
use crate::lifecycle;
use crate::supplier::SupplierError;
use crate::Result;

#[derive(Serialize, Deserialize)]
struct Payload {
    supplier_order_id: String,
    reason: String,
}

/// Queues the cancellation of an order's supplier order (the store cancelled it); nothing when
/// US Direct has no order for it.
pub(crate) async fn enqueue(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    let Some(supplier_order_id) = sqlx::query_scalar!(
        "SELECT supplier_order_id FROM orders WHERE id = ?",
        order_id
    )
    .fetch_one(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    // US Direct's order id names the one cancellation.
    let key = format!("cancel:{supplier_order_id}");
    let payload = to_payload(&Payload {
        supplier_order_id,
        reason: "Cancelled in the dealer's store".into(),
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
        let result = cx
            .supplier(job)?
            .cancel_order(
                &job.idempotency_key,
                &payload.supplier_order_id,
                &payload.reason,
            )
            .await;
        let note = match result {
            Ok(_) => format!(
                "US Direct cancelled its order {}",
                payload.supplier_order_id
            ),
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
