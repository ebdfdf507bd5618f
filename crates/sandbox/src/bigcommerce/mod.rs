//! The BigCommerce store: REST Orders v2 under `/stores/sandbox/v2`, authenticated with
//! `X-Auth-Token`, with BigCommerce's rate-limit headers on every answer. Tracking comes back
//! as order shipments (`shipments`), which move the order's status; a client cancels an order
//! with `PUT /v2/orders/{id}` and `status_id` 5 (`update`).

mod carriers;
mod order_json;
mod orders;
mod rate_limit;
mod shipments;
mod store_json;
mod update;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub(crate) use rate_limit::{rate_limit_headers, RateWindow};

use crate::state::StoreState;

/// The API base path: `/stores/{BIGCOMMERCE_STORE_HASH}`.
pub(crate) const BASE_PATH: &str = "/stores/sandbox";

pub(crate) fn base_url(origin: &str) -> String {
    format!("{origin}{BASE_PATH}")
}

pub(crate) fn router() -> Router<std::sync::Arc<StoreState>> {
    Router::new()
        .route("/stores/{hash}/v2/store", get(orders::store_info))
        .route("/stores/{hash}/v2/orders", get(orders::list_orders))
        .route(
            "/stores/{hash}/v2/orders/{id}",
            get(orders::get_order).put(update::update_order),
        )
        .route(
            "/stores/{hash}/v2/orders/{id}/products",
            get(orders::order_products),
        )
        .route(
            "/stores/{hash}/v2/orders/{id}/shipping_addresses",
            get(orders::order_shipping_addresses),
        )
        .route(
            "/stores/{hash}/v2/orders/{id}/shipments",
            get(shipments::list_shipments).post(shipments::create_shipment),
        )
        .route(
            "/stores/{hash}/v2/orders/{id}/shipments/count",
            get(shipments::count_shipments),
        )
        .route(
            "/stores/{hash}/v2/orders/{id}/shipments/{shipment_id}",
            get(shipments::get_shipment),
        )
        // The links BigCommerce itself puts in orders spell it without the underscore.
        .route(
            "/stores/{hash}/v2/orders/{id}/shippingaddresses",
            get(orders::order_shipping_addresses),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}

async fn not_found() -> Response {
    not_found_response()
}

pub(crate) fn not_found_response() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "The requested resource was not found.",
    )
}

/// BigCommerce v2's error shape: a list of `{status, message}`.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    let body = json!([{ "status": status.as_u16(), "message": message }]);
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn base_path_uses_the_store_hash() {
        let hash = crate::credentials::BIGCOMMERCE_STORE_HASH;
        assert_eq!(super::BASE_PATH, format!("/stores/{hash}"));
    }
}
