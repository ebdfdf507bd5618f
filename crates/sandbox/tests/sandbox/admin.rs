//! The `/_sandbox` admin API another process uses to drive a running store.

use dealer_sandbox::{PlaceOrder, SandboxOrder, Stats, StoreKind};
use serde_json::{json, Value};

use crate::support::{client, start};

#[tokio::test]
async fn place_edit_cancel_and_inspect_over_http() {
    let store = start(StoreKind::Bigcommerce).await;
    // `{base_url}/_sandbox` works for every kind, BigCommerce's path-prefixed one included.
    let admin = format!("{}/_sandbox", store.base_url());
    let http = client();

    let test_order: SandboxOrder = http
        .post(format!("{admin}/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(test_order.number, 1001);
    assert_eq!(test_order.lines, PlaceOrder::test_order().lines);

    let mut custom = PlaceOrder::test_order();
    custom.email = "custom@example.com".to_owned();
    let placed = http
        .post(format!("{admin}/orders"))
        .json(&custom)
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    let placed: SandboxOrder = placed.json().await.unwrap();
    assert_eq!(
        (placed.number, placed.email.as_str()),
        (1002, "custom@example.com")
    );

    let edited: SandboxOrder = http
        .post(format!("{admin}/orders/{}/edit", placed.id))
        .json(&json!({ "email": "edited@example.com" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(edited.email, "edited@example.com");
    assert!(edited.updated_at > placed.updated_at);

    let cancel = |id: u64| http.post(format!("{admin}/orders/{id}/cancel")).send();
    let cancelled: SandboxOrder = cancel(placed.id).await.unwrap().json().await.unwrap();
    assert!(cancelled.cancelled_at.is_some());
    assert_eq!(cancel(placed.id).await.unwrap().status(), 409);
    let unknown = cancel(999).await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.json::<Value>().await.unwrap()["code"],
        "order_not_found"
    );

    let malformed = http
        .post(format!("{admin}/orders/{}/malformed", test_order.id))
        .send()
        .await
        .unwrap();
    assert!(malformed.json::<SandboxOrder>().await.unwrap().malformed);

    let random = http
        .post(format!("{admin}/orders/random?count=25&seed=3"))
        .send()
        .await
        .unwrap();
    assert_eq!(random.json::<Value>().await.unwrap()["placed"], 25);
    let listed: Vec<SandboxOrder> = http
        .get(format!("{admin}/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 27);
    assert_eq!(listed, store.orders());

    let bad = http
        .post(format!("{admin}/orders"))
        .body("{\"email\": 3}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let stats: Stats = http
        .get(format!("{admin}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats, store.stats());
    assert_eq!(stats.api_requests, 0, "admin calls are not API requests");
}

#[tokio::test]
async fn faults_can_be_set_over_http() {
    let store = start(StoreKind::Woocommerce).await;
    let http = client();
    let faults_url = format!("{}/faults", store.admin_url());
    let put = http
        .put(&faults_url)
        .json(&json!({ "error_rate": 1.0, "retry_after_secs": 2, "seed": 9 }))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(store.faults().error_rate, 1.0);
    assert_eq!(store.faults().seed, 9);
    let current: Value = http
        .get(&faults_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["latency_ms"], 0);

    let api = crate::support::woo_get(&store, "/orders", &[]).await;
    assert!(api.status().is_server_error());
    assert_eq!(
        http.get(format!("{}/orders", store.admin_url()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
