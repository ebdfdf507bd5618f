//! The WooCommerce store: `modified_after` listing in pages with the WP headers, the order shape
//! of the official example, edits, cancellations, broken orders, auth and routes.

use chrono::{DateTime, Utc};
use dealer_sandbox::{OrderEdit, PlaceOrder, StoreKind};
use serde_json::Value;

use crate::support::{client, header, missing_keys, spec_json, start, tick, woo_get};

fn gmt(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

fn numbers(page: &Value) -> Vec<&str> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|order| order["number"].as_str().unwrap())
        .collect()
}

async fn changed_since(
    store: &dealer_sandbox::SandboxStore,
    since: &str,
    page: &str,
) -> reqwest::Response {
    let query = [
        ("modified_after", since),
        ("dates_are_gmt", "true"),
        ("orderby", "modified"),
        ("order", "asc"),
        ("per_page", "2"),
        ("page", page),
    ];
    woo_get(store, "/orders", &query).await
}

#[tokio::test]
async fn lists_orders_modified_after_in_pages() {
    let store = start(StoreKind::Woocommerce).await;
    let placed: Vec<_> = (0..5)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    let since = gmt(placed[1].updated_at);

    let first = changed_since(&store, &since, "1").await;
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "x-wp-total"), "3");
    assert_eq!(header(&first, "x-wp-totalpages"), "2");
    assert!(header(&first, "link").contains("rel=\"next\""));
    let body: Value = first.json().await.unwrap();
    assert_eq!(numbers(&body), ["1003", "1004"]);
    assert_eq!(body[0]["id"], placed[2].id);

    let second: Value = changed_since(&store, &since, "2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(numbers(&second), ["1005"]);
    let beyond: Value = changed_since(&store, &since, "3")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(beyond, Value::Array(Vec::new()));

    // Without dates_are_gmt the bound is site time (UTC−5): the same instant, written locally.
    let local = (placed[1].updated_at - chrono::TimeDelta::hours(5))
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string();
    let response = woo_get(&store, "/orders", &[("modified_after", &local)]).await;
    assert_eq!(header(&response, "x-wp-total"), "3");
}

#[tokio::test]
async fn orders_have_the_shape_of_the_official_example() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let example = spec_json("woocommerce/order.example.json");
    let ours: Value = woo_get(&store, &format!("/orders/{}", order.id), &[])
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(missing_keys(&example, &ours), Vec::<String>::new());
    for part in ["billing", "shipping"] {
        assert_eq!(
            missing_keys(&example[part], &ours[part]),
            Vec::<String>::new(),
            "{part}"
        );
    }
    for list in ["line_items", "tax_lines", "shipping_lines"] {
        assert_eq!(
            missing_keys(&example[list][0], &ours[list][0]),
            Vec::<String>::new(),
            "{list}"
        );
    }
    assert_eq!(ours["number"], "1001");
    assert_eq!(ours["status"], "processing");
    assert_eq!(ours["total"], "5.40");
    assert_eq!(ours["total_tax"], "0.41");
    assert_eq!(ours["shipping_total"], "0.00");
    assert_eq!(ours["billing"]["email"], "taylor.tester@example.com");
    assert_eq!(ours["shipping"]["state"], "TX");
    assert_eq!(ours["shipping"]["postcode"], "78701");
    let line = &ours["line_items"][0];
    assert_eq!(
        (line["sku"].as_str(), line["quantity"].as_u64()),
        (Some("USD-1001"), Some(1))
    );
    assert_eq!(line["price"], serde_json::json!(4.99));
    assert_eq!(line["total"], "4.99");
    assert_eq!(
        ours["date_modified_gmt"],
        order.updated_at.format("%Y-%m-%dT%H:%M:%S").to_string()
    );
    let local = order.updated_at - chrono::TimeDelta::hours(5);
    assert_eq!(
        ours["date_modified"],
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    );
}

#[tokio::test]
async fn an_order_changed_between_two_pages_moves_to_the_end_of_the_list() {
    let store = start(StoreKind::Woocommerce).await;
    let placed: Vec<_> = (0..4)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    let since = gmt(placed[0].updated_at - chrono::TimeDelta::seconds(1));
    let first: Value = changed_since(&store, &since, "1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(numbers(&first), ["1001", "1002"]);
    tick().await;
    // The store keeps the listed orders between pages; a change must not be served stale.
    store
        .edit_order(
            placed[0].id,
            OrderEdit {
                email: Some("later@example.com".into()),
                ..OrderEdit::default()
            },
        )
        .unwrap();
    let second: Value = changed_since(&store, &since, "2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(numbers(&second), ["1004", "1001"]);
    assert_eq!(second[1]["billing"]["email"], "later@example.com");
}

#[tokio::test]
async fn edits_and_cancellations_show_as_modified() {
    let store = start(StoreKind::Woocommerce).await;
    let a = store.place_order(PlaceOrder::test_order());
    let b = store.place_order(PlaceOrder::test_order());
    tick().await;
    store
        .edit_order(
            a.id,
            OrderEdit {
                email: Some("new@example.com".into()),
                ..OrderEdit::default()
            },
        )
        .unwrap();
    store.cancel_order(b.id).unwrap();
    let body: Value = changed_since(&store, &gmt(b.updated_at), "1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(numbers(&body), ["1001", "1002"]);
    assert_eq!(body[0]["billing"]["email"], "new@example.com");
    assert_eq!(body[0]["status"], "processing");
    assert_eq!(body[1]["status"], "cancelled");
    let cancelled = woo_get(&store, "/orders", &[("status", "cancelled")]).await;
    assert_eq!(header(&cancelled, "x-wp-total"), "1");
}

#[tokio::test]
async fn a_malformed_order_is_served_broken_in_a_valid_page() {
    let store = start(StoreKind::Woocommerce).await;
    let orders: Vec<_> = (0..3)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    store.make_malformed(orders[0].id).unwrap();
    let response = woo_get(&store, "/orders", &[("orderby", "id"), ("order", "asc")]).await;
    let body: Value = response.json().await.unwrap();
    let broken = &body[0];
    assert!(broken["total"].as_str().unwrap().parse::<f64>().is_err());
    assert!(broken["line_items"][0].get("quantity").is_none());
    assert_eq!(body[1]["total"], "5.40");
    assert_eq!(body[1]["line_items"][0]["quantity"], 1);
}

#[tokio::test]
async fn auth_and_routes() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let url = format!("{}/wp-json/wc/v3/orders", store.base_url());
    let cannot_view = serde_json::json!({
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": { "status": 401 },
    });
    for request in [
        client().get(&url),
        client()
            .get(&url)
            .basic_auth("ck_sandbox", Some("cs_wrong")),
        client()
            .get(&url)
            .basic_auth("ck_wrong", Some("cs_sandbox")),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.json::<Value>().await.unwrap(), cannot_view);
    }
    let by_query = client()
        .get(&url)
        .query(&[
            ("consumer_key", "ck_sandbox"),
            ("consumer_secret", "cs_sandbox"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), 200);

    let missing = woo_get(&store, "/orders/999999", &[]).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["code"],
        "woocommerce_rest_shop_order_invalid_id"
    );
    let found = woo_get(&store, &format!("/orders/{}", order.id), &[]).await;
    assert_eq!(found.status(), 200);

    let nowhere = woo_get(&store, "/products/bogus", &[]).await;
    assert_eq!(nowhere.status(), 404);
    assert_eq!(
        nowhere.json::<Value>().await.unwrap()["code"],
        "rest_no_route"
    );
    let too_many = woo_get(&store, "/orders", &[("per_page", "101")]).await;
    assert_eq!(too_many.status(), 400);
    assert_eq!(
        too_many.json::<Value>().await.unwrap()["code"],
        "rest_invalid_param"
    );

    let site: Value = client()
        .get(format!("{}/wp-json/", store.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(site["name"], "Sandbox Store");
    assert!(site["namespaces"]
        .as_array()
        .unwrap()
        .contains(&"wc/v3".into()));
    let index: Value = client()
        .get(format!("{}/wp-json/wc/v3", store.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(index["namespace"], "wc/v3");
    let args = &index["routes"]["/wc/v3/orders"]["endpoints"][0]["args"];
    for arg in [
        "modified_after",
        "dates_are_gmt",
        "orderby",
        "order",
        "per_page",
        "page",
    ] {
        assert!(args.get(arg).is_some(), "{arg}");
    }
}
