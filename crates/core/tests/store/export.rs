//! CSV exports of the Orders list, US Direct's statement and the shipments, read back with the
//! `csv` crate as a spreadsheet would read them.

use chrono::{DateTime, Duration, TimeZone, Utc};
use dealer_core::domain::{Actor, ChannelKind, Environment};
use dealer_core::export::{ExportOptions, Period, BOM};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::seed::{synthetic_orders, SANDBOX_CHANNEL};
use dealer_core::store::ListOrders;
use dealer_core::Engine;

use crate::{open_with_passphrase, PASSPHRASE};

/// Names a store may send that break naive CSV or run as a formula in a spreadsheet.
const HOSTILE: [&str; 8] = [
    "Doe, Jane",
    "Ann \"The Boss\" Lee",
    "Line one\nline two",
    "Zoë 🚀 Ng",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1",
    "-2",
    "@SUM(A1:A9)",
];

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
}

/// Ten orders, one a day from 1 November, the first eight named by [`HOSTILE`].
async fn engine_with_orders(dir: &std::path::Path) -> (Engine, Vec<i64>) {
    let engine = open_with_passphrase(dir, PASSPHRASE).await.unwrap();
    let channel = engine
        .store()
        .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, "sandbox:", true)
        .await
        .unwrap();
    let mut orders = synthetic_orders(10, 5001, 7).unwrap();
    for (index, order) in orders.iter_mut().enumerate() {
        if let Some(name) = HOSTILE.get(index) {
            order.customer_name = (*name).into();
        }
        order.placed_at = at(index as u32 + 1);
    }
    let ids = engine
        .store()
        .insert_orders(channel.id, &orders, Actor::System, "test")
        .await
        .unwrap();
    (engine, ids)
}

fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn all() -> ListOrders {
    ListOrders {
        limit: 1,
        ..Default::default()
    }
}

#[tokio::test]
async fn orders_round_trip_with_hostile_names_neutralised_and_amounts_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, ids) = engine_with_orders(dir.path()).await;
    // US Direct's invoice on the first order: cost above the sale, a negative margin.
    sqlx::query(
        "UPDATE orders SET supplier_invoice_id = 'INV-1', supplier_currency = 'USD',
                supplier_product_cost_minor = subtotal_minor + 1000,
                supplier_shipping_cost_minor = shipping_minor + 250,
                supplier_cost_minor = subtotal_minor + shipping_minor + 1250
         WHERE id = ?",
    )
    .bind(ids[0])
    .execute(engine.store().pool())
    .await
    .unwrap();

    let mut out = Vec::new();
    let summary = engine
        .export_orders(&all(), &mut out, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.rows, 10, "every order, the filter's limit aside");
    assert!(!out.starts_with(BOM.as_bytes()), "no BOM unless asked");
    let rows = read(&out);
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0][0], "Number");
    assert_eq!(rows[0][10], "Margin");
    // Newest first: the first order (1 November) is last.
    let customers: Vec<&str> = rows[1..].iter().rev().map(|row| row[3].as_str()).collect();
    assert_eq!(
        &customers[..8],
        [
            "Doe, Jane",
            "Ann \"The Boss\" Lee",
            "Line one\nline two",
            "Zoë 🚀 Ng",
            "'=HYPERLINK(\"http://evil.example\",\"click\")",
            "'+1",
            "'-2",
            "'@SUM(A1:A9)",
        ]
    );
    let first = &rows[10];
    assert_eq!(first[6], "2026-11-01T12:00:00Z");
    assert_eq!(first[9], "USD");
    assert!(first[10].starts_with("-12.50"), "margin {:?}", first[10]);
    assert_eq!(
        first[10], "-12.50",
        "a negative amount is a number, not text"
    );
    assert!(first[7].contains('\u{d7}'), "items {:?}", first[7]);
    for row in &rows[1..] {
        // Decimal text with two digits, never a float's rendering.
        let (whole, cents) = row[4].split_once('.').unwrap();
        assert!(
            whole.parse::<u64>().is_ok() && cents.len() == 2,
            "{:?}",
            row[4]
        );
        assert_eq!(row[5], "USD");
    }
    assert!(
        rows[1][8].is_empty() && rows[1][10].is_empty(),
        "no invoice, no cost"
    );
}

#[tokio::test]
async fn orders_with_a_bom_and_under_the_lists_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, ids) = engine_with_orders(dir.path()).await;
    engine
        .store()
        .transition(ids[2], OrderStatus::Cancelled, Actor::Dealer, "test")
        .await
        .unwrap();
    engine
        .store()
        .transition(ids[5], OrderStatus::Cancelled, Actor::Dealer, "test")
        .await
        .unwrap();

    let mut out = Vec::new();
    let summary = engine
        .export_orders(
            &ListOrders {
                status: Some(OrderStatus::Cancelled),
                ..all()
            },
            &mut out,
            ExportOptions { bom: true },
        )
        .await
        .unwrap();
    assert_eq!(summary.rows, 2);
    assert!(out.starts_with(BOM.as_bytes()));
    let rows = read(&out[BOM.len()..]);
    assert_eq!(rows[0][0], "Number", "the header follows the BOM");
    let customers: Vec<&str> = rows[1..].iter().map(|row| row[3].as_str()).collect();
    assert_eq!(customers, ["'+1", "Line one\nline two"]);
    assert!(rows[1..].iter().all(|row| row[2] == "cancelled"));

    // Placed from 3 to 6 November, searched by a word of a customer's name.
    let mut out = Vec::new();
    let dates = ListOrders {
        placed_from: Some(at(3)),
        placed_before: Some(at(6)),
        ..all()
    };
    assert_eq!(
        engine
            .export_orders(&dates, &mut out, ExportOptions::default())
            .await
            .unwrap()
            .rows,
        3
    );
    let mut out = Vec::new();
    let search = ListOrders {
        search: Some("Boss".into()),
        ..all()
    };
    engine
        .export_orders(&search, &mut out, ExportOptions::default())
        .await
        .unwrap();
    let rows = read(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][3], "Ann \"The Boss\" Lee");
}

#[tokio::test]
async fn orders_past_a_page_are_all_written_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    // More than a page (500), and orders placed at the same second.
    engine.store().seed_orders(1_203, 3).await.unwrap();
    sqlx::query("UPDATE orders SET placed_at = '2026-11-02T00:00:00Z' WHERE id % 3 = 0")
        .execute(engine.store().pool())
        .await
        .unwrap();
    let mut out = Vec::new();
    let summary = engine
        .export_orders(&all(), &mut out, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.rows, 1_203);
    let mut numbers: Vec<String> = read(&out)[1..].iter().map(|row| row[0].clone()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 1_203, "no order twice, none left out");
}

#[tokio::test]
async fn statement_totals_are_the_sum_of_its_invoices_to_the_cent() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, ids) = engine_with_orders(dir.path()).await;
    let invoice = |id: i64, status: &str, product: i64, shipping: i64, authorized: Option<&str>| {
        let pool = engine.store().pool().clone();
        let status = status.to_string();
        let authorized = authorized.map(str::to_string);
        async move {
            sqlx::query(
                "UPDATE orders SET supplier_invoice_id = 'INV-' || id, supplier_currency = 'USD',
                        supplier_product_cost_minor = ?1, supplier_shipping_cost_minor = ?2,
                        supplier_cost_minor = ?1 + ?2, payment_status = ?3,
                        authorized_at = ?4, updated_at = '2026-11-20T09:00:00Z',
                        payment_declined_at = CASE ?3 WHEN 'declined'
                                              THEN '2026-11-20T09:00:00Z' END
                 WHERE id = ?5",
            )
            .bind(product)
            .bind(shipping)
            .bind(status)
            .bind(authorized)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    invoice(
        ids[0],
        "authorized",
        1_001,
        799,
        Some("2026-11-03T10:00:00Z"),
    )
    .await;
    invoice(ids[1], "paid", 3_333, 1, Some("2026-11-30T23:59:59Z")).await;
    // Declined: its authorization undone, it falls in the month it was declined.
    invoice(ids[2], "declined", 7, 3, None).await;
    // Outside the month, and not authorized: neither is on the statement.
    invoice(ids[3], "paid", 100_000, 0, Some("2026-12-01T00:00:00Z")).await;
    invoice(ids[4], "not_authorized", 100_000, 0, None).await;

    let mut out = Vec::new();
    let summary = engine
        .export_statement(
            Period::month(2026, 11).unwrap(),
            &mut out,
            ExportOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(summary.rows, 3);
    let rows = read(&out);
    assert_eq!(
        rows.len(),
        6,
        "header, three invoices, the totals and the charged"
    );
    let cents = |text: &str| -> i64 {
        let (whole, fraction) = text.split_once('.').unwrap();
        whole.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
    };
    let invoices = &rows[1..4];
    // By date: 3 November, the decline of the 20th, the 30th.
    assert_eq!(
        invoices
            .iter()
            .map(|row| row[8].as_str())
            .collect::<Vec<_>>(),
        ["authorized", "declined", "paid"]
    );
    assert_eq!(invoices[0][1], format!("INV-{}", ids[0]));
    assert_eq!(invoices[0][6], "18.00");
    let totals = &rows[4];
    assert_eq!(totals[0], "Total");
    for column in [3, 4, 6] {
        let sum: i64 = invoices.iter().map(|row| cents(&row[column])).sum();
        assert_eq!(cents(&totals[column]), sum, "column {}", rows[0][column]);
    }
    assert_eq!(totals[6], "51.44");
    assert_eq!(rows[5][0], "Charged");
    assert_eq!(rows[5][6], "51.34", "the declined invoice is not charged");

    let bad = Period::month(2026, 13).unwrap_err();
    assert!(bad.to_string().contains("2026-13"), "{bad}");
}

#[tokio::test]
async fn shipments_of_a_period_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, ids) = engine_with_orders(dir.path()).await;
    let pool = engine.store().pool();
    let november = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let december = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    for (order, tracking, shipped, pushed) in [
        (
            ids[0],
            "1Z999AA10123456784",
            at(5),
            Some(at(5) + Duration::minutes(5)),
        ),
        (ids[1], "=cmd|' /C calc'!A0", at(6), None),
        (ids[2], "9400100000000000000000", december, None),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO shipments (order_id, tracking_number, carrier, shipped_at, pushed_at,
                                    created_at)
             VALUES (?, ?, 'UPS', ?, ?, ?) RETURNING id",
        )
        .bind(order)
        .bind(tracking)
        .bind(shipped)
        .bind(pushed)
        .bind(shipped)
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO shipment_lines (shipment_id, sku, quantity) VALUES (?, 'USD-1003', 2), (?, 'USD-1001', 1)")
            .bind(id)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    }
    let mut out = Vec::new();
    let summary = engine
        .export_shipments(
            Environment::Sandbox,
            november,
            december,
            &mut out,
            ExportOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(summary.rows, 2, "December's shipment is not in November");
    let mut live = Vec::new();
    let summary = engine
        .export_shipments(
            Environment::Live,
            november,
            december,
            &mut live,
            ExportOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(summary.rows, 0, "the Sandbox's shipments are not Live ones");
    let rows = read(&out);
    assert_eq!(
        rows[0],
        [
            "Order",
            "Tracking number",
            "Carrier",
            "Shipped at",
            "Pushed to store at",
            "Lines"
        ]
    );
    assert_eq!(rows[1][1], "1Z999AA10123456784");
    assert_eq!(rows[1][3], "2026-11-05T12:00:00Z");
    assert_eq!(rows[1][4], "2026-11-05T12:05:00Z");
    assert_eq!(rows[1][5], "1\u{d7} USD-1001; 2\u{d7} USD-1003");
    assert_eq!(rows[2][1], "'=cmd|' /C calc'!A0");
    assert_eq!(rows[2][4], "");
}
