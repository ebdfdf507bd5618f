//! The store's payment and fraud risk of a Shopify order against the published schema of the
//! client's API version: every value the schema lists for `displayFinancialStatus` and for the
//! risk enums maps the way `parse.rs` documents, and a node as the `Orders` document selects it
//! parses to it.

use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::ExecutableDocument;
use dealer_core::domain::StorePayment;
use serde_json::{json, Value};

use super::contract::schema;
use super::documents::Doc;
use super::parse;
use super::wire::OrderNode;

/// The names of an enum of the schema, in its order.
fn enum_values(name: &str) -> Vec<String> {
    match schema().types.get(name) {
        Some(ExtendedType::Enum(e)) => e.values.keys().map(|v| v.to_string()).collect(),
        other => panic!("{name} is not an enum of the schema: {other:?}"),
    }
}

/// An order node as the `Orders` document selects it.
fn node(financial: Value, recommendation: &str, levels: &[&str]) -> Value {
    let money = |amount: &str| json!({ "shopMoney": { "amount": amount, "currencyCode": "USD" } });
    let assessments: Vec<Value> = levels.iter().map(|l| json!({ "riskLevel": l })).collect();
    json!({
        "id": "gid://shopify/Order/1001",
        "name": "#1001",
        "email": "jane@example.com",
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-03T00:00:00Z",
        "cancelledAt": null,
        "displayFinancialStatus": financial,
        "risk": { "recommendation": recommendation, "assessments": assessments },
        "currencyCode": "USD",
        "shippingAddress": {
            "name": "Jane Doe", "firstName": "Jane", "lastName": "Doe",
            "address1": "12 Main St", "address2": null, "city": "Springfield",
            "provinceCode": "IL", "zip": "62701", "countryCodeV2": "US", "phone": null
        },
        "currentShippingPriceSet": money("5.00"),
        "currentTotalTaxSet": money("1.00"),
        "currentTotalPriceSet": money("31.00"),
        "lineItems": {
            "pageInfo": { "hasNextPage": false, "endCursor": null },
            "nodes": [{
                "sku": "USD-100", "title": "Widget", "quantity": 1, "currentQuantity": 1,
                "originalUnitPriceSet": money("25.00"),
                "variant": { "inventoryItem": { "measurement": {
                    "weight": { "unit": "GRAMS", "value": 500 } } } }
            }]
        },
    })
}

fn payment_of(raw: Value) -> StorePayment {
    let node: OrderNode = serde_json::from_value(raw).unwrap();
    let lines = &node.line_items.nodes;
    parse::map(&node, lines).unwrap().order.store_payment
}

#[test]
fn every_financial_status_of_the_schema_is_paid_or_not_as_documented() {
    let values = enum_values("OrderDisplayFinancialStatus");
    assert_eq!(values.len(), 8, "the schema's statuses changed: {values:?}");
    for value in values {
        let payment = payment_of(node(json!(value), "ACCEPT", &["LOW"]));
        let paid = matches!(value.as_str(), "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED");
        let expected = if paid {
            StorePayment::Paid
        } else {
            StorePayment::Unpaid {
                status: value.clone(),
            }
        };
        assert_eq!(payment, expected, "{value}");
    }
    // The field is nullable: no status is no proof of payment.
    assert!(!payment_of(node(Value::Null, "NONE", &[])).is_paid());
}

#[test]
fn a_high_risk_holds_even_a_paid_order() {
    let recommendations = enum_values("OrderRiskRecommendationResult");
    let levels = enum_values("RiskAssessmentResult");
    assert!(recommendations.contains(&"CANCEL".to_string()));
    for recommendation in &recommendations {
        let payment = payment_of(node(json!("PAID"), recommendation, &[]));
        assert_eq!(
            payment.is_paid(),
            recommendation != "CANCEL",
            "{recommendation}"
        );
    }
    assert!(levels.contains(&"HIGH".to_string()));
    for level in &levels {
        let payment = payment_of(node(json!("PAID"), "NONE", &["LOW", level]));
        assert_eq!(payment.is_paid(), level != "HIGH", "{level}");
    }
    assert_eq!(
        payment_of(node(json!("PENDING"), "CANCEL", &["HIGH"])),
        StorePayment::HighRisk {
            detail: "risk recommendation CANCEL".into()
        }
    );
}

/// Every field `set` selects, with the type it is on, that the schema marks deprecated.
fn deprecated_fields(doc: &ExecutableDocument, set: &SelectionSet, found: &mut Vec<String>) {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                if field.definition.directives.get("deprecated").is_some() {
                    found.push(format!("{}.{}", set.ty, field.name));
                }
                deprecated_fields(doc, &field.selection_set, found);
            }
            Selection::FragmentSpread(spread) => deprecated_fields(
                doc,
                &doc.fragments[&spread.fragment_name].selection_set,
                found,
            ),
            Selection::InlineFragment(inline) => {
                deprecated_fields(doc, &inline.selection_set, found)
            }
        }
    }
}

#[test]
fn the_orders_document_reads_payment_and_the_non_deprecated_risk() {
    let text = Doc::Orders.text();
    let doc = ExecutableDocument::parse_and_validate(schema(), text, "Orders").unwrap();
    let operation = doc.operations.iter().next().unwrap();
    let mut deprecated = Vec::new();
    deprecated_fields(&doc, &operation.selection_set, &mut deprecated);
    assert_eq!(deprecated, Vec::<String>::new());
    assert!(text.contains("displayFinancialStatus"), "{text}");
    assert!(
        text.contains("risk { recommendation assessments { riskLevel } }"),
        "{text}"
    );
}
