//! Contract tests against WooCommerce's own documents in `shared/specs/woocommerce/`: the
//! official order example, the community OpenAPI of wc/v3 and the official route index.

use chrono::{DateTime, Utc};
use dealer_core::channel::{ChannelOrder, Fetched};
use dealer_core::domain::{
    Address, ChannelOrderId, Currency, Email, Money, NewOrder, NewOrderLine, Sku, StorePayment,
};
use serde_json::{json, Value};

use super::client::list_query;
use super::parse;
use super::wire::{WooAddress, WooLine, WooOrder};
use crate::testing::{field_names, spec, spec_json};

fn example() -> Value {
    spec_json("woocommerce/order.example.json")
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::usd())
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn parsed(raw: &Value) -> ChannelOrder {
    match parse::order(raw) {
        Fetched::Order(order) => *order,
        Fetched::Malformed(m) => panic!("quarantined: {}", m.reason),
    }
}

fn quarantined(raw: &Value) -> String {
    match parse::order(raw) {
        Fetched::Malformed(m) => {
            assert_eq!(m.channel_order_id.as_deref(), Some("727"));
            assert!(m.excerpt.starts_with('{'), "{}", m.excerpt);
            m.reason
        }
        Fetched::Order(order) => panic!("expected a quarantine, got {order:?}"),
    }
}

#[test]
fn the_official_example_imports_with_its_line_without_sku() {
    // Its first line really has `"sku": ""`: imported as a line without a SKU (never a US
    // Direct item), the order whole.
    let order = parsed(&example()).order;
    assert_eq!(order.lines.len(), 2);
    assert_eq!(order.lines[0].sku, None);
    assert_eq!(order.lines[0].title, "Woo Single #1");
    assert_eq!(order.lines[1].sku_text(), "Bar3");
}

#[test]
fn an_order_without_a_shipping_address_imports_without_one() {
    let mut raw = example();
    for field in [
        "first_name",
        "last_name",
        "address_1",
        "city",
        "state",
        "postcode",
        "country",
    ] {
        raw["shipping"][field] = json!("");
    }
    let order = parsed(&raw).order;
    assert!(order.ship_to.is_blank(), "{:?}", order.ship_to);
    assert_eq!(
        order.customer_name, "John Doe",
        "named from the billing address"
    );
}

#[test]
fn the_official_example_with_a_sku_maps_field_by_field() {
    let mut raw = example();
    raw["line_items"][0]["sku"] = json!("WOO-SINGLE-1");
    let expected = ChannelOrder {
        order: NewOrder {
            channel_order_id: ChannelOrderId::parse("727").unwrap(),
            number: "#727".into(),
            customer_name: "John Doe".into(),
            customer_email: Some(Email::parse("john.doe@example.com").unwrap()),
            ship_to: Address {
                name: "John Doe".into(),
                line1: "969 Market".into(),
                line2: None,
                city: "San Francisco".into(),
                state_code: "CA".into(),
                postal_code: "94103".into(),
                country_code: "US".into(),
                // No shipping phone in the example: the billing phone is the contact.
                phone: Some("(555) 555-5555".into()),
            },
            lines: vec![
                NewOrderLine {
                    sku: Some(Sku::parse("WOO-SINGLE-1").unwrap()),
                    title: "Woo Single #1".into(),
                    quantity: 2,
                    unit_price: usd(300),
                    unit_weight_grams: 0,
                    requires_shipping: true,
                },
                NewOrderLine {
                    sku: Some(Sku::parse("Bar3").unwrap()),
                    title: "Ship Your Idea – Color: Black, Size: M Test".into(),
                    quantity: 1,
                    unit_price: usd(1200),
                    unit_weight_grams: 0,
                    requires_shipping: true,
                },
            ],
            shipping: usd(1000),
            tax: usd(135),
            total: usd(2935),
            placed_at: utc("2017-03-22T19:28:02Z"),
            channel_updated_at: utc("2017-03-22T19:28:08Z"),
            // The example is `processing`: paid.
            store_payment: StorePayment::Paid,
        },
        cancelled: false,
    };
    assert_eq!(parsed(&raw), expected);
}

#[test]
fn cancelled_orders_say_so() {
    let mut raw = example();
    raw["line_items"][0]["sku"] = json!("WOO-SINGLE-1");
    raw["status"] = json!("cancelled");
    assert!(parsed(&raw).cancelled);
}

#[test]
fn every_documented_status_is_paid_or_not() {
    let spec = openapi();
    let status = &spec["components"]["schemas"]["shop_order"]["properties"]["status"];
    let documented: Vec<String> = status["enum"]
        .as_sequence()
        .unwrap_or_else(|| panic!("order.status has no enum: {status:?}"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    for unpaid in [
        parse::UNPAID_PENDING,
        parse::UNPAID_ON_HOLD,
        parse::UNPAID_FAILED,
    ] {
        assert!(documented.iter().any(|s| s == unpaid), "{unpaid}");
    }
    let mut raw = example();
    raw["line_items"][0]["sku"] = json!("WOO-SINGLE-1");
    for value in &documented {
        raw["status"] = json!(value);
        let order = parsed(&raw);
        let expected = match value.as_str() {
            "pending" | "on-hold" | "failed" => StorePayment::Unpaid {
                status: value.clone(),
            },
            _ => StorePayment::Paid,
        };
        assert_eq!(order.order.store_payment, expected, "{value}");
    }
}

#[test]
fn each_kind_of_bad_order_is_quarantined_with_its_reason() {
    let mut base = example();
    base["line_items"][0]["sku"] = json!("WOO-SINGLE-1");
    let cases: [(&str, Value, &str); 5] = [
        (
            "/total",
            json!("29,35"),
            "total: \"29,35\" is not an amount in USD",
        ),
        (
            "/total",
            json!("29.355"),
            "total: \"29.355\" is not an amount in USD",
        ),
        (
            "/billing/email",
            json!("john.doe"),
            "\"john.doe\" is not an email address",
        ),
        (
            "/date_modified_gmt",
            json!("last week"),
            "date_modified_gmt \"last week\"",
        ),
        (
            "/line_items/1/quantity",
            json!(0),
            "line 2 (Ship Your Idea – Color: Black",
        ),
    ];
    for (pointer, value, expected) in cases {
        let mut raw = base.clone();
        *raw.pointer_mut(pointer).unwrap() = value;
        let reason = quarantined(&raw);
        assert!(reason.contains(expected), "{pointer}: {reason}");
    }
    let mut no_lines = base.clone();
    no_lines["line_items"] = json!([]);
    assert_eq!(quarantined(&no_lines), "the order has no line items");
    let mut wrong_type = base;
    wrong_type["line_items"] = json!("none");
    assert!(quarantined(&wrong_type).starts_with("unexpected order shape"));
}

#[test]
fn absurd_numbers_are_quarantined_never_a_panic_or_a_wrap() {
    let mut base = example();
    base["line_items"][0]["sku"] = json!("WOO-SINGLE-1");
    let max = "92233720368547758.07";
    let cases: [(&[(&str, Value)], &str); 7] = [
        (&[("/total", json!("1.a\u{e9}"))], "is not an amount in USD"),
        (
            &[("/total", json!("99999999999999999999.99"))],
            "is not an amount in USD",
        ),
        (
            &[("/line_items/0/quantity", json!(4_294_967_296_i64))],
            "has quantity 4294967296",
        ),
        (
            &[("/line_items/0/quantity", json!(i64::MAX))],
            "has quantity 9223372036854775807",
        ),
        (
            &[("/line_items/0/quantity", json!(u64::MAX))],
            "unexpected order shape",
        ),
        // The unit price rounds up to half of i64::MAX + 1: the line total does not fit.
        (
            &[
                ("/line_items/0/subtotal", json!(max)),
                ("/line_items/0/quantity", json!(2)),
            ],
            "is more than an amount can hold",
        ),
        // Each line fits; their sum does not.
        (
            &[
                ("/line_items/0/subtotal", json!(max)),
                ("/line_items/0/quantity", json!(1)),
                ("/line_items/1/subtotal", json!(max)),
                ("/line_items/1/quantity", json!(1)),
            ],
            "add up to more than an amount can hold",
        ),
    ];
    for (changes, expected) in cases {
        let mut raw = base.clone();
        for (pointer, value) in changes {
            *raw.pointer_mut(pointer).unwrap() = value.clone();
        }
        let reason = quarantined(&raw);
        assert!(reason.contains(expected), "{changes:?}: {reason}");
    }
}

fn openapi() -> serde_yaml::Value {
    serde_yaml::from_str(&spec("woocommerce/woocommerce-openapi-3.0.x.community.yml")).unwrap()
}

fn yaml_keys(map: &serde_yaml::Value) -> Vec<String> {
    map.as_mapping()
        .unwrap()
        .keys()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_field_read_is_in_the_documented_order_schema() {
    let spec = openapi();
    let order = &spec["components"]["schemas"]["shop_order"]["properties"];
    let documented = yaml_keys(order);
    for field in field_names::<WooOrder>() {
        assert!(documented.contains(&field.to_string()), "order.{field}");
    }
    // Billing has every address field the client reads (shipping's phone is newer than
    // this document; the mapper treats it as optional).
    let billing = yaml_keys(&order["billing"]["properties"]);
    for field in field_names::<WooAddress>() {
        assert!(billing.contains(&field.to_string()), "address.{field}");
    }
    let line = yaml_keys(&order["line_items"]["items"]["properties"]);
    for field in field_names::<WooLine>() {
        assert!(line.contains(&field.to_string()), "line_items[].{field}");
    }
}

#[test]
fn the_list_request_uses_documented_parameters_and_values() {
    let spec = openapi();
    let parameters = spec["paths"]["/orders"]["get"]["parameters"]
        .as_sequence()
        .unwrap()
        .clone();
    let documented = |name: &str| {
        parameters
            .iter()
            .find(|p| p["name"].as_str() == Some(name) && p["in"].as_str() == Some("query"))
    };
    for (name, value) in list_query(Utc::now(), 2) {
        let parameter = documented(name).unwrap_or_else(|| panic!("{name} is not documented"));
        if let Some(allowed) = parameter["schema"]["enum"].as_sequence() {
            assert!(
                allowed.iter().any(|v| v.as_str() == Some(value.as_str())),
                "{name}={value} is not one of {allowed:?}"
            );
        }
    }
    // The official route index predates `modified_after`, but still documents the paging.
    let index = spec_json("woocommerce/wc-v3-route-index.example.json");
    let args = &index["routes"]["/wc/v3/orders"]["endpoints"][0]["args"];
    for name in ["page", "per_page", "order"] {
        assert!(args.get(name).is_some(), "{name}");
    }
}
