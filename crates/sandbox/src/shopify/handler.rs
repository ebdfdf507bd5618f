//! `POST /admin/api/{version}/graphql.json`: token check, parse and validate, charge the cost
//! bucket (or refuse with `MAX_COST_EXCEEDED` / `THROTTLED`), run, refund the unused points,
//! and answer with `extensions.cost` like Shopify.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::bucket::Refusal;
use super::error_response;
use super::graphql::document::{GraphqlRequest, Prepared};
use super::graphql::error::GraphqlError;
use super::graphql::project::execute;
use super::graphql::validate::validate;
use super::resolvers::{Root, Scopes};
use crate::credentials::{
    SHOPIFY_TOKEN, SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES, SHOPIFY_TOKEN_NO_ORDERS_SCOPE,
};
use crate::state::{lock, StoreState};
use crate::stats::StatsCounters;

const TOKEN_HEADER: &str = "x-shopify-access-token";

pub(crate) async fn graphql(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let scopes = match headers
        .get(TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
    {
        Some(SHOPIFY_TOKEN) => Scopes::All,
        Some(SHOPIFY_TOKEN_NO_ORDERS_SCOPE) => Scopes::WithoutReadOrders,
        Some(SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES) => Scopes::WithoutFulfillments,
        _ => {
            return error_response(
                StatusCode::UNAUTHORIZED,
                "[API] Invalid API key or access token (unrecognized login or wrong password)",
            )
        }
    };
    let request: GraphqlRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            let problem = format!("Required parameter missing or invalid: {error}");
            let body = json!({ "errors": { "query": problem } });
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    };
    let prepared = match Prepared::new(request) {
        Ok(prepared) => prepared,
        Err(errors) => return Json(json!({ "errors": errors })).into_response(),
    };
    let requested = match validate(&prepared) {
        Ok(cost) => cost,
        Err(errors) => return Json(json!({ "errors": errors })).into_response(),
    };

    let taken = lock(&state.cost_bucket).take(requested);
    if let Err(refusal) = taken {
        return refuse(&state, refusal, requested);
    }
    let mut root = Root {
        state: &state,
        scopes,
        served: 0,
        search: Vec::new(),
        lose_answer: false,
    };
    let execution = execute(&prepared, &mut root);
    let (served, search) = (root.served, root.search);
    if root.lose_answer {
        let mut lost = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        lost.extensions_mut().insert(crate::server::DropConnection);
        return lost;
    }
    let actual = execution.actual_cost.min(requested);
    let throttle_status = {
        let mut bucket = lock(&state.cost_bucket);
        bucket.refund(requested - actual);
        bucket.throttle_status()
    };
    StatsCounters::add(&state.stats.orders_served, served);
    StatsCounters::add(&state.stats.cost_points_consumed, actual);

    let mut extensions = Map::new();
    extensions.insert(
        "cost".to_owned(),
        json!({
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": throttle_status,
        }),
    );
    if !search.is_empty() {
        extensions.insert("search".to_owned(), Value::Array(search));
    }
    let mut answer = Map::new();
    if !execution.errors.is_empty() {
        answer.insert("errors".to_owned(), json!(execution.errors));
    }
    answer.insert("data".to_owned(), execution.data);
    answer.insert("extensions".to_owned(), Value::Object(extensions));
    Json(Value::Object(answer)).into_response()
}

/// The cost answers: HTTP 200 with a GraphQL error (or 429 for throttles when the faults say
/// so), `actualQueryCost` null since nothing ran.
fn refuse(state: &StoreState, refusal: Refusal, requested: u64) -> Response {
    let (throttle_status, max_cost) = {
        let mut bucket = lock(&state.cost_bucket);
        (bucket.throttle_status(), bucket.maximum())
    };
    let (error, status, retry_after) = match refusal {
        Refusal::MaxCostExceeded => {
            StatsCounters::bump(&state.stats.max_cost_exceeded);
            let error = GraphqlError::new(format!(
                "Query cost is {requested}, which exceeds the single query max cost limit \
                 ({max_cost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for \
                 more information on how the\ncost of a query is calculated.\n\nTo query larger \
                 amounts of data with fewer limits, bulk operations should be used instead.\nSee \
                 https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage \
                 details.\n"
            ))
            .code("MAX_COST_EXCEEDED")
            .extension("cost", requested)
            .extension("maxCost", max_cost);
            (error, StatusCode::OK, None)
        }
        Refusal::Throttled { wait_secs } => {
            StatsCounters::bump(&state.stats.throttled);
            let error = GraphqlError::new("Throttled")
                .code("THROTTLED")
                .extension("documentation", "https://shopify.dev/api/usage/rate-limits");
            let status = if state.faults().throttled_as_429 {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::OK
            };
            // Whole seconds until the query fits, at least one.
            let wait = if wait_secs.is_finite() {
                wait_secs.ceil().max(1.0) as u64
            } else {
                60
            };
            (error, status, Some(wait))
        }
    };
    let body = json!({
        "errors": [error],
        "extensions": { "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": null,
            "throttleStatus": throttle_status,
        }},
    });
    let mut response = (status, Json(body)).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
