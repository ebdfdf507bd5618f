//! `PUT|POST|PATCH /wp-json/wc/v3/orders/<id>`: the order edits the sandbox can hold, which is
//! the status (`completed`, `cancelled`). Completing sets `date_completed` and, as WooCommerce
//! does, adds the internal note "Order status changed from Processing to Completed.". Anything
//! else the API would change is refused with `woocommerce_sandbox_unsupported` rather than
//! silently dropped.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::auth::is_authorized;
use super::order_json::{order_object, status};
use super::request::{
    answer_or_lose, invalid_param, json_body, refused, string_param, unsupported, WpError,
};
use super::{error_response, no_route};
use crate::state::StoreState;

type Params = Vec<(String, String)>;

/// The statuses `wc/v3` accepts (the route index's enum).
const STATUSES: [&str; 7] = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
];

pub(crate) async fn update_order(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    body: Bytes,
) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_edit",
            "Sorry, you are not allowed to edit this resource.",
        );
    }
    let wanted = match wanted_status(&body) {
        Ok(Ok(wanted)) => wanted,
        Ok(Err(field)) => {
            return unsupported(&format!(
                "The sandbox store only changes an order's status through the API, not {field}."
            ))
        }
        Err(invalid) => return invalid.into_response(),
    };
    let Some(current) = state.read(|book| book.get(id).cloned()) else {
        return error_response(
            StatusCode::NOT_FOUND,
            "woocommerce_rest_shop_order_invalid_id",
            "Invalid ID.",
        );
    };
    let from = status(&current);
    if wanted.as_deref() == Some("cancelled") {
        state.count_api_cancel();
    }
    let changed = match wanted.as_deref() {
        None => Ok(current),
        Some(to) if to == from => Ok(current),
        Some("completed") => state.complete(id).and_then(|_| {
            let note = format!(
                "Order status changed from {} to Completed.",
                capitalized(from)
            );
            state.add_note(id, note, false).map(|(order, _)| order)
        }),
        Some("cancelled") => state.cancel_through_api(id, "api".into()),
        Some(to) => {
            return unsupported(&format!(
                "The sandbox store cannot move an order from {from} to {to}; it keeps \
                 processing, completed and cancelled orders."
            ))
        }
    };
    match changed {
        Ok(order) => answer_or_lose(
            &state,
            Json(order_object(&order, &state.origin)).into_response(),
        ),
        Err(failure) => refused(&failure),
    }
}

/// The status asked for, or the first field the sandbox cannot change.
fn wanted_status(body: &[u8]) -> Result<Result<Option<String>, String>, WpError> {
    let body = json_body(body)?;
    if let Some(field) = body
        .keys()
        .find(|key| !matches!(key.as_str(), "status" | "id"))
    {
        return Ok(Err(field.clone()));
    }
    let wanted = string_param(&body, "status")?;
    if let Some(wanted) = &wanted {
        if !STATUSES.contains(&wanted.as_str()) {
            return Err(invalid_param(
                "status",
                "status is not one of pending, processing, on-hold, completed, cancelled, \
                 refunded, and failed.",
            ));
        }
    }
    Ok(Ok(wanted))
}

fn capitalized(status: &str) -> String {
    let mut chars = status.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
