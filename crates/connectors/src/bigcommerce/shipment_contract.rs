//! Contract tests of the shipment the client writes, against BigCommerce's own Orders v2
//! OpenAPI file in `shared/specs/bigcommerce/`: every request's path and method are in the
//! spec, the POST body satisfies `orderShipment_Post` (closed: no field the spec does not
//! name), its ids come from the spec's products and address examples, and the spec's shipment
//! examples read with the client's types.

use std::sync::{Arc, Mutex};

use dealer_core::channel::{
    ChannelError, FulfillmentLine, FulfillmentRequest, PushedFulfillment, SalesChannel,
};
use dealer_core::secret::Sensitive;
use serde_json::{json, Value};

use super::client::BigCommerceClient;
use super::profile::tracking_carrier;
use super::wire::{BcShipProduct, BcShipment};
use crate::stub::{Scripted, Seen, Stub};
use crate::testing::spec;
use crate::HttpPolicy;

fn openapi() -> Value {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&spec("bigcommerce/orders.v2.oas2.yml")).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn example(spec: &Value, response: &str, name: &str) -> Value {
    let value = &spec["components"]["responses"][response]["content"]["application/json"]
        ["examples"][name]["value"];
    assert!(!value.is_null(), "no example {response}/{name}");
    value.clone()
}

/// The spec's schemas as JSON Schema with every object closed, so a field the spec does not
/// name fails instead of passing unnoticed.
fn closed(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("type") == Some(&json!("object")) && map.contains_key("properties") {
                map.entry("additionalProperties").or_insert(json!(false));
            }
            for (name, value) in map.iter_mut() {
                if name != "example" && name != "examples" {
                    closed(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(closed),
        _ => {}
    }
}

fn schema(spec: &Value, name: &str) -> jsonschema::Validator {
    let mut schemas = spec["components"]["schemas"].clone();
    closed(&mut schemas);
    let root = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": { "schemas": schemas },
    });
    jsonschema::draft202012::options().build(&root).unwrap()
}

/// The spec's order 100 as a store holds it: the products and single address examples, no
/// shipments until one is posted (answered with the spec's shipment example and the number
/// sent), and the first POST answered `first_post_status` when it is not 201.
struct SpecStore {
    stub: Stub,
    shipments: Arc<Mutex<Vec<Value>>>,
}

async fn spec_store(existing: Vec<Value>, first_post_status: u16) -> SpecStore {
    let spec = openapi();
    let products = example(&spec, "orderProductsCollection_Resp", "response");
    let address = example(&spec, "orderShippingAddress_Resp", "response");
    let created = example(&spec, "orderShipment_Resp", "application/json");
    let shipments = Arc::new(Mutex::new(existing));
    let posts = Arc::new(Mutex::new(0_u32));
    let held = shipments.clone();
    let stub = Stub::handler(move |seen: &Seen| {
        let path = seen.target.split('?').next().unwrap_or_default();
        match (seen.method.as_str(), path) {
            ("GET", "/v2/orders/100/products") => Scripted::json(200, products.to_string()),
            ("GET", "/v2/orders/100/shipping_addresses") => {
                Scripted::json(200, json!([address]).to_string())
            }
            ("GET", "/v2/orders/100/shipments") => {
                let held = held.lock().unwrap();
                if held.is_empty() {
                    Scripted::json(204, "")
                } else {
                    Scripted::json(200, Value::Array(held.clone()).to_string())
                }
            }
            ("POST", "/v2/orders/100/shipments") => {
                let sent: Value = serde_json::from_str(&seen.body).unwrap();
                let mut shipment = created.clone();
                shipment["id"] = json!(7001 + held.lock().unwrap().len());
                shipment["tracking_number"] = sent["tracking_number"].clone();
                held.lock().unwrap().push(shipment.clone());
                let mut posts = posts.lock().unwrap();
                *posts += 1;
                if *posts == 1 && first_post_status != 201 {
                    // Done, but the answer says otherwise (a proxy's 502, say).
                    return Scripted::json(
                        first_post_status,
                        r#"[{"status":502,"message":"Bad Gateway"}]"#,
                    );
                }
                Scripted::json(201, shipment.to_string())
            }
            _ => Scripted::json(404, r#"[{"status":404,"message":"not here"}]"#),
        }
    })
    .await;
    SpecStore { stub, shipments }
}

fn client(stub: &Stub) -> BigCommerceClient {
    let policy = HttpPolicy {
        base_backoff: std::time::Duration::from_millis(1),
        ..HttpPolicy::default()
    };
    BigCommerceClient::with_policy(&stub.base_url, Sensitive::new("bc-token".into()), policy)
        .unwrap()
}

fn request(number: &str, lines: &[(&str, u32)]) -> FulfillmentRequest {
    FulfillmentRequest {
        channel_order_id: "100".into(),
        order_number: "#100".into(),
        tracking_number: number.into(),
        carrier: "FedEx".into(),
        tracking_url: Some(format!("https://www.fedex.com/fedextrack/?trknbr={number}")),
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

fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
}

/// Every request is a path and method of the spec, with only the query parameters it names.
fn assert_in_spec(spec: &Value, seen: &[Seen]) -> Vec<(String, String)> {
    let paths = spec["paths"].as_object().unwrap();
    let mut called = Vec::new();
    for request in seen {
        let url = reqwest::Url::parse(&format!("http://stub{}", request.target)).unwrap();
        let path = url.path().strip_prefix("/v2").unwrap();
        let (template, item) = paths
            .iter()
            .find(|(template, _)| template_matches(template, path))
            .unwrap_or_else(|| panic!("{path} is not in the Orders v2 spec"));
        let method = request.method.to_lowercase();
        let operation = &item[&method];
        assert!(
            operation.is_object(),
            "{} {template} is not in the spec",
            request.method
        );
        let allowed: Vec<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["$ref"].as_str())
            .map(|r| r.trim_start_matches("#/components/parameters/"))
            .filter(|name| spec["components"]["parameters"][name]["in"] == "query")
            .map(|name| {
                spec["components"]["parameters"][name]["name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        for (name, _) in url.query_pairs() {
            assert!(
                allowed.contains(&name.to_string()),
                "{template}: {name} not in {allowed:?}"
            );
        }
        called.push((request.method.clone(), template.clone()));
    }
    called
}

#[tokio::test]
async fn the_shipment_follows_order_shipment_post() {
    let spec = openapi();
    let store = spec_store(Vec::new(), 201).await;
    let pushed = client(&store.stub)
        .push_fulfillment(&request("EJ958083578US", &[("S-ORAN", 1), ("ABS", 1)]))
        .await
        .unwrap();
    assert_eq!(
        pushed,
        PushedFulfillment {
            id: "7001".into(),
            already_there: false
        }
    );
    let seen = store.stub.seen();
    let called = assert_in_spec(&spec, &seen);
    assert_eq!(
        called,
        [
            ("GET", "/orders/{order_id}/shipments"),
            ("GET", "/orders/{order_id}/products"),
            ("GET", "/orders/{order_id}/shipping_addresses"),
            ("POST", "/orders/{order_id}/shipments"),
        ]
        .map(|(m, t)| (m.to_string(), t.to_string()))
    );
    let post = seen.iter().find(|s| s.method == "POST").unwrap();
    assert_eq!(post.headers["x-auth-token"], "bc-token");
    assert_eq!(post.headers["content-type"], "application/json");
    let body: Value = serde_json::from_str(&post.body).unwrap();
    let validator = schema(&spec, "orderShipment_Post");
    // Closed, and with the spec's limits: a misspelt field or a long number fails.
    assert!(!validator.is_valid(&json!({ "order_address_id": 42, "trackingnumber": "1" })));
    assert!(!validator.is_valid(&json!({ "tracking_number": "9".repeat(51) })));
    let problems: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{body:#}");
    // The description's required fields, with the spec examples' ids.
    assert_eq!(body["order_address_id"], 42);
    assert_eq!(
        body["items"],
        json!([
            { "order_product_id": 65, "quantity": 1 },
            { "order_product_id": 66, "quantity": 1 },
        ])
    );
    assert_eq!(body["tracking_number"], "EJ958083578US");
    assert_eq!(body["tracking_carrier"], "fedex");
    // A slug lets BigCommerce build the link: ours is not sent.
    assert!(body.get("tracking_link").is_none());
    let shipment_get = &spec["paths"]["/orders/{order_id}/shipments"]["get"];
    assert!(
        shipment_get["responses"]["204"].is_object(),
        "204 is the spec's 'no shipments'"
    );
}

#[tokio::test]
async fn a_carrier_without_a_slug_sends_its_name_and_link() {
    let spec = openapi();
    let store = spec_store(Vec::new(), 201).await;
    let mut courier = request("CX123", &[("ABS", 1)]);
    courier.carrier = "Speedy Courier".into();
    courier.tracking_url = Some("https://www.ontrac.com/tracking/?number=CX123".into());
    client(&store.stub)
        .push_fulfillment(&courier)
        .await
        .unwrap();
    let post = store
        .stub
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .unwrap();
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert!(
        schema(&spec, "orderShipment_Post").is_valid(&body),
        "{body}"
    );
    assert_eq!(body["tracking_carrier"], "");
    assert_eq!(body["shipping_method"], "Speedy Courier");
    assert_eq!(
        body["tracking_link"],
        "https://www.ontrac.com/tracking/?number=CX123"
    );
    assert_eq!(
        body["items"],
        json!([{ "order_product_id": 66, "quantity": 1 }])
    );
}

#[tokio::test]
async fn a_link_off_the_carriers_own_site_is_not_sent() {
    let store = spec_store(Vec::new(), 201).await;
    let mut courier = request("CX123", &[("ABS", 1)]);
    courier.carrier = "Speedy Courier".into();
    courier.tracking_url = Some("javascript:alert(document.cookie)".into());
    client(&store.stub)
        .push_fulfillment(&courier)
        .await
        .unwrap();
    let post = store
        .stub
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .unwrap();
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body.get("tracking_link"), None, "{body}");
}

#[tokio::test]
async fn a_shipment_already_there_is_not_written_again() {
    let spec = openapi();
    // The spec's own shipments example holds EJ958083578US.
    let existing = example(&spec, "orderShipmentCollection_Resp", "application/json");
    let store = spec_store(existing.as_array().unwrap().clone(), 201).await;
    let pushed = client(&store.stub)
        .push_fulfillment(&request("ej9580 83578us", &[("S-ORAN", 1)]))
        .await
        .unwrap();
    assert_eq!(
        pushed,
        PushedFulfillment {
            id: "6".into(),
            already_there: true
        }
    );
    assert!(store.stub.seen().iter().all(|s| s.method == "GET"));
}

#[tokio::test]
async fn a_post_whose_answer_failed_is_found_not_repeated() {
    let store = spec_store(Vec::new(), 502).await;
    let pushed = client(&store.stub)
        .push_fulfillment(&request("1Z999AA10123456784", &[("S-ORAN", 1)]))
        .await
        .unwrap();
    assert_eq!(pushed.id, "7001");
    let posts = store
        .stub
        .seen()
        .iter()
        .filter(|s| s.method == "POST")
        .count();
    assert_eq!(posts, 1, "one shipment per tracking number");
    assert_eq!(store.shipments.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn skus_the_order_does_not_have_are_refused_before_writing() {
    let store = spec_store(Vec::new(), 201).await;
    let bc = client(&store.stub);
    let missing = bc
        .push_fulfillment(&request("1Z1", &[("NOPE", 1)]))
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, ChannelError::Protocol { detail } if detail.contains("no line with SKU NOPE")),
        "{missing:?}"
    );
    let too_many = bc
        .push_fulfillment(&request("1Z1", &[("ABS", 2)]))
        .await
        .unwrap_err();
    assert!(
        matches!(&too_many, ChannelError::Protocol { detail } if detail.contains("has 1 of SKU ABS left")),
        "{too_many:?}"
    );
    assert!(store.stub.seen().iter().all(|s| s.method == "GET"));
}

#[test]
fn the_spec_examples_read_with_the_clients_types() {
    let spec = openapi();
    let list = example(&spec, "orderShipmentCollection_Resp", "application/json");
    for shipment in list.as_array().unwrap() {
        serde_json::from_value::<BcShipment>(shipment.clone()).unwrap();
    }
    serde_json::from_value::<BcShipment>(example(&spec, "orderShipment_Resp", "application/json"))
        .unwrap();
    let products = example(&spec, "orderProductsCollection_Resp", "response");
    for product in products.as_array().unwrap() {
        serde_json::from_value::<BcShipProduct>(product.clone()).unwrap();
    }
    // The shipment example file is the same shape.
    serde_json::from_value::<BcShipment>(crate::testing::spec_json(
        "bigcommerce/shipment.example.json",
    ))
    .unwrap();
}

#[test]
fn carriers_map_to_aftership_slugs() {
    // The spec: "Acceptable values for `tracking_carrier` include an empty string or one of the
    // valid tracking-carrier values" (AfterShip's courier slugs).
    let cases = [
        ("UPS", Some("ups")),
        ("FedEx", Some("fedex")),
        ("USPS", Some("usps")),
        ("DHL Express", Some("dhl")),
        ("Amazon Logistics", Some("amazon")),
        ("OnTrac", Some("ontrac")),
        ("Pony Express", None),
    ];
    for (carrier, slug) in cases {
        assert_eq!(tracking_carrier(carrier), slug, "{carrier}");
    }
}
