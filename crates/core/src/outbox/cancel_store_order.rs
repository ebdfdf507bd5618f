//! `cancel_store_order`: cancels the order in the dealer's store after the dealer cancelled it
//! in Dealer Portal (never for an order the store cancelled itself: that one is already
//! cancelled there). The client looks before it writes, so a try whose answer was lost is
//! found on the next one rather than repeated; an order the store has shipped is not cancelled
//! there, and the job stops with a message that says what to do in the store.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{to_payload, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind, JobState};
use crate::channel::{CancelRequest, StoreCancel};
use crate::domain::Actor;
use crate::lifecycle;
use crate::{Error, Result};

#[derive(Serialize, Deserialize)]
struct Payload {
    reason: String,
}

/// Queues the store's cancellation of an order, keyed `<store id>:cancel-store:<order>`: an
/// order is cancelled in its store once, however often the dealer asks.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    reason: &str,
) -> Result<i64> {
    let key = format!("{store_id}:cancel-store:{order_id}");
    let payload = to_payload(&Payload {
        reason: reason.to_string(),
    })?;
    queue::enqueue(
        conn,
        JobKind::CancelStoreOrder,
        Some(order_id),
        &key,
        &payload,
    )
    .await
}

pub(super) struct CancelStoreOrder;

#[async_trait]
impl Handler for CancelStoreOrder {
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError> {
        let payload: Payload = job.payload()?;
        let order_id = job.order()?;
        let order = sqlx::query!(
            "SELECT channel_id, channel_order_id, number FROM orders WHERE id = ?",
            order_id
        )
        .fetch_optional(cx.engine.store().pool())
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("order {order_id}"),
        })?;
        let channel = cx
            .engine
            .store()
            .channels()
            .await?
            .into_iter()
            .find(|channel| channel.id == order.channel_id)
            .ok_or_else(|| {
                job.unreadable("its store was disconnected; connect it again to cancel the order")
            })?;
        let client = cx.connect.client(&channel)?;
        let request = CancelRequest {
            channel_order_id: order.channel_order_id,
            order_number: order.number.clone(),
            reason: payload.reason,
        };
        let answer = client
            .cancel_order(&request)
            .await
            .map_err(JobError::Channel)?;
        let store = &channel.name;
        let (state, error, note) = match answer {
            StoreCancel::Cancelled => (
                JobState::Succeeded,
                None,
                format!("{store} cancelled order {}", order.number),
            ),
            StoreCancel::AlreadyCancelled => (
                JobState::Succeeded,
                None,
                format!(
                    "{store} had already cancelled order {} (nothing written twice)",
                    order.number
                ),
            ),
            StoreCancel::NotCancellable { status } => {
                let message = format!(
                    "{store} shows order {} as {status}, so it was not cancelled there. Handle \
                     it in the store: refund the customer, or take the return",
                    order.number
                );
                (JobState::Failed, Some(message.clone()), message)
            }
        };
        let mut tx = cx.engine.store().write_transaction().await?;
        if !queue::finish(&mut tx, job, cx.worker, state, error.as_deref()).await? {
            return Ok(JobEnd::Retrying);
        }
        lifecycle::record_note(&mut tx, order_id, Actor::System, &note).await?;
        tx.commit().await?;
        Ok(match state {
            JobState::Failed => JobEnd::Failed,
            _ => JobEnd::Done,
        })
    }
}
