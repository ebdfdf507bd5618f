//! A GraphQL response: `data`, `errors` and `extensions.cost`, and what the errors mean.

use dealer_core::channel::ChannelError;
use serde::Deserialize;

use super::pacing::{CostReport, ThrottleStatus};

#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default)]
    pub data: serde_json::Value,
    #[serde(default)]
    errors: Vec<GraphqlError>,
    #[serde(default)]
    extensions: Option<Extensions>,
}

#[derive(Debug, Deserialize)]
struct GraphqlError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    extensions: Option<ErrorExtensions>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorExtensions {
    code: Option<String>,
    /// MAX_COST_EXCEEDED: the query's cost and the limit.
    cost: Option<f64>,
    max_cost: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Extensions {
    cost: Option<Cost>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cost {
    requested_query_cost: Option<f64>,
    actual_query_cost: Option<f64>,
    throttle_status: Option<Throttle>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Throttle {
    maximum_available: f64,
    currently_available: f64,
    restore_rate: f64,
}

/// Why a GraphQL answer carried no usable data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    Throttled,
    MaxCostExceeded {
        cost: Option<f64>,
        max_cost: Option<f64>,
    },
    AccessDenied(String),
    /// Shopify's own trouble; worth another try.
    Internal(String),
    Other(String),
}

impl Envelope {
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ChannelError> {
        serde_json::from_slice(body).map_err(|e| ChannelError::Protocol {
            detail: format!("the GraphQL answer is not a GraphQL response: {e}"),
        })
    }

    pub(crate) fn cost(&self) -> CostReport {
        let Some(cost) = self.extensions.as_ref().and_then(|e| e.cost.as_ref()) else {
            return CostReport::default();
        };
        CostReport {
            requested: cost.requested_query_cost,
            actual: cost.actual_query_cost,
            throttle: cost.throttle_status.as_ref().map(|t| ThrottleStatus {
                maximum_available: t.maximum_available,
                currently_available: t.currently_available,
                restore_rate: t.restore_rate,
            }),
        }
    }

    /// The first error that matters, if any. Any error fails the query: a partial answer of
    /// orders would silently miss some.
    pub(crate) fn failure(&self) -> Option<Failure> {
        let code = |e: &GraphqlError| e.extensions.as_ref().and_then(|x| x.code.clone());
        let by_code = |wanted: &str| {
            self.errors
                .iter()
                .find(|e| code(e).as_deref() == Some(wanted))
        };
        if by_code("THROTTLED").is_some() {
            return Some(Failure::Throttled);
        }
        if let Some(error) = by_code("MAX_COST_EXCEEDED") {
            let ext = error.extensions.as_ref();
            return Some(Failure::MaxCostExceeded {
                cost: ext.and_then(|x| x.cost),
                max_cost: ext.and_then(|x| x.max_cost),
            });
        }
        if let Some(error) = by_code("ACCESS_DENIED") {
            return Some(Failure::AccessDenied(error.message.clone()));
        }
        if let Some(error) = by_code("INTERNAL_SERVER_ERROR") {
            return Some(Failure::Internal(error.message.clone()));
        }
        let first = self.errors.first()?;
        let message = match code(first) {
            Some(code) => format!("{} ({code})", first.message),
            None => first.message.clone(),
        };
        Some(Failure::Other(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_answers_keep_their_bucket_report() {
        let body = br#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{"cost":{"requestedQueryCost":752,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":291,"restoreRate":50.0}}}}"#;
        let envelope = Envelope::parse(body).unwrap();
        assert_eq!(envelope.failure(), Some(Failure::Throttled));
        let cost = envelope.cost();
        assert_eq!(cost.requested, Some(752.0));
        assert_eq!(cost.actual, None);
        assert_eq!(cost.throttle.unwrap().currently_available, 291.0);
    }

    #[test]
    fn max_cost_exceeded_gives_its_figures() {
        let body = br#"{"errors":[{"message":"Query cost is 2003, which exceeds the single query max cost limit (1000).","extensions":{"code":"MAX_COST_EXCEEDED","cost":2003,"maxCost":1000}}]}"#;
        assert_eq!(
            Envelope::parse(body).unwrap().failure(),
            Some(Failure::MaxCostExceeded {
                cost: Some(2003.0),
                max_cost: Some(1000.0)
            })
        );
    }

    #[test]
    fn access_denied_and_other_errors() {
        let denied = br#"{"data":{"orders":null},"errors":[{"message":"Access denied for orders field. Required access: `read_orders` access scope.","extensions":{"code":"ACCESS_DENIED"}}]}"#;
        assert!(matches!(
            Envelope::parse(denied).unwrap().failure(),
            Some(Failure::AccessDenied(m)) if m.contains("read_orders")
        ));
        let invalid = br#"{"errors":[{"message":"Field 'nope' doesn't exist on type 'Order'","extensions":{"code":"undefinedField"}}]}"#;
        assert_eq!(
            Envelope::parse(invalid).unwrap().failure(),
            Some(Failure::Other(
                "Field 'nope' doesn't exist on type 'Order' (undefinedField)".into()
            ))
        );
        let fine = br#"{"data":{"shop":{"name":"Acme"}}}"#;
        assert_eq!(Envelope::parse(fine).unwrap().failure(), None);
        assert!(Envelope::parse(b"<html>").is_err());
    }
}
