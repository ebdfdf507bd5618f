//! Cost-based pacing for Shopify's leaky bucket, so a sync keeps the bucket busy without ever
//! being throttled.
//!
//! Shopify admits a query when its *requested* cost (computed from `first` arguments) fits in
//! `currentlyAvailable`, then charges its *actual* cost; the bucket refills at `restoreRate`
//! points per second up to `maximumAvailable`. Every response reports that state in
//! `extensions.cost`. The pacer keeps the last report and, before each query:
//!
//! 1. projects the bucket to now (`available + restoreRate × elapsed`, capped at the maximum);
//! 2. estimates the requested cost of `first` nodes from the document's static cost, scaled by
//!    what the last response of that document actually reported (`requestedQueryCost` against
//!    the estimate for the `first` that was sent), starting conservatively at ×1.25;
//! 3. aims for the largest page whose cost fits the maximum and Shopify's 1000-point limit on a
//!    single query (never `MAX_COST_EXCEEDED`);
//! 4. sends now if a worthwhile page fits what is available, as many orders as fit; otherwise
//!    sleeps exactly until it does, `(cost − available) / restoreRate`. Worthwhile is about a
//!    second of refill's worth of orders at their *actual* cost, as the last page measured it
//!    (half the page until then).
//!
//! While waiting the bucket is below its maximum, so no refill is wasted: the client spends the
//! restore rate. What it must keep in hand is the gap between a page's requested and actual
//! cost, unspent until the sync ends; the small minimum page and asking for about as many line
//! items per order as the last page's orders had keep it small. The line items per order are at
//! most what lets a page of [`TARGET_ORDERS`] orders fit one query.

use std::time::Duration;

use tokio::time::Instant;

use super::documents::Doc;

/// Points kept in hand, against rounding and the time the report spent on the wire.
const SAFETY: f64 = 1.0;
/// What a page is expected to cost is its static cost times the ratio the last such query was
/// charged; that ratio shifts a little with the page's shape (0.961 for 15 orders of 2 lines,
/// 0.968 for 12 of 3), so a page sent the moment the bucket holds its estimate could be a few
/// points short and be throttled. A page is sent once the bucket holds 2 % more than its
/// estimate (about 20 ms of refill), or is as full as it gets.
const COST_MARGIN: f64 = 1.02;
/// Scale on the static estimate until a response tells the real one.
const INITIAL_SCALE: f64 = 1.25;
/// Shopify refuses any single query dearer than this, however large the bucket.
pub(crate) const MAX_QUERY_COST: f64 = 1000.0;
/// Orders one full-price query should hold, which decides how many line items each order
/// brings: more lines per order means fewer orders per page, and a slower sync on a fast
/// bucket. With 1000 points that is 10 lines, more than almost any dropship order has; longer
/// orders get the rest with one more query.
const TARGET_ORDERS: f64 = 12.0;
/// Line items per order: at most this many with the order; the rest, rarely, page by page.
pub(crate) const MAX_LINES: u32 = 50;
/// Line items per order before the bucket is known.
const PROBE_LINES: u32 = 10;
/// Line items per order at least, once the orders' own sizes are known: most orders have a
/// few, and asking for a few more than the last page needed costs little.
const FEWEST_LINES: u32 = 3;
/// The most nodes Shopify returns in one page.
pub(crate) const MAX_FIRST: u32 = 250;
/// When the bucket sets the pace, wait for about this much refill per page: more requests
/// keep less of the bucket idle in hand, fewer spare round trips.
const REFILL_PER_PAGE_SECS: f64 = 1.0;
/// Line items worth waiting for when fetching the rest of a long order (how many remain is
/// unknown, and usually few).
const LINES_WORTH_WAITING_FOR: u32 = 20;

/// `extensions.cost` of a response.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct CostReport {
    pub requested: Option<f64>,
    pub actual: Option<f64>,
    pub throttle: Option<ThrottleStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ThrottleStatus {
    pub maximum_available: f64,
    pub currently_available: f64,
    pub restore_rate: f64,
}

/// The bucket as last reported.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    maximum: f64,
    available: f64,
    restore_rate: f64,
    seen_at: Instant,
}

impl Bucket {
    fn available_at(&self, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.seen_at).as_secs_f64();
        (self.available + self.restore_rate * elapsed).min(self.maximum)
    }

    /// Seconds until `cost` points are available, from `available` now.
    fn refill_time(&self, cost: f64, available: f64) -> Duration {
        let seconds = ((cost - available) / self.restore_rate.max(0.001)).max(0.0);
        // Round up to the millisecond so the bucket is surely there when we arrive.
        Duration::from_millis((seconds * 1000.0).ceil().min(3_600_000.0) as u64)
    }
}

/// What to send next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plan {
    pub doc: Doc,
    /// Nodes to ask for (the document's `$first`).
    pub first: u32,
    /// Line items per order (`$lines` of [`Doc::Orders`]).
    pub lines: u32,
    /// Sleep this long before sending.
    pub wait: Duration,
    /// The cost by Shopify's rules, unscaled: what `requestedQueryCost` is compared with.
    pub static_cost: f64,
}

#[derive(Debug)]
pub(crate) struct Pacer {
    bucket: Option<Bucket>,
    /// Per document: reported requested cost ÷ static cost.
    scale: [f64; Doc::ALL.len()],
    /// Line items per order, chosen from the bucket's size.
    lines: u32,
    /// Ceiling on `first` and on `lines` after a `MAX_COST_EXCEEDED`.
    first_cap: u32,
    lines_cap: u32,
    /// What an order actually cost on the last page of orders.
    order_actual: Option<f64>,
    /// The most line items an order of the last page had.
    lines_needed: Option<u32>,
}

impl Default for Pacer {
    fn default() -> Self {
        Self {
            bucket: None,
            scale: [INITIAL_SCALE; Doc::ALL.len()],
            lines: PROBE_LINES,
            first_cap: MAX_FIRST,
            lines_cap: MAX_LINES,
            order_actual: None,
            lines_needed: None,
        }
    }
}

impl Pacer {
    /// The next request of `doc`, for at most `wanted` nodes.
    pub(crate) fn plan(&mut self, now: Instant, doc: Doc, wanted: u32) -> Plan {
        let wanted = wanted.clamp(1, MAX_FIRST);
        let lines = self.lines.min(self.lines_cap).max(1);
        let scale = self.scale[doc.index()];
        let (fixed, per_node) = doc.shape(lines);
        let plan = |first: u32, wait: Duration| Plan {
            doc,
            first,
            lines,
            wait,
            static_cost: doc.cost(first, lines),
        };
        let Some(bucket) = self.bucket else {
            // Nothing known yet: a small request, whose report tells us the bucket.
            return plan(if doc.is_paged() { 1 } else { wanted }, Duration::ZERO);
        };
        // How many nodes `budget` points pay for.
        let fits = |budget: f64| -> u32 {
            let spare = budget / scale - fixed;
            if spare < 0.0 {
                0
            } else if !doc.is_paged() || per_node <= 0.0 {
                wanted
            } else {
                (spare / per_node).floor().min(f64::from(MAX_FIRST)) as u32
            }
        };
        let ceiling = bucket.maximum.min(MAX_QUERY_COST) - SAFETY;
        let target = fits(ceiling).min(self.first_cap).min(wanted);
        if target == 0 {
            if doc == Doc::Orders && lines > 1 {
                // Even one order with this many lines is too dear for the bucket.
                self.lines_cap = lines / 2;
                return self.plan(now, doc, wanted);
            }
            // Nothing smaller exists: let Shopify say MAX_COST_EXCEEDED.
            return plan(1, Duration::ZERO);
        }
        let available = bucket.available_at(now) - SAFETY;
        // The margin, unless the bucket is as full as it gets (nothing more will come).
        let padded = |cost: f64| (cost * COST_MARGIN).min(ceiling).max(cost);
        let budget = if available >= ceiling {
            available
        } else {
            available / COST_MARGIN
        };
        let now_fits = fits(budget).min(target);
        let enough = match (doc, self.order_actual) {
            (Doc::Orders, Some(actual)) => {
                let orders = (bucket.restore_rate * REFILL_PER_PAGE_SECS / actual).ceil();
                (orders.min(f64::from(MAX_FIRST)) as u32).clamp(1, target)
            }
            (Doc::Orders, None) => target.div_ceil(2),
            (Doc::OrderLines, _) => target.min(LINES_WORTH_WAITING_FOR),
            // Most orders have a single fulfillment order: one is worth sending for.
            (Doc::FulfillmentOrders, _) => 1,
            (
                Doc::ShopName
                | Doc::OrdersScope
                | Doc::AppScopes
                | Doc::OrderFulfillments
                | Doc::FulfillmentCreate
                | Doc::OrderCancelState
                | Doc::OrderCancel,
                _,
            ) => target,
        };
        if now_fits >= enough {
            return plan(now_fits, Duration::ZERO);
        }
        let cost = padded(scale * doc.cost(enough, lines));
        plan(enough, bucket.refill_time(cost, available))
    }

    /// Learns from the `extensions.cost` of the answer to `plan`.
    pub(crate) fn observe(&mut self, now: Instant, report: &CostReport, plan: &Plan) {
        let requested = report.requested.filter(|r| *r > 0.0);
        if let (Some(requested), true) = (requested, plan.static_cost > 0.0) {
            self.scale[plan.doc.index()] = (requested / plan.static_cost).clamp(0.2, 5.0);
        }
        if let Some(status) = report.throttle {
            self.bucket = Some(Bucket {
                maximum: status.maximum_available,
                available: status.currently_available,
                restore_rate: status.restore_rate,
                seen_at: now,
            });
        }
        self.choose_lines();
    }

    /// Lines per order: what the last page's orders needed, within what the bucket's size and
    /// an order's real cost allow.
    fn choose_lines(&mut self) {
        if let Some(bucket) = self.bucket {
            let needed = self.lines_needed.map_or(u32::MAX, |n| n.max(FEWEST_LINES));
            self.lines = self.lines_for(bucket.maximum).min(needed);
        }
    }

    /// A page of `nodes` orders actually cost `actual` points (`actualQueryCost`), and its
    /// longest order had `most_lines` line items (one more than it brought, if it had more).
    pub(crate) fn orders_served(&mut self, actual: Option<f64>, nodes: usize, most_lines: u32) {
        if nodes == 0 {
            return;
        }
        if let Some(actual) = actual {
            let (fixed, _) = Doc::Orders.shape(0);
            self.order_actual = Some(((actual - fixed) / nodes as f64).max(1.0));
        }
        self.lines_needed = Some(most_lines);
        self.choose_lines();
    }

    /// Shopify answered THROTTLED. With the bucket's state in the report, [`Self::observe`]
    /// already knows how long to wait; without it, assume the bucket is empty.
    pub(crate) fn throttled(&mut self, now: Instant, report: &CostReport) {
        if report.throttle.is_some() {
            return;
        }
        let bucket = self.bucket.get_or_insert(Bucket {
            // Shopify's smallest documented bucket.
            maximum: 1000.0,
            available: 0.0,
            restore_rate: 50.0,
            seen_at: now,
        });
        bucket.available = 0.0;
        bucket.seen_at = now;
    }

    /// Shopify answered MAX_COST_EXCEEDED: the page was too dear for any bucket state. `cost`
    /// and `max_cost` are the error's own figures when it gives them.
    pub(crate) fn max_cost_exceeded(
        &mut self,
        plan: &Plan,
        cost: Option<f64>,
        max_cost: Option<f64>,
    ) {
        if let Some(cost) = cost.filter(|c| *c > 0.0) {
            if plan.static_cost > 0.0 {
                self.scale[plan.doc.index()] = (cost / plan.static_cost).clamp(0.2, 5.0);
            }
        }
        if let (Some(max), Some(bucket)) = (max_cost, self.bucket.as_mut()) {
            bucket.maximum = max;
        }
        if plan.first > 1 {
            self.first_cap = (plan.first / 2).max(1);
        } else {
            self.lines_cap = (plan.lines / 2).max(1);
        }
    }

    /// How long until the bucket refills enough for one small page (for a RateLimited error).
    pub(crate) fn refill_estimate(&self, now: Instant, doc: Doc) -> Duration {
        match self.bucket {
            Some(bucket) => {
                let cost = self.scale[doc.index()] * doc.cost(1, self.lines);
                bucket.refill_time(cost, bucket.available_at(now))
            }
            None => Duration::from_secs(1),
        }
    }

    /// Line items per order such that [`TARGET_ORDERS`] orders fit a bucket of `maximum`.
    fn lines_for(&self, maximum: f64) -> u32 {
        let scale = self.scale[Doc::Orders.index()];
        let (fixed, order_alone) = Doc::Orders.shape(0);
        let per_line = Doc::Orders.shape(1).1 - order_alone;
        let per_order = ((maximum.min(MAX_QUERY_COST) - SAFETY) / scale - fixed) / TARGET_ORDERS;
        let lines = ((per_order - order_alone) / per_line).floor();
        if lines.is_finite() && lines >= 1.0 {
            (lines as u32).min(self.lines_cap)
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests;
