//! `PUT /v2/orders/{id}`: the order edit the sandbox can hold, which is the status to Cancelled
//! (`status_id` 5), as a client cancels an order. Any other field, or status, is refused with a
//! 400 rather than silently dropped. A shipped order is not cancelled: BigCommerce's admin would
//! take it, but the sandbox holds the line a dealer's store should, and says so.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

use super::order_json::{items_shipped, order_object, STATUS_CANCELLED};
use super::orders::refuse;
use super::{base_url, error_response, not_found_response};
use crate::error::SandboxError;
use crate::server::DropConnection;
use crate::state::StoreState;

pub(crate) async fn update_order(
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
    let fields: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(fields) => fields,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "The request body is not a valid JSON object.",
            )
        }
    };
    if let Some(field) = fields.keys().find(|key| key.as_str() != "status_id") {
        let message =
            format!("The sandbox store only changes an order's status_id, not '{field}'.");
        return error_response(StatusCode::BAD_REQUEST, &message);
    }
    let Some(wanted) = fields.get("status_id").and_then(Value::as_u64) else {
        return error_response(StatusCode::BAD_REQUEST, "The field 'status_id' is invalid.");
    };
    if wanted != STATUS_CANCELLED.0 {
        let message = format!(
            "The sandbox store can only cancel an order (status_id {}), not set status_id \
             {wanted}.",
            STATUS_CANCELLED.0
        );
        return error_response(StatusCode::BAD_REQUEST, &message);
    }
    state.count_api_cancel();
    let Some(current) = state.read(|book| book.get(id).cloned()) else {
        return not_found_response();
    };
    if items_shipped(&current) > 0 && !current.is_cancelled() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "The order has shipped items; the sandbox store does not cancel it.",
        );
    }
    let order = match state.cancel_through_api(id, "api".into()) {
        Ok(order) => {
            if state.take_lost_answer() {
                let mut lost = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                lost.extensions_mut().insert(DropConnection);
                return lost;
            }
            order
        }
        // Setting the status it already has changes nothing, as on BigCommerce.
        Err(SandboxError::AlreadyCancelled(_)) => current,
        Err(_) => return not_found_response(),
    };
    Json(order_object(&order, &base_url(&state.origin))).into_response()
}
