//! The BigCommerce store: `min_date_modified` listing with `sort` and pages, 204 for an empty
//! page, the order shape of the official example, products and shipping addresses, rate-limit
//! headers, edits, cancellations, broken orders and auth.

use chrono::SecondsFormat;
use dealer_sandbox::{OrderEdit, PlaceOrder, StoreKind};
use serde_json::Value;

use crate::support::{bc_get, client, header, missing_keys, spec_json, start, tick};

fn ids(page: &Value) -> Vec<u64> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|order| order["id"].as_u64().unwrap())
        .collect()
}

fn assert_rate_limit_headers(response: &reqwest::Response) {
    for name in [
        "x-rate-limit-requests-left",
        "x-rate-limit-requests-quota",
        "x-rate-limit-time-window-ms",
        "x-rate-limit-time-reset-ms",
    ] {
        assert!(header(response, name).parse::<u64>().is_ok(), "{name}");
    }
}

#[tokio::test]
async fn lists_orders_modified_since_in_pages() {
    let store = start(StoreKind::Bigcommerce).await;
    assert!(store.base_url().ends_with("/stores/sandbox"));
    let placed: Vec<_> = (0..5)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    // ISO 8601 with milliseconds: inclusive, so the bound's own order is in.
    let since = placed[2]
        .updated_at
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let page = |n: &'static str| {
        let since = since.clone();
        let store = store.clone();
        async move {
            let query = [
                ("min_date_modified", since.as_str()),
                ("sort", "date_modified:asc"),
                ("limit", "2"),
                ("page", n),
            ];
            bc_get(&store, "/orders", &query).await
        }
    };
    let first = page("1").await;
    assert_eq!(first.status(), 200);
    assert_rate_limit_headers(&first);
    assert_eq!(ids(&first.json().await.unwrap()), [1003, 1004]);
    assert_eq!(ids(&page("2").await.json().await.unwrap()), [1005]);
    let empty = page("3").await;
    assert_eq!(empty.status(), 204);
    assert_rate_limit_headers(&empty);
    assert!(empty.bytes().await.unwrap().is_empty());

    // RFC 2822, as BigCommerce prints dates.
    let hour_ago = (placed[0].updated_at - chrono::TimeDelta::hours(1))
        .format("%a, %d %b %Y %H:%M:%S +0000")
        .to_string();
    let all: Value = bc_get(
        &store,
        "/orders",
        &[("min_date_modified", &hour_ago), ("limit", "1000")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(ids(&all).len(), 5);
    let bad = bc_get(&store, "/orders", &[("min_date_modified", "last tuesday")]).await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn orders_products_and_addresses_follow_the_spec() {
    let store = start(StoreKind::Bigcommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let example = spec_json("bigcommerce/order.example.json");
    let ours: Value = bc_get(&store, &format!("/orders/{}", order.id), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(missing_keys(&example, &ours), Vec::<String>::new());
    assert_eq!(
        missing_keys(&example["billing_address"], &ours["billing_address"]),
        Vec::<String>::new()
    );
    assert_eq!(ours["status_id"], 11);
    assert_eq!(ours["total_inc_tax"], "5.4000");
    assert_eq!(ours["subtotal_ex_tax"], "4.9900");
    assert_eq!(
        ours["date_modified"],
        order
            .updated_at
            .format("%a, %d %b %Y %H:%M:%S +0000")
            .to_string()
    );
    assert_eq!(
        ours["products"]["resource"],
        format!("/orders/{}/products", order.id)
    );

    let client = client();
    let follow = |link: &Value| {
        client
            .get(link["url"].as_str().unwrap())
            .header("X-Auth-Token", dealer_sandbox::BIGCOMMERCE_TOKEN)
            .send()
    };
    let products: Value = follow(&ours["products"])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let product = &products[0];
    for key in [
        "id",
        "order_id",
        "product_id",
        "order_address_id",
        "name",
        "sku",
        "quantity",
        "base_price",
        "price_ex_tax",
        "price_inc_tax",
        "total_inc_tax",
        "weight",
    ] {
        assert!(product.get(key).is_some(), "{key}");
    }
    assert_eq!(product["sku"], "USD-1001");
    assert_eq!(product["quantity"], 1);
    assert_eq!(product["base_price"], "4.9900");
    assert_eq!(product["weight"], "0.1323");

    let addresses: Value = follow(&ours["shipping_addresses"])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let address = &addresses[0];
    assert_eq!(address["state"], "Texas");
    assert_eq!(address["country_iso2"], "US");
    assert_eq!(address["street_1"], "500 W 2nd St");
    assert_eq!(address["street_2"], "Suite 1900");
    assert_eq!(address["id"], product["order_address_id"]);
    let documented: Value = bc_get(
        &store,
        &format!("/orders/{}/shipping_addresses", order.id),
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(documented, addresses);

    let info: Value = bc_get(&store, "/store", &[]).await.json().await.unwrap();
    assert_eq!(info["name"], "Sandbox Store");
}

#[tokio::test]
async fn edits_cancellations_and_malformed_orders() {
    let store = start(StoreKind::Bigcommerce).await;
    let a = store.place_order(PlaceOrder::test_order());
    let b = store.place_order(PlaceOrder::test_order());
    let c = store.place_order(PlaceOrder::test_order());
    tick().await;
    store
        .edit_order(
            a.id,
            OrderEdit {
                email: Some("edited@example.com".into()),
                ..OrderEdit::default()
            },
        )
        .unwrap();
    store.cancel_order(b.id).unwrap();
    store.make_malformed(c.id).unwrap();
    let since = c.updated_at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let query = [
        ("min_date_modified", since.as_str()),
        ("sort", "date_modified:asc"),
    ];
    let body: Value = bc_get(&store, "/orders", &query)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&body), [a.id, b.id, c.id]);
    assert_eq!(body[0]["billing_address"]["email"], "edited@example.com");
    let status = (body[1]["status_id"].as_u64(), body[1]["status"].as_str());
    assert_eq!(status, (Some(5), Some("Cancelled")));
    assert!(body[2]["total_inc_tax"]
        .as_str()
        .unwrap()
        .parse::<f64>()
        .is_err());
    let products: Value = bc_get(&store, &format!("/orders/{}/products", c.id), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(products[0].get("quantity").is_none());
    let cancelled: Value = bc_get(&store, "/orders", &[("status_id", "5")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&cancelled), [b.id]);
}

#[tokio::test]
async fn auth_and_unknown_resources() {
    let store = start(StoreKind::Bigcommerce).await;
    let wrong = client()
        .get(format!("{}/v2/orders", store.base_url()))
        .header("X-Auth-Token", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_rate_limit_headers(&wrong);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body[0]["status"], 401);

    let other_store = client()
        .get(
            store
                .base_url()
                .replace("/stores/sandbox", "/stores/abc123")
                + "/v2/orders",
        )
        .header("X-Auth-Token", dealer_sandbox::BIGCOMMERCE_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(other_store.status(), 404);
    assert_eq!(bc_get(&store, "/orders/424242", &[]).await.status(), 404);
    assert_eq!(bc_get(&store, "/customers", &[]).await.status(), 404);
    assert_eq!(bc_get(&store, "/orders", &[]).await.status(), 204);
}
