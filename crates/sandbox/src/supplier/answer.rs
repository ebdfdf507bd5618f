//! An API answer as the supplier records it for idempotent replay: a status and a JSON body,
//! errors in the contract's `{code, message, field}` shape.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::Value;

use super::rules::Refusal;
use super::wire::ApiError;

/// Response header on an answer replayed from an idempotency record (informational).
pub(crate) const REPLAYED_HEADER: &str = "idempotent-replayed";

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub replayed: bool,
}

impl Answer {
    pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Answer {
        Answer {
            status,
            body: serde_json::to_value(body).unwrap_or(Value::Null),
            replayed: false,
        }
    }

    pub(crate) fn ok(body: &impl Serialize) -> Answer {
        Self::json(StatusCode::OK, body)
    }

    pub(crate) fn error(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        field: Option<&str>,
    ) -> Answer {
        Self::json(
            status,
            &ApiError {
                code: code.to_owned(),
                message: message.into(),
                field: field.map(str::to_owned),
            },
        )
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Answer {
        Self::error(StatusCode::NOT_FOUND, "not_found", message, None)
    }

    /// A refused request: `400` for validation, `422` for business rules.
    pub(crate) fn refused(refusal: Refusal) -> Answer {
        let status = if refusal.code == "validation_failed" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Self::error(
            status,
            refusal.code,
            refusal.message,
            refusal.field.as_deref(),
        )
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if self.replayed {
            response
                .headers_mut()
                .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
        }
        response
    }
}
