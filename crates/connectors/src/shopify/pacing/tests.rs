//! The pacer on a fake clock: single decisions, then whole syncs against a model of Shopify's
//! bucket.

use super::*;
use crate::shopify::fake_bucket::{Admission, FakeBucket};

/// Waits are computed in floating point: equal to the millisecond is what matters.
fn assert_wait(plan: &Plan, millis: u64) {
    let expected = Duration::from_millis(millis);
    let off = plan.wait.abs_diff(expected);
    assert!(
        off <= Duration::from_millis(1),
        "waits {:?}, expected {expected:?}",
        plan.wait
    );
}

fn report(requested: f64, maximum: f64, available: f64, restore: f64) -> CostReport {
    CostReport {
        requested: Some(requested),
        actual: Some(requested / 2.0),
        throttle: Some(ThrottleStatus {
            maximum_available: maximum,
            currently_available: available,
            restore_rate: restore,
        }),
    }
}

/// A pacer that has seen one answer: a bucket of `maximum` with `available` left, and a
/// requested cost exactly as the formula says.
fn pacer_seeing(now: Instant, maximum: f64, available: f64, restore: f64) -> Pacer {
    let mut pacer = Pacer::default();
    let first = pacer.plan(now, Doc::Orders, MAX_FIRST);
    pacer.observe(
        now,
        &report(first.static_cost, maximum, available, restore),
        &first,
    );
    pacer
}

#[test]
fn the_first_request_is_small_until_the_bucket_is_known() {
    let mut pacer = Pacer::default();
    let plan = pacer.plan(Instant::now(), Doc::Orders, MAX_FIRST);
    assert_eq!(
        (plan.first, plan.lines, plan.wait),
        (1, PROBE_LINES, Duration::ZERO)
    );
    assert_eq!(plan.static_cost, 3.0 + 13.0 + 7.0 * 10.0);
}

#[test]
fn a_page_fits_the_bucket_it_is_sent_into() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 1000.0, 50.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    // Twelve orders of 10 lines: 3 + 12 × (13 + 10 × 7) = 999 points.
    assert_eq!((plan.first, plan.lines), (12, 10));
    assert_eq!(plan.static_cost, 999.0);
    assert_eq!(plan.wait, Duration::ZERO);

    // With less in the bucket, as many as fit with the margin, never more.
    for available in [1000.0, 900.0, 700.0, 600.0, 520.0] {
        let mut pacer = pacer_seeing(now, 1000.0, available, 50.0);
        let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
        assert_eq!(plan.wait, Duration::ZERO, "{available}");
        assert!(
            plan.static_cost <= available - SAFETY,
            "{available}: {plan:?}"
        );
        assert!(
            plan.static_cost + 83.0 > available - SAFETY,
            "{available}: room for one more"
        );
    }
}

#[test]
fn a_low_bucket_waits_exactly_for_the_refill() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 100.0, 50.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    // Half a page (6 orders, 501 points, 511.02 with the 2 % margin) needs 511.02 - 99 =
    // 412.02 more points at 50/s.
    assert_eq!(plan.first, 6);
    assert_wait(&plan, 8241);
    // Time passing counts: 5 s later 250 points have come back.
    let later = pacer.plan(now + Duration::from_secs(5), Doc::Orders, MAX_FIRST);
    assert_wait(&later, 3241);
    // A faster restore rate, a shorter wait.
    let mut fast = pacer_seeing(now, 1000.0, 100.0, 200.0);
    assert_wait(&fast.plan(now, Doc::Orders, MAX_FIRST), 2061);
}

#[test]
fn once_orders_are_measured_pages_fit_them() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 30.0, 50.0);
    // Six orders of at most two lines, 25 points each: 3 + 6 × 25.
    pacer.orders_served(Some(153.0), 6, 2);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    // Three lines an order (the floor) cost 34 requested; 50 points a second buy two orders
    // of 25: wait for two (71 requested, 72.42 with the margin), not for half a page.
    assert_eq!((plan.first, plan.lines), (2, 3));
    assert_wait(&plan, 869);
    // A fast bucket still fills whole pages: 29 orders of 34 points.
    let mut fast = pacer_seeing(now, 1000.0, 30.0, 5000.0);
    fast.orders_served(Some(153.0), 6, 2);
    let plan = fast.plan(now, Doc::Orders, MAX_FIRST);
    assert_eq!((plan.first, plan.static_cost), (29, 989.0));
    // A long order raises the lines asked for, up to what the bucket allows.
    fast.orders_served(Some(153.0), 6, 40);
    assert_eq!(fast.plan(now, Doc::Orders, MAX_FIRST).lines, 10);
}

#[test]
fn the_estimate_follows_the_reported_requested_cost() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 1000.0, 50.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    // The store says each query costs twice the formula: fewer lines per order keep a page
    // of twelve orders within the bucket.
    pacer.observe(
        now,
        &report(plan.static_cost * 2.0, 1000.0, 1000.0, 50.0),
        &plan,
    );
    let dearer = pacer.plan(now, Doc::Orders, MAX_FIRST);
    assert_eq!((dearer.first, dearer.lines), (12, 4));
    assert!(dearer.static_cost * 2.0 <= 999.0, "{dearer:?}");
}

#[test]
fn max_cost_exceeded_shrinks_the_page_then_the_lines() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 1000.0, 50.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    pacer.max_cost_exceeded(&plan, None, Some(1000.0));
    let smaller = pacer.plan(now, Doc::Orders, MAX_FIRST);
    assert_eq!(smaller.first, plan.first / 2);
    let single = Plan {
        first: 1,
        ..smaller
    };
    pacer.max_cost_exceeded(&single, None, None);
    assert_eq!(
        pacer.plan(now, Doc::Orders, MAX_FIRST).lines,
        smaller.lines / 2
    );
}

#[test]
fn a_large_bucket_still_sends_queries_shopify_accepts() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 20_000.0, 20_000.0, 1000.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    assert!(plan.static_cost <= MAX_QUERY_COST, "{plan:?}");
    assert_eq!((plan.first, plan.lines), (12, 10));
}

#[test]
fn a_tiny_bucket_gets_fewer_lines_per_order() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 60.0, 60.0, 5.0);
    let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
    assert!(plan.static_cost <= 59.0, "{plan:?}");
    assert!(plan.first >= 1);
}

#[test]
fn throttled_without_a_report_assumes_an_empty_bucket() {
    let now = Instant::now();
    let mut pacer = Pacer::default();
    pacer.throttled(now, &CostReport::default());
    let plan = pacer.plan(now, Doc::ShopName, 1);
    // One point at Shopify's slowest documented restore rate.
    assert!(
        plan.wait > Duration::ZERO && plan.wait <= Duration::from_millis(100),
        "{plan:?}"
    );
}

#[test]
fn unpaged_documents_wait_for_their_own_cost_only() {
    let now = Instant::now();
    let mut pacer = pacer_seeing(now, 1000.0, 0.0, 50.0);
    let plan = pacer.plan(now, Doc::ShopName, 1);
    // 1 point (scaled by the initial 1.25) plus the safety point, at 50/s.
    assert_wait(&plan, 45);
}

/// A sync of `orders` orders of 1–3 lines each against a model bucket, with a fake clock.
struct Sync {
    maximum: f64,
    restore: f64,
    latency: Duration,
    /// The store's requested and actual costs relative to the published formula.
    true_scale: f64,
    /// Up to six times this long between a page and the next request.
    think_ms: u64,
    orders: u32,
}

struct Outcome {
    elapsed: Duration,
    bucket: FakeBucket,
    requests: u32,
}

impl Sync {
    fn run(&self) -> Outcome {
        let start = Instant::now();
        let mut now = start;
        let mut bucket = FakeBucket::full(self.maximum, self.restore, now);
        let mut pacer = Pacer::default();
        let mut fetched = 0_u32;
        let mut requests = 0;
        while fetched < self.orders {
            requests += 1;
            assert!(requests < 200_000, "the sync does not progress");
            let plan = pacer.plan(now, Doc::Orders, MAX_FIRST);
            now += plan.wait;
            let returned = plan.first.min(self.orders - fetched);
            let lines: f64 = (fetched..fetched + returned)
                .map(|i| f64::from(1 + i % 3).min(f64::from(plan.lines)))
                .sum();
            let actual = 3.0 + f64::from(returned) * 11.0 + lines * 7.0;
            let requested = plan.static_cost * self.true_scale;
            now += self.latency / 2;
            let admission = bucket.query(now, requested, actual * self.true_scale);
            let status = bucket.status();
            now += self.latency / 2;
            let report = CostReport {
                requested: Some(requested),
                actual: (admission == Admission::Admitted).then_some(actual),
                throttle: Some(status),
            };
            pacer.observe(now, &report, &plan);
            match admission {
                Admission::Admitted => {
                    pacer.orders_served(report.actual, returned as usize, plan.lines.min(3));
                    fetched += returned;
                    // The engine stores the page before asking for the next: the bucket
                    // refills meanwhile, and the pacer must count that in.
                    now += Duration::from_millis(u64::from(requests % 7) * self.think_ms);
                }
                Admission::Throttled => pacer.throttled(now, &report),
                Admission::MaxCostExceeded => {
                    pacer.max_cost_exceeded(&plan, Some(requested), Some(self.maximum))
                }
            }
        }
        Outcome {
            elapsed: now - start,
            bucket,
            requests,
        }
    }
}

#[test]
fn a_long_sync_spends_the_restore_rate_and_is_never_throttled() {
    let cases = [
        (1000.0, 50.0, 0, 1.0, 0),
        (1000.0, 50.0, 150, 1.0, 40),
        (2000.0, 100.0, 400, 1.1, 10),
        (20_000.0, 1000.0, 250, 1.0, 0),
        (20_000.0, 1000.0, 50, 0.9, 5),
        (200.0, 20.0, 80, 1.0, 100),
    ];
    for (maximum, restore, latency_ms, true_scale, think_ms) in cases {
        let sync = Sync {
            maximum,
            restore,
            latency: Duration::from_millis(latency_ms),
            true_scale,
            think_ms,
            // Enough that the bucket's initial fill is a small part of what is spent.
            orders: (maximum * 4.0) as u32,
        };
        let outcome = sync.run();
        let label = format!(
            "bucket {maximum}/{restore}, {latency_ms} ms, ×{true_scale}, think {think_ms} ms"
        );
        assert_eq!(outcome.bucket.throttled, 0, "{label}: throttled");
        assert_eq!(
            outcome.bucket.too_expensive, 0,
            "{label}: MAX_COST_EXCEEDED"
        );
        let seconds = outcome.elapsed.as_secs_f64();
        // Points that came from refills, not from the full bucket the sync started with.
        let refilled = outcome.bucket.charged - maximum;
        let rate = refilled / seconds;
        assert!(
            rate >= 0.9 * restore,
            "{label}: spent {rate:.1}/s of {restore}/s over {seconds:.0} s in {} requests",
            outcome.requests
        );
        assert!(
            rate <= restore * 1.001,
            "{label}: {rate} cannot beat the restore rate"
        );
    }
}
