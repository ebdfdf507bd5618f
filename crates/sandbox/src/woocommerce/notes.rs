//! Order notes: `GET|POST /wp-json/wc/v3/orders/<order_id>/notes` and
//! `GET …/notes/<id>`, as WooCommerce's order notes controller answers. A `customer_note` is
//! the one the shopper sees (and is emailed); the others are for the shop's staff. Newest first.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::auth::is_authorized;
use super::request::{
    answer_or_lose, bool_param, invalid_order_id, invalid_param, json_body, missing_param, refused,
    string_param, WpError,
};
use super::{error_response, no_route, site_offset};
use crate::dates::{naive_seconds, utc_offset};
use crate::model::{SandboxNote, SandboxOrder};
use crate::state::StoreState;

type Params = Vec<(String, String)>;

pub(crate) async fn list_notes(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        );
    }
    let kind = params
        .iter()
        .rev()
        .find(|(key, _)| key == "type")
        .map_or("any", |(_, value)| value.as_str());
    let wanted: fn(&SandboxNote) -> bool = match kind {
        "any" => |_| true,
        "customer" => |note| note.customer_note,
        "internal" => |note| !note.customer_note,
        _ => {
            return invalid_param("type", "type is not one of any, customer, and internal.")
                .into_response()
        }
    };
    let notes = state.read(|book| {
        book.get(id).map(|order| {
            order
                .notes
                .iter()
                .rev()
                .filter(|note| wanted(note))
                .map(|note| note_object(order, note, &state.origin))
                .collect::<Vec<Value>>()
        })
    });
    match notes {
        Some(notes) => Json(Value::Array(notes)).into_response(),
        None => invalid_order_id(),
    }
}

pub(crate) async fn get_note(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path((id, note_id)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Response {
    let (Ok(id), Ok(note_id)) = (id.parse::<u64>(), note_id.parse::<u64>()) else {
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
                .notes
                .iter()
                .find(|note| note.id == note_id)
                .map(|note| note_object(order, note, &state.origin))
        })
    });
    match found {
        None => invalid_order_id(),
        Some(None) => error_response(
            StatusCode::NOT_FOUND,
            "woocommerce_rest_invalid_id",
            "Invalid resource ID.",
        ),
        Some(Some(note)) => Json(note).into_response(),
    }
}

pub(crate) async fn add_note(
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
            "woocommerce_rest_cannot_create",
            "Sorry, you are not allowed to create resources.",
        );
    }
    let (note, customer_note) = match read_note(&body) {
        Ok(read) => read,
        Err(invalid) => return invalid.into_response(),
    };
    match state.add_note(id, note, customer_note) {
        Ok((order, note)) => answer_or_lose(
            &state,
            (
                StatusCode::CREATED,
                Json(note_object(&order, &note, &state.origin)),
            )
                .into_response(),
        ),
        Err(failure) => refused(&failure),
    }
}

/// `note` (required) and `customer_note`. Who wrote it (`added_by_user`) is checked but not
/// kept: every note reads as the system's.
fn read_note(body: &[u8]) -> Result<(String, bool), WpError> {
    let body = json_body(body)?;
    let note = match string_param(&body, "note")? {
        Some(note) if !note.trim().is_empty() => note,
        _ => return Err(missing_param("note")),
    };
    let customer_note = bool_param(&body, "customer_note")?.unwrap_or(false);
    bool_param(&body, "added_by_user")?;
    Ok((note, customer_note))
}

pub(crate) fn note_object(order: &SandboxOrder, note: &SandboxNote, origin: &str) -> Value {
    let order_url = format!("{origin}/wp-json/wc/v3/orders/{}", order.id);
    json!({
        "id": note.id,
        "author": "system",
        "date_created": naive_seconds(note.created_at, site_offset()),
        "date_created_gmt": naive_seconds(note.created_at, utc_offset()),
        "note": note.note,
        "customer_note": note.customer_note,
        "_links": {
            "self": [{ "href": format!("{order_url}/notes/{}", note.id) }],
            "collection": [{ "href": format!("{order_url}/notes") }],
            "up": [{ "href": order_url }],
        },
    })
}
