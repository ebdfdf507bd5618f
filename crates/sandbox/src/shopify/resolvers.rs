//! The root fields the sandbox answers (`shop`, `orders`, `order`, `currentAppInstallation`
//! and the `fulfillmentCreate` and `orderCancel` mutations), with the token's scopes applied. New root fields go
//! here and in `schema`.

use serde_json::{json, Map, Value};

use super::fulfillment_create::fulfillment_create;
use super::graphql::error::GraphqlError;
use super::graphql::project::{Resolved, RootResolver};
use super::order_cancel::order_cancel;
use super::order_json::order_node;
use super::orders_query::{hostile_paging, orders_page};
use super::shop_json::shop_object;
use crate::state::StoreState;

/// What the access token may read and write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scopes {
    All,
    WithoutReadOrders,
    /// No fulfillment scopes: fulfillment orders are hidden (Shopify shows an app without
    /// access to them an empty list) and `fulfillmentCreate` is denied.
    WithoutFulfillments,
}

const FULFILLMENT_SCOPES: [&str; 4] = [
    "read_fulfillments",
    "write_fulfillments",
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
];

impl Scopes {
    /// The access scope handles granted to the app.
    fn handles(self) -> Vec<&'static str> {
        let orders = ["read_orders", "write_orders"];
        match self {
            Self::All => orders.into_iter().chain(FULFILLMENT_SCOPES).collect(),
            Self::WithoutReadOrders => FULFILLMENT_SCOPES.to_vec(),
            Self::WithoutFulfillments => orders.to_vec(),
        }
    }

    fn fulfillments(self) -> bool {
        self != Self::WithoutFulfillments
    }
}

pub(crate) struct Root<'a> {
    pub state: &'a StoreState,
    pub scopes: Scopes,
    /// Orders included in the answer.
    pub served: u64,
    /// `extensions.search` entries for search terms that were ignored.
    pub search: Vec<Value>,
    /// A write went through whose answer the store was told to lose.
    pub lose_answer: bool,
}

impl RootResolver for Root<'_> {
    fn resolve(&mut self, field: &str, arguments: &Map<String, Value>) -> Resolved {
        match field {
            "shop" => Resolved::Value(shop_object(&self.state.origin)),
            "currentAppInstallation" => Resolved::Value(app_installation(self.scopes)),
            "orders" | "order" if self.scopes == Scopes::WithoutReadOrders => {
                Resolved::Failed(access_denied(field, "`read_orders` access scope."))
            }
            "fulfillmentCreate" if !self.scopes.fulfillments() => Resolved::Failed(access_denied(
                field,
                "`write_fulfillments` access scope. Also: \
                 `write_merchant_managed_fulfillment_orders` access scope.",
            )),
            "fulfillmentCreate" => fulfillment_create(self.state, arguments),
            "orderCancel" if self.scopes == Scopes::WithoutReadOrders => {
                Resolved::Failed(access_denied(field, "`write_orders` access scope."))
            }
            "orderCancel" => {
                let (resolved, cancelled) = order_cancel(self.state, arguments);
                // A cancel that went through may have its answer lost, like any write.
                self.lose_answer = cancelled && self.state.take_lost_answer();
                resolved
            }
            "orders" => match self.state.read(|book| orders_page(book, arguments)) {
                Ok(mut listed) => {
                    hostile_paging(self.state, arguments, &mut listed.page);
                    if !self.scopes.fulfillments() {
                        for (_, node) in &mut listed.page.items {
                            hide_fulfillment_orders(node);
                        }
                    }
                    let poison = self.state.poison();
                    for (_, node) in &mut listed.page.items {
                        crate::poison::shopify_order(poison, node);
                    }
                    self.served += listed.served;
                    if let Some((query, search)) = listed.search {
                        if !search.warnings.is_empty() {
                            self.search.push(search_extension(&query, &search.warnings));
                        }
                    }
                    Resolved::Page(listed.page)
                }
                Err(error) => Resolved::Failed(error),
            },
            "order" => {
                let id = arguments
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|gid| gid.strip_prefix("gid://shopify/Order/"))
                    .and_then(|id| id.parse::<u64>().ok());
                let mut node =
                    id.and_then(|id| self.state.read(|book| book.get(id).map(order_node)));
                self.served += u64::from(node.is_some());
                if let (Some(node), false) = (node.as_mut(), self.scopes.fulfillments()) {
                    hide_fulfillment_orders(node);
                }
                Resolved::Value(node.unwrap_or(Value::Null))
            }
            _ => Resolved::Value(Value::Null),
        }
    }
}

fn access_denied(field: &str, required: &str) -> GraphqlError {
    GraphqlError::new(format!(
        "Access denied for {field} field. Required access: {required}"
    ))
    .code("ACCESS_DENIED")
    .extension(
        "documentation",
        "https://shopify.dev/api/usage/access-scopes",
    )
    .extension("requiredAccess", required)
}

fn hide_fulfillment_orders(order: &mut Value) {
    if let Some(order) = order.as_object_mut() {
        order.insert("fulfillmentOrders".to_owned(), Value::Array(Vec::new()));
    }
}

fn app_installation(scopes: Scopes) -> Value {
    let scopes: Vec<Value> = scopes
        .handles()
        .into_iter()
        .map(|handle| json!({ "handle": handle, "description": scope_description(handle) }))
        .collect();
    json!({ "id": "gid://shopify/AppInstallation/1", "accessScopes": scopes })
}

fn scope_description(handle: &str) -> String {
    let (action, resource) = handle.split_once('_').unwrap_or(("read", handle));
    let verb = if action == "write" { "Modify" } else { "Read" };
    format!("{verb} {}", resource.replace('_', " "))
}

fn search_extension(query: &str, warnings: &[super::search::Warning]) -> Value {
    let warnings: Vec<Value> = warnings
        .iter()
        .map(|warning| json!({ "field": warning.field, "message": warning.message }))
        .collect();
    json!({ "path": ["orders"], "query": query, "warnings": warnings })
}
