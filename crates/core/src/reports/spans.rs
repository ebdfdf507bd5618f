//! The period's local days, weeks and months as UTC ranges: what each aggregate groups by.
//!
//! Each bucket is the half-open range `[local midnight of its first day, local midnight after
//! its last day)` in UTC, computed per day with the zone's own offset for that day, so a day
//! of a daylight-saving change is 23 or 25 hours long and no order lands in the wrong day. The
//! ranges go to SQL as one JSON array; each aggregate walks its index once per range, which
//! together is the one index range of the period.

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc,
};

use super::{Bucket, DashboardQuery};
use crate::{Error, Result};

/// The longest period the Dashboard sums: two years and a leap day. Each aggregate's work
/// grows with the orders of the period; two years of a busy store (100,000 orders a year)
/// stays within the figures' time budget (docs/BENCHMARKS.md, Dashboard at scale).
pub const MAX_PERIOD_DAYS: i64 = 731;

/// The spans as a table `s(k, lo, hi, lo_s, hi_s)` (bucket index, from, until, and the same
/// as Unix seconds for the indexes keyed on `unixepoch(placed_at)`) read from the JSON of
/// [`Spans::json`] bound as `?1`, for a query's `WITH`.
pub(crate) const SPANS: &str = "s(k, lo, hi, lo_s, hi_s) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]'), json_extract(value, '$[4]')
    FROM json_each(?1))";

/// A bucket's first day, and the UTC range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// The period cut into buckets, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    pub spans: Vec<Span>,
}

impl Spans {
    /// The days `from..=to` of `query` in `zone`, one bucket per `bucket`. A week starts on
    /// Monday and a month on its first; the first and the last bucket hold only the period's
    /// days, and keep their own start (a week's Monday may be before `from`).
    pub fn of<Tz: TimeZone>(query: &DashboardQuery, bucket: Bucket, zone: &Tz) -> Result<Self> {
        check_period(query)?;
        let mut spans = Vec::new();
        let mut day = query.from;
        while day <= query.to {
            let start = bucket_start(day, bucket);
            let next = next_bucket(start, bucket).min(next_day(query.to));
            spans.push(Span {
                start,
                from: local_midnight(zone, day),
                until: local_midnight(zone, next),
            });
            day = next;
        }
        Ok(Self { spans })
    }

    /// `[[index, from, until, from_s, until_s], …]`: the times as the store writes them
    /// (RFC 3339, UTC), so they compare as text with `placed_at` and `authorized_at`, then as
    /// Unix seconds (a placed time's fraction of a second never crosses a whole-second bound).
    pub fn json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .spans
            .iter()
            .enumerate()
            .map(|(index, span)| {
                serde_json::json!([
                    index,
                    stored_time(span.from),
                    stored_time(span.until),
                    span.from.timestamp(),
                    span.until.timestamp()
                ])
            })
            .collect();
        serde_json::Value::Array(rows).to_string()
    }

    /// The bucket start of the span at `index` (as SQL returns it).
    pub fn start(&self, index: i64) -> Result<NaiveDate> {
        usize::try_from(index)
            .ok()
            .and_then(|index| self.spans.get(index))
            .map(|span| span.start)
            .ok_or_else(|| {
                Error::from(sqlx::Error::Decode(
                    format!("{index} is not a bucket of the period").into(),
                ))
            })
    }
}

/// The Dashboard's period: `from` on or before `to`, at most [`MAX_PERIOD_DAYS`].
pub fn check_period(query: &DashboardQuery) -> Result<()> {
    if query.from > query.to {
        return Err(Error::invalid(
            "from",
            format!(
                "the period starts on {} after it ends on {}; pick a start on or before the end",
                query.from, query.to
            ),
        ));
    }
    let days = (query.to - query.from).num_days() + 1;
    if days > MAX_PERIOD_DAYS {
        return Err(Error::invalid(
            "to",
            format!(
                "the period is {days} days; the Dashboard shows at most {MAX_PERIOD_DAYS} days \
                 (two years): pick a shorter period"
            ),
        ));
    }
    Ok(())
}

/// The text `DateTime<Utc>` is stored as (sqlx: RFC 3339, `+00:00`, seconds as needed).
fn stored_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX)
}

/// The first day of the bucket holding `day`.
pub fn bucket_start(day: NaiveDate, bucket: Bucket) -> NaiveDate {
    match bucket {
        Bucket::Day => day,
        Bucket::Week => day
            .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
            .unwrap_or(day),
        Bucket::Month => day.with_day(1).unwrap_or(day),
    }
}

fn next_bucket(start: NaiveDate, bucket: Bucket) -> NaiveDate {
    match bucket {
        Bucket::Day => next_day(start),
        Bucket::Week => start
            .checked_add_days(Days::new(7))
            .unwrap_or(NaiveDate::MAX),
        Bucket::Month => start
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// When `day` starts in `zone`, in UTC: its midnight; the earlier one if the clocks went back
/// over midnight; the first minute after midnight that exists if they jumped over it.
pub fn local_midnight<Tz: TimeZone>(zone: &Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    match zone.from_local_datetime(&midnight) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => (1..=180)
            .find_map(|minutes| {
                zone.from_local_datetime(&(midnight + Duration::minutes(minutes)))
                    .earliest()
            })
            .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Environment;
    use chrono::FixedOffset;

    fn query(from: NaiveDate, to: NaiveDate) -> DashboardQuery {
        DashboardQuery {
            environment: Environment::Live,
            from,
            to,
            bucket: Bucket::Day,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_keep_to_the_period() {
        // 2026-11-04 is a Wednesday; its week's Monday is 2 November.
        let zone = FixedOffset::west_opt(5 * 3600).unwrap();
        let spans = Spans::of(
            &query(day(2026, 11, 4), day(2026, 11, 10)),
            Bucket::Week,
            &zone,
        )
        .unwrap()
        .spans;
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].start, day(2026, 11, 2));
        // Local midnight at UTC-5 is 05:00 UTC.
        assert_eq!(spans[0].from.to_rfc3339(), "2026-11-04T05:00:00+00:00");
        assert_eq!(spans[0].until.to_rfc3339(), "2026-11-09T05:00:00+00:00");
        assert_eq!(spans[1].start, day(2026, 11, 9));
        assert_eq!(spans[1].until.to_rfc3339(), "2026-11-11T05:00:00+00:00");
        let months = Spans::of(
            &query(day(2026, 1, 31), day(2026, 3, 1)),
            Bucket::Month,
            &Utc,
        )
        .unwrap()
        .spans;
        let starts: Vec<_> = months.iter().map(|span| span.start).collect();
        assert_eq!(starts, [day(2026, 1, 1), day(2026, 2, 1), day(2026, 3, 1)]);
    }

    #[test]
    fn a_backwards_or_too_long_period_is_refused() {
        let backwards = check_period(&query(day(2026, 3, 2), day(2026, 3, 1))).unwrap_err();
        assert!(
            backwards.to_string().contains("after it ends"),
            "{backwards}"
        );
        assert!(check_period(&query(day(2024, 1, 1), day(2025, 12, 31))).is_ok());
        let long = check_period(&query(day(2024, 1, 1), day(2026, 1, 1))).unwrap_err();
        assert!(long.to_string().contains("at most 731 days"), "{long}");
    }
}
