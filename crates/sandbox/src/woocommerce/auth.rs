//! WooCommerce's REST auth over HTTPS: HTTP Basic with the consumer key and secret, or the
//! same pair as `consumer_key` / `consumer_secret` query parameters.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::credentials::{WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET};

pub(crate) fn is_authorized(headers: &HeaderMap, query: &[(String, String)]) -> bool {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| STANDARD.decode(encoded.trim()).ok())
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(key, secret)| (key.to_owned(), secret.to_owned()))
        });
    let from_query = || {
        let get = |name: &str| {
            query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        Some((get("consumer_key")?, get("consumer_secret")?))
    };
    basic
        .or_else(from_query)
        .is_some_and(|(key, secret)| key == WOO_CONSUMER_KEY && secret == WOO_CONSUMER_SECRET)
}
