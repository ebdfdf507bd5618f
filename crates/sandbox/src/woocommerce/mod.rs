//! The WooCommerce store: the WordPress REST API under `/wp-json`, namespace `wc/v3`, HTTP Basic
//! auth with a consumer key and secret. Tracking goes back through the Shipment Tracking
//! extension's `wc-shipment-tracking/v3` (switchable, see `tracking`) or through order notes and
//! the order's status (`notes`, `update`). The site runs at a fixed UTC−5 so a client that reads
//! the local `date_*` fields instead of the `*_gmt` ones gets visibly wrong times.

mod admin;
mod auth;
mod index;
mod notes;
mod order_json;
mod orders;
mod providers;
mod request;
mod tracking;
mod update;

pub(crate) use admin::{get_plugins, put_plugins};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::FixedOffset;
use serde_json::json;

use crate::state::StoreState;

pub(crate) const SITE_NAME: &str = "Sandbox Store";
/// Hours east of UTC of the sandbox site (`gmt_offset`).
pub(crate) const GMT_OFFSET_HOURS: i32 = -5;

pub(crate) fn site_offset() -> FixedOffset {
    FixedOffset::east_opt(GMT_OFFSET_HOURS * 3600).unwrap_or_else(crate::dates::utc_offset)
}

pub(crate) fn router() -> Router<std::sync::Arc<StoreState>> {
    Router::new()
        .route("/wp-json", get(index::site_index))
        .route("/wp-json/", get(index::site_index))
        .route("/wp-json/wc/v3", get(index::wc_v3_index))
        .route("/wp-json/wc/v3/", get(index::wc_v3_index))
        .route("/wp-json/wc/v3/orders", get(orders::list_orders))
        .route(
            "/wp-json/wc/v3/orders/{id}",
            get(orders::get_order)
                .put(update::update_order)
                .post(update::update_order)
                .patch(update::update_order),
        )
        .route(
            "/wp-json/wc/v3/orders/{id}/notes",
            get(notes::list_notes).post(notes::add_note),
        )
        .route(
            "/wp-json/wc/v3/orders/{id}/notes/{note_id}",
            get(notes::get_note),
        )
        .route(
            "/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings",
            get(tracking::list_trackings).post(tracking::create_tracking),
        )
        .route(
            "/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings/{tracking_id}",
            get(tracking::get_tracking),
        )
        .route(
            "/wp-json/wc-shipment-tracking/v3/shipment-trackings/providers",
            get(tracking::list_providers),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
}

pub(crate) async fn no_route() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "rest_no_route",
        "No route was found matching the URL and request method.",
    )
}

/// The WordPress REST error shape: `{code, message, data: {status}}`.
pub(crate) fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "code": code, "message": message, "data": { "status": status.as_u16() } });
    (status, Json(body)).into_response()
}
