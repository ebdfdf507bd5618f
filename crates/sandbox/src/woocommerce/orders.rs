//! `GET /wp-json/wc/v3/orders` and `/orders/<id>`: filters (`modified_after`, `after`,
//! `status`, `include`, …), `orderby`/`order`, page-based paging with `X-WP-Total`,
//! `X-WP-TotalPages` and `Link` headers, as the orders controller of WooCommerce does.

use std::cmp::Ordering;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::auth::is_authorized;
use super::order_json::{order_object, order_view, status};
use super::{error_response, no_route, site_offset};
use crate::book::OrderBook;
use crate::dates::{parse_iso8601, utc_offset};
use crate::hostile::Hostility;
use crate::model::SandboxOrder;
use crate::poison::Poison;
use crate::state::StoreState;
use crate::stats::StatsCounters;

type Params = Vec<(String, String)>;

const MAX_PER_PAGE: usize = 100;

pub(crate) async fn list_orders(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        );
    }
    let query = match ListQuery::parse(&params) {
        Ok(query) => query,
        Err(invalid) => return invalid.into_response(),
    };
    let poison = state.poison();
    let hostility = state.hostility();
    let listing = |book: &OrderBook| {
        let mut matching: Vec<&SandboxOrder> =
            book.iter().filter(|order| query.matches(order)).collect();
        matching.sort_by(|a, b| query.compare(a, b));
        matching.iter().map(|order| order.id).collect()
    };
    let (total, served, page) = state.read_listed(query.listed(), listing, |book, ids| {
        let pages = ids.len().div_ceil(query.per_page);
        // Hostile: past the last page, the last page again.
        let serve = match hostility {
            Hostility::EndlessPages | Hostility::RepeatedCursor if query.page > pages => {
                pages.max(1)
            }
            _ => query.page,
        };
        let start = ((serve - 1) * query.per_page).min(ids.len());
        let end = (start + query.per_page).min(ids.len());
        let total = ids.len();
        let window: Vec<&SandboxOrder> = ids[start..end]
            .iter()
            .filter_map(|id| book.get(*id))
            .collect();
        // Written while the book is read: the orders are serialized straight from it.
        let body = if poison.is_some_and(Poison::is_store) {
            let page: Vec<Value> = window
                .iter()
                .map(|order| {
                    let mut object = order_object(order, &state.origin);
                    crate::poison::woocommerce_order(poison, order.number, &mut object);
                    object
                })
                .collect();
            serde_json::to_vec(&page)
        } else {
            let page: Vec<_> = window
                .iter()
                .map(|order| order_view(order, &state.origin))
                .collect();
            serde_json::to_vec(&page)
        };
        (total, window.len(), body)
    });
    let body = match page {
        Ok(body) => body,
        Err(error) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_server_error",
                &format!("The orders could not be written: {error}"),
            )
        }
    };
    StatsCounters::add(&state.stats.orders_served, served as u64);
    let total_pages = if hostility.is_paging() {
        // A page count that never ends: always one more than the page asked for.
        query.page + 1
    } else {
        total.div_ceil(query.per_page)
    };
    let mut response = (
        [(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("x-wp-total"),
        HeaderValue::from(total),
    );
    headers.insert(
        HeaderName::from_static("x-wp-totalpages"),
        HeaderValue::from(total_pages),
    );
    if let Some(link) = link_header(&state.origin, &params, query.page, total_pages) {
        headers.insert(HeaderName::from_static("link"), link);
    }
    response
}

pub(crate) async fn get_order(
    State(state): State<Arc<StoreState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    // The route is `/orders/(?P<id>[\d]+)`: anything else is no route at all.
    let Ok(id) = id.parse::<u64>() else {
        return no_route().await;
    };
    if !is_authorized(&headers, &params) {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot view this resource.",
        );
    }
    match state.read(|book| book.get(id).map(|order| order_object(order, &state.origin))) {
        Some(order) => {
            StatsCounters::bump(&state.stats.orders_served);
            Json(order).into_response()
        }
        None => error_response(
            StatusCode::NOT_FOUND,
            "woocommerce_rest_shop_order_invalid_id",
            "Invalid ID.",
        ),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OrderBy {
    Date,
    Modified,
    Id,
}

struct ListQuery {
    page: usize,
    per_page: usize,
    descending: bool,
    order_by: OrderBy,
    modified_after: Option<DateTime<Utc>>,
    modified_before: Option<DateTime<Utc>>,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    statuses: Option<Vec<String>>,
    include: Option<Vec<u64>>,
}

impl ListQuery {
    fn parse(params: &Params) -> Result<ListQuery, InvalidParam> {
        let get = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let number = |name: &str, default: usize, max: usize| match get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    InvalidParam::new(
                        name,
                        format!("{name} must be between 1 (inclusive) and {max} (inclusive)"),
                    )
                }),
        };
        let gmt = matches!(get("dates_are_gmt"), Some("true" | "1"));
        let zone = if gmt { utc_offset() } else { site_offset() };
        let date = |name: &str| match get(name) {
            None => Ok(None),
            Some(text) => parse_iso8601(text, zone)
                .map(Some)
                .ok_or_else(|| InvalidParam::new(name, "Invalid date.")),
        };
        let order_by = match get("orderby").unwrap_or("date") {
            "date" => OrderBy::Date,
            "modified" => OrderBy::Modified,
            "id" | "include" | "title" | "slug" => OrderBy::Id,
            _ => {
                return Err(InvalidParam::new(
                    "orderby",
                    "orderby is not one of date, id, include, title, slug, modified.",
                ))
            }
        };
        let descending = match get("order").unwrap_or("desc") {
            "desc" => true,
            "asc" => false,
            _ => return Err(InvalidParam::new("order", "order is not one of asc, desc.")),
        };
        let list = |name: &str| {
            get(name).map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
        };
        let statuses = list("status").filter(|statuses| !statuses.iter().any(|s| s == "any"));
        let include = list("include")
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.parse().ok())
                    .collect::<Vec<u64>>()
            })
            .filter(|ids| !ids.is_empty());
        Ok(ListQuery {
            page: number("page", 1, usize::MAX)?,
            per_page: number("per_page", 10, MAX_PER_PAGE)?,
            descending,
            order_by,
            modified_after: date("modified_after")?,
            modified_before: date("modified_before")?,
            created_after: date("after")?,
            created_before: date("before")?,
            statuses,
            include,
        })
    }

    /// The query without its page: two requests that differ only in the page list the same
    /// orders.
    fn listed(&self) -> String {
        format!(
            "{:?} {} {:?} {:?} {:?} {:?} {:?} {:?}",
            self.order_by,
            self.descending,
            self.modified_after,
            self.modified_before,
            self.created_after,
            self.created_before,
            self.statuses,
            self.include
        )
    }

    /// The date filters are exclusive, as in WordPress's `date_query`.
    fn matches(&self, order: &SandboxOrder) -> bool {
        let after = |bound: Option<DateTime<Utc>>, at| bound.is_none_or(|bound| at > bound);
        let before = |bound: Option<DateTime<Utc>>, at| bound.is_none_or(|bound| at < bound);
        after(self.modified_after, order.updated_at)
            && before(self.modified_before, order.updated_at)
            && after(self.created_after, order.created_at)
            && before(self.created_before, order.created_at)
            && self
                .statuses
                .as_ref()
                .is_none_or(|statuses| statuses.iter().any(|s| s == status(order)))
            && self
                .include
                .as_ref()
                .is_none_or(|ids| ids.contains(&order.id))
    }

    fn compare(&self, a: &SandboxOrder, b: &SandboxOrder) -> Ordering {
        let ordering = match self.order_by {
            OrderBy::Date => a.created_at.cmp(&b.created_at),
            OrderBy::Modified => a.updated_at.cmp(&b.updated_at),
            OrderBy::Id => Ordering::Equal,
        }
        .then(a.id.cmp(&b.id));
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// A query parameter WordPress would reject (`rest_invalid_param`).
struct InvalidParam {
    name: String,
    problem: String,
}

impl InvalidParam {
    fn new(name: &str, problem: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            problem: problem.into(),
        }
    }
}

impl IntoResponse for InvalidParam {
    fn into_response(self) -> Response {
        let body = json!({
            "code": "rest_invalid_param",
            "message": format!("Invalid parameter(s): {}", self.name),
            "data": { "status": 400, "params": { self.name: self.problem } },
        });
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    }
}

/// `Link: <…page=N-1>; rel="prev", <…page=N+1>; rel="next"`, as WordPress sends.
fn link_header(
    origin: &str,
    params: &Params,
    page: usize,
    total_pages: usize,
) -> Option<HeaderValue> {
    let url = |page: usize| {
        let mut query: Vec<String> = params
            .iter()
            .filter(|(key, _)| key != "page" && key != "consumer_key" && key != "consumer_secret")
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect();
        query.push(format!("page={page}"));
        format!("<{origin}/wp-json/wc/v3/orders?{}>", query.join("&"))
    };
    let mut links = Vec::new();
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", url(page - 1)));
    }
    if page < total_pages {
        links.push(format!("{}; rel=\"next\"", url(page + 1)));
    }
    if links.is_empty() {
        return None;
    }
    HeaderValue::from_str(&links.join(", ")).ok()
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
