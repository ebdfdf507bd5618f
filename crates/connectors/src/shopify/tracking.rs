//! What a shipment becomes in Shopify, decided without I/O: whether the order already holds the
//! tracking number, and which fulfillment order line items (and how many of each) the shipment's
//! SKUs take (Shopify's name for the carrier is in `profile`). Every rule is unit-tested here.

use std::collections::HashMap;

use dealer_core::channel::{ChannelError, FulfillmentRequest};

use super::documents::FULFILLMENT_ORDER_LINES;
use super::wire::{FulfillmentNode, FulfillmentOrderNode};

/// The scopes writing tracking back needs (a `write_` scope includes its `read_`).
pub(crate) const TRACKING_SCOPES: [&str; 2] = [
    "write_fulfillments",
    "write_merchant_managed_fulfillment_orders",
];

/// The action a fulfillment order must support for `fulfillmentCreate`.
const CREATE_FULFILLMENT: &str = "CREATE_FULFILLMENT";

/// A tracking number as compared: no spaces, upper case.
pub(crate) fn normalize_tracking(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The order's fulfillment that already carries `tracking_number`, if any. A cancelled one
/// counts too: the push it came from got through, and the merchant undid it on purpose.
pub(crate) fn already_recorded<'a>(
    fulfillments: &'a [FulfillmentNode],
    tracking_number: &str,
) -> Option<&'a FulfillmentNode> {
    let wanted = normalize_tracking(tracking_number);
    fulfillments.iter().find(|fulfillment| {
        fulfillment.tracking_info.iter().any(|info| {
            info.number
                .as_deref()
                .is_some_and(|number| normalize_tracking(number) == wanted)
        })
    })
}

/// The scopes of [`TRACKING_SCOPES`] that `granted` lacks.
pub(crate) fn missing_tracking_scopes<'a>(
    granted: impl IntoIterator<Item = &'a str>,
) -> Vec<&'static str> {
    let granted: Vec<&str> = granted.into_iter().collect();
    TRACKING_SCOPES
        .into_iter()
        .filter(|scope| !granted.contains(scope))
        .collect()
}

/// What the store has left to ship on an order, every page of its fulfillment orders read.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrderToFulfill {
    pub cancelled: bool,
    /// `Order.displayFulfillmentStatus`, for messages.
    pub display_status: String,
    pub fulfillment_orders: Vec<FulfillmentOrderNode>,
}

/// One entry of `lineItemsByFulfillmentOrder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ByFulfillmentOrder {
    pub fulfillment_order_id: String,
    /// Fulfillment order line item ids and quantities.
    pub lines: Vec<(String, u32)>,
}

/// Matches the shipment's lines (store SKU and quantity) to the line items of the fulfillment
/// orders that allow `CREATE_FULFILLMENT`, taking at most each one's remaining quantity, in the
/// store's order. Only the shipment's quantities are taken, so a partial shipment leaves the
/// rest open. Fails, saying why, when the store cannot take the whole shipment.
pub(crate) fn line_items_by_fulfillment_order(
    request: &FulfillmentRequest,
    order: &OrderToFulfill,
) -> Result<Vec<ByFulfillmentOrder>, ChannelError> {
    let number = &request.order_number;
    if order.fulfillment_orders.is_empty() {
        return Err(ChannelError::MissingScope {
            scope: TRACKING_SCOPES[1].to_string(),
            detail: format!("Shopify shows the app no fulfillment orders for order {number}"),
        });
    }
    let open: Vec<&FulfillmentOrderNode> = order
        .fulfillment_orders
        .iter()
        .filter(|fo| {
            fo.supported_actions
                .iter()
                .any(|a| a.action == CREATE_FULFILLMENT)
        })
        .collect();
    if open.is_empty() {
        return Err(nothing_to_fulfill(request, order));
    }
    if request.lines.iter().all(|line| line.quantity == 0) {
        return Err(protocol(format!(
            "the shipment of order {number} holds no items to record in Shopify"
        )));
    }
    let mut taken: HashMap<&str, u32> = HashMap::new();
    let mut plan: Vec<ByFulfillmentOrder> = Vec::new();
    for line in request.lines.iter().filter(|line| line.quantity > 0) {
        let sku = line.sku.trim();
        let mut needed = line.quantity;
        for fo in &open {
            for item in &fo.line_items.nodes {
                if needed == 0 {
                    break;
                }
                if item.line_item.sku.as_deref().map(str::trim) != Some(sku) {
                    continue;
                }
                let remaining = u32::try_from(item.remaining_quantity.max(0)).unwrap_or(u32::MAX);
                let used = taken.entry(item.id.as_str()).or_insert(0);
                let quantity = needed.min(remaining.saturating_sub(*used));
                if quantity == 0 {
                    continue;
                }
                *used += quantity;
                needed -= quantity;
                add(&mut plan, &fo.id, &item.id, quantity);
            }
        }
        if needed > 0 {
            return Err(shortfall(request, order, &open, sku, line.quantity, needed));
        }
    }
    Ok(plan)
}

fn add(plan: &mut Vec<ByFulfillmentOrder>, fulfillment_order: &str, item: &str, quantity: u32) {
    let index = match plan
        .iter()
        .position(|entry| entry.fulfillment_order_id == fulfillment_order)
    {
        Some(index) => index,
        None => {
            plan.push(ByFulfillmentOrder {
                fulfillment_order_id: fulfillment_order.to_string(),
                lines: Vec::new(),
            });
            plan.len() - 1
        }
    };
    let lines = &mut plan[index].lines;
    match lines.iter_mut().find(|(id, _)| id == item) {
        Some((_, total)) => *total += quantity,
        None => lines.push((item.to_string(), quantity)),
    }
}

fn nothing_to_fulfill(request: &FulfillmentRequest, order: &OrderToFulfill) -> ChannelError {
    let number = &request.order_number;
    if order.cancelled {
        return protocol(format!(
            "order {number} is cancelled in Shopify; its tracking cannot be recorded there"
        ));
    }
    let mut statuses: Vec<&str> = order
        .fulfillment_orders
        .iter()
        .map(|fo| fo.status.as_str())
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    let hint = if statuses.contains(&"ON_HOLD") {
        "; release the hold in Shopify, then try again"
    } else {
        ""
    };
    protocol(format!(
        "Shopify has nothing left to fulfill on order {number} (shown as {}, fulfillment \
         orders {}){hint}",
        order.display_status,
        statuses.join(", ")
    ))
}

fn shortfall(
    request: &FulfillmentRequest,
    order: &OrderToFulfill,
    open: &[&FulfillmentOrderNode],
    sku: &str,
    wanted: u32,
    missing: u32,
) -> ChannelError {
    let number = &request.order_number;
    let on_order = order.fulfillment_orders.iter().any(|fo| {
        fo.line_items
            .nodes
            .iter()
            .any(|item| item.line_item.sku.as_deref().map(str::trim) == Some(sku))
    });
    let truncated = open.iter().any(|fo| fo.line_items.page_info.has_next_page);
    if truncated {
        return protocol(format!(
            "order {number} has more than {FULFILLMENT_ORDER_LINES} line items in one \
             fulfillment order and SKU {sku} is not among the first {FULFILLMENT_ORDER_LINES}; \
             record this shipment's tracking in Shopify by hand"
        ));
    }
    if !on_order {
        return protocol(format!(
            "SKU {sku} of the shipment is not on order {number} in Shopify (was the order \
             edited there?)"
        ));
    }
    let available = wanted - missing;
    protocol(format!(
        "Shopify has {available} of SKU {sku} left to fulfill on order {number} but the \
         shipment holds {wanted} (was it fulfilled in Shopify already?)"
    ))
}

fn protocol(detail: String) -> ChannelError {
    ChannelError::Protocol { detail }
}

#[cfg(test)]
mod tests {
    use dealer_core::channel::FulfillmentLine;

    use super::*;
    use crate::shopify::wire::{
        FulfillmentOrderLineNode, FulfillmentOrderLines, MorePages, OrderLineRef, SupportedAction,
        TrackingInfo,
    };

    fn request(lines: &[(&str, u32)]) -> FulfillmentRequest {
        FulfillmentRequest {
            channel_order_id: "gid://shopify/Order/1".into(),
            order_number: "#1001".into(),
            tracking_number: "1Z999AA10123456784".into(),
            carrier: "UPS".into(),
            tracking_url: None,
            lines: lines
                .iter()
                .map(|(sku, quantity)| FulfillmentLine {
                    sku: (*sku).into(),
                    quantity: *quantity,
                })
                .collect(),
            completes_order: false,
        }
    }

    fn fulfillment_order(
        id: &str,
        status: &str,
        lines: &[(&str, &str, i64)],
    ) -> FulfillmentOrderNode {
        let actions = match status {
            "OPEN" | "IN_PROGRESS" => vec!["CREATE_FULFILLMENT", "MOVE"],
            "ON_HOLD" => vec!["RELEASE_HOLD"],
            _ => vec![],
        };
        FulfillmentOrderNode {
            id: id.into(),
            status: status.into(),
            supported_actions: actions
                .into_iter()
                .map(|action| SupportedAction {
                    action: action.into(),
                })
                .collect(),
            line_items: FulfillmentOrderLines {
                page_info: MorePages {
                    has_next_page: false,
                },
                nodes: lines
                    .iter()
                    .map(|(id, sku, remaining)| FulfillmentOrderLineNode {
                        id: (*id).into(),
                        remaining_quantity: *remaining,
                        line_item: OrderLineRef {
                            sku: Some((*sku).into()),
                        },
                    })
                    .collect(),
            },
        }
    }

    fn order(fulfillment_orders: Vec<FulfillmentOrderNode>) -> OrderToFulfill {
        OrderToFulfill {
            cancelled: false,
            display_status: "UNFULFILLED".into(),
            fulfillment_orders,
        }
    }

    #[test]
    fn a_recorded_tracking_number_is_found_whatever_its_spacing_or_case() {
        let fulfillment = |id: &str, number: Option<&str>| FulfillmentNode {
            id: id.into(),
            status: "SUCCESS".into(),
            tracking_info: vec![TrackingInfo {
                number: number.map(Into::into),
            }],
        };
        let held = [
            fulfillment("gid://shopify/Fulfillment/1", None),
            fulfillment("gid://shopify/Fulfillment/2", Some("1z999aa1 0123456784")),
        ];
        let found = already_recorded(&held, "1Z999AA10123456784").unwrap();
        assert_eq!(found.id, "gid://shopify/Fulfillment/2");
        assert!(already_recorded(&held, "1Z999AA10123456785").is_none());
        assert!(already_recorded(&[], "1Z999AA10123456784").is_none());
    }

    #[test]
    fn a_partial_shipment_takes_only_its_quantities() {
        let fo = fulfillment_order("fo1", "OPEN", &[("li1", "MUG", 3), ("li2", "CAP", 1)]);
        let plan =
            line_items_by_fulfillment_order(&request(&[("MUG", 2)]), &order(vec![fo])).unwrap();
        assert_eq!(
            plan,
            [ByFulfillmentOrder {
                fulfillment_order_id: "fo1".into(),
                lines: vec![("li1".into(), 2)],
            }]
        );
    }

    #[test]
    fn lines_spread_over_fulfillment_orders_that_allow_fulfilling() {
        let held = fulfillment_order("fo0", "ON_HOLD", &[("li0", "MUG", 5)]);
        let first = fulfillment_order(
            "fo1",
            "IN_PROGRESS",
            &[("li1", "MUG", 1), ("li2", "CAP", 0)],
        );
        let second = fulfillment_order("fo2", "OPEN", &[("li3", "MUG", 4), ("li4", "CAP", 2)]);
        let request = request(&[("MUG", 2), ("CAP", 1), ("MUG", 1)]);
        let plan =
            line_items_by_fulfillment_order(&request, &order(vec![held, first, second])).unwrap();
        assert_eq!(
            plan,
            [
                ByFulfillmentOrder {
                    fulfillment_order_id: "fo1".into(),
                    lines: vec![("li1".into(), 1)],
                },
                ByFulfillmentOrder {
                    fulfillment_order_id: "fo2".into(),
                    lines: vec![("li3".into(), 2), ("li4".into(), 1)],
                },
            ]
        );
    }

    #[test]
    fn more_than_is_left_is_refused_with_the_reason() {
        let fo = fulfillment_order("fo1", "IN_PROGRESS", &[("li1", "MUG", 1)]);
        let err =
            line_items_by_fulfillment_order(&request(&[("MUG", 2)]), &order(vec![fo.clone()]))
                .unwrap_err();
        assert!(err.to_string().contains("1 of SKU MUG left"), "{err}");
        let err =
            line_items_by_fulfillment_order(&request(&[("HAT", 1)]), &order(vec![fo])).unwrap_err();
        assert!(err.to_string().contains("SKU HAT"), "{err}");
        assert!(err.to_string().contains("not on order #1001"), "{err}");
    }

    #[test]
    fn an_order_with_nothing_open_says_why() {
        let closed = fulfillment_order("fo1", "CLOSED", &[("li1", "MUG", 0)]);
        let mut fulfilled = order(vec![closed]);
        fulfilled.display_status = "FULFILLED".into();
        let err = line_items_by_fulfillment_order(&request(&[("MUG", 1)]), &fulfilled).unwrap_err();
        assert!(err.to_string().contains("nothing left to fulfill"), "{err}");
        assert!(err.to_string().contains("FULFILLED"), "{err}");

        let held = order(vec![fulfillment_order(
            "fo1",
            "ON_HOLD",
            &[("li1", "MUG", 1)],
        )]);
        let err = line_items_by_fulfillment_order(&request(&[("MUG", 1)]), &held).unwrap_err();
        assert!(err.to_string().contains("release the hold"), "{err}");

        let mut cancelled = fulfilled;
        cancelled.cancelled = true;
        let err = line_items_by_fulfillment_order(&request(&[("MUG", 1)]), &cancelled).unwrap_err();
        assert!(err.to_string().contains("cancelled"), "{err}");

        let err =
            line_items_by_fulfillment_order(&request(&[("MUG", 1)]), &order(vec![])).unwrap_err();
        assert!(
            matches!(&err, ChannelError::MissingScope { scope, .. } if scope == "write_merchant_managed_fulfillment_orders"),
            "{err:?}"
        );
    }

    #[test]
    fn the_tracking_scopes_are_checked() {
        assert_eq!(
            missing_tracking_scopes(["read_orders", "write_fulfillments"]),
            ["write_merchant_managed_fulfillment_orders"]
        );
        assert!(missing_tracking_scopes(TRACKING_SCOPES).is_empty());
    }
}
