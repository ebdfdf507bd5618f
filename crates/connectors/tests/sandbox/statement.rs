//! US Direct's statement over loopback: the sandbox US Direct adds a shipping surcharge to one
//! invoice and a credit to another (set per SKU, as stock is) and declines a third; the month's
//! statement shows each adjustment on its own line and dates the decline by itself.

use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use dealer_core::activity::SyncTrigger;
use dealer_core::domain::Actor;
use dealer_core::export::{ExportOptions, Period};
use dealer_core::outbox::WorkerId;
use dealer_core::statement::AdjustmentKind;
use dealer_core::store::ListOrders;
use dealer_core::supplier::PaymentStatus;
use dealer_core::sync::NoProgress;
use dealer_sandbox::{Faults, PlaceOrder, SandboxSupplier, StoreKind, SupplierOptions, CATALOG};

use crate::{dealer_store, fast_bucket, quick_connector, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_surcharge_and_a_credit_from_us_direct_are_lines_of_their_own_on_the_statement() {
    let kind = StoreKind::Woocommerce;
    let store = start(kind, Faults::default(), fast_bucket()).await;
    let supplier = SandboxSupplier::start(SupplierOptions {
        ship_delay: Duration::from_secs(3_600),
        rate_limit_per_sec: 0.0,
        ..SupplierOptions::default()
    })
    .await
    .unwrap();
    // US Direct re-rates the cutting board's parcel (+3.75) and credits the lamp's (-1.20).
    let mut settings = supplier.settings();
    settings
        .shipping_adjustment_minor
        .insert(CATALOG[2].sku.into(), 375);
    settings
        .shipping_adjustment_minor
        .insert(CATALOG[3].sku.into(), -120);
    supplier.set_settings(settings.clone());
    let order_of = |index: usize| PlaceOrder {
        lines: vec![CATALOG[index].line(1)],
        ..PlaceOrder::test_order()
    };
    let board = store.place_order(order_of(2));
    let lamp = store.place_order(order_of(3));
    let bottle = store.place_order(order_of(1));

    let dir = tempfile::tempdir().unwrap();
    let engine = dealer_store(dir.path(), "Woo store", &store, &supplier).await;
    let connector = quick_connector(&engine, Duration::from_secs(1), 100.0);
    let us_direct = connector.suppliers(&engine).await.unwrap();
    let worker = WorkerId::for_this_process();
    let run_jobs = || async {
        engine
            .run_outbox_until(
                &us_direct,
                &connector,
                &worker,
                None,
                Instant::now() + Duration::from_secs(10),
            )
            .await
            .unwrap();
    };
    engine
        .order_sync(&connector, SyncTrigger::Cli, &NoProgress, None)
        .await
        .unwrap();
    engine.check_stock(&us_direct).await.unwrap();
    engine.route_imported().await.unwrap();
    run_jobs().await;

    let page = engine
        .store()
        .order_page(&ListOrders {
            limit: 100,
            ..ListOrders::default()
        })
        .await
        .unwrap();
    let id_of = |number: u64| {
        page.orders
            .iter()
            .find(|order| order.number == format!("#{number}"))
            .unwrap()
            .id
    };
    let (board, lamp, bottle) = (
        id_of(board.number),
        id_of(lamp.number),
        id_of(bottle.number),
    );
    engine
        .authorize(&[board, lamp], Actor::Dealer)
        .await
        .unwrap();
    run_jobs().await;
    settings.decline_reason = Some("Card on file expired".into());
    supplier.set_settings(settings);
    engine.authorize(&[bottle], Actor::Dealer).await.unwrap();
    run_jobs().await;

    let now = Utc::now();
    let period = Period::month(now.year(), now.month()).unwrap();
    let statement = engine.statement(period).await.unwrap();
    let invoice = |order: i64| {
        statement
            .invoices
            .iter()
            .find(|invoice| invoice.order_id == order)
            .unwrap_or_else(|| panic!("order {order} on the statement: {statement:#?}"))
    };
    let surcharged = invoice(board);
    assert_eq!(surcharged.status, PaymentStatus::Authorized);
    assert_eq!(surcharged.adjustments.len(), 1, "{surcharged:#?}");
    assert_eq!(
        surcharged.adjustments[0].kind,
        AdjustmentKind::ShippingSurcharge
    );
    assert_eq!(surcharged.adjustments[0].amount_minor, 375);
    assert_eq!(
        surcharged.total_minor,
        surcharged.items_minor + surcharged.shipping_minor
    );
    let credited = invoice(lamp);
    assert_eq!(credited.adjustments[0].kind, AdjustmentKind::ShippingCredit);
    assert_eq!(credited.adjustments[0].amount_minor, -120);
    let declined = invoice(bottle);
    assert_eq!(declined.status, PaymentStatus::Declined);
    assert!(declined.adjustments.is_empty());
    assert!(declined.authorized_at.is_none(), "a decline clears it");
    assert_eq!(
        declined.declined_at,
        Some(declined.dated_at),
        "dated by its decline"
    );

    // What hit the card: the two authorized invoices with their surcharge and credit.
    let usd = &statement.totals[0];
    let charged = surcharged.amount_minor().unwrap() + credited.amount_minor().unwrap();
    assert_eq!(usd.charged.total_minor, charged);
    assert_eq!(usd.charged.adjustments_minor, 375 - 120);
    assert_eq!(
        usd.all.total_minor,
        charged + declined.total_minor,
        "every line of the month"
    );

    // The CSV: the surcharge on its own row under its invoice.
    let mut out = Vec::new();
    engine
        .export_statement(period, &mut out, ExportOptions::default())
        .await
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let surcharge_row = format!(
        "{},{},Shipping surcharge,,,3.75,3.75,USD",
        surcharged.order_number, surcharged.invoice_id
    );
    assert!(text.contains(&surcharge_row), "{text}");
    assert!(
        text.contains(",Shipping credit,,,-1.20,-1.20,USD"),
        "{text}"
    );
}
