//! `create_supplier_order`: places a routed order with US Direct. The request was frozen when
//! the order passed US Direct's checks, so a retry sends the same body under the same key. The
//! answer's invoice moves the order to `awaiting_authorization`, where Auto Authorize may take it.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{refused, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind};
use crate::domain::Actor;
use crate::fulfillment::{apply_auto_authorize, money_text};
use crate::lifecycle::{self, OrderStatus};

use crate::lifecycle::{Attention, AttentionKind};
use crate::supplier::{SupplierError, SupplierOrderRequest};
use crate::Result;

#[derive(Serialize, Deserialize)]
struct Payload {
    request: SupplierOrderRequest,
}

/// Queues the supplier orders of routed orders (`(order id, request)`), in one statement. The
/// key names the try: a re-route after a refusal is a new try with a new key
/// (`<store id>:create:<order>:<n>`), never a replay with another body.
pub(crate) async fn enqueue_many(
    conn: &mut SqliteConnection,
    store_id: &str,
    orders: Vec<(i64, SupplierOrderRequest)>,
) -> Result<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = orders.iter().map(|(id, _)| *id).collect();
    let ids =
        serde_json::to_string(&ids).map_err(|err| crate::Error::invalid("job", err.to_string()))?;
    let tries = queue::tries_of(conn, &ids, JobKind::CreateSupplierOrder).await?;
    let jobs = orders
        .into_iter()
        .map(|(order_id, request)| {
            let tries = tries.get(&order_id).copied().unwrap_or(0);
            let key = format!("{store_id}:create:{order_id}:{}", tries + 1);
            // Written as text straight away: a batch's 500 requests need no JSON tree each.
            let payload = serde_json::to_string(&Payload { request })
                .map_err(|err| crate::Error::invalid("job", err.to_string()))?;
            Ok((order_id, key, payload))
        })
        .collect::<Result<Vec<_>>>()?;
    queue::enqueue_many(conn, JobKind::CreateSupplierOrder, &jobs).await
}

pub(super) struct CreateSupplierOrder;

#[async_trait]
impl Handler for CreateSupplierOrder {
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError> {
        let payload: Payload = job.payload()?;
        let order_id = job.order()?;
        let created = cx
            .supplier(job)?
            .create_order(&job.idempotency_key, &payload.request)
            .await?;
        let invoice = &created.invoice;
        let Some(mut tx) = cx.succeed(job).await? else {
            return Ok(JobEnd::Retrying);
        };
        let payment = invoice.payment_status;
        sqlx::query!(
            "UPDATE orders SET supplier_order_id = ?, supplier_invoice_id = ?,
                    supplier_currency = ?, supplier_product_cost_minor = ?,
                    supplier_shipping_cost_minor = ?, supplier_cost_minor = ?, payment_status = ?
             WHERE id = ?",
            created.id,
            invoice.id,
            invoice.currency,
            invoice.product_cost_minor,
            invoice.shipping_cost_minor,
            invoice.total_cost_minor,
            payment,
            order_id
        )
        .execute(&mut *tx)
        .await?;
        let total = money_text(invoice.total_cost_minor, &invoice.currency);
        let detail = format!(
            "placed with US Direct as {}; invoice {} for {total} (items {}, shipping {})",
            created.id,
            invoice.id,
            money_text(invoice.product_cost_minor, &invoice.currency),
            money_text(invoice.shipping_cost_minor, &invoice.currency),
        );
        let status = lifecycle::status(&mut tx, order_id).await?;
        if status == OrderStatus::Imported {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::AwaitingAuthorization,
                Actor::Supplier,
                &detail,
            )
            .await?;
            apply_auto_authorize(
                &mut tx,
                cx.engine.store_id(),
                order_id,
                invoice.total_cost_minor,
            )
            .await?;
        } else {
            // Cancelled (or changed) while the order was on its way: keep what US Direct made,
            // and cancel it there if the order is cancelled here.
            lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &detail).await?;
            if status == OrderStatus::Cancelled {
                super::cancel_supplier_order::enqueue(&mut tx, order_id).await?;
            }
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }

    fn refusal(&self, error: &SupplierError) -> Attention {
        match error {
            // Stock moved between the check and the order: held as the check would have held
            // it, and sent by itself once a later check finds enough.
            SupplierError::Refused { code, message, .. } if code == "out_of_stock" => {
                Attention::new(
                    AttentionKind::OutOfStock,
                    format!(
                        "Out of stock at US Direct: {}. The order goes to US Direct by itself \
                         when a stock check finds enough; or cancel it.",
                        message.trim_end_matches('.')
                    ),
                )
            }
            SupplierError::Refused { message, .. } => Attention::new(
                AttentionKind::Refused,
                format!(
                    "US Direct refused the order: {}. Fix it, then Resolve to send it again.",
                    // US Direct's messages end with a full stop of their own.
                    message.trim_end_matches('.')
                ),
            ),
            _ => refused(error),
        }
    }
}
