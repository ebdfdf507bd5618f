//! Connecting a store from Settings in the real window: add, test (a good and a refused
//! answer), and remove; the credentials end up in the Secret Service, not in the store.

use std::time::Duration;

use dealer_e2e::{contains, files_under, Home, SandboxServe};

/// Waits until the channel form has closed (its save finished).
async fn form_closed(app: &dealer_e2e::App) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !app
        .all("[data-testid=channel-form]")
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the channel form did not close"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_store_is_connected_tested_and_removed_from_settings() {
    let home = Home::new();
    let serve = SandboxServe::start().unwrap();
    let woo_url = serve.url("woocommerce");
    let app = home.launch().await.unwrap();
    app.click("[data-testid=nav-settings]").await.unwrap();
    app.wait_for_text("[data-testid=channel-title]", "Sandbox Store")
        .await
        .unwrap();

    // Add a WooCommerce store with a wrong secret: saved, but its test is refused.
    app.click("[data-testid=channel-add]").await.unwrap();
    app.click("[data-testid=channel-form] [data-testid=channel-kind] option[value=woocommerce]")
        .await
        .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-name]",
        "Woo shop",
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-url]",
        &woo_url,
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-key]",
        "ck_sandbox",
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-secret]",
        "cs_wrong",
    )
    .await
    .unwrap();
    app.click("[data-testid=channel-form] [data-testid=channel-save]")
        .await
        .unwrap();
    form_closed(&app).await;
    app.wait_for_text("[data-testid=channels-section]", "Woo shop")
        .await
        .unwrap();
    // Adding a real store leaves the Sandbox.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !app
        .all("[data-testid=sandbox-badge]")
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the Sandbox badge stays"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let woo_row = "[data-testid=channel-row]:nth-child(2)";
    app.click(&format!("{woo_row} [data-testid=channel-test]"))
        .await
        .unwrap();
    let refused = app
        .wait_for_text(
            &format!("{woo_row} [data-testid=channel-test-result]"),
            "credentials",
        )
        .await
        .unwrap();
    assert!(refused.contains("refused"), "{refused}");
    app.screenshot("channel-refused").await.unwrap();

    // Fix the secret through Edit; the test now reaches the store.
    app.click(&format!("{woo_row} [data-testid=channel-edit]"))
        .await
        .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-key]",
        "ck_sandbox",
    )
    .await
    .unwrap();
    app.type_into(
        "[data-testid=channel-form] [data-testid=channel-secret]",
        "cs_sandbox",
    )
    .await
    .unwrap();
    app.click("[data-testid=channel-form] [data-testid=channel-save]")
        .await
        .unwrap();
    form_closed(&app).await;
    app.wait_for_text("[data-testid=channels-section]", "Woo shop")
        .await
        .unwrap();
    app.click(&format!("{woo_row} [data-testid=channel-test]"))
        .await
        .unwrap();
    app.wait_for_text(
        &format!("{woo_row} [data-testid=channel-test-result]"),
        "Connected to",
    )
    .await
    .unwrap();
    app.screenshot("channel-connected").await.unwrap();

    for (path, bytes) in files_under(&home.data_dir()) {
        assert!(
            !contains(&bytes, b"cs_sandbox"),
            "the secret is in {}",
            path.display()
        );
    }

    // Remove it, confirming in the dialog: the Sandbox comes back.
    app.click(&format!("{woo_row} [data-testid=channel-remove]"))
        .await
        .unwrap();
    app.click("[data-testid=channel-remove-dialog-confirm]")
        .await
        .unwrap();
    app.wait_for("[data-testid=sandbox-badge]").await.unwrap();
    assert_eq!(app.all("[data-testid=channel-row]").await.unwrap().len(), 1);
    app.quit().await.unwrap();
}
