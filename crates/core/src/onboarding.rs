//! The onboarding guide: one path from the Sandbox to Live. It names what is missing next, in
//! order: rehearse in the Sandbox (optional), connect the store, connect US Direct, place a real
//! low-dollar test order, and watch it pass the three checks. Everything is read from the store
//! each time, so the guide needs no bookkeeping of its own; the window shows what it says.

mod checks;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::lifecycle::OrderStatus;
use crate::settings::{self, SandboxTestOrder, TestOrder};
use crate::{Engine, Error, Mode, Result};
use checks::Context;

/// One of the three checks a test order passes.
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

/// A test order and its three checks: the Sandbox rehearsal's, or the live one's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TestOrderChecks {
    /// The order the dealer marked for this environment, else its first imported order.
    pub test_order: Option<TestOrderRef>,
    pub checks: Vec<OnboardingCheck>,
    /// All three checks are ticked.
    pub complete: bool,
}

/// The guide's steps, in the order it asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum GuideStep {
    /// Optional: a test order in the Sandbox store passes the three checks.
    RehearseInSandbox,
    /// A real sales channel is connected.
    ConnectStore,
    /// US Direct is connected for live orders (API URL and token).
    ConnectSupplier,
    /// A real low-dollar test order came in from the store.
    PlaceLiveTestOrder,
    /// The live test order passed the three checks.
    LiveChecks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GuideStepState {
    pub step: GuideStep,
    pub done: bool,
    /// Offered, but selling does not wait for it.
    pub optional: bool,
    /// While not done: what to do, or what to wait for.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Onboarding {
    /// Every step of the guide, in order.
    pub steps: Vec<GuideStepState>,
    /// The first step selling still waits for: what the guide asks for now.
    pub next: Option<GuideStep>,
    /// The Sandbox rehearsal's test order (a sandbox-store order) and its checks.
    pub sandbox_rehearsal: TestOrderChecks,
    /// The live test order (from a real store) and its checks.
    pub live: TestOrderChecks,
    /// The live test order passed all three checks: the dealer can start selling.
    pub complete: bool,
}

impl Engine {
    /// Marks `order_id` as the test order of `mode`'s environment: a live test order must come
    /// from a real store, the rehearsal's from the Sandbox store.
    pub async fn mark_test_order(&self, order_id: i64, mode: Mode) -> Result<Onboarding> {
        let order = self.store().order_detail(order_id).await?;
        if self.order_in(order_id, mode).await?.is_none() {
            return Err(Error::invalid(
                "test_order",
                match mode {
                    Mode::Live => format!(
                        "{} is an order from the Sandbox store; the live test order must be a \
                         real order from your own store: place one there, press Order Sync, \
                         then choose it",
                        order.number
                    ),
                    Mode::Sandbox => format!(
                        "{} is an order from your own store, not the Sandbox store; choose it \
                         as the live test order instead",
                        order.number
                    ),
                },
            ));
        }
        let pool = self.store().pool();
        match mode {
            Mode::Live => settings::set(pool, &TestOrder(Some(order_id))).await?,
            Mode::Sandbox => settings::set(pool, &SandboxTestOrder(Some(order_id))).await?,
        }
        self.onboarding().await
    }

    /// Where the dealer is on the way from the Sandbox to Live, and what to do next.
    pub async fn onboarding(&self) -> Result<Onboarding> {
        let store_connected = self.mode().await? == Mode::Live;
        let (supplier_connected, supplier_hint) = self.supplier_step().await?;
        let context = |mode| Context {
            mode,
            store_connected,
            supplier_connected,
        };
        let sandbox_rehearsal = self.test_order_checks(&context(Mode::Sandbox)).await?;
        let live = self.test_order_checks(&context(Mode::Live)).await?;
        let live_hint = live
            .checks
            .iter()
            .find_map(|check| check.hint.clone())
            .unwrap_or_default();
        let steps = vec![
            step(
                GuideStep::RehearseInSandbox,
                sandbox_rehearsal.complete,
                true,
                "Optional: place a test order in the Sandbox store and watch it pass the three \
                 checks. No real store, supplier or money is involved.",
            ),
            step(
                GuideStep::ConnectStore,
                store_connected,
                false,
                "Add your Shopify, WooCommerce or BigCommerce store in Settings → Sales channels.",
            ),
            step(
                GuideStep::ConnectSupplier,
                supplier_connected,
                false,
                &supplier_hint,
            ),
            step(
                GuideStep::PlaceLiveTestOrder,
                live.test_order.is_some(),
                false,
                &live_hint,
            ),
            step(
                GuideStep::LiveChecks,
                live.complete,
                false,
                &match &live.test_order {
                    Some(order) => format!(
                        "The three checks below tick by themselves as order {} passes them.",
                        order.number
                    ),
                    None => "Waiting for the live test order.".to_string(),
                },
            ),
        ];
        let next = steps
            .iter()
            .find(|step| !step.done && !step.optional)
            .map(|step| step.step);
        Ok(Onboarding {
            steps,
            next,
            complete: live.complete,
            sandbox_rehearsal,
            live,
        })
    }

    /// The live test order passed its three checks: the window opens on Orders from then on.
    pub async fn onboarding_complete(&self) -> Result<bool> {
        let context = Context {
            mode: Mode::Live,
            store_connected: true,
            supplier_connected: true,
        };
        Ok(self.test_order_checks(&context).await?.complete)
    }

    /// Whether US Direct is connected for live orders, and what to do when it is not. A keyring
    /// that does not answer leaves the step undone with why, rather than failing the guide.
    async fn supplier_step(&self) -> Result<(bool, String)> {
        let missing = "Enter your US Direct API URL and token in Settings → US Direct.";
        Ok(match self.supplier_connection().await {
            Ok(connection) if connection.url.is_some() && connection.has_token => {
                (true, String::new())
            }
            Ok(connection) if connection.url.is_some() => (
                false,
                "US Direct's API token is not in the keyring: enter it again in Settings → US \
                 Direct."
                    .to_string(),
            ),
            Ok(_) => (false, missing.to_string()),
            Err(err @ (Error::Database(_) | Error::Migration(_))) => return Err(err),
            Err(err) => (
                false,
                format!("US Direct's connection could not be read ({err}). {missing}"),
            ),
        })
    }
}

fn step(step: GuideStep, done: bool, optional: bool, hint: &str) -> GuideStepState {
    GuideStepState {
        step,
        done,
        optional,
        hint: (!done && !hint.is_empty()).then(|| hint.to_string()),
    }
}
