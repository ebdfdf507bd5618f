//! The contract's operations under `/v1` (docs/supplier-api.yaml). Each is a thin adapter:
//! read the request, run the operation on the books, answer. State-changing `POST`s go through
//! the idempotency records ([`SupplierState::idempotent`]).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::answer::Answer;
use super::book::decode_cursor;
use super::idempotency::{self, Fingerprint};
use super::rules;
use super::state::SupplierState;
use super::wire::{Item, PaymentStatus};

type AppState = Arc<SupplierState>;

const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 500;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", post(create_order))
        .route("/orders/changes", get(list_changes))
        .route("/orders/{order_id}", get(get_order))
        .route("/orders/{order_id}/cancel", post(cancel_order))
        .route("/invoices/{invoice_id}/authorize", post(authorize_payment))
        .route("/items/{sku}", get(get_item))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn create_order(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    state.count(|stats| stats.operation("createOrder"));
    let key = match idempotency::key(&headers) {
        Ok(key) => key,
        Err(answer) => return answer.into_response(),
    };
    let request = Fingerprint::new("POST", "/v1/orders", &body);
    state
        .idempotent(key, request, |book, now| match rules::parse_create(&body) {
            Err(refusal) => Answer::refused(refusal),
            Ok(order) => {
                let (answer, created) = book.create_order(order, now);
                if created {
                    state.count(|stats| stats.orders_created += 1);
                }
                answer
            }
        })
        .poisoned(&state)
}

async fn list_changes(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    state.count(|stats| stats.operation("listChanges"));
    let Ok(Query(query)) = query else {
        return Answer::error(
            StatusCode::BAD_REQUEST,
            "validation_failed",
            "The query string is malformed.",
            None,
        )
        .into_response();
    };
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(text) => match text.trim().parse::<u64>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => {
                return invalid("limit must be a whole number from 1 to 500.", "limit")
                    .into_response()
            }
        },
    };
    let after = match query.get("since") {
        None => Some(0),
        Some(cursor) => decode_cursor(cursor),
    };
    let page =
        after.and_then(|after| state.with_book(|book, _| book.changes_page(after, limit as usize)));
    match page {
        Some(page) => Answer::ok(&page),
        None => Answer::error(
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
            "since is not a cursor this server gave out; start again without it.",
            Some("since"),
        ),
    }
    .poisoned(&state)
}

async fn get_order(State(state): State<AppState>, Path(order_id): Path<String>) -> Response {
    state.count(|stats| stats.operation("getOrder"));
    match state.with_book(|book, _| book.order(&order_id)) {
        Some(order) => Answer::ok(&order),
        None => Answer::not_found(format!("Order {order_id} not found.")),
    }
    .poisoned(&state)
}

async fn cancel_order(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.count(|stats| stats.operation("cancelOrder"));
    let key = match idempotency::key(&headers) {
        Ok(key) => key,
        Err(answer) => return answer.into_response(),
    };
    let request = Fingerprint::new("POST", &format!("/v1/orders/{order_id}/cancel"), &body);
    state
        .idempotent(key, request, |book, now| match rules::parse_cancel(&body) {
            Err(refusal) => Answer::refused(refusal),
            Ok(reason) => book.cancel(&order_id, reason, now),
        })
        .poisoned(&state)
}

async fn authorize_payment(
    State(state): State<AppState>,
    Path(invoice_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.count(|stats| stats.operation("authorizePayment"));
    let key = match idempotency::key(&headers) {
        Ok(key) => key,
        Err(answer) => return answer.into_response(),
    };
    let path = format!("/v1/invoices/{invoice_id}/authorize");
    let request = Fingerprint::new("POST", &path, &body);
    state
        .idempotent(key, request, |book, now| {
            let (answer, outcome) = book.authorize(&invoice_id, now);
            match outcome {
                Some(PaymentStatus::Authorized) => {
                    state.count(|stats| stats.authorizations_applied += 1);
                }
                Some(PaymentStatus::Declined) => state.count(|stats| stats.declines += 1),
                _ => {}
            }
            answer
        })
        .poisoned(&state)
}

async fn get_item(State(state): State<AppState>, Path(sku): Path<String>) -> Response {
    state.count(|stats| stats.operation("getItem"));
    let settings = state.with_book(|book, _| book.settings().clone());
    match rules::catalog_item(&sku) {
        Some(item) => Answer::ok(&Item {
            sku: item.sku.to_owned(),
            title: item.title.to_owned(),
            weight_grams: item.grams,
            available: rules::available(item, &settings),
        }),
        None => Answer::not_found(format!("SKU {sku} is not in the catalog.")),
    }
    .into_response()
}

trait Poisoned {
    /// The answer as sent, after the poison case (if any) changed its invoices and shipments.
    fn poisoned(self, state: &SupplierState) -> Response;
}

impl Poisoned for Answer {
    fn poisoned(mut self, state: &SupplierState) -> Response {
        crate::poison::supplier_answer(state.poison(), &mut self.body);
        self.into_response()
    }
}

fn invalid(message: &str, field: &str) -> Answer {
    Answer::error(
        StatusCode::BAD_REQUEST,
        "validation_failed",
        message,
        Some(field),
    )
}

async fn not_found() -> Response {
    Answer::not_found("No such resource.").into_response()
}

async fn method_not_allowed() -> Response {
    Answer::error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This resource does not take that method.",
        None,
    )
    .into_response()
}
