//! Shipping on schedule, split shipments, cancellation, the change log, persistence and the
//! admin API.

use std::time::Duration;

use dealer_sandbox::supplier::wire::{
    AuthorizationResult, ChangesPage, Order, OrderStatus, PaymentStatus,
};
use dealer_sandbox::{
    is_valid_ups_tracking_number, SandboxSupplier, SupplierOptions, SupplierSettings,
};
use serde_json::{json, Value};

use super::*;

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
