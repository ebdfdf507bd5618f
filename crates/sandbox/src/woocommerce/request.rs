//! What the write routes share: reading a JSON body and its parameters the way the WordPress
//! REST server does (`rest_invalid_json`, `rest_missing_callback_param`, `rest_invalid_param`),
//! and losing an answer on purpose after the write is done.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::error_response;
use crate::error::SandboxError;
use crate::server::DropConnection;
use crate::state::StoreState;

pub(crate) type Body = Map<String, Value>;

/// A refusal in WordPress's shape: `{code, message, data: {status, params?}}`. Small, so
/// helpers can return it in a `Result`.
#[derive(Debug)]
pub(crate) struct WpError {
    status: StatusCode,
    code: &'static str,
    message: String,
    params: Option<Value>,
}

impl IntoResponse for WpError {
    fn into_response(self) -> Response {
        let mut data = json!({ "status": self.status.as_u16() });
        if let (Some(fields), Some(params)) = (data.as_object_mut(), self.params) {
            fields.insert("params".to_owned(), params);
        }
        let body = json!({ "code": self.code, "message": self.message, "data": data });
        (self.status, Json(body)).into_response()
    }
}

/// The JSON object a write was sent; an empty body is an empty object, as for WordPress.
pub(crate) fn json_body(bytes: &[u8]) -> Result<Body, WpError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(body)) => Ok(body),
        _ => Err(WpError {
            status: StatusCode::BAD_REQUEST,
            code: "rest_invalid_json",
            message: "Invalid JSON body passed.".to_owned(),
            params: None,
        }),
    }
}

/// A string parameter: `None` when absent or null.
pub(crate) fn string_param(body: &Body, name: &str) -> Result<Option<String>, WpError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(invalid_param(
            name,
            &format!("{name} is not of type string."),
        )),
    }
}

/// A boolean parameter; WordPress also takes `"true"`, `"1"` and the like.
pub(crate) fn bool_param(body: &Body, name: &str) -> Result<Option<bool>, WpError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(Value::String(text)) if matches!(text.as_str(), "true" | "1" | "yes") => {
            Ok(Some(true))
        }
        Some(Value::String(text)) if matches!(text.as_str(), "false" | "0" | "no" | "") => {
            Ok(Some(false))
        }
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
        Some(_) => Err(invalid_param(
            name,
            &format!("{name} is not of type boolean."),
        )),
    }
}

/// A required argument is missing (or empty).
pub(crate) fn missing_param(name: &str) -> WpError {
    WpError {
        status: StatusCode::BAD_REQUEST,
        code: "rest_missing_callback_param",
        message: format!("Missing parameter(s): {name}"),
        params: Some(json!([name])),
    }
}

pub(crate) fn invalid_param(name: &str, problem: &str) -> WpError {
    WpError {
        status: StatusCode::BAD_REQUEST,
        code: "rest_invalid_param",
        message: format!("Invalid parameter(s): {name}"),
        params: Some(json!({ name: problem })),
    }
}

/// Something a real store would do but the sandbox's model cannot hold (another status, a
/// change of address through the API): said plainly rather than silently ignored.
pub(crate) fn unsupported(message: &str) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        "woocommerce_sandbox_unsupported",
        message,
    )
}

pub(crate) fn invalid_order_id() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "woocommerce_rest_order_invalid_id",
        "Invalid order ID.",
    )
}

/// A refused change of the order book, in WordPress's error shape.
pub(crate) fn refused(failure: &SandboxError) -> Response {
    match failure {
        SandboxError::OrderNotFound(_) => invalid_order_id(),
        SandboxError::AlreadyCancelled(id) => unsupported(&format!(
            "Order {id} is cancelled; the sandbox store changes nothing on a cancelled order."
        )),
        other => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "woocommerce_sandbox_error",
            &other.to_string(),
        ),
    }
}

/// `response`, unless the store was told to lose this write's answer: then the connection is
/// closed with nothing sent, after the write.
pub(crate) fn answer_or_lose(state: &StoreState, response: Response) -> Response {
    if !state.take_lost_answer() {
        return response;
    }
    let mut lost = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    lost.extensions_mut().insert(DropConnection);
    lost
}
