//! An order's fulfillment side as Shopify shows it: one fulfillment order per order (the sandbox
//! has one location), whose line items say how much is left to ship, and the fulfillments made
//! so far with their tracking. Ids are derived from the order, like the line items' ids.

use serde_json::{json, Value};

use super::order_json::gid;
use crate::dates::iso_seconds_z;
use crate::ids;
use crate::model::{SandboxFulfillment, SandboxOrder, StoreKind};

const FULFILLMENT_ORDER_BASE: u64 = 6_300_000_000_000;
const FULFILLMENT_ORDER_LINE_BASE: u64 = 16_500_000_000_000;
const FULFILLMENT_LINE_BASE: u64 = 17_200_000_000_000;
/// Lines per order (and per fulfillment) the derived line ids leave room for.
const LINES_PER_PARENT: u64 = 1_000;

/// The actions a fulfillment order with something left to ship supports at a merchant-managed
/// location.
const OPEN_ACTIONS: [&str; 3] = ["CREATE_FULFILLMENT", "MOVE", "HOLD"];

pub(crate) fn fulfillment_order_gid(order: &SandboxOrder) -> String {
    gid("FulfillmentOrder", FULFILLMENT_ORDER_BASE + order.number)
}

fn fulfillment_order_line_id(order: &SandboxOrder, position: usize) -> u64 {
    FULFILLMENT_ORDER_LINE_BASE + order.number * LINES_PER_PARENT + position as u64 + 1
}

/// The store's id of the order whose fulfillment order has this GID.
pub(crate) fn order_of_fulfillment_order(fulfillment_order: &str) -> Option<u64> {
    let id: u64 = fulfillment_order
        .strip_prefix("gid://shopify/FulfillmentOrder/")?
        .parse()
        .ok()?;
    let number = id.checked_sub(FULFILLMENT_ORDER_BASE).filter(|n| *n > 0)?;
    Some(ids::order_id(StoreKind::Shopify, number))
}

/// The position in `order.lines` of the fulfillment order line item with this GID.
pub(crate) fn line_of_fulfillment_order_line(order: &SandboxOrder, line: &str) -> Option<usize> {
    let id: u64 = line
        .strip_prefix("gid://shopify/FulfillmentOrderLineItem/")?
        .parse()
        .ok()?;
    let first = fulfillment_order_line_id(order, 0);
    let position = usize::try_from(id.checked_sub(first)?).ok()?;
    (position < order.lines.len()).then_some(position)
}

/// Units not yet in a fulfillment, over every line.
fn remaining(order: &SandboxOrder) -> u64 {
    (0..order.lines.len())
        .map(|position| u64::from(order.unfulfilled(position)))
        .sum()
}

fn shipped_any(order: &SandboxOrder) -> bool {
    order
        .fulfillments
        .iter()
        .any(|fulfillment| fulfillment.lines.iter().any(|line| line.quantity > 0))
}

/// `FulfillmentOrderStatus`: closed once cancelled or fully shipped, in progress once partly.
pub(crate) fn fulfillment_order_status(order: &SandboxOrder) -> &'static str {
    if order.is_cancelled() || remaining(order) == 0 {
        "CLOSED"
    } else if shipped_any(order) {
        "IN_PROGRESS"
    } else {
        "OPEN"
    }
}

/// `Order.displayFulfillmentStatus`.
pub(crate) fn display_fulfillment_status(order: &SandboxOrder) -> &'static str {
    if !shipped_any(order) {
        "UNFULFILLED"
    } else if remaining(order) == 0 {
        "FULFILLED"
    } else {
        "PARTIALLY_FULFILLED"
    }
}

/// The order's fulfillment order; `lines` are its `LineItem` objects, by position.
pub(crate) fn fulfillment_order(order: &SandboxOrder, lines: &[Value]) -> Value {
    let status = fulfillment_order_status(order);
    let actions: Vec<Value> = match status {
        "CLOSED" => Vec::new(),
        _ => OPEN_ACTIONS
            .iter()
            .map(|action| json!({ "action": action, "externalUrl": null }))
            .collect(),
    };
    let line_items: Vec<Value> = order
        .lines
        .iter()
        .zip(lines)
        .enumerate()
        .map(|(position, (line, line_item))| {
            json!({
                "id": gid("FulfillmentOrderLineItem", fulfillment_order_line_id(order, position)),
                "sku": line.sku,
                "productTitle": line.title,
                "totalQuantity": line.quantity,
                "remainingQuantity": order.unfulfilled(position),
                "requiresShipping": true,
                "lineItem": line_item,
            })
        })
        .collect();
    json!({
        "id": fulfillment_order_gid(order),
        "orderId": gid("Order", order.id),
        "orderName": format!("#{}", order.number),
        "status": status,
        "requestStatus": "UNSUBMITTED",
        "createdAt": iso_seconds_z(order.created_at),
        "updatedAt": iso_seconds_z(order.updated_at),
        "supportedActions": actions,
        "lineItems": line_items,
    })
}

/// The order's fulfillments, oldest first.
pub(crate) fn fulfillments(order: &SandboxOrder, lines: &[Value]) -> Vec<Value> {
    order
        .fulfillments
        .iter()
        .enumerate()
        .map(|(index, fulfillment)| fulfillment_node(order, index, fulfillment, lines))
        .collect()
}

/// One fulfillment, the `index`th of the order (Shopify names them `#1001.1`, `#1001.2`, …).
pub(crate) fn fulfillment_node(
    order: &SandboxOrder,
    index: usize,
    fulfillment: &SandboxFulfillment,
    lines: &[Value],
) -> Value {
    let tracking: Vec<Value> = if fulfillment.tracking_number.is_empty() {
        Vec::new()
    } else {
        let company = Some(fulfillment.carrier.as_str()).filter(|c| !c.is_empty());
        vec![json!({
            "company": company,
            "number": fulfillment.tracking_number,
            "url": fulfillment.tracking_url,
        })]
    };
    let line_items: Vec<Value> = fulfillment
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let id = FULFILLMENT_LINE_BASE + fulfillment.id * LINES_PER_PARENT + i as u64 + 1;
            json!({
                "id": gid("FulfillmentLineItem", id),
                "quantity": line.quantity,
                "lineItem": lines.get(line.position).cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    let created = iso_seconds_z(fulfillment.created_at);
    json!({
        "id": gid("Fulfillment", fulfillment.id),
        "legacyResourceId": fulfillment.id.to_string(),
        "name": format!("#{}.{}", order.number, index + 1),
        "status": "SUCCESS",
        "displayStatus": "FULFILLED",
        "createdAt": created,
        "updatedAt": created,
        "requiresShipping": true,
        "totalQuantity": fulfillment.lines.iter().map(|line| line.quantity).sum::<u32>(),
        "trackingInfo": tracking,
        "fulfillmentLineItems": line_items,
    })
}
