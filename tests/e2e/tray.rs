//! The app beside the tray: started at login (`--hidden`) it shows no window yet the tray is up
//! and shipments are still told; "Start Dealer Portal when I log in" writes and removes the login
//! entry; closing the window keeps the app running in the tray and says so once; the window
//! comes back at its size and position, and on the page last opened once onboarding is complete.
//!
//! The tray is read through the `tray_status` command (the test session has no tray host), the
//! window through the X server (xdotool), the notifications on the session bus (dbus-monitor).

use std::time::{Duration, Instant};

use dealer_e2e::{
    app_binary, cli_binary, close_window, http_post_json, http_put_json, move_resize_window,
    wait_until, window_geometry, window_ids, App, Home, NotificationWatch, SandboxServe,
};

const TITLE: &str = "^Dealer Portal$";

/// The app's window, once it shows.
fn shown_window() -> String {
    let mut ids = Vec::new();
    assert!(
        wait_until(Duration::from_secs(20), || {
            ids = window_ids(TITLE, true);
            ids.len() == 1
        }),
        "one Dealer Portal window shows: {ids:?}"
    );
    ids.remove(0)
}

/// The orders as the CLI lists them (JSON).
fn orders(home: &Home) -> Vec<serde_json::Value> {
    serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap()
}

async fn wait_for_status(home: &Home, status: &str) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = orders(home);
        if let Some(order) = now.iter().find(|order| order["status"] == status) {
            return order["id"].as_i64().unwrap();
        }
        assert!(Instant::now() < deadline, "no order {status}: {now:#?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Waits for the webview to answer commands (its page has loaded).
async fn tray_up(app: &App) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(tray) = app.invoke("tray_status", serde_json::json!({})).await {
            if tray["tooltip"].as_str().is_some_and(|t| !t.is_empty()) {
                return tray;
            }
        }
        assert!(Instant::now() < deadline, "the tray never came up");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn started_hidden_only_the_tray_shows_and_a_shipment_is_still_told() {
    let home = Home::new();
    let notifications = NotificationWatch::start().unwrap();
    let app = home.launch_with(&[], &["--hidden"]).await.unwrap();

    // The window's page answers (it is loaded, never shown) and the tray is up.
    let tray = tray_up(&app).await;
    assert_eq!(tray["tooltip"], "Dealer Portal", "{tray}");
    // A window would have shown by now: it stays hidden all along.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        window_ids(TITLE, true).is_empty(),
        "started with --hidden, no window shows"
    );

    // A sandbox order is imported, authorized and shipped, all without the window.
    let supplier = home.sandbox_admin_url("supplier");
    http_put_json(&format!("{supplier}/settings"), r#"{"shipDelayMs": 1000}"#).unwrap();
    home.cli_ok(&["sandbox", "place-order"]);
    app.invoke("order_sync", serde_json::json!({}))
        .await
        .unwrap();
    let id = wait_for_status(&home, "awaiting_authorization").await;
    app.invoke("authorize_orders", serde_json::json!({ "ids": [id] }))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !notifications.seen().contains("shipped") {
        assert!(
            Instant::now() < deadline,
            "no shipment notification: {}",
            notifications.seen()
        );
        app.invoke("order_sync", serde_json::json!({}))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(
        notifications.seen().contains("Order #1001 shipped"),
        "{}",
        notifications.seen()
    );
    assert!(window_ids(TITLE, true).is_empty(), "still no window");
    app.quit().await.unwrap();
}

#[tokio::test]
async fn the_login_setting_writes_and_removes_an_entry_that_starts_in_the_tray() {
    let home = Home::new();
    let autostart = home.root().join("home/.config/autostart");
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    app.click("[data-testid=nav-settings]").await.unwrap();
    let toggle = "[data-testid=autostart-toggle]:not([disabled])";
    app.wait_for(toggle).await.unwrap();
    assert!(!autostart.exists() || std::fs::read_dir(&autostart).unwrap().count() == 0);

    app.click(toggle).await.unwrap();
    app.wait_for("[data-testid=autostart-toggle]:checked:not([disabled])")
        .await
        .unwrap();
    let entries: Vec<_> = std::fs::read_dir(&autostart)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].to_string_lossy().ends_with(".desktop"));
    let entry = std::fs::read_to_string(&entries[0]).unwrap();
    let exec = entry
        .lines()
        .find_map(|line| line.strip_prefix("Exec="))
        .unwrap_or_default();
    assert_eq!(
        exec.trim(),
        format!("{} --hidden", app_binary().display()),
        "{entry}"
    );
    assert!(entry.contains("Name=Dealer Portal"), "{entry}");
    app.screenshot("tray-autostart-on").await.unwrap();

    app.click(toggle).await.unwrap();
    app.wait_for("[data-testid=autostart-toggle]:not(:checked):not([disabled])")
        .await
        .unwrap();
    assert!(!entries[0].exists(), "the entry is removed");
    app.quit().await.unwrap();
}

#[tokio::test]
async fn closing_the_window_keeps_the_app_in_the_tray_and_says_so_once() {
    let home = Home::new();
    let notifications = NotificationWatch::start().unwrap();
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    let told = |seen: &str| seen.matches("still running in the tray").count();

    close_window(&shown_window()).unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || window_ids(TITLE, true)
            .is_empty()),
        "the window hides"
    );
    // The app is alive: the tray answers and the store is open.
    let tray = tray_up(&app).await;
    assert_eq!(tray["tooltip"], "Dealer Portal", "{tray}");
    assert!(wait_until(Duration::from_secs(10), || told(
        &notifications.seen()
    ) == 1));

    // Shown again (a second launch, as the menu entry does) and closed again: not said again.
    let mut second = std::process::Command::new(app_binary())
        .envs(home.env().iter().map(|(k, v)| (k, v)))
        .spawn()
        .unwrap();
    assert!(wait_until(Duration::from_secs(20), || second
        .try_wait()
        .unwrap()
        .is_some()));
    close_window(&shown_window()).unwrap();
    assert!(wait_until(Duration::from_secs(10), || window_ids(
        TITLE, true
    )
    .is_empty()));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = notifications.seen();
    assert_eq!(told(&seen), 1, "said once: {seen}");
    assert!(seen.contains("Quit"), "{seen}");
    drop(app);

    // Nor after a restart: the store remembers it was said.
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    close_window(&shown_window()).unwrap();
    tray_up(&app).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(told(&notifications.seen()), 1, "{}", notifications.seen());
    app.quit().await.unwrap();
}

/// Quits from the window (Ctrl+Q's command) and waits for the window to go with the app.
async fn quit_from_window(app: App) {
    // The app exits while answering, so the answer may never come.
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        app.invoke("quit", serde_json::json!({})),
    )
    .await;
    assert!(
        wait_until(Duration::from_secs(15), || window_ids(TITLE, false)
            .is_empty()),
        "the app quits"
    );
    drop(app);
}

#[tokio::test]
async fn the_window_comes_back_at_its_size_and_position() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    let window = shown_window();
    let before = window_geometry(&window).unwrap();
    assert_eq!((before.2, before.3), (1200, 780), "the first start's size");
    move_resize_window(&window, 140, 90, 1010, 690).unwrap();
    assert!(wait_until(Duration::from_secs(10), || {
        window_geometry(&window).is_ok_and(|now| now == (140, 90, 1010, 690))
    }));
    quit_from_window(app).await;

    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    let window = shown_window();
    let after = window_geometry(&window).unwrap();
    assert_eq!(after, (140, 90, 1010, 690), "size and position remembered");

    // Closed to the tray, then ended without a quit (the session logs out, the process is
    // killed): what the window had when it was closed was saved then.
    move_resize_window(&window, 60, 40, 940, 620).unwrap();
    assert!(wait_until(Duration::from_secs(10), || {
        window_geometry(&window).is_ok_and(|now| now == (60, 40, 940, 620))
    }));
    close_window(&window).unwrap();
    assert!(wait_until(Duration::from_secs(10), || window_ids(
        TITLE, true
    )
    .is_empty()));
    // Dropping the app ends its process group with SIGTERM, which the app does not catch.
    drop(app);
    let app = home.launch().await.unwrap();
    app.wait_for("[data-testid=page-title]").await.unwrap();
    assert_eq!(
        window_geometry(&shown_window()).unwrap(),
        (60, 40, 940, 620)
    );
    app.quit().await.unwrap();
}

/// A store whose live test order passed its three checks, made with the CLI before the app
/// starts: a store and US Direct connected (`dealer sandbox serve` standing in for both), a live
/// order imported, authorized, shipped and its tracking sent back to the store.
fn onboarded(home: &Home, live: &SandboxServe) {
    const TOKEN: &str = "usd_live_e2e_tray";
    let cli = |args: &[&str], env: &[(&str, &str)]| {
        let out = std::process::Command::new(cli_binary())
            .args(args)
            .envs(home.env().iter().map(|(k, v)| (k, v)))
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "dealer {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let shop = live.url("shopify");
    cli(
        &[
            "channel", "add", "shopify", "--name", "My shop", "--url", &shop,
        ],
        &[("DEALER_CHANNEL_TOKEN", "shpat_sandbox")],
    );
    let supplier = live.url("supplier");
    cli(
        &["supplier", "connect", "--url", &supplier],
        &[("DEALER_SUPPLIER_TOKEN", TOKEN)],
    );
    http_put_json(
        &format!("{}/settings", live.admin_url("supplier")),
        r#"{"shipDelayMs": 300}"#,
    )
    .unwrap();
    http_post_json(&format!("{}/orders", live.admin_url("shopify")), "").unwrap();
    cli(&["sync"], &[]);
    let id = orders(home)[0]["id"].as_i64().unwrap().to_string();
    cli(&["authorize", &id], &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        cli(&["sync"], &[]);
        if orders(home)[0]["status"] == "completed" {
            break;
        }
        assert!(Instant::now() < deadline, "{:#?}", orders(home));
    }
}

#[tokio::test]
async fn the_window_opens_again_on_the_page_last_opened_once_onboarding_is_complete() {
    let home = Home::new();
    let live = SandboxServe::start_with(&["--supplier-token", "usd_live_e2e_tray"]).unwrap();
    onboarded(&home, &live);

    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Dashboard")
        .await
        .unwrap();
    app.click("[data-testid=nav-statement]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Statement")
        .await
        .unwrap();
    quit_from_window(app).await;

    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Statement")
        .await
        .unwrap();
    app.screenshot("tray-last-page").await.unwrap();
    app.quit().await.unwrap();
}
