//! Hostile mode: a sandbox store that answers as an attacker, a broken plugin or a bad proxy
//! would, so every limit the app sets on what a peer decides is a test. One case at a time,
//! set through the admin API (`GET|PUT /_sandbox/hostile`, `{"case": "endless_pages"}`) or
//! `dealer sandbox hostile <case>|off`, so it works on a store another process serves.
//!
//! The first API request after a case is set is answered normally (its good orders are served);
//! the hostility starts with the second, so a test sees good orders imported beside it.
//! Paging cases act on the orders list: WooCommerce's `X-WP-TotalPages` and Shopify's
//! `pageInfo`. The others act on any API request, in [`crate::fault_layer`].

use std::str::FromStr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// What the store does wrong.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hostility {
    /// Well-behaved.
    #[default]
    Off,
    /// Always one more page: WooCommerce serves its last page again and again; Shopify points
    /// back to the first page with a fresh cursor each time.
    EndlessPages,
    /// Shopify: the last page's cursor points back to the start, so cursors come back
    /// (WooCommerce: as `endless_pages`).
    RepeatedCursor,
    /// Past the last page, empty pages that still say more follow.
    EmptyPage,
    /// 429 with `Retry-After: 9999999999999`.
    HugeRetryAfter,
    /// Every other request: 503 with a `Retry-After` that is no number and no date.
    MalformedRetryAfter,
    /// 200 with a 100 MB body, generated as it streams.
    HugeBody,
    /// 200 whose body comes one byte a second.
    SlowDrip,
    /// 302 to another host.
    CrossHostRedirect,
}

impl Hostility {
    pub const ALL: [Hostility; 9] = [
        Self::Off,
        Self::EndlessPages,
        Self::RepeatedCursor,
        Self::EmptyPage,
        Self::HugeRetryAfter,
        Self::MalformedRetryAfter,
        Self::HugeBody,
        Self::SlowDrip,
        Self::CrossHostRedirect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::EndlessPages => "endless_pages",
            Self::RepeatedCursor => "repeated_cursor",
            Self::EmptyPage => "empty_page",
            Self::HugeRetryAfter => "huge_retry_after",
            Self::MalformedRetryAfter => "malformed_retry_after",
            Self::HugeBody => "huge_body",
            Self::SlowDrip => "slow_drip",
            Self::CrossHostRedirect => "cross_host_redirect",
        }
    }

    /// A case about the orders list's paging (the store's handlers act on it).
    pub(crate) fn is_paging(self) -> bool {
        matches!(
            self,
            Self::EndlessPages | Self::RepeatedCursor | Self::EmptyPage
        )
    }
}

impl FromStr for Hostility {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|case| case.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|case| case.as_str()).collect();
                format!(
                    "no hostile case {text:?}; the cases are {}",
                    names.join(", ")
                )
            })
    }
}

impl std::fmt::Display for Hostility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The case and how many API requests were answered since it was set.
#[derive(Debug, Default)]
pub(crate) struct HostileState {
    pub case: Hostility,
    pub requests: u64,
}

/// The admin API's shape: `{"case": "huge_body"}`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(crate) struct HostileSetting {
    pub case: Hostility,
}

/// `Retry-After` of [`Hostility::HugeRetryAfter`]: about 317,000 years.
pub const HUGE_RETRY_AFTER: &str = "9999999999999";
/// The size of [`Hostility::HugeBody`]'s answer.
pub const HUGE_BODY_BYTES: usize = 100 * 1024 * 1024;
/// The length [`Hostility::SlowDrip`] announces (and would take as many seconds to send).
const DRIP_BYTES: u64 = 600;
/// Where [`Hostility::CrossHostRedirect`] points.
pub const REDIRECT_HOST: &str = "collector.attacker.example";

/// The answer of a non-paging case, for the `n`th API request since the case was set (the
/// first is 1); `None` to answer normally.
pub(crate) fn answer(case: Hostility, n: u64, path: &str) -> Option<Response> {
    if n <= 1 {
        return None;
    }
    Some(match case {
        Hostility::Off
        | Hostility::EndlessPages
        | Hostility::RepeatedCursor
        | Hostility::EmptyPage => return None,
        Hostility::HugeRetryAfter => {
            let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(HUGE_RETRY_AFTER),
            );
            response
        }
        Hostility::MalformedRetryAfter => {
            if n % 2 == 1 {
                return None;
            }
            let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static("after lunch, 1.aé"),
            );
            response
        }
        Hostility::HugeBody => json_stream(huge_body()),
        Hostility::SlowDrip => {
            let mut response = json_stream(slow_drip());
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(DRIP_BYTES));
            response
        }
        Hostility::CrossHostRedirect => {
            let mut response = StatusCode::FOUND.into_response();
            let location = format!("https://{REDIRECT_HOST}{path}");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
    })
}

fn json_stream<S>(stream: S) -> Response
where
    S: futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    let mut response = Body::from_stream(stream).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `[` and then spaces, 64 KiB at a time, to [`HUGE_BODY_BYTES`]: valid-looking JSON that is
/// never whole in memory.
fn huge_body() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    const CHUNK: usize = 64 * 1024;
    let spaces = Bytes::from(vec![b' '; CHUNK]);
    futures_util::stream::unfold(0_usize, move |sent| {
        let spaces = spaces.clone();
        async move {
            if sent >= HUGE_BODY_BYTES {
                return None;
            }
            let chunk = if sent == 0 {
                Bytes::from_static(b"[")
            } else {
                spaces
            };
            Some((Ok(chunk.clone()), sent + chunk.len().max(1)))
        }
    })
}

/// One byte a second.
fn slow_drip() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(0_u64, |sent| async move {
        if sent >= DRIP_BYTES {
            return None;
        }
        if sent > 0 {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let byte = if sent == 0 { "[" } else { " " };
        Some((Ok(Bytes::from_static(byte.as_bytes())), sent + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_reads_back_from_its_name() {
        for case in Hostility::ALL {
            assert_eq!(case.as_str().parse::<Hostility>(), Ok(case));
            let json = serde_json::to_value(HostileSetting { case }).unwrap();
            assert_eq!(json["case"], case.as_str());
        }
        assert_eq!("slow-drip".parse::<Hostility>(), Ok(Hostility::SlowDrip));
        let err = "bad_amounts".parse::<Hostility>().unwrap_err();
        assert!(err.contains("huge_body"), "{err}");
    }

    #[test]
    fn the_first_request_is_answered_normally() {
        assert!(answer(Hostility::HugeBody, 1, "/x").is_none());
        assert!(answer(Hostility::HugeBody, 2, "/x").is_some());
        assert!(answer(Hostility::EndlessPages, 2, "/x").is_none());
    }
}
