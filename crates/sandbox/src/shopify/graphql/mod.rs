//! A small GraphQL engine for the sandbox: parse (apollo-compiler AST, no schema at runtime),
//! validate against the modelled slice of the schema while computing the requested cost, then
//! project full JSON objects through the selection set.

pub(crate) mod cursor;
pub(crate) mod document;
pub(crate) mod error;
pub(crate) mod project;
pub(crate) mod schema;
pub(crate) mod validate;
