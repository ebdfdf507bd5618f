//! Order shipments (`/v2/orders/{order_id}/shipments`, the spec's "Order Shipments"): list
//! (`page`/`limit`, 204 when there are none), count, one, and create. A created shipment is a
//! fulfillment of the items it names, which moves the order to Partially Shipped (3) or
//! Shipped (2). Refusals are 400s in BigCommerce's shape, naming the field: "The required field
//! 'items' was not supplied.", "The field 'quantity' is invalid." (with `details.invalid_reason`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::carriers;
use super::order_json::{billing_address, product_id, shipment_address};
use super::orders::refuse;
use super::{error_response, not_found_response};
use crate::dates::rfc2822;
use crate::error::SandboxError;
use crate::ids;
use crate::model::{
    NewFulfillment, SandboxFulfilledLine, SandboxFulfillment, SandboxOrder, StoreKind,
};
use crate::server::DropConnection;
use crate::state::StoreState;

type Params = Vec<(String, String)>;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 250;
/// The spec's `maxLength`s.
const MAX_TRACKING_NUMBER: usize = 50;
const MAX_TRACKING_LINK: usize = 500;
const MAX_COMMENTS: usize = 65_535;

/// The POST fields kept in the fulfillment's `details` and printed back.
const TEXT_FIELDS: [&str; 5] = [
    "shipping_provider",
    "tracking_carrier",
    "shipping_method",
    "comments",
    "merchant_shipping_cost",
];

pub(crate) async fn list_shipments(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    let get = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    };
    let number = |name: &'static str, default: usize| {
        get(name).map_or(Ok(default), |text| text.parse::<usize>().map_err(|_| name))
    };
    let (page, limit) = match (number("page", 1), number("limit", DEFAULT_LIMIT)) {
        (Ok(page), Ok(limit)) => (page, limit),
        (Err(name), _) | (_, Err(name)) => {
            let message = format!("The field '{name}' is invalid.");
            return error_response(StatusCode::BAD_REQUEST, &message);
        }
    };
    let (page, limit) = (page.max(1), limit.clamp(1, MAX_LIMIT));
    let Some(shipments) = with_order(&state, &id, |order| {
        order
            .fulfillments
            .iter()
            .skip((page - 1) * limit)
            .take(limit)
            .map(|fulfillment| shipment_object(order, fulfillment))
            .collect::<Vec<Value>>()
    }) else {
        return not_found_response();
    };
    if shipments.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    Json(Value::Array(shipments)).into_response()
}

pub(crate) async fn count_shipments(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    match with_order(&state, &id, |order| order.fulfillments.len()) {
        Some(count) => Json(json!({ "count": count })).into_response(),
        None => not_found_response(),
    }
}

pub(crate) async fn get_shipment(
    State(state): State<Arc<StoreState>>,
    Path((hash, id, shipment_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    let found = with_order(&state, &id, |order| {
        order
            .fulfillments
            .iter()
            .find(|fulfillment| fulfillment.id.to_string() == shipment_id)
            .map(|fulfillment| shipment_object(order, fulfillment))
    });
    match found.flatten() {
        Some(shipment) => Json(shipment).into_response(),
        None => not_found_response(),
    }
}

pub(crate) async fn create_shipment(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    let Ok(id) = id.parse::<u64>() else {
        return not_found_response();
    };
    let Some(order) = state.read(|book| book.get(id).cloned()) else {
        return not_found_response();
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "The request body is not a JSON object.",
        );
    };
    let (new, details) = match read_shipment(&order, &body) {
        Ok(read) => read,
        Err(refusal) => return refusal.into_response(),
    };
    match state.fulfill_with(id, new, details) {
        Ok((order, fulfillment)) => {
            let response = (
                StatusCode::CREATED,
                Json(shipment_object(&order, &fulfillment)),
            )
                .into_response();
            if state.take_lost_answer() {
                let mut lost = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                lost.extensions_mut().insert(DropConnection);
                return lost;
            }
            response
        }
        Err(SandboxError::AlreadyCancelled(_)) => {
            invalid_field("order_id", "The order is cancelled; it cannot be shipped.")
                .into_response()
        }
        Err(SandboxError::OrderNotFound(_)) => not_found_response(),
        Err(SandboxError::InvalidFulfillment(reason)) => {
            invalid_field("items", &reason).into_response()
        }
        Err(other) => error_response(StatusCode::INTERNAL_SERVER_ERROR, &other.to_string()),
    }
}

/// Checks a POST body against the order: the fulfillment to record and the fields to keep.
fn read_shipment(
    order: &SandboxOrder,
    body: &Map<String, Value>,
) -> Result<(NewFulfillment, BTreeMap<String, String>), Refusal> {
    let address_id = match body.get("order_address_id") {
        None | Some(Value::Null) => return Err(required("order_address_id")),
        Some(value) => value
            .as_u64()
            .ok_or_else(|| invalid_field("order_address_id", "It must be an integer."))?,
    };
    if address_id != ids::address_id(StoreKind::Bigcommerce, order.number) {
        return Err(invalid_field(
            "order_address_id",
            &format!("Order {} has no shipping address {address_id}.", order.id),
        ));
    }
    let text = |name: &str, max: usize| -> Result<String, Refusal> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(text)) if text.chars().count() <= max => Ok(text.clone()),
            Some(Value::String(_)) => Err(invalid_field(
                name,
                &format!("It must be at most {max} characters long."),
            )),
            Some(_) => Err(invalid_field(name, "It must be a string.")),
        }
    };
    let tracking_number = text("tracking_number", MAX_TRACKING_NUMBER)?;
    let tracking_link = text("tracking_link", MAX_TRACKING_LINK)?;
    let mut details = BTreeMap::new();
    for name in TEXT_FIELDS {
        let max = if name == "comments" {
            MAX_COMMENTS
        } else {
            MAX_TRACKING_LINK
        };
        details.insert(name.to_owned(), text(name, max)?);
    }
    let carrier = details.get("tracking_carrier").cloned().unwrap_or_default();
    if !carriers::is_tracking_carrier(&carrier) {
        return Err(invalid_field(
            "tracking_carrier",
            &format!("{carrier:?} is not one of the tracking carriers (AfterShip courier slugs)."),
        ));
    }
    let lines = read_items(order, body.get("items"))?;
    let detail = |name: &str| details.get(name).cloned().unwrap_or_default();
    let new = NewFulfillment {
        tracking_number,
        carrier: carriers::carrier_name(
            &carrier,
            &detail("shipping_provider"),
            &detail("shipping_method"),
        ),
        tracking_url: Some(tracking_link).filter(|link| !link.is_empty()),
        lines,
    };
    Ok((new, details))
}

/// `items: [{order_product_id, quantity}]`, as lines of the order, each within what is left to
/// ship (an order product named twice counts twice).
fn read_items(
    order: &SandboxOrder,
    items: Option<&Value>,
) -> Result<Vec<SandboxFulfilledLine>, Refusal> {
    let items = match items {
        None | Some(Value::Null) => return Err(required("items")),
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(_) => return Err(invalid_field("items", "It must be a non-empty array.")),
    };
    let mut wanted: BTreeMap<usize, u32> = BTreeMap::new();
    for item in items {
        let number = |name: &str| item.get(name).and_then(Value::as_u64);
        let Some(product) = number("order_product_id") else {
            return Err(required("order_product_id"));
        };
        let Some(quantity) = number("quantity") else {
            return Err(required("quantity"));
        };
        let position = (0..order.lines.len())
            .find(|index| ids::line_id(StoreKind::Bigcommerce, order.number, *index) == product)
            .ok_or_else(|| {
                invalid_field(
                    "order_product_id",
                    &format!("Order {} has no order product {product}.", order.id),
                )
            })?;
        let quantity = u32::try_from(quantity).unwrap_or(u32::MAX);
        let total = wanted.entry(position).or_default();
        *total = total.saturating_add(quantity);
        let left = order.unfulfilled(position);
        if quantity == 0 || *total > left {
            return Err(invalid_field(
                "quantity",
                &format!("Order product {product} has {left} left to ship; {total} asked."),
            ));
        }
    }
    Ok(wanted
        .into_iter()
        .map(|(position, quantity)| SandboxFulfilledLine { position, quantity })
        .collect())
}

fn with_order<T>(state: &StoreState, id: &str, read: impl FnOnce(&SandboxOrder) -> T) -> Option<T> {
    let id = id.parse::<u64>().ok()?;
    state.read(|book| book.get(id).map(read))
}

/// A shipment as the spec's `orderShipment`.
fn shipment_object(order: &SandboxOrder, fulfillment: &SandboxFulfillment) -> Value {
    let detail = |name: &str| fulfillment.details.get(name).cloned();
    let provider = detail("shipping_provider").unwrap_or_default();
    // A shipment recorded without the API's fields (the sandbox's own `fulfill`): its carrier
    // as the tracking carrier when it is a slug.
    let tracking_carrier = detail("tracking_carrier").unwrap_or_else(|| {
        let slug = fulfillment.carrier.to_ascii_lowercase();
        if carriers::is_tracking_carrier(&slug) {
            slug
        } else {
            String::new()
        }
    });
    let custom_link = fulfillment.tracking_url.clone().unwrap_or_default();
    let items: Vec<Value> = fulfillment
        .lines
        .iter()
        .map(|line| {
            json!({
                "order_product_id":
                    ids::line_id(StoreKind::Bigcommerce, order.number, line.position),
                "product_id": product_id(order, line.position),
                "quantity": line.quantity,
            })
        })
        .collect();
    json!({
        "id": fulfillment.id,
        "order_id": order.id,
        "customer_id": 0,
        "order_address_id": ids::address_id(StoreKind::Bigcommerce, order.number),
        "date_created": rfc2822(fulfillment.created_at),
        "tracking_number": fulfillment.tracking_number,
        "merchant_shipping_cost": detail("merchant_shipping_cost")
            .filter(|cost| !cost.is_empty())
            .unwrap_or_else(|| "0.0000".to_owned()),
        "shipping_method": detail("shipping_method")
            .filter(|method| !method.is_empty())
            .unwrap_or_else(|| "None".to_owned()),
        "comments": detail("comments").unwrap_or_default(),
        "shipping_provider": provider,
        "tracking_carrier": tracking_carrier,
        "tracking_link": custom_link,
        "billing_address": billing_address(order),
        "shipping_address": shipment_address(order),
        "items": items,
        "shipping_provider_display_name": carriers::provider_display_name(&provider),
        "generated_tracking_link": carriers::generated_link(
            &tracking_carrier,
            &provider,
            &custom_link,
            &fulfillment.tracking_number,
        ),
    })
}

/// A 400 in BigCommerce's shape, `[{status, message, details?: {invalid_reason}}]`; small, so
/// the checks can return it in a `Result`.
#[derive(Debug)]
struct Refusal {
    message: String,
    reason: Option<String>,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut error = json!({ "status": 400, "message": self.message });
        if let (Some(fields), Some(reason)) = (error.as_object_mut(), self.reason) {
            fields.insert("details".to_owned(), json!({ "invalid_reason": reason }));
        }
        (StatusCode::BAD_REQUEST, Json(json!([error]))).into_response()
    }
}

fn required(name: &str) -> Refusal {
    Refusal {
        message: format!("The required field '{name}' was not supplied."),
        reason: None,
    }
}

fn invalid_field(name: &str, reason: &str) -> Refusal {
    Refusal {
        message: format!("The field '{name}' is invalid."),
        reason: Some(reason.to_owned()),
    }
}
