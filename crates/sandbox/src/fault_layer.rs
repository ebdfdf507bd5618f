//! The middleware in front of every API route (not `/_sandbox`): counts the request, answers
//! as the hostile case says (see [`crate::hostile`]), adds the configured latency, then injects
//! the fault drawn for it, in each format's own error shape.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::Fault;
use crate::model::StoreKind;
use crate::server::DropConnection;
use crate::state::StoreState;
use crate::stats::StatsCounters;
use crate::{bigcommerce, shopify, woocommerce};

/// Response extension: this 429 was injected (BigCommerce then reports no requests left).
#[derive(Clone, Copy, Debug)]
pub(crate) struct InjectedRateLimit;

pub(crate) async fn inject_faults(
    State(state): State<Arc<StoreState>>,
    request: Request,
    next: Next,
) -> Response {
    let stats = &state.stats;
    StatsCounters::bump(&stats.api_requests);
    let (case, n) = state.hostile_request();
    if let Some(response) = crate::hostile::answer(case, n, request.uri().path()) {
        return response;
    }
    let (latency, fault) = state.draw_fault();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Fault::None => next.run(request).await,
        Fault::Drop => {
            StatsCounters::bump(&stats.dropped);
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnection);
            response
        }
        Fault::RateLimit { retry_after_secs } => {
            StatsCounters::bump(&stats.injected_rate_limits);
            let mut response = error_response(state.kind, StatusCode::TOO_MANY_REQUESTS);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response.extensions_mut().insert(InjectedRateLimit);
            response
        }
        Fault::ServerError { status } => {
            StatsCounters::bump(&stats.injected_errors);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            error_response(state.kind, status)
        }
    }
}

fn error_response(kind: StoreKind, status: StatusCode) -> Response {
    let (code, message) = match status {
        StatusCode::TOO_MANY_REQUESTS => (
            "too_many_requests",
            "Too many requests. Reduce request rates to resume uninterrupted service.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "service_unavailable",
            "The service is temporarily unavailable. Please try again later.",
        ),
        _ => ("internal_server_error", "Internal Server Error"),
    };
    match kind {
        StoreKind::Shopify => shopify::error_response(status, message),
        StoreKind::Woocommerce => woocommerce::error_response(status, code, message),
        StoreKind::Bigcommerce => bigcommerce::error_response(status, message),
    }
}
