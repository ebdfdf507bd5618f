//! The sandbox US Direct supplier over real HTTP, driven as the app's supplier client would:
//! the contract's JSON and codes, idempotent retries, the rate limit (`orders`), time-driven
//! shipping, the change log, persistence, the admin API (`shipping`) and faults (`faults`).
//! This file holds the client the tests speak through.

mod faults;
mod orders;
mod shipping;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use dealer_sandbox::supplier::wire::{ChangesPage, CreatedOrder, Order};
use dealer_sandbox::{
    SandboxSupplier, SupplierOptions, SupplierOrder, SupplierStats, SUPPLIER_TOKEN,
};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::support::client;

/// What a call got: status, headers, JSON body (`Null` if none).
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Value,
}

impl Reply {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(super) fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    pub(super) fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or_default()
    }

    pub(super) fn parse<T: serde::de::DeserializeOwned>(self) -> T {
        serde_json::from_value(self.body).unwrap()
    }
}

/// A supplier client speaking the contract.
pub(super) struct Api {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) token: String,
}

impl Api {
    pub(super) fn new(supplier: &SandboxSupplier) -> Api {
        Api {
            http: client(),
            base: supplier.base_url(),
            token: SUPPLIER_TOKEN.to_owned(),
        }
    }

    pub(super) async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<Reply, reqwest::Error> {
        let response = request.header("X-API-TOKEN", &self.token).send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    pub(super) async fn get(&self, path: &str) -> Reply {
        self.try_get(path).await.unwrap()
    }

    pub(super) async fn try_get(&self, path: &str) -> Result<Reply, reqwest::Error> {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    pub(super) async fn post(&self, path: &str, key: Option<&str>, body: Option<&Value>) -> Reply {
        self.try_post(path, key, body).await.unwrap()
    }

    pub(super) async fn try_post(
        &self,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self.http.post(format!("{}{path}", self.base));
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    pub(super) async fn create(&self, key: &str, body: &Value) -> Reply {
        self.post("/orders", Some(key), Some(body)).await
    }

    pub(super) async fn authorize(&self, invoice_id: &str, key: &str) -> Reply {
        let path = format!("/invoices/{invoice_id}/authorize");
        self.post(&path, Some(key), None).await
    }

    pub(super) async fn order(&self, id: &str) -> Order {
        let reply = self.get(&format!("/orders/{id}")).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.parse()
    }

    /// Polls `getOrder` until `done` holds (at most 5 s).
    pub(super) async fn wait_for(&self, id: &str, done: impl Fn(&Order) -> bool) -> Order {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let order = self.order(id).await;
            if done(&order) {
                return order;
            }
            assert!(Instant::now() < deadline, "gave up waiting: {order:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every change from the start of the log, following cursors.
    pub(super) async fn all_changes(&self, limit: usize) -> Vec<Value> {
        let mut changes = Vec::new();
        let mut path = format!("/orders/changes?limit={limit}");
        loop {
            let reply = self.get(&path).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            let page: ChangesPage = reply.parse();
            changes.extend(
                page.changes
                    .iter()
                    .map(|c| serde_json::to_value(c).unwrap()),
            );
            path = format!("/orders/changes?limit={limit}&since={}", page.next_cursor);
            if !page.has_more {
                return changes;
            }
        }
    }
}

/// Fast and unthrottled, unless a test says otherwise.
pub(super) fn options() -> SupplierOptions {
    SupplierOptions {
        rate_limit_per_sec: 0.0,
        ship_delay: Duration::from_millis(200),
        ..SupplierOptions::default()
    }
}

pub(super) async fn start(options: SupplierOptions) -> (SandboxSupplier, Api) {
    let supplier = SandboxSupplier::start(options).await.unwrap();
    let api = Api::new(&supplier);
    (supplier, api)
}

pub(super) fn springfield() -> Value {
    json!({
        "firstName": "Jane",
        "lastName": "Doe",
        "addressLine1": "123 Main St",
        "addressLine2": "Apt 4B",
        "city": "Springfield",
        "stateCode": "IL",
        "postal": "62701",
        "countryCode": "US",
        "phone": "+12175550123",
        "email": "jane.doe@example.com"
    })
}

pub(super) fn order_body(number: &str, items: &[(&str, u32)]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|(sku, quantity)| json!({ "sku": sku, "quantity": quantity }))
        .collect();
    json!({
        "orderNumber": number,
        "shippingAddress": springfield(),
        "items": items,
        "shippingMethod": "Ground"
    })
}

pub(super) fn with_address(mut body: Value, address: Value) -> Value {
    body["shippingAddress"] = address;
    body
}

/// Places an order and returns what `createOrder` answered.
pub(super) async fn place(api: &Api, number: &str, items: &[(&str, u32)]) -> CreatedOrder {
    let reply = api
        .create(&format!("create-{number}"), &order_body(number, items))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.parse()
}

pub(super) async fn admin_orders(supplier: &SandboxSupplier) -> Vec<SupplierOrder> {
    client()
        .get(format!("{}/orders", supplier.admin_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub(super) async fn admin_stats(supplier: &SandboxSupplier) -> SupplierStats {
    client()
        .get(format!("{}/stats", supplier.admin_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub(super) async fn put_settings(supplier: &SandboxSupplier, patch: Value) -> reqwest::Response {
    client()
        .put(format!("{}/settings", supplier.admin_url()))
        .json(&patch)
        .send()
        .await
        .unwrap()
}
