//! Business days (Monday to Friday) as the Late flag counts them. US Direct promises tracking
//! within 2–4 business days, so a weekend does not make an order late. Holidays are not known:
//! a holiday counts as a business day. Days are UTC days; a dealer far from UTC sees the day
//! turn a few hours early or late, which moves a flag by hours, not days.

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};

/// Longest stretch walked back, in calendar days: ten years, past any order the app keeps.
const WALK_AT_MOST: u32 = 3_650;

fn is_business_day(at: DateTime<Utc>) -> bool {
    !matches!(at.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The instant `days` business days before `now`: `now` stepped back a calendar day at a time,
/// each step that lands on a weekday counting one. An order authorized before it is late.
///
/// So on Monday 10:00, one business day back is Friday 10:00, and four are Tuesday 10:00.
pub fn business_days_before(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let mut at = now;
    let mut counted = 0;
    let mut walked = 0;
    while counted < days && walked < WALK_AT_MOST {
        at -= Duration::days(1);
        walked += 1;
        if is_business_day(at) {
            counted += 1;
        }
    }
    at
}

/// Whole business days from `from` to `now`, counted as [`business_days_before`] does: an order
/// authorized at `from` is late after `days` exactly when this is `days` or more.
pub fn business_days_between(from: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    let mut at = now;
    let mut counted = 0;
    let mut walked = 0;
    while walked < WALK_AT_MOST {
        at -= Duration::days(1);
        walked += 1;
        if at <= from {
            break;
        }
        if is_business_day(at) {
            counted += 1;
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn weekends_do_not_count() {
        // 2026-12-07 is a Monday.
        let monday = at("2026-12-07T10:00:00Z");
        assert_eq!(business_days_before(monday, 1), at("2026-12-04T10:00:00Z"));
        assert_eq!(business_days_before(monday, 4), at("2026-12-01T10:00:00Z"));
        assert_eq!(business_days_before(monday, 0), monday);
        let friday_afternoon = at("2026-12-04T15:00:00Z");
        assert_eq!(business_days_between(friday_afternoon, monday), 0);
        assert_eq!(
            business_days_between(friday_afternoon, at("2026-12-07T16:00:00Z")),
            1
        );
        // Thursday to the next Wednesday: Fri, Mon, Tue, Wed.
        assert_eq!(
            business_days_between(at("2026-12-03T09:00:00Z"), at("2026-12-09T09:30:00Z")),
            4
        );
    }

    /// The two agree: late after N exactly when N business days have passed.
    #[test]
    fn the_cutoff_and_the_count_agree() {
        let now = at("2026-12-09T12:00:00Z");
        for hours_ago in (0..24 * 20).step_by(5) {
            let authorized = now - Duration::hours(hours_ago);
            for days in 1..8 {
                assert_eq!(
                    authorized < business_days_before(now, days),
                    business_days_between(authorized, now) >= days,
                    "{hours_ago} h ago, {days} days"
                );
            }
        }
    }
}
