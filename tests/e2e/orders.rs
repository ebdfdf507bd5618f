//! The Orders page shows what the CLI seeded into the encrypted store; navigation works.

use dealer_e2e::Home;

#[tokio::test]
async fn orders_page_lists_the_seeded_orders_and_every_page_opens() {
    let home = Home::new();
    let seeded = home.cli_ok(&["dev", "seed", "--orders", "40"]);
    assert!(seeded.contains("seeded 40 orders"), "{seeded}");
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    assert_eq!(listed.len(), 40);
    let manifest = std::fs::read_to_string(home.data_dir().join("store.json")).unwrap();
    assert!(
        manifest.contains("\"keyring\""),
        "the key went to the Secret Service: {manifest}"
    );

    let app = home.launch().await.unwrap();
    assert_eq!(app.client().title().await.unwrap(), "Dealer Portal");
    // Until a live test order passed its checks, the window opens on the onboarding guide.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=order-row]").await.unwrap();
    app.wait_for_text("[data-testid=orders-total]", "40")
        .await
        .unwrap();
    app.screenshot("orders-virtual-list").await.unwrap();
    // The list is virtual: the rows in view (and a few beyond) are in the page, not all 40.
    let rows = app.all("[data-testid=order-row]").await.unwrap();
    assert!(
        (8..40).contains(&rows.len()),
        "{} rows rendered for 40 orders",
        rows.len()
    );

    // Newest first, the same order and values as the CLI reads from the store.
    let numbers = app.all("[data-testid=order-number]").await.unwrap();
    let customers = app.all("[data-testid=order-customer]").await.unwrap();
    for index in [0, 3, 7] {
        assert_eq!(
            app.element_text(&numbers[index]).await.unwrap(),
            listed[index]["number"].as_str().unwrap()
        );
        assert_eq!(
            app.element_text(&customers[index]).await.unwrap(),
            listed[index]["customer_name"].as_str().unwrap()
        );
    }
    let first_total = app.text("[data-testid=order-total]").await.unwrap();
    let minor = listed[0]["total_minor"].as_i64().unwrap();
    let expected = format!("${}.{:02}", minor / 100, minor % 100);
    let shown: String = first_total
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    assert_eq!(shown, expected, "total as shown: {first_total:?}");
    // Seeded orders go on to US Direct's checks as soon as the app runs: any of the first
    // statuses may show.
    let status = app.text("[data-testid=order-status]").await.unwrap();
    assert!(
        ["Imported", "Awaiting authorization", "Needs attention"].contains(&status.as_str()),
        "status {status:?}"
    );
    let badge = app.text("[data-testid=sandbox-badge]").await.unwrap();
    assert!(
        badge.to_lowercase().contains("sandbox"),
        "sandbox badge: {badge:?}"
    );
    app.screenshot("orders-page").await.unwrap();

    for (nav, title) in [
        ("nav-onboarding", "Onboarding"),
        ("nav-settings", "Settings"),
        ("nav-activity", "Activity"),
        ("nav-orders", "Orders"),
    ] {
        app.click(&format!("[data-testid={nav}]")).await.unwrap();
        app.wait_for_text("[data-testid=page-title]", title)
            .await
            .unwrap();
        app.screenshot(&format!("page-{}", title.to_lowercase()))
            .await
            .unwrap();
    }

    // The Activity page shows the store's events: each seeded order was recorded.
    app.click("[data-testid=nav-activity]").await.unwrap();
    app.wait_for("[data-testid=activity-row]").await.unwrap();
    let activity = app.all("[data-testid=activity-row]").await.unwrap();
    assert!(activity.len() >= 40, "{} activity rows", activity.len());

    // Order Sync runs, says what it did, and the run is in Activity.
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=sync-status]", "Order Sync: 0 new")
        .await
        .unwrap();
    // (Routing events of the seeded orders may still be arriving above it.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let mut found = false;
        for row in app.all("[data-testid=activity-row]").await.unwrap() {
            if row.text().await.unwrap_or_default().contains("Order Sync") {
                found = true;
                break;
            }
        }
        if found {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no Order Sync run in Activity"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.screenshot("order-sync").await.unwrap();

    // Pausing from Settings shows the chip and persists in the store.
    app.click("[data-testid=nav-settings]").await.unwrap();
    app.click("[data-testid=pause-sync]").await.unwrap();
    app.wait_for("[data-testid=sync-paused]").await.unwrap();
    app.quit().await.unwrap();
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=sync-paused]").await.unwrap();
    app.quit().await.unwrap();
}
