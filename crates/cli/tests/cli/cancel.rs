//! `dealer orders cancel` against the sandbox store and supplier served by a separate
//! `dealer sandbox serve`: the store and US Direct each cancel once, whatever the clicks and
//! lost answers, and an order that has shipped is refused with what to do instead.

use std::process::Child;

use crate::exactly_once::{integrity_ok, json, spawn_dealer, Serve};
use crate::{dealer, stdout_ok, PASSPHRASE};

fn get(url: &str) -> serde_json::Value {
    reqwest::blocking::get(url).unwrap().json().unwrap()
}

fn send(method: reqwest::Method, url: &str, body: serde_json::Value) {
    let response = reqwest::blocking::Client::new()
        .request(method, url)
        .json(&body)
        .send()
        .unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
}

/// An order placed in the store, imported, sent to US Direct and authorized (`processing`).
fn processing_order(data: &std::path::Path, serve: &Serve) -> String {
    serve.store_admin_post("/orders");
    stdout_ok(dealer(data, Some(PASSPHRASE), &["sync"]));
    let order = &json(data, &["orders", "list", "--json"])[0];
    let id = order["id"].to_string();
    stdout_ok(dealer(data, Some(PASSPHRASE), &["authorize", &id]));
    let shown = json(data, &["orders", "show", &id, "--json"]);
    assert_eq!(shown["status"], "processing", "{shown:#}");
    id
}

#[test]
fn cancel_from_the_cli_cancels_in_the_store_and_at_us_direct_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
    let serve = Serve::start(&data);
    let id = processing_order(&data, &serve);
    let store = serve.store_admin();
    // The store applies the first cancel and its answer is lost: the retry must look first.
    send(
        reqwest::Method::PUT,
        &format!("{store}/lose-answers"),
        serde_json::json!({ "count": 1 }),
    );

    // Three clicks at once.
    let reason = "the customer asked to cancel";
    let clicks: Vec<Child> = (0..3)
        .map(|_| spawn_dealer(&data, &["orders", "cancel", &id, "--reason", reason]))
        .collect();
    for mut click in clicks {
        assert!(click.wait().unwrap().success());
    }
    // Whatever a click left waiting (a retry's backoff) runs now.
    let again = json(
        &data,
        &["orders", "cancel", &id, "--reason", reason, "--json"],
    );
    assert_eq!(again["result"], "already_cancelled", "{again:#}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let shown = loop {
        stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
        let shown = json(&data, &["orders", "show", &id, "--json"]);
        let open = shown["jobs"].as_array().unwrap().iter().any(|job| {
            job["kind"].as_str().unwrap().starts_with("cancel_") && job["state"] != "succeeded"
        });
        if !open || std::time::Instant::now() > deadline {
            break shown;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    assert_eq!(shown["status"], "cancelled", "{shown:#}");
    let event = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["to"] == "cancelled")
        .unwrap();
    assert_eq!(event["actor"], "dealer", "{event:#}");
    assert!(
        event["detail"].as_str().unwrap().contains(reason),
        "{event:#}"
    );
    for job in shown["jobs"].as_array().unwrap() {
        if job["kind"].as_str().unwrap().starts_with("cancel_") {
            assert_eq!(job["state"], "succeeded", "{job:#}");
        }
    }

    // The store: cancelled, once, with the dealer's reason in the staff note.
    let orders = get(&format!("{store}/orders"));
    let order = &orders.as_array().unwrap()[0];
    assert!(order["cancelled_at"].is_string(), "{order:#}");
    assert!(
        order["cancel_note"].as_str().unwrap().contains(reason),
        "{order:#}"
    );
    let stats = get(&format!("{store}/stats"));
    assert_eq!(stats["api_cancels"], 1, "one cancel write: {stats:#}");
    // US Direct: cancelled.
    let supplier = get(&format!("{}/orders", serve.supplier_admin_url()));
    let supplier_order = &supplier.as_array().unwrap()[0];
    assert_eq!(supplier_order["status"], "Canceled", "{supplier_order:#}");
    integrity_ok(&data);
}

#[test]
fn cancel_after_shipping_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["status"]));
    let serve = Serve::start(&data);
    let id = processing_order(&data, &serve);
    let shown = json(&data, &["orders", "show", &id, "--json"]);
    let supplier_id = shown["supplier"]["order_id"].as_str().unwrap().to_string();
    send(
        reqwest::Method::POST,
        &format!("{}/orders/{supplier_id}/ship", serve.supplier_admin_url()),
        serde_json::json!({}),
    );
    stdout_ok(dealer(&data, Some(PASSPHRASE), &["sync"]));
    let shipped = json(&data, &["orders", "show", &id, "--json"]);
    assert_ne!(shipped["status"], "processing", "{shipped:#}");
    assert!(shipped["cancel_blocked"].is_string(), "{shipped:#}");

    let refused = dealer(
        &data,
        Some(PASSPHRASE),
        &["orders", "cancel", &id, "--reason", "changed their mind"],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("has shipped"), "{stderr}");
    assert!(stderr.contains("return"), "says what to do: {stderr}");
    let after = json(&data, &["orders", "show", &id, "--json"]);
    assert_eq!(after["status"], shipped["status"]);
    let stats = get(&format!("{}/stats", serve.store_admin()));
    assert_eq!(stats["api_cancels"], 0, "{stats:#}");
}
