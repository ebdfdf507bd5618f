//! The Statement page in the real window: a sandbox order invoiced and authorized with the
//! sandbox US Direct is on this month's statement, with the charged total, and its number opens
//! the order's page.

use dealer_e2e::Home;

#[tokio::test]
async fn the_months_invoice_is_on_the_statement_and_opens_its_order() {
    let home = Home::new();
    home.cli_ok(&["sandbox", "place-order"]);
    home.cli_ok(&["sync"]);
    let listed: serde_json::Value =
        serde_json::from_str(&home.cli_ok(&["orders", "list", "--json"])).unwrap();
    let id = listed[0]["id"].to_string();
    home.cli_ok(&["authorize", &id]);

    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-statement]").await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Statement")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=statement-order]", "#1001")
        .await
        .unwrap();
    let statement = app.text("[data-testid=statement-table]").await.unwrap();
    assert!(statement.contains("Authorized"), "{statement}");
    assert!(
        statement.contains("Charged to your card (authorized and paid), USD (1 invoice)"),
        "{statement}"
    );
    app.wait_for("[data-testid=statement-sandbox]")
        .await
        .unwrap();
    app.screenshot("statement").await.unwrap();

    // The month before has none.
    app.click("[data-testid=statement-previous]").await.unwrap();
    app.wait_for_text("[data-testid=statement-empty]", "No US Direct invoices in")
        .await
        .unwrap();
    app.click("[data-testid=statement-next]").await.unwrap();
    app.click("[data-testid=statement-order]").await.unwrap();
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Processing",
    )
    .await
    .unwrap();
    app.quit().await.unwrap();
}
