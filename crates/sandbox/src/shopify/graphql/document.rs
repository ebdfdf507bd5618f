//! A GraphQL request made ready to run: the document parsed with apollo-compiler's AST parser
//! (no schema at runtime), the operation picked, variables bound, and the helpers validation and
//! projection share (argument values, `@skip`/`@include`, field collection across fragments).

use std::collections::HashMap;

use apollo_compiler::ast::{self, Definition, OperationType, Selection};
use apollo_compiler::{Name, Node};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use super::error::{GraphqlError, Location};
use super::schema;

/// The JSON body of `POST /admin/api/{version}/graphql.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GraphqlRequest {
    pub query: String,
    #[serde(default)]
    pub variables: Option<Map<String, Value>>,
    #[serde(default)]
    pub operation_name: Option<String>,
}

/// The fields of one selection set that share a response key, in document order.
pub(crate) struct FieldGroup {
    pub key: Name,
    pub fields: Vec<Node<ast::Field>>,
}

impl FieldGroup {
    pub(crate) fn first(&self) -> &Node<ast::Field> {
        &self.fields[0]
    }

    /// The sub-selections of every field in the group, merged as GraphQL execution does.
    pub(crate) fn selection(&self) -> Vec<Selection> {
        self.fields
            .iter()
            .flat_map(|field| field.selection_set.iter().cloned())
            .collect()
    }
}

pub(crate) struct Prepared {
    document: ast::Document,
    operation: Node<ast::OperationDefinition>,
    fragments: HashMap<Name, Node<ast::FragmentDefinition>>,
    variables: Map<String, Value>,
}

impl Prepared {
    pub(crate) fn new(request: GraphqlRequest) -> Result<Prepared, Vec<Value>> {
        let document = ast::Document::parse(request.query, "query.graphql").map_err(|invalid| {
            invalid
                .errors
                .iter()
                .map(|diagnostic| serde_json::to_value(diagnostic.to_json()).unwrap_or_default())
                .collect::<Vec<_>>()
        })?;
        let as_values = |error: GraphqlError| vec![serde_json::to_value(error).unwrap_or_default()];
        let operation =
            pick_operation(&document, request.operation_name.as_deref()).map_err(as_values)?;
        let fragments = document
            .definitions
            .iter()
            .filter_map(|definition| match definition {
                Definition::FragmentDefinition(fragment) => {
                    Some((fragment.name.clone(), fragment.clone()))
                }
                _ => None,
            })
            .collect();
        let variables =
            bind_variables(&operation, request.variables.unwrap_or_default()).map_err(as_values)?;
        Ok(Prepared {
            document,
            operation,
            fragments,
            variables,
        })
    }

    pub(crate) fn root_type(&self) -> &'static str {
        match self.operation.operation_type {
            OperationType::Mutation => schema::MUTATION_ROOT,
            OperationType::Query | OperationType::Subscription => schema::QUERY_ROOT,
        }
    }

    /// How Shopify names the operation at the start of a validation error's path.
    pub(crate) fn path_root(&self) -> String {
        let kind = match self.operation.operation_type {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        match &self.operation.name {
            Some(name) => format!("{kind} {name}"),
            None => kind.to_owned(),
        }
    }

    pub(crate) fn root_selection(&self) -> &[Selection] {
        &self.operation.selection_set
    }

    pub(crate) fn is_declared(&self, variable: &str) -> bool {
        self.operation
            .variables
            .iter()
            .any(|definition| definition.name == variable)
    }

    pub(crate) fn location<T>(&self, node: &Node<T>) -> Option<Location> {
        let range = node.line_column_range(&self.document.sources)?;
        Some(Location {
            line: range.start.line,
            column: range.start.column,
        })
    }

    /// A literal or variable as JSON, variables bound (an unbound one is null).
    pub(crate) fn value(&self, value: &ast::Value) -> Value {
        literal(value, &|name| self.variables.get(name.as_str()).cloned())
    }

    pub(crate) fn arguments(&self, field: &ast::Field) -> Map<String, Value> {
        field
            .arguments
            .iter()
            .map(|argument| (argument.name.to_string(), self.value(&argument.value)))
            .collect()
    }

    /// Groups the fields selected on an object of `type_name` by response key, following
    /// fragments whose type condition applies and honouring `@skip`/`@include`.
    pub(crate) fn collect_fields(
        &self,
        selection: &[Selection],
        type_name: &str,
    ) -> Result<Vec<FieldGroup>, GraphqlError> {
        let mut groups = Vec::new();
        self.collect_into(selection, type_name, &mut groups, &mut Vec::new())?;
        Ok(groups)
    }

    fn collect_into(
        &self,
        selection: &[Selection],
        type_name: &str,
        groups: &mut Vec<FieldGroup>,
        visiting: &mut Vec<Name>,
    ) -> Result<(), GraphqlError> {
        for item in selection {
            match item {
                Selection::Field(field) => {
                    if !self.included(&field.directives) {
                        continue;
                    }
                    let key = field.alias.as_ref().unwrap_or(&field.name).clone();
                    match groups.iter_mut().find(|group| group.key == key) {
                        Some(group) if group.first().name != field.name => {
                            return Err(GraphqlError::new(format!(
                                "Field '{key}' has a field conflict: {} or {}?",
                                group.first().name,
                                field.name
                            ))
                            .code("fieldConflict")
                            .at(self.location(field)));
                        }
                        Some(group) => group.fields.push(field.clone()),
                        None => groups.push(FieldGroup {
                            key,
                            fields: vec![field.clone()],
                        }),
                    }
                }
                Selection::InlineFragment(inline) => {
                    if !self.included(&inline.directives) {
                        continue;
                    }
                    let applies = match &inline.type_condition {
                        None => true,
                        Some(condition) => self.applies(condition, type_name, inline)?,
                    };
                    if applies {
                        self.collect_into(&inline.selection_set, type_name, groups, visiting)?;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if !self.included(&spread.directives) {
                        continue;
                    }
                    let name = &spread.fragment_name;
                    let fragment = self.fragments.get(name).ok_or_else(|| {
                        GraphqlError::new(format!("Fragment {name} was used, but not defined"))
                            .code("useAndDefineFragment")
                            .at(self.location(spread))
                    })?;
                    if visiting.contains(name) {
                        return Err(GraphqlError::new(format!(
                            "Fragment {name} contains an infinite loop"
                        ))
                        .code("infiniteLoop")
                        .at(self.location(spread)));
                    }
                    if self.applies(&fragment.type_condition, type_name, fragment)? {
                        visiting.push(name.clone());
                        self.collect_into(&fragment.selection_set, type_name, groups, visiting)?;
                        visiting.pop();
                    }
                }
            }
        }
        Ok(())
    }

    fn applies<T>(
        &self,
        condition: &Name,
        type_name: &str,
        at: &Node<T>,
    ) -> Result<bool, GraphqlError> {
        schema::fragment_applies(condition, type_name).ok_or_else(|| {
            GraphqlError::new(format!(
                "No such type {condition}, so it can't be a fragment condition"
            ))
            .code("undefinedType")
            .at(self.location(at))
        })
    }

    fn included(&self, directives: &ast::DirectiveList) -> bool {
        let flag = |name: &str| {
            directives
                .get(name)
                .and_then(|directive| directive.specified_argument_by_name("if"))
                .map(|value| self.value(value) == Value::Bool(true))
        };
        flag("skip") != Some(true) && flag("include") != Some(false)
    }
}

fn pick_operation(
    document: &ast::Document,
    name: Option<&str>,
) -> Result<Node<ast::OperationDefinition>, GraphqlError> {
    let mut operations = document
        .definitions
        .iter()
        .filter_map(|definition| match definition {
            Definition::OperationDefinition(operation) => Some(operation),
            _ => None,
        });
    let picked = match name {
        Some(name) => operations
            .find(|operation| operation.name.as_ref().is_some_and(|own| own == name))
            .ok_or_else(|| GraphqlError::new(format!("No operation named \"{name}\"")))?,
        None => {
            let first = operations
                .next()
                .ok_or_else(|| GraphqlError::new("No operations in query document"))?;
            if operations.next().is_some() {
                return Err(GraphqlError::new(
                    "An operation name is required when the document has several operations",
                ));
            }
            first
        }
    };
    if picked.operation_type == OperationType::Subscription {
        return Err(GraphqlError::new(
            "Subscriptions are not supported by this API",
        ));
    }
    Ok(picked.clone())
}

/// Provided values, else defaults; a required variable with neither is an error.
fn bind_variables(
    operation: &ast::OperationDefinition,
    mut provided: Map<String, Value>,
) -> Result<Map<String, Value>, GraphqlError> {
    let mut bound = Map::new();
    for definition in &operation.variables {
        let name = definition.name.as_str();
        let value = match provided.remove(name) {
            Some(value) => value,
            None => match &definition.default_value {
                Some(default) => literal(default, &|_| None),
                None => Value::Null,
            },
        };
        if value.is_null() && definition.ty.is_non_null() {
            return Err(GraphqlError::new(format!(
                "Variable ${name} of type {} was provided invalid value",
                definition.ty
            ))
            .code("INVALID_VARIABLE")
            .extension("value", Value::Null));
        }
        bound.insert(name.to_owned(), value);
    }
    Ok(bound)
}

fn literal(value: &ast::Value, variable: &dyn Fn(&Name) -> Option<Value>) -> Value {
    match value {
        ast::Value::Null => Value::Null,
        ast::Value::Enum(name) => Value::String(name.to_string()),
        ast::Value::Variable(name) => variable(name).unwrap_or(Value::Null),
        ast::Value::String(text) => Value::String(text.clone()),
        ast::Value::Boolean(flag) => Value::Bool(*flag),
        ast::Value::Int(int) => int
            .as_str()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::Null),
        ast::Value::Float(float) => float
            .try_to_f64()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number),
        ast::Value::List(items) => {
            Value::Array(items.iter().map(|item| literal(item, variable)).collect())
        }
        ast::Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, item)| (name.to_string(), literal(item, variable)))
                .collect(),
        ),
    }
}
