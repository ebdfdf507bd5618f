//! Tracking written back to the stores over HTTP: WooCommerce's Shipment Tracking extension
//! (and a store without it: order notes and status `completed`), BigCommerce's order
//! shipments with their status moves and refusals, and a write whose answer is lost.
//!
//! Long on purpose: each scenario places an order and walks the store's replies step by step.

use dealer_sandbox::{
    PlaceOrder, SandboxOrder, SandboxStore, StoreKind, BIGCOMMERCE_TOKEN, CATALOG,
    WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET,
};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::support::{bc_get, client, header, keys, missing_keys, spec_json, start, woo_get};

/// Two lines: 2 × USD-1002 and 1 × USD-1003.
fn two_line_order() -> PlaceOrder {
    PlaceOrder {
        lines: vec![CATALOG[1].line(2), CATALOG[2].line(1)],
        ..PlaceOrder::test_order()
    }
}

async fn woo_send(store: &SandboxStore, method: Method, path: &str, body: Value) -> Response {
    client()
        .request(method, format!("{}/wp-json{path}", store.base_url()))
        .basic_auth(WOO_CONSUMER_KEY, Some(WOO_CONSUMER_SECRET))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn trackings(order: &SandboxOrder) -> String {
    format!(
        "/wc-shipment-tracking/v3/orders/{}/shipment-trackings",
        order.id
    )
}

async fn json_of(response: Response) -> Value {
    response.json().await.unwrap()
}

fn held(store: &SandboxStore, id: u64) -> SandboxOrder {
    store.orders().into_iter().find(|o| o.id == id).unwrap()
}

#[tokio::test]
async fn woo_shipment_tracking_records_the_documented_item() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(two_line_order());
    let empty = woo_get_path(&store, &trackings(&order)).await;
    assert_eq!(empty.status(), 200);
    assert_eq!(json_of(empty).await, json!([]));

    let created = woo_send(
        &store,
        Method::POST,
        &trackings(&order),
        json!({ "tracking_provider": "UPS", "tracking_number": "1Z999AA10123456784",
                "date_shipped": "2026-07-10" }),
    )
    .await;
    assert_eq!(created.status(), 201);
    let location = header(&created, "location");
    let item = json_of(created).await;
    // The extension's documented item, and nothing the docs do not name but its links.
    assert_eq!(
        keys(&item),
        [
            "_links",
            "custom_tracking_link",
            "custom_tracking_provider",
            "date_shipped",
            "tracking_id",
            "tracking_link",
            "tracking_number",
            "tracking_provider",
        ]
    );
    assert_eq!(item["tracking_provider"], "UPS");
    assert_eq!(item["custom_tracking_provider"], "");
    assert_eq!(item["date_shipped"], "2026-07-10");
    assert_eq!(
        item["tracking_link"],
        "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"
    );
    let tracking_id = item["tracking_id"].as_str().unwrap();
    assert_eq!(tracking_id.len(), 32);
    assert!(tracking_id.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(location.ends_with(&format!("{}/{tracking_id}", trackings(&order))));

    // Listed, and readable on its own.
    let listed = json_of(woo_get_path(&store, &trackings(&order)).await).await;
    assert_eq!(listed, json!([item.clone()]));
    let one = woo_get_path(&store, &format!("{}/{tracking_id}", trackings(&order))).await;
    assert_eq!(json_of(one).await, item);

    // Tracking names no lines: every unit still to ship is in it.
    let fulfilled = held(&store, order.id);
    let fulfillment = &fulfilled.fulfillments[0];
    assert_eq!(fulfillment.tracking_number, "1Z999AA10123456784");
    assert_eq!(fulfillment.carrier, "UPS");
    let lines: Vec<(usize, u32)> = fulfillment
        .lines
        .iter()
        .map(|l| (l.position, l.quantity))
        .collect();
    assert_eq!(lines, [(0, 2), (1, 1)]);
    // The extension does not complete the order.
    let woo_order = json_of(woo_get(&store, &format!("/orders/{}", order.id), &[]).await).await;
    assert_eq!(woo_order["status"], "processing");
}

#[tokio::test]
async fn woo_providers_match_by_name_or_slug_and_custom_ones_keep_their_link() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let post = |body: Value| {
        let store = store.clone();
        let path = trackings(&order);
        async move { json_of(woo_send(&store, Method::POST, &path, body).await).await }
    };
    let slug =
        post(json!({ "tracking_provider": "fedex", "tracking_number": "123456789012" })).await;
    assert_eq!(slug["tracking_provider"], "Fedex");
    assert!(slug["tracking_link"]
        .as_str()
        .unwrap()
        .ends_with("tracknumbers=123456789012"));
    // The extension spells it "Fedex": "FedEx" matches no provider and gets no link.
    let unknown = post(json!({ "tracking_provider": "FedEx", "tracking_number": "999" })).await;
    assert_eq!(
        (
            unknown["tracking_provider"].as_str(),
            unknown["tracking_link"].as_str()
        ),
        (Some(""), Some(""))
    );
    let custom = post(json!({
        "custom_tracking_provider": "Amazon Logistics",
        "custom_tracking_link": "https://track.amazon.com/tracking/%1$s",
        "tracking_number": "TBA123456789000",
    }))
    .await;
    assert_eq!(custom["tracking_provider"], "Amazon Logistics");
    assert_eq!(custom["custom_tracking_provider"], "Amazon Logistics");
    assert_eq!(
        custom["tracking_link"],
        "https://track.amazon.com/tracking/TBA123456789000"
    );
    // Later tracking on a shipped order takes no lines but is still kept, with the provider
    // as sent when the extension does not know it.
    let fulfillments = held(&store, order.id).fulfillments;
    assert_eq!(fulfillments.len(), 3);
    assert_eq!(fulfillments[1].carrier, "FedEx");
    assert_eq!(fulfillments[0].lines.len(), 1);
    assert!(fulfillments[1].lines.is_empty() && fulfillments[2].lines.is_empty());
}

#[tokio::test]
async fn woo_shipment_tracking_refusals() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let missing = woo_send(
        &store,
        Method::POST,
        &trackings(&order),
        json!({ "tracking_provider": "UPS" }),
    )
    .await;
    assert_eq!(missing.status(), 400);
    let body = json_of(missing).await;
    assert_eq!(body["code"], "rest_missing_callback_param");
    assert_eq!(body["data"]["params"], json!(["tracking_number"]));

    let nowhere = woo_send(
        &store,
        Method::POST,
        "/wc-shipment-tracking/v3/orders/999999/shipment-trackings",
        json!({ "tracking_number": "1" }),
    )
    .await;
    assert_eq!(nowhere.status(), 404);
    assert_eq!(
        json_of(nowhere).await["code"],
        "woocommerce_rest_order_invalid_id"
    );

    let anonymous = client()
        .post(format!("{}/wp-json{}", store.base_url(), trackings(&order)))
        .json(&json!({ "tracking_number": "1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        json_of(anonymous).await["code"],
        "woocommerce_rest_cannot_create"
    );
    assert!(held(&store, order.id).fulfillments.is_empty());
}

#[tokio::test]
async fn woo_without_the_extension_its_routes_are_gone() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let site = |store: SandboxStore| async move {
        json_of(
            client()
                .get(format!("{}/wp-json/", store.base_url()))
                .send()
                .await
                .unwrap(),
        )
        .await["namespaces"]
            .clone()
    };
    assert_eq!(
        site(store.clone()).await,
        json!(["wc/v3", "wc-shipment-tracking/v3"])
    );

    // Through the admin API, as another process would switch it.
    let admin = format!("{}/plugins", store.admin_url());
    let off = client()
        .put(&admin)
        .json(&json!({ "shipment_tracking": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 200);
    let now: Value = client()
        .get(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now, json!({ "shipment_tracking": false }));
    assert_eq!(site(store.clone()).await, json!(["wc/v3"]));
    for response in [
        woo_get_path(&store, &trackings(&order)).await,
        woo_send(
            &store,
            Method::POST,
            &trackings(&order),
            json!({ "tracking_provider": "UPS", "tracking_number": "1Z" }),
        )
        .await,
        woo_get_path(
            &store,
            "/wc-shipment-tracking/v3/shipment-trackings/providers",
        )
        .await,
    ] {
        assert_eq!(response.status(), 404);
        assert_eq!(json_of(response).await["code"], "rest_no_route");
    }
    assert!(held(&store, order.id).fulfillments.is_empty());

    store.set_shipment_tracking(true);
    let providers = json_of(
        woo_get_path(
            &store,
            "/wc-shipment-tracking/v3/shipment-trackings/providers",
        )
        .await,
    )
    .await;
    assert!(providers["United States"]["USPS"]
        .as_str()
        .unwrap()
        .contains("%1$s"));

    // The other stores have no plugins to switch.
    let bc = start(StoreKind::Bigcommerce).await;
    let none = client()
        .get(format!("{}/plugins", bc.admin_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404);
}

#[tokio::test]
async fn woo_customer_note_then_completed() {
    let store = start(StoreKind::Woocommerce).await;
    store.set_shipment_tracking(false);
    let order = store.place_order(PlaceOrder::test_order());
    let notes = format!("/wc/v3/orders/{}/notes", order.id);
    let text = "Your order has shipped: UPS 1Z999AA10123456784 https://www.ups.com/track?tracknum=1Z999AA10123456784";
    let added = woo_send(
        &store,
        Method::POST,
        &notes,
        json!({ "note": text, "customer_note": true }),
    )
    .await;
    assert_eq!(added.status(), 201);
    let note = json_of(added).await;
    assert_eq!(note["note"], text);
    assert_eq!(note["customer_note"], true);
    assert_eq!(note["author"], "system");
    // Every field is one of the documented `order_note`'s.
    let documented = spec_order_note_fields();
    for key in keys(&note) {
        assert!(key == "_links" || documented.contains(&key), "{key}");
    }

    let before = json_of(woo_get(&store, &format!("/orders/{}", order.id), &[]).await).await;
    assert_eq!(before["date_completed_gmt"], Value::Null);
    let completed = woo_send(
        &store,
        Method::PUT,
        &format!("/wc/v3/orders/{}", order.id),
        json!({ "status": "completed" }),
    )
    .await;
    assert_eq!(completed.status(), 200);
    let completed = json_of(completed).await;
    assert_eq!(completed["status"], "completed");
    let at = held(&store, order.id).completed_at.unwrap();
    assert_eq!(
        completed["date_completed_gmt"],
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    );
    assert!(completed["date_completed"].is_string());

    // The listing shows it, and filters on it.
    let listed = woo_get(&store, "/orders", &[("status", "completed")]).await;
    assert_eq!(header(&listed, "x-wp-total"), "1");
    let still_processing = woo_get(&store, "/orders", &[("status", "processing")]).await;
    assert_eq!(header(&still_processing, "x-wp-total"), "0");

    // Newest first; WooCommerce's own status note is internal.
    let all = json_of(woo_get(&store, &format!("/orders/{}/notes", order.id), &[]).await).await;
    let texts: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["note"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["Order status changed from Processing to Completed.", text]
    );
    let customer = json_of(
        woo_get(
            &store,
            &format!("/orders/{}/notes", order.id),
            &[("type", "customer")],
        )
        .await,
    )
    .await;
    assert_eq!(customer.as_array().unwrap().len(), 1);

    // Completing again changes nothing.
    let again = woo_send(
        &store,
        Method::PUT,
        &format!("/wc/v3/orders/{}", order.id),
        json!({ "status": "completed" }),
    )
    .await;
    assert_eq!(again.status(), 200);
    assert_eq!(held(&store, order.id).notes.len(), 2);
}

#[tokio::test]
async fn woo_notes_and_updates_refuse_what_they_cannot_take() {
    let store = start(StoreKind::Woocommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let order_path = format!("/wc/v3/orders/{}", order.id);
    let cases = [
        (
            format!("{order_path}/notes"),
            json!({ "customer_note": true }),
            "rest_missing_callback_param",
        ),
        (
            format!("{order_path}/notes"),
            json!({ "note": "x", "customer_note": "maybe" }),
            "rest_invalid_param",
        ),
        (
            order_path.clone(),
            json!({ "status": "shipped" }),
            "rest_invalid_param",
        ),
        (
            order_path.clone(),
            json!({ "status": "on-hold" }),
            "woocommerce_sandbox_unsupported",
        ),
        (
            order_path.clone(),
            json!({ "status": "completed", "billing": {} }),
            "woocommerce_sandbox_unsupported",
        ),
    ];
    for (path, body, code) in cases {
        let response = woo_send(&store, Method::POST, &path, body.clone()).await;
        assert_eq!(response.status(), 400, "{path} {body}");
        assert_eq!(json_of(response).await["code"], code, "{path} {body}");
    }
    let bad_json = client()
        .put(format!("{}/wp-json{order_path}", store.base_url()))
        .basic_auth(WOO_CONSUMER_KEY, Some(WOO_CONSUMER_SECRET))
        .header("content-type", "application/json")
        .body("{status")
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(bad_json).await["code"], "rest_invalid_json");
    let missing = woo_send(
        &store,
        Method::POST,
        "/wc/v3/orders/999999/notes",
        json!({ "note": "x" }),
    )
    .await;
    assert_eq!(missing.status(), 404);
    let held = held(&store, order.id);
    assert!(held.notes.is_empty() && held.completed_at.is_none());

    // Cancelling through the API works too.
    let cancelled = woo_send(
        &store,
        Method::PATCH,
        &order_path,
        json!({ "status": "cancelled" }),
    )
    .await;
    assert_eq!(json_of(cancelled).await["status"], "cancelled");
}

fn spec_order_note_fields() -> Vec<String> {
    let text = std::fs::read_to_string(
        crate::support::specs_dir().join("woocommerce/woocommerce-openapi-3.0.x.community.yml"),
    )
    .unwrap();
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    spec["components"]["schemas"]["order_note"]["properties"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect()
}

async fn woo_get_path(store: &SandboxStore, path: &str) -> Response {
    client()
        .get(format!("{}/wp-json{path}", store.base_url()))
        .basic_auth(WOO_CONSUMER_KEY, Some(WOO_CONSUMER_SECRET))
        .send()
        .await
        .unwrap()
}

async fn bc_post(store: &SandboxStore, path: &str, body: Value) -> Response {
    client()
        .post(format!("{}/v2{path}", store.base_url()))
        .header("X-Auth-Token", BIGCOMMERCE_TOKEN)
        .header("Accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The order's shipping address id and its products' ids, as a client reads them.
async fn bc_ids(store: &SandboxStore, order: &SandboxOrder) -> (u64, Vec<u64>) {
    let addresses = json_of(
        bc_get(
            store,
            &format!("/orders/{}/shipping_addresses", order.id),
            &[],
        )
        .await,
    )
    .await;
    let products =
        json_of(bc_get(store, &format!("/orders/{}/products", order.id), &[]).await).await;
    (
        addresses[0]["id"].as_u64().unwrap(),
        products
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_u64().unwrap())
            .collect(),
    )
}

async fn bc_order(store: &SandboxStore, order: &SandboxOrder) -> Value {
    json_of(bc_get(store, &format!("/orders/{}", order.id), &[]).await).await
}

#[tokio::test]
async fn bc_shipments_move_the_order_to_partially_shipped_then_shipped() {
    let store = start(StoreKind::Bigcommerce).await;
    let order = store.place_order(two_line_order());
    let shipments = format!("/orders/{}/shipments", order.id);
    assert_eq!(bc_get(&store, &shipments, &[]).await.status(), 204);
    let (address, products) = bc_ids(&store, &order).await;
    let before = bc_order(&store, &order).await;
    assert_eq!(
        (
            before["status_id"].as_u64(),
            before["items_shipped"].as_u64()
        ),
        (Some(11), Some(0))
    );

    // One of the two bottles.
    let first = bc_post(
        &store,
        &shipments,
        json!({
            "order_address_id": address,
            "tracking_number": "1Z999AA10123456784",
            "shipping_provider": "",
            "tracking_carrier": "ups",
            "items": [{ "order_product_id": products[0], "quantity": 1 }],
        }),
    )
    .await;
    assert_eq!(first.status(), 201);
    let shipment = json_of(first).await;
    // Every field of the spec's own example, and the same types.
    let example = spec_json("bigcommerce/shipment.example.json");
    assert_eq!(missing_keys(&example, &shipment), Vec::<String>::new());
    for key in keys(&example) {
        assert_eq!(
            std::mem::discriminant(&example[&key]),
            std::mem::discriminant(&shipment[&key]),
            "{key}"
        );
    }
    assert_eq!(shipment["order_address_id"], address);
    assert_eq!(shipment["tracking_carrier"], "ups");
    assert_eq!(
        shipment["generated_tracking_link"],
        "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    );
    assert_eq!(shipment["items"][0]["order_product_id"], json!(products[0]));
    let partial = bc_order(&store, &order).await;
    assert_eq!(partial["status_id"], 3);
    assert_eq!(partial["status"], "Partially Shipped");
    assert_eq!(partial["items_shipped"], 1);
    assert_eq!(partial["date_shipped"], "");
    let lines = json_of(bc_get(&store, &format!("/orders/{}/products", order.id), &[]).await).await;
    assert_eq!(lines[0]["quantity_shipped"], 1);
    assert_eq!(lines[1]["quantity_shipped"], 0);

    // The rest.
    let second = bc_post(
        &store,
        &shipments,
        json!({
            "order_address_id": address,
            "tracking_number": "1Z999AA10123456795",
            "tracking_carrier": "ups",
            "items": [
                { "order_product_id": products[0], "quantity": 1 },
                { "order_product_id": products[1], "quantity": 1 },
            ],
        }),
    )
    .await;
    assert_eq!(second.status(), 201);
    let shipped = bc_order(&store, &order).await;
    assert_eq!(
        (shipped["status_id"].as_u64(), shipped["status"].as_str()),
        (Some(2), Some("Shipped"))
    );
    assert_eq!(shipped["items_shipped"], 3);
    assert!(
        chrono::DateTime::parse_from_rfc2822(shipped["date_shipped"].as_str().unwrap()).is_ok()
    );
    let by_status = bc_get(&store, "/orders", &[("status_id", "2")]).await;
    assert_eq!(json_of(by_status).await.as_array().unwrap().len(), 1);

    let listed = json_of(bc_get(&store, &shipments, &[]).await).await;
    let numbers: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tracking_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1Z999AA10123456784", "1Z999AA10123456795"]);
    let second_page = bc_get(&store, &shipments, &[("limit", "1"), ("page", "2")]).await;
    assert_eq!(json_of(second_page).await, json!([listed[1].clone()]));
    let bad_limit = bc_get(&store, &shipments, &[("limit", "many")]).await;
    assert_eq!(bad_limit.status(), 400);
    let count = json_of(bc_get(&store, &format!("{shipments}/count"), &[]).await).await;
    assert_eq!(count, json!({ "count": 2 }));
    let one = bc_get(&store, &format!("{shipments}/{}", listed[1]["id"]), &[]).await;
    assert_eq!(json_of(one).await, listed[1]);
    assert_eq!(held(&store, order.id).fulfillments.len(), 2);
}

#[tokio::test]
async fn bc_shipment_refusals_name_the_field() {
    let store = start(StoreKind::Bigcommerce).await;
    let order = store.place_order(two_line_order());
    let shipments = format!("/orders/{}/shipments", order.id);
    let (address, products) = bc_ids(&store, &order).await;
    let item = |quantity: u32| json!([{ "order_product_id": products[0], "quantity": quantity }]);
    let cases = [
        (
            json!({ "items": item(1) }),
            "The required field 'order_address_id' was not supplied.",
        ),
        (
            json!({ "order_address_id": address }),
            "The required field 'items' was not supplied.",
        ),
        (
            json!({ "order_address_id": address + 1, "items": item(1) }),
            "The field 'order_address_id' is invalid.",
        ),
        (
            json!({ "order_address_id": address, "items": item(3) }),
            "The field 'quantity' is invalid.",
        ),
        (
            json!({ "order_address_id": address, "items": [{ "order_product_id": 1, "quantity": 1 }] }),
            "The field 'order_product_id' is invalid.",
        ),
        (
            json!({ "order_address_id": address, "items": item(1), "tracking_carrier": "FedEx" }),
            "The field 'tracking_carrier' is invalid.",
        ),
        (
            json!({ "order_address_id": address, "items": item(1), "tracking_number": "9".repeat(51) }),
            "The field 'tracking_number' is invalid.",
        ),
    ];
    for (body, message) in cases {
        let response = bc_post(&store, &shipments, body.clone()).await;
        assert_eq!(response.status(), 400, "{body}");
        let errors = json_of(response).await;
        assert_eq!(errors[0]["status"], 400, "{body}");
        assert_eq!(errors[0]["message"], message, "{body}");
    }
    assert!(held(&store, order.id).fulfillments.is_empty());
    let missing = bc_post(&store, "/orders/999999/shipments", json!({})).await;
    assert_eq!(missing.status(), 404);
    let anonymous = client()
        .post(format!("{}/v2{shipments}", store.base_url()))
        .json(&json!({ "order_address_id": address, "items": item(1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_lost_answer_still_leaves_the_write_done() {
    let store = start(StoreKind::Bigcommerce).await;
    let order = store.place_order(PlaceOrder::test_order());
    let (address, products) = bc_ids(&store, &order).await;
    store.lose_next_write_answers(1);
    let lost = client()
        .post(format!(
            "{}/v2/orders/{}/shipments",
            store.base_url(),
            order.id
        ))
        .header("X-Auth-Token", BIGCOMMERCE_TOKEN)
        .json(&json!({
            "order_address_id": address,
            "tracking_number": "9400111899560000000000",
            "tracking_carrier": "usps",
            "items": [{ "order_product_id": products[0], "quantity": 1 }],
        }))
        .send()
        .await;
    assert!(lost.is_err(), "no answer: {lost:?}");
    assert_eq!(held(&store, order.id).fulfillments.len(), 1);
    assert_eq!(bc_order(&store, &order).await["status_id"], 2);

    let woo = start(StoreKind::Woocommerce).await;
    let order = woo.place_order(PlaceOrder::test_order());
    woo.lose_next_write_answers(1);
    let lost = client()
        .post(format!("{}/wp-json{}", woo.base_url(), trackings(&order)))
        .basic_auth(WOO_CONSUMER_KEY, Some(WOO_CONSUMER_SECRET))
        .json(&json!({ "tracking_provider": "USPS", "tracking_number": "9400111899560000000000" }))
        .send()
        .await;
    assert!(lost.is_err());
    // Only the one answer was lost.
    let listed = woo_get_path(&woo, &trackings(&order)).await;
    assert_eq!(json_of(listed).await.as_array().unwrap().len(), 1);
}
