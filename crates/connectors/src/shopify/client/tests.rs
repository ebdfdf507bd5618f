//! The Shopify client against a loopback stub that keeps a real-time cost bucket (a model of
//! Shopify's, see `fake_bucket`): paging, long orders, pacing and the error answers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::*;
use crate::shopify::fake_bucket::{Admission, FakeBucket};
use crate::stub::{Scripted, Seen, Stub};

/// What the stub store holds and how it misbehaves.
struct Store {
    bucket: FakeBucket,
    /// Line counts of the orders, oldest change first.
    orders: Vec<u32>,
    /// Answer the next Orders query THROTTLED with an empty bucket.
    throttle_next: bool,
    /// Answer the next request HTTP 429 with this Retry-After.
    too_many_next: Option<&'static str>,
    /// The token lacks `read_orders`.
    deny_orders: bool,
    /// The scopes the app was granted.
    scopes: Vec<&'static str>,
    /// Orders queries seen: (first, lines, requested cost).
    queries: Vec<(u32, u32, f64)>,
}

fn gid(index: usize) -> String {
    format!("gid://shopify/Order/{}", 1001 + index)
}

fn line(order: usize, line: u32) -> Value {
    json!({
        "sku": format!("SKU-{order}-{line}"),
        "title": format!("Item {line}"),
        "quantity": 1 + line % 2,
        "currentQuantity": 1 + line % 2,
        "originalUnitPriceSet": { "shopMoney": { "amount": "12.50", "currencyCode": "USD" } },
        "variant": { "inventoryItem": { "measurement": { "weight": { "unit": "POUNDS", "value": 1.5 } } } }
    })
}

/// Lines `from..` of order `index`, at most `first`, as a connection.
fn lines(store: &Store, index: usize, from: u32, first: u32) -> Value {
    let total = store.orders[index];
    let to = (from + first).min(total);
    json!({
        "pageInfo": { "hasNextPage": to < total, "endCursor": format!("l{to}") },
        "nodes": (from..to).map(|l| line(index, l)).collect::<Vec<_>>(),
    })
}

fn order(store: &Store, index: usize, lines_first: u32) -> Value {
    let money = |amount: &str| json!({ "shopMoney": { "amount": amount, "currencyCode": "USD" } });
    json!({
        "id": gid(index),
        "name": format!("#{}", 1001 + index),
        "email": "jane@example.com",
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": format!("2025-01-03T00:00:{:02}Z", index % 60),
        "cancelledAt": null,
        "displayFinancialStatus": "PAID",
        "risk": { "recommendation": "ACCEPT", "assessments": [{ "riskLevel": "LOW" }] },
        "currencyCode": "USD",
        "shippingAddress": {
            "name": "Jane Doe", "firstName": "Jane", "lastName": "Doe",
            "address1": "12 Main St", "address2": null, "city": "Springfield",
            "provinceCode": "IL", "zip": "62701", "countryCodeV2": "US", "phone": null
        },
        "currentShippingPriceSet": money("5.00"),
        "currentTotalTaxSet": money("1.00"),
        "currentTotalPriceSet": money("31.00"),
        "lineItems": lines(store, index, 0, lines_first),
    })
}

fn cost_extension(requested: f64, actual: Option<f64>, bucket: &FakeBucket) -> Value {
    let status = bucket.status();
    json!({ "cost": {
        "requestedQueryCost": requested,
        "actualQueryCost": actual,
        "throttleStatus": {
            "maximumAvailable": status.maximum_available,
            "currentlyAvailable": status.currently_available,
            "restoreRate": status.restore_rate,
        }
    }})
}

/// A GraphQL answer with one error of `code`, and `extensions` when given.
fn graphql_error(code: &str, message: &str, more: Value, extensions: Option<Value>) -> Scripted {
    let mut error_extensions = json!({ "code": code });
    if let (Some(fields), Value::Object(more)) = (error_extensions.as_object_mut(), more) {
        fields.extend(more);
    }
    let mut body = json!({ "errors": [{ "message": message, "extensions": error_extensions }] });
    if let Some(extensions) = extensions {
        body["extensions"] = extensions;
    }
    Scripted::json(200, body.to_string())
}

fn answer(store: &mut Store, seen: &Seen) -> Scripted {
    if let Some(retry_after) = store.too_many_next.take() {
        return Scripted::json(429, r#"{"errors":"Exceeded 2 calls per second"}"#)
            .header("retry-after", retry_after);
    }
    assert_eq!(seen.headers["x-shopify-access-token"], "shpat_test");
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    let query = body["query"].as_str().unwrap();
    let vars = &body["variables"];
    let number = |name: &str| vars[name].as_u64().map(|n| n as u32);
    let cursor = |name: &str| -> u32 { vars[name].as_str().map_or(0, |c| c[1..].parse().unwrap()) };
    let operation: String = query
        .trim_start()
        .trim_start_matches("query ")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let doc = Doc::ALL
        .into_iter()
        .find(|doc| doc.name() == operation)
        .unwrap();
    let (first, lines_first) = match doc {
        Doc::Orders => (number("first").unwrap(), number("lines").unwrap()),
        Doc::OrderLines => (number("first").unwrap(), 0),
        _ => (1, 0),
    };
    let requested = doc.cost(first, lines_first);
    let now = tokio::time::Instant::now();
    if doc == Doc::Orders {
        store.queries.push((first, lines_first, requested));
        if std::mem::take(&mut store.throttle_next) {
            store
                .bucket
                .query(now, 0.0, store.bucket.status().currently_available);
            let ext = cost_extension(requested, None, &store.bucket);
            return graphql_error("THROTTLED", "Throttled", json!({}), Some(ext));
        }
    }
    // Work out the answer and its actual cost before asking the bucket.
    let (data, actual) = match doc {
        Doc::ShopName => (json!({"shop": {"name": "Stub Shop"}}), 1.0),
        Doc::OrdersScope if store.deny_orders => {
            let message = "Access denied for orders field. Required access: `read_orders` \
                           access scope.";
            return graphql_error("ACCESS_DENIED", message, json!({}), None);
        }
        Doc::OrdersScope => (json!({"orders": {"nodes": [{"id": gid(0)}]}}), 3.0),
        Doc::AppScopes => {
            let scopes: Vec<Value> = store
                .scopes
                .iter()
                .map(|handle| json!({ "handle": handle }))
                .collect();
            let app = json!({ "currentAppInstallation": { "accessScopes": scopes } });
            (app, 2.0)
        }
        Doc::OrderFulfillments | Doc::FulfillmentOrders | Doc::FulfillmentCreate => {
            panic!("this stub store takes no tracking (see push/tests.rs)")
        }
        Doc::OrderCancelState | Doc::OrderCancel => {
            panic!("this stub store takes no cancels (see the sandbox cancel tests)")
        }
        Doc::Orders => {
            let from = cursor("after") as usize;
            let to = (from + first as usize).min(store.orders.len());
            let nodes: Vec<Value> = (from..to).map(|i| order(store, i, lines_first)).collect();
            let line_count: u32 = (from..to).map(|i| store.orders[i].min(lines_first)).sum();
            let actual = 3.0 + (to - from) as f64 * 11.0 + f64::from(line_count) * 7.0;
            let page = json!({
                "pageInfo": {"hasNextPage": to < store.orders.len(), "endCursor": format!("c{to}")},
                "nodes": nodes,
            });
            (json!({ "orders": page }), actual)
        }
        Doc::OrderLines => {
            let id = vars["id"].as_str().unwrap();
            let index = (id.rsplit('/').next().unwrap().parse::<usize>().unwrap()) - 1001;
            let connection = lines(store, index, cursor("after"), first);
            let count = connection["nodes"].as_array().unwrap().len() as f64;
            (
                json!({"order": {"lineItems": connection}}),
                4.0 + count * 7.0,
            )
        }
    };
    match store.bucket.query(now, requested, actual) {
        Admission::Admitted => {
            let ext = cost_extension(requested, Some(actual), &store.bucket);
            Scripted::json(200, json!({ "data": data, "extensions": ext }).to_string())
        }
        Admission::Throttled => {
            let ext = cost_extension(requested, None, &store.bucket);
            graphql_error("THROTTLED", "Throttled", json!({}), Some(ext))
        }
        Admission::MaxCostExceeded => graphql_error(
            "MAX_COST_EXCEEDED",
            "Query cost is too high",
            json!({ "cost": requested, "maxCost": store.bucket.maximum }),
            None,
        ),
    }
}

async fn stub_store(maximum: f64, restore: f64, orders: Vec<u32>) -> (Stub, Arc<Mutex<Store>>) {
    let store = Arc::new(Mutex::new(Store {
        bucket: FakeBucket::full(maximum, restore, tokio::time::Instant::now()),
        orders,
        throttle_next: false,
        too_many_next: None,
        deny_orders: false,
        scopes: vec![
            "read_orders",
            "write_fulfillments",
            "write_merchant_managed_fulfillment_orders",
        ],
        queries: Vec::new(),
    }));
    let shared = store.clone();
    let stub = Stub::handler(move |seen| answer(&mut shared.lock().unwrap(), seen)).await;
    (stub, store)
}

fn client(stub: &Stub) -> ShopifyClient {
    let policy = HttpPolicy {
        base_backoff: Duration::from_millis(10),
        ..HttpPolicy::default()
    };
    ShopifyClient::with_policy(&stub.base_url, Sensitive::new("shpat_test".into()), policy).unwrap()
}

fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

/// Every page from the start; the orders by id, and the number of pages.
async fn sync(
    client: &ShopifyClient,
) -> (BTreeMap<String, dealer_core::channel::ChannelOrder>, u32) {
    let mut orders = BTreeMap::new();
    let mut request = ListRequest {
        updated_since: since(),
        page: None,
    };
    let mut pages = 0;
    loop {
        let page = client.list_orders(&request).await.unwrap();
        pages += 1;
        for item in page.items {
            let order = match item {
                Fetched::Order(order) => order,
                Fetched::Malformed(m) => panic!("quarantined: {m:?}"),
            };
            let id = order.order.channel_order_id.to_string();
            assert!(
                orders.insert(id.clone(), *order).is_none(),
                "{id} arrived twice"
            );
        }
        match page.next {
            Some(next) => request.page = Some(next),
            None => return (orders, pages),
        }
    }
}

#[tokio::test]
async fn pages_through_every_order_and_the_rest_of_long_orders() {
    let mut line_counts = vec![2; 30];
    line_counts[7] = 64;
    let (stub, store) = stub_store(1000.0, 10_000.0, line_counts).await;
    let (orders, pages) = sync(&client(&stub)).await;
    assert_eq!(orders.len(), 30);
    assert!(pages > 1, "one page cannot hold 30 orders");
    let long = &orders[&gid(7)].order;
    assert_eq!(long.lines.len(), 64);
    assert_eq!(long.lines[63].sku_text(), "SKU-7-63");
    let first = &orders[&gid(0)].order;
    assert_eq!(first.number, "#1001");
    assert_eq!(first.lines[0].unit_price.minor, 1250);
    assert_eq!(first.lines[0].unit_weight_grams, 680);
    assert_eq!(first.total.minor, 3100);
    // The query string and the sort Shopify documents.
    let seen = stub.seen();
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(
        body["variables"]["query"],
        "updated_at:>='2025-01-01T00:00:00Z'"
    );
    assert!(body["query"]
        .as_str()
        .unwrap()
        .contains("sortKey: UPDATED_AT"));
    assert!(seen[0]
        .target
        .ends_with(&format!("/admin/api/{}/graphql.json", super::API_VERSION)));
    assert_eq!(seen[0].method, "POST");
    assert_eq!(store.lock().unwrap().bucket.throttled, 0);
}

#[tokio::test]
async fn a_small_bucket_is_paced_instead_of_throttled() {
    // 250 points at 500/s: about a second of waiting for these orders.
    let (stub, store) = stub_store(250.0, 500.0, (0..60).map(|i| 1 + i % 3).collect()).await;
    let client = client(&stub);
    client.test_connection().await.unwrap();
    let started = tokio::time::Instant::now();
    let (orders, _) = sync(&client).await;
    assert_eq!(orders.len(), 60);
    let store = store.lock().unwrap();
    assert_eq!(store.bucket.throttled, 0, "never throttled");
    assert_eq!(store.bucket.too_expensive, 0);
    for (first, lines, requested) in &store.queries {
        assert!(
            *requested <= 250.0,
            "{first} orders × {lines} lines cost {requested}"
        );
    }
    // The bucket, not the client, set the pace: it spent what was restored.
    let spent = store.bucket.charged - 250.0;
    let rate = spent / started.elapsed().as_secs_f64();
    assert!(rate > 0.5 * 500.0, "spent {rate:.0}/s of 500/s");
}

#[tokio::test]
async fn a_throttled_answer_is_waited_out_and_retried() {
    let (stub, store) = stub_store(100.0, 200.0, vec![1; 3]).await;
    let client = client(&stub);
    client.test_connection().await.unwrap();
    store.lock().unwrap().throttle_next = true;
    let (orders, _) = sync(&client).await;
    assert_eq!(orders.len(), 3);
    let seen = stub.seen();
    let orders_queries: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.body.contains("query Orders("))
        .collect();
    // The empty bucket needs its refill before the retry (at least 100 ms for ~40 points).
    let gap = orders_queries[1].at - orders_queries[0].at;
    assert!(gap >= Duration::from_millis(100), "retried after {gap:?}");
    assert_eq!(
        store.lock().unwrap().bucket.throttled,
        0,
        "only the forced one"
    );
}

#[tokio::test]
async fn http_429_with_retry_after_is_retried() {
    let (stub, store) = stub_store(1000.0, 1000.0, vec![1; 2]).await;
    store.lock().unwrap().too_many_next = Some("1");
    let (orders, _) = sync(&client(&stub)).await;
    assert_eq!(orders.len(), 2);
    let seen = stub.seen();
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(990));
}

#[tokio::test]
async fn a_query_too_dear_for_the_bucket_shrinks() {
    // The first request is sent blind (first: 1, 10 lines, 84 points): over a 60-point bucket.
    let (stub, store) = stub_store(60.0, 1000.0, vec![1; 5]).await;
    let (orders, _) = sync(&client(&stub)).await;
    assert_eq!(orders.len(), 5);
    let store = store.lock().unwrap();
    assert_eq!(store.bucket.too_expensive, 1);
    assert!(
        store.queries[1..].iter().all(|(_, _, cost)| *cost <= 60.0),
        "{:?}",
        store.queries
    );
}

#[tokio::test]
async fn the_connection_test_names_the_shop_and_the_missing_scope() {
    let (stub, store) = stub_store(1000.0, 1000.0, vec![1]).await;
    let client = client(&stub);
    assert_eq!(
        client.test_connection().await.unwrap().store_name,
        "Stub Shop"
    );
    store
        .lock()
        .unwrap()
        .scopes
        .retain(|scope| *scope == "read_orders");
    let err = client.test_connection().await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::MissingScope { scope, .. } if scope == "write_fulfillments and write_merchant_managed_fulfillment_orders"),
        "{err:?}"
    );
    assert!(err.to_string().contains("tracking"), "{err}");
    store.lock().unwrap().deny_orders = true;
    let err = client.test_connection().await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::MissingScope { scope, detail } if scope == "read_orders" && detail.contains("Access denied")),
        "{err:?}"
    );
}

/// Once the asked version is retired Shopify serves another one and says so: the connection
/// test reports the version that answered, not the one asked for.
#[tokio::test]
async fn the_connection_test_reports_the_version_that_answered() {
    let served = |body: &str| Scripted::json(200, body).header("X-Shopify-API-Version", "2027-01");
    let stub = Stub::scripted(vec![
        served(r#"{"data":{"shop":{"name":"Moved Shop"}}}"#),
        served(r#"{"data":{"orders":{"nodes":[]}}}"#),
        served(
            r#"{"data":{"currentAppInstallation":{"accessScopes":[{"handle":"read_orders"},
            {"handle":"write_fulfillments"},
            {"handle":"write_merchant_managed_fulfillment_orders"}]}}}"#,
        ),
    ])
    .await;
    let check = client(&stub).test_connection().await.unwrap();
    assert_eq!(check.store_name, "Moved Shop");
    assert_eq!(check.api_version.as_deref(), Some("2027-01"));
    assert_ne!(super::API_VERSION, "2027-01");
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let stub = Stub::scripted(vec![Scripted::json(
        401,
        r#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#,
    )])
    .await;
    let err = client(&stub).test_connection().await.unwrap_err();
    assert_eq!(
        err,
        ChannelError::Unauthorized {
            detail: "[API] Invalid API key or access token (unrecognized login or wrong password)"
                .into()
        }
    );
    assert!(!err.to_string().contains("shpat_test"));
}
