//! Orders, invoices and payment: the contract's codes, idempotent replays, the rate limit.

use std::time::Duration;

use dealer_sandbox::supplier::wire::{AuthorizationResult, Item, OrderStatus, PaymentStatus};
use dealer_sandbox::SupplierOptions;
use serde_json::{json, Value};

use super::*;

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
