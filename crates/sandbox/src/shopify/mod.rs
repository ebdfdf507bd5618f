//! The Shopify store: Admin GraphQL API 2025-01 at `POST /admin/api/2025-01/graphql.json`,
//! authenticated with `X-Shopify-Access-Token`, rate-limited by calculated query cost. Orders
//! are read with `orders`/`order` (their fulfillment orders and fulfillments included) and
//! tracking is written back with the `fulfillmentCreate` mutation.

mod bucket;
mod fulfillment_create;
mod fulfillment_json;
mod graphql;
mod handler;
mod order_json;
mod orders_query;
mod resolvers;
mod search;
mod shop_json;
#[cfg(test)]
mod tests;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

pub(crate) use bucket::CostBucket;
pub use bucket::ShopifyBucket;

use crate::state::StoreState;

pub(crate) const GRAPHQL_PATH: &str = "/admin/api/2025-01/graphql.json";

pub(crate) fn router() -> Router<std::sync::Arc<StoreState>> {
    Router::new()
        .route(GRAPHQL_PATH, post(handler::graphql))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "Not Found")
}

/// Shopify's non-GraphQL error shape: `{"errors": "<message>"}`.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "errors": message }))).into_response()
}
