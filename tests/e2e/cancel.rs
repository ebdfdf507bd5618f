//! Cancel order in the real window: a sandbox order sent to the sandbox US Direct is cancelled
//! from its page with a reason; the page shows it cancelled with the reason on the timeline,
//! and the sandbox store and US Direct each hold it cancelled, the store after one cancel write.

use std::time::Duration;

use dealer_e2e::{http_get_json, wait_until, Home};

#[tokio::test]
async fn cancel_an_order_from_its_page() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();

    let placed = home.cli_ok(&["sandbox", "place-order"]);
    assert!(placed.contains("placed sandbox order #1001"), "{placed}");
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=order-status]", "Awaiting authorization")
        .await
        .unwrap();
    app.click("[data-testid=order-row]").await.unwrap();
    app.wait_for("[data-testid=order-page]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Awaiting",
    )
    .await
    .unwrap();

    app.click("[data-testid=cancel-order]").await.unwrap();
    app.wait_for("[data-testid=cancel-order-dialog]")
        .await
        .unwrap();
    app.screenshot("cancel-dialog").await.unwrap();
    app.type_into(
        "[data-testid=cancel-order-reason]",
        "The customer asked to cancel",
    )
    .await
    .unwrap();
    app.click("[data-testid=cancel-order-dialog-confirm]")
        .await
        .unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Cancelled",
    )
    .await
    .unwrap();
    let page = app.text("[data-testid=order-page]").await.unwrap();
    assert!(
        page.contains("The customer asked to cancel"),
        "the reason is on the timeline: {page}"
    );
    assert!(
        app.all("[data-testid=cancel-order]")
            .await
            .unwrap()
            .is_empty(),
        "no Cancel order once cancelled"
    );
    // The outbox tells the store and US Direct; the page follows.
    app.wait_for_text("[data-testid=order-page]", "cancelled order #1001")
        .await
        .unwrap();
    app.screenshot("cancel-done").await.unwrap();

    let store = home.sandbox_admin_url("shopify");
    let supplier = home.sandbox_admin_url("supplier");
    let cancelled_everywhere = wait_until(Duration::from_secs(30), || {
        let orders = http_get_json(&format!("{store}/orders")).unwrap();
        let at_supplier = http_get_json(&format!("{supplier}/orders")).unwrap();
        orders[0]["cancelled_at"].is_string() && at_supplier[0]["status"] == "Canceled"
    });
    assert!(cancelled_everywhere, "the store and US Direct cancelled it");
    let orders = http_get_json(&format!("{store}/orders")).unwrap();
    assert!(
        orders[0]["cancel_note"]
            .as_str()
            .unwrap()
            .contains("The customer asked to cancel"),
        "{orders:#}"
    );
    let stats = http_get_json(&format!("{store}/stats")).unwrap();
    assert_eq!(stats["api_cancels"], 1, "one cancel write: {stats:#}");
    app.quit().await.unwrap();
}
