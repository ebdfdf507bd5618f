//! Tracking back to a WooCommerce store.
//!
//! Where the store has the Shipment Tracking extension (its `wc-shipment-tracking/v3` routes
//! answer), a tracking item with the extension's own provider name (`UPS`, `Fedex`, `USPS`,
//! `DHL US`, `OnTrac`) or, for a carrier it does not list, a custom provider and link. The
//! extension's items name no lines, so a partial shipment is one more item.
//!
//! Without it (the route is `rest_no_route`), a customer note "Your order has shipped:
//! <carrier> <number> <url>" (the shopper is emailed) and, with the order's last shipment,
//! status `completed`.
//!
//! Both look before they write: an item with the tracking number, or a note containing it, is
//! the shipment already recorded (by an earlier push whose answer was lost).

use dealer_core::channel::{ChannelError, FulfillmentRequest, PushedFulfillment};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::client::WooClient;
use super::profile::provider;
use super::wire::{WooNote, WooOrderStatus, WooTracking, WpError};
use crate::http::Reply;
use crate::write_once::{order_missing, same_tracking, write_scope, write_then_confirm};

/// The key permission a write needs (WooCommerce → Settings → Advanced → REST API).
const WRITE_SCOPE: &str = "Read/Write";

pub(super) fn trackings_path(order: u64) -> String {
    format!("/wp-json/wc-shipment-tracking/v3/orders/{order}/shipment-trackings")
}

pub(super) fn notes_path(order: u64) -> String {
    format!("/wp-json/wc/v3/orders/{order}/notes")
}

pub(super) fn order_path(order: u64) -> String {
    format!("/wp-json/wc/v3/orders/{order}")
}

impl WooClient {
    pub(super) async fn push(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        let order = request
            .channel_order_id
            .trim()
            .parse::<u64>()
            .map_err(|_| ChannelError::Protocol {
                detail: format!(
                    "{:?} is not a WooCommerce order id (order {})",
                    request.channel_order_id, request.order_number
                ),
            })?;
        match self.tracking_items(order, request).await? {
            Some(items) => self.push_tracking(order, request, &items).await,
            None => self.push_note(order, request).await,
        }
    }

    /// The order's tracking items, or `None` when the store has no Shipment Tracking extension.
    async fn tracking_items(
        &self,
        order: u64,
        request: &FulfillmentRequest,
    ) -> Result<Option<Vec<WooTracking>>, ChannelError> {
        let path = trackings_path(order);
        let reply = self
            .http()
            .exchange(self.call(Method::GET, &path, None))
            .await?;
        if reply.status == 404 && wp_code(&reply).as_deref() == Some("rest_no_route") {
            return Ok(None);
        }
        let reply = self
            .http()
            .check(reply)
            .map_err(|e| order_missing(e, request))?;
        json(&reply, "the shipment trackings").map(Some)
    }

    async fn push_tracking(
        &self,
        order: u64,
        request: &FulfillmentRequest,
        items: &[WooTracking],
    ) -> Result<PushedFulfillment, ChannelError> {
        if let Some(item) = find_item(items, request) {
            return Ok(PushedFulfillment {
                id: item,
                already_there: true,
            });
        }
        let body = tracking_body(request);
        let path = trackings_path(order);
        let (writer, path, body) = (&self.http().without_retries(), path.as_str(), &body);
        write_then_confirm(
            self.http().policy(),
            move || async move {
                let reply = writer
                    .send(self.call(Method::POST, path, Some(body)))
                    .await
                    .map_err(|e| write_scope(order_missing(e, request), WRITE_SCOPE))?;
                json::<WooTracking>(&reply, "the new tracking item").map(|item| item.tracking_id)
            },
            move || async move {
                let items = self.tracking_items(order, request).await?;
                Ok(find_item(&items.unwrap_or_default(), request))
            },
        )
        .await
    }

    async fn push_note(
        &self,
        order: u64,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        let pushed = match self.find_note(order, request).await? {
            Some(id) => PushedFulfillment {
                id,
                already_there: true,
            },
            None => {
                let body = json!({ "note": note_text(request), "customer_note": true });
                let path = notes_path(order);
                let (writer, path, body) = (&self.http().without_retries(), path.as_str(), &body);
                write_then_confirm(
                    self.http().policy(),
                    move || async move {
                        let reply = writer
                            .send(self.call(Method::POST, path, Some(body)))
                            .await
                            .map_err(|e| write_scope(order_missing(e, request), WRITE_SCOPE))?;
                        json::<WooNote>(&reply, "the new order note")
                            .map(|note| note.id.to_string())
                    },
                    move || async move { self.find_note(order, request).await },
                )
                .await?
            }
        };
        if request.completes_order {
            self.complete(order, request).await?;
        }
        Ok(pushed)
    }

    /// The id of a note (customer or internal) that already holds the tracking number.
    async fn find_note(
        &self,
        order: u64,
        request: &FulfillmentRequest,
    ) -> Result<Option<String>, ChannelError> {
        let path = notes_path(order);
        let reply = self
            .http()
            .send(self.call(Method::GET, &path, None))
            .await
            .map_err(|e| order_missing(e, request))?;
        let notes: Vec<WooNote> = json(&reply, "the order notes")?;
        let number = request.tracking_number.trim().to_uppercase();
        Ok(notes
            .iter()
            .find(|note| !number.is_empty() && note.note.to_uppercase().contains(&number))
            .map(|note| note.id.to_string()))
    }

    /// Status `completed`, from an open status; a completed order is left as it is, and so is a
    /// cancelled, refunded or failed one (the store's word stands).
    async fn complete(&self, order: u64, request: &FulfillmentRequest) -> Result<(), ChannelError> {
        let path = order_path(order);
        let reply = self
            .http()
            .send(self.call(Method::GET, &path, None))
            .await
            .map_err(|e| order_missing(e, request))?;
        let current: WooOrderStatus = json(&reply, "the order")?;
        match current.status.as_str() {
            "processing" | "on-hold" | "pending" => {
                // Setting a status is idempotent: the usual retries are safe here.
                let body = json!({ "status": "completed" });
                self.http()
                    .send(self.call(Method::PUT, &path, Some(&body)))
                    .await
                    .map_err(|e| write_scope(order_missing(e, request), WRITE_SCOPE))?;
            }
            "completed" => {}
            other => tracing::warn!(
                order = %request.order_number,
                status = other,
                "the store's order is not open; tracking noted, status left as it is"
            ),
        }
        Ok(())
    }
}

/// A predefined provider (the extension builds the link), or a custom one with our link.
pub(super) fn tracking_body(request: &FulfillmentRequest) -> Value {
    let number = request.tracking_number.trim();
    match provider(&request.carrier) {
        Some(provider) => json!({ "tracking_provider": provider, "tracking_number": number }),
        None => {
            let mut body = json!({
                "custom_tracking_provider": request.carrier.trim(),
                "tracking_number": number,
            });
            let link = crate::fields::tracking_link(request.tracking_url.as_deref());
            if let (Some(fields), Some(url)) = (body.as_object_mut(), link) {
                fields.insert("custom_tracking_link".into(), json!(url));
            }
            body
        }
    }
}

pub(super) fn note_text(request: &FulfillmentRequest) -> String {
    let mut text = format!(
        "Your order has shipped: {} {}",
        request.carrier.trim(),
        request.tracking_number.trim()
    );
    if let Some(url) = crate::fields::tracking_link(request.tracking_url.as_deref()) {
        text.push(' ');
        text.push_str(&url);
    }
    text
}

fn find_item(items: &[WooTracking], request: &FulfillmentRequest) -> Option<String> {
    items
        .iter()
        .find(|item| same_tracking(&item.tracking_number, &request.tracking_number))
        .map(|item| item.tracking_id.clone())
}

fn wp_code(reply: &Reply) -> Option<String> {
    serde_json::from_slice::<WpError>(&reply.body)
        .ok()
        .map(|error| error.code)
}

fn json<T: DeserializeOwned>(reply: &Reply, what: &str) -> Result<T, ChannelError> {
    serde_json::from_slice(&reply.body).map_err(|e| ChannelError::Protocol {
        detail: format!("{what} from {} could not be read: {e}", reply.path),
    })
}
