//! Problems reach the dealer, in the real window: US Direct declines the payments of orders
//! authorized together; the sidebar and the tray count the orders that need the dealer (each
//! once), the count opens the list of those orders, and the declines are told in ONE desktop
//! notification on the session bus, not one per order.
//!
//! The tray is read through the `tray_status` command (what the tray was last set to show):
//! the test session runs no StatusNotifierItem host, so there is no tray on the bus to read.

use std::time::{Duration, Instant};

use dealer_e2e::{http_put_json, App, Home, NotificationWatch};

/// Places `count` sandbox orders, has US Direct decline every payment, imports them, and
/// authorizes them all at once from the Orders list.
async fn declined_together(home: &Home, app: &App, count: usize) {
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    let supplier = home.sandbox_admin_url("supplier");
    http_put_json(
        &format!("{supplier}/settings"),
        r#"{"declineReason": "Card declined by the bank"}"#,
    )
    .unwrap();
    for _ in 0..count {
        home.cli_ok(&["sandbox", "place-order"]);
    }
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.click("[data-testid=order-sync]").await.unwrap();
    // Each goes to US Direct and waits for authorization.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = app.all("[data-testid=order-status]").await.unwrap();
        let mut awaiting = 0;
        for row in &rows {
            if app
                .element_text(row)
                .await
                .unwrap()
                .contains("Awaiting authorization")
            {
                awaiting += 1;
            }
        }
        if awaiting == count {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{awaiting} of {count} orders awaiting"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.click("[data-testid=orders-select-loaded]")
        .await
        .unwrap();
    app.click("[data-testid=bulk-authorize]").await.unwrap();
    app.click("[data-testid=bulk-authorize-confirm]")
        .await
        .unwrap();
}

/// What the tray shows, as the shell last set it.
async fn tray_status(app: &App) -> serde_json::Value {
    app.client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('tray_status', {}).then(done, (e) => done({ error: e }));",
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_orders_that_need_the_dealer_are_counted_in_the_sidebar_and_tray_and_open_as_a_list() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=sidebar-needs-you-count]", "0")
        .await
        .unwrap();
    declined_together(&home, &app, 2).await;

    // Both declines need the dealer: the sidebar says so without a reload.
    app.wait_for_text("[data-testid=sidebar-needs-you-count]", "2")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let tray = loop {
        let tray = tray_status(&app).await;
        if tray["needs_attention_item"] == "Needs attention (2)" || Instant::now() > deadline {
            break tray;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        tray["needs_attention_item"], "Needs attention (2)",
        "{tray}"
    );
    assert_eq!(
        tray["tooltip"], "Dealer Portal — 2 orders need you",
        "{tray}"
    );
    app.screenshot("attention-count").await.unwrap();

    // From another page, the count opens the Orders list of just those orders.
    app.click("[data-testid=nav-settings]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Settings")
        .await
        .unwrap();
    app.click("[data-testid=sidebar-needs-you]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Orders")
        .await
        .unwrap();
    let chip = app
        .wait_for("[data-testid=flag-chip-needs_you][aria-pressed=true]")
        .await
        .unwrap();
    assert!(app.element_text(&chip).await.unwrap().contains('2'));
    app.wait_for_text("[data-testid=orders-total]", "2 orders")
        .await
        .unwrap();
    let statuses = app.all("[data-testid=order-status]").await.unwrap();
    assert_eq!(statuses.len(), 2);
    for status in &statuses {
        let text = app.element_text(status).await.unwrap();
        assert!(text.contains("Needs attention"), "{text}");
    }
    // The window paints a moment after its page changes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot("attention-list").await.unwrap();
    app.quit().await.unwrap();
}

#[tokio::test]
async fn problems_that_arrive_together_are_told_in_one_notification() {
    let home = Home::new();
    let notifications = NotificationWatch::start().unwrap();
    let app = home.launch().await.unwrap();
    declined_together(&home, &app, 3).await;
    app.wait_for_text("[data-testid=sidebar-needs-you-count]", "3")
        .await
        .unwrap();

    // Told once the declines have been quiet for two seconds.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !notifications.seen().contains("need you") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Anything more would have come by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let seen = notifications.seen();
    assert!(
        seen.contains("3 orders need you") && seen.contains("3 declined payments"),
        "notifications seen: {seen}"
    );
    assert_eq!(
        seen.matches("need you").count(),
        1,
        "one notification for the three: {seen}"
    );
    app.quit().await.unwrap();
}
