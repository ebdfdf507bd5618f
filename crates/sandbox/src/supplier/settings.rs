//! What the supplier's operator can change while it runs (`GET|PUT /_sandbox/settings`):
//! how fast orders ship, whether payments are declined, split shipments, the rate limit.
//! Saved with the state, so a restarted supplier behaves as before.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

/// The supplier's behaviour. JSON: `{shipDelayMs, declineReason, splitShipments,
/// rateLimitPerSec, answerDelayMs, stock, shippingAdjustmentMinor}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplierSettings {
    /// From authorization to shipment (the second half of a split ships after twice this).
    #[serde(rename = "shipDelayMs", with = "crate::faults::millis")]
    pub ship_delay: Duration,
    /// When set, every authorization is `Declined` with this reason; `None` approves all.
    pub decline_reason: Option<String>,
    /// Orders of two or more lines ship their first line, then the rest.
    pub split_shipments: bool,
    /// Requests per second per token; `0` turns the limit off.
    pub rate_limit_per_sec: f64,
    /// Held between an operation acting (and saving) and its answer leaving: the window in
    /// which a client that dies has had its request carried out without knowing it. Crash
    /// tests widen it so their kills land there.
    #[serde(rename = "answerDelayMs", with = "crate::faults::millis", default)]
    pub answer_delay: Duration,
    /// Units in stock per SKU, over the catalog's fixed figure: `0` is out of stock.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stock: BTreeMap<String, u32>,
    /// Cents US Direct adds to the invoice of an order holding the SKU, beside its items and
    /// shipping (once per order line): positive a shipping surcharge, negative a credit. The
    /// invoice's total then differs from items plus shipping, as a re-rated parcel's does.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shipping_adjustment_minor: BTreeMap<String, i64>,
}

impl Default for SupplierSettings {
    fn default() -> Self {
        Self {
            ship_delay: Duration::from_secs(20),
            decline_reason: None,
            split_shipments: false,
            rate_limit_per_sec: 2.0,
            answer_delay: Duration::ZERO,
            stock: BTreeMap::new(),
            shipping_adjustment_minor: BTreeMap::new(),
        }
    }
}

/// A `PUT /_sandbox/settings` body: the fields it names change, the others stay.
/// `"declineReason": null` approves again; leaving it out keeps the current reason.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SettingsPatch {
    ship_delay_ms: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    decline_reason: Option<Option<String>>,
    split_shipments: Option<bool>,
    rate_limit_per_sec: Option<f64>,
    answer_delay_ms: Option<u64>,
    /// Stock per SKU to set (the others keep theirs).
    stock: Option<BTreeMap<String, u32>>,
    /// Surcharges (credits when negative) per SKU to set (the others keep theirs; `0` removes).
    shipping_adjustment_minor: Option<BTreeMap<String, i64>>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

impl SettingsPatch {
    /// `current` with this patch applied, or why the patch is wrong.
    pub(crate) fn apply(self, current: &SupplierSettings) -> Result<SupplierSettings, String> {
        let mut next = current.clone();
        if let Some(ms) = self.ship_delay_ms {
            next.ship_delay = Duration::from_millis(ms);
        }
        if let Some(reason) = self.decline_reason {
            next.decline_reason = reason;
        }
        if let Some(split) = self.split_shipments {
            next.split_shipments = split;
        }
        if let Some(rate) = self.rate_limit_per_sec {
            if !rate.is_finite() || rate < 0.0 {
                return Err("rateLimitPerSec must be a number of at least 0".to_owned());
            }
            next.rate_limit_per_sec = rate;
        }
        if let Some(ms) = self.answer_delay_ms {
            next.answer_delay = Duration::from_millis(ms);
        }
        if let Some(stock) = self.stock {
            next.stock.extend(stock);
        }
        if let Some(adjustments) = self.shipping_adjustment_minor {
            for (sku, minor) in adjustments {
                if minor == 0 {
                    next.shipping_adjustment_minor.remove(&sku);
                } else {
                    next.shipping_adjustment_minor.insert(sku, minor);
                }
            }
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let current = SupplierSettings {
            decline_reason: Some("Card on file expired".to_owned()),
            ..SupplierSettings::default()
        };
        let patch: SettingsPatch = serde_json::from_value(json!({"shipDelayMs": 200})).unwrap();
        let next = patch.apply(&current).unwrap();
        assert_eq!(next.ship_delay, Duration::from_millis(200));
        assert_eq!(next.decline_reason, current.decline_reason);

        let patch: SettingsPatch = serde_json::from_value(json!({"declineReason": null})).unwrap();
        assert_eq!(patch.apply(&current).unwrap().decline_reason, None);

        let patch: SettingsPatch =
            serde_json::from_value(json!({"rateLimitPerSec": -1.0})).unwrap();
        assert!(patch.apply(&current).is_err());
        assert!(serde_json::from_value::<SettingsPatch>(json!({"shipDelay": 1})).is_err());
        assert_eq!(
            serde_json::to_value(SupplierSettings::default()).unwrap(),
            json!({"shipDelayMs": 20000, "declineReason": null, "splitShipments": false,
                   "rateLimitPerSec": 2.0, "answerDelayMs": 0})
        );
        // Stock is set per SKU; the SKUs not named keep theirs.
        let patch: SettingsPatch =
            serde_json::from_value(json!({"stock": {"USD-1003": 0}})).unwrap();
        let stocked = patch.apply(&current).unwrap();
        let patch: SettingsPatch =
            serde_json::from_value(json!({"stock": {"USD-1004": 7}})).unwrap();
        let both = patch.apply(&stocked).unwrap();
        assert_eq!(both.stock.get("USD-1003"), Some(&0));
        assert_eq!(both.stock.get("USD-1004"), Some(&7));
        // A surcharge per SKU, a credit, and 0 to remove one.
        let patch: SettingsPatch = serde_json::from_value(
            json!({"shippingAdjustmentMinor": {"USD-1003": 250, "USD-1004": -100}}),
        )
        .unwrap();
        let adjusted = patch.apply(&current).unwrap();
        assert_eq!(
            adjusted.shipping_adjustment_minor.get("USD-1004"),
            Some(&-100)
        );
        let patch: SettingsPatch =
            serde_json::from_value(json!({"shippingAdjustmentMinor": {"USD-1004": 0}})).unwrap();
        let removed = patch.apply(&adjusted).unwrap();
        assert_eq!(
            removed
                .shipping_adjustment_minor
                .into_iter()
                .collect::<Vec<_>>(),
            [("USD-1003".to_owned(), 250)]
        );
    }
}
