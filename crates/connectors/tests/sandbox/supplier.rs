//! The US Direct client against the sandbox supplier (`dealer_sandbox::SandboxSupplier`), which
//! speaks the contract on loopback: the whole order flow, idempotent replays, refusals, the
//! real rate limiter, and injected faults that the client's retries must get through without
//! ever placing or authorizing an order twice.

use std::time::{Duration, Instant};

use dealer_connectors::{HttpPolicy, SupplierPolicy, UsDirectClient};
use dealer_core::secret::Sensitive;
use dealer_core::supplier::{
    Authorization, PaymentStatus, ShipTo, Supplier, SupplierError, SupplierLine, SupplierOrder,
    SupplierOrderRequest, SupplierOrderStatus,
};
use dealer_sandbox::{
    is_valid_ups_tracking_number, Faults, SandboxSupplier, SupplierOptions, CATALOG, SUPPLIER_TOKEN,
};
use serde_json::{json, Value};

async fn start(options: SupplierOptions) -> SandboxSupplier {
    SandboxSupplier::start(options).await.unwrap()
}

/// A quick supplier: ships 200 ms after authorization, 20 requests per second.
fn quick() -> SupplierOptions {
    SupplierOptions {
        ship_delay: Duration::from_millis(200),
        rate_limit_per_sec: 20.0,
        ..SupplierOptions::default()
    }
}

/// Short backoffs; `Retry-After` is still honoured in full.
fn policy(requests_per_second: f64) -> SupplierPolicy {
    SupplierPolicy {
        http: HttpPolicy {
            timeout: Duration::from_secs(10),
            max_attempts: 8,
            base_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_secs(5),
            ..HttpPolicy::default()
        },
        requests_per_second,
    }
}

fn client(supplier: &SandboxSupplier, requests_per_second: f64) -> UsDirectClient {
    UsDirectClient::with_policy(
        &supplier.base_url(),
        Sensitive::new(SUPPLIER_TOKEN.to_string()),
        policy(requests_per_second),
    )
    .unwrap()
}

fn ship_to() -> ShipTo {
    ShipTo {
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
    }
}

/// Order `n`: two lines of catalog items.
fn request(n: usize) -> SupplierOrderRequest {
    let line = |i: usize, quantity| SupplierLine {
        sku: CATALOG[i % CATALOG.len()].sku.to_string(),
        quantity,
    };
    SupplierOrderRequest {
        order_number: format!("#{}", 1000 + n),
        ship_to: ship_to(),
        lines: vec![line(n, 1), line(n + 1, 2)],
    }
}

async fn admin_get(supplier: &SandboxSupplier, path: &str) -> Value {
    reqwest::get(format!("{}{path}", supplier.admin_url()))
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn admin_put(supplier: &SandboxSupplier, path: &str, body: Value) {
    reqwest::Client::new()
        .put(format!("{}{path}", supplier.admin_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

/// Pages through `listChanges` until `order_id` shows `status`, as the app's poll would.
async fn wait_for_status(
    client: &UsDirectClient,
    order_id: &str,
    status: SupplierOrderStatus,
) -> SupplierOrder {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut cursor: Option<String> = None;
    loop {
        let page = client.list_changes(cursor.as_deref(), 100).await.unwrap();
        if let Some(order) = page
            .changes
            .iter()
            .rev()
            .find(|change| change.id == order_id && change.status == status)
        {
            return order.clone();
        }
        cursor = Some(page.next_cursor);
        assert!(
            Instant::now() < deadline,
            "{order_id} never became {status:?}"
        );
        if !page.has_more {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn an_order_is_created_authorized_and_shipped() {
    let supplier = start(quick()).await;
    let client = client(&supplier, 20.0);
    let request = request(1);

    let created = client.create_order("create-1", &request).await.unwrap();
    assert_eq!(created.order_number, "#1001");
    assert_eq!(created.invoice.payment_status, PaymentStatus::NotAuthorized);
    assert_eq!(created.invoice.currency, "USD");
    assert_eq!(
        created.invoice.total_cost_minor,
        created.invoice.product_cost_minor + created.invoice.shipping_cost_minor
    );
    let open = client.get_order(&created.id).await.unwrap();
    assert_eq!(open.status, SupplierOrderStatus::Open);
    assert!(open.shipments.is_empty());

    let authorization = client
        .authorize_payment("authorize-1", &created.invoice.id)
        .await
        .unwrap();
    assert!(
        matches!(authorization, Authorization::Authorized { .. }),
        "{authorization:?}"
    );

    let shipped = wait_for_status(&client, &created.id, SupplierOrderStatus::Shipped).await;
    assert_eq!(shipped.order_number, "#1001");
    assert_eq!(shipped.invoice.payment_status, PaymentStatus::Paid);
    assert!(!shipped.shipments.is_empty());
    let mut shipped_lines: Vec<SupplierLine> = shipped
        .shipments
        .iter()
        .flat_map(|shipment| shipment.lines.clone())
        .collect();
    shipped_lines.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut ordered = request.lines.clone();
    ordered.sort_by(|a, b| a.sku.cmp(&b.sku));
    assert_eq!(shipped_lines, ordered, "every line shipped, once");
    for shipment in &shipped.shipments {
        assert!(
            is_valid_ups_tracking_number(&shipment.tracking_number),
            "{}",
            shipment.tracking_number
        );
        assert_eq!(shipment.carrier, "UPS");
        assert!(shipment.tracking_url.starts_with("https://"));
    }
    assert_eq!(client.get_order(&created.id).await.unwrap(), shipped);

    // Too late to cancel.
    let err = client
        .cancel_order("cancel-1", &created.id, "Customer canceled")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SupplierError::Conflict { code, .. } if code == "already_shipped"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_replayed_create_returns_the_same_order_and_creates_nothing() {
    let supplier = start(quick()).await;
    let client = client(&supplier, 20.0);
    let first = client.create_order("key-a", &request(2)).await.unwrap();
    let again = client.create_order("key-a", &request(2)).await.unwrap();
    assert_eq!(again, first);

    let orders = admin_get(&supplier, "/orders").await;
    let orders = orders.as_array().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["id"], json!(first.id));
    assert_eq!(orders[0]["timesCreated"], json!(1));
    let stats = admin_get(&supplier, "/stats").await;
    assert_eq!(stats["ordersCreated"], json!(1));
    assert_eq!(stats["replays"], json!(1));

    // The same key with another body, and the same order number under another key.
    let mut changed = request(2);
    changed.lines[0].quantity += 1;
    let err = client.create_order("key-a", &changed).await.unwrap_err();
    assert!(
        matches!(&err, SupplierError::Conflict { code, .. } if code == "idempotency_key_reused"),
        "{err:?}"
    );
    let err = client.create_order("key-b", &request(2)).await.unwrap_err();
    assert!(
        matches!(&err, SupplierError::Conflict { code, .. } if code == "duplicate_order_number"),
        "{err:?}"
    );
    assert_eq!(supplier.orders().len(), 1);
}

#[tokio::test]
async fn refusals_declines_and_cancellations_read_as_the_engine_expects() {
    let supplier = start(quick()).await;
    let client = client(&supplier, 20.0);

    let mut unknown = request(3);
    unknown.lines[0].sku = "USD-NOPE-1".into();
    let err = client.create_order("unknown", &unknown).await.unwrap_err();
    assert!(
        matches!(&err, SupplierError::Refused { code, field: Some(_), .. } if code == "unknown_sku"),
        "{err:?}"
    );
    let mut hawaii = request(4);
    hawaii.ship_to.state_code = "HI".into();
    hawaii.ship_to.city = "Honolulu".into();
    hawaii.ship_to.postal = "96813".into();
    let err = client.create_order("hawaii", &hawaii).await.unwrap_err();
    assert!(
        matches!(&err, SupplierError::Refused { code, .. } if code == "address_not_serviceable"),
        "{err:?}"
    );

    let item = client.get_item(CATALOG[0].sku).await.unwrap().unwrap();
    assert_eq!(item.title, CATALOG[0].title);
    assert_eq!(item.weight_grams, CATALOG[0].grams);
    assert_eq!(client.get_item("USD-NOPE-1").await.unwrap(), None);
    let err = client.get_order("USD-ORD-0").await.unwrap_err();
    assert!(matches!(err, SupplierError::NotFound { .. }), "{err:?}");

    admin_put(
        &supplier,
        "/settings",
        json!({ "declineReason": "Card on file expired" }),
    )
    .await;
    let created = client.create_order("declined", &request(5)).await.unwrap();
    let declined = client
        .authorize_payment("declined-auth", &created.invoice.id)
        .await
        .unwrap();
    assert!(
        matches!(&declined, Authorization::Declined { reason, .. } if reason == "Card on file expired"),
        "{declined:?}"
    );

    let canceled = client
        .cancel_order("cancel", &created.id, "Customer canceled on the store")
        .await
        .unwrap();
    assert_eq!(canceled.status, SupplierOrderStatus::Canceled);
    admin_put(&supplier, "/settings", json!({ "declineReason": null })).await;
    let err = client
        .authorize_payment("after-cancel", &created.invoice.id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SupplierError::Refused { code, .. } if code == "order_canceled"),
        "{err:?}"
    );

    let stranger = UsDirectClient::with_policy(
        &supplier.base_url(),
        Sensitive::new("not-the-token".to_string()),
        policy(20.0),
    )
    .unwrap();
    assert_eq!(
        stranger.list_changes(None, 10).await.unwrap_err(),
        SupplierError::Unauthorized
    );
}

#[tokio::test]
async fn the_default_pace_never_meets_the_contracts_rate_limit() {
    // The sandbox enforces the contract's 2 requests per second; the client keeps under it
    // by pacing alone, even with calls from two clients at once.
    let supplier = start(SupplierOptions::default()).await;
    let make = || {
        UsDirectClient::new(
            &supplier.base_url(),
            Sensitive::new(SUPPLIER_TOKEN.to_string()),
        )
        .unwrap()
    };
    let (first, second) = (make(), make());
    let calls = (0..6).map(|i| {
        let client = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tokio::spawn(async move { client.get_item(CATALOG[i].sku).await })
    });
    for call in futures_util::future::join_all(calls).await {
        assert!(call.unwrap().unwrap().is_some());
    }
    let stats = supplier.stats();
    assert_eq!(stats.requests.get("getItem"), Some(&6));
    assert_eq!(stats.rate_limited, 0, "the client earned a 429: {stats:?}");
}

/// Retries the same call, with the same key, as the outbox would after a transient failure.
async fn until_done<T, F, Fut>(mut call: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SupplierError>>,
{
    for _ in 0..20 {
        match call().await {
            Ok(value) => return value,
            Err(error) if error.is_transient() => {
                let wait = error.retry_after().unwrap_or(Duration::from_millis(50));
                tokio::time::sleep(wait).await;
            }
            Err(error) => panic!("{error:?}"),
        }
    }
    panic!("still failing after 20 tries");
}

#[tokio::test]
async fn through_faults_every_order_is_created_once_and_authorized_once() {
    let supplier = start(SupplierOptions {
        faults: Faults {
            error_rate: 0.1,
            drop_rate: 0.05,
            rate_limit_rate: 0.05,
            retry_after_secs: 1,
            seed: 42,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let client = client(&supplier, 20.0);
    let orders = (0..20).map(|n| {
        let client = client.clone();
        tokio::spawn(async move {
            let request = request(100 + n);
            let create_key = format!("create-{n}");
            let created = until_done(|| client.create_order(&create_key, &request)).await;
            let authorize_key = format!("authorize-{n}");
            let invoice = created.invoice.id.clone();
            let authorization =
                until_done(|| client.authorize_payment(&authorize_key, &invoice)).await;
            assert!(
                matches!(authorization, Authorization::Authorized { .. }),
                "{authorization:?}"
            );
            created.id
        })
    });
    let mut ids = Vec::new();
    for order in futures_util::future::join_all(orders).await {
        ids.push(order.unwrap());
    }

    let held = supplier.orders();
    assert_eq!(held.len(), 20, "one order per request");
    for order in &held {
        assert!(ids.contains(&order.id), "{} was not asked for", order.id);
        assert_eq!(
            order.times_created, 1,
            "{} created twice",
            order.order_number
        );
        assert_eq!(
            order.times_authorized, 1,
            "{} authorized {} times",
            order.order_number, order.times_authorized
        );
    }
    let stats = supplier.stats();
    assert_eq!(stats.orders_created, 20);
    assert_eq!(stats.authorizations_applied, 20);
    // The faults did happen, and a lost answer was replayed rather than acted on again.
    assert!(
        stats.injected_errors + stats.injected_rate_limits + stats.dropped > 0,
        "{stats:?}"
    );
    if stats.dropped > 0 {
        assert!(stats.replays > 0, "{stats:?}");
    }
    assert_eq!(stats.rate_limited, 0, "pacing kept under the real limit");
}
