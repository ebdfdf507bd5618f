//! Reports: the Dashboard's figures, each one SQL aggregate over an index.
//!
//! The types below are the contract between the engine and the window's Dashboard page.
//!
//! Every figure is of one environment (Sandbox and Live never mix) and of the dealer's local
//! days `from..=to` ([`spans`]: each day, week or month as its UTC range, the zone's offset
//! taken per day); each is one SQL aggregate walking one covering index over the period's
//! placed (or authorized) dates (migration `20261209090000_dashboard.sql`):
//!
//! - [`orders_per_day`]: every order placed, per day and channel.
//! - [`needs_you`]: the funnel and the flags, the Orders list's own counts.
//! - [`lead_times`]: placed → authorized / tracking / completed, per week, median and p90.
//! - [`money`]: revenue, US Direct's cost and the margin per bucket and currency.
//! - [`auto_authorize`]: what the rules spent per day, the daily cap's own sum.

pub mod auto_authorize;
pub mod lead_times;
pub mod money;
pub mod needs_you;
pub mod orders_per_day;
pub mod spans;

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Environment;
use crate::store::StatusCount;
use crate::{Engine, Result};

pub use spans::{Span, Spans, MAX_PERIOD_DAYS};

/// How the money series is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Bucket {
    Day,
    Week,
    Month,
}

/// What the Dashboard shows: one environment (the Sandbox has its own), the days `from..=to`
/// (the dealer's local days).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DashboardQuery {
    pub environment: Environment,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub bucket: Bucket,
}

/// A sales channel that has orders in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DashboardChannel {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
}

/// Orders placed on one local day in one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayCount {
    pub day: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub channel_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub orders: i64,
}

/// A step of the lifecycle timed from when the order was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum Milestone {
    Authorized,
    Tracking,
    Completed,
}

/// Time from placed to `milestone`, for orders placed in the week starting `week` (Monday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LeadTime {
    pub week: NaiveDate,
    pub milestone: Milestone,
    /// Orders of that week that reached the milestone.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub orders: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub median_seconds: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub p90_seconds: i64,
}

/// Revenue (what the customers paid the store), US Direct's cost and the margin, for orders
/// placed in the bucket starting `start`, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MoneyBucket {
    pub start: NaiveDate,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub orders: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub revenue_minor: i64,
    /// Of `orders`, those US Direct has invoiced in this currency: the orders `cost_minor` and
    /// `margin_minor` are summed over (the margin as the order page shows it).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub invoiced_orders: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cost_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub margin_minor: i64,
}

/// What Auto Authorize spent on one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DaySpend {
    pub day: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub spent_minor: i64,
}

/// Auto Authorize's spend per day against its daily cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoAuthorizeSpend {
    pub enabled: bool,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub daily_cap_minor: Option<i64>,
    pub days: Vec<DaySpend>,
}

/// Orders that need the dealer now; each links to the filtered Orders list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedsYouCounts {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub needs_attention: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub late: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stuck: i64,
    /// Each order once, whether it needs attention, is Late or is Stuck: the "Needs you" chip
    /// and the sidebar's count.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub needs_you: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub environment: Environment,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub bucket: Bucket,
    pub computed_at: DateTime<Utc>,
    pub channels: Vec<DashboardChannel>,
    /// Days with no orders are left out.
    pub orders_per_day: Vec<DayCount>,
    /// How many orders are in each status now, whatever the period.
    pub funnel: Vec<StatusCount>,
    pub lead_times: Vec<LeadTime>,
    pub money: Vec<MoneyBucket>,
    pub auto_authorize: AutoAuthorizeSpend,
    pub needs_you: NeedsYouCounts,
}

impl Engine {
    /// The Dashboard for `query`, in the computer's time zone, its flags read now.
    pub async fn dashboard(&self, query: &DashboardQuery) -> Result<Dashboard> {
        self.dashboard_at(query, Utc::now(), &Local).await
    }

    /// [`Engine::dashboard`] in `zone`, the flags (Late, Stuck) read at `now`. Refuses a
    /// period that ends before it starts or is longer than [`MAX_PERIOD_DAYS`]. The figures
    /// are read at once, each on its own connection.
    pub async fn dashboard_at<Tz: TimeZone>(
        &self,
        query: &DashboardQuery,
        now: DateTime<Utc>,
        zone: &Tz,
    ) -> Result<Dashboard> {
        let days = Spans::of(query, Bucket::Day, zone)?;
        let weeks = Spans::of(query, Bucket::Week, zone)?;
        let buckets = Spans::of(query, query.bucket, zone)?;
        let store = self.store();
        let environment = query.environment;
        let ((channels, orders_per_day), (funnel, needs_you), lead_times, money, auto_authorize) =
            tokio::try_join!(
                store.dashboard_orders_per_day(environment, &days),
                store.dashboard_funnel_and_flags(environment, now),
                store.dashboard_lead_times(environment, &weeks),
                store.dashboard_money(environment, &buckets),
                store.dashboard_auto_authorize(environment, &days),
            )?;
        Ok(Dashboard {
            environment,
            from: query.from,
            to: query.to,
            bucket: query.bucket,
            computed_at: now,
            channels,
            orders_per_day,
            funnel,
            lead_times,
            money,
            auto_authorize,
            needs_you,
        })
    }
}
