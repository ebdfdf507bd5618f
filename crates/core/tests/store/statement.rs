//! US Direct's statement for a month: the typed statement the window shows and its CSV, on a
//! fixture month of authorized, paid and declined invoices in two currencies, with a surcharge
//! and a credit, against figures computed by hand.

use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::export::{ExportOptions, Period};
use dealer_core::statement::{AdjustmentKind, StatementSums, STATEMENT_CAP};
use dealer_core::supplier::PaymentStatus;
use dealer_core::Engine;

use crate::{open_with_passphrase, PASSPHRASE};

/// One invoice of the fixture: the order's supplier columns and payment dates.
struct Fixture {
    status: &'static str,
    currency: &'static str,
    items: i64,
    shipping: i64,
    /// US Direct's total: beside items plus shipping, a surcharge or a credit.
    charged: i64,
    authorized_at: Option<&'static str>,
    paid_at: Option<&'static str>,
    declined_at: Option<&'static str>,
}

const FIXTURES: [Fixture; 7] = [
    // 0: authorized in November.
    Fixture {
        status: "authorized",
        currency: "USD",
        items: 1_001,
        shipping: 799,
        charged: 1_800,
        authorized_at: Some("2026-11-03T10:00:00Z"),
        paid_at: None,
        declined_at: None,
    },
    // 1: authorized on November's last second, paid in December, with a 2.50 surcharge: on
    // November's statement, dated by its authorization.
    Fixture {
        status: "paid",
        currency: "USD",
        items: 3_333,
        shipping: 1,
        charged: 3_584,
        authorized_at: Some("2026-11-30T23:59:59Z"),
        paid_at: Some("2026-12-02T09:00:00Z"),
        declined_at: None,
    },
    // 2: declined in November (its authorization cleared), changed again in December.
    Fixture {
        status: "declined",
        currency: "USD",
        items: 700,
        shipping: 300,
        charged: 1_000,
        authorized_at: None,
        paid_at: None,
        declined_at: Some("2026-11-15T08:00:00Z"),
    },
    // 3: Canadian dollars, authorized, a 1.25 credit.
    Fixture {
        status: "authorized",
        currency: "CAD",
        items: 5_000,
        shipping: 1_500,
        charged: 6_375,
        authorized_at: Some("2026-11-10T00:00:00Z"),
        paid_at: None,
        declined_at: None,
    },
    // 4: December's.
    Fixture {
        status: "paid",
        currency: "USD",
        items: 100_000,
        shipping: 0,
        charged: 100_000,
        authorized_at: Some("2026-12-01T00:00:00Z"),
        paid_at: Some("2026-12-01T05:00:00Z"),
        declined_at: None,
    },
    // 5: declined on 31 October (changed in November since): October's.
    Fixture {
        status: "declined",
        currency: "USD",
        items: 100_000,
        shipping: 0,
        charged: 100_000,
        authorized_at: None,
        paid_at: None,
        declined_at: Some("2026-10-31T23:00:00Z"),
    },
    // 6: never authorized: on no statement.
    Fixture {
        status: "not_authorized",
        currency: "USD",
        items: 100_000,
        shipping: 0,
        charged: 100_000,
        authorized_at: None,
        paid_at: None,
        declined_at: None,
    },
];

async fn engine_with_invoices(dir: &std::path::Path) -> (Engine, Vec<i64>) {
    let engine = open_with_passphrase(dir, PASSPHRASE).await.unwrap();
    engine.store().seed_orders(FIXTURES.len(), 3).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders ORDER BY id")
        .fetch_all(engine.store().pool())
        .await
        .unwrap();
    for (id, fixture) in ids.iter().zip(&FIXTURES) {
        // Every order last changed in November or later: the old dating by the last change
        // would put the October decline in November and November's in December.
        let updated_at = if fixture.status == "declined" && fixture.declined_at < Some("2026-11") {
            "2026-11-20T09:00:00Z"
        } else {
            "2026-12-05T09:00:00Z"
        };
        sqlx::query(
            "UPDATE orders SET supplier_invoice_id = 'INV-' || id, supplier_currency = ?,
                    supplier_product_cost_minor = ?, supplier_shipping_cost_minor = ?,
                    supplier_cost_minor = ?, payment_status = ?, authorized_at = ?,
                    paid_at = ?, payment_declined_at = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(fixture.currency)
        .bind(fixture.items)
        .bind(fixture.shipping)
        .bind(fixture.charged)
        .bind(fixture.status)
        .bind(fixture.authorized_at)
        .bind(fixture.paid_at)
        .bind(fixture.declined_at)
        .bind(updated_at)
        .bind(id)
        .execute(engine.store().pool())
        .await
        .unwrap();
    }
    (engine, ids)
}

fn sums(invoices: u32, items: i64, shipping: i64, adjustments: i64, total: i64) -> StatementSums {
    StatementSums {
        invoices,
        items_minor: items,
        shipping_minor: shipping,
        adjustments_minor: adjustments,
        total_minor: total,
    }
}

fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn a_month_lists_its_invoices_by_their_own_dates_with_totals_to_the_cent() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, ids) = engine_with_invoices(dir.path()).await;
    let statement = engine
        .statement(Period::month(2026, 11).unwrap())
        .await
        .unwrap();

    // By date: 3 Nov, 10 Nov (CAD), the decline of 15 Nov, 30 Nov.
    let order_ids: Vec<i64> = statement.invoices.iter().map(|i| i.order_id).collect();
    assert_eq!(order_ids, [ids[0], ids[3], ids[2], ids[1]]);
    assert_eq!(statement.invoice_count, 4);
    let statuses: Vec<PaymentStatus> = statement.invoices.iter().map(|i| i.status).collect();
    assert_eq!(
        statuses,
        [
            PaymentStatus::Authorized,
            PaymentStatus::Authorized,
            PaymentStatus::Declined,
            PaymentStatus::Paid
        ]
    );
    let declined = &statement.invoices[2];
    assert_eq!(declined.dated_at.to_rfc3339(), "2026-11-15T08:00:00+00:00");
    assert_eq!(declined.declined_at, Some(declined.dated_at));
    let paid = &statement.invoices[3];
    assert_eq!(paid.invoice_id, format!("INV-{}", ids[1]));
    assert_eq!(paid.total_minor, 3_334, "items and shipping");
    assert_eq!(paid.adjustments.len(), 1);
    assert_eq!(paid.adjustments[0].kind, AdjustmentKind::ShippingSurcharge);
    assert_eq!(paid.adjustments[0].description, "Shipping surcharge");
    assert_eq!(paid.adjustments[0].amount_minor, 250);
    assert_eq!(paid.amount_minor().unwrap(), 3_584);
    assert!(paid.paid_at.is_some());
    let canadian = &statement.invoices[1];
    assert_eq!(canadian.currency, "CAD");
    assert_eq!(canadian.adjustments[0].kind, AdjustmentKind::ShippingCredit);
    assert_eq!(canadian.adjustments[0].description, "Shipping credit");
    assert_eq!(canadian.adjustments[0].amount_minor, -125);
    assert!(statement.invoices[0].adjustments.is_empty());

    // Figures by hand. USD: items 10.01 + 33.33 + 7.00, shipping 7.99 + 0.01 + 3.00, the
    // 2.50 surcharge; charged leaves the decline out. CAD: 50.00 + 15.00 less the 1.25 credit.
    let [cad, usd] = &statement.totals[..] else {
        panic!("two currencies: {:?}", statement.totals)
    };
    assert_eq!(cad.currency, "CAD");
    assert_eq!(cad.all, sums(1, 5_000, 1_500, -125, 6_375));
    assert_eq!(cad.charged, cad.all);
    assert_eq!(usd.currency, "USD");
    assert_eq!(usd.all, sums(3, 5_034, 1_100, 250, 6_384));
    assert_eq!(usd.charged, sums(2, 4_334, 800, 250, 5_384));
    // And the totals are the sum of the lines.
    for totals in &statement.totals {
        let lines: i64 = statement
            .invoices
            .iter()
            .filter(|invoice| invoice.currency == totals.currency)
            .map(|invoice| invoice.amount_minor().unwrap())
            .sum();
        assert_eq!(totals.all.total_minor, lines, "{}", totals.currency);
    }

    // Nothing in a month without invoices.
    let empty = engine
        .statement(Period::month(2026, 9).unwrap())
        .await
        .unwrap();
    assert!(empty.invoices.is_empty() && empty.totals.is_empty());
    assert_eq!(empty.invoice_count, 0);
}

#[tokio::test]
async fn the_csv_holds_the_typed_rows_their_adjustment_lines_and_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _) = engine_with_invoices(dir.path()).await;
    let period = Period::month(2026, 11).unwrap();
    let statement = engine.statement(period).await.unwrap();
    let mut out = Vec::new();
    let summary = engine
        .export_statement(period, &mut out, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.rows, 4, "invoices, their adjustment lines aside");
    let rows = read(&out);
    let header = &rows[0];
    assert_eq!(
        header[..7],
        [
            "Order",
            "Invoice",
            "Line",
            "Items cost",
            "Shipping",
            "Adjustment",
            "Total"
        ]
    );

    // Each typed invoice, then a row per adjustment under it.
    let mut expected: Vec<Vec<String>> = Vec::new();
    let money = |minor: i64| dealer_core::export::amount(minor, "USD");
    for invoice in &statement.invoices {
        expected.push(vec![
            invoice.order_number.clone(),
            invoice.invoice_id.clone(),
            "Invoice".into(),
            money(invoice.items_minor),
            money(invoice.shipping_minor),
            String::new(),
            money(invoice.total_minor),
            invoice.currency.clone(),
        ]);
        for line in &invoice.adjustments {
            expected.push(vec![
                invoice.order_number.clone(),
                invoice.invoice_id.clone(),
                line.description.clone(),
                String::new(),
                String::new(),
                money(line.amount_minor),
                money(line.amount_minor),
                invoice.currency.clone(),
            ]);
        }
    }
    let lines: Vec<Vec<String>> = rows[1..7].iter().map(|row| row[..8].to_vec()).collect();
    assert_eq!(lines, expected);
    assert_eq!(lines[2][2], "Shipping credit", "under the CAD invoice");
    assert_eq!(lines[5][2], "Shipping surcharge", "under the paid invoice");
    assert_eq!(rows[4][9], "2026-11-15T08:00:00Z", "the decline's own date");

    // Totals per currency: every invoice, then what hit the card; each column the sum of its
    // rows.
    let totals: Vec<&[String]> = rows[7..].iter().map(|row| &row[..8]).collect();
    assert_eq!(
        totals,
        [
            ["Total", "", "", "50.00", "15.00", "-1.25", "63.75", "CAD"],
            ["Charged", "", "", "50.00", "15.00", "-1.25", "63.75", "CAD"],
            ["Total", "", "", "50.34", "11.00", "2.50", "63.84", "USD"],
            ["Charged", "", "", "43.34", "8.00", "2.50", "53.84", "USD"],
        ]
    );
    let cents = |text: &str| -> i64 {
        if text.is_empty() {
            return 0;
        }
        let (whole, fraction) = text.split_once('.').unwrap();
        let sign = if whole.starts_with('-') { -1 } else { 1 };
        whole.parse::<i64>().unwrap() * 100 + sign * fraction.parse::<i64>().unwrap()
    };
    for column in 3..=6 {
        let usd: i64 = rows[1..7]
            .iter()
            .filter(|row| row[7] == "USD")
            .map(|row| cents(&row[column]))
            .sum();
        assert_eq!(cents(&rows[9][column]), usd, "{}", header[column]);
    }
    assert_eq!(rows.len(), 11);
}

#[tokio::test]
async fn a_month_past_the_cap_lists_the_first_invoices_and_totals_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let count = STATEMENT_CAP + 3;
    engine.store().seed_orders(count, 3).await.unwrap();
    // All at the same second: the pages (500) go by order id within it.
    sqlx::query(
        "UPDATE orders SET supplier_invoice_id = 'INV-' || id, supplier_currency = 'USD',
                supplier_product_cost_minor = 100, supplier_shipping_cost_minor = 1,
                supplier_cost_minor = 101, payment_status = 'authorized',
                authorized_at = '2026-11-02T00:00:00Z'",
    )
    .execute(engine.store().pool())
    .await
    .unwrap();
    let period = Period::month(2026, 11).unwrap();
    let statement = engine.statement(period).await.unwrap();
    assert_eq!(statement.invoices.len(), STATEMENT_CAP);
    assert_eq!(statement.invoice_count as usize, count);
    assert_eq!(statement.cap as usize, STATEMENT_CAP);
    let mut ids: Vec<i64> = statement.invoices.iter().map(|i| i.order_id).collect();
    ids.dedup();
    assert_eq!(ids.len(), STATEMENT_CAP, "no invoice twice");
    let usd = &statement.totals[0];
    assert_eq!(
        usd.all.invoices as usize, count,
        "the totals cover them all"
    );
    assert_eq!(usd.all.total_minor, 101 * count as i64);

    let mut out = Vec::new();
    let summary = engine
        .export_statement(period, &mut out, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.rows as usize, count, "the CSV has every invoice");
}

#[tokio::test]
async fn once_a_real_store_is_connected_the_statement_is_the_live_accounts_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _) = engine_with_invoices(dir.path()).await;
    let pool = engine.store().pool();
    let period = Period::month(2026, 11).unwrap();
    assert_eq!(
        engine.statement(period).await.unwrap().environment,
        dealer_core::domain::Environment::Sandbox,
        "a rehearsal's statement before"
    );
    // A real store now, and one live order invoiced by the dealer's own US Direct account: the
    // sandbox invoices of the rehearsal charged no card.
    let live = engine
        .store()
        .ensure_channel(
            "Main store",
            ChannelKind::Shopify,
            "https://main.example",
            false,
        )
        .await
        .unwrap();
    let orders = dealer_core::seed::synthetic_orders(1, 9001, 7).unwrap();
    let live_id = engine
        .store()
        .insert_orders(live.id, &orders, Actor::System, "test")
        .await
        .unwrap()[0];
    sqlx::query(
        "UPDATE orders SET supplier_invoice_id = 'INV-LIVE', supplier_currency = 'USD',
                supplier_product_cost_minor = 3333, supplier_shipping_cost_minor = 1,
                supplier_cost_minor = 3584, payment_status = 'paid',
                authorized_at = '2026-11-30T23:59:59Z'
         WHERE id = ?",
    )
    .bind(live_id)
    .execute(pool)
    .await
    .unwrap();
    let statement = engine.statement(period).await.unwrap();
    assert_eq!(
        statement.environment,
        dealer_core::domain::Environment::Live
    );
    let listed: Vec<i64> = statement.invoices.iter().map(|i| i.order_id).collect();
    assert_eq!(listed, [live_id]);
    assert_eq!(statement.totals.len(), 1);
    assert_eq!(statement.totals[0].charged.total_minor, 3_584);
    let mut out = Vec::new();
    let summary = engine
        .export_statement(period, &mut out, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.rows, 1, "the CSV lists what the window does");
}
