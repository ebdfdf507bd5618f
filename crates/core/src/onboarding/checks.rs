//! The three checks on one test order, each ticked by itself from the order's own record (first
//! event; `authorized → processing`; every shipment confirmed by the store), with what to do
//! while one is stuck. The Sandbox rehearsal and the live test order each have their own.

use chrono::{DateTime, Utc};

use super::{OnboardingCheck, OnboardingStep, TestOrderChecks, TestOrderRef};
use crate::lifecycle::OrderStatus;
use crate::settings::{self, SandboxTestOrder, TestOrder};
use crate::store::OrderDetail;
use crate::{Engine, Error, Mode, Result};

/// What the checks of one test order need to know beyond the order itself.
pub(super) struct Context {
    pub mode: Mode,
    /// A live store is connected (a live test order can be placed).
    pub store_connected: bool,
    /// US Direct is connected for live orders.
    pub supplier_connected: bool,
}

impl Engine {
    /// The test order of `mode`'s environment: the one the dealer marked for it, else the first
    /// order imported from a channel of that environment.
    async fn test_order_of(&self, mode: Mode) -> Result<Option<(OrderDetail, bool)>> {
        let TestOrder(live_mark) = settings::get(self.store().pool()).await?;
        let marks = match mode {
            Mode::Live => vec![live_mark],
            Mode::Sandbox => {
                let SandboxTestOrder(mark) = settings::get(self.store().pool()).await?;
                // A store from before the rehearsal had its own mark kept it in the one mark.
                vec![mark, live_mark]
            }
        };
        for id in marks.into_iter().flatten() {
            if let Some(order) = self.order_in(id, mode).await? {
                return Ok(Some((order, true)));
            }
        }
        let sandbox = mode == Mode::Sandbox;
        let first = sqlx::query_scalar!(
            r#"SELECT min(o.id) AS "id: i64" FROM orders o
               JOIN channels c ON c.id = o.channel_id
               WHERE c.is_sandbox = ?"#,
            sandbox
        )
        .fetch_one(self.store().pool())
        .await?;
        Ok(match first {
            Some(id) => Some((self.store().order_detail(id).await?, false)),
            None => None,
        })
    }

    /// The order `id` if it exists and came from a channel of `mode`'s environment.
    pub(super) async fn order_in(&self, id: i64, mode: Mode) -> Result<Option<OrderDetail>> {
        let order = match self.store().order_detail(id).await {
            Ok(order) => order,
            Err(Error::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(err),
        };
        let channel = self.store().channel(order.channel_id).await?;
        Ok((channel.is_sandbox == (mode == Mode::Sandbox)).then_some(order))
    }

    pub(super) async fn test_order_checks(&self, context: &Context) -> Result<TestOrderChecks> {
        let Some((order, marked)) = self.test_order_of(context.mode).await? else {
            return Ok(waiting(context));
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
        let checks = vec![
            check(OnboardingStep::Imported, imported_at, ""),
            check(
                OnboardingStep::RoutedAndAuthorized,
                authorized_at,
                routed_hint(order.status, context),
            ),
            check(
                OnboardingStep::TrackingSynced,
                synced_at,
                tracking_hint(&order, context.mode),
            ),
        ];
        let complete = checks.iter().all(|check| check.done_at.is_some());
        Ok(TestOrderChecks {
            test_order: Some(TestOrderRef {
                id: order.id,
                number: order.number,
                status: order.status,
                marked,
            }),
            checks,
            complete,
        })
    }
}

/// The checks before there is a test order: how to get one.
fn waiting(context: &Context) -> TestOrderChecks {
    let place = match context.mode {
        Mode::Sandbox => {
            "Press Place a test order: a shopper orders one $4.99 item in the Sandbox store. \
             Then press Order Sync."
        }
        Mode::Live if !context.store_connected => {
            "Connect your store first; then place a real low-dollar order in it and press Order \
             Sync."
        }
        Mode::Live => {
            "Place a real low-dollar order in your store (one inexpensive US Direct item, shipped \
             to you), then press Order Sync. If it does not appear, check the store's connection \
             in Settings → Sales channels."
        }
    };
    let wait = "Waiting for the test order.";
    TestOrderChecks {
        test_order: None,
        checks: vec![
            check(OnboardingStep::Imported, None, place),
            check(OnboardingStep::RoutedAndAuthorized, None, wait),
            check(OnboardingStep::TrackingSynced, None, wait),
        ],
        complete: false,
    }
}

fn routed_hint(status: OrderStatus, context: &Context) -> &'static str {
    match status {
        OrderStatus::Imported if context.mode == Mode::Live && !context.supplier_connected => {
            "Waiting for US Direct: connect your US Direct account in Settings → US Direct so \
             the order can be sent."
        }
        OrderStatus::Imported => {
            "Being sent to US Direct; this takes a few seconds (see Activity → Jobs if it does \
             not move)."
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
    }
}

fn tracking_hint(order: &OrderDetail, mode: Mode) -> &'static str {
    if !order.shipments.is_empty() {
        return "Tracking arrived; it is being written to your store (see Activity → Jobs if it \
                does not move).";
    }
    match mode {
        Mode::Sandbox => {
            "No tracking yet: the Sandbox's US Direct ships about 20 seconds after payment; \
             press Order Sync to check."
        }
        Mode::Live => {
            "No tracking yet: US Direct ships 2–4 business days after payment; Order Sync \
             checks on its schedule, or press it to check now."
        }
    }
}

fn check(step: OnboardingStep, done_at: Option<DateTime<Utc>>, hint: &str) -> OnboardingCheck {
    OnboardingCheck {
        step,
        done_at,
        hint: (done_at.is_none() && !hint.is_empty()).then(|| hint.to_string()),
    }
}
