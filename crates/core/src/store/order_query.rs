//! The Orders list: filters (status, channel, placed date), search (order number, customer,
//! email, SKU, tracking number, through the `order_search` full-text index), a page of rows,
//! and the counts per status the filter chips show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite};
use ts_rs::TS;

use super::orders::parse_status;
use super::Store;
use crate::domain::OrderSummary;
use crate::lifecycle::OrderStatus;
use crate::{Error, Result};

/// A page of the Orders list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ListOrders {
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// Only orders of this sales channel.
    #[serde(default)]
    #[ts(optional, type = "number | null")]
    pub channel_id: Option<i64>,
    /// Only orders placed at or after this time.
    #[serde(default)]
    #[ts(optional)]
    pub placed_from: Option<DateTime<Utc>>,
    /// Only orders placed before this time.
    #[serde(default)]
    #[ts(optional)]
    pub placed_before: Option<DateTime<Utc>>,
    /// Words to find in the order number, customer name, email, SKUs or tracking numbers.
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// At most this many (1–1000).
    pub limit: u32,
    pub offset: u32,
}

impl Default for ListOrders {
    fn default() -> Self {
        Self {
            status: None,
            channel_id: None,
            placed_from: None,
            placed_before: None,
            search: None,
            limit: 200,
            offset: 0,
        }
    }
}

/// One page of the list with what the filters found in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    /// Orders matching every filter (the list's full length).
    #[ts(type = "number")]
    pub total: i64,
    /// Orders per status under the same filters, status aside.
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StatusCount {
    pub status: OrderStatus,
    #[ts(type = "number")]
    pub count: i64,
}

/// The search words as an FTS5 query: each word a quoted phrase (so `#`, `@`, `-` are plain
/// characters), all required. Words under three characters cannot use the trigram index and are
/// matched on the order number instead.
fn search_terms(text: &str) -> (Vec<String>, Vec<String>) {
    let mut indexed = Vec::new();
    let mut short = Vec::new();
    for word in text.split_whitespace().take(8) {
        let word: String = word.chars().filter(|c| !c.is_control()).collect();
        if word.chars().count() >= 3 {
            indexed.push(format!("\"{}\"", word.replace('"', "\"\"")));
        } else if !word.is_empty() {
            short.push(word);
        }
    }
    (indexed, short)
}

fn push_filters(query: &mut QueryBuilder<'_, Sqlite>, filter: &ListOrders, with_status: bool) {
    query.push(" WHERE 1 = 1");
    if let (true, Some(status)) = (with_status, filter.status) {
        query.push(" AND o.status = ").push_bind(status.as_str());
    }
    if let Some(channel_id) = filter.channel_id {
        query.push(" AND o.channel_id = ").push_bind(channel_id);
    }
    if let Some(from) = filter.placed_from {
        query.push(" AND o.placed_at >= ").push_bind(from);
    }
    if let Some(before) = filter.placed_before {
        query.push(" AND o.placed_at < ").push_bind(before);
    }
    if let Some(search) = filter.search.as_deref() {
        let (indexed, short) = search_terms(search);
        if !indexed.is_empty() {
            query
                .push(" AND o.id IN (SELECT rowid FROM order_search WHERE order_search MATCH ")
                .push_bind(indexed.join(" AND "))
                .push(")");
        }
        for word in short {
            query
                .push(" AND o.number LIKE ")
                .push_bind(format!("%{}%", word.replace(['%', '_'], "")));
        }
    }
}

impl Store {
    pub async fn list_orders(&self, filter: &ListOrders) -> Result<Vec<OrderSummary>> {
        if !(1..=1000).contains(&filter.limit) {
            return Err(Error::invalid(
                "limit",
                "ask for 1 to 1000 orders at a time",
            ));
        }
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT o.id, c.name AS channel, o.number, o.status, o.customer_name, o.total_minor,
                    o.currency, o.placed_at
             FROM orders o JOIN channels c ON c.id = o.channel_id",
        );
        push_filters(&mut query, filter, true);
        query
            .push(" ORDER BY o.placed_at DESC, o.id DESC LIMIT ")
            .push_bind(i64::from(filter.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(filter.offset));
        let rows = query.build().fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(OrderSummary {
                    id,
                    channel: row.try_get("channel")?,
                    number: row.try_get("number")?,
                    status: parse_status(id, row.try_get("status")?)?,
                    customer_name: row.try_get("customer_name")?,
                    total_minor: row.try_get("total_minor")?,
                    currency: row.try_get("currency")?,
                    placed_at: row.try_get("placed_at")?,
                })
            })
            .collect()
    }

    /// A page with its total and the counts per status.
    pub async fn order_page(&self, filter: &ListOrders) -> Result<OrderPage> {
        let orders = self.list_orders(filter).await?;
        let mut query = QueryBuilder::<Sqlite>::new("SELECT o.status, count(*) AS n FROM orders o");
        push_filters(&mut query, filter, false);
        query.push(" GROUP BY o.status");
        let rows = query.build().fetch_all(self.pool()).await?;
        let mut counts = Vec::new();
        for row in &rows {
            let status: &str = row.try_get("status")?;
            if let Some(status) = OrderStatus::parse(status) {
                counts.push(StatusCount {
                    status,
                    count: row.try_get("n")?,
                });
            }
        }
        counts.sort_by_key(|count| {
            OrderStatus::ALL
                .iter()
                .position(|status| *status == count.status)
        });
        let total = match filter.status {
            Some(status) => counts
                .iter()
                .find(|count| count.status == status)
                .map_or(0, |count| count.count),
            None => counts.iter().map(|count| count.count).sum(),
        };
        Ok(OrderPage {
            orders,
            total,
            counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_quoted_phrases() {
        let (indexed, short) = search_terms(r#"jane "doe" #1001 NY"#);
        assert_eq!(indexed, vec![r#""jane""#, r#""""doe""""#, r##""#1001""##]);
        assert_eq!(short, vec!["NY"]);
    }
}
