//! The v2 handlers: store profile, the order list (filters, `sort`, `page`/`limit`, 204 for an
//! empty page), one order, its products and its shipping addresses.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::order_json::{order_object, products, shipping_addresses, status};
use super::store_json::store_object;
use super::{base_url, error_response, not_found_response};
use crate::credentials::{BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_TOKEN};
use crate::dates::parse_rfc2822_or_iso8601;
use crate::model::SandboxOrder;
use crate::state::StoreState;
use crate::stats::StatsCounters;

type Params = Vec<(String, String)>;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 250;

/// Checks the store hash and the token; the answer to send instead, if any.
pub(crate) fn refuse(hash: &str, headers: &HeaderMap) -> Option<Response> {
    if hash != BIGCOMMERCE_STORE_HASH {
        return Some(not_found_response());
    }
    let token = headers
        .get("x-auth-token")
        .and_then(|value| value.to_str().ok());
    if token != Some(BIGCOMMERCE_TOKEN) {
        return Some(error_response(
            StatusCode::UNAUTHORIZED,
            "You are not authorized to access this resource. Check the X-Auth-Token header.",
        ));
    }
    None
}

pub(crate) async fn store_info(
    State(state): State<Arc<StoreState>>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    Json(store_object(&state.origin)).into_response()
}

pub(crate) async fn list_orders(
    State(state): State<Arc<StoreState>>,
    Path(hash): Path<String>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if let Some(refusal) = refuse(&hash, &headers) {
        return refusal;
    }
    let query = match ListQuery::parse(&params) {
        Ok(query) => query,
        Err(invalid) => {
            let message = format!("The field '{}' is invalid.", invalid.0);
            return error_response(StatusCode::BAD_REQUEST, &message);
        }
    };
    let api_base = base_url(&state.origin);
    let page: Vec<Value> = state.read(|book| {
        let mut matching: Vec<&SandboxOrder> =
            book.iter().filter(|order| query.matches(order)).collect();
        matching.sort_by(|a, b| query.compare(a, b));
        matching
            .iter()
            .skip((query.page - 1) * query.limit)
            .take(query.limit)
            .map(|order| order_object(order, &api_base))
            .collect()
    });
    if page.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    StatsCounters::add(&state.stats.orders_served, page.len() as u64);
    Json(Value::Array(page)).into_response()
}

pub(crate) async fn get_order(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let response = with_order(&state, &hash, &id, &headers, order_object);
    if response.status().is_success() {
        StatsCounters::bump(&state.stats.orders_served);
    }
    response
}

pub(crate) async fn order_products(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_order(&state, &hash, &id, &headers, |order, _| products(order))
}

pub(crate) async fn order_shipping_addresses(
    State(state): State<Arc<StoreState>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_order(&state, &hash, &id, &headers, shipping_addresses)
}

/// Renders one order (or its parts) after the checks.
fn with_order(
    state: &StoreState,
    hash: &str,
    id: &str,
    headers: &HeaderMap,
    render: impl FnOnce(&SandboxOrder, &str) -> Value,
) -> Response {
    if let Some(refusal) = refuse(hash, headers) {
        return refusal;
    }
    let api_base = base_url(&state.origin);
    let Ok(id) = id.parse::<u64>() else {
        return not_found_response();
    };
    match state.read(|book| book.get(id).map(|order| render(order, &api_base))) {
        Some(value) => Json(value).into_response(),
        None => not_found_response(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortField {
    Id,
    DateCreated,
    DateModified,
    StatusId,
}

struct InvalidField(String);

struct ListQuery {
    page: usize,
    limit: usize,
    sort: SortField,
    descending: bool,
    min_date_modified: Option<DateTime<Utc>>,
    max_date_modified: Option<DateTime<Utc>>,
    min_date_created: Option<DateTime<Utc>>,
    max_date_created: Option<DateTime<Utc>>,
    min_id: Option<u64>,
    max_id: Option<u64>,
    status_id: Option<u64>,
}

impl ListQuery {
    /// The query, or the name of the parameter BigCommerce would reject.
    fn parse(params: &Params) -> Result<ListQuery, InvalidField> {
        let get = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let invalid = |name: &str| InvalidField(name.to_owned());
        let number = |name: &str| match get(name) {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| invalid(name)),
        };
        let date = |name: &str| match get(name) {
            None => Ok(None),
            Some(text) => parse_rfc2822_or_iso8601(text)
                .map(Some)
                .ok_or_else(|| invalid(name)),
        };
        let (sort, descending) = match get("sort") {
            None => (SortField::Id, false),
            Some(text) => {
                let (field, direction) = text.split_once(':').unwrap_or((text, "asc"));
                let field = match field {
                    "id" => SortField::Id,
                    "date_created" => SortField::DateCreated,
                    "date_modified" => SortField::DateModified,
                    "status_id" => SortField::StatusId,
                    _ => return Err(invalid("sort")),
                };
                match direction {
                    "asc" => (field, false),
                    "desc" => (field, true),
                    _ => return Err(invalid("sort")),
                }
            }
        };
        let page = number("page")?.unwrap_or(1).max(1);
        // BigCommerce caps `limit` at 250 rather than refusing more.
        let limit = number("limit")?.map_or(DEFAULT_LIMIT as u64, |limit| {
            limit.clamp(1, MAX_LIMIT as u64)
        });
        Ok(ListQuery {
            page: usize::try_from(page).unwrap_or(usize::MAX),
            limit: usize::try_from(limit).unwrap_or(MAX_LIMIT),
            sort,
            descending,
            min_date_modified: date("min_date_modified")?,
            max_date_modified: date("max_date_modified")?,
            min_date_created: date("min_date_created")?,
            max_date_created: date("max_date_created")?,
            min_id: number("min_id")?,
            max_id: number("max_id")?,
            status_id: number("status_id")?,
        })
    }

    /// Every bound is inclusive, as BigCommerce's `min_*`/`max_*` filters are.
    fn matches(&self, order: &SandboxOrder) -> bool {
        let min = |bound: Option<DateTime<Utc>>, at| bound.is_none_or(|bound| at >= bound);
        let max = |bound: Option<DateTime<Utc>>, at| bound.is_none_or(|bound| at <= bound);
        min(self.min_date_modified, order.updated_at)
            && max(self.max_date_modified, order.updated_at)
            && min(self.min_date_created, order.created_at)
            && max(self.max_date_created, order.created_at)
            && self.min_id.is_none_or(|id| order.id >= id)
            && self.max_id.is_none_or(|id| order.id <= id)
            && self.status_id.is_none_or(|id| status(order).0 == id)
    }

    fn compare(&self, a: &SandboxOrder, b: &SandboxOrder) -> Ordering {
        let ordering = match self.sort {
            SortField::Id => Ordering::Equal,
            SortField::DateCreated => a.created_at.cmp(&b.created_at),
            SortField::DateModified => a.updated_at.cmp(&b.updated_at),
            SortField::StatusId => status(a).0.cmp(&status(b).0),
        }
        .then(a.id.cmp(&b.id));
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}
