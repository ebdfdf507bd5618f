//! Engine tests without HTTP: the modelled schema against the official SDL, the order JSON
//! against the modelled schema, validation errors, cost, and projection.

use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;
use serde_json::{json, Map, Value};

use super::graphql::document::{GraphqlRequest, Prepared};
use super::graphql::project::{execute, Page, Resolved, RootResolver};
use super::graphql::schema::{self, Kind, TYPES};
use super::graphql::validate::validate;
use super::order_json::order_node;
use crate::book::OrderBook;
use crate::model::{NewFulfillment, PlaceOrder, SandboxFulfilledLine, SandboxOrder, StoreKind};

fn sdl_schema() -> Valid<Schema> {
    assert_eq!(super::admin_schema::VERSION, super::API_VERSION);
    let path = super::admin_schema::path();
    // Lenient, as for Shopify's own SDL, whose deprecation quirks strict validation rejects.
    let schema =
        Schema::parse(super::admin_schema::sdl(), path).unwrap_or_else(|invalid| invalid.partial);
    Valid::assume_valid(schema)
}

#[test]
fn modelled_schema_matches_the_official_sdl() {
    let sdl = sdl_schema();
    let is_leaf = |name: &str| {
        matches!(
            sdl.types.get(name),
            Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_))
        )
    };
    for ty in TYPES {
        let Some(ExtendedType::Object(object)) = sdl.types.get(ty.name) else {
            panic!("{} is not an object type in the SDL", ty.name);
        };
        for interface in ty.interfaces {
            assert!(
                object.implements_interfaces.contains(*interface),
                "{} does not implement {interface}",
                ty.name
            );
        }
        for (field, kind) in ty.fields {
            let definition = object
                .fields
                .get(*field)
                .unwrap_or_else(|| panic!("{}.{field} is not in the SDL", ty.name));
            let named = definition.ty.inner_named_type().as_str();
            let ok = match kind {
                Kind::Leaf => is_leaf(named),
                Kind::Object(expected) | Kind::Connection(expected) => {
                    !definition.ty.is_list() && named == *expected
                }
                Kind::Wrapper(expected) => named == *expected,
                Kind::List(expected) => definition.ty.is_list() && named == *expected,
            };
            assert!(
                ok,
                "{}.{field}: SDL says {}, sandbox says {kind:?}",
                ty.name, definition.ty
            );
        }
    }
}

fn sample_order(malformed: bool) -> SandboxOrder {
    let mut book = OrderBook::new(StoreKind::Shopify);
    let mut order = book.place(PlaceOrder::test_order());
    order.malformed = malformed;
    order
}

/// Every modelled field reachable from `Order` is present in the order's JSON.
#[test]
fn order_json_has_every_modelled_field() {
    fn check(value: &Value, type_name: &str, path: &str) {
        let ty = schema::object_type(type_name).unwrap();
        for (field, kind) in ty.fields {
            let inner = value
                .get(field)
                .unwrap_or_else(|| panic!("{path}.{field} missing from the JSON"));
            match kind {
                Kind::Leaf => {}
                Kind::Object(t) | Kind::Wrapper(t) => {
                    if !inner.is_null() {
                        check(inner, t, &format!("{path}.{field}"));
                    }
                }
                Kind::List(t) => {
                    for item in inner.as_array().unwrap() {
                        check(item, t, &format!("{path}.{field}[]"));
                    }
                }
                Kind::Connection(connection) => {
                    let node = schema::field_kind(connection, "nodes");
                    let Some(Kind::List(node)) = node else {
                        panic!("{connection}")
                    };
                    let items = inner.as_array().unwrap();
                    assert!(!items.is_empty(), "{path}.{field} is empty");
                    for item in items {
                        check(item, node, &format!("{path}.{field}[]"));
                    }
                }
            }
        }
    }
    check(&order_node(&fulfilled_order()), "Order", "Order");
}

/// The sample order with one fulfillment, so the fulfillment types are reached too.
fn fulfilled_order() -> SandboxOrder {
    let mut book = OrderBook::new(StoreKind::Shopify);
    let order = book.place(PlaceOrder::test_order());
    let new = NewFulfillment {
        tracking_number: "1Z999AA10123456784".into(),
        carrier: "UPS".into(),
        tracking_url: None,
        lines: vec![SandboxFulfilledLine {
            position: 0,
            quantity: 1,
        }],
    };
    book.fulfill(order.id, new).unwrap().0
}

#[test]
fn a_mutation_costs_ten_whatever_it_selects() {
    let prepared = prepare(
        "mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { \
         fulfillment { id trackingInfo { number } fulfillmentLineItems(first: 10) { nodes { id } } } \
         userErrors { field message } } }",
        json!({ "f": { "lineItemsByFulfillmentOrder": [] } }),
    );
    assert_eq!(validate(&prepared).unwrap(), 10);
    let execution = execute(&prepared, &mut FixedRoot(Vec::new()));
    assert_eq!(execution.actual_cost, 10);
}

#[test]
fn a_plain_list_honours_first() {
    let mut order = fulfilled_order();
    let second = order.fulfillments[0].clone();
    order.fulfillments.push(second);
    let (data, _) = run(
        "{ orders(first: 1) { nodes { all: fulfillments { id } one: fulfillments(first: 1) { id } } } }",
        vec![order],
    );
    let node = &data["orders"]["nodes"][0];
    assert_eq!(node["all"].as_array().unwrap().len(), 2);
    assert_eq!(node["one"].as_array().unwrap().len(), 1);
}

struct FixedRoot(Vec<SandboxOrder>);

impl RootResolver for FixedRoot {
    fn resolve(&mut self, field: &str, _: &Map<String, Value>) -> Resolved {
        match field {
            "shop" => Resolved::Value(super::shop_json::shop_object("http://sandbox")),
            "orders" => Resolved::Page(Page {
                items: self
                    .0
                    .iter()
                    .map(|order| (format!("c{}", order.number), order_node(order)))
                    .collect(),
                has_next_page: true,
                has_previous_page: false,
            }),
            _ => Resolved::Value(Value::Null),
        }
    }
}

fn prepare(query: &str, variables: Value) -> Prepared {
    let request = GraphqlRequest {
        query: query.to_owned(),
        variables: variables.as_object().cloned(),
        operation_name: None,
    };
    Prepared::new(request).unwrap_or_else(|errors| panic!("{errors:?}"))
}

fn requested(query: &str) -> u64 {
    validate(&prepare(query, json!({}))).unwrap_or_else(|errors| panic!("{errors:?}"))
}

fn run(query: &str, orders: Vec<SandboxOrder>) -> (Value, u64) {
    let prepared = prepare(query, json!({}));
    validate(&prepared).unwrap_or_else(|errors| panic!("{errors:?}"));
    let execution = execute(&prepared, &mut FixedRoot(orders));
    assert!(execution.errors.is_empty(), "{:?}", execution.errors);
    (execution.data, execution.actual_cost)
}

#[test]
fn requested_cost_follows_the_documented_rules() {
    assert_eq!(requested("{ shop { name currencyCode } }"), 1);
    assert_eq!(
        requested(
            "{ orders(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }"
        ),
        12
    );
    assert_eq!(requested("{ orders(first: 10) { nodes { id name } } }"), 12);
    // Each order: 1, its line items 2 + 5 × 1, each line's money bag 2.
    assert_eq!(
        requested(
            "{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { \
             originalUnitPriceSet { shopMoney { amount } } } } } } }"
        ),
        2 + 10 * (1 + 2 + 5 * (1 + 2))
    );
    assert_eq!(requested("{ orders(first: 0) { nodes { id } } }"), 2);
}

#[test]
fn actual_cost_counts_what_was_returned() {
    let query =
        "{ orders(first: 10) { edges { node { id lineItems(first: 5) { nodes { id } } } } } }";
    let orders = vec![sample_order(false), sample_order(false)];
    let (_, actual) = run(query, orders);
    // 2 + two orders × (1 + line items 2 + one line × 1)
    assert_eq!(actual, 2 + 2 * (1 + 2 + 1));
    assert_eq!(requested(query), 2 + 10 * (1 + 2 + 5));
}

#[test]
fn projection_honours_aliases_typename_fragments_and_directives() {
    let query = r#"
        query Sync($skipEmail: Boolean = true) {
          __typename
          store: shop { name }
          orders(first: 5) {
            edges { cursor node { ...OrderBits key: legacyResourceId email @skip(if: $skipEmail) } }
            pageInfo { hasNextPage endCursor }
          }
        }
        fragment OrderBits on Order {
          __typename
          number: name
          ... on Node { id }
          totalPriceSet { shopMoney { amount currencyCode } }
          shippingAddress { provinceCode province }
        }
    "#;
    let order = sample_order(false);
    let (data, _) = run(query, vec![order.clone()]);
    assert_eq!(data["__typename"], "QueryRoot");
    assert_eq!(data["store"], json!({ "name": "Sandbox Store" }));
    let node = &data["orders"]["edges"][0]["node"];
    assert_eq!(
        node,
        &json!({
            "__typename": "Order",
            "number": "#1001",
            "id": format!("gid://shopify/Order/{}", order.id),
            "totalPriceSet": { "shopMoney": { "amount": "5.4", "currencyCode": "USD" } },
            "shippingAddress": { "provinceCode": "TX", "province": "Texas" },
            "key": order.id.to_string(),
        })
    );
    assert_eq!(data["orders"]["edges"][0]["cursor"], "c1001");
    assert_eq!(
        data["orders"]["pageInfo"],
        json!({ "hasNextPage": true, "endCursor": "c1001" })
    );
}

#[test]
fn malformed_orders_carry_unparseable_amounts() {
    let query = "{ orders(first: 1) { nodes { totalPriceSet { shopMoney { amount } } \
                 lineItems(first: 5) { nodes { quantity } } } } }";
    let (data, _) = run(query, vec![sample_order(true)]);
    let node = &data["orders"]["nodes"][0];
    let amount = node["totalPriceSet"]["shopMoney"]["amount"]
        .as_str()
        .unwrap();
    assert!(amount.parse::<f64>().is_err());
    assert!(node["lineItems"]["nodes"][0]["quantity"].is_null());
}

fn validation_codes(query: &str, variables: Value) -> Vec<String> {
    let prepared = match Prepared::new(GraphqlRequest {
        query: query.to_owned(),
        variables: variables.as_object().cloned(),
        operation_name: None,
    }) {
        Ok(prepared) => prepared,
        Err(errors) => {
            return errors
                .iter()
                .map(|error| {
                    error["extensions"]["code"]
                        .as_str()
                        .unwrap_or("parse")
                        .to_owned()
                })
                .collect()
        }
    };
    match validate(&prepared) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|error| {
                let code = error.extensions.get("code").and_then(Value::as_str);
                code.unwrap_or("none").to_owned()
            })
            .collect(),
    }
}

#[test]
fn validation_rejects_what_the_sandbox_cannot_answer() {
    let none = json!({});
    assert_eq!(
        validation_codes("{ shop { name } }", none.clone()),
        Vec::<String>::new()
    );
    assert_eq!(
        validation_codes("{ shop { nope } }", none.clone()),
        ["undefinedField"]
    );
    assert_eq!(
        validation_codes(
            "{ orders(first: 1) { nodes { returns(first: 1) { nodes { id } } } } }",
            none.clone()
        ),
        ["undefinedField"]
    );
    assert_eq!(
        validation_codes("{ shop }", none.clone()),
        ["selectionMismatch"]
    );
    assert_eq!(
        validation_codes("{ shop { name { x } } }", none.clone()),
        ["selectionMismatch"]
    );
    assert_eq!(
        validation_codes("{ orders(first: 251) { nodes { id } } }", none.clone()),
        ["BAD_USER_INPUT"]
    );
    assert_eq!(
        validation_codes("{ orders { nodes { id } } }", none.clone()),
        ["none"]
    );
    assert!(
        validation_codes("{ orders(first: $n) { nodes { id } } }", none.clone())
            .contains(&"variableNotDefined".to_owned())
    );
    assert_eq!(
        validation_codes("{ shop { ... on Foo { name } } }", none.clone()),
        ["undefinedType"]
    );
    assert_eq!(
        validation_codes(
            "query($n: Int!) { orders(first: $n) { nodes { id } } }",
            none
        ),
        ["INVALID_VARIABLE"]
    );
    assert_eq!(validation_codes("{ shop { name }", json!({})), ["parse"]);
}

#[test]
fn undefined_field_error_looks_like_shopify() {
    let prepared = prepare(
        "query Sync {\n  shop { name }\n  orders(first: 1) { nodes { bogus } }\n}",
        json!({}),
    );
    let errors = validate(&prepared).unwrap_err();
    let error = serde_json::to_value(&errors[0]).unwrap();
    assert_eq!(
        error["message"],
        "Field 'bogus' doesn't exist on type 'Order'"
    );
    assert_eq!(
        error["path"],
        json!(["query Sync", "orders", "nodes", "bogus"])
    );
    assert_eq!(error["locations"], json!([{ "line": 3, "column": 30 }]));
    assert_eq!(error["extensions"]["typeName"], "Order");
}
