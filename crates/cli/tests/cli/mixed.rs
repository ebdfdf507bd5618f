//! A store that sells other brands too, through the real `dealer` binary against a separately
//! started `dealer sandbox serve`: gift wrap without a SKU, gift cards with no shipping
//! address, other suppliers' items. Every order is imported, none waits for the dealer, only
//! US Direct items reach US Direct, and an order not for US Direct is sent once its SKU is
//! mapped.

use crate::exactly_once::Serve;
use crate::{dealer, stdout_ok, PASSPHRASE};

fn orders(data: &std::path::Path, status: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&stdout_ok(dealer(
        data,
        Some(PASSPHRASE),
        &["orders", "list", "--json", "--status", status],
    )))
    .unwrap()
}

#[test]
fn a_mixed_store_imports_every_order_and_sends_only_us_direct_lines() {
    const ORDERS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
    let serve = Serve::start(&data);
    serve.store_admin_post(&format!("/orders/random?count={ORDERS}&seed=9&mixed=true"));
    serve.supplier_admin_put("/settings", serde_json::json!({ "shipDelayMs": 3_600_000 }));

    let synced = stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&synced).unwrap();
    let channel = &report["channels"][0];
    assert_eq!(channel["imported"], ORDERS, "{report:#}");
    assert_eq!(channel["quarantined"], 0, "{report:#}");

    assert!(orders(&data, "needs_attention").is_empty(), "nothing held");
    let elsewhere = orders(&data, "not_for_us_direct");
    assert!(!elsewhere.is_empty());
    let sent = orders(&data, "awaiting_authorization");
    assert_eq!(elsewhere.len() + sent.len(), ORDERS);

    // US Direct has the US Direct items only.
    let at_us_direct = serve.supplier_admin("/orders").to_string();
    for other in ["ACME-", "NORDIC-", "GIFTCARD-", "Gift wrap"] {
        assert!(!at_us_direct.contains(other), "{other} reached US Direct");
    }

    // The order page says where each line went.
    let id = elsewhere[0]["id"].to_string();
    let shown: serde_json::Value = serde_json::from_str(&stdout_ok(dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "show", &id, "--json"],
    )))
    .unwrap();
    let destinations: Vec<&str> = shown["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["destination"].as_str().unwrap())
        .collect();
    assert!(destinations.iter().all(|d| *d != "us_direct"), "{shown:#}");
    let text = stdout_ok(dealer(&data, Some(PASSPHRASE), &["orders", "show", &id]));
    assert!(text.contains("Not for US Direct"), "{text}");

    // Mapping one of its SKUs sends it (the sandbox US Direct carries USD-1001).
    let other_sku = shown["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["destination"] == "other_supplier")
        .map(|line| line["sku"].as_str().unwrap().to_string());
    if let Some(sku) = other_sku {
        let mapped = stdout_ok(dealer(
            &data,
            Some(PASSPHRASE),
            &["sku", "map", &sku, "USD-1001"],
        ));
        assert!(mapped.contains("routed again"), "{mapped}");
        let routed: serde_json::Value = serde_json::from_str(&stdout_ok(dealer(
            &data,
            Some(PASSPHRASE),
            &["orders", "show", &id, "--json"],
        )))
        .unwrap();
        assert_ne!(routed["status"], "not_for_us_direct", "{routed:#}");
    }
}

#[test]
fn an_item_out_of_stock_at_us_direct_holds_its_order_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
    let serve = Serve::start(&data);
    serve.supplier_admin_put(
        "/settings",
        serde_json::json!({ "shipDelayMs": 3_600_000, "stock": { "USD-1001": 0 } }),
    );
    // The test order sells USD-1001.
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["sandbox", "place-order"]));
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
    let held = orders(&data, "needs_attention");
    assert_eq!(held.len(), 1, "{held:#?}");
    let id = held[0]["id"].to_string();
    let shown = stdout_ok(dealer(&data, Some(PASSPHRASE), &["orders", "show", &id]));
    assert!(
        shown.contains("Out of stock at US Direct: USD-1001 (1 ordered, 0 in stock)"),
        "{shown}"
    );
    assert_eq!(
        serve.supplier_admin("/orders"),
        serde_json::json!([]),
        "nothing was sent"
    );
}
