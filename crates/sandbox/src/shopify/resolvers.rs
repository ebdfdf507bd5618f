//! The root fields the sandbox answers (`shop`, `orders`, `order`), with the token's scopes
//! applied. New root fields (e.g. the `fulfillmentCreate` mutation) go here and in `schema`.

use serde_json::{json, Map, Value};

use super::graphql::error::GraphqlError;
use super::graphql::project::{Resolved, RootResolver};
use super::order_json::order_node;
use super::orders_query::orders_page;
use super::shop_json::shop_object;
use crate::state::StoreState;

/// What the access token may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scopes {
    All,
    WithoutReadOrders,
}

pub(crate) struct Root<'a> {
    pub state: &'a StoreState,
    pub scopes: Scopes,
    /// Orders included in the answer.
    pub served: u64,
    /// `extensions.search` entries for search terms that were ignored.
    pub search: Vec<Value>,
}

impl RootResolver for Root<'_> {
    fn resolve(&mut self, field: &str, arguments: &Map<String, Value>) -> Resolved {
        match field {
            "shop" => Resolved::Value(shop_object(&self.state.origin)),
            "orders" | "order" if self.scopes == Scopes::WithoutReadOrders => {
                Resolved::Failed(access_denied(field))
            }
            "orders" => match self.state.read(|book| orders_page(book, arguments)) {
                Ok(listed) => {
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
                let node = id.and_then(|id| self.state.read(|book| book.get(id).map(order_node)));
                self.served += u64::from(node.is_some());
                Resolved::Value(node.unwrap_or(Value::Null))
            }
            _ => Resolved::Value(Value::Null),
        }
    }
}

fn access_denied(field: &str) -> GraphqlError {
    GraphqlError::new(format!(
        "Access denied for {field} field. Required access: `read_orders` access scope."
    ))
    .code("ACCESS_DENIED")
    .extension(
        "documentation",
        "https://shopify.dev/api/usage/access-scopes",
    )
    .extension("requiredAccess", "`read_orders` access scope.")
}

fn search_extension(query: &str, warnings: &[super::search::Warning]) -> Value {
    let warnings: Vec<Value> = warnings
        .iter()
        .map(|warning| json!({ "field": warning.field, "message": warning.message }))
        .collect();
    json!({ "path": ["orders"], "query": query, "warnings": warnings })
}
