//! The Resolve actions of an order that needs the dealer, as the order page calls them: release
//! the weight hold, edit the ship-to, route again; and what each refuses, in the words the
//! dealer reads. US Direct is the in-memory stand-in of `fulfillment.rs`.

use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::fulfillment::routing::RoutingProblem;
use dealer_core::fulfillment::ShipToInput;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState, WorkerId};
use dealer_core::seed::{synthetic_orders, SANDBOX_CHANNEL};
use dealer_core::store::AttentionKind;
use dealer_core::{Engine, ErrorCode};

use crate::fulfillment::{engine_with_orders, ids_in, FakeSupplier, NoStores};

/// Sends every due job to `supplier`.
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

/// A street address in the lower 48 with a phone: passes every rule.
fn street_address() -> ShipToInput {
    ShipToInput {
        name: "Ada Lovelace".into(),
        line1: "12 Main St".into(),
        line2: None,
        city: "Boise".into(),
        state_code: "ID".into(),
        postal_code: "83702".into(),
        country_code: "US".into(),
        phone: Some("+1 208 555 0100".into()),
    }
}

/// An order of six cast iron skillets (16.2 kg, 35.7 lb) in the sandbox channel (whose SKUs
/// `engine_with_orders` mapped): only the weight rule fails.
async fn heavy_order(engine: &Engine) -> i64 {
    let channel = engine
        .store()
        .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, "sandbox:", true)
        .await
        .unwrap();
    let mut order = synthetic_orders(1, 9001, 3).unwrap().remove(0);
    order.lines.truncate(1);
    order.lines[0].sku = Some(dealer_core::domain::Sku::parse("USD-1005").unwrap());
    order.lines[0].quantity = 6;
    order.lines[0].unit_weight_grams = 2_700;
    let ids = engine
        .store()
        .insert_orders(channel.id, &[order], Actor::System, "test order")
        .await
        .unwrap();
    ids[0]
}

#[tokio::test]
async fn a_released_weight_hold_sends_the_order_to_us_direct() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 0).await;
    let supplier = FakeSupplier::default();
    let id = heavy_order(&engine).await;

    engine.route_imported().await.unwrap();
    let held = engine.store().order_detail(id).await.unwrap();
    assert_eq!(held.status, OrderStatus::NeedsAttention);
    let attention = held.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::Routing);
    assert_eq!(
        attention.problems,
        vec![RoutingProblem::Overweight { grams: 16_200 }]
    );
    assert!(
        attention.reason.contains("35.7 lb") && attention.reason.contains("Release the hold"),
        "{}",
        attention.reason
    );
    assert!(!held.weight_hold_released);
    assert!(held.jobs.is_empty(), "nothing went to US Direct");

    // Resolve → Release hold: checked again without the weight rule, and on its way.
    let released = engine.release_weight_hold(id).await.unwrap();
    assert_eq!(released.status, OrderStatus::Imported);
    assert!(released.weight_hold_released);
    assert_eq!(released.attention, None);
    assert_eq!(released.jobs.len(), 1);
    assert_eq!(released.jobs[0].kind, JobKind::CreateSupplierOrder);
    let notes: Vec<_> = released
        .events
        .iter()
        .map(|e| (e.actor, e.detail.as_str()))
        .collect();
    assert!(
        notes.contains(&(Actor::Dealer, "weight hold released by the dealer")),
        "{notes:?}"
    );

    run_jobs(&engine, &supplier).await;
    let sent = engine.store().order_detail(id).await.unwrap();
    assert_eq!(sent.status, OrderStatus::AwaitingAuthorization);
    assert!(
        sent.supplier.is_some(),
        "US Direct created the order and invoiced it"
    );
    assert_eq!(sent.jobs[0].state, JobState::Succeeded);

    // Once it is no longer held, there is nothing to release.
    let err = engine.release_weight_hold(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        format!("order: order {id} is not waiting on a hold")
    );
}

#[tokio::test]
async fn an_edited_address_that_still_fails_keeps_the_order_with_the_dealer() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = ids_in(&engine, OrderStatus::Imported).await[0];
    let po_box = ShipToInput {
        line1: "PO Box 77".into(),
        ..street_address()
    };
    engine.edit_ship_to(id, po_box).await.unwrap();
    engine.route_imported().await.unwrap();
    let held = engine.store().order_detail(id).await.unwrap();
    assert_eq!(
        held.attention.unwrap().problems,
        vec![RoutingProblem::PoBox]
    );

    // A street address, but in Hawaii and with too short a phone number: two new problems,
    // each with the Resolve action its message names, and the PO box is no longer one.
    let hawaii = ShipToInput {
        line1: "1 Aloha Tower Dr".into(),
        city: "Honolulu".into(),
        state_code: "hi".into(),
        postal_code: "96813".into(),
        phone: Some("555".into()),
        ..street_address()
    };
    let still = engine.edit_ship_to(id, hawaii).await.unwrap();
    assert_eq!(still.status, OrderStatus::NeedsAttention);
    assert_eq!(still.ship_to.line1, "1 Aloha Tower Dr");
    assert_eq!(still.ship_to.state_code, "HI");
    let attention = still.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::Routing);
    assert_eq!(
        attention.problems,
        vec![
            RoutingProblem::MissingPhone,
            RoutingProblem::OutsideLower48 {
                state_code: "HI".into(),
                country_code: "US".into(),
            },
        ]
    );
    assert!(
        attention.reason.contains("Add one to the ship-to address"),
        "{}",
        attention.reason
    );
    assert!(
        attention.reason.contains("this order goes to HI, US"),
        "{}",
        attention.reason
    );
    assert!(
        !attention.reason.contains("PO boxes"),
        "{}",
        attention.reason
    );
    assert!(still.jobs.is_empty(), "nothing went to US Direct");

    // A valid address: routed at once and sent.
    let fixed = engine.edit_ship_to(id, street_address()).await.unwrap();
    assert_eq!(fixed.status, OrderStatus::Imported);
    assert_eq!(fixed.attention, None);
    assert_eq!(fixed.jobs.len(), 1);
    run_jobs(&engine, &supplier).await;
    assert_eq!(
        engine.store().order_detail(id).await.unwrap().status,
        OrderStatus::AwaitingAuthorization
    );
}

#[tokio::test]
async fn the_address_is_locked_once_us_direct_has_the_order_and_only_held_orders_route_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = ids_in(&engine, OrderStatus::Imported).await[0];

    // An incomplete address is refused before anything is written.
    let before = engine.store().order_detail(id).await.unwrap();
    let blank_city = ShipToInput {
        city: " ".into(),
        ..street_address()
    };
    let err = engine.edit_ship_to(id, blank_city).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.to_string(), "address.city: is empty; edit the address");
    let usa = ShipToInput {
        country_code: "USA".into(),
        ..street_address()
    };
    let err = engine.edit_ship_to(id, usa).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "address.country_code: \"USA\" is not a two-letter country code such as US"
    );
    let unchanged = engine.store().order_detail(id).await.unwrap();
    assert_eq!(unchanged.ship_to, before.ship_to);
    assert_eq!(unchanged.events.len(), before.events.len());

    engine.route_imported().await.unwrap();
    run_jobs(&engine, &supplier).await;
    let with_us_direct = engine.store().order_detail(id).await.unwrap();
    assert_eq!(with_us_direct.status, OrderStatus::AwaitingAuthorization);

    let err = engine.edit_ship_to(id, street_address()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "order: the address can only be edited before the order goes to US Direct"
    );
    let after = engine.store().order_detail(id).await.unwrap();
    assert_eq!(after.ship_to, with_us_direct.ship_to, "nothing was written");
    assert_eq!(after.events.len(), with_us_direct.events.len());

    let err = engine.route_again(id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        format!(
            "order: order {id} is awaiting authorization; only an order that needs attention or \
             is not for US Direct is routed again"
        )
    );
    assert_eq!(
        engine.store().order_detail(id).await.unwrap().jobs.len(),
        1,
        "no second supplier order"
    );

    let err = engine.route_again(id + 1000).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(
        err.to_string(),
        format!("order {} was not found", id + 1000)
    );
}

/// Once routed, an imported order's request to US Direct is frozen with its key: an address
/// edited then would show in the window but never reach US Direct. The edit is refused with
/// the way out, and works after the dealer cancels the job.
#[tokio::test]
async fn an_address_edit_waits_until_the_frozen_request_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    engine.route_imported().await.unwrap();
    let id = ids_in(&engine, OrderStatus::Imported).await[0];
    let err = engine
        .edit_ship_to(id, street_address())
        .await
        .expect_err("an edit the request to US Direct would not carry");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string().contains("cancel its job in Activity first"),
        "{err}"
    );
    let order = engine.store().order_detail(id).await.unwrap();
    assert_ne!(order.ship_to.line1, "12 Main St");

    let job = engine
        .store()
        .list_jobs(Some(id), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|job| job.kind == JobKind::CreateSupplierOrder && job.state == JobState::Pending)
        .unwrap();
    engine.cancel_job(job.id).await.unwrap();
    let resolved = engine.edit_ship_to(id, street_address()).await.unwrap();
    assert_eq!(resolved.ship_to.line1, "12 Main St");
    let jobs = engine.store().list_jobs(Some(id), 10).await.unwrap();
    assert!(
        jobs.iter()
            .any(|job| job.kind == JobKind::CreateSupplierOrder && job.state == JobState::Pending),
        "routed again with the new address: {jobs:?}"
    );
}

/// An order (numbered `number`) of one skillet to `line1` in Boise.
async fn order_to(engine: &Engine, number: u64, line1: &str) -> i64 {
    let channel = engine
        .store()
        .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, "sandbox:", true)
        .await
        .unwrap();
    let mut order = synthetic_orders(1, number, 5).unwrap().remove(0);
    order.lines.truncate(1);
    order.lines[0].sku = Some(dealer_core::domain::Sku::parse("USD-1005").unwrap());
    order.lines[0].quantity = 1;
    order.ship_to.line1 = line1.into();
    order.ship_to.state_code = "ID".into();
    order.ship_to.phone = Some("+1 208 555 0100".into());
    engine
        .store()
        .insert_orders(channel.id, &[order], Actor::System, "test order")
        .await
        .unwrap()[0]
}

#[tokio::test]
async fn a_po_box_hold_the_dealer_judges_wrong_is_released_as_is_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 0).await;
    let supplier = FakeSupplier::default();
    // A street that looks like a box is not held; a box is.
    let street = order_to(&engine, 9101, "12 Pobox Ave").await;
    let boxed = order_to(&engine, 9102, "PO Box 77").await;
    engine.route_imported().await.unwrap();
    assert_eq!(
        engine.store().order_detail(street).await.unwrap().status,
        OrderStatus::Imported,
        "12 Pobox Ave is a street"
    );
    let held = engine.store().order_detail(boxed).await.unwrap();
    assert_eq!(held.status, OrderStatus::NeedsAttention);
    assert_eq!(
        held.attention.unwrap().problems,
        vec![RoutingProblem::PoBox]
    );

    let released = engine.release_hold(boxed, Actor::Dealer).await.unwrap();
    assert_eq!(released.status, OrderStatus::Imported, "sent as is");
    assert!(released.po_box_hold_released);
    let note = released
        .events
        .iter()
        .find(|event| event.detail.contains("released as is"))
        .expect("the release is on the timeline");
    assert_eq!(note.actor, Actor::Dealer);
    assert_eq!(note.detail, "the PO box hold released as is by the dealer");
    run_jobs(&engine, &supplier).await;
    assert_eq!(
        engine.store().order_detail(boxed).await.unwrap().status,
        OrderStatus::AwaitingAuthorization
    );

    // Nothing to release on an order that is not held; a rule that cannot be overruled says
    // what to do instead.
    let err = engine.release_hold(boxed, Actor::Dealer).await.unwrap_err();
    assert!(err.to_string().contains("nothing to release"), "{err}");
    let alaska = order_to(&engine, 9103, "1 Main St").await;
    let mut ship_to = street_address();
    ship_to.state_code = "AK".into();
    engine.edit_ship_to(alaska, ship_to).await.unwrap();
    engine.route_imported().await.unwrap();
    let err = engine
        .release_hold(alaska, Actor::Dealer)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(
        err.to_string().contains("cannot be released as is"),
        "{err}"
    );
}
