//! Contract tests against Shopify's Admin API schema of [`API_VERSION`] (from the npm package
//! `@shopify/dev-mcp`, installed by `npm ci` in `ui/`): every
//! document the client sends validates, a wrong one does not, and the costs the pacer assumes
//! are the ones Shopify's rules give for the documents as written.

use std::collections::HashMap;
use std::sync::OnceLock;

use apollo_compiler::ast::OperationType;
use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};

use super::documents::{
    documents, Doc, FULFILLMENT_ORDERS, FULFILLMENT_ORDER_LINES, MUTATION_COST,
};
use super::API_VERSION;
use crate::testing::admin_schema;

/// The schema, parsed once for all tests. Parsed leniently: strict validation flags two
/// deprecation quirks in Shopify's own SDL, which do not matter for checking our documents.
pub(super) fn schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        assert_eq!(
            admin_schema::VERSION,
            API_VERSION,
            "the tests read another version"
        );
        let schema = match Schema::parse(admin_schema::sdl(), admin_schema::path()) {
            Ok(schema) => schema,
            Err(with_errors) => with_errors.partial,
        };
        assert!(
            schema.types.contains_key("Order"),
            "the schema did not load"
        );
        Valid::assume_valid(schema)
    })
}

fn validate(name: &str, text: &str) -> Result<Valid<ExecutableDocument>, String> {
    ExecutableDocument::parse_and_validate(schema(), text, name).map_err(|e| e.errors.to_string())
}

#[test]
fn every_document_validates_against_the_schema() {
    let documents = documents();
    assert_eq!(documents.len(), Doc::ALL.len());
    for (name, text) in documents {
        if let Err(errors) = validate(name, &text) {
            panic!("{name} is not valid against {API_VERSION}:\n{errors}");
        }
    }
}

#[test]
fn a_wrong_document_fails_the_same_check() {
    let wrong = [
        // There is no such argument: the filter goes in `query`.
        "query { orders(first: 5, updatedAtMin: \"2025-01-01\") { nodes { id } } }",
        // A field that does not exist.
        "query { orders(first: 5) { nodes { id totalPriceV3 } } }",
        // A sort key that does not exist.
        "query { orders(first: 5, sortKey: MODIFIED_AT) { nodes { id } } }",
        // The tracking input has `number`, not `trackingNumber`.
        "mutation { fulfillmentCreate(fulfillment: { lineItemsByFulfillmentOrder: \
         [{ fulfillmentOrderId: \"gid://shopify/FulfillmentOrder/1\" }], \
         trackingInfo: { trackingNumber: \"1Z\" } }) { userErrors { message } } }",
        // A fulfillment order line item has `remainingQuantity` and `totalQuantity` only.
        "query { order(id: \"gid://shopify/Order/1\") { fulfillmentOrders(first: 1) { \
         nodes { lineItems(first: 5) { nodes { id quantity } } } } } }",
        // `Order.fulfillments` is a plain list, not a connection.
        "query { order(id: \"gid://shopify/Order/1\") { fulfillments(first: 5) { nodes { id } } } }",
    ];
    for text in wrong {
        assert!(validate("wrong", text).is_err(), "accepted: {text}");
    }
}

/// Cost by Shopify's published rules: an object 1, a scalar or enum 0, a connection 2 plus
/// `first` times the cost of its node, plus its other fields (`pageInfo`, an object).
fn cost(doc: &ExecutableDocument, set: &SelectionSet, vars: &HashMap<&str, i32>) -> f64 {
    set.selections
        .iter()
        .map(|selection| match selection {
            Selection::Field(field) => {
                let type_name = field.definition.ty.inner_named_type();
                if type_name.as_str().ends_with("Connection") {
                    let first = field
                        .arguments
                        .iter()
                        .find(|a| a.name == "first")
                        .and_then(|a| match &*a.value {
                            apollo_compiler::ast::Value::Int(n) => n.try_to_i32().ok(),
                            apollo_compiler::ast::Value::Variable(v) => {
                                vars.get(v.as_str()).copied()
                            }
                            _ => None,
                        })
                        .unwrap_or_else(|| panic!("{} has no first", field.name));
                    let inner: f64 = field
                        .selection_set
                        .selections
                        .iter()
                        .map(|s| match s {
                            Selection::Field(f) if f.name == "nodes" => {
                                f64::from(first) * (1.0 + cost(doc, &f.selection_set, vars))
                            }
                            other => cost(doc, &single(other, &field.selection_set), vars),
                        })
                        .sum();
                    2.0 + inner
                } else {
                    match schema().types.get(type_name) {
                        Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_)) | None => 0.0,
                        Some(_) => 1.0 + cost(doc, &field.selection_set, vars),
                    }
                }
            }
            Selection::FragmentSpread(spread) => cost(
                doc,
                &doc.fragments[&spread.fragment_name].selection_set,
                vars,
            ),
            Selection::InlineFragment(inline) => cost(doc, &inline.selection_set, vars),
        })
        .sum()
}

fn single(selection: &Selection, parent: &SelectionSet) -> SelectionSet {
    SelectionSet {
        ty: parent.ty.clone(),
        selections: vec![selection.clone()],
    }
}

#[test]
fn the_pacers_costs_are_the_documents_costs() {
    for doc in Doc::ALL {
        let valid = validate(doc.name(), doc.text()).unwrap();
        let operation = valid.operations.iter().next().unwrap();
        for (first, lines) in [(1, 1), (7, 10), (250, 50)] {
            let vars = HashMap::from([("first", first), ("lines", lines)]);
            let computed = if operation.operation_type == OperationType::Mutation {
                // A mutation costs 10, whatever it selects.
                MUTATION_COST * operation.selection_set.selections.len() as f64
            } else {
                cost(&valid, &operation.selection_set, &vars)
            };
            let paged_first = if doc.is_paged() { first as u32 } else { 1 };
            let expected = doc.cost(paged_first, lines as u32);
            // The unpaged documents' node is part of their fixed cost.
            let expected = if doc.is_paged() {
                expected
            } else {
                doc.shape(0).0
            };
            assert_eq!(
                computed,
                expected,
                "{} with first {first}, lines {lines}",
                doc.name()
            );
        }
    }
}

#[test]
fn the_fulfillment_orders_document_reads_the_lines_its_cost_assumes() {
    let lines = format!("lineItems(first: {FULFILLMENT_ORDER_LINES})");
    assert!(FULFILLMENT_ORDERS.contains(&lines), "{FULFILLMENT_ORDERS}");
}
