//! The admin API under `/_sandbox`: lets another process (the CLI, a test harness) drive a
//! running store. No auth and no faults, since it plays the shopper and the store owner, not
//! the API a client integrates with.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::SandboxError;
use crate::faults::Faults;
use crate::hostile::HostileSetting;
use crate::model::{OrderEdit, PlaceOrder, SandboxPayment};
use crate::poison::PoisonSetting;
use crate::state::StoreState;

type AppState = Arc<StoreState>;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders).post(place_order))
        .route("/orders/random", post(place_random_orders))
        .route("/orders/{id}/edit", post(edit_order))
        .route("/orders/{id}/cancel", post(cancel_order))
        .route("/orders/{id}/malformed", post(make_malformed))
        .route("/orders/{id}/payment", post(set_payment))
        .route("/stats", get(stats))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/poison", get(get_poison).put(put_poison))
        .route("/hostile", get(get_hostile).put(put_hostile))
        .route("/lose-answers", put(put_lose_answers))
        .route(
            "/plugins",
            get(crate::woocommerce::get_plugins).put(crate::woocommerce::put_plugins),
        )
        .fallback(not_found)
}

async fn list_orders(State(state): State<AppState>) -> Response {
    Json(state.read(|book| book.iter().cloned().collect::<Vec<_>>())).into_response()
}

/// An order to place, with how its payment stands (`"payment": "unpaid"`; paid if left out).
#[derive(Deserialize)]
struct PlaceRequest {
    #[serde(flatten)]
    order: PlaceOrder,
    #[serde(default)]
    payment: SandboxPayment,
}

/// An empty body places the onboarding test order.
async fn place_order(State(state): State<AppState>, body: Bytes) -> Response {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        PlaceRequest {
            order: PlaceOrder::test_order(),
            payment: SandboxPayment::Paid,
        }
    } else {
        match serde_json::from_slice::<PlaceRequest>(&body) {
            Ok(request) => request,
            Err(error) => return bad_request(&error),
        }
    };
    let placed = state.place_with(request.order, request.payment);
    (StatusCode::CREATED, Json(placed)).into_response()
}

#[derive(Deserialize)]
struct PaymentChange {
    payment: SandboxPayment,
}

/// `{"payment": "paid"}`: the shopper paid, or the store cleared the risk.
async fn set_payment(State(state): State<AppState>, Path(id): Path<u64>, body: Bytes) -> Response {
    match serde_json::from_slice::<PaymentChange>(&body) {
        Ok(change) => answer(state.set_payment(id, change.payment)),
        Err(error) => bad_request(&error),
    }
}

#[derive(Deserialize)]
struct RandomOrders {
    count: usize,
    #[serde(default)]
    seed: u64,
    /// Orders of a store that sells other brands too (`mixed=true`).
    #[serde(default)]
    mixed: bool,
}

async fn place_random_orders(
    State(state): State<AppState>,
    Query(query): Query<RandomOrders>,
) -> Response {
    let placed = if query.mixed {
        state.place_mixed(query.count, query.seed)
    } else {
        state.place_random(query.count, query.seed)
    };
    (StatusCode::CREATED, Json(json!({ "placed": placed.len() }))).into_response()
}

async fn edit_order(State(state): State<AppState>, Path(id): Path<u64>, body: Bytes) -> Response {
    match serde_json::from_slice::<OrderEdit>(&body) {
        Ok(edit) => answer(state.edit(id, edit)),
        Err(error) => bad_request(&error),
    }
}

async fn cancel_order(State(state): State<AppState>, Path(id): Path<u64>) -> Response {
    answer(state.cancel(id))
}

async fn make_malformed(State(state): State<AppState>, Path(id): Path<u64>) -> Response {
    answer(state.make_malformed(id))
}

async fn stats(State(state): State<AppState>) -> Response {
    Json(state.stats.snapshot()).into_response()
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
        Err(error) => bad_request(&error),
    }
}

/// `{"count": n}`: the next `n` writes are applied and their answers lost (see
/// `SandboxStore::lose_next_write_answers`).
async fn put_lose_answers(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    struct Lose {
        count: u32,
    }
    match serde_json::from_slice::<Lose>(&body) {
        Ok(lose) => {
            state.lose_answers(lose.count);
            Json(serde_json::json!({ "count": lose.count })).into_response()
        }
        Err(error) => bad_request(&error),
    }
}

async fn get_hostile(State(state): State<AppState>) -> Response {
    Json(HostileSetting {
        case: state.hostility(),
    })
    .into_response()
}

async fn put_hostile(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<HostileSetting>(&body) {
        Ok(setting) => {
            state.set_hostility(setting.case);
            Json(setting).into_response()
        }
        Err(error) => bad_request(&error),
    }
}

async fn get_poison(State(state): State<AppState>) -> Response {
    Json(PoisonSetting {
        case: state.poison(),
    })
    .into_response()
}

/// `{"case": "bad_amounts"}`, or `{"case": null}` for none.
async fn put_poison(State(state): State<AppState>, body: Bytes) -> Response {
    match serde_json::from_slice::<PoisonSetting>(&body) {
        Ok(setting) => {
            state.set_poison(setting.case);
            Json(setting).into_response()
        }
        Err(error) => bad_request(&error),
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
        Err(failure) => {
            let status = match failure {
                SandboxError::OrderNotFound(_) => StatusCode::NOT_FOUND,
                SandboxError::AlreadyCancelled(_) => StatusCode::CONFLICT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error(status, failure.code(), &failure.to_string())
        }
    }
}

fn bad_request(failure: &serde_json::Error) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_body",
        &failure.to_string(),
    )
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}
