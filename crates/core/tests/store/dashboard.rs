//! The Dashboard's figures on a fixture whose every figure was worked out by hand: fourteen Live
//! orders in two channels over three weeks of November 2026 (and the days around them), mixed
//! statuses, USD and CAD, some authorized by the rules, one Late pair and one Stuck order; and a
//! Sandbox order that must show in none of the Live figures. The dealer's zone is UTC−05:00, so
//! an order placed at 22:00 local is on the next UTC day and still counts for its local day.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use dealer_core::domain::{ChannelKind, Environment};
use dealer_core::fulfillment::AutoAuthorize;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::reports::{
    Bucket, DashboardQuery, DayCount, DaySpend, LeadTime, Milestone, MoneyBucket,
};
use dealer_core::seed::synthetic_orders;
use dealer_core::store::{ListOrders, StatusCount};
use dealer_core::{Engine, Error};

use crate::{open_with_passphrase, PASSPHRASE};

/// The dealer's zone in these tests.
fn zone() -> FixedOffset {
    FixedOffset::west_opt(5 * 3600).unwrap()
}

/// A local time of the dealer, "2026-11-02 10:00".
fn local(text: &str) -> DateTime<Utc> {
    format!("{}:00-05:00", text.replace(' ', "T"))
        .parse::<DateTime<FixedOffset>>()
        .unwrap()
        .with_timezone(&Utc)
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Monday 23 November 2026, 12:00 local: when the flags are read.
fn now() -> DateTime<Utc> {
    local("2026-11-23 12:00")
}

/// One order as the fixture wants it (amounts in minor units; `cost` is US Direct's invoice).
struct Spec {
    live: Channel,
    placed: &'static str,
    status: OrderStatus,
    currency: &'static str,
    subtotal: i64,
    shipping: i64,
    tax: i64,
    cost: Option<(i64, &'static str)>,
    /// Hours after placed, and by whom.
    authorized: Option<(i64, &'static str)>,
    tracking_hours: Option<i64>,
    completed_hours: Option<i64>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Channel {
    A,
    B,
    Sandbox,
}

const fn spec(live: Channel, placed: &'static str, status: OrderStatus) -> Spec {
    Spec {
        live,
        placed,
        status,
        currency: "USD",
        subtotal: 0,
        shipping: 0,
        tax: 0,
        cost: None,
        authorized: None,
        tracking_hours: None,
        completed_hours: None,
    }
}

struct Fixture {
    engine: Engine,
    channel_a: i64,
    channel_b: i64,
    /// Order ids by the fixture's numbers (1-based; `ids[0]` is the Sandbox order).
    ids: Vec<i64>,
}

fn specs() -> Vec<Spec> {
    use Channel::*;
    use OrderStatus::*;
    vec![
        // 0: the Sandbox order, in week 1; Late in the Sandbox; the rules authorized it.
        Spec {
            subtotal: 90_000,
            cost: Some((9_999, "USD")),
            authorized: Some((1, "auto_rule")),
            ..spec(Sandbox, "2026-11-05 12:00", Processing)
        },
        // 1: week 1, Monday.
        Spec {
            subtotal: 10_000,
            shipping: 500,
            tax: 700,
            cost: Some((7_000, "USD")),
            authorized: Some((1, "dealer")),
            tracking_hours: Some(24),
            completed_hours: Some(48),
            ..spec(A, "2026-11-02 10:00", Completed)
        },
        // 2: Monday 22:00 local is Tuesday 03:00 UTC; the rules authorized it at local midnight.
        Spec {
            subtotal: 5_000,
            shipping: 500,
            tax: 350,
            cost: Some((4_000, "USD")),
            authorized: Some((2, "auto_rule")),
            tracking_hours: Some(30),
            ..spec(A, "2026-11-02 22:00", Shipped)
        },
        // 3: authorized by the rules, then cancelled: out of the money, still in the cap's sum.
        Spec {
            subtotal: 2_000,
            cost: Some((1_500, "USD")),
            authorized: Some((1, "auto_rule")),
            ..spec(B, "2026-11-03 09:00", Cancelled)
        },
        // 4: a CAD store order US Direct invoiced in USD: no margin. Late.
        Spec {
            currency: "CAD",
            subtotal: 8_000,
            shipping: 1_000,
            cost: Some((6_000, "USD")),
            authorized: Some((3, "auto_rule")),
            ..spec(B, "2026-11-04 12:00", Processing)
        },
        // 5: week 2.
        Spec {
            subtotal: 20_000,
            shipping: 1_000,
            tax: 1_400,
            cost: Some((15_000, "USD")),
            authorized: Some((2, "auto_rule")),
            tracking_hours: Some(72),
            completed_hours: Some(96),
            ..spec(A, "2026-11-09 08:00", Completed)
        },
        // 6: invoiced, waiting for the dealer's authorization.
        Spec {
            subtotal: 3_000,
            shipping: 500,
            cost: Some((2_500, "USD")),
            ..spec(A, "2026-11-10 14:00", AwaitingAuthorization)
        },
        // 7: CAD invoiced in CAD: a CAD margin. Needs attention.
        Spec {
            currency: "CAD",
            subtotal: 4_000,
            cost: Some((3_000, "CAD")),
            ..spec(B, "2026-11-12 23:30", NeedsAttention)
        },
        // 8: nothing for US Direct: out of the money.
        Spec {
            subtotal: 1_500,
            ..spec(B, "2026-11-14 10:00", NotForUsDirect)
        },
        // 9: week 3, placed just after local midnight. Late.
        Spec {
            subtotal: 7_000,
            cost: Some((5_200, "USD")),
            authorized: Some((1, "dealer")),
            ..spec(A, "2026-11-16 00:30", Authorized)
        },
        // 10: Stuck (a job failing for two hours), not Late yet.
        Spec {
            subtotal: 6_000,
            shipping: 500,
            cost: Some((5_000, "USD")),
            authorized: Some((4, "auto_rule")),
            ..spec(A, "2026-11-18 12:00", Processing)
        },
        // 11: the period's last minute; not invoiced.
        Spec {
            subtotal: 1_000,
            ..spec(B, "2026-11-22 23:59", Imported)
        },
        // 12: the minute after the period.
        Spec {
            subtotal: 800,
            ..spec(A, "2026-11-23 00:00", Imported)
        },
        // 13: Sunday 1 November 23:00 local (Monday 04:00 UTC): before the period.
        Spec {
            subtotal: 2_500,
            shipping: 500,
            cost: Some((2_000, "USD")),
            ..spec(A, "2026-11-01 23:00", Shipped)
        },
        // 14: 31 October 22:00 local (1 November UTC): October's, for the months.
        Spec {
            subtotal: 4_000,
            cost: Some((3_000, "USD")),
            ..spec(A, "2026-10-31 22:00", Completed)
        },
    ]
}

async fn fixture(dir: &std::path::Path) -> Fixture {
    let engine = open_with_passphrase(dir, PASSPHRASE).await.unwrap();
    let store = engine.store();
    let a = store
        .ensure_channel("Shop A", ChannelKind::Shopify, "https://a.example", false)
        .await
        .unwrap();
    let b = store
        .ensure_channel(
            "Shop B",
            ChannelKind::Woocommerce,
            "https://b.example",
            false,
        )
        .await
        .unwrap();
    let sandbox = store
        .ensure_channel("Sandbox store", ChannelKind::Shopify, "sandbox:", true)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (number, spec) in specs().into_iter().enumerate() {
        let channel = match spec.live {
            Channel::A => a.id,
            Channel::B => b.id,
            Channel::Sandbox => sandbox.id,
        };
        let mut order = synthetic_orders(1, 7000 + number as u64, number as u64)
            .unwrap()
            .remove(0);
        let placed = local(spec.placed);
        order.placed_at = placed;
        let id = store
            .insert_orders(
                channel,
                &[order],
                dealer_core::domain::Actor::System,
                "test",
            )
            .await
            .unwrap()[0];
        let hours = |h: Option<i64>| h.map(|h| placed + chrono::Duration::hours(h));
        sqlx::query(
            "UPDATE orders SET status = ?, currency = ?, subtotal_minor = ?, shipping_minor = ?,
                    tax_minor = ?, total_minor = ?, supplier_order_id = ?,
                    supplier_cost_minor = ?, supplier_currency = ?, authorized_at = ?,
                    authorized_by = ?, tracking_at = ?, completed_at = ?
             WHERE id = ?",
        )
        .bind(spec.status)
        .bind(spec.currency)
        .bind(spec.subtotal)
        .bind(spec.shipping)
        .bind(spec.tax)
        .bind(spec.subtotal + spec.shipping + spec.tax)
        .bind(spec.cost.map(|_| format!("USD-{number}")))
        .bind(spec.cost.map(|(minor, _)| minor))
        .bind(spec.cost.map(|(_, currency)| currency))
        .bind(hours(spec.authorized.map(|(h, _)| h)))
        .bind(spec.authorized.map(|(_, by)| by))
        .bind(hours(spec.tracking_hours))
        .bind(hours(spec.completed_hours))
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
        ids.push(id);
    }
    // Order 10's job has been failing for two hours: Stuck.
    sqlx::query(
        "INSERT INTO outbox_jobs (kind, order_id, idempotency_key, state, attempts, next_run_at,
                                  last_error, created_at, updated_at, failing_since, environment)
         VALUES ('authorize_payment', ?1, 'stuck-10', 'failed', 9, ?2, 'US Direct: no', ?2, ?2,
                 ?2, 'live')",
    )
    .bind(ids[10])
    .bind(now() - chrono::Duration::hours(2))
    .execute(store.pool())
    .await
    .unwrap();
    engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: None,
            daily_cap_minor: Some(50_000),
        })
        .await
        .unwrap();
    Fixture {
        engine,
        channel_a: a.id,
        channel_b: b.id,
        ids,
    }
}

fn query(from: &str, to: &str, bucket: Bucket) -> DashboardQuery {
    DashboardQuery {
        environment: Environment::Live,
        from: day(from),
        to: day(to),
        bucket,
    }
}

/// The three weeks from Monday 2 to Sunday 22 November.
fn three_weeks(bucket: Bucket) -> DashboardQuery {
    query("2026-11-02", "2026-11-22", bucket)
}

fn money(
    start: &str,
    currency: &str,
    orders: i64,
    revenue: i64,
    invoiced: i64,
    cost: i64,
    margin: i64,
) -> MoneyBucket {
    MoneyBucket {
        start: day(start),
        currency: currency.into(),
        orders,
        revenue_minor: revenue,
        invoiced_orders: invoiced,
        cost_minor: cost,
        margin_minor: margin,
    }
}

#[tokio::test]
async fn orders_per_day_count_local_days_per_channel_and_leave_empty_days_out() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Week), now(), &zone())
        .await
        .unwrap();
    let (a, b) = (f.channel_a, f.channel_b);
    let count = |d: &str, channel_id: i64, orders: i64| DayCount {
        day: day(d),
        channel_id,
        orders,
    };
    assert_eq!(
        dashboard.orders_per_day,
        [
            // Orders 1 and 2 (22:00 local, Tuesday in UTC); order 13 is 1 November's.
            count("2026-11-02", a, 2),
            // Order 3, cancelled: the store took it all the same.
            count("2026-11-03", b, 1),
            count("2026-11-04", b, 1),
            count("2026-11-09", a, 1),
            count("2026-11-10", a, 1),
            // Order 7 at 23:30 local, the 13th in UTC.
            count("2026-11-12", b, 1),
            count("2026-11-14", b, 1),
            count("2026-11-16", a, 1),
            count("2026-11-18", a, 1),
            // Order 11 at 23:59; order 12 at midnight after is out. No Sandbox order on the 5th.
            count("2026-11-22", b, 1),
        ]
    );
    let names: Vec<(i64, &str)> = dashboard
        .channels
        .iter()
        .map(|channel| (channel.id, channel.name.as_str()))
        .collect();
    assert_eq!(names, [(a, "Shop A"), (b, "Shop B")]);
}

#[tokio::test]
async fn the_funnel_counts_every_live_order_now_in_lifecycle_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Week), now(), &zone())
        .await
        .unwrap();
    use OrderStatus::*;
    let expected: Vec<StatusCount> = [
        (Imported, 2),              // 11, 12 (12 is after the period: the funnel is "now")
        (AwaitingAuthorization, 1), // 6
        (Authorized, 1),            // 9
        (Processing, 2),            // 4, 10 (the Sandbox's 0 is not Live)
        (Shipped, 2),               // 2, 13
        (Completed, 3),             // 1, 5, 14
        (NeedsAttention, 1),        // 7
        (Cancelled, 1),             // 3
        (NotForUsDirect, 1),        // 8
    ]
    .into_iter()
    .map(|(status, count)| StatusCount { status, count })
    .collect();
    assert_eq!(dashboard.funnel, expected);
    assert_eq!(dashboard.funnel.iter().map(|c| c.count).sum::<i64>(), 14);
}

#[tokio::test]
async fn lead_times_per_week_are_nearest_rank_over_the_orders_that_got_there() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Day), now(), &zone())
        .await
        .unwrap();
    let lead = |week: &str, milestone, orders, median, p90| LeadTime {
        week: day(week),
        milestone,
        orders,
        median_seconds: median,
        p90_seconds: p90,
    };
    const H: i64 = 3600;
    use Milestone::*;
    assert_eq!(
        dashboard.lead_times,
        [
            // Week 1: authorized after 1 h (1), 2 h (2), 1 h (3), 3 h (4) → [1, 1, 2, 3] h:
            // median the ⌈4/2⌉ = 2nd = 1 h, p90 the ⌈3.6⌉ = 4th = 3 h. The Sandbox's 0 is not
            // among them.
            lead("2026-11-02", Authorized, 4, H, 3 * H),
            // Tracking after 24 h (1) and 30 h (2): 1st and ⌈1.8⌉ = 2nd.
            lead("2026-11-02", Tracking, 2, 24 * H, 30 * H),
            lead("2026-11-02", Completed, 1, 48 * H, 48 * H),
            // Week 2: only order 5 got anywhere (6 and 7 are not authorized).
            lead("2026-11-09", Authorized, 1, 2 * H, 2 * H),
            lead("2026-11-09", Tracking, 1, 72 * H, 72 * H),
            lead("2026-11-09", Completed, 1, 96 * H, 96 * H),
            // Week 3: 1 h (9) and 4 h (10); no tracking yet, so no other milestone.
            lead("2026-11-16", Authorized, 2, H, 4 * H),
        ]
    );
}

#[tokio::test]
async fn money_per_week_leaves_out_cancelled_and_foreign_orders_and_never_mixes_currencies() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Week), now(), &zone())
        .await
        .unwrap();
    assert_eq!(
        dashboard.money,
        [
            // CAD order 4, invoiced in USD: revenue 8000 + 1000, no cost, no margin.
            money("2026-11-02", "CAD", 1, 9_000, 0, 0, 0),
            // Orders 1 and 2 (3 is cancelled): revenue 11200 + 5850 = 17050; cost 7000 + 4000
            // = 11000; margin (10000 + 500 − 7000) + (5000 + 500 − 4000) = 3500 + 1500 = 5000
            // (tax passes through).
            money("2026-11-02", "USD", 2, 17_050, 2, 11_000, 5_000),
            // CAD order 7, invoiced in CAD: 4000 − 3000.
            money("2026-11-09", "CAD", 1, 4_000, 1, 3_000, 1_000),
            // Orders 5 and 6 (8 is not for US Direct): 22400 + 3500 = 25900; 15000 + 2500 =
            // 17500; (21000 − 15000) + (3500 − 2500) = 7000.
            money("2026-11-09", "USD", 2, 25_900, 2, 17_500, 7_000),
            // Orders 9, 10, 11 (11 not invoiced): 7000 + 6500 + 1000 = 14500; 5200 + 5000 =
            // 10200; (7000 − 5200) + (6500 − 5000) = 3300.
            money("2026-11-16", "USD", 3, 14_500, 2, 10_200, 3_300),
        ]
    );
}

#[tokio::test]
async fn money_per_day_and_per_month_follow_the_local_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let days = f
        .engine
        .dashboard_at(
            &query("2026-11-02", "2026-11-04", Bucket::Day),
            now(),
            &zone(),
        )
        .await
        .unwrap();
    assert_eq!(
        days.money,
        [
            // Order 2 (Tuesday in UTC) is Monday's; the 3rd has only the cancelled order 3.
            money("2026-11-02", "USD", 2, 17_050, 2, 11_000, 5_000),
            money("2026-11-04", "CAD", 1, 9_000, 0, 0, 0),
        ]
    );
    let months = f
        .engine
        .dashboard_at(
            &query("2026-10-15", "2026-11-22", Bucket::Month),
            now(),
            &zone(),
        )
        .await
        .unwrap();
    assert_eq!(
        months.money,
        [
            // Order 14, 31 October local (1 November UTC): 4000 − 3000.
            money("2026-10-01", "USD", 1, 4_000, 1, 3_000, 1_000),
            // November: CAD orders 4 and 7: 9000 + 4000; only 7's cost and margin.
            money("2026-11-01", "CAD", 2, 13_000, 1, 3_000, 1_000),
            // USD: order 13 (3000; 2000; 1000) with the three weeks' 2 + 2 + 3 orders:
            // 3000 + 17050 + 25900 + 14500 = 60450; 2000 + 11000 + 17500 + 10200 = 40700;
            // 1000 + 5000 + 7000 + 3300 = 16300; invoiced 1 + 2 + 2 + 2 = 7.
            money("2026-11-01", "USD", 8, 60_450, 7, 40_700, 16_300),
        ]
    );
}

#[tokio::test]
async fn auto_authorize_spend_per_local_day_is_the_daily_caps_sum() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Week), now(), &zone())
        .await
        .unwrap();
    let spend = &dashboard.auto_authorize;
    assert!(spend.enabled);
    assert_eq!(spend.currency, "USD");
    assert_eq!(spend.daily_cap_minor, Some(50_000));
    let spent = |d: &str, minor: i64| DaySpend {
        day: day(d),
        spent_minor: minor,
    };
    assert_eq!(
        spend.days,
        [
            // Order 2 at local midnight (22:00 + 2 h) and order 3, cancelled since: 4000 + 1500.
            // Order 1 was the dealer's.
            spent("2026-11-03", 5_500),
            // Order 4: its USD invoice, as the cap counts it.
            spent("2026-11-04", 6_000),
            // The Sandbox's 9999 on the 5th is not Live.
            spent("2026-11-09", 15_000),
            spent("2026-11-18", 5_000),
        ]
    );
}

#[tokio::test]
async fn needs_you_is_what_the_orders_lists_chips_show() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture(dir.path()).await;
    let dashboard = f
        .engine
        .dashboard_at(&three_weeks(Bucket::Week), now(), &zone())
        .await
        .unwrap();
    let needs = &dashboard.needs_you;
    // Late after 4 business days from Monday 23rd 17:00 UTC: before Tuesday 17th 17:00 UTC:
    // orders 4 (4th) and 9 (16th); 10 (18th) is not. The Sandbox's 0 is Late in the Sandbox.
    assert_eq!(needs.late, 2);
    assert_eq!(needs.stuck, 1, "order 10");
    assert_eq!(needs.needs_attention, 1, "order 7");
    assert_eq!(needs.needs_you, 4, "7, 4, 9 and 10, each once");
    let page = f
        .engine
        .store()
        .order_page_at(
            &ListOrders {
                environment: Some(Environment::Live),
                limit: 1,
                ..ListOrders::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (needs.late, needs.stuck, needs.needs_you),
        (page.flags.late, page.flags.stuck, page.flags.needs_you)
    );
    assert_eq!(dashboard.funnel, page.counts);
    // The Sandbox's own: order 0, Late.
    let sandbox = f
        .engine
        .dashboard_at(
            &DashboardQuery {
                environment: Environment::Sandbox,
                ..three_weeks(Bucket::Week)
            },
            now(),
            &zone(),
        )
        .await
        .unwrap();
    assert_eq!(
        (sandbox.needs_you.late, sandbox.needs_you.needs_you),
        (1, 1)
    );
    assert_eq!(sandbox.orders_per_day.len(), 1);
    assert_eq!(sandbox.orders_per_day[0].day, day("2026-11-05"));
    assert_eq!(sandbox.auto_authorize.days[0].spent_minor, 9_999);
    assert_eq!(f.ids.len(), 15);
}

#[tokio::test]
async fn a_backwards_or_too_long_period_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let backwards = engine
        .dashboard(&query("2026-11-22", "2026-11-02", Bucket::Day))
        .await
        .unwrap_err();
    assert!(
        matches!(&backwards, Error::InvalidInput { field, .. } if field == "from"),
        "{backwards:?}"
    );
    assert!(backwards
        .to_string()
        .contains("pick a start on or before the end"));
    let long = engine
        .dashboard(&query("2024-01-01", "2026-01-01", Bucket::Month))
        .await
        .unwrap_err();
    assert!(long.to_string().contains("at most 731 days"), "{long}");
    // Two years to the day (2024 is a leap year: 366 + 365) is allowed.
    engine
        .dashboard(&query("2024-01-01", "2025-12-31", Bucket::Month))
        .await
        .unwrap();
}
