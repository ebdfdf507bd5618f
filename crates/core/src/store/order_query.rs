//! The Orders list: filters (status, channel, placed date), search (order number, customer,
//! email and tracking number through the `order_search` full-text index, SKUs through the order
//! lines), a page of rows, and the counts per status the filter chips show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::Store;
use crate::domain::{Environment, OrderSummary};
use crate::lifecycle::OrderStatus;
use crate::problems::FlagCutoffs;
use crate::{Error, Result};

/// A flag beside the statuses: orders that need the dealer for a reason their status alone does
/// not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum OrderFlag {
    /// Authorized more than N business days ago (Settings), and no tracking yet.
    Late,
    /// A job of the order has been failing for more than an hour.
    Stuck,
    /// In `needs_attention`, Late or Stuck: what the tray counts.
    NeedsYou,
}

/// Orders per flag under the list's filters, status and flag aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlagCounts {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub late: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stuck: i64,
    /// Each order once, whether it needs attention, is Late or is Stuck.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub needs_you: i64,
}

/// The orders that carry each flag, in id order, read from their own small indexes: the Late
/// range of `orders_late`, the failing jobs of `outbox_jobs_failing`, the `needs_attention`
/// entries of the status index. A flag filter is then a set of ids, as a search is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Flagged {
    late: Vec<i64>,
    stuck: Vec<i64>,
    needs_attention: Vec<i64>,
}

/// The flagged orders last read, with what they were read at: reused while no connection has
/// committed since and the cutoffs are the same (they move a minute at a time). Ten thousand Late orders cost a few
/// milliseconds to read, on every page the dealer scrolls to; a minute's difference in "now" moves
/// a flag counted in business days by nothing a dealer could see.
#[derive(Debug, Default)]
pub(crate) struct FlagCache(std::sync::Mutex<Option<(FlagKey, std::sync::Arc<Flagged>)>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FlagKey {
    data_version: i64,
    late: DateTime<Utc>,
    stuck: DateTime<Utc>,
}

impl Flagged {
    /// The orders with `flag`, in id order.
    pub(crate) fn of(&self, flag: OrderFlag) -> Vec<i64> {
        match flag {
            OrderFlag::Late => self.late.clone(),
            OrderFlag::Stuck => self.stuck.clone(),
            OrderFlag::NeedsYou => {
                let mut all = [&self.late[..], &self.stuck[..], &self.needs_attention[..]].concat();
                all.sort_unstable();
                all.dedup();
                all
            }
        }
    }

    /// How many of each flag `keep` keeps.
    fn counts(&self, keep: impl Fn(i64) -> bool) -> FlagCounts {
        let count = |ids: Vec<i64>| -> i64 {
            i64::try_from(ids.into_iter().filter(|id| keep(*id)).count()).unwrap_or(i64::MAX)
        };
        FlagCounts {
            late: count(self.of(OrderFlag::Late)),
            stuck: count(self.of(OrderFlag::Stuck)),
            needs_you: count(self.of(OrderFlag::NeedsYou)),
        }
    }
}

/// A page of the Orders list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListOrders {
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// Only orders of this sales channel.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, type = "number | null"))]
    pub channel_id: Option<i64>,
    /// Only Sandbox or only Live orders.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub environment: Option<Environment>,
    /// Only orders placed at or after this time.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub placed_from: Option<DateTime<Utc>>,
    /// Only orders placed before this time.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub placed_before: Option<DateTime<Utc>>,
    /// Words to find in the order number, customer name, email, SKUs or tracking numbers.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub search: Option<String>,
    /// Only Late, Stuck, or every order that needs the dealer.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub flag: Option<OrderFlag>,
    /// At most this many (1–1000).
    pub limit: u32,
    pub offset: u32,
}

impl Default for ListOrders {
    fn default() -> Self {
        Self {
            status: None,
            channel_id: None,
            environment: None,
            placed_from: None,
            placed_before: None,
            search: None,
            flag: None,
            limit: 200,
            offset: 0,
        }
    }
}

/// One page of the list with what the filters found in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    /// Orders matching every filter (the list's full length).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: i64,
    /// Orders per status under the same filters, status aside.
    pub counts: Vec<StatusCount>,
    /// Orders per flag under the same filters, status and flag aside.
    pub flags: FlagCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    pub status: OrderStatus,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// The search words: those of three characters or more, as typed (control characters aside),
/// use the indexes; shorter ones cannot use the trigram index and are matched on the order
/// number instead.
fn search_terms(text: &str) -> (Vec<String>, Vec<String>) {
    let mut indexed = Vec::new();
    let mut short = Vec::new();
    for word in text.split_whitespace().take(8) {
        let word: String = word.chars().filter(|c| !c.is_control()).collect();
        if word.chars().count() >= 3 {
            indexed.push(word);
        } else if !word.is_empty() {
            short.push(word);
        }
    }
    (indexed, short)
}

/// A word as an FTS5 phrase: quoted, so `#`, `@`, `-` are plain characters.
fn phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// A word as a `LIKE … ESCAPE '\'` pattern matching any SKU that holds it, in any case (SKUs
/// are ASCII, and `LIKE` folds ASCII case as the trigram index does).
fn sku_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The orders a search and a flag filter leave, looked up once per call and shared by the page
/// and the counts.
pub(crate) struct SearchHits {
    /// The matching order ids as a JSON array, for `json_each`.
    ids: String,
    count: i64,
}

impl SearchHits {
    fn of(ids: Vec<i64>) -> Result<Self> {
        Ok(Self {
            count: i64::try_from(ids.len()).unwrap_or(i64::MAX),
            ids: serde_json::to_string(&ids).map_err(|err| sqlx::Error::Decode(Box::new(err)))?,
        })
    }
}

/// Up to this many search matches are read by id. Past it, walking an index in list order and
/// testing each entry costs less: a read by id is a table page, an index page holds dozens.
const LOOK_UP_AT_MOST: i64 = 500;

/// The list's filters on `o`; a search's and a flag's orders come as `hits`.
fn push_filters(
    query: &mut QueryBuilder<'_, Sqlite>,
    filter: &ListOrders,
    hits: Option<&SearchHits>,
    with_status: bool,
) {
    query.push(" WHERE 1 = 1");
    if let (true, Some(status)) = (with_status, filter.status) {
        query.push(" AND o.status = ").push_bind(status);
    }
    if let Some(channel_id) = filter.channel_id {
        query.push(" AND o.channel_id = ").push_bind(channel_id);
    }
    if let Some(environment) = filter.environment {
        query.push(" AND o.environment = ").push_bind(environment);
    }
    if let Some(from) = filter.placed_from {
        query.push(" AND o.placed_at >= ").push_bind(from);
    }
    if let Some(before) = filter.placed_before {
        query.push(" AND o.placed_at < ").push_bind(before);
    }
    if let Some(hits) = hits {
        // A few matches are read by id. For many, `+o.id` keeps SQLite from reading each one:
        // it walks the index that suits the rest of the query (list order, status, channel) and
        // tests the orders it meets against the matches.
        query
            .push(if hits.count <= LOOK_UP_AT_MOST {
                " AND o.id IN"
            } else {
                " AND +o.id IN"
            })
            .push(" (SELECT value FROM json_each(")
            .push_bind(hits.ids.clone())
            .push("))");
    }
    if let Some(search) = filter.search.as_deref() {
        for word in search_terms(search).1 {
            query
                .push(" AND o.number LIKE ")
                .push_bind(format!("%{}%", word.replace(['%', '_'], "")));
        }
    }
}

impl Store {
    pub async fn list_orders(&self, filter: &ListOrders) -> Result<Vec<OrderSummary>> {
        check_limit(filter)?;
        let cutoffs = self.flag_cutoffs(Utc::now()).await?;
        let (hits, _, _) = self.id_filter(filter, &cutoffs).await?;
        self.page_rows(filter, hits.as_ref()).await
    }

    /// A page with its total and the counts per status and per flag.
    pub async fn order_page(&self, filter: &ListOrders) -> Result<OrderPage> {
        self.order_page_at(filter, Utc::now()).await
    }

    /// [`Store::order_page`] with the flags read at `now`.
    pub async fn order_page_at(
        &self,
        filter: &ListOrders,
        now: DateTime<Utc>,
    ) -> Result<OrderPage> {
        check_limit(filter)?;
        let cutoffs = self.flag_cutoffs(now).await?;
        let (hits, flagged, found) = self.id_filter(filter, &cutoffs).await?;
        // Three reads on three connections at once.
        let (orders, counts, flags) = tokio::try_join!(
            self.page_rows(filter, hits.as_ref()),
            self.status_counts(filter, hits.as_ref()),
            self.flag_counts(filter, &flagged, found.as_deref())
        )?;
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
            flags,
        })
    }

    /// The orders the search and the flag filter leave (`None`: no such filter), the flagged
    /// orders, and the search's own orders, read at once.
    async fn id_filter(
        &self,
        filter: &ListOrders,
        cutoffs: &FlagCutoffs,
    ) -> Result<(
        Option<SearchHits>,
        std::sync::Arc<Flagged>,
        Option<Vec<i64>>,
    )> {
        let (found, flagged) = tokio::try_join!(self.search_ids(filter), self.flagged(cutoffs))?;
        let ids = match (&found, filter.flag) {
            (found, None) => found.clone(),
            (None, Some(flag)) => Some(flagged.of(flag)),
            (Some(found), Some(flag)) => {
                let with_flag = flagged.of(flag);
                let mut both = found.clone();
                both.retain(|id| with_flag.binary_search(id).is_ok());
                Some(both)
            }
        };
        Ok((ids.map(SearchHits::of).transpose()?, flagged, found))
    }

    /// The orders with each flag at `cutoffs` (see [`Flagged`], [`FlagCache`]).
    pub(crate) async fn flagged(&self, cutoffs: &FlagCutoffs) -> Result<std::sync::Arc<Flagged>> {
        let data_version: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&self.watch)
            .await?;
        let key = FlagKey {
            data_version,
            late: cutoffs.late,
            stuck: cutoffs.stuck,
        };
        if let Ok(cache) = self.flag_cache.0.lock() {
            if let Some((cached, flagged)) = cache.as_ref().filter(|(cached, _)| *cached == key) {
                tracing::trace!(?cached, "flagged orders unchanged");
                return Ok(flagged.clone());
            }
        }
        let flagged = std::sync::Arc::new(self.read_flagged(key.late, key.stuck).await?);
        if let Ok(mut cache) = self.flag_cache.0.lock() {
            *cache = Some((key, flagged.clone()));
        }
        Ok(flagged)
    }

    async fn read_flagged(&self, late: DateTime<Utc>, stuck: DateTime<Utc>) -> Result<Flagged> {
        let mut conn = self.pool().acquire().await?;
        // A needs_attention order may have been shipped (a tracking number that is not valid):
        // only those are looked up in the shipments.
        let late = sqlx::query_scalar!(
            r#"SELECT json_group_array(o.id) AS "ids!: String" FROM orders o INDEXED BY orders_late
               WHERE o.status IN ('authorized', 'processing', 'needs_attention')
                 AND o.authorized_at IS NOT NULL AND o.authorized_at < ?
                 AND (o.status <> 'needs_attention'
                      OR NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id))"#,
            late
        )
        .fetch_one(&mut *conn)
        .await?;
        let stuck = sqlx::query_scalar!(
            r#"SELECT json_group_array(DISTINCT order_id) AS "ids!: String" FROM outbox_jobs
               WHERE failing_since < ? AND order_id IS NOT NULL"#,
            stuck
        )
        .fetch_one(&mut *conn)
        .await?;
        let needs_attention = sqlx::query_scalar!(
            r#"SELECT json_group_array(id) AS "ids!: String" FROM orders
               WHERE status = 'needs_attention'"#
        )
        .fetch_one(&mut *conn)
        .await?;
        let sorted = |json: &str| -> Result<Vec<i64>> {
            let mut ids = ids_of(json)?;
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        };
        Ok(Flagged {
            late: sorted(&late)?,
            stuck: sorted(&stuck)?,
            needs_attention: sorted(&needs_attention)?,
        })
    }

    /// Orders per flag under the filters, status and flag aside (`found`: the search's orders,
    /// in id order). The search's orders are kept
    /// here; only the other filters (channel, environment, dates) need the orders themselves,
    /// and then only the flagged ones are read, by id.
    async fn flag_counts(
        &self,
        filter: &ListOrders,
        flagged: &Flagged,
        found: Option<&[i64]>,
    ) -> Result<FlagCounts> {
        let in_search = |id: i64| found.is_none_or(|found| found.binary_search(&id).is_ok());
        if only_ids(filter) {
            return Ok(flagged.counts(in_search));
        }
        let mut candidates = flagged.of(OrderFlag::NeedsYou);
        candidates.retain(|id| in_search(*id));
        let candidates = SearchHits::of(candidates)?;
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT json_group_array(o.id) AS ids FROM orders o");
        push_filters(&mut query, filter, Some(&candidates), false);
        let kept: String = query.build().fetch_one(self.pool()).await?.try_get("ids")?;
        let mut kept = ids_of(&kept)?;
        kept.sort_unstable();
        Ok(flagged.counts(|id| kept.binary_search(&id).is_ok()))
    }

    /// The orders the search's indexed words match, if it has any: each word is found in the
    /// full-text index (number, customer, email, tracking) or in the SKUs of the order's lines,
    /// and every word must be found. A word is matched against the distinct SKUs first (a few
    /// hundred rows); the orders of the SKUs it holds come from the lines' `(sku, order_id)`
    /// index. Words no SKU holds go to the full-text index together, as one query.
    async fn search_ids(&self, filter: &ListOrders) -> Result<Option<Vec<i64>>> {
        let Some(search) = filter.search.as_deref() else {
            return Ok(None);
        };
        let (words, _) = search_terms(search);
        if words.is_empty() {
            return Ok(None);
        }
        let mut conn = self.pool().acquire().await?;
        let mut plain = Vec::new();
        let mut found: Vec<Vec<i64>> = Vec::new();
        for word in &words {
            let pattern = sku_pattern(word);
            // One row with every id: a row per match costs more than the match.
            let lines = sqlx::query!(
                r#"SELECT json_group_array(l.order_id) AS "ids!: String", count(*) AS "count!: i64"
                   FROM search_skus s CROSS JOIN order_lines l INDEXED BY order_lines_sku
                        ON l.sku = s.sku
                   WHERE s.sku LIKE ? ESCAPE '\'"#,
                pattern
            )
            .fetch_one(&mut *conn)
            .await?;
            if lines.count == 0 {
                plain.push(phrase(word));
                continue;
            }
            let mut ids = ids_of(&lines.ids)?;
            ids.extend(full_text_ids(&mut conn, &phrase(word)).await?);
            ids.sort_unstable();
            ids.dedup();
            found.push(ids);
        }
        if !plain.is_empty() {
            found.push(full_text_ids(&mut conn, &plain.join(" AND ")).await?);
        }
        // Every word's orders: the fewest first, kept where every other word has them too.
        found.sort_by_key(Vec::len);
        let mut sets = found.into_iter();
        let mut hits = sets.next().unwrap_or_default();
        for other in sets {
            hits.retain(|id| other.binary_search(id).is_ok());
        }
        Ok(Some(hits))
    }

    async fn page_rows(
        &self,
        filter: &ListOrders,
        hits: Option<&SearchHits>,
    ) -> Result<Vec<OrderSummary>> {
        // The page's ids first, from the indexes alone; then only those rows are read. Read row
        // by row, a deep page would fetch every skipped order from the table.
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT p.id, c.name AS channel, p.number, p.status, p.customer_name, p.total_minor,
                    p.currency, p.placed_at, p.environment
             FROM orders p JOIN channels c ON c.id = p.channel_id
             WHERE p.id IN (SELECT o.id FROM orders o",
        );
        push_filters(&mut query, filter, hits, true);
        query
            .push(" ORDER BY o.placed_at DESC, o.id DESC LIMIT ")
            .push_bind(i64::from(filter.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(filter.offset))
            .push(") ORDER BY p.placed_at DESC, p.id DESC");
        let rows = query.build().fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(OrderSummary {
                    id: row.try_get("id")?,
                    channel: row.try_get("channel")?,
                    number: row.try_get("number")?,
                    status: row.try_get("status")?,
                    customer_name: row.try_get("customer_name")?,
                    total_minor: row.try_get("total_minor")?,
                    currency: row.try_get("currency")?,
                    placed_at: row.try_get("placed_at")?,
                    environment: row.try_get("environment")?,
                })
            })
            .collect()
    }

    /// Orders per status under the filters, status aside, in lifecycle order.
    async fn status_counts(
        &self,
        filter: &ListOrders,
        hits: Option<&SearchHits>,
    ) -> Result<Vec<StatusCount>> {
        if let Some(hits) = hits.filter(|hits| hits.count > LOOK_UP_AT_MOST && only_ids(filter)) {
            return self.status_counts_of_hits(hits).await;
        }
        let mut query = QueryBuilder::<Sqlite>::new("SELECT o.status, count(*) AS n FROM orders o");
        push_filters(&mut query, filter, hits, false);
        if filter.placed_from.is_some() || filter.placed_before.is_some() {
            // Every status named: the status-and-date index then answers one date range per
            // status, where alone the date range made SQLite read that index whole.
            query.push(" AND o.status IN (");
            let mut statuses = query.separated(", ");
            for status in OrderStatus::ALL {
                statuses.push_bind(status);
            }
            statuses.push_unseparated(")");
        }
        query.push(" GROUP BY o.status");
        let rows = query.build().fetch_all(self.pool()).await?;
        let mut counts = rows
            .iter()
            .map(|row| {
                Ok(StatusCount {
                    status: row.try_get("status")?,
                    count: row.try_get("n")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        counts.sort_by_key(|count| {
            OrderStatus::ALL
                .iter()
                .position(|status| *status == count.status)
        });
        Ok(counts)
    }

    /// The counts per status of many search matches and nothing else: each match's status read
    /// by id from the narrow `orders_id_status` index, in one pass (no sort), and counted here.
    /// Testing every entry of the status index against the matches instead costs a test per
    /// order, four times as many at a quarter of the orders; and one `count(*) FILTER` per
    /// status tests each match nine times, which cost half as much again as the reads (5 ms of
    /// 14 at 25,000 matches, docs/BENCHMARKS.md): the statuses come back as one text instead.
    async fn status_counts_of_hits(&self, hits: &SearchHits) -> Result<Vec<StatusCount>> {
        let statuses = sqlx::query_scalar!(
            r#"SELECT group_concat(o.status, ',') AS "statuses: String"
               FROM json_each(?) j CROSS JOIN orders o INDEXED BY orders_id_status
                    ON o.id = j.value"#,
            hits.ids
        )
        .fetch_one(self.pool())
        .await?
        .unwrap_or_default();
        let mut tally = [0_i64; OrderStatus::ALL.len()];
        for word in statuses.split(',').filter(|word| !word.is_empty()) {
            let index = OrderStatus::ALL
                .iter()
                .position(|status| status.as_str() == word)
                .ok_or_else(|| {
                    sqlx::Error::Decode(format!("{word:?} is not an order status").into())
                })?;
            tally[index] += 1;
        }
        Ok(OrderStatus::ALL
            .into_iter()
            .zip(tally)
            .filter(|(_, count)| *count > 0)
            .map(|(status, count)| StatusCount { status, count })
            .collect())
    }

    /// Merges the `order_search` full-text index into one segment, in steps.
    ///
    /// Every import page adds a segment to the index and every edit of an indexed order (a new
    /// shipment's tracking number, say) leaves its old entries behind as deletions; SQLite merges
    /// some of them as it writes, never all. A search then reads each common word's list of
    /// orders from every segment, deletions included: at 100,000 orders the SKU search
    /// `USD-1003`, when SKUs were in this index, took about twice as long unmerged
    /// (docs/BENCHMARKS.md, Orders list at scale).
    ///
    /// Call it after an Order Sync that imported [`TIDY_SEARCH_INDEX_AFTER`] orders or more
    /// (and at will, e.g. at start: a merged index makes it a no-op). The work grows with the
    /// index, not with what changed (about 1.5 s at 100,000 orders on a 2-core machine), so it
    /// is done in steps of [`MERGE_STEP_PAGES`] pages, each its own short write transaction:
    /// a sync or a worker writing meanwhile waits for one step at most, and what it writes is
    /// indexed and found as before. Searches find the same orders before, during and after.
    ///
    /// Returns the number of steps that merged something (0: the index was already merged).
    pub async fn tidy_search_index(&self) -> Result<u32> {
        let mut conn = self.pool().acquire().await?;
        let mut steps = 0;
        while steps < MERGE_STEPS_AT_MOST {
            // A negative step first puts every segment on one level, so the steps after it
            // merge them all; a positive step goes on with a merge already started.
            let pages = if steps == 0 {
                -MERGE_STEP_PAGES
            } else {
                MERGE_STEP_PAGES
            };
            let before: i64 = sqlx::query_scalar("SELECT total_changes()")
                .fetch_one(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO order_search (order_search, rank) VALUES ('merge', ?)")
                .bind(pages)
                .execute(&mut *conn)
                .await?;
            let after: i64 = sqlx::query_scalar("SELECT total_changes()")
                .fetch_one(&mut *conn)
                .await?;
            // FTS5's own signal: a step that wrote nothing changes fewer than two rows.
            if after - before < 2 {
                break;
            }
            steps += 1;
        }
        Ok(steps)
    }
}

/// The orders the full-text query `words` matches, in id order.
async fn full_text_ids(conn: &mut sqlx::SqliteConnection, words: &str) -> Result<Vec<i64>> {
    let ids = sqlx::query_scalar!(
        r#"SELECT json_group_array(rowid) AS "ids!: String"
           FROM order_search WHERE order_search MATCH ?"#,
        words
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut ids = ids_of(&ids)?;
    // FTS5 gives rowids in ascending order; sorted again should that ever change.
    if !ids.is_sorted() {
        ids.sort_unstable();
    }
    Ok(ids)
}

/// Order ids from a `json_group_array` of them.
fn ids_of(json: &str) -> Result<Vec<i64>> {
    serde_json::from_str(json).map_err(|err| sqlx::Error::Decode(Box::new(err)).into())
}

/// An Order Sync that imported at least this many orders is followed by
/// [`Store::tidy_search_index`]. A page of 100 orders adds one segment to the full-text index;
/// SQLite merges them four at a time as it writes, so ten pages leave a few more segments for a
/// search to read, and merging after every small sync would rewrite the whole index each time.
pub const TIDY_SEARCH_INDEX_AFTER: i64 = 1_000;

/// Pages of the full-text index (4 KB each) one merge step writes: a few tens of milliseconds of
/// write lock, so a sync or worker that writes meanwhile is held up that long at most.
pub const MERGE_STEP_PAGES: i64 = 256;

/// A bound on one tidy's steps, should the index never report itself merged: 4,096 steps of
/// 256 pages rewrite 4 GB, far past any store the app keeps (35 MB at 100,000 orders).
const MERGE_STEPS_AT_MOST: u32 = 4096;

/// The search and the flag are the only filters (the status aside), and every word uses the
/// full-text index: the ids say it all.
fn only_ids(filter: &ListOrders) -> bool {
    filter.channel_id.is_none()
        && filter.environment.is_none()
        && filter.placed_from.is_none()
        && filter.placed_before.is_none()
        && filter
            .search
            .as_deref()
            .is_none_or(|search| search_terms(search).1.is_empty())
}

fn check_limit(filter: &ListOrders) -> Result<()> {
    if (1..=1000).contains(&filter.limit) {
        Ok(())
    } else {
        Err(Error::invalid(
            "limit",
            "ask for 1 to 1000 orders at a time",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_quoted_phrases() {
        let (indexed, short) = search_terms(r#"jane "doe" #1001 NY"#);
        let phrases: Vec<String> = indexed.iter().map(|word| phrase(word)).collect();
        assert_eq!(phrases, vec![r#""jane""#, r#""""doe""""#, r##""#1001""##]);
        assert_eq!(short, vec!["NY"]);
    }

    #[test]
    fn sku_patterns_match_the_word_anywhere_and_nothing_else() {
        assert_eq!(sku_pattern("usd-10"), "%usd-10%");
        assert_eq!(sku_pattern(r"a%b_c\d"), r"%a\%b\_c\\d%");
    }

    /// A word in every order is past `LOOK_UP_AT_MOST`, so the index-walk form answers it: the
    /// same pages and counts as the list without the word, whether every email holds it or every
    /// order has a line whose SKU does.
    #[tokio::test]
    async fn a_search_matching_every_order_pages_and_counts_like_the_whole_list() {
        let dir = tempfile::tempdir().unwrap();
        let engine = crate::Engine::open_with_keyring(
            crate::OpenRequest {
                data_dir: dir.path().to_path_buf(),
                unlock: Default::default(),
            },
            std::sync::Arc::new(crate::keys::MemoryKeyring::default()),
        )
        .await
        .unwrap();
        let store = engine.store();
        store.seed_orders(700, 5).await.unwrap();
        for word in ["example.com", "usd-10"] {
            let every = ListOrders {
                search: Some(word.into()),
                ..ListOrders::default()
            };
            let hits = store.search_ids(&every).await.unwrap().unwrap();
            assert_eq!(hits.len(), 700, "{word}");
        }
        let first = store.list_orders(&ListOrders::default()).await.unwrap();
        for order in first.iter().step_by(7) {
            store
                .transition(
                    order.id,
                    OrderStatus::Cancelled,
                    crate::domain::Actor::Dealer,
                    "test",
                )
                .await
                .unwrap();
        }
        for (word, status, offset) in [
            ("example.com", None, 0),
            ("example.com", None, 650),
            ("example.com", Some(OrderStatus::Cancelled), 10),
            ("example.com", Some(OrderStatus::Imported), 300),
            ("usd-10", None, 0),
            ("USD-10", Some(OrderStatus::Cancelled), 10),
        ] {
            let whole = ListOrders {
                status,
                limit: 100,
                offset,
                ..ListOrders::default()
            };
            let searched = ListOrders {
                search: Some(word.into()),
                ..whole.clone()
            };
            let page = store.order_page(&searched).await.unwrap();
            assert_eq!(page, store.order_page(&whole).await.unwrap(), "{word}");
        }
        engine.close().await;
    }
}

/// Where an export's walk through the Orders list stands: the last order written, in list order
/// (newest first), so the next page starts after it whatever was written meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListCursor {
    placed_at: String,
    id: i64,
}

impl Store {
    /// The search's and the flag's orders for an export, looked up once for the whole walk.
    pub(crate) async fn export_hits(&self, filter: &ListOrders) -> Result<Option<SearchHits>> {
        let cutoffs = self.flag_cutoffs(Utc::now()).await?;
        Ok(self.id_filter(filter, &cutoffs).await?.0)
    }

    /// The next `limit` order ids under the list's filters after `after`, in list order, with the
    /// cursor past the last of them. A keyset page: the walk costs the same on its last page as on
    /// its first, and holds no more than a page in memory.
    pub(crate) async fn export_page_ids(
        &self,
        filter: &ListOrders,
        hits: Option<&SearchHits>,
        after: Option<&ListCursor>,
        limit: i64,
    ) -> Result<(Vec<i64>, Option<ListCursor>)> {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT o.id, o.placed_at FROM orders o");
        push_filters(&mut query, filter, hits, true);
        if let Some(after) = after {
            // `placed_at <= ?` alone bounds the index range, so each page starts where the last
            // one ended; the OR by itself is no range, and SQLite would walk the index from the
            // newest order past every one already written (a walk that grew with each page).
            query
                .push(" AND o.placed_at <= ")
                .push_bind(after.placed_at.clone())
                .push(" AND (o.placed_at < ")
                .push_bind(after.placed_at.clone())
                .push(" OR o.id < ")
                .push_bind(after.id)
                .push(")");
        }
        query
            .push(" ORDER BY o.placed_at DESC, o.id DESC LIMIT ")
            .push_bind(limit);
        let rows = query.build().fetch_all(self.pool()).await?;
        let mut ids = Vec::with_capacity(rows.len());
        let mut cursor = None;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            ids.push(id);
            cursor = Some(ListCursor {
                placed_at: row.try_get("placed_at")?,
                id,
            });
        }
        Ok((ids, cursor))
    }
}
