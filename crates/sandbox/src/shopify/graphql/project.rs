//! Runs a validated operation: root fields come from a resolver, everything below them is
//! projected from a full JSON object whose field names follow the schema (aliases,
//! `__typename`, fragments and nested connections handled here). Counts the actual cost on
//! the way: the cost rules of `validate`, applied to what was returned.

use apollo_compiler::ast::{self, Selection};
use apollo_compiler::Node;
use serde_json::{json, Map, Value};

use super::cursor::Cursor;
use super::document::Prepared;
use super::error::GraphqlError;
use super::schema::{self, Kind};

/// One page of a connection: `(cursor, node)` pairs.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub items: Vec<(String, Value)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// What a root resolver returns for one root field.
pub(crate) enum Resolved {
    /// An object (or null), projected as the field's kind says.
    Value(Value),
    /// A page of a connection field.
    Page(Page),
    /// The field failed (e.g. access denied); being non-null, it nulls `data`.
    Failed(GraphqlError),
}

pub(crate) trait RootResolver {
    fn resolve(&mut self, field: &str, arguments: &Map<String, Value>) -> Resolved;
}

pub(crate) struct Execution {
    pub data: Value,
    pub errors: Vec<GraphqlError>,
    pub actual_cost: u64,
}

pub(crate) fn execute(prepared: &Prepared, root: &mut dyn RootResolver) -> Execution {
    let root_type = prepared.root_type();
    let mut projector = Projector {
        prepared,
        cost: 0,
        errors: Vec::new(),
    };
    let groups = match prepared.collect_fields(prepared.root_selection(), root_type) {
        Ok(groups) => groups,
        Err(error) => {
            return Execution {
                data: Value::Null,
                errors: vec![error],
                actual_cost: 0,
            }
        }
    };
    let mut data = Map::new();
    let mut failed = false;
    for group in &groups {
        let field = group.first();
        let selection = group.selection();
        let cost_before = projector.cost;
        let value = match schema::field_kind(root_type, &field.name) {
            _ if field.name == "__typename" => Value::from(root_type),
            None => Value::Null,
            Some(kind) => match root.resolve(&field.name, &prepared.arguments(field)) {
                Resolved::Value(value) => projector.value(kind, &value, field, &selection),
                Resolved::Page(page) => match kind {
                    Kind::Connection(connection) => {
                        projector.connection(page, connection, &selection)
                    }
                    _ => Value::Null,
                },
                Resolved::Failed(error) => {
                    failed = true;
                    let error = error
                        .at(prepared.location(field))
                        .path(&[group.key.as_str()]);
                    projector.errors.push(error);
                    Value::Null
                }
            },
        };
        if root_type == schema::MUTATION_ROOT {
            projector.cost = cost_before + schema::MUTATION_COST;
        }
        data.insert(group.key.to_string(), value);
    }
    Execution {
        data: if failed {
            Value::Null
        } else {
            Value::Object(data)
        },
        errors: projector.errors,
        actual_cost: projector.cost,
    }
}

struct Projector<'a> {
    prepared: &'a Prepared,
    cost: u64,
    errors: Vec<GraphqlError>,
}

impl Projector<'_> {
    fn object(&mut self, value: &Value, type_name: &'static str, selection: &[Selection]) -> Value {
        // Validation already collected these fields without error.
        let groups = self
            .prepared
            .collect_fields(selection, type_name)
            .unwrap_or_default();
        let mut out = Map::with_capacity(groups.len());
        for group in &groups {
            let field = group.first();
            let projected = if field.name == "__typename" {
                Value::from(type_name)
            } else {
                match schema::field_kind(type_name, &field.name) {
                    Some(kind) => {
                        let raw = value.get(field.name.as_str()).unwrap_or(&Value::Null);
                        self.value(kind, raw, field, &group.selection())
                    }
                    None => Value::Null,
                }
            };
            out.insert(group.key.to_string(), projected);
        }
        Value::Object(out)
    }

    fn value(
        &mut self,
        kind: Kind,
        raw: &Value,
        field: &Node<ast::Field>,
        selection: &[Selection],
    ) -> Value {
        match (kind, raw) {
            (Kind::Leaf, _) => raw.clone(),
            (Kind::Object(type_name), Value::Object(_)) => {
                self.cost += 1;
                self.object(raw, type_name, selection)
            }
            (Kind::List(type_name), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    // `first` on a plain list (`Order.fulfillments`) truncates it.
                    .take(self.list_limit(field))
                    .map(|item| {
                        self.cost += 1;
                        self.object(item, type_name, selection)
                    })
                    .collect(),
            ),
            (Kind::Wrapper(type_name), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|item| self.object(item, type_name, selection))
                    .collect(),
            ),
            (Kind::Wrapper(type_name), Value::Object(_)) => self.object(raw, type_name, selection),
            (Kind::Connection(connection), Value::Array(items)) => {
                match list_page(items, &self.prepared.arguments(field)) {
                    Ok(page) => self.connection(page, connection, selection),
                    Err(error) => {
                        self.errors.push(error.at(self.prepared.location(field)));
                        Value::Null
                    }
                }
            }
            _ => Value::Null,
        }
    }

    fn list_limit(&self, field: &ast::Field) -> usize {
        self.prepared
            .arguments(field)
            .get("first")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |first| {
                usize::try_from(first).unwrap_or(usize::MAX)
            })
    }

    /// Projects a page as a connection object; only builds `edges`/`nodes` when selected.
    fn connection(
        &mut self,
        page: Page,
        connection: &'static str,
        selection: &[Selection],
    ) -> Value {
        self.cost += 2;
        let selected: Vec<String> = self
            .prepared
            .collect_fields(selection, connection)
            .unwrap_or_default()
            .iter()
            .map(|group| group.first().name.to_string())
            .collect();
        let wants = |name: &str| selected.iter().any(|selected| selected == name);
        let mut synthesized = Map::new();
        if wants("edges") {
            let edges = page
                .items
                .iter()
                .map(|(cursor, node)| json!({ "cursor": cursor, "node": node }))
                .collect();
            synthesized.insert("edges".to_owned(), Value::Array(edges));
        }
        synthesized.insert(
            "pageInfo".to_owned(),
            json!({
                "hasNextPage": page.has_next_page,
                "hasPreviousPage": page.has_previous_page,
                "startCursor": page.items.first().map(|(cursor, _)| cursor),
                "endCursor": page.items.last().map(|(cursor, _)| cursor),
            }),
        );
        if wants("nodes") {
            let nodes = page.items.into_iter().map(|(_, node)| node).collect();
            synthesized.insert("nodes".to_owned(), Value::Array(nodes));
        }
        self.object(&Value::Object(synthesized), connection, selection)
    }
}

/// A page of a list nested in an object (an order's line items): `first`, `after`, `reverse`.
fn list_page(items: &[Value], arguments: &Map<String, Value>) -> Result<Page, GraphqlError> {
    let first = arguments
        .get("first")
        .and_then(Value::as_u64)
        .unwrap_or_default() as usize;
    let reverse = arguments.get("reverse").and_then(Value::as_bool) == Some(true);
    let mut indexed: Vec<(usize, &Value)> = items.iter().enumerate().collect();
    if reverse {
        indexed.reverse();
    }
    let start = match arguments.get("after").and_then(Value::as_str) {
        None => 0,
        Some(after) => {
            let cursor = Cursor::decode(after)
                .ok_or_else(|| GraphqlError::new("Invalid cursor for current pagination sort."))?;
            indexed
                .iter()
                .position(|(index, _)| *index as u64 == cursor.last_id)
                .map_or(indexed.len(), |position| position + 1)
        }
    };
    let rest = indexed.get(start..).unwrap_or_default();
    let page_items = rest
        .iter()
        .take(first)
        .map(|(index, item)| {
            let cursor = Cursor {
                last_id: *index as u64,
                last_value: *index as i64,
            };
            (cursor.encode(), (*item).clone())
        })
        .collect();
    Ok(Page {
        items: page_items,
        has_next_page: rest.len() > first,
        has_previous_page: start > 0,
    })
}
