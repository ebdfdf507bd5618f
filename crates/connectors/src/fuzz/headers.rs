//! Rate-limit headers (`Retry-After`, BigCommerce's window) and the error bodies whose message
//! is shown to the dealer.

use std::time::{Duration, SystemTime};

use dealer_core::outbox::MAX_RETRY_AFTER;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde_json::json;

use super::json::{bytes_or_mutation, Payload};
use super::server::number_header;
use super::{fail, fuzz};
use crate::http::retry::{self, REQUESTS_LEFT, TIME_RESET_MS};

/// A header: absent, drawn as a value HTTP cannot carry (`Some(None)`, so none is sent), or present.
type Header = Option<Option<HeaderValue>>;

/// A header value: a number-like text, or any bytes a header may hold (obs-text included).
fn header_value() -> impl Strategy<Value = Option<HeaderValue>> {
    prop_oneof![
        3 => number_header().prop_map(|text| HeaderValue::from_str(&text).ok()),
        1 => vec(any::<u8>(), 0..40).prop_map(|bytes| HeaderValue::from_bytes(&bytes).ok()),
    ]
}

fn now() -> impl Strategy<Value = SystemTime> {
    prop_oneof![
        Just(SystemTime::UNIX_EPOCH),
        (0u64..=253_402_300_799).prop_map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s)),
        Just(SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 1000)),
    ]
}

#[test]
fn fuzz_rate_limit_headers() {
    fuzz("rate_limit_headers", || {
        let strategy = (
            option::of(header_value()),
            option::of(header_value()),
            option::of(header_value()),
            now(),
        );
        let property = |(retry_after, left, reset, now): (Header, Header, Header, SystemTime)| {
            let mut headers = HeaderMap::new();
            for (name, value) in [
                (RETRY_AFTER.as_str(), retry_after),
                (REQUESTS_LEFT, left),
                (TIME_RESET_MS, reset),
            ] {
                if let Some(Some(value)) = value {
                    headers.insert(name, value);
                }
            }
            for (what, wait) in [
                ("Retry-After", retry::retry_after(&headers, now)),
                ("the window's reset", retry::window_reset(&headers)),
                ("the reset", retry::reset_after(&headers)),
            ] {
                if wait.is_some_and(|w| w > MAX_RETRY_AFTER) {
                    return Err(fail(format!("{what} waits {wait:?} for {headers:?}")));
                }
            }
            Ok(())
        };
        (strategy, property)
    });
}

/// The platforms' and the supplier's error bodies.
fn error_bodies() -> impl Strategy<Value = serde_json::Value> {
    select(vec![
        json!({ "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)" }),
        json!({ "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED" } }] }),
        json!({ "code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.", "data": { "status": 401 } }),
        json!([{ "status": 404, "message": "The requested resource was not found." }]),
        json!({ "status": 422, "title": "The field 'min_date_modified' is invalid.", "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes" }),
        json!({ "code": "validation_failed", "message": "stateCode must be a 2-letter code.", "field": "shippingAddress.stateCode" }),
    ])
}

#[test]
fn fuzz_store_message() {
    fuzz("store_message", || {
        let strategy = error_bodies().prop_flat_map(bytes_or_mutation);
        let property = |body: Payload| {
            let message = retry::store_message(&body.0);
            let chars = message.chars().count();
            // 300 characters and the ellipsis.
            if chars > 301 {
                return Err(fail(format!("a message of {chars} characters")));
            }
            if message.contains(['\n', '\r']) {
                return Err(fail(format!("a message over several lines: {message:?}")));
            }
            Ok(())
        };
        (strategy, property)
    });
}
