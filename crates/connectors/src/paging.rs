//! The page cursor of the page-numbered APIs (WooCommerce, BigCommerce): opaque to the engine,
//! a page number to the client.

use dealer_core::channel::ChannelError;

/// The page to fetch: the first when the engine starts a pass.
pub(crate) fn page_number(cursor: Option<&str>) -> Result<u32, ChannelError> {
    let Some(cursor) = cursor else {
        return Ok(1);
    };
    cursor
        .strip_prefix("page:")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| ChannelError::Protocol {
            detail: format!("{cursor:?} is not a page cursor of this client"),
        })
}

pub(crate) fn cursor(page: u32) -> String {
    format!("page:{page}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(page_number(None), Ok(1));
        assert_eq!(page_number(Some(&cursor(7))), Ok(7));
        for foreign in ["7", "page:0", "page:x", "eyJsYXN0X2lkIjo0fQ=="] {
            assert!(page_number(Some(foreign)).is_err(), "{foreign}");
        }
    }
}
