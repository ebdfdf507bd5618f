//! The TypeScript the window is written against (`ui/src/bindings.ts`), generated from the Rust
//! types and the command list. `cargo test -p dealer-portal bindings` fails when the committed
//! file drifts; `UPDATE_BINDINGS=1` rewrites it.

use std::fmt::Write;

use dealer_core::activity::ActivityEntry;
use dealer_core::domain::{Actor, OrderSummary};
use dealer_core::keys::KeySource;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;
use dealer_core::sync::SyncReport;
use dealer_core::{ErrorCode, Mode};
use ts_rs::TS;

use dealer_core::channel::ConnectionCheck;
use dealer_core::scheduler::Plan;
use dealer_core::store::Channel;

use crate::attention::NeedsYou;
use crate::commands::{with_commands, ChannelInput, OrderCount, PlacedTestOrder, TrayStatus};
use crate::error::CommandError;
use crate::events::{ActivityChanged, AppEvent, SyncState};
use crate::save::SavedExport;
use crate::state::AppStatus;
use chrono::{DateTime, Utc};
use dealer_core::catalog::csv::CsvImport;
use dealer_core::catalog::mapping::{MatchReport, SeenSku};
use dealer_core::fulfillment::{
    AuthorizeOutcome, AutoAuthorize, AutoAuthorizeStatus, ShipToInput, SupplierConnection,
};
use dealer_core::onboarding::Onboarding;
use dealer_core::outbox::Job;
use dealer_core::problems::ProblemNotifications;
use dealer_core::store::{OrderDetail, OrderPage, SkuMapping};

/// Path of the generated file, from the `src-tauri` crate dir.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

struct CommandSignature {
    name: &'static str,
    args: Vec<(&'static str, String)>,
    returns: String,
}

macro_rules! command_signatures {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        vec![$(CommandSignature {
            name: stringify!($name),
            args: vec![$((stringify!($arg), json_number(<$ty as TS>::name()))),*],
            returns: <$ret as TS>::name(),
        }),*]
    };
}

/// Ids are `i64` in Rust and plain numbers in JSON (exact up to 2^53, far beyond any row id),
/// so the window passes them as `number`, not `bigint`.
fn json_number(name: String) -> String {
    name.replace("bigint", "number")
}

fn commands() -> Vec<CommandSignature> {
    with_commands!(command_signatures)
}

fn declarations() -> Vec<String> {
    vec![
        OrderStatus::decl(),
        Actor::decl(),
        Mode::decl(),
        dealer_core::domain::Environment::decl(),
        KeySource::decl(),
        ErrorCode::decl(),
        CommandError::decl(),
        OrderSummary::decl(),
        ListOrders::decl(),
        ActivityEntry::decl(),
        AppStatus::decl(),
        SyncReport::decl(),
        dealer_core::sync::ChannelReport::decl(),
        dealer_core::sync::SyncProgress::decl(),
        Plan::decl(),
        Channel::decl(),
        dealer_core::domain::ChannelKind::decl(),
        ConnectionCheck::decl(),
        ChannelInput::decl(),
        SyncState::decl(),
        ActivityChanged::decl(),
        dealer_core::store::OrderPage::decl(),
        dealer_core::store::StatusCount::decl(),
        dealer_core::store::OrderDetail::decl(),
        dealer_core::domain::OrderEvent::decl(),
        dealer_core::store::OrderLineView::decl(),
        dealer_core::domain::LineDestination::decl(),
        dealer_core::store::SupplierInvoiceView::decl(),
        dealer_core::store::ShipmentView::decl(),
        dealer_core::store::ShipmentLineView::decl(),
        dealer_core::store::Attention::decl(),
        dealer_core::store::AttentionKind::decl(),
        dealer_core::store::SkuMapping::decl(),
        dealer_core::catalog::mapping::SeenSku::decl(),
        dealer_core::catalog::mapping::SeenAnswer::decl(),
        dealer_core::catalog::mapping::MatchReport::decl(),
        dealer_core::catalog::ItemLookup::decl(),
        dealer_core::catalog::ItemAnswer::decl(),
        dealer_core::catalog::LookupProgress::decl(),
        dealer_core::catalog::csv::CsvImport::decl(),
        dealer_core::supplier::SupplierItem::decl(),
        dealer_core::domain::Address::decl(),
        dealer_core::domain::StorePayment::decl(),
        dealer_core::fulfillment::routing::RoutingProblem::decl(),
        dealer_core::supplier::PaymentStatus::decl(),
        dealer_core::outbox::Job::decl(),
        dealer_core::outbox::JobKind::decl(),
        dealer_core::outbox::JobState::decl(),
        dealer_core::fulfillment::AuthorizeOutcome::decl(),
        dealer_core::fulfillment::AuthorizeResult::decl(),
        dealer_core::fulfillment::AutoAuthorize::decl(),
        SupplierConnection::decl(),
        dealer_core::fulfillment::AutoAuthorizeStatus::decl(),
        dealer_core::fulfillment::ShipToInput::decl(),
        dealer_core::onboarding::Onboarding::decl(),
        dealer_core::onboarding::OnboardingCheck::decl(),
        dealer_core::onboarding::OnboardingStep::decl(),
        dealer_core::onboarding::TestOrderRef::decl(),
        dealer_core::onboarding::TestOrderChecks::decl(),
        dealer_core::onboarding::GuideStep::decl(),
        dealer_core::onboarding::GuideStepState::decl(),
        crate::commands::PlacedTestOrder::decl(),
        crate::notify::OpenOrder::decl(),
        crate::attention::NeedsYou::decl(),
        crate::attention::OpenOrders::decl(),
        crate::commands::TrayStatus::decl(),
        OrderCount::decl(),
        dealer_core::store::OrderFlag::decl(),
        dealer_core::store::FlagCounts::decl(),
        dealer_core::store::FlagNote::decl(),
        dealer_core::problems::ProblemNotifications::decl(),
        crate::notify::OpenActivity::decl(),
        dealer_core::reports::Bucket::decl(),
        dealer_core::reports::DashboardQuery::decl(),
        dealer_core::reports::DashboardChannel::decl(),
        dealer_core::reports::DayCount::decl(),
        dealer_core::reports::Milestone::decl(),
        dealer_core::reports::LeadTime::decl(),
        dealer_core::reports::MoneyBucket::decl(),
        dealer_core::reports::DaySpend::decl(),
        dealer_core::reports::AutoAuthorizeSpend::decl(),
        dealer_core::reports::NeedsYouCounts::decl(),
        dealer_core::reports::Dashboard::decl(),
        dealer_core::statement::AdjustmentKind::decl(),
        dealer_core::statement::StatementAdjustment::decl(),
        dealer_core::statement::StatementInvoice::decl(),
        dealer_core::statement::StatementSums::decl(),
        dealer_core::statement::StatementTotals::decl(),
        dealer_core::statement::Statement::decl(),
        crate::save::SavedExport::decl(),
    ]
}

fn events() -> Vec<(&'static str, String)> {
    vec![
        (SyncState::NAME, SyncState::name()),
        (ActivityChanged::NAME, ActivityChanged::name()),
        (
            <crate::notify::OpenOrder as AppEvent>::NAME,
            crate::notify::OpenOrder::name(),
        ),
        (
            <crate::notify::OpenActivity as AppEvent>::NAME,
            crate::notify::OpenActivity::name(),
        ),
        (
            <crate::attention::NeedsYou as AppEvent>::NAME,
            crate::attention::NeedsYou::name(),
        ),
        (
            <crate::attention::OpenOrders as AppEvent>::NAME,
            crate::attention::OpenOrders::name(),
        ),
        (
            <dealer_core::sync::SyncProgress as AppEvent>::NAME,
            dealer_core::sync::SyncProgress::name(),
        ),
        (
            <dealer_core::catalog::LookupProgress as AppEvent>::NAME,
            dealer_core::catalog::LookupProgress::name(),
        ),
    ]
}

/// `set_sync_paused` → `setSyncPaused` (Tauri's argument names); the fixtures pass `-`.
pub(crate) fn camel_case_by(text: &str, separator: char) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in text.chars() {
        if c == separator {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_case(snake: &str) -> String {
    camel_case_by(snake, '_')
}

/// The whole generated file.
pub fn render() -> String {
    let mut out = String::from(
        "// Generated from Rust by src-tauri/src/bindings.rs: do not edit.\n\
         // Regenerate with `UPDATE_BINDINGS=1 cargo test -p dealer-portal bindings`.\n",
    );
    for decl in declarations() {
        let _ = write!(out, "\nexport {decl}\n");
    }
    out.push_str(
        "\n/** Sends one command to the backend; the Tauri transport wraps `invoke`, tests pass a \
         mock. */\nexport type Invoke = <T>(command: string, args?: Record<string, unknown>) => \
         Promise<T>;\n\nexport function makeCommands(invoke: Invoke) {\n  return {\n",
    );
    for command in commands() {
        let params: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {ty}", camel_case(name)))
            .collect();
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, _)| camel_case(name))
            .collect();
        let args = if args.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", args.join(", "))
        };
        let _ = writeln!(
            out,
            "    {}: ({}) => invoke<{}>(\"{}\", {}),",
            camel_case(command.name),
            params.join(", "),
            command.returns,
            command.name,
            args
        );
    }
    out.push_str(
        "  };\n}\n\nexport type Commands = ReturnType<typeof makeCommands>;\n\n\
         /** Event name → payload, for every event the backend emits to the window. */\n\
         export type EventPayloads = {\n",
    );
    for (name, payload) in events() {
        let _ = writeln!(out, "  \"{name}\": {payload},");
    }
    out.push_str("};\n");
    out
}

/// The command names, for the capability and the permission check.
fn command_names() -> Vec<&'static str> {
    commands().iter().map(|c| c.name).collect()
}

/// Path of the window's capability file, from the `src-tauri` crate dir.
pub const CAPABILITY_PATH: &str = "capabilities/main-window.json";

/// The main window's capability: listening to the app's events and calling its own commands,
/// each by its own permission. Nothing else (no file system, shell, SQL or HTTP plugin).
pub fn render_capability() -> String {
    let mut permissions = vec![
        "core:event:allow-listen".to_string(),
        "core:event:allow-unlisten".to_string(),
    ];
    permissions.extend(
        command_names()
            .into_iter()
            .map(|name| format!("allow-{}", name.replace('_', "-"))),
    );
    let capability = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main-window",
        "description": "What the main window may call: the app's own commands and listening to \
                        its events. No file system, shell, SQL or HTTP access from the webview. \
                        Generated from the command list by src-tauri/src/bindings.rs.",
        "windows": ["main"],
        "permissions": permissions,
    });
    let mut out = serde_json::to_string_pretty(&capability).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `generated` to `path` (from the crate dir) under `UPDATE_BINDINGS`, else fails
    /// when the committed file differs.
    fn write_or_check(path: &str, generated: &str, out_of_date_with: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is out of date with {out_of_date_with}: run \
             `UPDATE_BINDINGS=1 cargo test -p dealer-portal bindings` and commit it",
            path.display()
        );
    }

    #[test]
    fn bindings_are_current() {
        write_or_check(BINDINGS_PATH, &render(), "the Rust types");
    }

    /// The window's capability allows exactly the app's commands (and listening to events):
    /// written from the command list, so a new command needs no edit there.
    #[test]
    fn capability_is_current() {
        write_or_check(CAPABILITY_PATH, &render_capability(), "the command list");
    }

    /// build.rs read the same list: Tauri made one permission per command, and no other.
    #[test]
    fn build_declared_every_command_and_no_more() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("permissions/autogenerated");
        let mut declared: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect();
        declared.sort();
        let mut names: Vec<String> = command_names().iter().map(|n| n.to_string()).collect();
        names.sort();
        assert_eq!(declared, names);
    }

    #[test]
    fn camel_case_matches_tauri_argument_names() {
        assert_eq!(camel_case("set_sync_paused"), "setSyncPaused");
        assert_eq!(camel_case("query"), "query");
    }
}
