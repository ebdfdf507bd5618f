//! Every setting the engine keeps, in one place: its key in the `settings` table, its type, its
//! default, and the text it is stored as (the text earlier versions wrote, so existing stores
//! read the same). The engine's methods that read and change them live with what they control;
//! the plain on/off ones are here.

use sqlx::SqliteExecutor;

use crate::changes::Change;
use crate::fulfillment::AutoAuthorize;
use crate::scheduler::Plan;
use crate::store::settings as table;
use crate::{Engine, Error, Result};

/// A value kept in the `settings` table.
pub(crate) trait Setting: Sized {
    /// Its key in the table.
    const KEY: &'static str;
    /// The value from its stored text; `None` when it was never set.
    fn decode(stored: Option<String>) -> Result<Self>;
    /// The text it is stored as.
    fn encode(&self) -> Result<String>;
}

/// Reads a setting, on the pool or inside the caller's transaction.
pub(crate) async fn get<'c, S: Setting>(db: impl SqliteExecutor<'c>) -> Result<S> {
    S::decode(table::read(db, S::KEY).await?)
}

/// Writes a setting, on the pool or inside the caller's transaction.
pub(crate) async fn set<'c, S: Setting>(db: impl SqliteExecutor<'c>, value: &S) -> Result<()> {
    table::write(db, S::KEY, &value.encode()?).await
}

/// The dealer's US Direct plan, which sets how often orders are imported: Plus until chosen.
impl Setting for Plan {
    const KEY: &'static str = "plan";

    fn decode(stored: Option<String>) -> Result<Self> {
        stored.map_or(Ok(Plan::Plus), |text| Plan::parse(&text))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.as_str().to_string())
    }
}

/// Scheduled syncing paused by the dealer (`"true"`); Order Sync on demand still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyncPaused(pub bool);

impl Setting for SyncPaused {
    const KEY: &'static str = "sync_paused";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(SyncPaused(stored.as_deref() == Some("true")))
    }

    fn encode(&self) -> Result<String> {
        Ok(if self.0 { "true" } else { "false" }.to_string())
    }
}

/// Auto Authorize's rules, as JSON. Rules that cannot be read count as off.
impl Setting for AutoAuthorize {
    const KEY: &'static str = "auto_authorize";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    fn encode(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|err| Error::invalid("auto_authorize", err.to_string()))
    }
}

/// US Direct's API base URL for live orders, once connected (its token is in the keyring).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SupplierUrl(pub Option<String>);

impl Setting for SupplierUrl {
    const KEY: &'static str = "supplier_url";

    fn decode(stored: Option<String>) -> Result<Self> {
        // Disconnecting writes the empty text.
        Ok(SupplierUrl(stored.filter(|url| !url.is_empty())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.clone().unwrap_or_default())
    }
}

/// The last Test connection of the US Direct account: when it last answered with the saved
/// token, and what went wrong the last time it did not. Cleared when the account changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct SupplierCheck {
    /// RFC 3339 time of the last successful check.
    #[serde(default)]
    pub ok_at: Option<String>,
    /// Why the last check failed, when it did (newer than `ok_at`).
    #[serde(default)]
    pub error: Option<String>,
    /// That failure was US Direct refusing the token: live jobs cannot go until it is replaced.
    #[serde(default)]
    pub auth_failed: bool,
}

impl Setting for SupplierCheck {
    const KEY: &'static str = "supplier_check";

    fn decode(stored: Option<String>) -> Result<Self> {
        // A check that cannot be read is no check: the next one writes it again.
        Ok(stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    fn encode(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|err| Error::invalid("supplier_check", err.to_string()))
    }
}

/// How far a US Direct's change log has been applied: its cursor, as US Direct wrote it. Each
/// environment's US Direct keeps its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SandboxSupplierCursor(pub Option<String>);

impl Setting for SandboxSupplierCursor {
    const KEY: &'static str = "supplier_cursor.sandbox";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(SandboxSupplierCursor(
            stored.filter(|text| !text.is_empty()),
        ))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.clone().unwrap_or_default())
    }
}

/// The live US Direct account's cursor (see [`SandboxSupplierCursor`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveSupplierCursor(pub Option<String>);

impl Setting for LiveSupplierCursor {
    const KEY: &'static str = "supplier_cursor.live";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(LiveSupplierCursor(stored.filter(|text| !text.is_empty())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.clone().unwrap_or_default())
    }
}

/// The order the dealer marked as the onboarding's live test order (blank once the mark is
/// dropped). Stores from before the Sandbox rehearsal had its own mark may hold a sandbox order
/// here; the guide then reads it as the rehearsal's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TestOrder(pub Option<i64>);

impl Setting for TestOrder {
    const KEY: &'static str = "test_order_id";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(TestOrder(stored.and_then(|id| id.parse().ok())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.map(|id| id.to_string()).unwrap_or_default())
    }
}

/// The order the dealer marked as the Sandbox rehearsal's test order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SandboxTestOrder(pub Option<i64>);

impl Setting for SandboxTestOrder {
    const KEY: &'static str = "sandbox_test_order_id";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(SandboxTestOrder(stored.and_then(|id| id.parse().ok())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.map(|id| id.to_string()).unwrap_or_default())
    }
}

/// A desktop notification for each new shipment: on unless the dealer turned them `"off"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShipmentNotifications(pub bool);

impl Setting for ShipmentNotifications {
    const KEY: &'static str = "notify_shipments";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(ShipmentNotifications(stored.as_deref() != Some("off")))
    }

    fn encode(&self) -> Result<String> {
        Ok(if self.0 { "on" } else { "off" }.to_string())
    }
}

/// The window was closed once and the dealer was told the app goes on in the tray (`"told"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrayNoticeTold(pub bool);

impl Setting for TrayNoticeTold {
    const KEY: &'static str = "tray_notice_told";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(TrayNoticeTold(stored.as_deref() == Some("told")))
    }

    fn encode(&self) -> Result<String> {
        Ok(if self.0 { "told" } else { "" }.to_string())
    }
}

/// "Late after N business days": an authorized order with no tracking after this many is
/// Late. US Direct ships in 2–4 business days, hence 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LateAfter(pub u32);

impl LateAfter {
    pub const DEFAULT: u32 = 4;
    /// A month of business days: past it a setting is a typo, not a supplier's promise.
    pub const AT_MOST: u32 = 20;

    pub fn new(days: u32) -> Result<Self> {
        if (1..=Self::AT_MOST).contains(&days) {
            Ok(Self(days))
        } else {
            Err(Error::invalid(
                "late_after_business_days",
                format!("choose 1 to {} business days", Self::AT_MOST),
            ))
        }
    }
}

impl Setting for LateAfter {
    const KEY: &'static str = "late_after_business_days";

    fn decode(stored: Option<String>) -> Result<Self> {
        // A value that cannot be read is the default, not an error on every Orders page.
        Ok(stored
            .and_then(|text| text.parse().ok())
            .and_then(|days| Self::new(days).ok())
            .unwrap_or(Self(Self::DEFAULT)))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.to_string())
    }
}

/// Which problems get a desktop notification, as JSON; every kind on until turned off.
impl Setting for crate::problems::ProblemNotifications {
    const KEY: &'static str = "notify_problems";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    fn encode(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|err| Error::invalid("notify_problems", err.to_string()))
    }
}

/// The Late cutoff up to which orders that turned Late have been told (RFC 3339).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LateNoticedThrough(pub Option<chrono::DateTime<chrono::Utc>>);

impl Setting for LateNoticedThrough {
    const KEY: &'static str = "late_noticed_through";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(Self(stored.and_then(|text| text.parse().ok())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.map(|at| at.to_rfc3339()).unwrap_or_default())
    }
}

/// The Stuck cutoff up to which jobs that turned Stuck have been published as a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StuckNoticedThrough(pub Option<chrono::DateTime<chrono::Utc>>);

impl Setting for StuckNoticedThrough {
    const KEY: &'static str = "stuck_noticed_through";

    fn decode(stored: Option<String>) -> Result<Self> {
        Ok(Self(stored.and_then(|text| text.parse().ok())))
    }

    fn encode(&self) -> Result<String> {
        Ok(self.0.map(|at| at.to_rfc3339()).unwrap_or_default())
    }
}

impl Engine {
    pub async fn plan(&self) -> Result<Plan> {
        get(self.store().pool()).await
    }

    pub async fn set_plan(&self, plan: Plan) -> Result<()> {
        set(self.store().pool(), &plan).await?;
        self.publish(Change::Plan);
        Ok(())
    }

    pub async fn sync_paused(&self) -> Result<bool> {
        Ok(get::<SyncPaused>(self.store().pool()).await?.0)
    }

    pub async fn set_sync_paused(&self, paused: bool) -> Result<()> {
        set(self.store().pool(), &SyncPaused(paused)).await?;
        self.publish(Change::SyncPaused { paused });
        Ok(())
    }

    /// Whether each new shipment is announced with a desktop notification (on by default).
    pub async fn shipment_notifications(&self) -> Result<bool> {
        Ok(get::<ShipmentNotifications>(self.store().pool()).await?.0)
    }

    pub async fn set_shipment_notifications(&self, on: bool) -> Result<()> {
        set(self.store().pool(), &ShipmentNotifications(on)).await
    }

    /// True the first time it is asked, false ever after: whether to tell the dealer that
    /// closing the window leaves the app running in the tray (said once per store).
    pub async fn first_tray_notice(&self) -> Result<bool> {
        let mut tx = self.store().pool().begin().await?;
        if get::<TrayNoticeTold>(&mut *tx).await?.0 {
            return Ok(false);
        }
        set(&mut *tx, &TrayNoticeTold(true)).await?;
        tx.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<S: Setting + PartialEq + std::fmt::Debug>(value: S) {
        let text = value.encode().unwrap();
        assert_eq!(S::decode(Some(text)).unwrap(), value);
    }

    /// What earlier versions stored reads as it did then, and unset keys take their defaults.
    #[test]
    fn stored_text_and_defaults_are_those_of_earlier_versions() {
        assert_eq!(Plan::decode(None).unwrap(), Plan::Plus);
        assert_eq!(Plan::decode(Some("vip".into())).unwrap(), Plan::Vip);
        assert!(Plan::decode(Some("gold".into())).is_err());
        assert_eq!(SyncPaused::decode(None).unwrap(), SyncPaused(false));
        assert_eq!(SyncPaused(true).encode().unwrap(), "true");
        assert_eq!(
            ShipmentNotifications::decode(None).unwrap(),
            ShipmentNotifications(true)
        );
        assert_eq!(
            ShipmentNotifications::decode(Some("off".into())).unwrap(),
            ShipmentNotifications(false)
        );
        assert_eq!(ShipmentNotifications(false).encode().unwrap(), "off");
        assert_eq!(
            TestOrder::decode(Some(String::new())).unwrap(),
            TestOrder(None)
        );
        assert_eq!(TestOrder(Some(42)).encode().unwrap(), "42");
        let rules = AutoAuthorize::decode(Some(
            r#"{"enabled":true,"max_total_minor":5000,"daily_cap_minor":null}"#.into(),
        ))
        .unwrap();
        assert!(rules.enabled);
        assert_eq!(rules.max_total_minor, Some(5000));
        assert_eq!(
            AutoAuthorize::decode(Some("not json".into())).unwrap(),
            AutoAuthorize::default()
        );
        round_trip(Plan::Basic);
        round_trip(SyncPaused(true));
        round_trip(ShipmentNotifications(false));
        round_trip(TrayNoticeTold(true));
        assert_eq!(TrayNoticeTold::decode(None).unwrap(), TrayNoticeTold(false));
        round_trip(TestOrder(Some(7)));
        round_trip(SupplierUrl(Some("https://api.usdirect.example".into())));
        round_trip(SandboxSupplierCursor(Some("c_123".into())));
        round_trip(LiveSupplierCursor(Some("c_456".into())));
        assert_eq!(
            SupplierUrl::decode(Some(String::new())).unwrap(),
            SupplierUrl(None)
        );
        round_trip(SupplierUrl(None));
        round_trip(SupplierCheck {
            ok_at: Some("2026-12-04T20:00:00Z".into()),
            error: Some("US Direct refused the API token".into()),
            auth_failed: true,
        });
        assert_eq!(
            SupplierCheck::decode(None).unwrap(),
            SupplierCheck::default()
        );
        assert_eq!(LateAfter::decode(None).unwrap(), LateAfter(4));
        assert_eq!(LateAfter::decode(Some("0".into())).unwrap(), LateAfter(4));
        round_trip(LateAfter(2));
        assert!(LateAfter::new(0).is_err() && LateAfter::new(21).is_err());
        round_trip(LateNoticedThrough(Some(
            "2026-12-04T20:00:00Z".parse().unwrap(),
        )));
        round_trip(crate::problems::ProblemNotifications {
            declined: false,
            ..Default::default()
        });
        assert_eq!(
            crate::problems::ProblemNotifications::decode(Some(r#"{"late":false}"#.into()))
                .unwrap(),
            crate::problems::ProblemNotifications {
                late: false,
                ..Default::default()
            }
        );
        round_trip(AutoAuthorize {
            enabled: true,
            max_total_minor: None,
            daily_cap_minor: Some(10_000),
        });
    }

    /// Closing the window tells the dealer once per store that the app goes on in the tray,
    /// and a store opened again remembers it was said.
    #[tokio::test]
    async fn the_tray_notice_is_given_once_per_store() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = std::sync::Arc::new(crate::keys::MemoryKeyring::default());
        let open = || {
            Engine::open_with_keyring(
                crate::OpenRequest {
                    data_dir: dir.path().to_path_buf(),
                    unlock: Default::default(),
                },
                keyring.clone(),
            )
        };
        let engine = open().await.unwrap();
        assert!(engine.first_tray_notice().await.unwrap());
        assert!(!engine.first_tray_notice().await.unwrap());
        engine.close().await;
        let engine = open().await.unwrap();
        assert!(!engine.first_tray_notice().await.unwrap());
    }

    #[test]
    fn every_setting_has_its_own_key() {
        let keys = [
            Plan::KEY,
            SyncPaused::KEY,
            AutoAuthorize::KEY,
            SupplierUrl::KEY,
            SandboxSupplierCursor::KEY,
            LiveSupplierCursor::KEY,
            SupplierCheck::KEY,
            TestOrder::KEY,
            ShipmentNotifications::KEY,
            LateAfter::KEY,
            crate::problems::ProblemNotifications::KEY,
            LateNoticedThrough::KEY,
            StuckNoticedThrough::KEY,
            TrayNoticeTold::KEY,
        ];
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len());
    }
}
