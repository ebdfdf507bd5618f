//! Authorize Order for Payment as the dealer sees its answer for each order (queued, already
//! authorized, not allowed, each with its sentence), and what the Auto Authorize settings
//! accept and list as waiting within their limits.

use dealer_core::domain::Actor;
use dealer_core::fulfillment::{AuthorizeResult, AutoAuthorize};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::WorkerId;
use dealer_core::{Engine, ErrorCode};

use crate::fulfillment::{engine_with_orders, ids_in, FakeSupplier, NoStores};

async fn run_jobs(engine: &Engine, supplier: &FakeSupplier) {
    engine
        .run_outbox(
            &supplier.everywhere(),
            &NoStores,
            &WorkerId::for_this_process(),
        )
        .await
        .unwrap();
}

/// What one authorize request answered for `id`, as (result, message).
async fn authorize_one(engine: &Engine, id: i64) -> (AuthorizeResult, String) {
    let outcome = engine
        .authorize(&[id], Actor::Dealer)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(outcome.order_id, id);
    (outcome.result, outcome.message)
}

async fn number(engine: &Engine, id: i64) -> String {
    engine.store().order_detail(id).await.unwrap().number
}

async fn job_count(engine: &Engine) -> usize {
    engine.store().list_jobs(None, 100).await.unwrap().len()
}

#[tokio::test]
async fn each_order_says_why_it_was_or_was_not_authorized() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 3).await;
    let supplier = FakeSupplier::default();
    engine.route_imported().await.unwrap();
    run_jobs(&engine, &supplier).await;
    let waiting = ids_in(&engine, OrderStatus::AwaitingAuthorization).await;
    let (paid, cancelled, shipped) = (waiting[0], waiting[1], waiting[2]);
    // One more order, just imported: US Direct has not invoiced it.
    engine.store().seed_orders(1, 8).await.unwrap();
    let imported = ids_in(&engine, OrderStatus::Imported).await[0];

    let n = number(&engine, paid).await;
    assert_eq!(
        authorize_one(&engine, paid).await,
        (
            AuthorizeResult::Queued,
            // Seeded orders are the sandbox store's: a rehearsal, and it says so.
            format!("order {n} authorized for payment with the sandbox US Direct (no real money)")
        )
    );
    let jobs = job_count(&engine).await;
    // A second click before US Direct answers, then after it did.
    let already = (
        AuthorizeResult::AlreadyAuthorized,
        format!("order {n} is already authorized"),
    );
    assert_eq!(authorize_one(&engine, paid).await, already);
    run_jobs(&engine, &supplier).await;
    assert_eq!(
        engine.store().order_detail(paid).await.unwrap().status,
        OrderStatus::Processing
    );
    assert_eq!(authorize_one(&engine, paid).await, already);

    // Shipped: authorized long ago (the status is set directly; shipments are not the point).
    for step in [
        OrderStatus::Authorized,
        OrderStatus::Processing,
        OrderStatus::Shipped,
    ] {
        engine
            .store()
            .transition(shipped, step, Actor::System, "test")
            .await
            .unwrap();
    }
    let n = number(&engine, shipped).await;
    assert_eq!(
        authorize_one(&engine, shipped).await,
        (
            AuthorizeResult::AlreadyAuthorized,
            format!("order {n} was authorized and has shipped")
        )
    );

    engine
        .store()
        .transition(
            cancelled,
            OrderStatus::Cancelled,
            Actor::Dealer,
            "customer asked",
        )
        .await
        .unwrap();
    let n = number(&engine, cancelled).await;
    assert_eq!(
        authorize_one(&engine, cancelled).await,
        (
            AuthorizeResult::NotAllowed,
            format!(
                "order {n} is cancelled; only an order awaiting authorization can be authorized"
            )
        )
    );
    let n = number(&engine, imported).await;
    assert_eq!(
        authorize_one(&engine, imported).await,
        (
            AuthorizeResult::NotAllowed,
            format!(
                "order {n} is imported; only an order awaiting authorization can be authorized"
            )
        )
    );
    assert_eq!(
        engine.store().order_detail(imported).await.unwrap().status,
        OrderStatus::Imported
    );
    assert_eq!(
        job_count(&engine).await,
        jobs,
        "only the first click queued a payment authorization"
    );

    let err = engine
        .authorize(&[imported + 1000], Actor::Dealer)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn auto_authorize_refuses_amounts_of_zero_or_less_and_keeps_the_rules_it_had() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 0).await;
    let kept = AutoAuthorize {
        enabled: true,
        max_total_minor: Some(5_000),
        daily_cap_minor: None,
    };
    engine.set_auto_authorize(kept.clone()).await.unwrap();
    for (rules, message) in [
        (
            AutoAuthorize {
                enabled: true,
                max_total_minor: Some(0),
                daily_cap_minor: None,
            },
            "max_total: must be more than $0.00; leave it empty for no limit",
        ),
        (
            AutoAuthorize {
                enabled: true,
                max_total_minor: None,
                daily_cap_minor: Some(-1),
            },
            "daily_cap: must be more than $0.00; leave it empty for no limit",
        ),
    ] {
        let err = engine.set_auto_authorize(rules).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(err.to_string(), message);
        assert_eq!(engine.auto_authorize().await.unwrap(), kept);
    }
    // One cent is an amount.
    let cent = AutoAuthorize {
        enabled: true,
        max_total_minor: Some(1),
        daily_cap_minor: Some(1),
    };
    let status = engine.set_auto_authorize(cent.clone()).await.unwrap();
    assert_eq!(status.rules, cent);
}

#[tokio::test]
async fn the_orders_waiting_within_the_limits_are_listed_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 6).await;
    let supplier = FakeSupplier::default();
    engine.route_imported().await.unwrap();
    run_jobs(&engine, &supplier).await;
    // Oldest first, each with US Direct's invoice total.
    let mut waiting = Vec::new();
    for id in ids_in(&engine, OrderStatus::AwaitingAuthorization).await {
        let detail = engine.store().order_detail(id).await.unwrap();
        waiting.push((
            detail.placed_at,
            id,
            detail.supplier.unwrap().total_cost_minor,
        ));
    }
    waiting.sort();
    assert_eq!(waiting.len(), 6);
    let oldest_first: Vec<i64> = waiting.iter().map(|(_, id, _)| *id).collect();

    let off = engine.auto_authorize_status().await.unwrap();
    assert_eq!(off.waiting, 6);
    assert!(off.waiting_within_limits.is_empty(), "off authorizes none");

    let unlimited = engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: None,
            daily_cap_minor: None,
        })
        .await
        .unwrap();
    assert_eq!(unlimited.waiting_within_limits, oldest_first);

    // A maximum between the cheapest and the dearest invoice.
    let mut totals: Vec<i64> = waiting.iter().map(|(_, _, total)| *total).collect();
    totals.sort();
    let max = totals[totals.len() / 2];
    assert!(
        totals[0] <= max && max < totals[totals.len() - 1],
        "{totals:?}"
    );
    let capped = engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: Some(max),
            daily_cap_minor: None,
        })
        .await
        .unwrap();
    let within: Vec<i64> = waiting
        .iter()
        .filter(|(_, _, total)| *total <= max)
        .map(|(_, id, _)| *id)
        .collect();
    assert_eq!(capped.waiting_within_limits, within);

    // A daily cap of exactly the oldest order's invoice: that one, and nothing after it.
    let daily = engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: None,
            daily_cap_minor: Some(waiting[0].2),
        })
        .await
        .unwrap();
    assert_eq!(daily.waiting_within_limits, vec![waiting[0].1]);
    // Listing changes nothing: every order still waits for the dealer.
    assert_eq!(
        ids_in(&engine, OrderStatus::AwaitingAuthorization)
            .await
            .len(),
        6
    );
}
