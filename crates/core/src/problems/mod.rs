//! Orders that need the dealer beyond `needs_attention`: **Late** (authorized N business days
//! ago, default 4, and no tracking yet) and **Stuck** (a job failing for an hour); the count of
//! orders that need the dealer (each once), and the problems the dealer is told of with one
//! grouped desktop notification ([`notice::group_problems`]).
//!
//! Both flags are read from the clock at the time of asking: the cutoffs are computed here
//! ("authorized before this instant", "failing since before that one"), so the Orders list's
//! queries are plain comparisons over the orders in flight (the status index) and the failing
//! jobs (`outbox_jobs_failing`).

pub mod business_days;
pub mod notice;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::changes::Change;
use crate::settings::{self, LateAfter, LateNoticedThrough, StuckNoticedThrough};
use crate::store::Store;
use crate::{Engine, Result};

pub use business_days::{business_days_before, business_days_between};
pub use notice::{group_problems, ProblemNotice, ProblemNotifications};

/// A job failing this long makes its order Stuck: the outbox's retries (2 s doubling to 10 min)
/// have had a dozen tries by then, so what is left will not clear by itself.
pub const STUCK_AFTER: Duration = Duration::hours(1);

/// The instants the flags are read against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagCutoffs {
    /// Orders authorized before this, with no tracking yet, are Late.
    pub late: DateTime<Utc>,
    /// Orders with a job failing since before this are Stuck.
    pub stuck: DateTime<Utc>,
    /// The setting they were computed from.
    pub late_after_days: u32,
}

impl FlagCutoffs {
    /// The cutoffs at `now`, to the minute (down): every read in one minute sees the same flags,
    /// so the Orders list can keep the flagged orders it read until something is written.
    pub fn at(now: DateTime<Utc>, late_after_days: u32) -> Self {
        Self {
            late: minute(business_days_before(now, late_after_days)),
            stuck: minute(now - STUCK_AFTER),
            late_after_days,
        }
    }
}

/// `at` to the minute, down.
fn minute(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp().div_euclid(60) * 60, 0).unwrap_or(at)
}

/// A problem the dealer is told of.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum ProblemKind {
    /// US Direct declined the payment.
    Declined,
    /// US Direct refused the order.
    Refused,
    /// A shipment came with a tracking number that is not valid for its carrier.
    InvalidTracking,
    /// Authorized N business days ago and no tracking yet.
    Late,
}

impl ProblemKind {
    pub const ALL: [ProblemKind; 4] = [
        ProblemKind::Declined,
        ProblemKind::Refused,
        ProblemKind::InvalidTracking,
        ProblemKind::Late,
    ];

    /// "2 declined payments", "1 refusal".
    fn counted(self, count: usize) -> String {
        let (one, many) = match self {
            ProblemKind::Declined => ("declined payment", "declined payments"),
            ProblemKind::Refused => ("refusal", "refusals"),
            ProblemKind::InvalidTracking => ("invalid tracking number", "invalid tracking numbers"),
            ProblemKind::Late => ("late", "late"),
        };
        format!("{count} {}", if count == 1 { one } else { many })
    }

    /// What happened to one order.
    fn sentence(self) -> &'static str {
        match self {
            ProblemKind::Declined => "US Direct declined the payment",
            ProblemKind::Refused => "US Direct refused the order",
            ProblemKind::InvalidTracking => "the tracking number is not valid",
            ProblemKind::Late => "no tracking yet, it is late",
        }
    }
}

/// One problem not told yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub order_id: i64,
    pub order_number: String,
    pub kind: ProblemKind,
}

impl Store {
    /// The flags' cutoffs at `now`, with the dealer's "Late after N business days".
    pub async fn flag_cutoffs(&self, now: DateTime<Utc>) -> Result<FlagCutoffs> {
        let days = settings::get::<LateAfter>(self.pool()).await?.0;
        Ok(FlagCutoffs::at(now, days))
    }

    /// Orders that need the dealer at `now`, each once: in `needs_attention`, Late or Stuck.
    pub async fn needs_you_count_at(&self, now: DateTime<Utc>) -> Result<i64> {
        let cutoffs = self.flag_cutoffs(now).await?;
        let flagged = self.flagged(&cutoffs).await?;
        Ok(i64::try_from(flagged.of(crate::store::OrderFlag::NeedsYou).len()).unwrap_or(i64::MAX))
    }
}

impl Engine {
    /// "Late after N business days" (default 4).
    pub async fn late_after_business_days(&self) -> Result<u32> {
        Ok(settings::get::<LateAfter>(self.store().pool()).await?.0)
    }

    pub async fn set_late_after_business_days(&self, days: u32) -> Result<()> {
        settings::set(self.store().pool(), &LateAfter::new(days)?).await?;
        self.publish(Change::Orders {
            reason: "late_after_changed",
        });
        Ok(())
    }

    /// Which problems are told with a desktop notification.
    pub async fn problem_notifications(&self) -> Result<ProblemNotifications> {
        settings::get(self.store().pool()).await
    }

    pub async fn set_problem_notifications(&self, wanted: ProblemNotifications) -> Result<()> {
        settings::set(self.store().pool(), &wanted).await
    }

    /// Orders that need the dealer now, each once (the tray's and the sidebar's count).
    pub async fn needs_you_count(&self) -> Result<i64> {
        self.store().needs_you_count_at(Utc::now()).await
    }

    /// The problems not told yet, oldest first, each handed over once. Orders that turned Late
    /// since the last call become problems here (time passing is no write); orders that turned
    /// Late or Stuck are published as a change of orders, so the counts follow.
    pub async fn take_new_problems(&self) -> Result<Vec<Problem>> {
        self.take_new_problems_at(Utc::now()).await
    }

    pub async fn take_new_problems_at(&self, now: DateTime<Utc>) -> Result<Vec<Problem>> {
        let cutoffs = self.store().flag_cutoffs(now).await?;
        let mut tx = self.store().write_transaction().await?;
        let late_from = settings::get::<LateNoticedThrough>(&mut *tx).await?.0;
        let turned_late = if late_from.is_some_and(|from| from >= cutoffs.late) {
            0
        } else {
            // From the first call on, only orders that crossed the cutoff since the last one.
            let from = late_from.unwrap_or(DateTime::<Utc>::MIN_UTC);
            sqlx::query!(
                "INSERT INTO problem_notices (order_id, kind, at)
                 SELECT o.id, 'late', ?1 FROM orders o INDEXED BY orders_late
                 WHERE o.status IN ('authorized', 'processing', 'needs_attention')
                   AND o.authorized_at IS NOT NULL
                   AND o.authorized_at >= ?2 AND o.authorized_at < ?3
                   AND (o.status <> 'needs_attention'
                        OR NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id))",
                now,
                from,
                cutoffs.late
            )
            .execute(&mut *tx)
            .await?;
            settings::set(&mut *tx, &LateNoticedThrough(Some(cutoffs.late))).await?;
            1
        };
        let stuck_from = settings::get::<StuckNoticedThrough>(&mut *tx)
            .await?
            .0
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let turned_stuck = if stuck_from < cutoffs.stuck {
            let crossed = sqlx::query_scalar!(
                "SELECT count(*) FROM outbox_jobs
                 WHERE failing_since >= ? AND failing_since < ? AND order_id IS NOT NULL",
                stuck_from,
                cutoffs.stuck
            )
            .fetch_one(&mut *tx)
            .await?;
            settings::set(&mut *tx, &StuckNoticedThrough(Some(cutoffs.stuck))).await?;
            crossed
        } else {
            0
        };
        let rows = sqlx::query!(
            r#"SELECT p.id AS "id!", p.order_id, o.number, p.kind AS "kind: ProblemKind"
               FROM problem_notices p JOIN orders o ON o.id = p.order_id ORDER BY p.id"#
        )
        .fetch_all(&mut *tx)
        .await?;
        if let Some(last) = rows.last() {
            sqlx::query!("DELETE FROM problem_notices WHERE id <= ?", last.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let problems: Vec<Problem> = rows
            .into_iter()
            .map(|row| Problem {
                order_id: row.order_id,
                order_number: row.number,
                kind: row.kind,
            })
            .collect();
        let late_now = turned_late > 0 && problems.iter().any(|p| p.kind == ProblemKind::Late);
        if late_now || turned_stuck > 0 {
            self.publish(Change::Orders {
                reason: if late_now { "late" } else { "stuck" },
            });
        }
        Ok(problems)
    }
}
