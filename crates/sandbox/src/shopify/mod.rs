//! The Shopify store: Admin GraphQL API [`API_VERSION`] at
//! `POST /admin/api/{API_VERSION}/graphql.json`, answering with that version in
//! `X-Shopify-API-Version` as Shopify does; authenticated with `X-Shopify-Access-Token`, rate-limited by calculated query cost. Orders
//! are read with `orders`/`order` (their fulfillment orders and fulfillments included) and
//! tracking is written back with the `fulfillmentCreate` mutation.

#[cfg(test)]
pub(crate) mod admin_schema;
mod bucket;
mod fulfillment_create;
mod fulfillment_json;
mod graphql;
mod handler;
mod order_cancel;
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

/// The Admin API version as a literal, for `concat!`.
macro_rules! api_version {
    () => {
        "2026-07"
    };
}

/// The Admin API version the sandbox serves: the one the client asks for (the connectors' tests
/// check that they agree).
pub const API_VERSION: &str = api_version!();

pub(crate) const GRAPHQL_PATH: &str = concat!("/admin/api/", api_version!(), "/graphql.json");

/// The header in which Shopify names the version that served the request: the one asked for,
/// or, once that one is retired, the oldest still supported.
pub const VERSION_HEADER: &str = "x-shopify-api-version";

pub(crate) fn router() -> Router<std::sync::Arc<StoreState>> {
    Router::new()
        .route(
            GRAPHQL_PATH,
            post(handler::graphql).layer(axum::middleware::map_response(with_version)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}

async fn with_version(mut response: Response) -> Response {
    response.headers_mut().insert(
        VERSION_HEADER,
        axum::http::HeaderValue::from_static(API_VERSION),
    );
    response
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "Not Found")
}

/// Shopify's non-GraphQL error shape: `{"errors": "<message>"}`.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "errors": message }))).into_response()
}
