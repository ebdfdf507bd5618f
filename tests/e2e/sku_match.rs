//! SKU matching in the real window: a shopper buys a US Direct item the SKU map does not hold
//! yet (USD-2001: the sandbox US Direct carries it, the sandbox store's starter catalog does
//! not), so the order is Not for US Direct. Settings → SKU map lists the SKU as seen in
//! orders; Match with US Direct finds US Direct carries it; Confirm maps it, and the order that
//! waited routes to US Direct by itself. Screenshots: target/e2e/sku-match-*.png.

use dealer_e2e::{http_post_json, Home};

const ORDER: &str = r#"{
  "customer_first_name": "Avery",
  "customer_last_name": "Chen",
  "email": "avery.chen@example.com",
  "ship_to": {
    "first_name": "Avery",
    "last_name": "Chen",
    "address1": "1200 Congress Ave",
    "city": "Austin",
    "province_code": "TX",
    "zip": "78701",
    "country_code": "US",
    "phone": "+1 512 555 0177"
  },
  "lines": [
    {
      "sku": "USD-2001",
      "title": "Garden Kneeler Pad",
      "quantity": 1,
      "unit_price_minor": 1999,
      "grams": 500
    }
  ],
  "shipping_minor": 0,
  "tax_minor": 165
}"#;

#[tokio::test]
async fn a_seen_sku_is_matched_with_us_direct_confirmed_and_its_order_routes() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();
    let store = home.sandbox_admin_url("shopify");
    let placed = http_post_json(&format!("{store}/orders"), ORDER).unwrap();
    let number = format!("#{}", placed["number"]);
    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=order-number]", &number)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=order-status]", "Not for US Direct")
        .await
        .unwrap();

    app.click("[data-testid=nav-settings]").await.unwrap();
    let row = app
        .wait_for_text("[data-testid=seen-sku-row]", "USD-2001")
        .await
        .unwrap();
    assert!(row.contains("Not matched yet"), "{row}");
    app.screenshot("sku-match-1-seen").await.unwrap();

    app.click("[data-testid=sku-match]").await.unwrap();
    app.wait_for_text("[data-testid=sku-confirm]", "Confirm 1 match")
        .await
        .unwrap();
    let answer = app
        .wait_for_text("[data-testid=seen-sku-answer]", "US Direct carries it")
        .await
        .unwrap();
    assert!(answer.contains("Garden Kneeler Pad"), "{answer}");
    app.screenshot("sku-match-2-matched").await.unwrap();

    app.click("[data-testid=sku-confirm]").await.unwrap();
    app.wait_for_text("[data-testid=sku-confirmed]", "1 SKU is mapped")
        .await
        .unwrap();
    app.wait_for("[data-testid=seen-skus-none]").await.unwrap();
    let map = app.text("[data-testid=sku-map-section]").await.unwrap();
    assert!(map.contains("USD-2001"), "{map}");

    // The order that waited was routed again at once and went to US Direct.
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for_text("[data-testid=order-status]", "Awaiting authorization")
        .await
        .unwrap();
    app.screenshot("sku-match-3-routed").await.unwrap();
    app.quit().await.unwrap();
}
