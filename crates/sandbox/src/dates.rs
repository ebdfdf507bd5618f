//! Parsing the dates clients send in filters, and printing dates the way each format does.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
};

/// ISO 8601 / RFC 3339 as clients write it: with `Z` or an offset, or without (then in
/// `local`, the store's zone), optionally just a date (midnight).
pub(crate) fn parse_iso8601(text: &str, local: FixedOffset) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    // RFC 3339 demands seconds; ISO 8601 clients sometimes drop them or use a space.
    for format in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|date| date.and_hms_opt(0, 0, 0))
    })?;
    local
        .from_local_datetime(&naive)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// RFC 2822 (`Thu, 20 Apr 2017 11:32:00 -0400`) or ISO 8601, as BigCommerce accepts.
pub(crate) fn parse_rfc2822_or_iso8601(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
        .or_else(|| parse_iso8601(text, utc_offset()))
}

pub(crate) fn utc_offset() -> FixedOffset {
    Utc.fix()
}

/// `2024-05-01T10:00:00Z`: Shopify's `DateTime` (whole seconds).
pub(crate) fn iso_seconds_z(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2017-03-22T19:28:08`: WooCommerce's dates (whole seconds, no zone) in `offset`.
pub(crate) fn naive_seconds(at: DateTime<Utc>, offset: FixedOffset) -> String {
    // Written field by field: a format string is parsed again at every call, and a page of 100
    // orders prints 600 of these.
    let local = at.with_timezone(&offset);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// `Wed, 05 Dec 2018 20:16:55 +0000`: BigCommerce's RFC 2822 with a zero-padded day.
pub(crate) fn rfc2822(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// Milliseconds since the epoch: how the sandbox compares and sorts times.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn iso_variants() {
        let zero = utc_offset();
        let minus5 = FixedOffset::west_opt(5 * 3600).unwrap();
        let at = utc("2024-05-01T10:00:00Z");
        assert_eq!(parse_iso8601("2024-05-01T10:00:00Z", zero), Some(at));
        assert_eq!(parse_iso8601("2024-05-01T06:00:00-04:00", zero), Some(at));
        assert_eq!(parse_iso8601("2024-05-01T10:00:00", zero), Some(at));
        assert_eq!(parse_iso8601("2024-05-01T05:00:00", minus5), Some(at));
        assert_eq!(
            parse_iso8601("2024-05-01T10:00:00.250Z", zero),
            Some(utc("2024-05-01T10:00:00.250Z"))
        );
        assert_eq!(
            parse_iso8601("2024-05-01", zero),
            Some(utc("2024-05-01T00:00:00Z"))
        );
        assert_eq!(parse_iso8601("yesterday", zero), None);
    }

    #[test]
    fn naive_seconds_prints_what_the_format_string_did() {
        let offset = FixedOffset::west_opt(5 * 3600).unwrap();
        for text in [
            "2026-01-01T03:04:05.999Z",
            "2024-02-29T23:59:59Z",
            "0999-12-31T05:00:00Z",
        ] {
            let at = DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc);
            for zone in [offset, utc_offset()] {
                let expected = at
                    .with_timezone(&zone)
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string();
                assert_eq!(naive_seconds(at, zone), expected, "{text}");
            }
        }
    }

    #[test]
    fn rfc2822_both_ways() {
        let at = utc("2018-12-05T20:16:55Z");
        assert_eq!(rfc2822(at), "Wed, 05 Dec 2018 20:16:55 +0000");
        assert_eq!(
            parse_rfc2822_or_iso8601("Wed, 05 Dec 2018 20:16:55 +0000"),
            Some(at)
        );
        assert_eq!(
            parse_rfc2822_or_iso8601("Wed, 05 Dec 2018 15:16:55 -0500"),
            Some(at)
        );
        assert_eq!(parse_rfc2822_or_iso8601("2018-12-05T20:16:55Z"), Some(at));
    }
}
