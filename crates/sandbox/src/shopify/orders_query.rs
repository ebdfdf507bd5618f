//! The `orders` root connection: search filter, sort key, `reverse`, and keyset pagination
//! with cursors that name the last order and its sort value.

use serde_json::{Map, Value};

use super::graphql::cursor::Cursor;
use super::graphql::error::GraphqlError;
use super::graphql::project::Page;
use super::order_json::order_node;
use super::search::Search;
use crate::book::OrderBook;
use crate::dates::millis;
use crate::model::SandboxOrder;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    UpdatedAt,
    CreatedAt,
    Id,
}

impl SortKey {
    fn parse(name: Option<&str>) -> Result<SortKey, GraphqlError> {
        match name.unwrap_or("PROCESSED_AT") {
            "UPDATED_AT" => Ok(Self::UpdatedAt),
            "CREATED_AT" | "PROCESSED_AT" => Ok(Self::CreatedAt),
            "ID" | "ORDER_NUMBER" => Ok(Self::Id),
            other => Err(GraphqlError::new(format!(
                "The sandbox cannot sort orders by {other}; use UPDATED_AT, CREATED_AT, \
                 PROCESSED_AT, ID or ORDER_NUMBER"
            ))
            .code("UNSUPPORTED_BY_SANDBOX")),
        }
    }

    fn value(self, order: &SandboxOrder) -> i64 {
        match self {
            Self::UpdatedAt => millis(order.updated_at),
            Self::CreatedAt => millis(order.created_at),
            Self::Id => i64::try_from(order.id).unwrap_or(i64::MAX),
        }
    }
}

/// A page of orders plus the parsed search (for its warnings).
pub(crate) struct OrdersPage {
    pub page: Page,
    pub search: Option<(String, Search)>,
    pub served: u64,
}

pub(crate) fn orders_page(
    book: &OrderBook,
    arguments: &Map<String, Value>,
) -> Result<OrdersPage, GraphqlError> {
    let first = arguments
        .get("first")
        .and_then(Value::as_u64)
        .unwrap_or_default() as usize;
    let reverse = arguments.get("reverse").and_then(Value::as_bool) == Some(true);
    let sort = SortKey::parse(arguments.get("sortKey").and_then(Value::as_str))?;
    let search = arguments
        .get("query")
        .and_then(Value::as_str)
        .map(|query| (query.to_owned(), Search::parse(query)));
    let after = match arguments.get("after").and_then(Value::as_str) {
        Some(text) => Some(
            Cursor::decode(text)
                .ok_or_else(|| GraphqlError::new("Invalid cursor for current pagination sort."))?,
        ),
        None => None,
    };

    let mut matching: Vec<(i64, u64, &SandboxOrder)> = book
        .iter()
        .filter(|order| {
            search
                .as_ref()
                .is_none_or(|(_, search)| search.matches(order))
        })
        .map(|order| (sort.value(order), order.id, order))
        .collect();
    matching.sort_unstable_by_key(|(value, id, _)| (*value, *id));
    if reverse {
        matching.reverse();
    }
    let start = match after {
        None => 0,
        Some(cursor) => {
            let boundary = (cursor.last_value, cursor.last_id);
            matching
                .iter()
                .position(|(value, id, _)| {
                    let key = (*value, *id);
                    if reverse {
                        key < boundary
                    } else {
                        key > boundary
                    }
                })
                .unwrap_or(matching.len())
        }
    };
    let rest = matching.get(start..).unwrap_or_default();
    let items: Vec<(String, Value)> = rest
        .iter()
        .take(first)
        .map(|(value, id, order)| {
            let cursor = Cursor {
                last_id: *id,
                last_value: *value,
            };
            (cursor.encode(), order_node(order))
        })
        .collect();
    let served = items.len() as u64;
    Ok(OrdersPage {
        page: Page {
            items,
            has_next_page: rest.len() > first,
            has_previous_page: start > 0,
        },
        search,
        served,
    })
}
