//! What stands in front of the `/v1` operations, outermost first:
//!
//! 1. the contract's rate limit per token (`429 rate_limited`), which also puts
//!    `X-RateLimit-Limit` / `X-RateLimit-Remaining` on every answer;
//! 2. fault injection from the seeded [`Faults`](crate::Faults): latency, then at most one
//!    fault per request. Injected `500`/`503` and `429` answers come **before** the operation
//!    runs, so nothing happened. A dropped connection comes **after** it ran: the operation
//!    acted (and saved), only the answer is lost, as when a network fails on the way back.
//!    That is the case that proves a client retries safely with the same `Idempotency-Key`;
//! 3. the `X-API-TOKEN` check (`401 unauthorized`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::answer::Answer;
use super::rate_limit::Verdict;
use super::state::SupplierState;
use crate::fault_layer::InjectedRateLimit;
use crate::faults::Fault;
use crate::server::DropConnection;

pub(crate) const TOKEN_HEADER: &str = "x-api-token";
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

fn token(request: &Request) -> &str {
    request
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

fn too_many_requests(code: &str, retry_after_secs: u64) -> Response {
    let unit = if retry_after_secs == 1 {
        "second"
    } else {
        "seconds"
    };
    let message = format!("Too many requests; retry after {retry_after_secs} {unit}.");
    let mut response =
        Answer::error(StatusCode::TOO_MANY_REQUESTS, code, message, None).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

pub(crate) async fn rate_limit(
    State(state): State<Arc<SupplierState>>,
    request: Request,
    next: Next,
) -> Response {
    state.count(|stats| stats.api_requests += 1);
    let verdict = state.check_rate(token(&request));
    let (mut response, limit, remaining) = match verdict {
        Verdict::Unlimited => return next.run(request).await,
        Verdict::Limited {
            limit,
            retry_after_secs,
        } => {
            state.count(|stats| stats.rate_limited += 1);
            (
                too_many_requests("rate_limited", retry_after_secs),
                limit,
                0,
            )
        }
        Verdict::Allowed { limit, remaining } => {
            let response = next.run(request).await;
            // An injected 429 says the quota is spent; its headers should agree.
            let injected = response.extensions().get::<InjectedRateLimit>().is_some();
            (response, limit, if injected { 0 } else { remaining })
        }
    };
    let headers = response.headers_mut();
    headers.insert(LIMIT, HeaderValue::from(limit));
    headers.insert(REMAINING, HeaderValue::from(remaining));
    response
}

pub(crate) async fn inject_faults(
    State(state): State<Arc<SupplierState>>,
    request: Request,
    next: Next,
) -> Response {
    let (latency, fault) = state.draw_fault();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let answer_delay = state.settings().answer_delay;
    let run = |request| async move {
        let response = next.run(request).await;
        if !answer_delay.is_zero() {
            tokio::time::sleep(answer_delay).await;
        }
        response
    };
    match fault {
        Fault::None => run(request).await,
        Fault::Drop => {
            let mut response = run(request).await;
            state.count(|stats| stats.dropped += 1);
            response.extensions_mut().insert(DropConnection);
            response
        }
        Fault::RateLimit { retry_after_secs } => {
            state.count(|stats| stats.injected_rate_limits += 1);
            let mut response = too_many_requests("rate_limited", retry_after_secs.max(1));
            response.extensions_mut().insert(InjectedRateLimit);
            response
        }
        Fault::ServerError { status } => {
            state.count(|stats| stats.injected_errors += 1);
            if status == 503 {
                let mut response = Answer::error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "Service temporarily unavailable.",
                    None,
                )
                .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(1));
                response
            } else {
                Answer::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "Unexpected error.",
                    None,
                )
                .into_response()
            }
        }
    }
}

pub(crate) async fn require_token(
    State(state): State<Arc<SupplierState>>,
    request: Request,
    next: Next,
) -> Response {
    if state.accepts(token(&request)) {
        return next.run(request).await;
    }
    state.count(|stats| stats.unauthorized += 1);
    Answer::error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Invalid API token.",
        None,
    )
    .into_response()
}
