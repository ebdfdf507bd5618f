//! The onboarding journey from the command line, in a fresh data dir's default Sandbox (no
//! `sandbox serve`: each command starts the sandbox store and supplier from the data dir's
//! saved state): place the test order, sync, authorize, then sync until the order is
//! completed, with its shipment and tracking number in the order and in the store.

use std::time::{Duration, Instant};

use crate::{dealer, stdout_ok, PASSPHRASE};

fn json(data: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_ok(dealer(data, Some(PASSPHRASE), args))).unwrap()
}

#[test]
fn place_sync_authorize_then_sync_until_completed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let placed = stdout_ok(dealer(&data, Some(PASSPHRASE), &["sandbox", "place-order"]));
    assert!(placed.contains("#1001"), "{placed}");
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
    let order = &json(&data, &["orders", "list", "--json"])[0];
    assert_eq!(order["status"], "awaiting_authorization", "{order:#}");
    let id = order["id"].to_string();
    let authorized = stdout_ok(dealer(&data, Some(PASSPHRASE), &["authorize", &id]));
    assert!(authorized.contains("now processing"), "{authorized}");

    // The sandbox US Direct ships about 20 s after payment.
    let started = Instant::now();
    let shown = loop {
        stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
        let shown = json(&data, &["orders", "show", &id, "--json"]);
        if shown["status"] == "completed" || started.elapsed() > Duration::from_secs(120) {
            break shown;
        }
        std::thread::sleep(Duration::from_secs(3));
    };
    assert_eq!(shown["status"], "completed", "{shown:#}");
    let shipments = shown["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 1, "{shown:#}");
    let number = shipments[0]["tracking_number"].as_str().unwrap();
    assert!(number.starts_with("1Z"), "{number}");
    assert!(
        shipments[0]["pushed_at"].is_string(),
        "confirmed by the store"
    );
    let check = json(&data, &["tracking", "check", number, "--json"]);
    assert_eq!(check["valid"], true, "{check:#}");
    assert_eq!(check["carrier"], "ups");

    // The sandbox store holds the one fulfillment, with that tracking number.
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("sandbox").join("shopify.json")).unwrap(),
    )
    .unwrap();
    let order = &state["orders"][0];
    let fulfillments = order["fulfillments"].as_array().unwrap();
    assert_eq!(fulfillments.len(), 1, "{order:#}");
    assert_eq!(fulfillments[0]["tracking_number"], number);
    let steps: Vec<&str> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    for status in [
        "awaiting_authorization",
        "authorized",
        "processing",
        "shipped",
        "completed",
    ] {
        assert!(steps.contains(&status), "{status} missing from {steps:?}");
    }
}
