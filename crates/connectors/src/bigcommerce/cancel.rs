//! An order cancelled in a BigCommerce store: `PUT /v2/orders/{id}` with `status_id` 5
//! (Cancelled), looking first (`GET /v2/orders/{id}`). An order already Cancelled is left as it
//! is; one Shipped, Partially Shipped, Completed, Refunded (or otherwise closed) is not the
//! dealer's to cancel from here. Only `status_id` is sent: a PUT with more (`staff_notes`, say)
//! would overwrite what the store holds. The write is sent once: BigCommerce takes no
//! idempotency key, so a lost answer is found by the next try's look, not repeated.

use dealer_core::channel::{CancelRequest, ChannelError, StoreCancel};
use serde::Deserialize;
use serde_json::json;

use super::client::BigCommerceClient;
use crate::write_once::write_scope;

/// The API account scope the write needs.
const WRITE_SCOPE: &str = "Orders (modify)";
/// BigCommerce's status id for Cancelled (`GET /v2/order_statuses`).
pub(super) const CANCELLED: i64 = 5;

#[derive(Debug, Deserialize)]
struct BcOrderStatus {
    status_id: i64,
    status: Option<String>,
}

/// Whether an order in `status_id` may still be cancelled: not yet shipped nor closed.
fn open(status_id: i64) -> bool {
    // Incomplete, Pending, Awaiting Payment / Pickup / Shipment / Fulfillment, Manual
    // Verification Required.
    matches!(status_id, 0 | 1 | 7 | 8 | 9 | 11 | 12)
}

impl BigCommerceClient {
    pub(super) async fn cancel(
        &self,
        request: &CancelRequest,
    ) -> Result<StoreCancel, ChannelError> {
        let order = request
            .channel_order_id
            .trim()
            .parse::<u64>()
            .map_err(|_| ChannelError::Protocol {
                detail: format!(
                    "{:?} is not a BigCommerce order id (order {})",
                    request.channel_order_id, request.order_number
                ),
            })?;
        let path = format!("/orders/{order}");
        let reply = self
            .http()
            .send(self.get(path.clone(), Vec::new()))
            .await
            .map_err(|e| missing(e, request))?;
        let current: BcOrderStatus = read(&reply.body, request)?;
        if current.status_id == CANCELLED {
            return Ok(StoreCancel::AlreadyCancelled);
        }
        if !open(current.status_id) {
            return Ok(StoreCancel::NotCancellable {
                status: current
                    .status
                    .unwrap_or_else(|| format!("status {}", current.status_id)),
            });
        }
        let body = json!({ "status_id": CANCELLED });
        let reply = self
            .http()
            .without_retries()
            .send(self.put(&path, &body))
            .await
            .map_err(|e| write_scope(missing(e, request), WRITE_SCOPE))?;
        let after: BcOrderStatus = read(&reply.body, request)?;
        if after.status_id != CANCELLED {
            return Err(ChannelError::Protocol {
                detail: format!(
                    "BigCommerce answered the cancel of order {} with status {}, not Cancelled",
                    request.order_number, after.status_id
                ),
            });
        }
        Ok(StoreCancel::Cancelled)
    }
}

fn read(body: &[u8], request: &CancelRequest) -> Result<BcOrderStatus, ChannelError> {
    serde_json::from_slice(body).map_err(|e| ChannelError::Protocol {
        detail: format!(
            "BigCommerce's order {} could not be read: {e}",
            request.order_number
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_order_not_yet_shipped_nor_closed_is_cancelled() {
        for open_status in [0, 1, 7, 8, 9, 11, 12] {
            assert!(open(open_status), "{open_status}");
        }
        // Shipped, Partially Shipped, Refunded, Cancelled, Declined, Completed, Disputed,
        // Partially Refunded.
        for closed in [2, 3, 4, 5, 6, 10, 13, 14] {
            assert!(!open(closed), "{closed}");
        }
    }
}
