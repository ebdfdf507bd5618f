//! Resolve in the real window: a shopper's order to a PO box, placed in the sandbox store, is
//! imported by Order Sync and held by US Direct's rules; the order page says why, the dealer
//! edits the address there and saves, and the order goes to the sandbox US Direct (which
//! refuses PO boxes itself) and waits for authorization. Screenshots: target/e2e/resolve-*.png.

use dealer_e2e::{http_get_json, http_post_json, Home};

/// A checkout in the sandbox store (its admin API's `PlaceOrder`), shipping to a PO box.
const PO_BOX_ORDER: &str = r#"{
  "customer_first_name": "Jordan",
  "customer_last_name": "Rivera",
  "email": "jordan.rivera@example.com",
  "ship_to": {
    "first_name": "Jordan",
    "last_name": "Rivera",
    "address1": "PO Box 1955",
    "city": "Montgomery",
    "province_code": "AL",
    "zip": "36104",
    "country_code": "US",
    "phone": "+1 334 555 0155"
  },
  "lines": [
    {
      "sku": "USD-1002",
      "title": "Stainless Water Bottle 20 oz",
      "quantity": 1,
      "unit_price_minor": 1899,
      "grams": 340
    }
  ],
  "shipping_minor": 595,
  "tax_minor": 152
}"#;

#[tokio::test]
async fn a_po_box_order_is_resolved_by_editing_its_address_on_the_order_page() {
    let home = Home::new();
    let app = home.launch().await.unwrap();
    // A new install opens on the onboarding guide; Orders is one click away.
    app.wait_for_text("[data-testid=page-title]", "Onboarding")
        .await
        .unwrap();
    app.click("[data-testid=nav-orders]").await.unwrap();
    app.wait_for("[data-testid=orders-empty]").await.unwrap();
    let store = home.sandbox_admin_url("shopify");
    let placed = http_post_json(&format!("{store}/orders"), PO_BOX_ORDER).unwrap();
    let number = format!("#{}", placed["number"]);

    app.click("[data-testid=order-sync]").await.unwrap();
    app.wait_for_text("[data-testid=order-number]", &number)
        .await
        .unwrap();
    // Routed after the import: US Direct's rules hold it.
    app.wait_for_text("[data-testid=order-status]", "Needs attention")
        .await
        .unwrap();

    app.click("[data-testid=order-row]").await.unwrap();
    app.wait_for("[data-testid=order-page]").await.unwrap();
    let reason = app
        .wait_for_text("[data-testid=attention-reason]", "PO boxes")
        .await
        .unwrap();
    assert!(reason.contains("edit the ship-to"), "{reason}");
    let problems = app.all("[data-testid=attention-problem]").await.unwrap();
    assert_eq!(problems.len(), 1, "one failed rule");
    assert_eq!(
        problems[0].attr("data-rule").await.unwrap().as_deref(),
        Some("po_box")
    );
    app.screenshot("resolve-1-needs-attention").await.unwrap();

    // Resolve → Edit address: the form holds the current address; only the street changes.
    app.click("[data-testid=resolve-edit-address]")
        .await
        .unwrap();
    let line1 = app
        .wait_for("[data-testid=ship-to-form] [data-testid=ship-to-line1]")
        .await
        .unwrap();
    assert_eq!(
        line1.prop("value").await.unwrap().as_deref(),
        Some("PO Box 1955")
    );
    line1.clear().await.unwrap();
    line1.send_keys("1955 Dexter Ave").await.unwrap();
    app.screenshot("resolve-2-edit-address").await.unwrap();
    app.click("[data-testid=ship-to-save]").await.unwrap();

    // Checked again, placed with US Direct, invoiced: it waits for authorization.
    app.wait_for_text(
        "[data-testid=order-page] [data-testid=order-status]",
        "Awaiting authorization",
    )
    .await
    .unwrap();
    assert!(
        app.all("[data-testid=attention-panel]")
            .await
            .unwrap()
            .is_empty(),
        "nothing needs the dealer any more"
    );
    let ship_to = app.text("[data-testid=order-ship-to]").await.unwrap();
    assert!(
        ship_to.contains("1955 Dexter Ave") && !ship_to.contains("PO Box"),
        "{ship_to}"
    );
    let page = app.text("[data-testid=order-page]").await.unwrap();
    assert!(
        page.contains("ship-to edited: Jordan Rivera, 1955 Dexter Ave"),
        "the edit is on the timeline: {page}"
    );
    app.screenshot("resolve-3-awaiting-authorization")
        .await
        .unwrap();

    // US Direct holds the order once, under the store's number.
    let supplier = home.sandbox_admin_url("supplier");
    let orders = http_get_json(&format!("{supplier}/orders")).unwrap();
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0]["orderNumber"], number.as_str());
    assert_eq!(orders[0]["timesCreated"], 1);
    app.quit().await.unwrap();
}
