//! Contract tests against the project's own supplier contract, `docs/supplier-api.yaml`: every
//! response example reads with the client's wire types (also with its optional fields left
//! out), the bodies the client sends validate against the request schemas, and every request
//! the client makes is an operation of the contract with the parameters it declares.

use std::collections::BTreeSet;
use std::sync::Arc;

use dealer_core::secret::Sensitive;
use dealer_core::supplier::{
    Authorization, ShipTo, Supplier, SupplierError, SupplierOrderRequest, SupplierOrderStatus,
};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::refusal::refusal;
use super::tests::order_request;
use super::wire::{
    WireAuthorization, WireChangesPage, WireCreatedOrder, WireError, WireInvoice, WireItem,
    WireItemLine, WireMoney, WireOrder, WireOrderChange, WireOrderStatus, WirePaymentStatus,
    WireShipment,
};
use super::{SupplierPolicy, UsDirectClient};
use crate::http::Reply;
use crate::stub::{Scripted, Seen, Stub};
use crate::testing::{field_names, project_doc};

/// The operations the client implements, by `operationId`.
const OPERATIONS: [&str; 6] = [
    "createOrder",
    "listChanges",
    "getOrder",
    "cancelOrder",
    "authorizePayment",
    "getItem",
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn contract() -> Value {
    serde_yaml::from_str(&project_doc("supplier-api.yaml")).unwrap()
}

/// `node`, or what its local `$ref` points at.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} does not resolve")),
        None => node,
    }
}

struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    spec: &'a Value,
}

fn operations(spec: &Value) -> Vec<(String, Operation<'_>)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation["operationId"].as_str().unwrap().to_string();
                found.push((
                    id,
                    Operation {
                        path,
                        method,
                        spec: operation,
                    },
                ));
            }
        }
    }
    found
}

fn operation<'a>(spec: &'a Value, id: &str) -> Operation<'a> {
    operations(spec)
        .into_iter()
        .find(|(found, _)| found == id)
        .map(|(_, operation)| operation)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// Every example of every response of `operation`: (status, name, value).
fn response_examples(spec: &Value, operation: &Operation<'_>) -> Vec<(u16, String, Value)> {
    let mut examples = Vec::new();
    for (status, response) in operation.spec["responses"].as_object().unwrap() {
        let response = resolve(spec, response);
        let Some(named) = response["content"]["application/json"]["examples"].as_object() else {
            continue;
        };
        for (name, example) in named {
            examples.push((
                status.parse().unwrap(),
                name.clone(),
                resolve(spec, example)["value"].clone(),
            ));
        }
    }
    examples
}

fn success_schema<'a>(spec: &'a Value, operation: &Operation<'a>) -> &'a Value {
    let responses = operation.spec["responses"].as_object().unwrap();
    let (_, response) = responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))
        .unwrap();
    &resolve(spec, response)["content"]["application/json"]["schema"]
}

fn read<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|e| e.to_string())
}

/// Reads a 2xx body of `operation` as the client does, mapping included.
fn read_success(operation: &str, value: &Value) -> Result<(), String> {
    let mapped = match operation {
        "createOrder" => read::<WireCreatedOrder>(value)?.into_created().map(drop),
        "listChanges" => read::<WireChangesPage>(value)?.into_page().map(drop),
        "getOrder" | "cancelOrder" => read::<WireOrder>(value)?.into_order().map(drop),
        "authorizePayment" => read::<WireAuthorization>(value)?
            .into_authorization()
            .map(drop),
        "getItem" => return read::<WireItem>(value).map(drop),
        other => panic!("the client has no {other}"),
    };
    mapped.map_err(|e| e.to_string())
}

/// `value` with every property its schema does not require left out: the least a server may
/// answer.
fn required_only(spec: &Value, schema: &Value, value: &Value) -> Value {
    let schema = resolve(spec, schema);
    if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
        return required_only(spec, &all_of[0], value);
    }
    match value {
        Value::Object(fields) => {
            let required: BTreeSet<&str> = schema["required"]
                .as_array()
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            fields
                .iter()
                .filter(|(name, _)| required.contains(name.as_str()))
                .map(|(name, field)| {
                    let field_schema = &schema["properties"][name];
                    (name.clone(), required_only(spec, field_schema, field))
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        }
        Value::Array(items) => items
            .iter()
            .map(|item| required_only(spec, &schema["items"], item))
            .collect::<Vec<_>>()
            .into(),
        other => other.clone(),
    }
}

#[test]
fn every_response_example_reads_with_the_clients_types() {
    let spec = contract();
    for id in OPERATIONS {
        let operation = operation(&spec, id);
        let examples = response_examples(&spec, &operation);
        let successes = examples
            .iter()
            .filter(|(status, _, _)| (200..300).contains(status))
            .count();
        assert!(successes > 0, "{id} has no success example to check");
        for (status, name, value) in &examples {
            let label = format!("{id} {status} {name}");
            if (200..300).contains(status) {
                read_success(id, value).unwrap_or_else(|e| panic!("{label}: {e}"));
                let least = required_only(&spec, success_schema(&spec, &operation), value);
                read_success(id, &least)
                    .unwrap_or_else(|e| panic!("{label} with only its required fields: {e}"));
                continue;
            }
            let body: WireError = read(value).unwrap_or_else(|e| panic!("{label}: {e}"));
            let reply = Reply {
                status: *status,
                path: operation.path.to_string(),
                headers: HeaderMap::new(),
                body: serde_json::to_vec(value).unwrap(),
            };
            let error = refusal(&reply, "it");
            let expected = match status {
                400 => matches!(&error, SupplierError::Invalid { message, field }
                    if *message == body.message && *field == body.field),
                401 => error == SupplierError::Unauthorized,
                404 => matches!(error, SupplierError::NotFound { .. }),
                409 => matches!(&error, SupplierError::Conflict { code, .. } if *code == body.code),
                422 => matches!(&error, SupplierError::Refused { code, field, .. }
                    if *code == body.code && *field == body.field),
                // Retried inside the call (`http`); only the body must read.
                429 | 500 | 503 => true,
                other => panic!("{label}: the client has no rule for HTTP {other}"),
            };
            assert!(expected, "{label} became {error:?}");
        }
    }
}

#[test]
fn the_examples_mean_what_they_say() {
    let spec = contract();
    let example = |id: &str, name: &str| {
        let operation = operation(&spec, id);
        response_examples(&spec, &operation)
            .into_iter()
            .find(|(_, found, _)| found == name)
            .map(|(_, _, value)| value)
            .unwrap_or_else(|| panic!("no example {id} {name}"))
    };
    let page = read::<WireChangesPage>(&example("listChanges", "page"))
        .unwrap()
        .into_page()
        .unwrap();
    assert_eq!(page.changes.len(), 2);
    let shipped = &page.changes[0];
    assert_eq!(shipped.id, "USD-ORD-100234");
    assert_eq!(shipped.status, SupplierOrderStatus::Shipped);
    assert_eq!(shipped.invoice.total_cost_minor, 5492);
    assert_eq!(shipped.shipments[0].carrier, "UPS");
    assert_eq!(shipped.shipments[0].lines.len(), 2);
    let held = &page.changes[1];
    assert_eq!(held.status, SupplierOrderStatus::OnHold);
    assert_eq!(
        held.hold_reason.as_deref(),
        Some("Address verification required")
    );
    let declined = read::<WireAuthorization>(&example("authorizePayment", "declined"))
        .unwrap()
        .into_authorization()
        .unwrap();
    assert!(
        matches!(&declined, Authorization::Declined { reason, .. } if reason == "Card on file expired"),
        "{declined:?}"
    );
}

#[test]
fn the_wire_types_read_only_what_the_schemas_define() {
    let spec = contract();
    let schema = |name: &str| spec["components"]["schemas"][name].clone();
    let checks: [(&str, &[&str]); 11] = [
        ("Money", field_names::<WireMoney>()),
        ("Invoice", field_names::<WireInvoice>()),
        ("ShipmentItem", field_names::<WireItemLine>()),
        ("Shipment", field_names::<WireShipment>()),
        ("CreatedOrder", field_names::<WireCreatedOrder>()),
        ("Order", field_names::<WireOrder>()),
        ("OrderChange", field_names::<WireOrderChange>()),
        ("ChangesPage", field_names::<WireChangesPage>()),
        ("AuthorizationResult", field_names::<WireAuthorization>()),
        ("Item", field_names::<WireItem>()),
        ("Error", field_names::<WireError>()),
    ];
    for (name, fields) in checks {
        let properties = schema(name)["properties"].clone();
        for field in fields {
            assert!(
                properties.get(field).is_some(),
                "the client reads {name}.{field}, which the contract does not define"
            );
        }
    }
    let values = |schema: Value| -> Vec<Value> { schema["enum"].as_array().unwrap().clone() };
    for status in values(schema("OrderStatus")) {
        read::<WireOrderStatus>(&status).unwrap_or_else(|e| panic!("{status}: {e}"));
    }
    for status in values(schema("PaymentStatus")) {
        read::<WirePaymentStatus>(&status).unwrap_or_else(|e| panic!("{status}: {e}"));
    }
    for status in values(schema("AuthorizationResult")["properties"]["paymentStatus"].clone()) {
        read::<WirePaymentStatus>(&status).unwrap_or_else(|e| panic!("{status}: {e}"));
    }
}

/// The contract's schemas as JSON Schema 2020-12: `nullable: true` becomes a `"null"` type,
/// and every object with properties is closed (`additionalProperties: false`), so a misspelt
/// optional field in what the client sends fails instead of passing unnoticed.
fn to_json_schema(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(kind)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([kind, "null"]));
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            let is_object = map.get("type") == Some(&json!("object"));
            if is_object && map.contains_key("properties") {
                map.entry("additionalProperties").or_insert(json!(false));
            }
            for (name, value) in map.iter_mut() {
                // Examples are data, not schemas.
                if name != "example" && name != "examples" {
                    to_json_schema(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

struct Schema(jsonschema::Validator);

impl Schema {
    fn of(spec: &Value, name: &str) -> Self {
        let mut schemas = spec["components"]["schemas"].clone();
        to_json_schema(&mut schemas);
        let root = json!({
            "$ref": format!("#/components/schemas/{name}"),
            "components": { "schemas": schemas },
        });
        Schema(
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&root)
                .unwrap(),
        )
    }

    fn problems(&self, instance: &Value) -> Vec<String> {
        self.0
            .iter_errors(instance)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect()
    }

    fn assert_valid(&self, instance: &Value, label: &str) {
        let problems = self.problems(instance);
        assert!(problems.is_empty(), "{label}: {problems:#?}\n{instance:#}");
    }
}

fn client(stub: &Stub) -> UsDirectClient {
    UsDirectClient::with_policy(
        &format!("{}/v1", stub.base_url),
        Sensitive::new("contract-token".to_string()),
        SupplierPolicy {
            requests_per_second: 1000.0,
            ..SupplierPolicy::default()
        },
    )
    .unwrap()
}

fn sent_json(seen: &Seen) -> Value {
    serde_json::from_str(&seen.body).unwrap()
}

#[tokio::test]
async fn the_bodies_the_client_sends_follow_the_request_schemas() {
    let spec = contract();
    let create = Schema::of(&spec, "CreateOrderRequest");
    let cancel = Schema::of(&spec, "CancelOrderRequest");
    let created = operation(&spec, "createOrder");
    let created = response_examples(&spec, &created)
        .into_iter()
        .find(|(status, _, _)| *status == 201)
        .map(|(_, _, value)| value.to_string())
        .unwrap();
    let stub = Stub::handler(move |_| Scripted::json(201, created.clone())).await;
    let client = client(&stub);

    let full = order_request();
    let sparse = SupplierOrderRequest {
        ship_to: ShipTo {
            line2: Some("   ".into()),
            phone: None,
            email: Some(String::new()),
            ..full.ship_to.clone()
        },
        ..full.clone()
    };
    client.create_order("c-1", &full).await.unwrap();
    client.create_order("c-2", &sparse).await.unwrap();
    // The stub answers 201 to everything; the client only reads what it needs.
    let _ = client
        .cancel_order("x-1", "USD-ORD-1", "Customer canceled")
        .await;
    let _ = client.cancel_order("x-2", "USD-ORD-1", "").await;

    let seen = stub.seen();
    assert_eq!(seen.len(), 4);
    create.assert_valid(&sent_json(&seen[0]), "createOrder");
    create.assert_valid(
        &sent_json(&seen[1]),
        "createOrder without the optional fields",
    );
    cancel.assert_valid(&sent_json(&seen[2]), "cancelOrder");
    cancel.assert_valid(&sent_json(&seen[3]), "cancelOrder without a reason");

    // The translation is right: the contract's own example passes, an explicit null passes,
    // and a misspelt field or a wrong type does not.
    let example = &operation(&spec, "createOrder").spec["requestBody"]["content"]
        ["application/json"]["examples"]["order"]["value"];
    create.assert_valid(example, "the contract's createOrder example");
    let mut nulls = sent_json(&seen[0]);
    nulls["shippingAddress"]["addressLine2"] = Value::Null;
    nulls["shippingAddress"]["email"] = Value::Null;
    create.assert_valid(&nulls, "nullable fields as null");
    let mut misspelt = sent_json(&seen[0]);
    misspelt["shippingAddress"]["addressline2"] = json!("Apt 4B");
    assert!(!create.problems(&misspelt).is_empty());
    let mut quantity_as_text = sent_json(&seen[0]);
    quantity_as_text["items"][0]["quantity"] = json!("2");
    assert!(!create.problems(&quantity_as_text).is_empty());
    let mut bad_email = sent_json(&seen[0]);
    bad_email["shippingAddress"]["email"] = json!("not an address");
    assert!(!create.problems(&bad_email).is_empty());
}

/// The contract path that `target` (a request's path, after the base's `/v1`) asks for: a
/// literal segment beats a parameter, as OpenAPI matches `/orders/changes` before
/// `/orders/{orderId}`.
fn matching_path<'a>(spec: &'a Value, target: &str) -> Option<&'a str> {
    let segments: Vec<&str> = target.trim_start_matches('/').split('/').collect();
    spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (part, segment) in parts.iter().zip(&segments) {
                if part.starts_with('{') && part.ends_with('}') {
                    if segment.is_empty() {
                        return None;
                    }
                } else if part == segment {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, template)| template)
}

/// The contract's own success example for a request, so the stub answers as US Direct would.
fn example_answer(spec: &Value, seen: &Seen) -> Scripted {
    let path = seen.target.split('?').next().unwrap_or_default();
    let Some(template) = path
        .strip_prefix("/v1")
        .and_then(|p| matching_path(spec, p))
    else {
        return Scripted::json(404, r#"{"code":"not_found","message":"no such path"}"#);
    };
    let method = seen.method.to_lowercase();
    let Some(operation) = spec["paths"][template].get(&method) else {
        return Scripted::json(405, r#"{"code":"method","message":"no such method"}"#);
    };
    let operation = Operation {
        path: template,
        method: &method,
        spec: operation,
    };
    let (status, _, value) = response_examples(spec, &operation)
        .into_iter()
        .find(|(status, _, _)| (200..300).contains(status))
        .unwrap();
    Scripted::json(status, value.to_string())
}

#[tokio::test]
async fn every_request_the_client_makes_is_an_operation_of_the_contract() {
    let spec = Arc::new(contract());
    let stub = Stub::handler({
        let spec = spec.clone();
        move |seen| example_answer(&spec, seen)
    })
    .await;
    let client = client(&stub);
    client.create_order("k-1", &order_request()).await.unwrap();
    client.authorize_payment("k-2", "INV-55012").await.unwrap();
    client.list_changes(None, 100).await.unwrap();
    client
        .list_changes(Some("eyJzZXEiOjEwMjR9"), 10)
        .await
        .unwrap();
    client.get_order("USD-ORD-100234").await.unwrap();
    client
        .cancel_order("k-3", "USD-ORD-100241", "Customer canceled on the store")
        .await
        .unwrap();
    assert!(client.get_item("USD-HOSE-25").await.unwrap().is_some());

    let mut called = BTreeSet::new();
    for seen in stub.seen() {
        let label = format!("{} {}", seen.method, seen.target);
        let (path, query) = seen.target.split_once('?').unwrap_or((&seen.target, ""));
        let template = path
            .strip_prefix("/v1")
            .and_then(|p| matching_path(&spec, p))
            .unwrap_or_else(|| panic!("{label}: no such path in the contract"));
        let method = seen.method.to_lowercase();
        let operation = spec["paths"][template]
            .get(&method)
            .unwrap_or_else(|| panic!("{label}: the contract has no {method} on {template}"));
        called.insert(operation["operationId"].as_str().unwrap().to_string());

        let parameters: Vec<&Value> = operation["parameters"]
            .as_array()
            .map(|list| list.iter().map(|p| resolve(&spec, p)).collect())
            .unwrap_or_default();
        for parameter in &parameters {
            let name = parameter["name"].as_str().unwrap();
            if parameter["in"] == "header" && parameter["required"] == true {
                assert!(
                    seen.headers.contains_key(name),
                    "{label}: the required header {name} is missing"
                );
            }
        }
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let name = pair.split('=').next().unwrap();
            assert!(
                parameters
                    .iter()
                    .any(|p| p["in"] == "query" && p["name"] == name),
                "{label}: the contract declares no query parameter {name}"
            );
        }
        // The security scheme's header.
        let scheme = &spec["components"]["securitySchemes"]["ApiToken"];
        assert_eq!(scheme["in"], "header");
        let token_header = scheme["name"].as_str().unwrap();
        assert!(seen.headers.contains_key(token_header), "{label}: no token");
        if operation.get("requestBody").is_some() {
            assert_eq!(
                seen.headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok()),
                Some("application/json"),
                "{label}"
            );
        }
    }
    let expected: BTreeSet<String> = OPERATIONS.iter().map(|id| id.to_string()).collect();
    assert_eq!(
        called, expected,
        "the client calls each operation it implements"
    );
}

#[test]
fn the_contract_has_only_the_operations_the_client_knows() {
    // A new operation in the contract is a reminder to implement it (or to say why not).
    let spec = contract();
    let ids: BTreeSet<String> = operations(&spec).into_iter().map(|(id, _)| id).collect();
    let known: BTreeSet<String> = OPERATIONS.iter().map(|id| id.to_string()).collect();
    assert_eq!(ids, known);
    for (_, operation) in operations(&spec) {
        assert!(!operation.path.is_empty() && !operation.method.is_empty());
    }
}
