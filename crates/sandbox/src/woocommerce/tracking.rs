//! The WooCommerce Shipment Tracking extension's REST API, namespace `wc-shipment-tracking/v3`:
//! `GET|POST /orders/<order_id>/shipment-trackings`, `GET …/shipment-trackings/<tracking_id>`
//! and `GET /shipment-trackings/providers`. Items have the extension's documented shape
//! (`tracking_id`, `tracking_provider`, `custom_tracking_provider`, `custom_tracking_link`,
//! `tracking_number`, `date_shipped`, `tracking_link`).
//!
//! Tracking names no lines, so each item is recorded as a fulfillment of every unit still
//! unshipped (possibly none). With the extension switched off (`SandboxStore::
//! set_shipment_tracking(false)`) every route here answers 404 `rest_no_route`, as a store
//! without the plugin does.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};

use super::auth::is_authorized;
use super::providers::{self, PROVIDERS};
use super::request::{
    answer_or_lose, invalid_order_id, json_body, missing_param, refused, string_param, Body,
    WpError,
};
use super::{error_response, no_route, site_offset};
use crate::model::{NewFulfillment, SandboxFulfillment, SandboxOrder};
use crate::state::StoreState;

type Params = Vec<(String, String)>;

pub(crate) const NAMESPACE: &str = "wc-shipment-tracking/v3";

/// What a tracking item was created with, kept in the fulfillment's `details`.
const PROVIDER: &str = "tracking_provider";
const CUSTOM_PROVIDER: &str = "custom_tracking_provider";
const CUSTOM_LINK: &str = "custom_tracking_link";
const DATE_SHIPPED: &str = "date_shipped";

pub(crate) async fn list_trackings(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let Some(id) = installed_route(&state, &id) else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        );
    }
    let items = state.read(|book| {
        book.get(id).map(|order| {
            order
                .fulfillments
                .iter()
                .map(|fulfillment| item_object(order, fulfillment, &state.origin))
                .collect::<Vec<Value>>()
        })
    });
    match items {
        Some(items) => Json(Value::Array(items)).into_response(),
        None => invalid_order_id(),
    }
}

pub(crate) async fn get_tracking(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path((id, tracking_id)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Response {
    let Some(id) = installed_route(&state, &id) else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot view this resource.",
        );
    }
    let found = state.read(|book| {
        book.get(id).map(|order| {
            order
                .fulfillments
                .iter()
                .find(|fulfillment| tracking_id_of(fulfillment) == tracking_id)
                .map(|fulfillment| item_object(order, fulfillment, &state.origin))
        })
    });
    match found {
        None => invalid_order_id(),
        Some(None) => error_response(
            StatusCode::NOT_FOUND,
            "woocommerce_shipment_tracking_invalid_id",
            "Invalid tracking ID.",
        ),
        Some(Some(item)) => Json(item).into_response(),
    }
}

pub(crate) async fn create_tracking(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    body: Bytes,
) -> Response {
    let Some(id) = installed_route(&state, &id) else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_create",
            "Sorry, you are not allowed to create resources.",
        );
    }
    let sent = match json_body(&body).and_then(|body| Sent::read(&body)) {
        Ok(sent) => sent,
        Err(invalid) => return invalid.into_response(),
    };
    let Some(order) = state.read(|book| book.get(id).cloned()) else {
        return invalid_order_id();
    };
    let formatted = formatted(&order, &sent.details, &sent.tracking_number);
    // A provider the extension does not know shows as nothing; the record keeps what was sent.
    let carrier = if formatted.provider.is_empty() {
        sent.details.get(PROVIDER).cloned().unwrap_or_default()
    } else {
        formatted.provider
    };
    let new = NewFulfillment {
        tracking_number: sent.tracking_number,
        carrier,
        tracking_url: Some(formatted.link).filter(|link| !link.is_empty()),
        lines: Vec::new(),
    };
    match state.fulfill_remaining(id, new, sent.details) {
        Ok((order, fulfillment)) => {
            let location = format!(
                "{}/shipment-trackings/{}",
                orders_url(&state.origin, order.id),
                tracking_id_of(&fulfillment)
            );
            let mut response = (
                StatusCode::CREATED,
                Json(item_object(&order, &fulfillment, &state.origin)),
            )
                .into_response();
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            answer_or_lose(&state, response)
        }
        Err(failure) => refused(&failure),
    }
}

/// `GET /wp-json/wc-shipment-tracking/v3/shipment-trackings/providers`: public, as in the
/// extension.
pub(crate) async fn list_providers(State(state): State<Arc<StoreState>>) -> Response {
    if !state.shipment_tracking() {
        return no_route().await;
    }
    let groups: Map<String, Value> = PROVIDERS
        .iter()
        .map(|(group, providers)| {
            let providers: Map<String, Value> = providers
                .iter()
                .map(|(name, format)| ((*name).to_owned(), json!(format)))
                .collect();
            ((*group).to_owned(), Value::Object(providers))
        })
        .collect();
    Json(Value::Object(groups)).into_response()
}

/// The order id of a shipment-tracking route, if the extension is installed and the id is
/// numeric (else the route does not exist).
fn installed_route(state: &StoreState, id: &str) -> Option<u64> {
    state
        .shipment_tracking()
        .then(|| id.parse::<u64>().ok())
        .flatten()
}

/// A create request, checked.
struct Sent {
    tracking_number: String,
    /// `tracking_provider`, `custom_tracking_provider`, `custom_tracking_link` and
    /// `date_shipped` as the item keeps them.
    details: BTreeMap<String, String>,
}

impl Sent {
    fn read(body: &Body) -> Result<Sent, WpError> {
        let tracking_number = match string_param(body, "tracking_number")? {
            Some(number) if !number.trim().is_empty() => number.trim().to_owned(),
            _ => return Err(missing_param("tracking_number")),
        };
        let mut details = BTreeMap::new();
        for name in [PROVIDER, CUSTOM_PROVIDER, CUSTOM_LINK] {
            let value = string_param(body, name)?.unwrap_or_default();
            details.insert(name.to_owned(), value.trim().to_owned());
        }
        let date_shipped = match body.get(DATE_SHIPPED) {
            Some(Value::String(text)) => shipped_on(text),
            Some(Value::Number(stamp)) => stamp
                .as_i64()
                .and_then(|stamp| DateTime::from_timestamp(stamp, 0)),
            _ => None,
        }
        // As the extension: an unreadable or missing date is "now".
        .unwrap_or_else(Utc::now);
        details.insert(
            DATE_SHIPPED.to_owned(),
            date_shipped
                .with_timezone(&site_offset())
                .format("%Y-%m-%d")
                .to_string(),
        );
        Ok(Sent {
            tracking_number,
            details,
        })
    }
}

/// `2026-07-10`, `2026-07-10 12:00:00` or a timestamp in a string: the day, at noon in the
/// site's zone so it prints as the same day there.
fn shipped_on(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(stamp) = text.parse::<i64>() {
        return DateTime::from_timestamp(stamp, 0);
    }
    let day = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    day.and_hms_opt(12, 0, 0)?
        .and_local_timezone(site_offset())
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// The provider name and link the extension shows for an item.
struct Formatted {
    provider: String,
    link: String,
}

/// As the extension's `get_formatted_tracking_item`: a custom provider with its own link, else
/// the predefined provider's name and filled-in link, else nothing.
fn formatted(order: &SandboxOrder, details: &BTreeMap<String, String>, number: &str) -> Formatted {
    let get = |name: &str| details.get(name).map(String::as_str).unwrap_or_default();
    let ship_to = &order.ship_to;
    let fill = |format: &str| providers::fill(format, number, &ship_to.zip, &ship_to.country_code);
    if !get(CUSTOM_PROVIDER).is_empty() {
        return Formatted {
            provider: get(CUSTOM_PROVIDER).to_owned(),
            link: fill(get(CUSTOM_LINK)),
        };
    }
    match providers::find(get(PROVIDER)) {
        Some((name, format)) => Formatted {
            provider: name.to_owned(),
            link: fill(format),
        },
        None => Formatted {
            provider: String::new(),
            link: String::new(),
        },
    }
}

fn item_object(order: &SandboxOrder, fulfillment: &SandboxFulfillment, origin: &str) -> Value {
    let details = if fulfillment.details.contains_key(DATE_SHIPPED) {
        fulfillment.details.clone()
    } else {
        // Recorded some other way (the sandbox's own API): shown as a custom provider.
        BTreeMap::from([
            (PROVIDER.to_owned(), String::new()),
            (CUSTOM_PROVIDER.to_owned(), fulfillment.carrier.clone()),
            (
                CUSTOM_LINK.to_owned(),
                fulfillment.tracking_url.clone().unwrap_or_default(),
            ),
            (
                DATE_SHIPPED.to_owned(),
                fulfillment
                    .created_at
                    .with_timezone(&site_offset())
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
        ])
    };
    let get = |name: &str| details.get(name).cloned().unwrap_or_default();
    let shown = formatted(order, &details, &fulfillment.tracking_number);
    let tracking_id = tracking_id_of(fulfillment);
    let collection = format!("{}/shipment-trackings", orders_url(origin, order.id));
    json!({
        "tracking_id": tracking_id,
        "tracking_provider": shown.provider,
        "custom_tracking_provider": get(CUSTOM_PROVIDER),
        "custom_tracking_link": get(CUSTOM_LINK),
        "tracking_number": fulfillment.tracking_number,
        "date_shipped": get(DATE_SHIPPED),
        "tracking_link": shown.link,
        "_links": {
            "self": [{ "href": format!("{collection}/{tracking_id}") }],
            "collection": [{ "href": collection }],
            "up": [{ "href": format!("{origin}/wp-json/wc/v3/orders/{}", order.id) }],
        },
    })
}

fn orders_url(origin: &str, order_id: u64) -> String {
    format!("{origin}/wp-json/{NAMESPACE}/orders/{order_id}")
}

/// The extension's ids are 32 hex digits (an md5); the sandbox derives them from the
/// fulfillment so nothing more is stored.
fn tracking_id_of(fulfillment: &SandboxFulfillment) -> String {
    let half = |salt: &str| {
        format!("{salt}-{}", fulfillment.id)
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            })
    };
    format!("{:016x}{:016x}", half("tracking"), half("item"))
}
