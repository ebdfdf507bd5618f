//! Opaque pagination cursors. Like Shopify's, they are base64 JSON naming the last item and
//! its sort value, so a page boundary survives orders changing in between.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    pub last_id: u64,
    pub last_value: i64,
}

impl Cursor {
    pub(crate) fn encode(self) -> String {
        STANDARD.encode(serde_json::to_vec(&self).unwrap_or_default())
    }

    pub(crate) fn decode(text: &str) -> Option<Cursor> {
        let bytes = STANDARD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let cursor = Cursor {
            last_id: 5_730_000_001_001,
            last_value: 1_717_000_000_123,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("not a cursor"), None);
    }
}
