//! `authorize_payment`: asks US Direct to authorize the order's invoice (Authorize Order for
//! Payment, by the dealer or the Auto Authorize rules). Its answer moves the order to
//! `processing`, or to `needs_attention` when the payment is declined.

use async_trait::async_trait;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{refused, to_payload, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind};
use crate::domain::Actor;
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::supplier::{Authorization, PaymentStatus, SupplierError};
use crate::Result;

#[derive(Serialize, Deserialize)]
struct Payload {
    invoice_id: String,
    #[serde(default)]
    amount_minor: i64,
}

/// Queues the authorization of `invoice_id`, keyed `<store id>:authorize:<order>:<n>`: "Authorize
/// again" after a decline is a new attempt, `n + 1`.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    invoice_id: String,
    amount_minor: i64,
) -> Result<i64> {
    let tries = queue::tries(conn, order_id, JobKind::AuthorizePayment).await?;
    let key = format!("{store_id}:authorize:{order_id}:{}", tries + 1);
    let payload = to_payload(&Payload {
        invoice_id,
        amount_minor,
    })?;
    queue::enqueue(
        conn,
        JobKind::AuthorizePayment,
        Some(order_id),
        &key,
        &payload,
    )
    .await
}

pub(super) struct AuthorizePayment;

#[async_trait]
impl Handler for AuthorizePayment {
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError> {
        let payload: Payload = job.payload()?;
        let order_id = job.order()?;
        let answer = match cx
            .supplier(job)?
            .authorize_payment(&job.idempotency_key, &payload.invoice_id)
            .await
        {
            Ok(answer) => answer,
            // Authorized already under another key (another device, an earlier install).
            Err(SupplierError::Conflict { code, .. }) if code == "already_authorized" => {
                Authorization::Authorized { at: Utc::now() }
            }
            Err(error) => return Err(error.into()),
        };
        let Some(mut tx) = cx.succeed(job).await? else {
            return Ok(JobEnd::Retrying);
        };
        let status = lifecycle::status(&mut tx, order_id).await?;
        match answer {
            Authorization::Authorized { .. } => {
                let payment = PaymentStatus::Authorized;
                sqlx::query!(
                    "UPDATE orders SET payment_status = ? WHERE id = ?",
                    payment,
                    order_id
                )
                .execute(&mut *tx)
                .await?;
                let detail = format!(
                    "US Direct authorized payment of invoice {}; it will ship the order",
                    payload.invoice_id
                );
                if status == OrderStatus::Authorized {
                    lifecycle::transition(
                        &mut tx,
                        order_id,
                        OrderStatus::Processing,
                        Actor::Supplier,
                        &detail,
                    )
                    .await?;
                } else {
                    lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &detail).await?;
                }
            }
            Authorization::Declined { reason, at } => {
                let payment = PaymentStatus::Declined;
                // The decline keeps its own time: the statement dates the invoice by it once
                // the authorization is undone.
                sqlx::query!(
                    "UPDATE orders SET payment_status = ?, authorized_at = NULL,
                            authorized_by = NULL, payment_declined_at = ?
                     WHERE id = ?",
                    payment,
                    at,
                    order_id
                )
                .execute(&mut *tx)
                .await?;
                let message = format!(
                    "US Direct declined the payment: {}. Fix the payment method with US \
                     Direct, then Authorize again.",
                    reason.trim_end_matches('.')
                );
                if status == OrderStatus::Authorized {
                    lifecycle::transition(
                        &mut tx,
                        order_id,
                        Attention::new(AttentionKind::Declined, &message),
                        Actor::Supplier,
                        &message,
                    )
                    .await?;
                } else {
                    lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &message).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }

    fn refusal(&self, error: &SupplierError) -> Attention {
        match error {
            SupplierError::Refused { code, message, .. } if code == "no_payment_method" => {
                Attention::new(
                    AttentionKind::Declined,
                    format!(
                        "US Direct has no payment method on file ({message}). Add one with US \
                         Direct, then Authorize again."
                    ),
                )
            }
            _ => refused(error),
        }
    }
}
