//! The validated domain values every mapper builds, with reasons that name the order's part
//! ("line 2 (Blue Mug) has quantity 0"), so a quarantined order says what to fix in the store.

use chrono::{DateTime, NaiveDateTime, Utc};
use dealer_core::domain::{Address, ChannelOrderId, Email, Sku};

use crate::quarantine::Reason;

pub(crate) fn order_id(id: &str) -> Result<ChannelOrderId, Reason> {
    ChannelOrderId::parse(id).map_err(|e| e.to_string())
}

/// The SKU of the `index`th line (from 1): `None` when the store gives none (gift wrap, a
/// custom line), which is not a US Direct item; a SKU the engine cannot keep is an error that
/// names the line.
pub(crate) fn sku(sku: Option<&str>, index: usize, title: &str) -> Result<Option<Sku>, Reason> {
    match sku.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(sku) => Sku::parse(sku)
            .map(Some)
            .map_err(|e| format!("line {index} ({title}): {e}")),
    }
}

/// The customer's email when the store has one; a malformed one is an error, not dropped.
pub(crate) fn email(email: Option<&str>) -> Result<Option<Email>, Reason> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(email) => Email::parse(email)
            .map(Some)
            .map_err(|_| format!("the customer email {email:?} is not an email address")),
    }
}

pub(crate) fn quantity(quantity: i64, index: usize, title: &str) -> Result<u32, Reason> {
    u32::try_from(quantity)
        .ok()
        .filter(|q| *q > 0)
        .ok_or_else(|| format!("line {index} ({title}) has quantity {quantity}"))
}

pub(crate) fn ship_to(address: Address) -> Result<Address, Reason> {
    address
        .validate()
        .map_err(|e| format!("the shipping address is incomplete: {e}"))?;
    Ok(address)
}

pub(crate) fn rfc3339(text: &str, field: &str) -> Result<DateTime<Utc>, Reason> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{field} {text:?} is not an RFC 3339 time"))
}

/// A time without an offset that the store documents as UTC (WooCommerce's `*_gmt` fields).
pub(crate) fn naive_utc(text: &str, field: &str) -> Result<DateTime<Utc>, Reason> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|t| t.and_utc())
        .or_else(|_| rfc3339(text, field))
        .map_err(|_| format!("{field} {text:?} is not a time"))
}

pub(crate) fn rfc2822(text: &str, field: &str) -> Result<DateTime<Utc>, Reason> {
    DateTime::parse_from_rfc2822(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{field} {text:?} is not an RFC 2822 time"))
}

/// The tracking link to send to a store: only a carrier's own https page (a link stored before
/// links were checked, or any the engine did not build, goes no further). WooCommerce emails it
/// to the customer.
pub(crate) fn tracking_link(url: Option<&str>) -> Option<String> {
    url.and_then(dealer_core::tracking::known_carrier_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_line() {
        // No SKU is a line that is not a US Direct item, not an unreadable order.
        assert_eq!(sku(Some(" "), 1, "Gift wrap"), Ok(None));
        assert_eq!(sku(None, 1, "Gift wrap"), Ok(None));
        assert!(sku(Some("two words"), 2, "Mug")
            .unwrap_err()
            .contains("line 2 (Mug)"));
        assert_eq!(
            sku(Some(" Bar3 "), 1, "x").unwrap().unwrap().as_str(),
            "Bar3"
        );
        assert!(quantity(0, 3, "Mug").unwrap_err().contains("line 3"));
        assert_eq!(quantity(2, 1, "Mug"), Ok(2));
    }

    #[test]
    fn only_carrier_pages_go_to_a_store() {
        let page = "https://www.ups.com/track?tracknum=1Z999AA10123456784";
        assert_eq!(tracking_link(Some(page)).as_deref(), Some(page));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://ups.com@evil.example/",
        ] {
            assert_eq!(tracking_link(Some(bad)), None, "{bad}");
        }
        assert_eq!(tracking_link(None), None);
    }

    #[test]
    fn emails_are_optional_but_checked() {
        assert_eq!(email(Some("")), Ok(None));
        assert_eq!(email(None), Ok(None));
        assert!(email(Some("not-an-email")).is_err());
        assert_eq!(
            email(Some("John.Doe@Example.com"))
                .unwrap()
                .unwrap()
                .as_str(),
            "john.doe@example.com"
        );
    }

    #[test]
    fn store_times() {
        let t = naive_utc("2017-03-22T19:28:02", "date").unwrap();
        assert_eq!(t.to_rfc3339(), "2017-03-22T19:28:02+00:00");
        let t = rfc2822("Wed, 10 Jan 2018 21:05:30 +0000", "date").unwrap();
        assert_eq!(t.to_rfc3339(), "2018-01-10T21:05:30+00:00");
        let t = rfc3339("2025-01-02T03:04:05-05:00", "date").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-02T08:04:05+00:00");
        assert!(naive_utc("yesterday", "date").is_err());
    }
}
