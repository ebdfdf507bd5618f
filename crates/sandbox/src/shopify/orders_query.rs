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
use crate::state::StoreState;

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

/// Hostile paging (see [`crate::hostile`]), on a page already listed.
/// - `endless_pages`: the last page says more and points back to the start, and every cursor
///   carries a count of the request, so no cursor comes twice but the same orders do.
/// - `repeated_cursor`: the last page says more and points back to where it was asked from
///   (the cursor the client just used, or the start).
/// - `empty_page`: every page says more; past the last one, empty pages follow.
pub(crate) fn hostile_paging(state: &StoreState, arguments: &Map<String, Value>, page: &mut Page) {
    use crate::hostile::Hostility;
    let hostility = state.hostility();
    if !hostility.is_paging() {
        return;
    }
    let start = Cursor {
        last_id: 0,
        last_value: i64::MIN,
    };
    match hostility {
        Hostility::EndlessPages => {
            let round = state.hostile_request().1;
            let fresh = |cursor: Cursor| {
                let json = serde_json::json!({
                    "last_id": cursor.last_id,
                    "last_value": cursor.last_value,
                    "again": round,
                });
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, json.to_string())
            };
            for (cursor, _) in &mut page.items {
                if let Some(decoded) = Cursor::decode(cursor) {
                    *cursor = fresh(decoded);
                }
            }
            if !page.has_next_page {
                if let Some((cursor, _)) = page.items.last_mut() {
                    *cursor = fresh(start);
                    page.has_next_page = true;
                }
            }
        }
        Hostility::RepeatedCursor => {
            if !page.has_next_page {
                let back = arguments
                    .get("after")
                    .and_then(Value::as_str)
                    .map_or_else(|| start.encode(), str::to_owned);
                if let Some((cursor, _)) = page.items.last_mut() {
                    *cursor = back;
                    page.has_next_page = true;
                }
            }
        }
        _ => page.has_next_page = true,
    }
}
