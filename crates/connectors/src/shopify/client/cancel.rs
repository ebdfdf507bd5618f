//! An order cancelled in Shopify, looking before writing:
//!
//! 1. `OrderCancelState`: an order with `cancelledAt` is cancelled already (by the store, or
//!    by an earlier try whose answer was lost): nothing is written. One fulfilled, even partly
//!    (`displayFulfillmentStatus` FULFILLED or PARTIALLY_FULFILLED), is not cancelled: its
//!    goods are on their way.
//! 2. `OrderCancel`, sent once (never repeated blind by the HTTP layer): a dropped connection,
//!    a timeout or a 5xx may hide a cancel Shopify did, so the error goes back to the outbox,
//!    whose next try starts again at 1.
//!
//! Shopify cancels asynchronously (the mutation answers with a job); a user error that says
//! the order is cancelled already is the same outcome as step 1 finding it so.

use dealer_core::channel::{CancelRequest, ChannelError, StoreCancel};
use serde::Deserialize;
use serde_json::json;
use tokio::time::Instant;

use super::ShopifyClient;
use crate::shopify::documents::Doc;
use crate::shopify::envelope::{Envelope, Failure};
use crate::shopify::wire::{OrderCancelPayload, OrderCancelState};

/// How much of the dealer's reason goes in the staff note.
const STAFF_NOTE_LIMIT: usize = 255;

impl ShopifyClient {
    pub(super) async fn cancel(
        &self,
        request: &CancelRequest,
    ) -> Result<StoreCancel, ChannelError> {
        let mut pacer = self.pacer.lock().await;
        let (data, _) = self
            .paced(
                &mut pacer,
                Doc::OrderCancelState,
                1,
                |_| json!({ "id": request.channel_order_id }),
            )
            .await?;
        let state = Option::<OrderCancelState>::deserialize(&data["order"])
            .map_err(|e| ChannelError::Protocol {
                detail: format!("order is not in the shape Shopify documents: {e}"),
            })?
            .ok_or_else(|| ChannelError::Protocol {
                detail: format!(
                    "Shopify has no order {} ({}); was it deleted in the store?",
                    request.order_number, request.channel_order_id
                ),
            })?;
        if state.cancelled_at.is_some() {
            return Ok(StoreCancel::AlreadyCancelled);
        }
        if matches!(
            state.display_fulfillment_status.as_str(),
            "FULFILLED" | "PARTIALLY_FULFILLED"
        ) {
            return Ok(StoreCancel::NotCancellable {
                status: state
                    .display_fulfillment_status
                    .to_lowercase()
                    .replace('_', " "),
            });
        }
        let doc = Doc::OrderCancel;
        let plan = pacer.plan(Instant::now(), doc, 1);
        if !plan.wait.is_zero() {
            tokio::time::sleep(plan.wait).await;
        }
        let note: String = format!("Dealer Portal: {}", request.reason)
            .chars()
            .take(STAFF_NOTE_LIMIT)
            .collect();
        let variables = json!({ "orderId": request.channel_order_id, "staffNote": note });
        let body = self.send(&self.once, doc, &variables).await?;
        let envelope = Envelope::parse(&body)?;
        let now = Instant::now();
        let cost = envelope.cost();
        pacer.observe(now, &cost, &plan);
        match envelope.failure() {
            None => {}
            Some(Failure::Throttled) => {
                pacer.throttled(now, &cost);
                return Err(ChannelError::RateLimited {
                    retry_after: pacer.refill_estimate(now, doc),
                });
            }
            Some(Failure::MaxCostExceeded { .. }) => {
                return Err(ChannelError::Protocol {
                    detail: "Shopify refused orderCancel as too expensive".into(),
                })
            }
            Some(Failure::AccessDenied(detail)) => {
                return Err(ChannelError::MissingScope {
                    scope: doc.scope().into(),
                    detail,
                })
            }
            Some(Failure::Internal(detail)) => {
                return Err(ChannelError::Server {
                    status: 500,
                    detail,
                })
            }
            Some(Failure::Other(detail)) => return Err(ChannelError::Protocol { detail }),
        }
        let payload = Option::<OrderCancelPayload>::deserialize(&envelope.data["orderCancel"])
            .map_err(|e| ChannelError::Protocol {
                detail: format!("orderCancel is not in the shape Shopify documents: {e}"),
            })?
            .ok_or_else(|| ChannelError::Protocol {
                detail: "Shopify answered orderCancel with no payload".into(),
            })?;
        if payload.order_cancel_user_errors.is_empty() {
            return Ok(StoreCancel::Cancelled);
        }
        if payload
            .order_cancel_user_errors
            .iter()
            .any(|error| error.message.to_lowercase().contains("already"))
        {
            return Ok(StoreCancel::AlreadyCancelled);
        }
        let errors: Vec<String> = payload
            .order_cancel_user_errors
            .iter()
            .map(|error| {
                let code = error.code.as_deref().unwrap_or("INVALID");
                match error.field.as_deref() {
                    Some(field) if !field.is_empty() => {
                        format!("{} ({code}, {})", error.message, field.join("."))
                    }
                    _ => format!("{} ({code})", error.message),
                }
            })
            .collect();
        Err(ChannelError::Protocol {
            detail: format!(
                "Shopify refused to cancel order {}: {}",
                request.order_number,
                errors.join("; ")
            ),
        })
    }
}
