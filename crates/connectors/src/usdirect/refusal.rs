//! What US Direct's answers mean as [`SupplierError`]s: a refusal's status and `{code, message,
//! field}` body, and a transient failure that outlasted the retries. Every error passes
//! [`scrub`] on its way out, so the token cannot leave in a server's echo of it.

use dealer_core::channel::ChannelError;
use dealer_core::supplier::SupplierError;

use super::wire::WireError;
use crate::http::Reply;

/// The longest piece of an unreadable body quoted in an error.
const QUOTE: usize = 200;

/// A non-2xx final answer. `what` names the thing a 404 is about ("order USD-ORD-1").
pub(super) fn refusal(reply: &Reply, what: &str) -> SupplierError {
    match reply.status {
        401 | 403 => return SupplierError::Unauthorized,
        404 => {
            return SupplierError::NotFound {
                what: what.to_string(),
            }
        }
        _ => {}
    }
    let Some(body) = error_body(reply) else {
        return SupplierError::Protocol {
            detail: format!(
                "HTTP {} for {} without the contract's error body: {}",
                reply.status,
                reply.path,
                quote(&reply.body)
            ),
        };
    };
    match reply.status {
        400 => SupplierError::Invalid {
            message: body.message,
            field: body.field,
        },
        409 => SupplierError::Conflict {
            code: body.code,
            message: body.message,
        },
        422 => SupplierError::Refused {
            code: body.code,
            message: body.message,
            field: body.field,
        },
        status => SupplierError::Protocol {
            detail: format!(
                "HTTP {status} for {}, which the contract does not have: {} ({})",
                reply.path, body.message, body.code
            ),
        },
    }
}

fn error_body(reply: &Reply) -> Option<WireError> {
    serde_json::from_slice(&reply.body).ok()
}

/// A transport failure that the retries did not get past.
pub(super) fn gave_up(error: ChannelError) -> SupplierError {
    match error {
        ChannelError::RateLimited { retry_after } => SupplierError::RateLimited { retry_after },
        ChannelError::Server { status, detail } => SupplierError::Unavailable {
            detail: format!("HTTP {status}: {detail}"),
            retry_after: None,
        },
        ChannelError::Unreachable { detail } => SupplierError::Unavailable {
            detail,
            retry_after: None,
        },
        ChannelError::Protocol { detail } => SupplierError::Protocol { detail },
        // `exchange` hands refusals back as replies; these would be a bug there.
        ChannelError::Unauthorized { .. } | ChannelError::MissingScope { .. } => {
            SupplierError::Unauthorized
        }
        ChannelError::NotFound { detail } => SupplierError::NotFound { what: detail },
        ChannelError::Redirected { location } => SupplierError::Redirected { location },
    }
}

/// A 2xx body that does not read as the contract says. The body is not quoted: an order's
/// answer holds its ship-to, which has no place in an error that may be logged.
pub(super) fn unreadable(path: &str, error: &serde_json::Error) -> SupplierError {
    SupplierError::Protocol {
        detail: format!("the answer for {path} does not read: {error}"),
    }
}

fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "an empty body".into();
    }
    if text.chars().count() > QUOTE {
        format!("{}…", text.chars().take(QUOTE).collect::<String>())
    } else {
        text
    }
}

/// Replaces every occurrence of the token in the error's text, should a server (or a proxy)
/// have echoed it back.
pub(super) fn scrub(error: SupplierError, token: &str) -> SupplierError {
    if token.is_empty() {
        return error;
    }
    let clean = |text: String| {
        if text.contains(token) {
            text.replace(token, "<redacted>")
        } else {
            text
        }
    };
    match error {
        SupplierError::Refused {
            code,
            message,
            field,
        } => SupplierError::Refused {
            code: clean(code),
            message: clean(message),
            field: field.map(clean),
        },
        SupplierError::Conflict { code, message } => SupplierError::Conflict {
            code: clean(code),
            message: clean(message),
        },
        SupplierError::Invalid { message, field } => SupplierError::Invalid {
            message: clean(message),
            field: field.map(clean),
        },
        SupplierError::NotFound { what } => SupplierError::NotFound { what: clean(what) },
        SupplierError::Unavailable {
            detail,
            retry_after,
        } => SupplierError::Unavailable {
            detail: clean(detail),
            retry_after,
        },
        SupplierError::Protocol { detail } => SupplierError::Protocol {
            detail: clean(detail),
        },
        SupplierError::Redirected { location } => SupplierError::Redirected {
            location: clean(location),
        },
        error @ (SupplierError::Unauthorized | SupplierError::RateLimited { .. }) => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            path: "/v1/orders".into(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn each_status_becomes_its_error() {
        let refused = reply(
            422,
            r#"{"code":"unknown_sku","message":"SKU X is not in the catalog.","field":"items[0].sku"}"#,
        );
        assert_eq!(
            refusal(&refused, "order"),
            SupplierError::Refused {
                code: "unknown_sku".into(),
                message: "SKU X is not in the catalog.".into(),
                field: Some("items[0].sku".into()),
            }
        );
        let conflict = reply(409, r#"{"code":"already_shipped","message":"Too late."}"#);
        assert_eq!(
            refusal(&conflict, "order"),
            SupplierError::Conflict {
                code: "already_shipped".into(),
                message: "Too late.".into()
            }
        );
        let invalid = reply(
            400,
            r#"{"code":"validation_failed","message":"bad","field":null}"#,
        );
        assert_eq!(
            refusal(&invalid, "order"),
            SupplierError::Invalid {
                message: "bad".into(),
                field: None
            }
        );
        assert_eq!(refusal(&reply(401, ""), "x"), SupplierError::Unauthorized);
        assert_eq!(
            refusal(&reply(404, "<html>"), "order USD-1"),
            SupplierError::NotFound {
                what: "order USD-1".into()
            }
        );
        assert!(matches!(
            refusal(&reply(422, "<html>oops</html>"), "x"),
            SupplierError::Protocol { detail } if detail.contains("<html>oops</html>")
        ));
        assert!(matches!(
            refusal(&reply(418, r#"{"code":"teapot","message":"no"}"#), "x"),
            SupplierError::Protocol { .. }
        ));
    }

    #[test]
    fn an_echoed_token_is_scrubbed() {
        let error = SupplierError::Refused {
            code: "c".into(),
            message: "token tok-123 is odd".into(),
            field: Some("tok-123".into()),
        };
        let text = format!("{:?}", scrub(error, "tok-123"));
        assert!(!text.contains("tok-123"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
