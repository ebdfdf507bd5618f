//! The sandbox US Direct supplier over real HTTP, driven as the app's supplier client would:
//! the contract's JSON and codes, idempotent retries, the rate limit, time-driven shipping,
//! the change log, persistence, the admin API and faults.
//!
//! Long on purpose: each scenario drives the supplier end to end over HTTP through `Api` below.

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use dealer_sandbox::supplier::wire::{
    AuthorizationResult, ChangesPage, CreatedOrder, Item, Order, OrderStatus, PaymentStatus,
};
use dealer_sandbox::{
    is_valid_ups_tracking_number, Faults, Sandbox, SandboxOptions, SandboxSupplier,
    SupplierOptions, SupplierOrder, SupplierSettings, SupplierStats, SUPPLIER_TOKEN,
};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::support::client;

/// What a call got: status, headers, JSON body (`Null` if none).
struct Reply {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or_default()
    }

    fn parse<T: serde::de::DeserializeOwned>(self) -> T {
        serde_json::from_value(self.body).unwrap()
    }
}

/// A supplier client speaking the contract.
struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    fn new(supplier: &SandboxSupplier) -> Api {
        Api {
            http: client(),
            base: supplier.base_url(),
            token: SUPPLIER_TOKEN.to_owned(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Reply, reqwest::Error> {
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

    async fn get(&self, path: &str) -> Reply {
        self.try_get(path).await.unwrap()
    }

    async fn try_get(&self, path: &str) -> Result<Reply, reqwest::Error> {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    async fn post(&self, path: &str, key: Option<&str>, body: Option<&Value>) -> Reply {
        self.try_post(path, key, body).await.unwrap()
    }

    async fn try_post(
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

    async fn create(&self, key: &str, body: &Value) -> Reply {
        self.post("/orders", Some(key), Some(body)).await
    }

    async fn authorize(&self, invoice_id: &str, key: &str) -> Reply {
        let path = format!("/invoices/{invoice_id}/authorize");
        self.post(&path, Some(key), None).await
    }

    async fn order(&self, id: &str) -> Order {
        let reply = self.get(&format!("/orders/{id}")).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.parse()
    }

    /// Polls `getOrder` until `done` holds (at most 5 s).
    async fn wait_for(&self, id: &str, done: impl Fn(&Order) -> bool) -> Order {
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
    async fn all_changes(&self, limit: usize) -> Vec<Value> {
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
fn options() -> SupplierOptions {
    SupplierOptions {
        rate_limit_per_sec: 0.0,
        ship_delay: Duration::from_millis(200),
        ..SupplierOptions::default()
    }
}

async fn start(options: SupplierOptions) -> (SandboxSupplier, Api) {
    let supplier = SandboxSupplier::start(options).await.unwrap();
    let api = Api::new(&supplier);
    (supplier, api)
}

fn springfield() -> Value {
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

fn order_body(number: &str, items: &[(&str, u32)]) -> Value {
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

fn with_address(mut body: Value, address: Value) -> Value {
    body["shippingAddress"] = address;
    body
}

/// Places an order and returns what `createOrder` answered.
async fn place(api: &Api, number: &str, items: &[(&str, u32)]) -> CreatedOrder {
    let reply = api
        .create(&format!("create-{number}"), &order_body(number, items))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.parse()
}

async fn admin_orders(supplier: &SandboxSupplier) -> Vec<SupplierOrder> {
    client()
        .get(format!("{}/orders", supplier.admin_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn admin_stats(supplier: &SandboxSupplier) -> SupplierStats {
    client()
        .get(format!("{}/stats", supplier.admin_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn put_settings(supplier: &SandboxSupplier, patch: Value) -> reqwest::Response {
    client()
        .put(format!("{}/settings", supplier.admin_url()))
        .json(&patch)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_created_order_is_invoiced_at_dealer_cost_with_the_weight_tier() {
    let (supplier, api) = start(options()).await;
    // 2 × Bamboo Cutting Board (1100 g, $24.50) + 1 × Garden Hose Nozzle (230 g, $9.99):
    // 2430 g = 5.36 lb, the "up to 10 lb" tier.
    let created = place(&api, "#1042", &[("USD-1003", 2), ("USD-1012", 1)]).await;
    assert!(created.id.starts_with("USD-ORD-"), "{}", created.id);
    assert_eq!(created.order_number, "#1042");
    assert_eq!(created.status, OrderStatus::Open);
    let invoice = &created.invoice;
    assert!(invoice.id.starts_with("INV-"));
    assert_eq!(invoice.payment_status, PaymentStatus::NotAuthorized);
    assert_eq!(invoice.total_product_cost.amount_minor, 2 * 1470 + 599);
    assert_eq!(invoice.total_shipping_cost.amount_minor, 1295);
    assert_eq!(invoice.total_cost.amount_minor, 2 * 1470 + 599 + 1295);
    assert_eq!(invoice.total_cost.currency, "USD");

    // One light item ships at the lowest tier.
    let light = place(&api, "#1043", &[("USD-1001", 1)]).await;
    assert_eq!(light.invoice.total_shipping_cost.amount_minor, 595);
    assert_eq!(light.invoice.total_product_cost.amount_minor, 299);

    let order = api.order(&created.id).await;
    assert_eq!(order.invoice, created.invoice);
    assert_eq!(order.items.as_ref().map(Vec::len), Some(2));
    assert_eq!(order.shipping_method.as_deref(), Some("Ground"));
    assert_eq!(order.shipping_address.unwrap().city, "Springfield");
    assert!(order.shipments.is_empty() && order.hold_reason.is_none());
    assert_eq!(order.created_at, created.created_at);
    // The raw JSON uses the contract's spelling.
    let raw = api.get(&format!("/orders/{}", created.id)).await.body;
    assert_eq!(raw["invoice"]["paymentStatus"], "Not Authorized");
    assert_eq!(raw["invoice"]["totalCost"]["amountMinor"], 4834);

    let missing = api.get("/orders/USD-ORD-999999").await;
    assert_eq!((missing.status, missing.code()), (404, "not_found"));

    let item: Item = api.get("/items/USD-1003").await.parse();
    assert_eq!(
        (item.title.as_str(), item.weight_grams),
        ("Bamboo Cutting Board", 1100)
    );
    assert!(item.available >= 25);
    let unknown = api.get("/items/USD-HOSE-99").await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
    supplier.stop().await;
}

#[tokio::test]
async fn business_rules_refuse_with_422_and_create_nothing() {
    let (supplier, api) = start(options()).await;
    let address = |line1: &str, city: &str, state: &str, postal: &str, country: &str| {
        json!({
            "firstName": "Sam", "lastName": "Rivera", "addressLine1": line1, "city": city,
            "stateCode": state, "postal": postal, "countryCode": country
        })
    };
    let hose = [("USD-1012", 1)];
    let cases = [
        (
            order_body("#2001", &[("USD-1012", 1), ("USD-HOSE-99", 1)]),
            "unknown_sku",
            "items[1].sku",
        ),
        (
            order_body("#2002", &[("USD-1001", 5000)]),
            "out_of_stock",
            "items[0].quantity",
        ),
        (
            with_address(
                order_body("#2003", &hose),
                address("290 Bremner Blvd", "Toronto", "ON", "M5V 3L9", "CA"),
            ),
            "address_not_serviceable",
            "shippingAddress.countryCode",
        ),
        (
            with_address(
                order_body("#2004", &hose),
                address("1200 Airport Heights Dr", "Anchorage", "AK", "99508", "US"),
            ),
            "address_not_serviceable",
            "shippingAddress.stateCode",
        ),
        (
            with_address(
                order_body("#2005", &hose),
                address("2005 Kalia Rd", "Honolulu", "HI", "96815", "US"),
            ),
            "address_not_serviceable",
            "shippingAddress.stateCode",
        ),
        (
            with_address(
                order_body("#2006", &hose),
                address(
                    "151 Calle de San Francisco",
                    "San Juan",
                    "PR",
                    "00901",
                    "US",
                ),
            ),
            "address_not_serviceable",
            "shippingAddress.stateCode",
        ),
        (
            with_address(
                order_body("#2007", &hose),
                address("PSC 802 Box 74", "APO", "AE", "09499", "US"),
            ),
            "address_not_serviceable",
            "shippingAddress.stateCode",
        ),
        (
            with_address(
                order_body("#2008", &hose),
                address("P.O. Box 1234", "Springfield", "IL", "62705", "US"),
            ),
            "address_not_serviceable",
            "shippingAddress.addressLine1",
        ),
        (
            with_address(
                order_body("#2009", &hose),
                address("Post Office Box 310", "Austin", "TX", "78767", "US"),
            ),
            "address_not_serviceable",
            "shippingAddress.addressLine1",
        ),
        (
            with_address(
                order_body("#2010", &hose),
                json!({
                    "firstName": "Sam", "lastName": "Rivera", "addressLine1": "Acme Supply",
                    "addressLine2": "POB 112", "city": "Denver", "stateCode": "CO",
                    "postal": "80201-0112", "countryCode": "US"
                }),
            ),
            "address_not_serviceable",
            "shippingAddress.addressLine2",
        ),
        // 7 × Cast Iron Skillet (2000 g) = 14 kg = 30.9 lb.
        (
            order_body("#2011", &[("USD-1009", 7)]),
            "order_overweight_held",
            "items",
        ),
    ];
    for (index, (body, code, field)) in cases.iter().enumerate() {
        let reply = api.create(&format!("rule-{index}"), body).await;
        assert_eq!(
            (reply.status, reply.code(), reply.field()),
            (422, *code, *field),
            "{}",
            reply.body
        );
        assert!(!reply.body["message"].as_str().unwrap().is_empty());
    }
    let overweight = api.create("rule-10", &cases[10].0).await;
    assert!(overweight.body["message"]
        .as_str()
        .unwrap()
        .contains("30.9 lb"));

    // The same street address with a real street line is fine.
    place(&api, "#2012", &hose).await;
    assert_eq!(admin_orders(&supplier).await.len(), 1);
    assert_eq!(supplier.stats().orders_created, 1);
    supplier.stop().await;
}

#[tokio::test]
async fn malformed_requests_are_400_and_a_wrong_token_401() {
    let (supplier, api) = start(options()).await;
    let mut body = order_body("#3001", &[("USD-1012", 1)]);
    body["shippingAddress"]
        .as_object_mut()
        .unwrap()
        .remove("stateCode");
    let reply = api.create("bad-1", &body).await;
    assert_eq!(
        (reply.status, reply.code(), reply.field()),
        (400, "validation_failed", "shippingAddress.stateCode")
    );

    let good = order_body("#3002", &[("USD-1012", 1)]);
    let no_key = api.post("/orders", None, Some(&good)).await;
    assert_eq!(
        (no_key.status, no_key.code(), no_key.field()),
        (400, "validation_failed", "Idempotency-Key")
    );
    let no_key = api.post("/invoices/INV-55001/authorize", None, None).await;
    assert_eq!(no_key.status, 400);

    let stranger = Api {
        token: "not-the-token".to_owned(),
        ..Api::new(&supplier)
    };
    let denied = stranger.create("k", &good).await;
    assert_eq!((denied.status, denied.code()), (401, "unauthorized"));
    assert_eq!(denied.body["message"], "Invalid API token.");
    assert!(supplier.orders().is_empty());
    supplier.stop().await;
}

#[tokio::test]
async fn create_replays_for_the_same_key_and_refuses_reuse_and_duplicates() {
    let (supplier, api) = start(options()).await;
    let body = order_body("#1042", &[("USD-1003", 2), ("USD-1012", 1)]);
    let first = api.create("key-1", &body).await;
    let second = api.create("key-1", &body).await;
    assert_eq!((first.status, second.status), (201, 201));
    assert_eq!(
        first.body, second.body,
        "the recorded answer, byte for byte"
    );
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(first.header("idempotent-replayed"), None);

    // The same JSON written differently is the same request.
    let reordered: Value = serde_json::from_str(&format!(
        "{{\"items\": {}, \"shippingMethod\": \"Ground\", \"orderNumber\": \"#1042\", \
         \"shippingAddress\": {}}}",
        body["items"], body["shippingAddress"]
    ))
    .unwrap();
    assert_eq!(api.create("key-1", &reordered).await.body, first.body);

    let mut other = body.clone();
    other["items"][0]["quantity"] = json!(3);
    let reused = api.create("key-1", &other).await;
    assert_eq!(
        (reused.status, reused.code()),
        (409, "idempotency_key_reused")
    );

    let duplicate = api.create("key-2", &body).await;
    assert_eq!(
        (duplicate.status, duplicate.code(), duplicate.field()),
        (409, "duplicate_order_number", "orderNumber")
    );

    let orders = admin_orders(&supplier).await;
    assert_eq!(orders.len(), 1);
    assert_eq!(
        (orders[0].times_created, orders[0].order_number.as_str()),
        (1, "#1042")
    );
    let stats = admin_stats(&supplier).await;
    assert_eq!(stats.orders_created, 1);
    assert_eq!(stats.create_requests, 5);
    assert_eq!(stats.replays, 2);
    assert_eq!(stats.key_reuses, 1);
    assert_eq!(stats.requests["createOrder"], 5);
    supplier.stop().await;
}

#[tokio::test]
async fn authorize_once_per_invoice_whatever_the_retries() {
    let (supplier, api) = start(options()).await;
    let created = place(&api, "#1042", &[("USD-1003", 1)]).await;
    let invoice = &created.invoice.id;

    let first = api.authorize(invoice, "auth-1").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let again = api.authorize(invoice, "auth-1").await;
    assert_eq!((again.status, &again.body), (200, &first.body));
    let result: AuthorizationResult = first.parse();
    assert_eq!(result.payment_status, PaymentStatus::Authorized);
    assert_eq!(&result.invoice_id, invoice);
    assert!(result.decline_reason.is_none());

    let second_device = api.authorize(invoice, "auth-2").await;
    assert_eq!(
        (second_device.status, second_device.code()),
        (409, "already_authorized")
    );
    let unknown = api.authorize("INV-1", "auth-3").await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));

    let order = api.order(&created.id).await;
    assert_eq!(order.status, OrderStatus::Processing);
    assert_eq!(order.invoice.payment_status, PaymentStatus::Authorized);
    let orders = admin_orders(&supplier).await;
    assert_eq!(orders[0].times_authorized, 1);
    let stats = admin_stats(&supplier).await;
    assert_eq!(
        (
            stats.authorize_requests,
            stats.authorizations_applied,
            stats.replays
        ),
        (4, 1, 1)
    );
    supplier.stop().await;
}

#[tokio::test]
async fn a_declined_invoice_is_authorized_again_with_a_new_key() {
    let (supplier, api) = start(options()).await;
    let created = place(&api, "#1042", &[("USD-1003", 1)]).await;
    let invoice = &created.invoice.id;
    let set = put_settings(
        &supplier,
        json!({ "declineReason": "Card on file expired" }),
    )
    .await;
    assert_eq!(set.status(), 200);

    let declined = api.authorize(invoice, "auth-1").await;
    assert_eq!(declined.status, 200, "a decline is an answer, not an error");
    assert_eq!(declined.body["paymentStatus"], "Declined");
    assert_eq!(declined.body["declineReason"], "Card on file expired");
    let order = api.order(&created.id).await;
    assert_eq!(
        (order.status, order.invoice.payment_status),
        (OrderStatus::Open, PaymentStatus::Declined)
    );

    // The dealer fixes the card; the old key still answers what it answered.
    put_settings(&supplier, json!({ "declineReason": null })).await;
    assert_eq!(supplier.settings().decline_reason, None);
    let replay = api.authorize(invoice, "auth-1").await;
    assert_eq!(replay.body, declined.body);
    let approved = api.authorize(invoice, "auth-2").await;
    assert_eq!(approved.body["paymentStatus"], "Authorized");
    assert!(approved.body.get("declineReason").is_none());

    let orders = supplier.orders();
    assert_eq!(orders[0].times_authorized, 1);
    assert_eq!(orders[0].payment_status, PaymentStatus::Authorized);
    let stats = supplier.stats();
    assert_eq!((stats.declines, stats.authorizations_applied), (1, 1));
    supplier.stop().await;
}

#[tokio::test]
async fn beyond_the_rate_limit_a_429_says_when_to_retry() {
    let (supplier, api) = start(SupplierOptions {
        rate_limit_per_sec: 2.0,
        ..options()
    })
    .await;
    let mut replies = Vec::new();
    for _ in 0..4 {
        replies.push(api.get("/items/USD-1001").await);
    }
    assert_eq!(replies[0].status, 200);
    assert_eq!(replies[0].header("x-ratelimit-limit"), Some("2"));
    assert_eq!(replies[0].header("x-ratelimit-remaining"), Some("1"));
    let limited = replies
        .iter()
        .find(|reply| reply.status == 429)
        .expect("a burst of 4 at 2/s is limited");
    assert_eq!(limited.code(), "rate_limited");
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(limited.header("x-ratelimit-limit"), Some("2"));

    // Per token: another token has its own allowance (and is refused for itself).
    let stranger = Api {
        token: "someone-else".to_owned(),
        ..Api::new(&supplier)
    };
    let denied = stranger.get("/items/USD-1001").await;
    assert_eq!(denied.status, 401);
    assert!(denied.header("x-ratelimit-remaining").is_some());

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(api.get("/items/USD-1001").await.status, 200);
    assert!(supplier.stats().rate_limited >= 1);
    supplier.stop().await;
}

#[tokio::test]
async fn an_authorized_order_ships_by_ups_after_the_delay() {
    let (supplier, api) = start(options()).await;
    let created = place(&api, "#1042", &[("USD-1003", 2), ("USD-1012", 1)]).await;
    let waiting = place(&api, "#1043", &[("USD-1001", 1)]).await;
    let authorized: AuthorizationResult = api.authorize(&created.invoice.id, "a1").await.parse();

    let shipped = api
        .wait_for(&created.id, |o| o.status == OrderStatus::Shipped)
        .await;
    assert_eq!(shipped.invoice.payment_status, PaymentStatus::Paid);
    assert_eq!(shipped.shipments.len(), 1);
    let shipment = &shipped.shipments[0];
    assert!(shipment.id.starts_with("SHP-"));
    assert!(
        is_valid_ups_tracking_number(&shipment.tracking_number),
        "{}",
        shipment.tracking_number
    );
    assert_eq!(
        (shipment.carrier.as_str(), shipment.method.as_str()),
        ("UPS", "Ground")
    );
    assert_eq!(
        shipment.tracking_url,
        format!(
            "https://www.ups.com/track?tracknum={}",
            shipment.tracking_number
        )
    );
    assert_eq!(
        shipment.shipped_at - authorized.authorized_at,
        chrono::TimeDelta::milliseconds(200)
    );
    let items: Vec<(String, u32)> = shipment
        .shipment_items
        .iter()
        .map(|i| (i.sku.clone(), i.quantity))
        .collect();
    assert_eq!(
        items,
        [("USD-1003".to_owned(), 2), ("USD-1012".to_owned(), 1)]
    );

    // Not authorized, not shipped.
    assert_eq!(api.order(&waiting.id).await.status, OrderStatus::Open);

    // The change log shows it shipped, in the contract's JSON.
    let changes = api.all_changes(100).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["orderId"] == created.id.as_str())
        .unwrap();
    assert_eq!(last["status"], "Shipped");
    assert_eq!(last["invoice"]["paymentStatus"], "Paid");
    assert_eq!(
        last["shipments"][0]["trackingNumber"],
        shipment.tracking_number
    );
    // created ×2, authorized, shipped.
    assert_eq!(changes.len(), 4);
    supplier.stop().await;
}

#[test]
fn ups_check_digits() {
    assert!(is_valid_ups_tracking_number("1Z999AA10123456784"));
    assert!(!is_valid_ups_tracking_number("1Z999AA10123456783"));
    assert!(!is_valid_ups_tracking_number("1Z999AA1012345678"));
    assert!(!is_valid_ups_tracking_number("9400111899223344556677"));
}

#[tokio::test]
async fn split_shipments_ship_the_first_line_then_the_rest() {
    let delay = Duration::from_millis(400);
    let (supplier, api) = start(SupplierOptions {
        ship_delay: delay,
        split_shipments: true,
        ..options()
    })
    .await;
    let created = place(&api, "#1042", &[("USD-1003", 2), ("USD-1012", 1)]).await;
    let single = place(&api, "#1043", &[("USD-1001", 1)]).await;
    api.authorize(&created.invoice.id, "a1").await;
    api.authorize(&single.invoice.id, "a2").await;

    let partial = api
        .wait_for(&created.id, |o| o.status != OrderStatus::Processing)
        .await;
    assert_eq!(partial.status, OrderStatus::PartiallyShipped);
    assert_eq!(partial.shipments.len(), 1);
    assert_eq!(partial.shipments[0].shipment_items[0].sku, "USD-1003");
    // Too late to cancel what is on its way.
    let cancel = api
        .post(&format!("/orders/{}/cancel", created.id), Some("c1"), None)
        .await;
    assert_eq!((cancel.status, cancel.code()), (409, "already_shipped"));

    let shipped = api
        .wait_for(&created.id, |o| o.status == OrderStatus::Shipped)
        .await;
    let [first, second] = &shipped.shipments[..] else {
        panic!("{:?}", shipped.shipments)
    };
    assert_ne!(first.tracking_number, second.tracking_number);
    assert!(is_valid_ups_tracking_number(&second.tracking_number));
    assert_eq!(second.shipment_items.len(), 1);
    assert_eq!(second.shipment_items[0].sku, "USD-1012");
    assert_eq!(
        second.shipped_at - first.shipped_at,
        chrono::TimeDelta::from_std(delay).unwrap()
    );
    // A one-line order ships whole.
    let single = api
        .wait_for(&single.id, |o| o.status == OrderStatus::Shipped)
        .await;
    assert_eq!(single.shipments.len(), 1);
    supplier.stop().await;
}

#[tokio::test]
async fn cancel_before_shipping_and_already_shipped_after() {
    let (supplier, api) = start(options()).await;
    let a = place(&api, "#1042", &[("USD-1003", 1)]).await;
    let reason = json!({ "reason": "Customer canceled on the store" });
    let path = format!("/orders/{}/cancel", a.id);
    let canceled = api.post(&path, Some("c1"), Some(&reason)).await;
    assert_eq!(canceled.status, 200, "{}", canceled.body);
    assert_eq!(canceled.body["status"], "Canceled");
    assert_eq!(canceled.body["invoice"]["paymentStatus"], "Not Authorized");
    let replay = api.post(&path, Some("c1"), Some(&reason)).await;
    assert_eq!(replay.body, canceled.body);
    // Canceling a canceled order answers its state.
    let again = api.post(&path, Some("c2"), None).await;
    assert_eq!(
        (again.status, &again.body["status"]),
        (200, &json!("Canceled"))
    );
    let authorize = api.authorize(&a.invoice.id, "a1").await;
    assert_eq!(
        (authorize.status, authorize.code()),
        (422, "order_canceled")
    );

    // An authorized order can be canceled before it ships; it then never ships.
    let b = place(&api, "#1043", &[("USD-1003", 1)]).await;
    api.authorize(&b.invoice.id, "a2").await;
    let path_b = format!("/orders/{}/cancel", b.id);
    let canceled_b = api.post(&path_b, Some("c3"), None).await;
    assert_eq!(canceled_b.body["status"], "Canceled");
    assert_eq!(
        canceled_b.body["invoice"]["paymentStatus"],
        "Not Authorized"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(api.order(&b.id).await.status, OrderStatus::Canceled);

    let c = place(&api, "#1044", &[("USD-1003", 1)]).await;
    api.authorize(&c.invoice.id, "a3").await;
    supplier.ship_order(&c.id).unwrap();
    let late = api
        .post(&format!("/orders/{}/cancel", c.id), Some("c4"), None)
        .await;
    assert_eq!((late.status, late.code()), (409, "already_shipped"));
    let unknown = api.post("/orders/USD-ORD-1/cancel", Some("c5"), None).await;
    assert_eq!((unknown.status, unknown.code()), (404, "not_found"));
    let too_long = json!({ "reason": "x".repeat(501) });
    let invalid = api.post(&path, Some("c6"), Some(&too_long)).await;
    assert_eq!((invalid.status, invalid.field()), (400, "reason"));
    supplier.stop().await;
}

#[tokio::test]
async fn changes_page_through_opaque_cursors() {
    let (supplier, api) = start(options()).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(place(&api, &format!("#50{n}"), &[("USD-1001", 1)]).await.id);
    }
    let first = api.get("/orders/changes?limit=2").await;
    let page: ChangesPage = first.parse();
    assert_eq!(page.changes.len(), 2);
    assert!(page.has_more);
    let changes = api.all_changes(2).await;
    let seen: Vec<&str> = changes
        .iter()
        .map(|c| c["orderId"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ids.iter().map(String::as_str).collect::<Vec<_>>());

    // At the end: no changes, the same cursor back, nothing more.
    let mut cursor = page.next_cursor;
    loop {
        let page: ChangesPage = api
            .get(&format!("/orders/changes?since={cursor}"))
            .await
            .parse();
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let end: ChangesPage = api
        .get(&format!("/orders/changes?since={cursor}"))
        .await
        .parse();
    assert!(end.changes.is_empty() && !end.has_more);
    assert_eq!(end.next_cursor, cursor);
    // A new change shows up after that cursor.
    supplier
        .hold_order(&ids[0], "Address verification required")
        .unwrap();
    let next: ChangesPage = api
        .get(&format!("/orders/changes?since={cursor}"))
        .await
        .parse();
    assert_eq!(next.changes.len(), 1);
    assert_eq!(next.changes[0].status, OrderStatus::OnHold);
    assert_eq!(
        next.changes[0].hold_reason.as_deref(),
        Some("Address verification required")
    );

    let future = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("{\"seq\":999}");
    for since in ["garbage!", "eyJub3BlIjp0cnVlfQ", future.as_str()] {
        let reply = api.get(&format!("/orders/changes?since={since}")).await;
        assert_eq!(
            (reply.status, reply.code(), reply.field()),
            (400, "invalid_cursor", "since"),
            "{since}"
        );
    }
    for limit in ["0", "501", "ten"] {
        let reply = api.get(&format!("/orders/changes?limit={limit}")).await;
        assert_eq!(
            (reply.status, reply.code(), reply.field()),
            (400, "validation_failed", "limit")
        );
    }
    let capped: ChangesPage = api.get("/orders/changes?limit=500").await.parse();
    assert_eq!(capped.changes.len(), 6);
    supplier.stop().await;
}

fn persistent(dir: &Path) -> SupplierOptions {
    SupplierOptions {
        state_dir: Some(dir.to_owned()),
        ship_delay: Duration::from_millis(300),
        ..options()
    }
}

#[tokio::test]
async fn everything_survives_a_restart_and_ships_on_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let (supplier, api) = start(persistent(dir.path())).await;
    let a = place(&api, "#1042", &[("USD-1003", 1)]).await;
    let b_body = order_body("#1043", &[("USD-1012", 1)]);
    let b = api.create("create-b", &b_body).await;
    let authorized: AuthorizationResult = api.authorize(&a.invoice.id, "auth-a").await.parse();
    supplier.set_settings(SupplierSettings {
        decline_reason: Some("Card on file expired".to_owned()),
        ..supplier.settings()
    });
    let before = supplier.orders();
    supplier.stop().await;
    assert!(dir.path().join("supplier.json").is_file());
    assert!(!dir.path().join("supplier.json.tmp").exists());

    // Down past the moment A was due to ship.
    tokio::time::sleep(Duration::from_millis(350)).await;
    let (again, api) = start(persistent(dir.path())).await;
    assert_eq!(
        again.settings().decline_reason.as_deref(),
        Some("Card on file expired")
    );
    let shipped = api.order(&a.id).await;
    assert_eq!(shipped.status, OrderStatus::Shipped);
    assert_eq!(
        shipped.shipments[0].shipped_at - authorized.authorized_at,
        chrono::TimeDelta::milliseconds(300),
        "shipped when it was due, not when the supplier came back"
    );
    assert_eq!(again.orders()[1], before[1]);

    // Idempotency records came back too.
    let replay = api.create("create-b", &b_body).await;
    assert_eq!((replay.status, &replay.body), (201, &b.body));
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    let auth_replay = api.authorize(&a.invoice.id, "auth-a").await;
    assert_eq!(auth_replay.body["paymentStatus"], "Authorized");
    assert_eq!(again.orders().len(), 2);

    // And the change log, numbering included: 2 created, 1 authorized, 1 shipped.
    assert_eq!(api.all_changes(100).await.len(), 4);
    let c = place(&api, "#1044", &[("USD-1001", 1)]).await;
    assert_ne!(c.id, a.id);
    assert_ne!(c.invoice.id, b.body["invoice"]["id"].as_str().unwrap());
    again.stop().await;

    std::fs::write(dir.path().join("supplier.json"), "{ not json").unwrap();
    let corrupt = SandboxSupplier::start(persistent(dir.path())).await;
    assert!(corrupt.is_err());
}

#[tokio::test]
async fn the_admin_api_holds_releases_ships_and_counts() {
    let (supplier, api) = start(options()).await;
    let admin = supplier.admin_url();
    let http = client();
    let created = place(&api, "#1042", &[("USD-1003", 1)]).await;
    api.authorize(&created.invoice.id, "a1").await;

    let held: Order = http
        .post(format!("{admin}/orders/{}/hold", created.id))
        .json(&json!({ "reason": "Address verification required" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(held.status, OrderStatus::OnHold);
    let raw = api.get(&format!("/orders/{}", created.id)).await.body;
    assert_eq!(raw["status"], "On Hold");
    assert_eq!(raw["holdReason"], "Address verification required");
    // Held orders do not ship, whatever the delay.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(api.order(&created.id).await.status, OrderStatus::OnHold);

    let released = http
        .post(format!("{admin}/orders/{}/release", created.id))
        .send()
        .await
        .unwrap();
    assert_eq!(released.status(), 200);
    let released: Order = released.json().await.unwrap();
    assert_eq!(released.status, OrderStatus::Processing);
    assert!(released.hold_reason.is_none());
    let shipped = http
        .post(format!("{admin}/orders/{}/ship", created.id))
        .send()
        .await
        .unwrap();
    assert_eq!(shipped.status(), 200);
    assert_eq!(api.order(&created.id).await.status, OrderStatus::Shipped);
    let again = http
        .post(format!("{admin}/orders/{}/ship", created.id))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["code"], "already_shipped");
    let missing = http
        .post(format!("{admin}/orders/USD-ORD-1/hold"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let orders: Value = http
        .get(format!("{admin}/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order = &orders[0];
    assert_eq!(order["id"], created.id.as_str());
    assert_eq!(order["status"], "Shipped");
    assert_eq!(order["paymentStatus"], "Paid");
    assert_eq!(order["timesCreated"], 1);
    assert_eq!(order["timesAuthorized"], 1);
    assert_eq!(order["invoice"]["totalCost"]["amountMinor"], 1470 + 895);
    assert!(order["shipments"][0]["trackingNumber"].is_string());

    let stats: Value = http
        .get(format!("{admin}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for field in [
        "ordersCreated",
        "createRequests",
        "authorizeRequests",
        "authorizationsApplied",
    ] {
        assert_eq!(stats[field], 1, "{field}");
    }
    assert_eq!(stats["replays"], 0);
    assert!(stats["requests"]["getOrder"].as_u64().unwrap() >= 3);

    let settings = put_settings(
        &supplier,
        json!({ "shipDelayMs": 50, "splitShipments": true }),
    )
    .await
    .json::<Value>()
    .await
    .unwrap();
    assert_eq!(
        settings,
        json!({ "shipDelayMs": 50, "declineReason": null, "splitShipments": true,
                "rateLimitPerSec": 0.0, "answerDelayMs": 0 })
    );
    assert_eq!(supplier.settings().ship_delay, Duration::from_millis(50));
    let typo = put_settings(&supplier, json!({ "shipDelay": 5 })).await;
    assert_eq!(typo.status(), 400);

    // Faults hit /v1, never the admin API.
    let faults = json!({ "error_rate": 1.0, "seed": 3 });
    let put = http
        .put(format!("{admin}/faults"))
        .json(&faults)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(supplier.faults().error_rate, 1.0);
    let failing = api.get("/items/USD-1001").await;
    assert!(matches!(failing.status, 500 | 503), "{}", failing.status);
    assert!(matches!(
        failing.code(),
        "internal_error" | "service_unavailable"
    ));
    let admin_still = http.get(format!("{admin}/faults")).send().await.unwrap();
    assert_eq!(admin_still.status(), 200);
    supplier.stop().await;
}

/// Runs one request to completion as a careful client does: the same key on every retry,
/// retrying 5xx, 429 and lost connections (without honouring `Retry-After`, to stay fast).
async fn until_answered<F, Fut>(attempt: F) -> (Reply, u32)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Reply, reqwest::Error>>,
{
    for tries in 1..=50 {
        match attempt().await {
            Ok(reply) if reply.status != 429 && reply.status < 500 => return (reply, tries),
            _ => tokio::time::sleep(Duration::from_millis(2)).await,
        }
    }
    panic!("no answer in 50 tries");
}

#[tokio::test]
async fn at_a_20_percent_fault_rate_retries_with_the_same_key_act_once() {
    let (supplier, api) = start(SupplierOptions {
        faults: Faults {
            error_rate: 0.08,
            rate_limit_rate: 0.04,
            drop_rate: 0.08,
            seed: 11,
            ..Faults::default()
        },
        ..options()
    })
    .await;
    let mut retried = 0;
    for n in 0..25 {
        let number = format!("#7{n:03}");
        let body = order_body(&number, &[("USD-1002", 1), ("USD-1010", 2)]);
        let key = format!("create-{n}");
        let (created, tries) =
            until_answered(|| api.try_post("/orders", Some(&key), Some(&body))).await;
        retried += tries - 1;
        assert_eq!(created.status, 201, "{}", created.body);
        let created: CreatedOrder = created.parse();
        let path = format!("/invoices/{}/authorize", created.invoice.id);
        let key = format!("authorize-{n}");
        let (authorized, tries) = until_answered(|| api.try_post(&path, Some(&key), None)).await;
        retried += tries - 1;
        assert_eq!(authorized.status, 200, "{}", authorized.body);
        assert_eq!(authorized.body["paymentStatus"], "Authorized");
        let order_path = format!("/orders/{}", created.id);
        let (order, _) = until_answered(|| api.try_get(&order_path)).await;
        assert_eq!(order.body["orderNumber"], number.as_str());
    }
    let orders = supplier.orders();
    assert_eq!(orders.len(), 25, "no retry created a second order");
    assert!(orders
        .iter()
        .all(|o| o.times_created == 1 && o.times_authorized == 1));
    let stats = supplier.stats();
    assert_eq!(
        (stats.orders_created, stats.authorizations_applied),
        (25, 25)
    );
    assert!(stats.dropped > 0 && stats.injected_errors > 0 && stats.injected_rate_limits > 0);
    assert!(
        stats.replays > 0,
        "some answers were lost after acting and replayed: {stats:?}"
    );
    assert!(retried > 0);
    supplier.stop().await;
}

#[tokio::test]
async fn start_all_runs_the_supplier_too() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start_all(SandboxOptions {
        state_dir: Some(dir.path().to_owned()),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let urls = sandbox.urls_json();
    assert_eq!(urls["supplier"], sandbox.supplier.base_url());
    assert!(urls["supplier"].as_str().unwrap().ends_with("/v1"));
    let item = client()
        .get(format!("{}/items/USD-1001", sandbox.supplier.base_url()))
        .header("X-API-TOKEN", SUPPLIER_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(item.status(), 200);
    sandbox.stop().await;
    assert!(dir.path().join("supplier.json").is_file());
}
