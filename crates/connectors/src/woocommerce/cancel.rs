//! An order cancelled in a WooCommerce store: status `cancelled`, looking first. An order
//! already `cancelled` is left as it is (nothing written); one `completed` (shipped), `refunded`
//! or `failed` is not the dealer's to cancel from here. The write is sent once: WooCommerce
//! takes no idempotency key, so a lost answer is found by the next try's look, not repeated.

use dealer_core::channel::{CancelRequest, ChannelError, StoreCancel};
use reqwest::Method;
use serde_json::json;

use super::client::WooClient;
use super::fulfillment::order_path;
use super::wire::WooOrderStatus;
use crate::write_once::write_scope;

/// The key permission a write needs (WooCommerce → Settings → Advanced → REST API).
const WRITE_SCOPE: &str = "Read/Write";

impl WooClient {
    pub(super) async fn cancel(
        &self,
        request: &CancelRequest,
    ) -> Result<StoreCancel, ChannelError> {
        let order = order_id(request)?;
        let path = order_path(order);
        let current = self.status(&path, request).await?;
        match current.as_str() {
            "cancelled" => return Ok(StoreCancel::AlreadyCancelled),
            "pending" | "processing" | "on-hold" => {}
            other => {
                return Ok(StoreCancel::NotCancellable {
                    status: other.to_string(),
                })
            }
        }
        let body = json!({ "status": "cancelled" });
        let reply = self
            .http()
            .without_retries()
            .send(self.call(Method::PUT, &path, Some(&body)))
            .await
            .map_err(|e| write_scope(missing(e, request), WRITE_SCOPE))?;
        let after: WooOrderStatus =
            serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
                detail: format!(
                    "WooCommerce's answer to cancelling order {} could not be read: {e}",
                    request.order_number
                ),
            })?;
        if after.status != "cancelled" {
            return Err(ChannelError::Protocol {
                detail: format!(
                    "WooCommerce answered the cancel of order {} with status {:?}, not \
                     cancelled",
                    request.order_number, after.status
                ),
            });
        }
        Ok(StoreCancel::Cancelled)
    }

    async fn status(&self, path: &str, request: &CancelRequest) -> Result<String, ChannelError> {
        let reply = self
            .http()
            .send(self.call(Method::GET, path, None))
            .await
            .map_err(|e| missing(e, request))?;
        let current: WooOrderStatus =
            serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
                detail: format!(
                    "WooCommerce's order {} could not be read: {e}",
                    request.order_number
                ),
            })?;
        Ok(current.status)
    }
}

fn order_id(request: &CancelRequest) -> Result<u64, ChannelError> {
    request
        .channel_order_id
        .trim()
        .parse::<u64>()
        .map_err(|_| ChannelError::Protocol {
            detail: format!(
                "{:?} is not a WooCommerce order id (order {})",
                request.channel_order_id, request.order_number
            ),
        })
}

/// A 404 on the order's own route means the order is gone, not the store.
fn missing(error: ChannelError, request: &CancelRequest) -> ChannelError {
    match error {
        ChannelError::NotFound { detail } => ChannelError::NotFound {
            detail: format!(
                "order {} is not in the store any more: {detail}",
                request.order_number
            ),
        },
        other => other,
    }
}
