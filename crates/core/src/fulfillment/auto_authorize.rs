//! Auto Authorize Orders For Payment: the dealer's rules (on/off, maximum order total, daily
//! cap), checked in the transaction that records US Direct's invoice, against the invoice total
//! (what is charged). The cap counts what the rules authorized since local midnight in the
//! order's own environment (sandbox rehearsals never use up the live cap); an order a limit
//! holds keeps waiting, with a timeline note naming the limit.

use chrono::{Local, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::authorize::authorize_in_tx;
use super::money_text;
use crate::domain::{Actor, Environment};
use crate::lifecycle::{self, OrderStatus};
use crate::settings;
use crate::{Engine, Error, Result};

/// Auto Authorize Orders For Payment, as the dealer set it. Amounts are US Direct's invoice
/// totals (items + shipping: what is charged), in USD minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoAuthorize {
    pub enabled: bool,
    /// "Only Auto Authorize Up to a Maximum Order Total".
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub max_total_minor: Option<i64>,
    /// Auto Authorize stops for the day once its authorizations reach this much.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub daily_cap_minor: Option<i64>,
}

/// The rules with what they mean today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutoAuthorizeStatus {
    pub rules: AutoAuthorize,
    pub currency: String,
    /// The environment these figures are of: Live once a real store is connected.
    pub environment: Environment,
    /// Authorized by the rules since local midnight.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub spent_today_minor: i64,
    /// Orders waiting for authorization now.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub waiting: i64,
    /// Of those, the ones the rules would authorize now (ids, oldest first).
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub waiting_within_limits: Vec<i64>,
}

impl Engine {
    pub async fn auto_authorize(&self) -> Result<AutoAuthorize> {
        settings::get(self.store().pool()).await
    }

    pub async fn set_auto_authorize(&self, rules: AutoAuthorize) -> Result<AutoAuthorizeStatus> {
        for (field, value) in [
            ("max_total", rules.max_total_minor),
            ("daily_cap", rules.daily_cap_minor),
        ] {
            if value.is_some_and(|minor| minor <= 0) {
                return Err(Error::invalid(
                    field,
                    "must be more than $0.00; leave it empty for no limit",
                ));
            }
        }
        settings::set(self.store().pool(), &rules).await?;
        tracing::info!(
            enabled = rules.enabled,
            max_total_minor = rules.max_total_minor,
            daily_cap_minor = rules.daily_cap_minor,
            "auto authorize rules changed"
        );
        self.auto_authorize_status().await
    }

    pub async fn auto_authorize_status(&self) -> Result<AutoAuthorizeStatus> {
        let rules = self.auto_authorize().await?;
        let environment = match self.mode().await? {
            crate::Mode::Sandbox => Environment::Sandbox,
            crate::Mode::Live => Environment::Live,
        };
        let mut conn = self.store().pool().acquire().await?;
        let spent_today_minor = spent_today(&mut conn, environment).await?;
        let waiting = sqlx::query!(
            r#"SELECT id AS "id!", supplier_cost_minor FROM orders
               WHERE status = ? AND environment = ? ORDER BY placed_at, id"#,
            OrderStatus::AwaitingAuthorization,
            environment
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut within = Vec::new();
        let mut spent = spent_today_minor;
        for order in &waiting {
            let total = order.supplier_cost_minor.unwrap_or(0);
            if limit_refusal(&rules, total, spent).is_none() {
                within.push(order.id);
                spent = spent.saturating_add(total);
            }
        }
        Ok(AutoAuthorizeStatus {
            rules,
            environment,
            currency: "USD".into(),
            spent_today_minor,
            waiting: i64::try_from(waiting.len()).unwrap_or(i64::MAX),
            waiting_within_limits: within,
        })
    }
}

/// What the rules say about authorizing `total` now, with `spent` already authorized today by
/// them: `None` to go ahead, or which limit stops it.
fn limit_refusal(rules: &AutoAuthorize, total: i64, spent: i64) -> Option<String> {
    if !rules.enabled {
        return Some("Auto Authorize is off".into());
    }
    if let Some(max) = rules.max_total_minor {
        if total > max {
            return Some(format!(
                "waiting for you: the invoice total {} is over the Auto Authorize maximum order \
                 total of {}",
                money_text(total, "USD"),
                money_text(max, "USD")
            ));
        }
    }
    if let Some(cap) = rules.daily_cap_minor {
        // US Direct's numbers: a sum past what an amount holds is over any cap.
        if spent.checked_add(total).is_none_or(|after| after > cap) {
            return Some(format!(
                "waiting for you: authorizing {} would pass today's Auto Authorize cap of {} \
                 ({} used)",
                money_text(total, "USD"),
                money_text(cap, "USD"),
                money_text(spent, "USD")
            ));
        }
    }
    None
}

/// What the rules authorized since local midnight in `environment`.
async fn spent_today(conn: &mut SqliteConnection, environment: Environment) -> Result<i64> {
    let midnight = Local::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|naive| Local.from_local_datetime(&naive).earliest())
        .map(|local| local.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(sum(supplier_cost_minor), 0) AS "spent!: i64" FROM orders
           WHERE authorized_by = ? AND authorized_at >= ? AND environment = ?"#,
        Actor::AutoRule,
        midnight,
        environment
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Right after an order reaches `awaiting_authorization`: authorize it if the rules allow, or
/// say on its timeline which limit holds it.
pub(crate) async fn apply_auto_authorize(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    total: i64,
) -> Result<()> {
    let rules: AutoAuthorize = settings::get(&mut *conn).await?;
    if !rules.enabled {
        return Ok(());
    }
    // The store's payment can change after routing (voided, flagged): the rules never spend
    // the dealer's money on an order the store is not paid for.
    if super::payment_hold::payment_hold(conn, order_id)
        .await?
        .is_some()
    {
        let note = "Auto Authorize: not authorized, the store is not paid for this order; \
                    authorize it by hand if it should ship";
        lifecycle::record_note(conn, order_id, Actor::AutoRule, note).await?;
        return Ok(());
    }
    let environment = sqlx::query_scalar!(
        r#"SELECT environment AS "environment: Environment" FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let spent = spent_today(conn, environment).await?;
    match limit_refusal(&rules, total, spent) {
        None => {
            authorize_in_tx(conn, store_id, order_id, Actor::AutoRule).await?;
        }
        Some(note) => {
            lifecycle::record_note(conn, order_id, Actor::AutoRule, &note).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_say_which_one_holds_an_order() {
        let rules = AutoAuthorize {
            enabled: true,
            max_total_minor: Some(10_000),
            daily_cap_minor: Some(15_000),
        };
        assert_eq!(limit_refusal(&rules, 9_000, 0), None);
        let over_max = limit_refusal(&rules, 12_000, 0).unwrap();
        assert!(
            over_max.contains("maximum order total of 100.00 USD"),
            "{over_max}"
        );
        let over_cap = limit_refusal(&rules, 9_000, 8_000).unwrap();
        assert!(over_cap.contains("cap of 150.00 USD"), "{over_cap}");
        // A sum that would wrap to a negative spend is over the cap, not under it.
        let uncapped_max = AutoAuthorize {
            max_total_minor: None,
            ..rules.clone()
        };
        let wrapped = limit_refusal(&uncapped_max, i64::MAX, 8_000).unwrap();
        assert!(wrapped.contains("would pass today's"), "{wrapped}");
        let off = AutoAuthorize::default();
        assert!(limit_refusal(&off, 1, 0).is_some());
    }
}
