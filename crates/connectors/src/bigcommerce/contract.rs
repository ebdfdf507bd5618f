//! Contract tests against BigCommerce's own Orders v2 OpenAPI file and examples in
//! `shared/specs/bigcommerce/`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use dealer_core::channel::{ChannelOrder, Fetched, ListRequest, SalesChannel};
use dealer_core::domain::{
    Address, ChannelOrderId, Currency, Email, Money, NewOrder, NewOrderLine, Sku, StorePayment,
};
use dealer_core::secret::Sensitive;
use serde_json::{json, Value};

use super::client::BigCommerceClient;
use super::parse;
use super::wire::{BcAddress, BcOrder, BcProduct};
use crate::decimal::WeightUnit;
use crate::stub::{Scripted, Stub};
use crate::testing::{spec, spec_json};
use crate::HttpPolicy;

fn openapi() -> serde_yaml::Value {
    serde_yaml::from_str(&spec("bigcommerce/orders.v2.oas2.yml")).unwrap()
}

/// A response example of the spec, as JSON.
fn example(spec: &serde_yaml::Value, response: &str, name: &str) -> Value {
    let value = &spec["components"]["responses"][response]["content"]["application/json"]
        ["examples"][name]["value"];
    assert!(!value.is_null(), "no example {response}/{name}");
    serde_json::to_value(value).unwrap()
}

fn order_example() -> Value {
    spec_json("bigcommerce/order.example.json")
}

fn products_example(spec: &serde_yaml::Value) -> Vec<Value> {
    let products = example(spec, "orderProductsCollection_Resp", "response");
    products.as_array().unwrap().clone()
}

/// The single shipping address example: the collection example ships to two addresses.
fn one_address(spec: &serde_yaml::Value) -> Vec<Value> {
    vec![example(spec, "orderShippingAddress_Resp", "response")]
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::usd())
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn expected_order() -> ChannelOrder {
    ChannelOrder {
        order: NewOrder {
            channel_order_id: ChannelOrderId::parse("100").unwrap(),
            number: "#100".into(),
            customer_name: "Jane Doe".into(),
            customer_email: Some(Email::parse("janedoe@example.com").unwrap()),
            ship_to: Address {
                name: "Jane Doe".into(),
                line1: "123 MainStreet".into(),
                line2: None,
                city: "Austin".into(),
                state_code: "TX".into(),
                postal_code: "78751".into(),
                country_code: "US".into(),
                phone: Some("1234567890".into()),
            },
            lines: vec![
                NewOrderLine {
                    sku: Some(Sku::parse("S-ORAN").unwrap()),
                    title: "Fog Linen Chambray Towel - Beige Stripe".into(),
                    quantity: 1,
                    unit_price: usd(5599),
                    // '1.0000' lb = 453.59237 g.
                    unit_weight_grams: 454,
                    requires_shipping: true,
                },
                NewOrderLine {
                    sku: Some(Sku::parse("ABS").unwrap()),
                    title: "Able Brewing System".into(),
                    quantity: 1,
                    unit_price: usd(0),
                    unit_weight_grams: 0,
                    requires_shipping: true,
                },
            ],
            shipping: usd(0),
            tax: usd(0),
            total: usd(36195),
            placed_at: utc("2018-01-10T21:05:30Z"),
            channel_updated_at: utc("2018-12-05T20:16:55Z"),
            // Status 11, Awaiting Fulfillment: "payment has been confirmed".
            store_payment: StorePayment::Paid,
        },
        cancelled: false,
    }
}

#[test]
fn the_spec_examples_map_to_the_expected_order() {
    let spec = openapi();
    let mapped = parse::map(
        &order_example(),
        &products_example(&spec),
        &one_address(&spec),
        WeightUnit::Pounds,
    );
    assert_eq!(mapped, Ok(expected_order()));
}

#[test]
fn the_store_weight_unit_is_applied() {
    let spec = openapi();
    let mapped = parse::map(
        &order_example(),
        &products_example(&spec),
        &one_address(&spec),
        WeightUnit::Kilograms,
    )
    .unwrap();
    assert_eq!(mapped.order.lines[0].unit_weight_grams, 1000);
    assert_eq!(parse::weight_unit(Some("LBS")), Some(WeightUnit::Pounds));
    assert_eq!(parse::weight_unit(Some("Ounces")), Some(WeightUnit::Ounces));
    assert_eq!(parse::weight_unit(Some("KGS")), Some(WeightUnit::Kilograms));
    assert_eq!(parse::weight_unit(Some("Grams")), Some(WeightUnit::Grams));
    assert_eq!(parse::weight_unit(Some("stone")), None);
}

#[test]
fn every_response_example_reads_with_the_clients_types() {
    let spec = openapi();
    let mut orders = vec![order_example()];
    orders.extend(
        example(&spec, "orderCollection_Resp", "response")
            .as_array()
            .unwrap()
            .clone(),
    );
    orders.push(example(&spec, "order_Resp", "Response"));
    orders.push(example(&spec, "order_Resp", "Multiple Items"));
    for order in &orders {
        let read: Result<BcOrder, _> = serde_json::from_value(order.clone());
        assert!(read.is_ok(), "order {}: {:?}", order["id"], read.err());
        // And each maps, given the spec's products and address.
        let mapped = parse::map(
            order,
            &products_example(&spec),
            &one_address(&spec),
            WeightUnit::Pounds,
        );
        assert!(mapped.is_ok(), "order {}: {:?}", order["id"], mapped.err());
    }
    for product in products_example(&spec) {
        serde_json::from_value::<BcProduct>(product).unwrap();
    }
    let addresses = example(&spec, "orderShippingAddressCollection_Resp", "response");
    for address in addresses.as_array().unwrap() {
        serde_json::from_value::<BcAddress>(address.clone()).unwrap();
    }
}

#[test]
fn orders_for_several_addresses_and_bad_values_are_quarantined() {
    let spec = openapi();
    let two = example(&spec, "orderShippingAddressCollection_Resp", "response");
    let reason = parse::map(
        &order_example(),
        &products_example(&spec),
        two.as_array().unwrap(),
        WeightUnit::Pounds,
    )
    .unwrap_err();
    assert!(reason.contains("ships to 2 addresses"), "{reason}");

    let mut sub_cent = order_example();
    sub_cent["total_inc_tax"] = json!("361.9550");
    let reason = parse::map(
        &sub_cent,
        &products_example(&spec),
        &one_address(&spec),
        WeightUnit::Pounds,
    )
    .unwrap_err();
    assert!(
        reason.starts_with("total_inc_tax: \"361.9550\""),
        "{reason}"
    );

    let mut no_sku = products_example(&spec);
    no_sku[1]["sku"] = json!("");
    // A product without a SKU, and an order with no shipping address (a digital order), are
    // read: the line is not for US Direct, the order has no ship-to.
    let read = parse::map(
        &order_example(),
        &no_sku,
        &one_address(&spec),
        WeightUnit::Pounds,
    )
    .unwrap();
    assert_eq!(read.order.lines[1].sku, None);
    let mut digital = products_example(&spec);
    for product in &mut digital {
        product["type"] = json!("digital");
    }
    let read = parse::map(&order_example(), &digital, &[], WeightUnit::Pounds).unwrap();
    assert!(read.order.ship_to.is_blank());
    assert!(read.order.lines.iter().all(|line| !line.requires_shipping));
    assert!(!read.order.customer_name.is_empty());
}

#[test]
fn cancelled_is_status_5() {
    let spec = openapi();
    let mut order = order_example();
    order["status_id"] = json!(5);
    order["status"] = json!("Cancelled");
    let mapped = parse::map(
        &order,
        &products_example(&spec),
        &one_address(&spec),
        WeightUnit::Pounds,
    );
    assert!(mapped.unwrap().cancelled);
}

#[test]
fn every_documented_status_is_paid_or_held_as_the_spec_describes_it() {
    let spec = openapi();
    let statuses = example(&spec, "orderStatusCollection_Resp", "response");
    let statuses = statuses.as_array().unwrap();
    assert_eq!(statuses.len(), 15, "the documented statuses changed");
    for (id, label) in parse::UNPAID_STATUSES.iter().chain(&parse::RISK_STATUSES) {
        let documented = statuses.iter().find(|s| s["id"] == json!(id)).unwrap();
        assert_eq!(documented["system_label"], json!(label), "status {id}");
    }
    let mut order = order_example();
    for status in statuses {
        let id = status["id"].as_i64().unwrap();
        let label = status["system_label"].as_str().unwrap().to_string();
        order["status_id"] = json!(id);
        order["status"] = json!(label);
        let mapped = parse::map(
            &order,
            &products_example(&spec),
            &one_address(&spec),
            WeightUnit::Pounds,
        )
        .unwrap();
        let expected = match id {
            0 | 1 | 6 | 7 => StorePayment::Unpaid { status: label },
            12 | 13 => StorePayment::HighRisk { detail: label },
            _ => StorePayment::Paid,
        };
        assert_eq!(mapped.order.store_payment, expected, "status {id}");
    }
}

/// Serves the spec's examples the way a store would.
async fn spec_store() -> Stub {
    let spec = openapi();
    let order = order_example();
    let products = Value::Array(products_example(&spec));
    let addresses = Value::Array(one_address(&spec));
    Stub::handler(move |seen| {
        let path = seen.target.split('?').next().unwrap_or_default();
        match path {
            "/v2/store" => Scripted::json(200, r#"{"name":"Spec Store","weight_units":"LBS"}"#),
            "/v2/orders" => Scripted::json(200, json!([order]).to_string()),
            "/v2/orders/100/products" => Scripted::json(200, products.to_string()),
            "/v2/orders/100/shipping_addresses" => Scripted::json(200, addresses.to_string()),
            _ => Scripted::json(404, r#"[{"status":404,"message":"not here"}]"#),
        }
    })
    .await
}

#[tokio::test]
async fn the_client_reads_a_page_of_spec_examples() {
    let stub = spec_store().await;
    let client = BigCommerceClient::with_policy(
        &stub.base_url,
        Sensitive::new("bc-token".to_string()),
        HttpPolicy::default(),
    )
    .unwrap();
    let page = client
        .list_orders(&ListRequest {
            updated_since: utc("2018-01-01T00:00:00Z"),
            page: None,
        })
        .await
        .unwrap();
    assert_eq!(page.next, None);
    assert_eq!(page.items, vec![Fetched::Order(Box::new(expected_order()))]);
    for seen in stub.seen() {
        assert_eq!(seen.method, "GET");
        assert_eq!(seen.headers["x-auth-token"], "bc-token");
        assert_eq!(seen.headers["accept"], "application/json");
    }
}

/// Query parameter names the spec allows on `path` (a spec path template).
fn query_parameters(spec: &serde_yaml::Value, path: &str) -> BTreeSet<String> {
    let item = &spec["paths"][path];
    let resolve = |p: &serde_yaml::Value| -> serde_yaml::Value {
        match p.get("$ref").and_then(|r| r.as_str()) {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/parameters/");
                spec["components"]["parameters"][name].clone()
            }
            None => p.clone(),
        }
    };
    [&item["parameters"], &item["get"]["parameters"]]
        .into_iter()
        .filter_map(|list| list.as_sequence())
        .flatten()
        .map(resolve)
        .filter(|p| p["in"].as_str() == Some("query"))
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect()
}

fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
}

#[tokio::test]
async fn every_request_path_and_parameter_is_in_the_spec() {
    let spec = openapi();
    let templates: Vec<String> = spec["paths"]
        .as_mapping()
        .unwrap()
        .keys()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect();
    let stub = spec_store().await;
    let client = BigCommerceClient::new(&stub.base_url, Sensitive::new("t".to_string())).unwrap();
    client
        .list_orders(&ListRequest {
            updated_since: utc("2018-01-01T00:00:00Z"),
            page: None,
        })
        .await
        .unwrap();
    client.test_connection().await.unwrap();
    let mut checked = BTreeSet::new();
    for seen in stub.seen() {
        let url = reqwest::Url::parse(&format!("http://stub{}", seen.target)).unwrap();
        let path = url.path().strip_prefix("/v2").unwrap();
        if path == "/store" {
            // The Store Information API, not part of Orders v2.
            continue;
        }
        let template = templates
            .iter()
            .find(|t| template_matches(t, path))
            .unwrap_or_else(|| panic!("{path} is not in the Orders v2 spec"));
        let allowed = query_parameters(&spec, template);
        for (name, value) in url.query_pairs() {
            assert!(
                allowed.contains(name.as_ref()),
                "{template}: {name} not in {allowed:?}"
            );
            if name == "sort" {
                let field = value.split(':').next().unwrap();
                let sort = &spec["components"]["parameters"]["sort"]["schema"]["enum"];
                assert!(
                    sort.as_sequence()
                        .unwrap()
                        .iter()
                        .any(|v| v.as_str() == Some(field)),
                    "sort by {field}"
                );
            }
            if name == "min_date_modified" {
                // One of the spec's two formats: RFC 2822.
                DateTime::parse_from_rfc2822(&value).unwrap();
            }
        }
        checked.insert(template.clone());
    }
    let expected: BTreeSet<String> = [
        "/orders",
        "/orders/{order_id}/products",
        "/orders/{order_id}/shipping_addresses",
    ]
    .map(String::from)
    .into();
    assert_eq!(checked, expected);
}
