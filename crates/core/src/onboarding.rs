//! The onboarding guide's test order: three checks, each ticked by itself with its time, with
//! what to do when a step is stuck. The test order is the one the dealer marked, or else the
//! first order the app imported.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::lifecycle::OrderStatus;
use crate::settings::{self, TestOrder};
use crate::{Engine, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum OnboardingStep {
    /// The order was imported from the store.
    Imported,
    /// It was routed to US Direct and its payment authorized.
    RoutedAndAuthorized,
    /// US Direct shipped it and the tracking is in the store.
    TrackingSynced,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OnboardingCheck {
    pub step: OnboardingStep,
    pub done_at: Option<DateTime<Utc>>,
    /// While not done: what to do, or what to wait for.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TestOrderRef {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    /// The dealer chose it (rather than the first order).
    pub marked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Onboarding {
    pub test_order: Option<TestOrderRef>,
    pub checks: Vec<OnboardingCheck>,
    /// Every check is ticked: the dealer can start selling.
    pub complete: bool,
}

impl Engine {
    /// Marks `order_id` as the dealer's test order.
    pub async fn mark_test_order(&self, order_id: i64) -> Result<Onboarding> {
        self.store().order_detail(order_id).await?;
        settings::set(self.store().pool(), &TestOrder(Some(order_id))).await?;
        self.onboarding().await
    }

    pub async fn onboarding(&self) -> Result<Onboarding> {
        let TestOrder(marked) = settings::get(self.store().pool()).await?;
        let id = match marked {
            Some(id) => Some(id),
            None => {
                sqlx::query_scalar!(r#"SELECT min(id) AS "id: i64" FROM orders"#)
                    .fetch_one(self.store().pool())
                    .await?
            }
        };
        let Some(id) = id else {
            return Ok(Onboarding {
                test_order: None,
                checks: vec![
                    check(
                        OnboardingStep::Imported,
                        None,
                        "Place a test order in your store (in the Sandbox: Place a test order), \
                         then press Order Sync. If it does not appear, check the store's \
                         connection in Settings.",
                    ),
                    check(
                        OnboardingStep::RoutedAndAuthorized,
                        None,
                        "Waiting for the test order.",
                    ),
                    check(
                        OnboardingStep::TrackingSynced,
                        None,
                        "Waiting for the test order.",
                    ),
                ],
                complete: false,
            });
        };
        let order = match self.store().order_detail(id).await {
            Ok(order) => order,
            Err(Error::NotFound { .. }) if marked.is_some() => {
                // The marked order is gone (a store was reset): fall back to the first one.
                settings::set(self.store().pool(), &TestOrder(None)).await?;
                return Box::pin(self.onboarding()).await;
            }
            Err(err) => return Err(err),
        };
        let imported_at = order.events.first().map(|event| event.at);
        let authorized_at = order
            .events
            .iter()
            .find(|event| {
                event.to == OrderStatus::Processing && event.from == Some(OrderStatus::Authorized)
            })
            .map(|event| event.at);
        let synced_at = if order.shipments.is_empty()
            || order.shipments.iter().any(|s| s.pushed_at.is_none())
        {
            None
        } else {
            order.shipments.iter().filter_map(|s| s.pushed_at).max()
        };
        let routed_hint = match order.status {
            OrderStatus::Imported => {
                "Being sent to US Direct; this takes a few seconds (see Activity → Jobs if it \
                 does not move)."
            }
            OrderStatus::AwaitingAuthorization => {
                "Awaiting authorization: open the order and press Authorize Order for Payment."
            }
            OrderStatus::Authorized => "Authorized; waiting for US Direct to confirm the payment.",
            OrderStatus::NeedsAttention => {
                "The order needs attention: open it to see why and Resolve it."
            }
            OrderStatus::Cancelled => "The test order was cancelled: place another one.",
            _ => "",
        };
        let tracking_hint = if order.shipments.is_empty() {
            "No tracking yet: US Direct ships 2–4 business days after payment (the Sandbox \
             ships in about 20 seconds; press Order Sync to check)."
        } else {
            "Tracking arrived; it is being written to your store (see Activity → Jobs if it \
             does not move)."
        };
        let checks = vec![
            check(OnboardingStep::Imported, imported_at, ""),
            check(
                OnboardingStep::RoutedAndAuthorized,
                authorized_at,
                routed_hint,
            ),
            check(OnboardingStep::TrackingSynced, synced_at, tracking_hint),
        ];
        let complete = checks.iter().all(|check| check.done_at.is_some());
        Ok(Onboarding {
            test_order: Some(TestOrderRef {
                id: order.id,
                number: order.number,
                status: order.status,
                marked: marked == Some(id),
            }),
            checks,
            complete,
        })
    }
}

fn check(step: OnboardingStep, done_at: Option<DateTime<Utc>>, hint: &str) -> OnboardingCheck {
    OnboardingCheck {
        step,
        done_at,
        hint: (done_at.is_none() && !hint.is_empty()).then(|| hint.to_string()),
    }
}
