//! The `orderCancel` mutation: cancels the order at once (Shopify does it in a background job;
//! the sandbox's job is done when it answers) and keeps the staff note. What the store cannot do
//! comes back in `orderCancelUserErrors`, as on Shopify: an order that does not exist, one
//! already cancelled, one with fulfilled items. A refund or restock is refused: the sandbox
//! moves no money nor stock, and a client that asks for them is not the one the app ships.

use serde_json::{json, Map, Value};

use super::fulfillment_json::display_fulfillment_status;
use super::graphql::project::Resolved;
use crate::error::SandboxError;
use crate::state::StoreState;

/// The answer, and whether the order was cancelled by this call.
pub(crate) fn order_cancel(state: &StoreState, arguments: &Map<String, Value>) -> (Resolved, bool) {
    state.count_api_cancel();
    let id = arguments
        .get("orderId")
        .and_then(Value::as_str)
        .and_then(|gid| gid.strip_prefix("gid://shopify/Order/"))
        .and_then(|id| id.parse::<u64>().ok());
    let flag = |name: &str| arguments.get(name).and_then(Value::as_bool) == Some(true);
    if flag("refund") || flag("restock") {
        return (user_error(
            "INVALID",
            &["refund"],
            "The sandbox store does not refund nor restock; cancel with refund: false, restock: \
             false.",
        ), false);
    }
    let Some(order) = id.and_then(|id| state.read(|book| book.get(id).cloned())) else {
        return (
            user_error("NOT_FOUND", &["orderId"], "Order does not exist."),
            false,
        );
    };
    if display_fulfillment_status(&order) != "UNFULFILLED" && !order.is_cancelled() {
        return (
            user_error(
                "INVALID",
                &["orderId"],
                "Cannot cancel an order with fulfilled items.",
            ),
            false,
        );
    }
    let note = arguments
        .get("staffNote")
        .and_then(Value::as_str)
        .unwrap_or("api")
        .to_owned();
    match state.cancel_through_api(order.id, note) {
        Ok(_) => (
            Resolved::Value(json!({
                "job": { "id": format!("gid://shopify/Job/cancel-{}", order.id), "done": true },
                "orderCancelUserErrors": [],
                "userErrors": [],
            })),
            true,
        ),
        Err(SandboxError::AlreadyCancelled(_)) => (
            user_error("INVALID", &["orderId"], "Order has already been cancelled."),
            false,
        ),
        Err(_) => (
            user_error("NOT_FOUND", &["orderId"], "Order does not exist."),
            false,
        ),
    }
}

fn user_error(code: &str, field: &[&str], message: &str) -> Resolved {
    let error = json!({ "field": field, "message": message, "code": code });
    Resolved::Value(json!({
        "job": null,
        "orderCancelUserErrors": [error],
        "userErrors": [{ "field": field, "message": message }],
    }))
}
