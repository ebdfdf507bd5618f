//! Turning one store order (as raw JSON) into a [`Fetched`] entry: the mapped order, or a
//! [`Malformed`] with the reason and an excerpt, so one bad order never fails its page.
//!
//! The mapping of each order runs on its own ([`entry`]): a panic while reading one odd value
//! quarantines that order with the reason, and the page's other orders import. The store's
//! numbers are checked there too: an order whose line totals do not fit in an amount is
//! quarantined here rather than refused by the store insert, which would fail the whole page.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dealer_core::channel::{ChannelOrder, Fetched, Malformed};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Why an order could not be read, in words for the dealer.
pub(crate) type Reason = String;

/// One store order as it came, either already parsed (a JSON value inside a larger answer) or
/// as its text in the page ([`RawValue`]: read straight into its typed shape, without a JSON
/// tree of the whole order first).
pub(crate) trait RawOrder {
    /// Reads the order as the store's order shape `T`; a shape error becomes the reason.
    fn shape<T: DeserializeOwned>(&self) -> Result<T, Reason>;
    /// The store's id of the order, read as leniently as possible (for [`Malformed`]).
    fn id(&self) -> Option<String>;
    /// The order's JSON text, kept with a quarantined order.
    fn text(&self) -> String;
}

impl RawOrder for serde_json::Value {
    fn shape<T: DeserializeOwned>(&self) -> Result<T, Reason> {
        T::deserialize(self).map_err(shape_error)
    }

    fn id(&self) -> Option<String> {
        match self.get("id")? {
            serde_json::Value::String(id) => Some(id.clone()),
            serde_json::Value::Number(id) => Some(id.to_string()),
            _ => None,
        }
    }

    fn text(&self) -> String {
        self.to_string()
    }
}

impl RawOrder for RawValue {
    fn shape<T: DeserializeOwned>(&self) -> Result<T, Reason> {
        serde_json::from_str(self.get()).map_err(shape_error)
    }

    fn id(&self) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(self.get())
            .ok()?
            .id()
    }

    fn text(&self) -> String {
        self.get().to_owned()
    }
}

fn shape_error(error: serde_json::Error) -> Reason {
    format!("unexpected order shape: {error}")
}

/// Reads `raw` as the store's order shape `T`; a shape error becomes the reason.
pub(crate) fn shape<T: DeserializeOwned>(raw: &(impl RawOrder + ?Sized)) -> Result<T, Reason> {
    raw.shape()
}

/// The page entry for an order: `map` run in isolation, then the order's sums checked; a
/// failure, a panic or an overflow is the order's quarantine.
pub(crate) fn entry(
    raw: &(impl RawOrder + ?Sized),
    map: impl FnOnce() -> Result<ChannelOrder, Reason>,
) -> Fetched {
    match isolated(map).and_then(checked) {
        Ok(order) => Fetched::Order(Box::new(order)),
        Err(reason) => {
            let id = raw.id();
            tracing::warn!(order = ?id, %reason, "order quarantined");
            Fetched::Malformed(Malformed::new(id, reason, &raw.text()))
        }
    }
}

/// `map()`, with a panic turned into the reason.
fn isolated(map: impl FnOnce() -> Result<ChannelOrder, Reason>) -> Result<ChannelOrder, Reason> {
    // Nothing the mapper touches outlives it: a panic leaves no shared state half-written.
    catch_unwind(AssertUnwindSafe(map)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no detail".into());
        tracing::error!(panic = %what, "reading an order panicked");
        Err(format!(
            "Dealer Portal could not read this order ({what}); it is set aside so the rest \
             import. Check its amounts and quantities in the store, and report it if they \
             look right."
        ))
    })
}

/// The sums the engine makes of the order's numbers fit.
fn checked(order: ChannelOrder) -> Result<ChannelOrder, Reason> {
    order.order.subtotal().map_err(|e| e.to_string())?;
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_one_order_quarantines_it_with_the_reason() {
        let raw = serde_json::json!({ "id": 7, "total": "1.00" });
        let fetched = entry(&raw, || panic!("attempt to multiply with overflow"));
        let Fetched::Malformed(malformed) = fetched else {
            panic!("expected a quarantine, got {fetched:?}");
        };
        assert_eq!(malformed.channel_order_id.as_deref(), Some("7"));
        assert!(
            malformed
                .reason
                .contains("attempt to multiply with overflow")
                && malformed.reason.contains("set aside"),
            "{}",
            malformed.reason
        );
        let fetched = entry(&raw, || Err("the order has no line items".into()));
        assert!(matches!(fetched, Fetched::Malformed(m) if m.reason.contains("no line items")));
    }
}
