//! Going live from the window: a rehearsal order is left waiting in the Sandbox, then the dealer
//! connects a store and the US Direct account from Settings. The "live" store and US Direct are
//! `dealer sandbox serve` in a process of their own, the supplier taking a token of its own.
//! The live US Direct sees the live order and never the sandbox one (which, authorized after
//! going live, still goes to the sandbox US Direct); the token is in the Secret Service and in
//! no file or log.

use std::time::Duration;

use dealer_e2e::{
    contains, files_under, http_get_json, http_post_json, keyring_supplier_token, Home,
    SandboxServe,
};

const LIVE_TOKEN: &str = "usd_live_e2e_5c1f9a";

/// The orders as the CLI lists them (JSON), for ids and environments.
fn orders(home: &Home) -> Vec<serde_json::Value> {
    serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap()
}

async fn wait_for_orders(home: &Home, what: &str, done: impl Fn(&[serde_json::Value]) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let now = orders(home);
        if done(&now) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {now:#?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn going_live_from_settings_never_sends_the_rehearsal_to_the_live_us_direct() {
    let home = Home::new();
    let live = SandboxServe::start_with(&["--supplier-token", LIVE_TOKEN]).unwrap();
    let app = home.launch().await.unwrap();

    // The rehearsal: a sandbox order routed and left awaiting authorization.
    let placed = home.cli_ok(&["sandbox", "place-order"]);
    assert!(placed.contains("placed sandbox order"), "{placed}");
    app.click("[data-testid=order-sync]").await.unwrap();
    wait_for_orders(&home, "the rehearsal awaits authorization", |orders| {
        orders.len() == 1 && orders[0]["status"] == "awaiting_authorization"
    })
    .await;
    let rehearsal = orders(&home)[0]["id"].as_i64().unwrap();

    // Connect the store from Settings.
    app.click("[data-testid=nav-settings]").await.unwrap();
    app.click("[data-testid=channel-add]").await.unwrap();
    app.click("[data-testid=channel-form] [data-testid=channel-kind] option[value=shopify]")
        .await
        .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-name]",
        "My shop",
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-url]",
        &live.url("shopify"),
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-token]",
        dealer_sandbox_shopify_token(),
    )
    .await
    .unwrap();
    app.click("[data-testid=channel-form] [data-testid=channel-save]")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=channels-section]", "My shop")
        .await
        .unwrap();

    // Connect US Direct from Settings, and test the connection.
    app.type_into("[data-testid=supplier-url]", &live.url("supplier"))
        .await
        .unwrap();
    app.type_into("[data-testid=supplier-token]", LIVE_TOKEN)
        .await
        .unwrap();
    app.click("[data-testid=supplier-save]").await.unwrap();
    app.wait_for("[data-testid=supplier-saved]").await.unwrap();
    app.click("[data-testid=supplier-test]").await.unwrap();
    // A check that passed: its time, and no error.
    app.wait_for("[data-testid=supplier-last-checked] time")
        .await
        .unwrap();
    assert!(app
        .all("[data-testid=supplier-last-error]")
        .await
        .unwrap()
        .is_empty());
    app.screenshot("going-live-settings").await.unwrap();

    // A live order, synced from the window.
    http_post_json(&format!("{}/orders", live.admin_url("shopify")), "").unwrap();
    app.click("[data-testid=order-sync]").await.unwrap();
    wait_for_orders(&home, "the live order awaits authorization", |orders| {
        orders
            .iter()
            .any(|o| o["environment"] == "live" && o["status"] == "awaiting_authorization")
    })
    .await;
    // The rehearsal, authorized now, goes to the sandbox US Direct.
    let authorized = home.cli_ok(&["authorize", &rehearsal.to_string()]);
    assert!(authorized.contains("sandbox US Direct"), "{authorized}");
    wait_for_orders(&home, "the rehearsal is processing", |orders| {
        orders
            .iter()
            .any(|o| o["id"] == rehearsal && o["status"] == "processing")
    })
    .await;
    // Both stay in the list, the rehearsal tagged Sandbox.
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=order-row] [data-testid=sandbox-tag]")
        .await
        .unwrap();
    assert_eq!(app.all("[data-testid=order-row]").await.unwrap().len(), 2);
    app.screenshot("going-live-orders").await.unwrap();
    // The app's own sandbox US Direct (it stops with the app) holds the rehearsal.
    let at_sandbox =
        http_get_json(&format!("{}/orders", home.sandbox_admin_url("supplier"))).unwrap();
    assert_eq!(at_sandbox.as_array().unwrap().len(), 1, "{at_sandbox:#?}");
    app.quit().await.unwrap();

    // The live US Direct holds the live order only, unpaid.
    let at_live = http_get_json(&format!("{}/orders", live.admin_url("supplier"))).unwrap();
    let at_live = at_live.as_array().unwrap();
    assert_eq!(at_live.len(), 1, "{at_live:#?}");
    let stats = http_get_json(&format!("{}/stats", live.admin_url("supplier"))).unwrap();
    assert_eq!(stats["authorizeRequests"], 0, "{stats:#?}");

    // The token: in the Secret Service, nowhere on disk (store, settings, logs, sandbox).
    assert_eq!(
        keyring_supplier_token(&home.data_dir()).unwrap(),
        LIVE_TOKEN
    );
    for (path, bytes) in files_under(home.root()) {
        assert!(
            !contains(&bytes, LIVE_TOKEN.as_bytes()),
            "the US Direct token is in {}",
            path.display()
        );
    }
}

/// The token the sandbox Shopify store accepts.
fn dealer_sandbox_shopify_token() -> &'static str {
    "shpat_sandbox"
}
