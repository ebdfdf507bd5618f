//! Late and Stuck orders, the count of orders that need the dealer, and the problems the dealer
//! is told of, through the engine on a real encrypted store. The clock is moved by asking at a
//! chosen `now`; the authorization's own time is set where a test needs a weekday.

use chrono::{DateTime, Duration, Utc};
use dealer_core::domain::{Actor, Environment};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState, WorkerId};
use dealer_core::problems::{ProblemKind, ProblemNotifications};
use dealer_core::store::{ListOrders, OrderFlag};
use dealer_core::Engine;

use crate::fulfillment::{engine_with_orders, ids_in, FakeSupplier, NoStores};
use crate::shipments::change;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Routes, authorizes and sends every order: all end in `processing`, with no tracking yet.
async fn sent_orders(engine: &Engine, supplier: &FakeSupplier) -> Vec<i64> {
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let ids = ids_in(engine, OrderStatus::AwaitingAuthorization).await;
    engine.authorize(&ids, Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!(
        ids_in(engine, OrderStatus::Processing).await.len(),
        ids.len()
    );
    let mut ids = ids;
    ids.sort_unstable();
    ids
}

async fn authorized_on(engine: &Engine, ids: &[i64], when: DateTime<Utc>) {
    for id in ids {
        sqlx::query("UPDATE orders SET authorized_at = ? WHERE id = ?")
            .bind(when)
            .bind(id)
            .execute(engine.store().pool())
            .await
            .unwrap();
    }
}

fn flagged(flag: OrderFlag) -> ListOrders {
    ListOrders {
        flag: Some(flag),
        ..ListOrders::default()
    }
}

async fn late_ids(engine: &Engine, now: DateTime<Utc>) -> Vec<i64> {
    let page = engine
        .store()
        .order_page_at(&flagged(OrderFlag::Late), now)
        .await
        .unwrap();
    assert_eq!(
        page.total, page.flags.late,
        "the chip counts what the list shows"
    );
    let mut ids: Vec<i64> = page.orders.iter().map(|order| order.id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn an_order_is_late_after_n_business_days_without_tracking() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 3).await;
    let supplier = FakeSupplier::default();
    let ids = sent_orders(&engine, &supplier).await;
    // Friday 4 December 2026, 15:00.
    authorized_on(&engine, &ids, at("2026-12-04T15:00:00Z")).await;

    // Monday: three calendar days, one business day. Not late.
    let monday = at("2026-12-07T16:00:00Z");
    assert_eq!(late_ids(&engine, monday).await, Vec::<i64>::new());
    assert!(engine
        .store()
        .order_detail_at(ids[0], monday)
        .await
        .unwrap()
        .flags
        .is_empty());

    // Thursday after: four business days (Mon, Tue, Wed, Thu). Late, each with its reason.
    let thursday = at("2026-12-10T16:00:00Z");
    assert_eq!(late_ids(&engine, thursday).await, ids);
    let detail = engine
        .store()
        .order_detail_at(ids[0], thursday)
        .await
        .unwrap();
    assert_eq!(detail.flags.len(), 1);
    assert_eq!(detail.flags[0].flag, OrderFlag::Late);
    let supplier_order = detail.supplier.unwrap().order_id;
    assert!(
        detail.flags[0].message.starts_with(
            "Late: authorized 4 business days ago, no tracking yet from US Direct — ask US \
             Direct about their order"
        ) && detail.flags[0].message.contains(&supplier_order),
        "{}",
        detail.flags[0].message
    );

    // The setting moves the line: after 2 business days they are late on Tuesday already;
    // after 5, not yet on Thursday.
    engine.set_late_after_business_days(2).await.unwrap();
    assert_eq!(late_ids(&engine, at("2026-12-08T16:00:00Z")).await, ids);
    engine.set_late_after_business_days(5).await.unwrap();
    assert_eq!(late_ids(&engine, thursday).await, Vec::<i64>::new());
    assert!(engine.set_late_after_business_days(0).await.is_err());
    engine.set_late_after_business_days(4).await.unwrap();

    // A shipment with its tracking clears it; the others stay late.
    let shipped = engine.store().order_detail(ids[1]).await.unwrap();
    let line = shipped.lines[0].clone();
    supplier.state().changes = vec![change(
        &shipped,
        vec![("1Z999AA10123456784", vec![(&line.sku, line.quantity)])],
    )];
    engine
        .supplier_sync(Environment::Sandbox, &supplier)
        .await
        .unwrap();
    assert_eq!(late_ids(&engine, thursday).await, vec![ids[0], ids[2]]);
    assert!(engine
        .store()
        .order_detail_at(ids[1], thursday)
        .await
        .unwrap()
        .flags
        .is_empty());

    // The late orders need the dealer, each counted once with those in needs_attention.
    assert_eq!(
        engine.store().needs_you_count_at(thursday).await.unwrap(),
        2
    );
    let needs_you = engine
        .store()
        .order_page_at(&flagged(OrderFlag::NeedsYou), thursday)
        .await
        .unwrap();
    assert_eq!(needs_you.total, 2);
    assert_eq!(needs_you.flags.needs_you, 2);

    // With the other filters: a channel (every order's), then a search for one order's number.
    let first = engine.store().order_detail(ids[0]).await.unwrap();
    let in_channel = engine
        .store()
        .order_page_at(
            &ListOrders {
                channel_id: Some(first.channel_id),
                ..flagged(OrderFlag::Late)
            },
            thursday,
        )
        .await
        .unwrap();
    assert_eq!((in_channel.total, in_channel.flags.late), (2, 2));
    let searched = engine
        .store()
        .order_page_at(
            &ListOrders {
                search: Some(first.number.clone()),
                ..flagged(OrderFlag::Late)
            },
            thursday,
        )
        .await
        .unwrap();
    assert_eq!((searched.total, searched.flags.late), (1, 1));
    assert_eq!(searched.orders[0].id, ids[0]);
    let in_other_channel = engine
        .store()
        .order_page_at(
            &ListOrders {
                channel_id: Some(first.channel_id + 100),
                ..flagged(OrderFlag::Late)
            },
            thursday,
        )
        .await
        .unwrap();
    assert_eq!(
        (in_other_channel.total, in_other_channel.flags.late),
        (0, 0)
    );
}

#[tokio::test]
async fn a_job_failing_for_an_hour_makes_its_order_stuck_until_it_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 2).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let ids = ids_in(&engine, OrderStatus::AwaitingAuthorization).await;
    // US Direct answers 503 to the next call: the payment authorization waits to retry.
    supplier.state().flaky = 1;
    engine.authorize(&ids[..1], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let job = engine.store().list_jobs(Some(ids[0]), 10).await.unwrap()[0].clone();
    assert_eq!(
        (job.kind, job.state),
        (JobKind::AuthorizePayment, JobState::Pending)
    );

    let stuck = |now| {
        let engine = &engine;
        async move {
            engine
                .store()
                .order_page_at(&flagged(OrderFlag::Stuck), now)
                .await
                .unwrap()
        }
    };
    // Failing for minutes: not stuck yet.
    let soon = Utc::now() + Duration::minutes(30);
    assert_eq!(stuck(soon).await.total, 0);
    // Over an hour: stuck, and the page says which job, since when and its error.
    let later = Utc::now() + Duration::minutes(61);
    let page = stuck(later).await;
    assert_eq!(page.total, 1);
    assert_eq!(page.flags.stuck, 1);
    assert_eq!(page.orders[0].id, ids[0]);
    let detail = engine.store().order_detail_at(ids[0], later).await.unwrap();
    let note = &detail.flags[0];
    assert_eq!((note.flag, note.job_id), (OrderFlag::Stuck, Some(job.id)));
    assert!(
        note.message
            .starts_with("Stuck: Authorizing the payment at US Direct (job ")
            && note.message.contains("HTTP 503"),
        "{}",
        note.message
    );
    assert_eq!(engine.store().needs_you_count_at(later).await.unwrap(), 1);

    // The retry succeeds: no longer stuck.
    engine.retry_job(job.id).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!(
        engine.store().order_detail(ids[0]).await.unwrap().status,
        OrderStatus::Processing
    );
    assert_eq!(stuck(later).await.total, 0);
    assert_eq!(engine.store().needs_you_count_at(later).await.unwrap(), 0);
}

#[tokio::test]
async fn new_problems_are_handed_over_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 4).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let ids = ids_in(&engine, OrderStatus::AwaitingAuthorization).await;
    assert!(engine.take_new_problems().await.unwrap().is_empty());

    // Two declined payments in one pass.
    supplier.state().decline = Some("Card on file expired".into());
    engine.authorize(&ids[..2], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    supplier.state().decline = None;
    let problems = engine.take_new_problems().await.unwrap();
    let kinds: Vec<(i64, ProblemKind)> = problems.iter().map(|p| (p.order_id, p.kind)).collect();
    let mut expected = vec![
        (ids[0], ProblemKind::Declined),
        (ids[1], ProblemKind::Declined),
    ];
    expected.sort_unstable();
    let mut kinds_sorted = kinds.clone();
    kinds_sorted.sort_unstable();
    assert_eq!(kinds_sorted, expected);
    assert!(engine.take_new_problems().await.unwrap().is_empty(), "once");

    // A shipment with a tracking number that is not valid for its carrier.
    engine.authorize(&ids[2..3], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let order = engine.store().order_detail(ids[2]).await.unwrap();
    let line = order.lines[0].clone();
    supplier.state().changes = vec![change(
        &order,
        vec![("1Z-NOT-A-NUMBER", vec![(&line.sku, line.quantity)])],
    )];
    engine
        .supplier_sync(Environment::Sandbox, &supplier)
        .await
        .unwrap();
    let problems = engine.take_new_problems().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].order_id, problems[0].kind),
        (ids[2], ProblemKind::InvalidTracking)
    );

    // An order turning late is told once, when it crosses the line.
    engine.authorize(&ids[3..4], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let in_a_week = Utc::now() + Duration::days(8);
    let problems = engine.take_new_problems_at(in_a_week).await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?} {ids:?}");
    assert_eq!(
        (problems[0].order_id, problems[0].kind),
        (ids[3], ProblemKind::Late)
    );
    assert!(engine
        .take_new_problems_at(in_a_week + Duration::hours(1))
        .await
        .unwrap()
        .is_empty());

    // What the dealer switched off is kept off.
    let wanted = ProblemNotifications {
        invalid_tracking: false,
        ..ProblemNotifications::default()
    };
    engine.set_problem_notifications(wanted).await.unwrap();
    assert_eq!(engine.problem_notifications().await.unwrap(), wanted);
}
