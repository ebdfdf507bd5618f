//! The pure parts of the retry policy: what a status means, how long to wait, and what the
//! store said. Kept free of I/O so every rule is unit-tested.

use std::time::{Duration, SystemTime};

use dealer_core::outbox::MAX_RETRY_AFTER;
use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::HttpPolicy;

/// BigCommerce: requests left in the current window.
pub(crate) const REQUESTS_LEFT: &str = "x-rate-limit-requests-left";
/// BigCommerce: milliseconds until the window resets.
pub(crate) const TIME_RESET_MS: &str = "x-rate-limit-time-reset-ms";

/// What to do with an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Success,
    /// Worth another try: the store is overloaded, busy or briefly broken.
    Retry,
    RateLimited,
    Unauthorized,
    Forbidden,
    NotFound,
    /// A 3xx: never followed, since the request carries a credential.
    Redirect,
    /// Any other refusal: retrying the same request would get the same answer.
    Refused,
}

pub(crate) fn classify(status: u16) -> Verdict {
    match status {
        200..=299 => Verdict::Success,
        300..=399 => Verdict::Redirect,
        429 => Verdict::RateLimited,
        // 408: the store gave up waiting for us; the request itself was fine.
        408 | 500..=599 => Verdict::Retry,
        401 => Verdict::Unauthorized,
        403 => Verdict::Forbidden,
        404 | 410 => Verdict::NotFound,
        _ => Verdict::Refused,
    }
}

/// `Retry-After`, as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). A date in the past means
/// "now"; whatever the peer says, at most [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let asked = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else if let Ok(seconds) = value.parse::<f64>() {
        // Some servers send fractional seconds; accept them rather than fall back to guessing.
        if !(seconds.is_finite() && seconds >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(seconds.min(MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(asked.min(MAX_RETRY_AFTER))
}

/// BigCommerce's window: when `X-Rate-Limit-Requests-Left` is 0, how long until
/// `X-Rate-Limit-Time-Reset-Ms` opens the next one. `None` while requests are left.
pub(crate) fn window_reset(headers: &HeaderMap) -> Option<Duration> {
    let left: i64 = header_number(headers, REQUESTS_LEFT)?;
    if left > 0 {
        return None;
    }
    let reset_ms: u64 = header_number(headers, TIME_RESET_MS)?;
    Some(Duration::from_millis(reset_ms).min(MAX_RETRY_AFTER))
}

/// BigCommerce's reset time alone, for a 429 that carries no `Retry-After`.
pub(crate) fn reset_after(headers: &HeaderMap) -> Option<Duration> {
    header_number::<u64>(headers, TIME_RESET_MS)
        .map(|ms| Duration::from_millis(ms).min(MAX_RETRY_AFTER))
}

fn header_number<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
/// Jitter"): a uniform wait in `[0, min(max_backoff, base_backoff * 2^(attempt-1))]`, so many
/// clients that failed together do not retry together.
pub(crate) fn backoff(attempt: u32, policy: &HttpPolicy, rng: &mut impl Rng) -> Duration {
    let cap = backoff_cap(attempt, policy);
    let cap_ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rng.gen_range(0..=cap_ms))
}

/// The upper bound of [`backoff`] for the given attempt (1-based).
pub(crate) fn backoff_cap(attempt: u32, policy: &HttpPolicy) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30);
    policy
        .base_backoff
        .saturating_mul(1_u32 << doublings)
        .min(policy.max_backoff)
}

/// The store's own explanation from an error body, shortened: Shopify's `{"errors": "..."}`,
/// WooCommerce's `{"code", "message"}`, BigCommerce's `[{"status", "message"}]` or
/// `{"title"}`; otherwise the start of the body.
pub(crate) fn store_message(body: &[u8]) -> String {
    const LIMIT: usize = 300;
    let text = String::from_utf8_lossy(body);
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|json| message_in(&json))
        .unwrap_or_else(|| text.trim().to_string());
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if message.chars().count() > LIMIT {
        let cut: String = message.chars().take(LIMIT).collect();
        format!("{cut}…")
    } else {
        message
    }
}

fn message_in(json: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match json {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(message_in).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(map) => ["message", "title", "errors", "error", "detail"]
            .iter()
            .find_map(|key| map.get(*key).and_then(message_in)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn policy() -> HttpPolicy {
        HttpPolicy::default()
    }

    #[test]
    fn retry_after_in_seconds() {
        let now = SystemTime::now();
        let h = headers(&[("retry-after", "7")]);
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let h = headers(&[("retry-after", "1.5")]);
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(1500)));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn a_peers_absurd_wait_is_an_hour_at_most() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for value in ["9999999999999", "18446744073709551615", "1e300", "86400.5"] {
            let h = headers(&[("retry-after", value)]);
            assert_eq!(retry_after(&h, now), Some(MAX_RETRY_AFTER), "{value}");
        }
        for value in ["-5", "NaN", "inf", "-inf"] {
            let h = headers(&[("retry-after", value)]);
            assert_eq!(retry_after(&h, now), None, "{value}");
        }
        let far = headers(&[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")]);
        assert_eq!(retry_after(&far, now), Some(MAX_RETRY_AFTER));
        let spent = headers(&[
            ("x-rate-limit-requests-left", "0"),
            ("x-rate-limit-time-reset-ms", "18446744073709551615"),
        ]);
        assert_eq!(window_reset(&spent), Some(MAX_RETRY_AFTER));
        assert_eq!(reset_after(&spent), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn retry_after_as_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let h = headers(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]);
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(30)));
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]);
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
    }

    #[test]
    fn bigcommerce_window_only_when_spent() {
        let spent = headers(&[(REQUESTS_LEFT, "0"), (TIME_RESET_MS, "1200")]);
        assert_eq!(window_reset(&spent), Some(Duration::from_millis(1200)));
        let left = headers(&[(REQUESTS_LEFT, "3"), (TIME_RESET_MS, "1200")]);
        assert_eq!(window_reset(&left), None);
        assert_eq!(reset_after(&left), Some(Duration::from_millis(1200)));
        assert_eq!(window_reset(&HeaderMap::new()), None);
    }

    #[test]
    fn jitter_stays_within_the_exponential_cap() {
        let policy = policy();
        let mut rng = StdRng::seed_from_u64(7);
        assert_eq!(backoff_cap(1, &policy), Duration::from_millis(250));
        assert_eq!(backoff_cap(3, &policy), Duration::from_millis(1000));
        assert_eq!(backoff_cap(20, &policy), Duration::from_secs(30));
        for attempt in 1..=10 {
            let cap = backoff_cap(attempt, &policy);
            let samples: Vec<Duration> = (0..200)
                .map(|_| backoff(attempt, &policy, &mut rng))
                .collect();
            assert!(samples.iter().all(|wait| *wait <= cap), "attempt {attempt}");
            // Full jitter: the waits spread over the range instead of all hitting the cap.
            let low = samples.iter().filter(|wait| **wait < cap / 2).count();
            assert!(
                (40..=160).contains(&low),
                "attempt {attempt}: {low} of 200 low"
            );
        }
    }

    #[test]
    fn which_statuses_are_retried() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(classify(status), Verdict::Retry | Verdict::RateLimited),
                "{status}"
            );
        }
        assert_eq!(classify(401), Verdict::Unauthorized);
        assert_eq!(classify(403), Verdict::Forbidden);
        assert_eq!(classify(404), Verdict::NotFound);
        assert_eq!(classify(400), Verdict::Refused);
        assert_eq!(classify(422), Verdict::Refused);
        assert_eq!(classify(204), Verdict::Success);
        for status in [301, 302, 303, 307, 308] {
            assert_eq!(classify(status), Verdict::Redirect, "{status}");
        }
    }

    #[test]
    fn the_stores_own_words_are_kept() {
        let shopify = br#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#;
        assert!(store_message(shopify).starts_with("[API] Invalid API key"));
        let woo = br#"{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}"#;
        assert_eq!(store_message(woo), "Sorry, you cannot list resources.");
        let bc = br#"[{"status":403,"message":"You don't have a required scope to access the endpoint"}]"#;
        assert_eq!(
            store_message(bc),
            "You don't have a required scope to access the endpoint"
        );
        assert_eq!(
            store_message(b"<html>\n Bad   Gateway</html>"),
            "<html> Bad Gateway</html>"
        );
        assert!(store_message(&[b'x'; 1000]).chars().count() <= 301);
    }
}
