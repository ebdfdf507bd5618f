//! The `fulfillmentCreate` mutation: records a fulfillment of the order's fulfillment order
//! (all of what is left, or the listed line items and quantities) with its tracking, through
//! [`StoreState::fulfill`]. What the store cannot do comes back in `userErrors`, as on Shopify;
//! an input that does not fit `FulfillmentInput` is a GraphQL error.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::fulfillment_json::{
    fulfillment_node, fulfillment_order_gid, fulfillment_order_status,
    line_of_fulfillment_order_line, order_of_fulfillment_order,
};
use super::graphql::error::GraphqlError;
use super::graphql::project::Resolved;
use super::order_json::line_items;
use crate::error::SandboxError;
use crate::model::{NewFulfillment, SandboxFulfilledLine, SandboxOrder};
use crate::state::StoreState;

/// `FulfillmentInput`, as far as the sandbox records it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FulfillmentInput {
    line_items_by_fulfillment_order: Vec<FulfillmentOrderLineItems>,
    #[serde(default)]
    tracking_info: Option<TrackingInput>,
    /// Accepted and ignored: the sandbox sends no emails and has one location.
    #[serde(default, rename = "notifyCustomer")]
    _notify_customer: Option<bool>,
    #[serde(default, rename = "originAddress")]
    _origin_address: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FulfillmentOrderLineItems {
    fulfillment_order_id: String,
    #[serde(default)]
    fulfillment_order_line_items: Option<Vec<LineItemInput>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineItemInput {
    id: String,
    quantity: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackingInput {
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    numbers: Option<Vec<String>>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    urls: Option<Vec<String>>,
    #[serde(default)]
    company: Option<String>,
}

/// A `UserError`: the input path and what is wrong with it.
struct UserError {
    field: Vec<String>,
    message: String,
}

impl UserError {
    fn new(field: &[&str], message: impl Into<String>) -> Self {
        let mut path = vec!["fulfillment".to_owned()];
        path.extend(field.iter().map(|part| (*part).to_owned()));
        Self {
            field: path,
            message: message.into(),
        }
    }

    fn to_json(&self) -> Value {
        json!({ "field": self.field, "message": self.message })
    }
}

pub(crate) fn fulfillment_create(state: &StoreState, arguments: &Map<String, Value>) -> Resolved {
    let input = arguments.get("fulfillment").cloned().unwrap_or(Value::Null);
    let input: FulfillmentInput = match serde_json::from_value(input) {
        Ok(input) => input,
        Err(error) => {
            return Resolved::Failed(
                GraphqlError::new(format!(
                    "Variable $fulfillment of type FulfillmentInput! was provided invalid value: \
                     {error}"
                ))
                .code("INVALID_VARIABLE"),
            )
        }
    };
    let payload = match create(state, input) {
        Ok(fulfillment) => json!({ "fulfillment": fulfillment, "userErrors": [] }),
        Err(error) => json!({ "fulfillment": null, "userErrors": [error.to_json()] }),
    };
    Resolved::Value(payload)
}

fn create(state: &StoreState, input: FulfillmentInput) -> Result<Value, UserError> {
    let groups = &input.line_items_by_fulfillment_order;
    let Some(first) = groups.first() else {
        return Err(UserError::new(
            &["lineItemsByFulfillmentOrder"],
            "Line items by fulfillment order can't be blank.",
        ));
    };
    let order_id = order_of_fulfillment_order(&first.fulfillment_order_id);
    let order = order_id.and_then(|id| state.read(|book| book.get(id).cloned()));
    let Some(order) = order else {
        return Err(does_not_exist(0));
    };
    let mut lines: Vec<SandboxFulfilledLine> = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        if order_of_fulfillment_order(&group.fulfillment_order_id) != Some(order.id) {
            let exists = order_of_fulfillment_order(&group.fulfillment_order_id)
                .is_some_and(|id| state.read(|book| book.get(id).is_some()));
            if !exists {
                return Err(does_not_exist(index));
            }
            return Err(UserError::new(
                &["lineItemsByFulfillmentOrder"],
                "All fulfillment orders must belong to the same order.",
            ));
        }
        let status = fulfillment_order_status(&order);
        if status == "CLOSED" {
            return Err(UserError::new(
                &[
                    "lineItemsByFulfillmentOrder",
                    &index.to_string(),
                    "fulfillmentOrderId",
                ],
                format!(
                    "Fulfillment order {} has an unfulfillable status= closed.",
                    fulfillment_order_gid(&order)
                ),
            ));
        }
        add_lines(&order, index, group, &mut lines)?;
    }
    let tracking = input.tracking_info.unwrap_or_default();
    let new = NewFulfillment {
        tracking_number: first_of(tracking.number, tracking.numbers).unwrap_or_default(),
        carrier: tracking.company.unwrap_or_default(),
        tracking_url: first_of(tracking.url, tracking.urls),
        lines,
    };
    match state.fulfill(order.id, new) {
        Ok((order, fulfillment)) => {
            let index = order.fulfillments.len().saturating_sub(1);
            Ok(fulfillment_node(
                &order,
                index,
                &fulfillment,
                &line_items(&order),
            ))
        }
        // The order changed between the checks above and the write.
        Err(SandboxError::AlreadyCancelled(_)) => Err(UserError::new(
            &["lineItemsByFulfillmentOrder"],
            "The order was cancelled.",
        )),
        Err(SandboxError::OrderNotFound(_)) => Err(does_not_exist(0)),
        Err(error) => Err(UserError::new(
            &["lineItemsByFulfillmentOrder"],
            format!("Invalid fulfillment order line item quantity requested ({error})."),
        )),
    }
}

/// Adds the group's lines to `lines`: the listed ones, or everything left when none are listed.
fn add_lines(
    order: &SandboxOrder,
    index: usize,
    group: &FulfillmentOrderLineItems,
    lines: &mut Vec<SandboxFulfilledLine>,
) -> Result<(), UserError> {
    let listed = group
        .fulfillment_order_line_items
        .as_deref()
        .unwrap_or_default();
    if listed.is_empty() {
        for position in 0..order.lines.len() {
            let remaining = order.unfulfilled(position);
            if remaining > 0 {
                add(lines, position, remaining);
            }
        }
        return Ok(());
    }
    let group_index = index.to_string();
    for (item_index, item) in listed.iter().enumerate() {
        let item_index = item_index.to_string();
        let at = |field: &'static str| {
            [
                "lineItemsByFulfillmentOrder",
                group_index.as_str(),
                "fulfillmentOrderLineItems",
                item_index.as_str(),
                field,
            ]
        };
        let Some(position) = line_of_fulfillment_order_line(order, &item.id) else {
            return Err(UserError::new(
                &at("id"),
                format!(
                    "Fulfillment order line item {} does not belong to fulfillment order {}.",
                    item.id, group.fulfillment_order_id
                ),
            ));
        };
        let already = lines
            .iter()
            .filter(|line| line.position == position)
            .map(|line| i64::from(line.quantity))
            .sum::<i64>();
        let remaining = i64::from(order.unfulfilled(position));
        let quantity = u32::try_from(item.quantity).ok().filter(|q| *q > 0);
        match quantity {
            Some(quantity) if already + item.quantity <= remaining => {
                add(lines, position, quantity);
            }
            _ => {
                return Err(UserError::new(
                    &at("quantity"),
                    format!(
                        "Invalid fulfillment order line item quantity requested: {} asked, {} \
                         remaining.",
                        item.quantity,
                        remaining - already
                    ),
                ))
            }
        }
    }
    Ok(())
}

fn add(lines: &mut Vec<SandboxFulfilledLine>, position: usize, quantity: u32) {
    match lines.iter_mut().find(|line| line.position == position) {
        Some(line) => line.quantity += quantity,
        None => lines.push(SandboxFulfilledLine { position, quantity }),
    }
}

fn does_not_exist(index: usize) -> UserError {
    UserError::new(
        &[
            "lineItemsByFulfillmentOrder",
            &index.to_string(),
            "fulfillmentOrderId",
        ],
        "Fulfillment order does not exist.",
    )
}

fn first_of(one: Option<String>, many: Option<Vec<String>>) -> Option<String> {
    one.or_else(|| many.and_then(|many| many.into_iter().next()))
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}
