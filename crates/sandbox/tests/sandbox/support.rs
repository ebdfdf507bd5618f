//! Helpers shared by the integration tests.

use std::path::PathBuf;

#[path = "../../src/shopify/admin_schema.rs"]
pub mod admin_schema;

use dealer_sandbox::{
    SandboxOptions, SandboxStore, StoreKind, BIGCOMMERCE_TOKEN, SHOPIFY_TOKEN, WOO_CONSUMER_KEY,
    WOO_CONSUMER_SECRET,
};
use reqwest::{Client, Response};
use serde_json::{json, Value};

pub fn client() -> Client {
    Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap()
}

pub async fn start(kind: StoreKind) -> SandboxStore {
    SandboxStore::start(kind, SandboxOptions::default())
        .await
        .unwrap()
}

pub async fn start_with(kind: StoreKind, options: SandboxOptions) -> SandboxStore {
    SandboxStore::start(kind, options).await.unwrap()
}

pub fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs")
}

pub fn spec_json(relative: &str) -> Value {
    let text = std::fs::read_to_string(specs_dir().join(relative)).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn graphql_url(store: &SandboxStore) -> String {
    format!(
        "{}/admin/api/{}/graphql.json",
        store.base_url(),
        dealer_sandbox::SHOPIFY_API_VERSION
    )
}

/// A GraphQL call with the full-scope token: (HTTP status, body).
pub async fn gql(store: &SandboxStore, query: &str, variables: Value) -> (u16, Value) {
    gql_as(store, SHOPIFY_TOKEN, query, variables).await
}

pub async fn gql_as(
    store: &SandboxStore,
    token: &str,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let response = client()
        .post(graphql_url(store))
        .header("X-Shopify-Access-Token", token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub async fn woo_get(store: &SandboxStore, path: &str, query: &[(&str, &str)]) -> Response {
    client()
        .get(format!("{}/wp-json/wc/v3{path}", store.base_url()))
        .basic_auth(WOO_CONSUMER_KEY, Some(WOO_CONSUMER_SECRET))
        .query(query)
        .send()
        .await
        .unwrap()
}

pub async fn bc_get(store: &SandboxStore, path: &str, query: &[(&str, &str)]) -> Response {
    client()
        .get(format!("{}/v2{path}", store.base_url()))
        .header("X-Auth-Token", BIGCOMMERCE_TOKEN)
        .header("Accept", "application/json")
        .query(query)
        .send()
        .await
        .unwrap()
}

pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Keys of a JSON object, sorted.
pub fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// Keys of `expected` that `actual` lacks.
pub fn missing_keys(expected: &Value, actual: &Value) -> Vec<String> {
    let actual = keys(actual);
    keys(expected)
        .into_iter()
        .filter(|key| !actual.contains(key))
        .collect()
}

/// A moment strictly between two orders' changes, so filters on it are exact.
pub async fn tick() {
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
}
