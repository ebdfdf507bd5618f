//! A shipment's tracking written back to its Shopify order, looking before writing:
//!
//! 1. `OrderFulfillments`: a fulfillment that already carries the tracking number means an
//!    earlier push got through (its answer lost): it is returned (`already_there`) and nothing
//!    is written.
//! 2. `FulfillmentOrders`: what the order has left to ship, on the fulfillment orders that allow
//!    `CREATE_FULFILLMENT`; the shipment's SKUs and quantities are matched to their line items
//!    (`tracking::line_items_by_fulfillment_order`).
//! 3. `FulfillmentCreate` with those line items, the tracking (number, Shopify's name for the
//!    carrier, URL) and `notifyCustomer: true`, so the shopper gets the shipping email.
//!
//! The mutation is sent once per try, never repeated blind by the HTTP layer: a dropped
//! connection, a timeout or a 5xx may hide a fulfillment Shopify made. The next try starts again
//! at 1, so however many tries it takes there is one fulfillment per tracking number. One that
//! this call's own lost write made is not `already_there`: the call did write it.

use dealer_core::channel::{ChannelError, FulfillmentRequest, PushedFulfillment};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::ShopifyClient;
use crate::http::retry;
use crate::shopify::documents::Doc;
use crate::shopify::envelope::{Envelope, Failure};
use crate::shopify::pacing::Pacer;
use crate::shopify::profile;
use crate::shopify::tracking::{self, ByFulfillmentOrder, OrderToFulfill};
use crate::shopify::wire::{
    FulfillmentCreatePayload, FulfillmentOrdersNode, OrderFulfillmentsNode,
};

/// Fulfillment orders asked for per page; an order rarely has more than one or two.
const FULFILLMENT_ORDERS_PER_PAGE: u32 = 10;
/// Pages of fulfillment orders read before giving up on an order.
const MAX_FULFILLMENT_ORDER_PAGES: usize = 20;

/// How one try ended when it did not record the shipment.
enum Failed {
    /// Another try would get the same answer.
    Final(ChannelError),
    /// The write may or may not have happened: look again, then try again.
    Uncertain(ChannelError),
}

impl From<ChannelError> for Failed {
    fn from(error: ChannelError) -> Self {
        Failed::Final(error)
    }
}

impl ShopifyClient {
    pub(super) async fn push(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        if tracking::normalize_tracking(&request.tracking_number).is_empty() {
            return Err(ChannelError::Protocol {
                detail: format!(
                    "the shipment of order {} has no tracking number to record",
                    request.order_number
                ),
            });
        }
        let policy = self.http.policy().clone();
        let attempts = policy.max_attempts.max(1);
        let mut last = None;
        for attempt in 1..=attempts {
            let outcome = {
                let mut pacer = self.pacer.lock().await;
                self.try_push(&mut pacer, request, last.is_some()).await
            };
            let error = match outcome {
                Ok(pushed) => return Ok(pushed),
                Err(Failed::Final(error)) => return Err(error),
                Err(Failed::Uncertain(error)) => error,
            };
            tracing::warn!(
                order = %request.order_number,
                attempt,
                %error,
                "fulfillmentCreate may not have gone through; looking again before another try"
            );
            if attempt < attempts {
                let wait = retry::backoff(attempt, &policy, &mut rand::thread_rng());
                tokio::time::sleep(wait).await;
            }
            last = Some(error);
        }
        Err(last.unwrap_or(ChannelError::Protocol {
            detail: "no attempt was made".into(),
        }))
    }

    /// One look-then-write; `written` when an earlier try of this call may have written.
    async fn try_push(
        &self,
        pacer: &mut Pacer,
        request: &FulfillmentRequest,
        written: bool,
    ) -> Result<PushedFulfillment, Failed> {
        if let Some(id) = self.recorded(pacer, request).await? {
            tracing::info!(order = %request.order_number, %id, "the tracking is in Shopify");
            return Ok(PushedFulfillment {
                id,
                already_there: !written,
            });
        }
        let order = self.to_fulfill(pacer, request).await?;
        let by_order = tracking::line_items_by_fulfillment_order(request, &order)?;
        let id = self.create(pacer, request, &by_order).await?;
        Ok(PushedFulfillment {
            id,
            already_there: false,
        })
    }

    /// The id of the order's fulfillment that carries the request's tracking number, if any.
    async fn recorded(
        &self,
        pacer: &mut Pacer,
        request: &FulfillmentRequest,
    ) -> Result<Option<String>, ChannelError> {
        let (data, _) = self
            .paced(
                pacer,
                Doc::OrderFulfillments,
                1,
                |_| json!({ "id": request.channel_order_id }),
            )
            .await?;
        let order = Option::<OrderFulfillmentsNode>::deserialize(&data["order"])
            .map_err(|e| unreadable("order.fulfillments", &e))?
            .ok_or_else(|| missing_order(request))?;
        let found = tracking::already_recorded(&order.fulfillments, &request.tracking_number);
        if let Some(fulfillment) = found {
            if fulfillment.status == "CANCELLED" {
                tracing::warn!(
                    order = %request.order_number,
                    id = %fulfillment.id,
                    "the fulfillment with this tracking number was cancelled in Shopify; not \
                     recording it again"
                );
            }
        }
        Ok(found.map(|fulfillment| fulfillment.id.clone()))
    }

    /// Every fulfillment order of the order, page by page.
    async fn to_fulfill(
        &self,
        pacer: &mut Pacer,
        request: &FulfillmentRequest,
    ) -> Result<OrderToFulfill, ChannelError> {
        let mut order = OrderToFulfill::default();
        let mut after: Option<String> = None;
        for _ in 0..MAX_FULFILLMENT_ORDER_PAGES {
            let (data, _) = self
                .paced(
                    pacer,
                    Doc::FulfillmentOrders,
                    FULFILLMENT_ORDERS_PER_PAGE,
                    |plan| {
                        json!({
                            "id": request.channel_order_id,
                            "first": plan.first,
                            "after": after,
                        })
                    },
                )
                .await?;
            let node = Option::<FulfillmentOrdersNode>::deserialize(&data["order"])
                .map_err(|e| unreadable("order.fulfillmentOrders", &e))?
                .ok_or_else(|| missing_order(request))?;
            order.cancelled = node.cancelled_at.is_some();
            order.display_status = node.display_fulfillment_status;
            let page = node.fulfillment_orders;
            order.fulfillment_orders.extend(page.nodes);
            match (page.page_info.has_next_page, page.page_info.end_cursor) {
                (false, _) => return Ok(order),
                (true, Some(cursor)) => after = Some(cursor),
                (true, None) => {
                    return Err(ChannelError::Protocol {
                        detail: "Shopify said more fulfillment orders follow but gave no cursor"
                            .into(),
                    })
                }
            }
        }
        Err(ChannelError::Protocol {
            detail: format!(
                "order {} has more than {} fulfillment orders",
                request.order_number,
                MAX_FULFILLMENT_ORDER_PAGES * FULFILLMENT_ORDERS_PER_PAGE as usize
            ),
        })
    }

    /// Sends `fulfillmentCreate` once (after waiting for the bucket) and returns the new
    /// fulfillment's id.
    async fn create(
        &self,
        pacer: &mut Pacer,
        request: &FulfillmentRequest,
        by_order: &[ByFulfillmentOrder],
    ) -> Result<String, Failed> {
        let doc = Doc::FulfillmentCreate;
        let plan = pacer.plan(Instant::now(), doc, 1);
        if !plan.wait.is_zero() {
            tracing::debug!(wait = ?plan.wait, "waiting for the cost bucket");
            tokio::time::sleep(plan.wait).await;
        }
        let body = match self
            .send(&self.once, doc, &fulfillment_input(request, by_order))
            .await
        {
            Ok(body) => body,
            Err(error) => return Err(after_send(error)),
        };
        // Garbled or not, Shopify may have acted on it.
        let envelope = Envelope::parse(&body).map_err(Failed::Uncertain)?;
        let now = Instant::now();
        let cost = envelope.cost();
        pacer.observe(now, &cost, &plan);
        match envelope.failure() {
            None => {}
            Some(Failure::Throttled) => {
                pacer.throttled(now, &cost);
                return Err(Failed::Uncertain(ChannelError::RateLimited {
                    retry_after: pacer.refill_estimate(now, doc),
                }));
            }
            Some(Failure::MaxCostExceeded { .. }) => {
                return Err(Failed::Final(ChannelError::Protocol {
                    detail: "Shopify refused fulfillmentCreate as too expensive".into(),
                }))
            }
            Some(Failure::AccessDenied(detail)) => {
                return Err(Failed::Final(ChannelError::MissingScope {
                    scope: doc.scope().into(),
                    detail,
                }))
            }
            Some(Failure::Internal(detail)) => {
                return Err(Failed::Uncertain(ChannelError::Server {
                    status: 500,
                    detail,
                }))
            }
            Some(Failure::Other(detail)) => {
                return Err(Failed::Final(ChannelError::Protocol { detail }))
            }
        }
        let payload =
            Option::<FulfillmentCreatePayload>::deserialize(&envelope.data["fulfillmentCreate"])
                .map_err(|e| Failed::Uncertain(unreadable("fulfillmentCreate", &e)))?
                .ok_or_else(|| {
                    Failed::Uncertain(ChannelError::Protocol {
                        detail: "Shopify answered fulfillmentCreate with no payload".into(),
                    })
                })?;
        if !payload.user_errors.is_empty() {
            let errors: Vec<String> = payload
                .user_errors
                .iter()
                .map(|error| match error.field.as_deref() {
                    Some(field) if !field.is_empty() => {
                        format!("{} ({})", error.message, field.join("."))
                    }
                    _ => error.message.clone(),
                })
                .collect();
            return Err(Failed::Final(ChannelError::Protocol {
                detail: format!(
                    "Shopify refused the tracking for order {}: {}",
                    request.order_number,
                    errors.join("; ")
                ),
            }));
        }
        payload.fulfillment.map(|f| f.id).ok_or_else(|| {
            Failed::Uncertain(ChannelError::Protocol {
                detail: "Shopify answered fulfillmentCreate with neither a fulfillment nor errors"
                    .into(),
            })
        })
    }
}

/// `$fulfillment` of the mutation: only the shipment's line items and quantities (never an
/// empty list, which would mean "everything left").
fn fulfillment_input(request: &FulfillmentRequest, by_order: &[ByFulfillmentOrder]) -> Value {
    let line_items: Vec<Value> = by_order
        .iter()
        .map(|entry| {
            let lines: Vec<Value> = entry
                .lines
                .iter()
                .map(|(id, quantity)| json!({ "id": id, "quantity": quantity }))
                .collect();
            json!({
                "fulfillmentOrderId": entry.fulfillment_order_id,
                "fulfillmentOrderLineItems": lines,
            })
        })
        .collect();
    let mut tracking_info = json!({
        "number": request.tracking_number,
        "company": profile::tracking_company(&request.carrier),
    });
    if let Some(url) = crate::fields::tracking_link(request.tracking_url.as_deref()) {
        tracking_info["url"] = json!(url);
    }
    json!({
        "fulfillment": {
            "lineItemsByFulfillmentOrder": line_items,
            "trackingInfo": tracking_info,
            "notifyCustomer": true,
        }
    })
}

/// What a failed send of the mutation means: a refusal is final; no answer, a 5xx or a 429
/// leaves it open whether Shopify acted.
fn after_send(error: ChannelError) -> Failed {
    match error {
        ChannelError::Unreachable { .. }
        | ChannelError::Server { .. }
        | ChannelError::RateLimited { .. } => Failed::Uncertain(error),
        ChannelError::Unauthorized { .. }
        | ChannelError::MissingScope { .. }
        | ChannelError::NotFound { .. }
        | ChannelError::Protocol { .. }
        // A redirect is answered before the request is acted on.
        | ChannelError::Redirected { .. } => Failed::Final(error),
    }
}

fn missing_order(request: &FulfillmentRequest) -> ChannelError {
    ChannelError::Protocol {
        detail: format!(
            "Shopify has no order {} ({}); was it deleted in the store?",
            request.order_number, request.channel_order_id
        ),
    }
}

fn unreadable(what: &str, error: &serde_json::Error) -> ChannelError {
    ChannelError::Protocol {
        detail: format!("{what} is not in the shape Shopify documents: {error}"),
    }
}

#[cfg(test)]
mod tests;
