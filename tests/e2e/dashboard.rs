//! The Dashboard in the real window, in the Sandbox: after an Order Sync imports two sandbox
//! orders it shows the Sandbox's own figures, labelled so, with every section; a period is
//! picked with the keyboard; a needs-you count opens the filtered Orders list. Screenshot:
//! target/e2e/dashboard.png (kept with the end-to-end artifacts).

use std::time::Duration;

use dealer_e2e::{App, Home};

/// Every section the Dashboard shows once it has figures.
const SECTIONS: [&str; 7] = [
    "dashboard-needs-you",
    "dashboard-kpis",
    "dashboard-orders-per-day",
    "dashboard-funnel",
    "dashboard-lead-times",
    "dashboard-money",
    "dashboard-auto-authorize",
];

/// What the Dashboard shows, read from the page as the dealer sees it.
#[derive(Debug)]
struct Figures {
    orders: String,
    revenue: String,
    needs_attention: String,
    late: String,
    stuck: String,
}

async fn figures(app: &App) -> Figures {
    let needs = |key: &'static str| {
        format!("[data-testid=dashboard-needs-{key}] [data-testid=dashboard-needs-count]")
    };
    Figures {
        orders: app.text("[data-testid=kpi-orders]").await.unwrap(),
        revenue: app.text("[data-testid=kpi-revenue]").await.unwrap(),
        needs_attention: app.text(&needs("needs_attention")).await.unwrap(),
        late: app.text(&needs("late")).await.unwrap(),
        stuck: app.text(&needs("stuck")).await.unwrap(),
    }
}

#[tokio::test]
async fn the_dashboard_shows_the_sandboxs_own_figures_and_opens_the_filtered_list() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();

    // Two shoppers order in the sandbox store; Order Sync imports both.
    for _ in 0..2 {
        let placed = home.cli_ok(&["sandbox", "place-order"]);
        assert!(placed.contains("placed sandbox order"), "{placed}");
    }
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=orders-total]", "2 orders")
        .await
        .unwrap();

    // In the Sandbox the Dashboard comes right after the guide.
    let nav: Vec<String> = {
        let mut ids = Vec::new();
        for button in app.all("nav[aria-label=Pages] button").await.unwrap() {
            ids.push(
                button
                    .attr("data-testid")
                    .await
                    .unwrap()
                    .unwrap_or_default(),
            );
        }
        ids
    };
    assert_eq!(
        nav,
        [
            "nav-onboarding",
            "nav-dashboard",
            "nav-orders",
            "nav-statement",
            "nav-settings",
            "nav-activity"
        ]
    );
    app.click("[data-testid=nav-dashboard]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Dashboard")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=dashboard-sandbox-note]", "Sandbox figures")
        .await
        .unwrap();
    for section in SECTIONS {
        app.wait_for(&format!("[data-testid={section}]"))
            .await
            .unwrap();
    }
    assert!(
        app.all("[data-testid=dashboard-error]")
            .await
            .unwrap()
            .is_empty(),
        "the engine answered"
    );

    // A period from the keyboard: the presets are one radio group.
    let last30 = app
        .wait_for("[data-testid=dashboard-period-last30]")
        .await
        .unwrap();
    assert_eq!(
        last30.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    last30.send_keys("\u{E012}").await.unwrap(); // ArrowLeft
    let last7 = app
        .wait_for("[data-testid=dashboard-period-last7]")
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while last7.prop("checked").await.unwrap().as_deref() != Some("true") {
        assert!(std::time::Instant::now() < deadline, "Last 7 days chosen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let shown = figures(&app).await;
    // Nothing declined, late or stuck: the two orders wait for authorization.
    assert_eq!(shown.needs_attention, "0", "{shown:?}");
    assert_eq!(shown.late, "0", "{shown:?}");
    assert_eq!(shown.stuck, "0", "{shown:?}");
    // The two orders placed today, and what their customers paid, as the CLI lists them.
    assert_eq!(shown.orders, "2", "{shown:?}");
    let listed: serde_json::Value =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    let paid: i64 = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|order| order["total_minor"].as_i64().unwrap())
        .sum();
    let revenue = format!("${}.{:02}", paid / 100, paid % 100);
    assert_eq!(
        shown.revenue.replace(',', ""),
        revenue,
        "{shown:?}, listed: {listed:#}"
    );
    // Each order waits for authorization once US Direct has taken it, in the background: the
    // Dashboard loads again when the engine says orders changed.
    app.wait_for_text(
        "[data-testid=funnel-awaiting_authorization] .funnel-count",
        "2",
    )
    .await
    .expect("both wait for authorization");

    // The window paints a moment after its page changes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot("dashboard").await.unwrap();

    // A needs-you count opens the Orders list with that filter, in the Sandbox.
    app.click("[data-testid=dashboard-needs-late]")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=page-title]", "Orders")
        .await
        .unwrap();
    app.wait_for("[data-testid=flag-chip-late][aria-pressed=true]")
        .await
        .unwrap();
    let environment = app
        .wait_for("[data-testid=orders-environment-filter]")
        .await
        .unwrap();
    assert_eq!(
        environment.prop("value").await.unwrap().as_deref(),
        Some("sandbox")
    );
    app.quit().await.unwrap();
}
