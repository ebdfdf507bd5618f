//! Idempotency records: what a state-changing request asked (method, path, body) and what it
//! was answered, under the client's `Idempotency-Key`. The same key with the same request gets
//! the recorded answer again without acting; with another request, `409
//! idempotency_key_reused`. Every answer the operation gave is recorded, refusals included,
//! so a retry can never turn a refusal into an action; injected faults and the rate limit
//! answer before the operation runs and are not recorded. Records are kept with the state
//! and never expire (the contract asks for at least 24 hours).

use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answer::Answer;

pub(crate) const HEADER: &str = "idempotency-key";
const MAX_KEY_CHARS: usize = 255;

/// What a request asked, compared on replay. The body compares as JSON (key order and
/// whitespace do not matter); a body that is not JSON compares as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Fingerprint {
    pub method: String,
    pub path: String,
    pub body: Value,
}

impl Fingerprint {
    pub(crate) fn new(method: &str, path: &str, body: &[u8]) -> Fingerprint {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
        };
        Fingerprint {
            method: method.to_owned(),
            path: path.to_owned(),
            body,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdempotencyRecord {
    pub request: Fingerprint,
    pub status: u16,
    pub response: Value,
    pub recorded_at: DateTime<Utc>,
}

impl IdempotencyRecord {
    pub(crate) fn new(request: Fingerprint, answer: &Answer, at: DateTime<Utc>) -> Self {
        Self {
            request,
            status: answer.status.as_u16(),
            response: answer.body.clone(),
            recorded_at: at,
        }
    }

    /// The recorded answer, for the same request; `409` for another one.
    pub(crate) fn replay(&self, request: &Fingerprint) -> Answer {
        if self.request != *request {
            return Answer::error(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "Idempotency-Key was used with a different request body.",
                None,
            );
        }
        Answer {
            status: StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK),
            body: self.response.clone(),
            replayed: true,
        }
    }
}

/// The request's `Idempotency-Key`, or the `400` a request without a usable one gets.
pub(crate) fn key(headers: &HeaderMap) -> Result<String, Answer> {
    let invalid = |message: &str| {
        Answer::error(
            StatusCode::BAD_REQUEST,
            "validation_failed",
            message,
            Some("Idempotency-Key"),
        )
    };
    let value = headers
        .get(HEADER)
        .ok_or_else(|| invalid("The Idempotency-Key header is required on this request."))?;
    let key = value
        .to_str()
        .map_err(|_| invalid("Idempotency-Key must be printable ASCII."))?
        .trim();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Err(invalid("Idempotency-Key must be 1 to 255 characters."));
    }
    Ok(key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_compare_as_json() {
        let a = Fingerprint::new("POST", "/v1/orders", br#"{"a": 1, "b": [2]}"#);
        let b = Fingerprint::new("POST", "/v1/orders", br#"{"b":[2],"a":1}"#);
        assert_eq!(a, b);
        let c = Fingerprint::new("POST", "/v1/orders", br#"{"a": 2, "b": [2]}"#);
        assert_ne!(a, c);
        assert_eq!(Fingerprint::new("POST", "/x", b"  ").body, Value::Null);
        assert_eq!(
            Fingerprint::new("POST", "/x", b"{oops").body,
            Value::String("{oops".to_owned())
        );
    }

    #[test]
    fn replay_or_conflict() {
        let request = Fingerprint::new("POST", "/v1/orders", b"{}");
        let answer = Answer::ok(&serde_json::json!({"id": 1}));
        let record = IdempotencyRecord::new(request.clone(), &answer, Utc::now());
        let replayed = record.replay(&request);
        assert_eq!(
            (replayed.status, &replayed.body),
            (answer.status, &answer.body)
        );
        assert!(replayed.replayed);
        let other = Fingerprint::new("POST", "/v1/orders/1/cancel", b"{}");
        assert_eq!(record.replay(&other).status, StatusCode::CONFLICT);
    }
}
