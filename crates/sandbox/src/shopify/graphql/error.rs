//! GraphQL errors in the shape Shopify sends them: `message`, `locations`, `path`, and
//! `extensions.code` (plus details) for clients to branch on.

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Location {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct GraphqlError {
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
}

impl GraphqlError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            locations: Vec::new(),
            path: Vec::new(),
            extensions: Map::new(),
        }
    }

    pub(crate) fn code(self, code: &str) -> Self {
        self.extension("code", code)
    }

    pub(crate) fn extension(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.to_owned(), value.into());
        self
    }

    pub(crate) fn at(mut self, location: Option<Location>) -> Self {
        self.locations.extend(location);
        self
    }

    pub(crate) fn path<S: AsRef<str>>(mut self, path: &[S]) -> Self {
        self.path = path
            .iter()
            .map(|part| Value::String(part.as_ref().to_owned()))
            .collect();
        self
    }
}
