//! The supplier's admin API under `/_sandbox` (no auth, no faults, no rate limit): it plays
//! US Direct's staff and lets tests and other processes look inside.
//!
//! - `GET /stats`: [`SupplierStats`](super::SupplierStats);
//! - `GET /orders`, `GET /orders/{id}`: [`SupplierOrder`](super::SupplierOrder)s;
//! - `POST /orders/{id}/hold` `{"reason": …}`, `POST /orders/{id}/release`,
//!   `POST /orders/{id}/ship` (ship what is left now): the order as `getOrder` shows it;
//! - `GET|PUT /faults`: [`Faults`] (PUT replaces them all);
//! - `GET|PUT /poison`: `{"case": …}`, hostile invoices and shipments (`crate::poison`);
//! - `GET|PUT /settings`: [`SupplierSettings`](super::SupplierSettings) (PUT changes the fields
//!   it names).
//!
//! Errors are `{code, message}`: `404 order_not_found`, `409` with the conflict's code
//! (`order_canceled`, `already_shipped`, `on_hold`, `not_on_hold`, `not_authorized`),
//! `400 invalid_body`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::settings::SettingsPatch;
use super::state::SupplierState;
use crate::error::SandboxError;
use crate::faults::Faults;

type AppState = Arc<SupplierState>;

const DEFAULT_HOLD_REASON: &str = "Held for review by US Direct";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats))
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/hold", post(hold_order))
        .route("/orders/{id}/release", post(release_order))
        .route("/orders/{id}/ship", post(ship_order))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/poison", get(get_poison).put(put_poison))
        .route("/settings", get(get_settings).put(put_settings))
        .fallback(not_found)
}

async fn stats(State(state): State<AppState>) -> Response {
    Json(state.stats()).into_response()
}

async fn list_orders(State(state): State<AppState>) -> Response {
    Json(state.with_book(|book, _| book.summaries())).into_response()
}

async fn get_order(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.with_book(|book, _| book.summary(&id)) {
        Some(order) => Json(order).into_response(),
        None => failure(&SandboxError::SupplierOrderNotFound(id)),
    }
}

#[derive(Default, Deserialize)]
struct Hold {
    reason: Option<String>,
}

async fn hold_order(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let hold = if body.iter().all(u8::is_ascii_whitespace) {
        Hold::default()
    } else {
        match serde_json::from_slice::<Hold>(&body) {
            Ok(hold) => hold,
            Err(error) => return bad_request(&error.to_string()),
        }
    };
    let reason = hold
        .reason
        .filter(|reason| !reason.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_HOLD_REASON.to_owned());
    answer(state.with_book(|book, now| book.hold(&id, reason, now)))
}

async fn release_order(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    answer(state.with_book(|book, now| book.release(&id, now)))
}

async fn ship_order(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    answer(state.with_book(|book, now| book.ship_now(&id, now)))
}

async fn get_faults(State(state): State<AppState>) -> Response {
    Json(state.faults()).into_response()
}

async fn put_faults(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) => {
            state.set_faults(faults.clone());
            Json(faults).into_response()
        }
        Err(error) => bad_request(&error.to_string()),
    }
}

async fn get_poison(State(state): State<AppState>) -> Response {
    Json(crate::poison::PoisonSetting {
        case: state.poison(),
    })
    .into_response()
}

/// `{"case": "negative_invoice"}`, or `{"case": null}` for none.
async fn put_poison(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<crate::poison::PoisonSetting>(&body) {
        Ok(setting) => {
            state.set_poison(setting.case);
            Json(setting).into_response()
        }
        Err(error) => bad_request(&error.to_string()),
    }
}

async fn get_settings(State(state): State<AppState>) -> Response {
    Json(state.settings()).into_response()
}

async fn put_settings(State(state): State<AppState>, body: Bytes) -> Response {
    let patch = match serde_json::from_slice::<SettingsPatch>(&body) {
        Ok(patch) => patch,
        Err(error) => return bad_request(&error.to_string()),
    };
    match patch.apply(&state.settings()) {
        Ok(settings) => {
            state.set_settings(settings.clone());
            Json(settings).into_response()
        }
        Err(message) => bad_request(&message),
    }
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such sandbox admin route",
    )
}

fn answer<T: serde::Serialize>(result: Result<T, SandboxError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(failure) => self::failure(&failure),
    }
}

fn failure(failure: &SandboxError) -> Response {
    let status = match failure {
        SandboxError::SupplierOrderNotFound(_) => StatusCode::NOT_FOUND,
        SandboxError::SupplierConflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, failure.code(), &failure.to_string())
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_body", message)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}
