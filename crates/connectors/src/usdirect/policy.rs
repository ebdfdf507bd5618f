//! How patient and how fast the US Direct client is, and which addresses it accepts.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::HttpPolicy;

/// The contract's limit: 2 requests per second per token.
pub const CONTRACT_REQUESTS_PER_SECOND: f64 = 2.0;

/// Added to every spacing between two requests: a request that leaves on time can still arrive
/// a little late, and the next one early, which would put two inside the server's second.
const ARRIVAL_JITTER: Duration = Duration::from_millis(5);

/// Retries, timeouts and pacing of [`UsDirectClient`](super::UsDirectClient).
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierPolicy {
    /// Timeout, attempts per call (the first included) and backoff, as for the store clients.
    /// When the attempts run out the call fails with `Unavailable` or `RateLimited` for the
    /// caller to try again later with the same idempotency key; a `Retry-After` longer than
    /// `max_backoff` is handed back at once as `RateLimited`.
    pub http: HttpPolicy,
    /// Requests per second, counted over every client of this process that uses the same base
    /// URL and token. Requests start at least `1 / requests_per_second` + 5 ms apart.
    pub requests_per_second: f64,
}

impl Default for SupplierPolicy {
    fn default() -> Self {
        Self {
            http: HttpPolicy::default(),
            requests_per_second: CONTRACT_REQUESTS_PER_SECOND,
        }
    }
}

impl SupplierPolicy {
    /// The least time between the starts of two requests.
    pub(crate) fn spacing(&self) -> Result<Duration, dealer_core::Error> {
        let rate = self.requests_per_second;
        if !rate.is_finite() || rate <= 0.0 {
            return Err(dealer_core::Error::InvalidInput {
                field: "requests_per_second".into(),
                message: format!("{rate} requests per second is not a rate; use a positive number"),
            });
        }
        // Below a microsecond the gate could not tell two starts apart anyway.
        let interval = Duration::from_secs_f64((1.0 / rate).max(1e-6));
        Ok(interval + ARRIVAL_JITTER)
    }
}

/// US Direct's API base (e.g. `https://api.usdirect.example/v1`), without a trailing slash.
/// HTTPS only, except on this machine's loopback address, where the Sandbox supplier runs.
pub(crate) fn supplier_url(input: &str) -> Result<Url, dealer_core::Error> {
    let text = input.trim().trim_end_matches('/');
    let bad = |message: String| dealer_core::Error::InvalidInput {
        field: "url".into(),
        message,
    };
    let url = Url::parse(text).map_err(|_| {
        bad(format!(
            "{text:?} is not a URL; US Direct's API address starts with https://"
        ))
    })?;
    // The address itself is not repeated here: it may hold the very credentials it should not.
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad(
            "US Direct's API address should be just the address (e.g. \
             https://api.usdirect.example/v1), without credentials or a query; the API token \
             is entered separately"
                .into(),
        ));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => {
            return Err(bad(format!(
                "{text:?} names no host; US Direct's API address starts with https://"
            )))
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(format!(
                "{text} uses http://; US Direct must be reached over https:// (plain http is \
                 only accepted on this machine's loopback address, for the Sandbox)"
            )))
        }
        other => {
            return Err(bad(format!(
                "{other}:// is not a web address; US Direct's API address starts with https://"
            )))
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_everywhere_but_loopback() {
        let ok = supplier_url("https://api.usdirect.example/v1/").unwrap();
        assert_eq!(ok.as_str(), "https://api.usdirect.example/v1");
        for loopback in [
            "http://127.0.0.1:8080/v1",
            "http://localhost:1/v1",
            "http://[::1]:9/v1",
        ] {
            assert!(supplier_url(loopback).is_ok(), "{loopback}");
        }
        let err = supplier_url("http://api.usdirect.example/v1").unwrap_err();
        assert!(err.to_string().contains("https://"), "{err}");
        assert!(err.to_string().contains("US Direct"), "{err}");
        assert!(supplier_url("ftp://api.usdirect.example").is_err());
        assert!(supplier_url("api.usdirect.example/v1").is_err());
        assert!(supplier_url("https://api.usdirect.example/v1?token=x").is_err());
    }

    #[test]
    fn credentials_in_the_address_are_refused_without_being_repeated() {
        let err = supplier_url("https://dealer:hunter2@api.usdirect.example/v1").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
    }

    #[test]
    fn the_rate_becomes_a_spacing() {
        let policy = SupplierPolicy::default();
        assert_eq!(policy.spacing().unwrap(), Duration::from_millis(505));
        let fast = SupplierPolicy {
            requests_per_second: 20.0,
            ..policy.clone()
        };
        assert_eq!(fast.spacing().unwrap(), Duration::from_millis(55));
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let bad = SupplierPolicy {
                requests_per_second: rate,
                ..policy.clone()
            };
            assert!(bad.spacing().is_err(), "{rate}");
        }
    }
}
