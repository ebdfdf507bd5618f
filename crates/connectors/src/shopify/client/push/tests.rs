//! The tracking push against a loopback stub store that can lose its answer to the mutation
//! after acting on it (which the sandbox cannot do: its faults strike before a request runs).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dealer_core::channel::{ChannelError, FulfillmentLine, FulfillmentRequest, SalesChannel};
use dealer_core::secret::Sensitive;
use serde_json::{json, Value};

use crate::http::HttpPolicy;
use crate::shopify::ShopifyClient;
use crate::stub::{Scripted, Seen, Stub};

/// One order with one fulfillment order: MUG ×2 and CAP ×1.
struct Shop {
    /// (tracking number, id) of each fulfillment made.
    fulfillments: Vec<(String, String)>,
    remaining: [i64; 2],
    mutations: u32,
    /// Make the next fulfillment, then answer 502 as if the answer was lost on the way.
    lose_next_answer: bool,
    /// Answer the next mutation 503 without making anything.
    fail_next: bool,
    /// Answer the next mutation THROTTLED (Shopify did not run it).
    throttle_next: bool,
    /// Refuse the mutation with this user error.
    user_error: Option<&'static str>,
}

const LINES: [(&str, &str); 2] = [
    ("gid://shopify/FulfillmentOrderLineItem/11", "MUG"),
    ("gid://shopify/FulfillmentOrderLineItem/12", "CAP"),
];

fn operation(body: &Value) -> String {
    let query = body["query"].as_str().unwrap_or_default().trim_start();
    let rest = query
        .strip_prefix("query ")
        .or_else(|| query.strip_prefix("mutation "))
        .unwrap_or(query);
    rest.chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

fn answer(shop: &mut Shop, seen: &Seen) -> Scripted {
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    let data = match operation(&body).as_str() {
        "OrderFulfillments" => {
            let fulfillments: Vec<Value> = shop
                .fulfillments
                .iter()
                .map(|(number, id)| {
                    json!({
                        "id": id,
                        "status": "SUCCESS",
                        "trackingInfo": [{ "number": number }],
                    })
                })
                .collect();
            json!({ "order": { "fulfillments": fulfillments } })
        }
        "FulfillmentOrders" => {
            let lines: Vec<Value> = LINES
                .iter()
                .zip(shop.remaining)
                .map(|((id, sku), remaining)| {
                    json!({
                        "id": id,
                        "remainingQuantity": remaining,
                        "lineItem": { "id": "gid://shopify/LineItem/1", "sku": sku },
                    })
                })
                .collect();
            json!({ "order": {
                "cancelledAt": null,
                "displayFulfillmentStatus": "UNFULFILLED",
                "fulfillmentOrders": {
                    "pageInfo": { "hasNextPage": false, "endCursor": null },
                    "nodes": [{
                        "id": "gid://shopify/FulfillmentOrder/1",
                        "status": "OPEN",
                        "supportedActions": [{ "action": "CREATE_FULFILLMENT" }],
                        "lineItems": { "pageInfo": { "hasNextPage": false }, "nodes": lines },
                    }],
                },
            }})
        }
        "FulfillmentCreate" => {
            shop.mutations += 1;
            if std::mem::take(&mut shop.fail_next) {
                return Scripted::json(503, r#"{"errors":"Service Unavailable"}"#);
            }
            if std::mem::take(&mut shop.throttle_next) {
                let throttled = json!({
                    "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED" } }],
                    "extensions": { "cost": {
                        "requestedQueryCost": 10,
                        "actualQueryCost": null,
                        "throttleStatus": {
                            "maximumAvailable": 1000.0,
                            "currentlyAvailable": 2,
                            "restoreRate": 200.0,
                        },
                    }},
                });
                return Scripted::json(200, throttled.to_string());
            }
            if let Some(message) = shop.user_error {
                let error = json!({
                    "field": ["fulfillment", "lineItemsByFulfillmentOrder"],
                    "message": message,
                });
                json!({ "fulfillmentCreate": { "fulfillment": null, "userErrors": [error] } })
            } else {
                let input = &body["variables"]["fulfillment"];
                for item in input["lineItemsByFulfillmentOrder"][0]["fulfillmentOrderLineItems"]
                    .as_array()
                    .unwrap()
                {
                    let index = LINES.iter().position(|(id, _)| *id == item["id"]).unwrap();
                    shop.remaining[index] -= item["quantity"].as_i64().unwrap();
                }
                let id = format!("gid://shopify/Fulfillment/{}", shop.fulfillments.len() + 1);
                let number = input["trackingInfo"]["number"]
                    .as_str()
                    .unwrap()
                    .to_string();
                shop.fulfillments.push((number, id.clone()));
                if std::mem::take(&mut shop.lose_next_answer) {
                    return Scripted::json(502, r#"{"errors":"Bad Gateway"}"#);
                }
                json!({ "fulfillmentCreate": {
                    "fulfillment": { "id": id, "status": "SUCCESS", "trackingInfo": [] },
                    "userErrors": [],
                }})
            }
        }
        other => panic!("unexpected operation {other}"),
    };
    Scripted::json(200, json!({ "data": data }).to_string())
}

async fn shop() -> (Stub, Arc<Mutex<Shop>>, ShopifyClient) {
    let shop = Arc::new(Mutex::new(Shop {
        fulfillments: Vec::new(),
        remaining: [2, 1],
        mutations: 0,
        lose_next_answer: false,
        fail_next: false,
        throttle_next: false,
        user_error: None,
    }));
    let shared = shop.clone();
    let stub = Stub::handler(move |seen| answer(&mut shared.lock().unwrap(), seen)).await;
    let policy = HttpPolicy {
        base_backoff: Duration::from_millis(10),
        ..HttpPolicy::default()
    };
    let client =
        ShopifyClient::with_policy(&stub.base_url, Sensitive::new("shpat_test".into()), policy)
            .unwrap();
    (stub, shop, client)
}

fn request(tracking: &str, lines: &[(&str, u32)]) -> FulfillmentRequest {
    FulfillmentRequest {
        channel_order_id: "gid://shopify/Order/5730000001001".into(),
        order_number: "#1001".into(),
        tracking_number: tracking.into(),
        carrier: "Amazon Logistics".into(),
        tracking_url: Some("https://track.amazon.com/tracking/TBA123".into()),
        lines: lines
            .iter()
            .map(|(sku, quantity)| FulfillmentLine {
                sku: (*sku).into(),
                quantity: *quantity,
            })
            .collect(),
        completes_order: false,
    }
}

fn operations(stub: &Stub) -> Vec<String> {
    stub.seen()
        .iter()
        .map(|seen| operation(&serde_json::from_str(&seen.body).unwrap()))
        .collect()
}

#[tokio::test]
async fn a_lost_answer_is_found_by_looking_again_and_not_repeated() {
    let (stub, shop, client) = shop().await;
    shop.lock().unwrap().lose_next_answer = true;
    let pushed = client
        .push_fulfillment(&request("TBA123", &[("MUG", 2), ("CAP", 1)]))
        .await
        .unwrap();
    // This call made it: only its answer was lost.
    assert!(!pushed.already_there, "{pushed:?}");
    assert_eq!(pushed.id, "gid://shopify/Fulfillment/1");
    {
        let shop = shop.lock().unwrap();
        assert_eq!(shop.mutations, 1, "the mutation is never sent twice");
        assert_eq!(shop.fulfillments.len(), 1);
    }
    assert_eq!(
        operations(&stub),
        [
            "OrderFulfillments",
            "FulfillmentOrders",
            "FulfillmentCreate",
            "OrderFulfillments"
        ]
    );
    // Pushed again later (the engine never heard back): already there, nothing written.
    let again = client
        .push_fulfillment(&request("TBA123", &[("MUG", 2), ("CAP", 1)]))
        .await
        .unwrap();
    assert!(again.already_there);
    assert_eq!(again.id, pushed.id);
    assert_eq!(shop.lock().unwrap().mutations, 1);
}

#[tokio::test]
async fn a_write_that_did_not_happen_is_tried_again() {
    let (_stub, shop, client) = shop().await;
    shop.lock().unwrap().fail_next = true;
    let pushed = client
        .push_fulfillment(&request("TBA123", &[("MUG", 1)]))
        .await
        .unwrap();
    assert!(!pushed.already_there);
    let shop = shop.lock().unwrap();
    assert_eq!(shop.mutations, 2);
    assert_eq!(shop.fulfillments.len(), 1);
    assert_eq!(shop.remaining, [1, 1]);
}

#[tokio::test]
async fn the_mutation_holds_only_the_shipments_lines_and_its_tracking() {
    let (stub, _shop, client) = shop().await;
    let pushed = client
        .push_fulfillment(&request("TBA123", &[("MUG", 1)]))
        .await
        .unwrap();
    assert_eq!(pushed.id, "gid://shopify/Fulfillment/1");
    let seen = stub.seen();
    let mutation: Value = serde_json::from_str(&seen[2].body).unwrap();
    assert_eq!(
        mutation["variables"],
        json!({ "fulfillment": {
            "lineItemsByFulfillmentOrder": [{
                "fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1",
                "fulfillmentOrderLineItems": [
                    { "id": "gid://shopify/FulfillmentOrderLineItem/11", "quantity": 1 }
                ],
            }],
            "trackingInfo": {
                "number": "TBA123",
                "company": "Amazon",
                "url": "https://track.amazon.com/tracking/TBA123",
            },
            "notifyCustomer": true,
        }})
    );
}

#[tokio::test]
async fn user_errors_are_final_and_say_what_shopify_said() {
    let (_stub, shop, client) = shop().await;
    shop.lock().unwrap().user_error =
        Some("Invalid fulfillment order line item quantity requested.");
    let err = client
        .push_fulfillment(&request("TBA123", &[("MUG", 1)]))
        .await
        .unwrap_err();
    let ChannelError::Protocol { detail } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains("#1001"), "{detail}");
    assert!(
        detail.contains("Invalid fulfillment order line item quantity"),
        "{detail}"
    );
    assert!(
        detail.contains("fulfillment.lineItemsByFulfillmentOrder"),
        "{detail}"
    );
    assert_eq!(shop.lock().unwrap().mutations, 1);
}

#[tokio::test]
async fn a_throttled_mutation_waits_for_the_bucket_and_is_sent_again() {
    let (stub, shop, client) = shop().await;
    shop.lock().unwrap().throttle_next = true;
    let pushed = client
        .push_fulfillment(&request("TBA123", &[("CAP", 1)]))
        .await
        .unwrap();
    assert!(!pushed.already_there);
    assert_eq!(shop.lock().unwrap().fulfillments.len(), 1);
    assert_eq!(
        operations(&stub),
        [
            "OrderFulfillments",
            "FulfillmentOrders",
            "FulfillmentCreate",
            "OrderFulfillments",
            "FulfillmentOrders",
            "FulfillmentCreate"
        ]
    );
    // 2 points left at 200 a second: the mutation (10) could not be sent for 40 ms.
    let seen = stub.seen();
    let gap = seen[5].at - seen[2].at;
    assert!(gap >= Duration::from_millis(35), "sent again after {gap:?}");
}
