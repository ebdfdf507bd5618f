//! Authorize Order for Payment in the real window: a sandbox order imported by Order Sync is
//! sent to the sandbox US Direct, waits for authorization, and the dealer authorizes it from
//! the order page; the status and the timeline follow, and US Direct saw one authorization.

use dealer_e2e::Home;

#[tokio::test]
async fn authorize_an_order_from_its_page() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    // A new install opens on the onboarding guide; Orders is one click away.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();

    let placed = home.cli_ok(&["sandbox", "place-order"]);
    assert!(placed.contains("placed sandbox order #1001"), "{placed}");
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=order-number]", "#1001")
        .await
        .unwrap();
    // The outbox worker places it with US Direct; the list follows without a reload.
    app.wait_for_text("[data-testid=order-status]", "Awaiting authorization")
        .await
        .unwrap();
    app.screenshot("authorize-list").await.unwrap();

    app.click("[data-testid=order-row]").await.unwrap();
    app.wait_for("[data-testid=order-page]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Awaiting",
    )
    .await
    .unwrap();
    let before = app.all("[data-testid=timeline-row]").await.unwrap().len();
    app.screenshot("authorize-order-page").await.unwrap();

    app.click("[data-testid=authorize-order]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Processing",
    )
    .await
    .unwrap();
    let timeline = app.text("[data-testid=order-page]").await.unwrap();
    assert!(
        timeline.contains("Authorize Order for Payment"),
        "the dealer's authorization is on the timeline: {timeline}"
    );
    assert!(
        timeline.contains("US Direct authorized payment"),
        "US Direct's answer is on the timeline: {timeline}"
    );
    let after = app.all("[data-testid=timeline-row]").await.unwrap().len();
    assert_eq!(after, before + 2, "authorized, then processing");
    assert!(
        app.all("[data-testid=authorize-order]")
            .await
            .unwrap()
            .is_empty(),
        "no button once authorized"
    );
    app.screenshot("authorize-done").await.unwrap();
    app.quit().await.unwrap();

    let jobs: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["jobs", "list", "--json"])).unwrap();
    let authorizations: Vec<_> = jobs
        .iter()
        .filter(|job| job["kind"] == "authorize_payment")
        .collect();
    assert_eq!(authorizations.len(), 1, "{jobs:#?}");
    assert_eq!(authorizations[0]["state"], "succeeded");
}
