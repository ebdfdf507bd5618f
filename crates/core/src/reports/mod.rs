//! Reports: the Dashboard's figures, each one SQL aggregate over an index.
//!
//! The types below are the contract between the engine and the window's Dashboard page.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Environment;
use crate::store::StatusCount;
use crate::{Engine, Result};

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
    /// The Dashboard for `query`.
    ///
    /// Placeholder until the aggregates land: an empty dashboard of the right shape.
    pub async fn dashboard(&self, query: &DashboardQuery) -> Result<Dashboard> {
        Ok(Dashboard {
            environment: query.environment,
            from: query.from,
            to: query.to,
            bucket: query.bucket,
            computed_at: Utc::now(),
            channels: Vec::new(),
            orders_per_day: Vec::new(),
            funnel: Vec::new(),
            lead_times: Vec::new(),
            money: Vec::new(),
            auto_authorize: AutoAuthorizeSpend {
                enabled: false,
                currency: "USD".into(),
                daily_cap_minor: None,
                days: Vec::new(),
            },
            needs_you: NeedsYouCounts {
                needs_attention: 0,
                late: 0,
                stuck: 0,
            },
        })
    }
}
