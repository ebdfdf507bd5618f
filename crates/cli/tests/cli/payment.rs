//! An order the store is not paid for, from the command line: the sandbox places it unpaid,
//! `dealer sync` holds it, `dealer orders release` sends it on; another one waits until the
//! sandbox store reports it paid, and the next sync routes it by itself.

use crate::{dealer, stdout_ok, PASSPHRASE};

fn run(data: &std::path::Path, args: &[&str]) -> String {
    stdout_ok(dealer(data, Some(PASSPHRASE), args))
}

fn order(data: &std::path::Path, number: &str) -> serde_json::Value {
    let list: serde_json::Value =
        serde_json::from_str(&run(data, &["orders", "list", "--json"])).unwrap();
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == number)
        .unwrap_or_else(|| panic!("{number} in {list:#}"))["id"]
        .to_string();
    serde_json::from_str(&run(data, &["orders", "show", &id, "--json"])).unwrap()
}

#[test]
fn an_unpaid_order_waits_for_the_store_or_the_dealer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let released = run(&data, &["sandbox", "place-order", "--payment", "unpaid"]);
    assert!(released.contains("#1001 (id "), "{released}");
    let paid_later = run(&data, &["sandbox", "place-order", "--payment", "unpaid"]);
    let store_id = paid_later
        .split("(id ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap()
        .to_string();
    run(&data, &["sync"]);

    let held = order(&data, "#1001");
    assert_eq!(held["status"], "needs_attention", "{held:#}");
    assert_eq!(held["attention"]["kind"], "unpaid");
    assert_eq!(held["store_payment"]["state"], "unpaid");
    let shown = run(&data, &["orders", "show", &held["id"].to_string()]);
    assert!(
        shown.contains("store payment: not paid (PENDING)"),
        "{shown}"
    );

    let out = run(&data, &["orders", "release", &held["id"].to_string()]);
    assert!(out.contains("Order #1001 released: imported"), "{out}");
    let again = dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "release", &held["id"].to_string()],
    );
    assert!(!again.status.success());
    let error = String::from_utf8_lossy(&again.stderr);
    assert!(
        error.contains("is not held; there is nothing to release"),
        "{error}"
    );

    run(&data, &["sandbox", "set-payment", &store_id, "paid"]);
    run(&data, &["sync"]);
    for number in ["#1001", "#1002"] {
        let sent = order(&data, number);
        assert_eq!(sent["status"], "awaiting_authorization", "{sent:#}");
    }
}
