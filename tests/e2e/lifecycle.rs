//! The whole lifecycle in the real window, in the default Sandbox: Place a test order → Order
//! Sync → the order appears → open it → Authorize → tracking arrives → Shipped → Completed →
//! the sandbox store holds one fulfillment with that tracking number → a desktop notification
//! went out on the session bus → the onboarding guide's Sandbox rehearsal shows three ticks
//! (selling still waits for a live test order). A screenshot of each step goes to
//! target/e2e/lifecycle-*.png.

use dealer_e2e::{http_get_json, http_put_json, Home, NotificationWatch};

#[tokio::test]
async fn test_order_from_placement_to_completed_with_notification_and_three_ticks() {
    let home = Home::new();
    let notifications = NotificationWatch::start().unwrap();
    let app = home.launch().await.unwrap();
    // A new install opens on the onboarding guide.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    // The sandbox US Direct ships 1.5 s after payment instead of 20 s.
    let supplier = home.sandbox_admin_url("supplier");
    http_put_json(&format!("{supplier}/settings"), r#"{"shipDelayMs": 1500}"#).unwrap();

    // 1. Rehearse: place a test order from the onboarding guide, then Order Sync.
    app.click("[data-testid=place-test-order]").await.unwrap();
    app.wait_for_text("[data-testid=place-test-order-result]", "#1001")
        .await
        .unwrap();
    app.screenshot("lifecycle-1-placed").await.unwrap();
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for(
        "[data-testid=sandbox-checks] [data-testid=onboarding-check][data-step=imported][data-done=true]",
    )
        .await
        .unwrap();

    // 2. The order appears, goes to US Direct, and waits for authorization.
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for_text("[data-testid=order-number]", "#1001")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=order-status]", "Awaiting authorization")
        .await
        .unwrap();
    app.screenshot("lifecycle-2-imported").await.unwrap();

    // 3. Open it and authorize.
    app.click("[data-testid=order-row]").await.unwrap();
    app.wait_for("[data-testid=order-page]").await.unwrap();
    app.click("[data-testid=authorize-order]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Processing",
    )
    .await
    .unwrap();
    app.screenshot("lifecycle-3-authorized").await.unwrap();

    // 4. US Direct ships; Order Sync reads the shipment and writes the tracking to the store.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Completed",
    )
    .await
    .unwrap();
    let shipment = app.text("[data-testid=shipment-row]").await.unwrap();
    assert!(shipment.contains("UPS"), "{shipment}");
    let timeline = app.text("[data-testid=order-page]").await.unwrap();
    assert!(timeline.contains("Shipped"), "{timeline}");
    app.screenshot("lifecycle-4-completed").await.unwrap();

    // 5. The rehearsal's checklist: three ticks. Selling waits for a live test order.
    app.click("[data-testid=nav-onboarding]").await.unwrap();
    app.wait_for("[data-testid=rehearsal-complete]")
        .await
        .unwrap();
    let done = app
        .all("[data-testid=sandbox-checks] [data-testid=onboarding-check][data-done=true]")
        .await
        .unwrap();
    assert_eq!(done.len(), 3, "three ticks");
    assert!(app
        .all("[data-testid=onboarding-complete]")
        .await
        .unwrap()
        .is_empty());
    app.screenshot("lifecycle-5-checklist").await.unwrap();

    // The sandbox store holds exactly one fulfillment, with the order's tracking number.
    let store = home.sandbox_admin_url("shopify");
    let orders = http_get_json(&format!("{store}/orders")).unwrap();
    let fulfillments = orders[0]["fulfillments"].as_array().unwrap().clone();
    assert_eq!(fulfillments.len(), 1, "{orders:#}");
    let number = fulfillments[0]["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(shipment.contains(&number), "{shipment} vs {number}");

    // A desktop notification went out on the session bus.
    let seen = notifications.seen();
    assert!(
        seen.contains("Order #1001 shipped") && seen.contains(&number),
        "notifications seen: {seen}"
    );
    app.quit().await.unwrap();

    let shown: serde_json::Value =
        serde_json::from_str(&home.cli_ok(&["orders", "show", "1", "--json"])).unwrap();
    assert_eq!(shown["status"], "completed");
    assert_eq!(shown["shipments"][0]["tracking_number"], number.as_str());
}
