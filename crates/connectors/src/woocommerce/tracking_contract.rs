//! Contract tests of the tracking the client writes to WooCommerce. Order notes and the status
//! change are checked against the community OpenAPI of wc/v3 in `shared/specs/woocommerce/`
//! (paths, methods, query parameters, request bodies with every object closed). The Shipment
//! Tracking extension has no spec file: its request is checked against the fields its REST
//! documentation names (woocommerce.com, "Create a tracking item with the Shipment Tracking REST
//! API") and its provider names against the extension's predefined list.

use std::sync::{Arc, Mutex};

use dealer_core::channel::{
    ChannelError, FulfillmentLine, FulfillmentRequest, PushedFulfillment, SalesChannel,
};
use dealer_core::secret::Sensitive;
use serde_json::{json, Value};

use super::client::WooClient;
use super::fulfillment::{note_text, tracking_body};
use super::profile::provider;
use crate::stub::{Scripted, Seen, Stub};
use crate::testing::{spec, spec_json};
use crate::HttpPolicy;

/// The extension's "United States" providers (`get_providers()`), in its own spelling.
const US_PROVIDERS: [&str; 8] = [
    "DHL US",
    "DHL eCommerce",
    "Fedex",
    "FedEx Sameday",
    "GlobalPost",
    "OnTrac",
    "UPS",
    "USPS",
];

/// The create request's fields as the extension documents them.
fn tracking_request_schema() -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .build(&json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["tracking_number"],
            "properties": {
                "tracking_number": { "type": "string", "minLength": 1 },
                "tracking_provider": { "type": "string", "enum": US_PROVIDERS },
                "custom_tracking_provider": { "type": "string", "minLength": 1 },
                "custom_tracking_link": { "type": "string", "format": "uri" },
                "date_shipped": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" },
            },
            // A predefined provider, or a custom one: not both.
            "oneOf": [
                { "required": ["tracking_provider"], "not": { "required": ["custom_tracking_provider"] } },
                { "required": ["custom_tracking_provider"], "not": { "required": ["tracking_provider"] } },
            ],
        }))
        .unwrap()
}

fn openapi() -> Value {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&spec("woocommerce/woocommerce-openapi-3.0.x.community.yml")).unwrap();
    serde_json::to_value(yaml).unwrap()
}

/// A request body schema of the community spec, every object closed.
fn request_schema(spec: &Value, path: &str, method: &str) -> jsonschema::Validator {
    fn close(node: &mut Value) {
        match node {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object")) && map.contains_key("properties") {
                    map.entry("additionalProperties").or_insert(json!(false));
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    let mut schema =
        spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "{method} {path} has no request body in the spec"
    );
    close(&mut schema);
    jsonschema::draft202012::options().build(&schema).unwrap()
}

/// A store: with or without the Shipment Tracking extension, holding `items` and `notes` for
/// order 727 (the official example order, in `status`). The first write answers
/// `first_write_status` (after doing the write) when it is not 201.
#[derive(Clone)]
struct Store {
    extension: bool,
    items: Arc<Mutex<Vec<Value>>>,
    notes: Arc<Mutex<Vec<Value>>>,
    status: Arc<Mutex<String>>,
    writes: Arc<Mutex<u32>>,
    first_write_status: u16,
}

impl Store {
    fn new(extension: bool) -> Self {
        Store {
            extension,
            items: Arc::default(),
            notes: Arc::default(),
            status: Arc::new(Mutex::new("processing".into())),
            writes: Arc::default(),
            first_write_status: 201,
        }
    }

    async fn serve(self) -> Stub {
        Stub::handler(move |seen| self.answer(seen)).await
    }

    fn written(&self, answer: Value) -> Scripted {
        let mut writes = self.writes.lock().unwrap();
        *writes += 1;
        if *writes == 1 && self.first_write_status != 201 {
            return Scripted::json(
                self.first_write_status,
                r#"{"code":"gateway","message":"Bad Gateway","data":{"status":502}}"#,
            );
        }
        Scripted::json(201, answer.to_string())
    }

    fn answer(&self, seen: &Seen) -> Scripted {
        let path = seen.target.split('?').next().unwrap_or_default();
        let body = || serde_json::from_str::<Value>(&seen.body).unwrap();
        let no_route = || {
            Scripted::json(
                404,
                r#"{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}"#,
            )
        };
        match (seen.method.as_str(), path) {
            (_, "/wp-json/wc-shipment-tracking/v3/orders/727/shipment-trackings")
                if !self.extension =>
            {
                no_route()
            }
            ("GET", "/wp-json/wc-shipment-tracking/v3/orders/727/shipment-trackings") => {
                Scripted::json(
                    200,
                    Value::Array(self.items.lock().unwrap().clone()).to_string(),
                )
            }
            ("POST", "/wp-json/wc-shipment-tracking/v3/orders/727/shipment-trackings") => {
                let sent = body();
                let item = json!({
                    "tracking_id": format!("{:032x}", 0xabc + self.items.lock().unwrap().len()),
                    "tracking_provider": sent["tracking_provider"],
                    "tracking_link": "",
                    "tracking_number": sent["tracking_number"],
                    "date_shipped": "2026-07-10",
                });
                self.items.lock().unwrap().push(item.clone());
                self.written(item)
            }
            ("GET", "/wp-json/wc/v3/orders/727/notes") => Scripted::json(
                200,
                Value::Array(self.notes.lock().unwrap().clone()).to_string(),
            ),
            ("POST", "/wp-json/wc/v3/orders/727/notes") => {
                let sent = body();
                let note = json!({
                    "id": 281 + self.notes.lock().unwrap().len(),
                    "author": "system",
                    "date_created": "2017-03-21T16:46:41",
                    "date_created_gmt": "2017-03-21T19:46:41",
                    "note": sent["note"],
                    "customer_note": sent["customer_note"],
                });
                self.notes.lock().unwrap().insert(0, note.clone());
                self.written(note)
            }
            ("GET", "/wp-json/wc/v3/orders/727") => {
                let mut order = spec_json("woocommerce/order.example.json");
                order["status"] = json!(*self.status.lock().unwrap());
                Scripted::json(200, order.to_string())
            }
            ("PUT", "/wp-json/wc/v3/orders/727") => {
                let sent = body();
                *self.status.lock().unwrap() = sent["status"].as_str().unwrap().to_string();
                let mut order = spec_json("woocommerce/order.example.json");
                order["status"] = sent["status"].clone();
                Scripted::json(200, order.to_string())
            }
            (
                "GET",
                "/wp-json/wc/v3/orders/999/notes"
                | "/wp-json/wc-shipment-tracking/v3/orders/999/shipment-trackings",
            ) => Scripted::json(
                404,
                r#"{"code":"woocommerce_rest_order_invalid_id","message":"Invalid order ID.","data":{"status":404}}"#,
            ),
            _ => no_route(),
        }
    }
}

fn client(stub: &Stub) -> WooClient {
    let policy = HttpPolicy {
        base_backoff: std::time::Duration::from_millis(1),
        ..HttpPolicy::default()
    };
    WooClient::with_policy(
        &stub.base_url,
        Sensitive::new("ck_test".into()),
        Sensitive::new("cs_test".into()),
        policy,
    )
    .unwrap()
}

fn request(carrier: &str, number: &str, completes_order: bool) -> FulfillmentRequest {
    FulfillmentRequest {
        channel_order_id: "727".into(),
        order_number: "#727".into(),
        tracking_number: number.into(),
        carrier: carrier.into(),
        tracking_url: Some(format!("https://www.ups.com/track?tracknum={number}")),
        lines: vec![FulfillmentLine {
            sku: "Bar3".into(),
            quantity: 1,
        }],
        completes_order,
    }
}

fn calls(stub: &Stub) -> Vec<String> {
    stub.seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.target))
        .collect()
}

fn posted(stub: &Stub) -> Vec<Value> {
    stub.seen()
        .iter()
        .filter(|s| s.method == "POST" || s.method == "PUT")
        .map(|s| serde_json::from_str(&s.body).unwrap())
        .collect()
}

#[tokio::test]
async fn tracking_items_use_the_extensions_providers_or_a_custom_one() {
    let schema = tracking_request_schema();
    for (carrier, expected) in [
        ("UPS", Some("UPS")),
        ("FedEx", Some("Fedex")),
        ("USPS", Some("USPS")),
        ("DHL Express", Some("DHL US")),
        ("OnTrac", Some("OnTrac")),
        ("Amazon Logistics", None),
    ] {
        let stub = Store::new(true).serve().await;
        let pushed = client(&stub)
            .push_fulfillment(&request(carrier, "TN1", true))
            .await
            .unwrap();
        assert!(!pushed.already_there, "{carrier}");
        assert_eq!(pushed.id.len(), 32, "{carrier}");
        let trackings = "/wp-json/wc-shipment-tracking/v3/orders/727/shipment-trackings";
        assert_eq!(
            calls(&stub),
            [format!("GET {trackings}"), format!("POST {trackings}")],
            "{carrier}: the extension does not complete the order"
        );
        let body = &posted(&stub)[0];
        let problems: Vec<String> = schema.iter_errors(body).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "{carrier}: {problems:?} in {body}");
        assert_eq!(body["tracking_provider"].as_str(), expected, "{carrier}");
        if expected.is_none() {
            assert_eq!(body["custom_tracking_provider"], "Amazon Logistics");
            assert_eq!(
                body["custom_tracking_link"],
                "https://www.ups.com/track?tracknum=TN1"
            );
        }
        let seen = &stub.seen()[1];
        // base64("ck_test:cs_test")
        assert_eq!(seen.headers["authorization"], "Basic Y2tfdGVzdDpjc190ZXN0");
        assert_eq!(seen.headers["content-type"], "application/json");
    }
    // The schema really is closed and knows the spelling.
    assert!(!schema.is_valid(&json!({ "tracking_number": "1", "tracking_provider": "FedEx" })));
    assert!(!schema.is_valid(&json!({ "tracking_number": "1", "provider": "UPS" })));
    assert_eq!(provider("fedex"), Some("Fedex"));
}

#[tokio::test]
async fn a_tracking_item_already_there_is_not_written_again() {
    let store = Store::new(true);
    store.items.lock().unwrap().push(json!({
        "tracking_id": "7f4978c390ee633c6294ae0f258656f9",
        "tracking_provider": "USPS",
        "tracking_link": "https://tools.usps.com/tracking/9400111899560000000000",
        "tracking_number": "9400 1118 9956 0000 0000 00",
        "date_shipped": "2026-07-10",
    }));
    let stub = store.serve().await;
    let pushed = client(&stub)
        .push_fulfillment(&request("USPS", "9400111899560000000000", true))
        .await
        .unwrap();
    assert_eq!(
        pushed,
        PushedFulfillment {
            id: "7f4978c390ee633c6294ae0f258656f9".into(),
            already_there: true
        }
    );
    assert_eq!(calls(&stub).len(), 1);
}

#[tokio::test]
async fn a_write_whose_answer_failed_is_found_not_repeated() {
    let mut store = Store::new(true);
    store.first_write_status = 502;
    let items = store.items.clone();
    let stub = store.serve().await;
    let pushed = client(&stub)
        .push_fulfillment(&request("UPS", "1Z999AA10123456784", false))
        .await
        .unwrap();
    assert!(!pushed.already_there);
    assert_eq!(items.lock().unwrap().len(), 1);
    let posts = stub.seen().iter().filter(|s| s.method == "POST").count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn without_the_extension_a_customer_note_then_completed() {
    let spec = openapi();
    let store = Store::new(false);
    let status = store.status.clone();
    let stub = store.serve().await;
    let ups = request("UPS", "1Z999AA10123456784", true);
    let pushed = client(&stub).push_fulfillment(&ups).await.unwrap();
    assert_eq!(
        pushed,
        PushedFulfillment {
            id: "281".into(),
            already_there: false
        }
    );
    assert_eq!(
        calls(&stub),
        [
            "GET /wp-json/wc-shipment-tracking/v3/orders/727/shipment-trackings",
            "GET /wp-json/wc/v3/orders/727/notes",
            "POST /wp-json/wc/v3/orders/727/notes",
            "GET /wp-json/wc/v3/orders/727",
            "PUT /wp-json/wc/v3/orders/727",
        ]
    );
    let bodies = posted(&stub);
    assert_eq!(
        bodies[0],
        json!({
            "note": "Your order has shipped: UPS 1Z999AA10123456784 https://www.ups.com/track?tracknum=1Z999AA10123456784",
            "customer_note": true,
        })
    );
    assert_eq!(note_text(&ups), bodies[0]["note"]);
    assert_eq!(bodies[1], json!({ "status": "completed" }));
    assert_eq!(*status.lock().unwrap(), "completed");

    // Each wc/v3 call is a path, method and parameter of the spec, and its body fits the
    // documented request body.
    let notes = request_schema(&spec, "/orders/{order_id}/notes", "post");
    assert!(notes.is_valid(&bodies[0]), "{}", bodies[0]);
    assert!(
        !notes.is_valid(&json!({ "note": "x", "customer": true })),
        "closed"
    );
    let update = request_schema(&spec, "/orders/{id}", "put");
    assert!(update.is_valid(&bodies[1]), "{}", bodies[1]);
    assert!(
        !update.is_valid(&json!({ "status": "shipped" })),
        "status is an enum"
    );
    for seen in stub.seen().iter().skip(1) {
        let path = seen.target.strip_prefix("/wp-json/wc/v3").unwrap();
        let template = if path.ends_with("/notes") {
            "/orders/{order_id}/notes"
        } else {
            "/orders/{id}"
        };
        let operation = &spec["paths"][template][seen.method.to_lowercase()];
        assert!(operation.is_object(), "{} {template}", seen.method);
    }
}

#[tokio::test]
async fn without_the_extension_a_note_already_there_is_kept_and_status_still_set() {
    let store = Store::new(false);
    store.notes.lock().unwrap().push(json!({
        "id": 280,
        "author": "system",
        "date_created": "2017-03-21T16:46:41",
        "date_created_gmt": "2017-03-21T19:46:41",
        "note": "Your order has shipped: UPS 1z999aa10123456784",
        "customer_note": true,
    }));
    let status = store.status.clone();
    let stub = store.serve().await;
    let pushed = client(&stub)
        .push_fulfillment(&request("UPS", "1Z999AA10123456784", true))
        .await
        .unwrap();
    assert_eq!(
        pushed,
        PushedFulfillment {
            id: "280".into(),
            already_there: true
        }
    );
    // The app may have died between the note and the status: the status is still set.
    assert!(stub.seen().iter().all(|s| s.method != "POST"));
    assert_eq!(*status.lock().unwrap(), "completed");
}

#[tokio::test]
async fn a_partial_shipment_or_a_closed_order_keeps_its_status() {
    let store = Store::new(false);
    let stub = store.clone().serve().await;
    client(&stub)
        .push_fulfillment(&request("USPS", "9400111899560000000000", false))
        .await
        .unwrap();
    assert!(stub.seen().iter().all(|s| s.method != "PUT"));
    assert_eq!(*store.status.lock().unwrap(), "processing");

    for closed in ["completed", "cancelled", "refunded"] {
        let store = Store::new(false);
        *store.status.lock().unwrap() = closed.into();
        let stub = store.clone().serve().await;
        client(&stub)
            .push_fulfillment(&request("USPS", "9400111899560000000000", true))
            .await
            .unwrap();
        assert!(stub.seen().iter().all(|s| s.method != "PUT"), "{closed}");
        assert_eq!(*store.status.lock().unwrap(), closed);
    }
}

#[tokio::test]
async fn a_missing_order_is_not_a_missing_extension() {
    let stub = Store::new(true).serve().await;
    let mut gone = request("UPS", "1Z1", true);
    gone.channel_order_id = "999".into();
    let err = client(&stub).push_fulfillment(&gone).await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::NotFound { detail } if detail.contains("order #727 is not in the store")),
        "{err:?}"
    );
    assert_eq!(calls(&stub).len(), 1, "no note written instead");
}

#[test]
fn bodies_without_a_link_leave_it_out() {
    let mut request = request("Amazon Logistics", "TBA1", true);
    request.tracking_url = None;
    assert_eq!(
        tracking_body(&request),
        json!({ "custom_tracking_provider": "Amazon Logistics", "tracking_number": "TBA1" })
    );
    assert_eq!(
        note_text(&request),
        "Your order has shipped: Amazon Logistics TBA1"
    );
}
