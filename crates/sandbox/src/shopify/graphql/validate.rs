//! Checks a prepared operation against the modelled schema and computes its requested cost in
//! the same walk. Shopify rejects a document with unknown fields before running it, and so does
//! the sandbox: a client asking for a field the sandbox does not model gets an `undefinedField`
//! error, never silently missing data.
//!
//! Cost, after Shopify's calculated query cost (simplified): a scalar or enum costs 0, an
//! object 1 plus its selection, a connection 2 plus `first` times the cost of its selection,
//! where `edges` and `pageInfo` are free and each `node` (or `nodes` entry) is an object; a
//! mutation field costs 10 whatever it selects.
//! `actualQueryCost` applies the same rules to what was returned (see `project`).

use apollo_compiler::ast::{self, Selection};
use apollo_compiler::Node;
use serde_json::Value;

use super::document::Prepared;
use super::error::{GraphqlError, Location};
use super::schema::{self, Kind};

/// The most a connection may ask for in one page, as on Shopify.
pub(crate) const MAX_PAGE: i64 = 250;

/// The requested cost, or every problem found.
pub(crate) fn validate(prepared: &Prepared) -> Result<u64, Vec<GraphqlError>> {
    let mut walk = Walk {
        prepared,
        errors: Vec::new(),
        path: vec![prepared.path_root()],
        location: None,
    };
    let cost = walk.selection(prepared.root_selection(), prepared.root_type());
    if walk.errors.is_empty() {
        Ok(cost)
    } else {
        Err(walk.errors)
    }
}

struct Walk<'a> {
    prepared: &'a Prepared,
    errors: Vec<GraphqlError>,
    path: Vec<String>,
    /// Where the field being checked is, for its errors.
    location: Option<Location>,
}

impl Walk<'_> {
    fn selection(&mut self, selection: &[Selection], type_name: &'static str) -> u64 {
        let groups = match self.prepared.collect_fields(selection, type_name) {
            Ok(groups) => groups,
            Err(error) => {
                self.errors.push(error.path(&self.path));
                return 0;
            }
        };
        let mut cost = 0;
        for group in groups {
            let field = group.first();
            self.path.push(field.name.to_string());
            self.undeclared_variables(field);
            let field_cost = self.field(field, &group.selection(), type_name);
            cost += if type_name == schema::MUTATION_ROOT {
                schema::MUTATION_COST
            } else {
                field_cost
            };
            self.path.pop();
        }
        cost
    }

    fn field(
        &mut self,
        field: &Node<ast::Field>,
        selection: &[Selection],
        type_name: &'static str,
    ) -> u64 {
        self.location = self.prepared.location(field);
        let kind = if field.name == "__typename" {
            Some(Kind::Leaf)
        } else {
            schema::field_kind(type_name, &field.name)
        };
        let Some(kind) = kind else {
            self.error(
                GraphqlError::new(format!(
                    "Field '{}' doesn't exist on type '{type_name}'",
                    field.name
                ))
                .code("undefinedField")
                .extension("typeName", type_name)
                .extension("fieldName", field.name.as_str()),
            );
            return 0;
        };
        match kind {
            Kind::Leaf => {
                if !selection.is_empty() {
                    self.error(
                        GraphqlError::new(format!(
                            "Selections can't be made on scalars (field '{}' returns a scalar \
                             but has selections)",
                            field.name
                        ))
                        .code("selectionMismatch")
                        .extension("nodeName", format!("field '{}'", field.name)),
                    );
                }
                0
            }
            Kind::Object(inner) | Kind::List(inner) | Kind::Wrapper(inner) => {
                if !self.has_selection(field, selection, inner) {
                    return 0;
                }
                let own = if matches!(kind, Kind::Wrapper(_)) {
                    0
                } else {
                    1
                };
                own + self.selection(selection, inner)
            }
            Kind::Connection(inner) => {
                let first = self.page_size(field);
                if !self.has_selection(field, selection, inner) {
                    return 0;
                }
                2 + first * self.selection(selection, inner)
            }
        }
    }

    fn has_selection(
        &mut self,
        field: &ast::Field,
        selection: &[Selection],
        type_name: &str,
    ) -> bool {
        if selection.is_empty() {
            self.error(
                GraphqlError::new(format!(
                    "Field must have selections (field '{}' returns {type_name} but has no \
                     selections. Did you mean '{} {{ ... }}'?)",
                    field.name, field.name
                ))
                .code("selectionMismatch")
                .extension("nodeName", format!("field '{}'", field.name)),
            );
        }
        !selection.is_empty()
    }

    /// `first` of a connection field: required (the sandbox pages forward only) and ≤ 250.
    fn page_size(&mut self, field: &ast::Field) -> u64 {
        let arguments = self.prepared.arguments(field);
        if arguments.get("last").is_some_and(|last| !last.is_null())
            || arguments
                .get("before")
                .is_some_and(|before| !before.is_null())
        {
            self.error(
                GraphqlError::new("The sandbox pages forward only: use `first` and `after`")
                    .code("UNSUPPORTED_BY_SANDBOX"),
            );
            return 0;
        }
        match arguments.get("first").and_then(Value::as_i64) {
            None => {
                self.error(GraphqlError::new("you must provide one of first or last"));
                0
            }
            Some(first) if !(0..=MAX_PAGE).contains(&first) => {
                self.error(
                    GraphqlError::new(format!(
                        "The value of `first` must be between 0 and {MAX_PAGE} (got {first})"
                    ))
                    .code("BAD_USER_INPUT"),
                );
                0
            }
            Some(first) => first.unsigned_abs(),
        }
    }

    fn undeclared_variables(&mut self, field: &Node<ast::Field>) {
        let mut used = Vec::new();
        for argument in &field.arguments {
            variables_in(&argument.value, &mut used);
        }
        for name in used {
            if !self.prepared.is_declared(&name) {
                let error = GraphqlError::new(format!(
                    "Variable ${name} is used by {} but not declared",
                    self.path[0]
                ))
                .code("variableNotDefined")
                .extension("variableName", name.as_str())
                .at(self.prepared.location(field));
                self.errors.push(error.path(&self.path));
            }
        }
    }

    fn error(&mut self, error: GraphqlError) {
        let error = error.at(self.location.clone()).path(&self.path);
        self.errors.push(error);
    }
}

fn variables_in(value: &ast::Value, found: &mut Vec<String>) {
    match value {
        ast::Value::Variable(name) => found.push(name.to_string()),
        ast::Value::List(items) => items.iter().for_each(|item| variables_in(item, found)),
        ast::Value::Object(fields) => fields
            .iter()
            .for_each(|(_, item)| variables_in(item, found)),
        _ => {}
    }
}
