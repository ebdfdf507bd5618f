//! Order Sync in the real window imports an order placed in the Sandbox store, with its
//! progress shown while it runs.

use dealer_e2e::Home;

#[tokio::test]
async fn order_sync_imports_a_sandbox_order_with_visible_progress() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    // A new install opens on the onboarding guide; Orders is one click away.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();

    // A shopper places an order in the sandbox store (the app's own, driven from another
    // process), and the store is made slow so the progress can be seen.
    let placed = home.cli_ok(&["sandbox", "place-order"]);
    assert!(placed.contains("placed sandbox order #1001"), "{placed}");
    let admin = home.sandbox_admin_url("shopify");
    dealer_e2e::http_put_json(&format!("{admin}/faults"), r#"{"latency_ms": 1500}"#).unwrap();

    app.click("[data-testid=order-sync]").await.unwrap();
    let progress = app
        .wait_for_text("[data-testid=sync-progress]", "Sandbox Store")
        .await
        .unwrap();
    assert!(progress.contains("Syncing"), "{progress}");
    app.screenshot("import-progress").await.unwrap();

    app.wait_for_text("[data-testid=sync-status]", "1 new")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=order-number]", "#1001")
        .await
        .unwrap();
    let rows = app.all("[data-testid=order-row]").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        app.all("[data-testid=sync-progress]")
            .await
            .unwrap()
            .is_empty(),
        "progress gone"
    );
    app.screenshot("import-done").await.unwrap();

    // The same order again is not a second order.
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=sync-status]", "0 new")
        .await
        .unwrap();
    assert_eq!(app.all("[data-testid=order-row]").await.unwrap().len(), 1);
    app.quit().await.unwrap();

    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["number"], "#1001");
    assert_eq!(listed[0]["channel"], "Sandbox Store");
}
