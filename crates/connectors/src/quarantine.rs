//! Turning one store order (as raw JSON) into a [`Fetched`] entry: the mapped order, or a
//! [`Malformed`] with the reason and an excerpt, so one bad order never fails its page.

use dealer_core::channel::{ChannelOrder, Fetched, Malformed};
use serde::de::DeserializeOwned;

/// Why an order could not be read, in words for the dealer.
pub(crate) type Reason = String;

/// The store's id of an order, read as leniently as possible (for [`Malformed`]).
pub(crate) fn id_of(raw: &serde_json::Value) -> Option<String> {
    match raw.get("id")? {
        serde_json::Value::String(id) => Some(id.clone()),
        serde_json::Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// Reads `raw` as the store's order shape `T`; a shape error becomes the reason.
pub(crate) fn shape<T: DeserializeOwned>(raw: &serde_json::Value) -> Result<T, Reason> {
    T::deserialize(raw).map_err(|e| format!("unexpected order shape: {e}"))
}

/// The page entry for an order, or its quarantine.
pub(crate) fn entry(raw: &serde_json::Value, mapped: Result<ChannelOrder, Reason>) -> Fetched {
    match mapped {
        Ok(order) => Fetched::Order(Box::new(order)),
        Err(reason) => {
            let id = id_of(raw);
            tracing::warn!(order = ?id, %reason, "order quarantined");
            Fetched::Malformed(Malformed::new(id, reason, &raw.to_string()))
        }
    }
}
