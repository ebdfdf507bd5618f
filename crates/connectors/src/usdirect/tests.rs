//! The US Direct client against a scripted loopback server: headers, idempotency keys on
//! retries, `Retry-After`, pacing across clients, refusals, and the token's secrecy.
//!
//! Long on purpose: each case scripts the stub server's replies in full, over the helpers below.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dealer_core::secret::Sensitive;
use dealer_core::supplier::{
    Authorization, PaymentStatus, ShipTo, Supplier, SupplierError, SupplierLine,
    SupplierOrderRequest, SupplierOrderStatus,
};
use serde_json::{json, Value};

use super::{SupplierPolicy, UsDirectClient};
use crate::stub::{Scripted, Seen, Stub};
use crate::HttpPolicy;

const TOKEN: &str = "usd-test-token-7f3a9c";

const CREATED: &str = r##"{"id":"USD-ORD-1","orderNumber":"#1042","status":"Open",
  "invoice":{"id":"INV-1","totalProductCost":{"amountMinor":4597,"currency":"USD"},
    "totalShippingCost":{"amountMinor":895,"currency":"USD"},
    "totalCost":{"amountMinor":5492,"currency":"USD"},"paymentStatus":"Not Authorized"},
  "createdAt":"2024-05-01T14:03:22Z"}"##;

const ITEM: &str =
    r#"{"sku":"USD-HOSE-25","title":"Garden Hose, 25 ft","weightGrams":1361,"available":42}"#;

fn policy(requests_per_second: f64) -> SupplierPolicy {
    SupplierPolicy {
        http: HttpPolicy {
            timeout: Duration::from_secs(5),
            max_attempts: 4,
            base_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(3),
            ..HttpPolicy::default()
        },
        requests_per_second,
    }
}

/// A client for the stub, fast enough that pacing does not slow the test.
fn client(stub: &Stub) -> UsDirectClient {
    client_at(stub, 1000.0)
}

fn client_at(stub: &Stub, requests_per_second: f64) -> UsDirectClient {
    UsDirectClient::with_policy(
        &format!("{}/v1", stub.base_url),
        Sensitive::new(TOKEN.to_string()),
        policy(requests_per_second),
    )
    .unwrap()
}

pub(super) fn order_request() -> SupplierOrderRequest {
    SupplierOrderRequest {
        order_number: "#1042".into(),
        ship_to: ShipTo {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            line1: "123 Main St".into(),
            line2: Some("Apt 4B".into()),
            city: "Springfield".into(),
            state_code: "IL".into(),
            postal: "62701".into(),
            country_code: "US".into(),
            phone: Some("+12175550123".into()),
            email: Some("jane.doe@example.com".into()),
        },
        lines: vec![
            SupplierLine {
                sku: "USD-HOSE-25".into(),
                quantity: 2,
            },
            SupplierLine {
                sku: "USD-NOZZLE-7".into(),
                quantity: 1,
            },
        ],
    }
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers.get(name).and_then(|value| value.to_str().ok())
}

fn body(seen: &Seen) -> Value {
    serde_json::from_str(&seen.body).unwrap()
}

fn error(status: u16, code: &str, message: &str) -> Scripted {
    Scripted::json(
        status,
        json!({ "code": code, "message": message }).to_string(),
    )
}

#[tokio::test]
async fn create_order_sends_the_token_the_key_and_the_contracts_body() {
    let stub = Stub::scripted(vec![Scripted::json(201, CREATED)]).await;
    let created = client(&stub)
        .create_order("key-1", &order_request())
        .await
        .unwrap();
    assert_eq!(created.id, "USD-ORD-1");
    assert_eq!(created.invoice.id, "INV-1");
    assert_eq!(created.invoice.total_cost_minor, 5492);
    assert_eq!(created.invoice.payment_status, PaymentStatus::NotAuthorized);

    let seen = stub.seen();
    assert_eq!(seen.len(), 1);
    let sent = &seen[0];
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("POST", "/v1/orders")
    );
    assert_eq!(header(sent, "x-api-token"), Some(TOKEN));
    assert_eq!(header(sent, "idempotency-key"), Some("key-1"));
    assert_eq!(header(sent, "content-type"), Some("application/json"));
    assert_eq!(
        body(sent),
        json!({
            "orderNumber": "#1042",
            "shippingAddress": {
                "firstName": "Jane", "lastName": "Doe",
                "addressLine1": "123 Main St", "addressLine2": "Apt 4B",
                "city": "Springfield", "stateCode": "IL", "postal": "62701", "countryCode": "US",
                "phone": "+12175550123", "email": "jane.doe@example.com"
            },
            "items": [
                { "sku": "USD-HOSE-25", "quantity": 2 },
                { "sku": "USD-NOZZLE-7", "quantity": 1 }
            ]
        })
    );
}

#[tokio::test]
async fn a_503_is_retried_with_the_same_key_and_the_same_body() {
    let stub = Stub::scripted(vec![
        error(
            503,
            "service_unavailable",
            "Service temporarily unavailable.",
        ),
        error(500, "internal_error", "Unexpected error."),
        Scripted::json(201, CREATED),
    ])
    .await;
    let created = client(&stub)
        .create_order("key-retry", &order_request())
        .await
        .unwrap();
    assert_eq!(created.id, "USD-ORD-1");
    let seen = stub.seen();
    assert_eq!(seen.len(), 3);
    for attempt in &seen {
        assert_eq!(header(attempt, "idempotency-key"), Some("key-retry"));
        assert_eq!(
            attempt.body, seen[0].body,
            "a retry must be the same request"
        );
    }
}

#[tokio::test]
async fn retries_that_run_out_leave_the_call_to_the_outbox() {
    let down = Stub::handler(|_| error(503, "service_unavailable", "Maintenance.")).await;
    let err = client(&down)
        .authorize_payment("key-a", "INV-1")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SupplierError::Unavailable { detail, .. } if detail.contains("Maintenance")),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(down.seen().len(), 4, "max_attempts, then give up");
    assert!(down
        .seen()
        .iter()
        .all(|seen| header(seen, "idempotency-key") == Some("key-a")));

    let busy = Stub::handler(|_| error(429, "rate_limited", "Too many requests.")).await;
    let err = client(&busy).get_order("USD-ORD-1").await.unwrap_err();
    assert!(matches!(err, SupplierError::RateLimited { .. }), "{err:?}");
    assert!(err.is_transient());

    // Nothing listens there any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nobody = UsDirectClient::with_policy(
        &format!("http://127.0.0.1:{port}/v1"),
        Sensitive::new(TOKEN.to_string()),
        policy(1000.0),
    )
    .unwrap();
    let err = nobody.get_order("USD-ORD-1").await.unwrap_err();
    assert!(matches!(err, SupplierError::Unavailable { .. }), "{err:?}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried_with_the_same_key() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut keys = Vec::new();
        for round in 0..2 {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = vec![0_u8; 16 * 1024];
            let read = socket.read(&mut buffer).await.unwrap();
            let request = String::from_utf8_lossy(&buffer[..read]).to_lowercase();
            let key = request
                .lines()
                .find_map(|line| line.strip_prefix("idempotency-key: "))
                .map(str::to_string);
            keys.push(key);
            if round == 0 {
                // The order may well have been placed; the answer never arrives.
                drop(socket);
                continue;
            }
            let reply = format!(
                "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{CREATED}",
                CREATED.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
            socket.shutdown().await.unwrap();
        }
        keys
    });
    let client = UsDirectClient::with_policy(
        &format!("http://{addr}/v1"),
        Sensitive::new(TOKEN.to_string()),
        policy(1000.0),
    )
    .unwrap();
    let created = client
        .create_order("key-drop", &order_request())
        .await
        .unwrap();
    assert_eq!(created.id, "USD-ORD-1");
    let keys = server.await.unwrap();
    assert_eq!(keys, vec![Some("key-drop".to_string()); 2]);
}

#[tokio::test]
async fn a_429_holds_every_client_of_the_token_for_retry_after() {
    let orders = Arc::new(AtomicUsize::new(0));
    let stub = Stub::handler({
        let orders = orders.clone();
        move |seen| {
            if seen.target == "/v1/orders" && orders.fetch_add(1, Ordering::SeqCst) == 0 {
                return error(
                    429,
                    "rate_limited",
                    "Too many requests; retry after 1 second.",
                )
                .header("retry-after", "1");
            }
            if seen.target == "/v1/orders" {
                return Scripted::json(201, CREATED);
            }
            Scripted::json(200, ITEM)
        }
    })
    .await;
    let first = client(&stub);
    // Built separately, as another part of the app would: same base URL, same token.
    let second = client(&stub);
    let creating = tokio::spawn({
        let first = first.clone();
        async move { first.create_order("key-429", &order_request()).await }
    });
    while stub.seen().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Let the 429 reach the client before the other caller asks.
    tokio::time::sleep(Duration::from_millis(100)).await;
    second.get_item("USD-HOSE-25").await.unwrap();
    creating.await.unwrap().unwrap();

    let seen = stub.seen();
    assert_eq!(seen.len(), 3);
    let limited_at = seen[0].at;
    for later in &seen[1..] {
        let gap = later.at - limited_at;
        assert!(
            gap >= Duration::from_secs(1),
            "{} came {gap:?} after the 429",
            later.target
        );
    }
    assert_eq!(header(&seen[2], "idempotency-key"), Some("key-429"));
}

#[tokio::test]
async fn concurrent_calls_from_clones_and_other_clients_are_paced_together() {
    let stub = Stub::handler(|_| Scripted::json(200, ITEM)).await;
    let first = client_at(&stub, 20.0);
    let second = client_at(&stub, 20.0);
    let calls = (0..8).map(|i| {
        let client = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tokio::spawn(async move { client.get_item("USD-HOSE-25").await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert!(call.unwrap().unwrap().is_some());
    }
    let mut instants: Vec<_> = stub.seen().iter().map(|seen| seen.at).collect();
    assert_eq!(instants.len(), 8);
    instants.sort();
    for pair in instants.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(50),
            "two requests {gap:?} apart"
        );
    }
}

#[tokio::test]
async fn another_token_is_not_held_back() {
    let stub = Stub::handler(|_| Scripted::json(200, ITEM)).await;
    let slow = UsDirectClient::with_policy(
        &format!("{}/v1", stub.base_url),
        Sensitive::new("token-one".to_string()),
        policy(2.0),
    )
    .unwrap();
    let other = UsDirectClient::with_policy(
        &format!("{}/v1", stub.base_url),
        Sensitive::new("token-two".to_string()),
        policy(2.0),
    )
    .unwrap();
    let (a, b) = tokio::join!(slow.get_item("A"), other.get_item("B"));
    a.unwrap();
    b.unwrap();
    let seen = stub.seen();
    let gap = if seen[1].at > seen[0].at {
        seen[1].at - seen[0].at
    } else {
        seen[0].at - seen[1].at
    };
    assert!(
        gap < Duration::from_millis(400),
        "{gap:?}: tokens share no gate"
    );
}

#[tokio::test]
async fn refusals_map_to_their_errors_and_are_not_retried() {
    let stub = Stub::scripted(vec![
        Scripted::json(
            400,
            r#"{"code":"validation_failed","message":"stateCode must be a 2-letter code.","field":"shippingAddress.stateCode"}"#,
        ),
        error(401, "unauthorized", "Invalid API token."),
        error(404, "not_found", "Order USD-ORD-999999 not found."),
        Scripted::json(
            409,
            r#"{"code":"duplicate_order_number","message":"Order #1042 already exists as USD-ORD-100234.","field":"orderNumber"}"#,
        ),
        Scripted::json(
            422,
            r#"{"code":"unknown_sku","message":"SKU USD-HOSE-99 is not in the catalog.","field":"items[0].sku"}"#,
        ),
        error(422, "order_canceled", "Order USD-ORD-100241 was canceled."),
        error(409, "already_shipped", "Order USD-ORD-1 has shipped."),
        error(404, "not_found", "Item X not found."),
        Scripted::json(422, "<html>Bad gateway</html>"),
        Scripted::json(200, r#"{"id":"USD-ORD-1"}"#),
    ])
    .await;
    let client = client(&stub);
    let request = order_request();
    assert_eq!(
        client.create_order("k1", &request).await.unwrap_err(),
        SupplierError::Invalid {
            message: "stateCode must be a 2-letter code.".into(),
            field: Some("shippingAddress.stateCode".into()),
        }
    );
    assert_eq!(
        client.list_changes(None, 100).await.unwrap_err(),
        SupplierError::Unauthorized
    );
    assert_eq!(
        client.get_order("USD-ORD-999999").await.unwrap_err(),
        SupplierError::NotFound {
            what: "order USD-ORD-999999".into()
        }
    );
    assert_eq!(
        client.create_order("k2", &request).await.unwrap_err(),
        SupplierError::Conflict {
            code: "duplicate_order_number".into(),
            message: "Order #1042 already exists as USD-ORD-100234.".into(),
        }
    );
    assert_eq!(
        client.create_order("k3", &request).await.unwrap_err(),
        SupplierError::Refused {
            code: "unknown_sku".into(),
            message: "SKU USD-HOSE-99 is not in the catalog.".into(),
            field: Some("items[0].sku".into()),
        }
    );
    assert_eq!(
        client.authorize_payment("k4", "INV-9").await.unwrap_err(),
        SupplierError::Refused {
            code: "order_canceled".into(),
            message: "Order USD-ORD-100241 was canceled.".into(),
            field: None,
        }
    );
    let err = client
        .cancel_order("k5", "USD-ORD-1", "Customer canceled")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SupplierError::Conflict { code, .. } if code == "already_shipped"),
        "{err:?}"
    );
    assert_eq!(client.get_item("X").await.unwrap(), None);
    let err = client.create_order("k6", &request).await.unwrap_err();
    assert!(matches!(err, SupplierError::Protocol { .. }), "{err:?}");
    let err = client.get_order("USD-ORD-1").await.unwrap_err();
    assert!(matches!(err, SupplierError::Protocol { .. }), "{err:?}");
    for err in [
        SupplierError::Unauthorized,
        SupplierError::Invalid {
            message: String::new(),
            field: None,
        },
    ] {
        assert!(!err.is_transient());
    }
    assert_eq!(
        stub.seen().len(),
        10,
        "one request each: refusals are final"
    );
}

#[tokio::test]
async fn the_token_shows_in_no_error_and_no_debug_output() {
    // A careless server (or proxy) that echoes the token back in every message.
    let stub = Stub::handler(|seen| {
        let token = header(seen, "x-api-token").unwrap_or_default().to_string();
        let message = format!("token {token} is not welcome");
        let status = match seen.target.as_str() {
            "/v1/orders" => 422,
            "/v1/orders/A" => 409,
            "/v1/orders/B" => 400,
            "/v1/orders/C" => 503,
            "/v1/orders/D" => 404,
            "/v1/orders/E" => 401,
            _ => 200,
        };
        if status == 200 {
            return Scripted::json(200, format!(r#"{{"garbled":"{token}"}}"#));
        }
        Scripted::json(
            status,
            json!({ "code": token, "message": message, "field": token }).to_string(),
        )
        .header("retry-after", "0")
    })
    .await;
    let client = client(&stub);
    let mut errors = vec![client
        .create_order("k", &order_request())
        .await
        .unwrap_err()];
    for id in ["A", "B", "C", "D", "E", "F"] {
        errors.push(client.get_order(id).await.unwrap_err());
    }
    let nobody = UsDirectClient::with_policy(
        "http://127.0.0.1:1/v1",
        Sensitive::new(TOKEN.to_string()),
        policy(1000.0),
    )
    .unwrap();
    errors.push(nobody.get_item("X").await.unwrap_err());
    assert_eq!(errors.len(), 8);
    for err in &errors {
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(TOKEN), "the token leaked: {text}");
        }
    }
    assert!(format!("{client:?}").contains("redacted"));
    assert!(!format!("{client:?}").contains(TOKEN));
    let refused = UsDirectClient::new(
        "http://api.usdirect.example/v1",
        Sensitive::new(TOKEN.to_string()),
    )
    .unwrap_err();
    assert!(!format!("{refused} {refused:?}").contains(TOKEN));
}

#[tokio::test]
async fn list_changes_sends_the_cursor_and_a_bounded_limit() {
    let page = r##"{"changes":[{"orderId":"USD-ORD-1","orderNumber":"#1042","status":"Shipped",
      "invoice":{"id":"INV-1","totalProductCost":{"amountMinor":4597,"currency":"USD"},
        "totalShippingCost":{"amountMinor":895,"currency":"USD"},
        "totalCost":{"amountMinor":5492,"currency":"USD"},"paymentStatus":"Paid"},
      "shipments":[{"id":"SHP-1","trackingNumber":"1Z999","carrier":"UPS","method":"Ground",
        "trackingUrl":"https://www.ups.com/track?tracknum=1Z999","shippedAt":"2024-05-02T18:40:00Z",
        "shipmentItems":[{"sku":"USD-HOSE-25","quantity":2}]}],
      "updatedAt":"2024-05-02T18:40:05Z"}],"nextCursor":"c2","hasMore":false}"##;
    let stub = Stub::handler(move |_| Scripted::json(200, page)).await;
    let client = client(&stub);
    let changes = client.list_changes(Some("eyJz/+=="), 50).await.unwrap();
    client.list_changes(None, 0).await.unwrap();
    client.list_changes(None, 10_000).await.unwrap();
    let targets: Vec<String> = stub.seen().into_iter().map(|seen| seen.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/orders/changes?since=eyJz%2F%2B%3D%3D&limit=50",
            "/v1/orders/changes?limit=1",
            "/v1/orders/changes?limit=500",
        ]
    );
    assert_eq!(changes.next_cursor, "c2");
    assert!(!changes.has_more);
    let order = &changes.changes[0];
    assert_eq!(order.status, SupplierOrderStatus::Shipped);
    assert_eq!(order.invoice.payment_status, PaymentStatus::Paid);
    assert_eq!(order.shipments[0].tracking_number, "1Z999");
    assert_eq!(order.shipments[0].lines[0].quantity, 2);
}

#[tokio::test]
async fn authorize_and_cancel_carry_their_keys_and_ids() {
    let order = r##"{"id":"USD-ORD-1","orderNumber":"#1042","status":"Canceled",
      "invoice":{"id":"INV-1","totalProductCost":{"amountMinor":1,"currency":"USD"},
        "totalShippingCost":{"amountMinor":595,"currency":"USD"},
        "totalCost":{"amountMinor":596,"currency":"USD"},"paymentStatus":"Not Authorized"},
      "shipments":[],"createdAt":"2024-05-02T09:00:00Z","updatedAt":"2024-05-02T19:30:00Z"}"##;
    let stub = Stub::scripted(vec![
        Scripted::json(
            200,
            r#"{"invoiceId":"INV-1","paymentStatus":"Declined","declineReason":"Card on file expired","authorizedAt":"2024-05-01T14:05:10Z"}"#,
        ),
        Scripted::json(
            200,
            r#"{"invoiceId":"INV-1","paymentStatus":"Authorized","authorizedAt":"2024-05-01T14:06:10Z"}"#,
        ),
        Scripted::json(200, order),
    ])
    .await;
    let client = client(&stub);
    let declined = client.authorize_payment("auth-1", "INV-1").await.unwrap();
    assert!(
        matches!(&declined, Authorization::Declined { reason, .. } if reason == "Card on file expired"),
        "{declined:?}"
    );
    let authorized = client.authorize_payment("auth-2", "INV-1").await.unwrap();
    assert!(matches!(authorized, Authorization::Authorized { .. }));
    let long_reason = "x".repeat(600);
    let canceled = client
        .cancel_order("cancel-1", "USD-ORD-1", &long_reason)
        .await
        .unwrap();
    assert_eq!(canceled.status, SupplierOrderStatus::Canceled);

    let seen = stub.seen();
    assert_eq!(seen[0].target, "/v1/invoices/INV-1/authorize");
    assert_eq!(header(&seen[0], "idempotency-key"), Some("auth-1"));
    assert_eq!(header(&seen[1], "idempotency-key"), Some("auth-2"));
    assert_eq!(seen[2].target, "/v1/orders/USD-ORD-1/cancel");
    assert_eq!(header(&seen[2], "idempotency-key"), Some("cancel-1"));
    assert_eq!(body(&seen[2]), json!({ "reason": "x".repeat(500) }));
}

#[tokio::test]
async fn ids_and_skus_are_one_path_segment_each() {
    let stub = Stub::handler(|_| Scripted::json(200, ITEM)).await;
    client(&stub).get_item("HOSE/25 ft?#").await.unwrap();
    assert_eq!(stub.seen()[0].target, "/v1/items/HOSE%2F25%20ft%3F%23");
}

#[tokio::test]
async fn a_bad_idempotency_key_is_refused_before_sending() {
    let stub = Stub::handler(|_| Scripted::json(201, CREATED)).await;
    let client = client(&stub);
    for key in [String::new(), "k\n".to_string(), "k".repeat(256)] {
        let err = client
            .create_order(&key, &order_request())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SupplierError::Invalid { field: Some(field), .. } if field == "Idempotency-Key"),
            "{err:?}"
        );
    }
    assert!(stub.seen().is_empty());
}

#[test]
fn the_constructor_checks_the_address_the_token_and_the_rate() {
    let token = || Sensitive::new(TOKEN.to_string());
    assert!(UsDirectClient::new("https://api.usdirect.example/v1", token()).is_ok());
    let err = UsDirectClient::new("http://api.usdirect.example/v1", token()).unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");
    assert!(UsDirectClient::new("http://127.0.0.1:9/v1", token()).is_ok());
    assert!(UsDirectClient::new(
        "https://api.usdirect.example/v1",
        Sensitive::new(" ".into())
    )
    .is_err());
    assert!(UsDirectClient::new(
        "https://api.usdirect.example/v1",
        Sensitive::new("a\nb".into())
    )
    .is_err());
    let stopped = SupplierPolicy {
        requests_per_second: 0.0,
        ..SupplierPolicy::default()
    };
    assert!(
        UsDirectClient::with_policy("https://api.usdirect.example/v1", token(), stopped).is_err()
    );
    let client = UsDirectClient::new("https://api.usdirect.example/v1/", token()).unwrap();
    assert_eq!(client.base_url(), "https://api.usdirect.example/v1");
}

/// An invoice in `currency` whose amounts are `product`, `shipping` and `total` cents.
fn invoice(currency: &str, product: i64, shipping: i64, total: i64) -> super::wire::WireInvoice {
    serde_json::from_value(json!({
        "id": "INV-9",
        "totalProductCost": { "amountMinor": product, "currency": currency },
        "totalShippingCost": { "amountMinor": shipping, "currency": currency },
        "totalCost": { "amountMinor": total, "currency": currency },
        "paymentStatus": "Not Authorized",
    }))
    .unwrap()
}

#[test]
fn an_invoice_is_a_non_negative_amount_in_us_dollars() {
    let read = invoice("USD", 4597, 895, 5492).into_invoice().unwrap();
    assert_eq!(
        (read.currency.as_str(), read.total_cost_minor),
        ("USD", 5492)
    );

    for (wire, why) in [
        (invoice("USD", 4597, 895, -5492), "totalCost is negative"),
        (invoice("USD", -1, 895, 894), "totalProductCost is negative"),
        (
            invoice("USD", 4597, -895, 3702),
            "totalShippingCost is negative",
        ),
        (invoice("EUR", 4597, 895, 5492), "not USD"),
    ] {
        match wire.into_invoice() {
            Err(SupplierError::Protocol { detail }) => {
                assert!(detail.contains(why), "{detail}");
                assert!(detail.contains("INV-9"), "{detail}");
            }
            other => panic!("{why}: {other:?}"),
        }
    }
}
