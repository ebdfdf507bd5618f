//! Tracking written back to the sandbox Shopify store: whole and partial shipments, pushes
//! retried through dropped connections and 5xx answers, a throttled push, and what the store
//! refuses.

use std::sync::Arc;

use dealer_connectors::client_with_policy;
use dealer_connectors::shopify::API_VERSION;
use dealer_core::channel::{
    ChannelError, Credentials, FulfillmentLine, FulfillmentRequest, PushedFulfillment, SalesChannel,
};
use dealer_core::secret::Sensitive;
use dealer_sandbox::{
    Faults, NewFulfillment, PlaceOrder, SandboxFulfilledLine, SandboxOrder, SandboxStore,
    ShopifyBucket, StoreKind, CATALOG, SHOPIFY_TOKEN, SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES,
};

use crate::{channel_id, channel_kind, client, fast_bucket, policy, start};

/// Two of the first catalog item, one of the second.
fn two_lines() -> PlaceOrder {
    PlaceOrder {
        lines: vec![CATALOG[0].line(2), CATALOG[1].line(1)],
        ..PlaceOrder::test_order()
    }
}

/// A shipment of `order` holding `lines` (catalog index, quantity).
fn shipment(
    order: &SandboxOrder,
    tracking: &str,
    carrier: &str,
    lines: &[(usize, u32)],
) -> FulfillmentRequest {
    FulfillmentRequest {
        channel_order_id: channel_id(StoreKind::Shopify, order),
        order_number: format!("#{}", order.number),
        tracking_number: tracking.into(),
        carrier: carrier.into(),
        // The carrier's own page: only those go to a store.
        tracking_url: dealer_core::tracking::Carrier::from_name(carrier)
            .map(|c| c.tracking_url(tracking)),
        lines: lines
            .iter()
            .map(|(item, quantity)| FulfillmentLine {
                sku: CATALOG[*item].sku.into(),
                quantity: *quantity,
            })
            .collect(),
        completes_order: false,
    }
}

/// A fulfillment as the store holds it: (tracking number, carrier, [(position, quantity)]).
type Held = (String, String, Vec<(usize, u32)>);

/// What the store holds for the order.
fn held(store: &SandboxStore, order: &SandboxOrder) -> Vec<Held> {
    let order = store
        .orders()
        .into_iter()
        .find(|o| o.id == order.id)
        .unwrap();
    order
        .fulfillments
        .iter()
        .map(|f| {
            let lines = f.lines.iter().map(|l| (l.position, l.quantity)).collect();
            (f.tracking_number.clone(), f.carrier.clone(), lines)
        })
        .collect()
}

fn fulfillment_gid(store: &SandboxStore, order: &SandboxOrder, index: usize) -> String {
    let order = store
        .orders()
        .into_iter()
        .find(|o| o.id == order.id)
        .unwrap();
    format!("gid://shopify/Fulfillment/{}", order.fulfillments[index].id)
}

fn shopify_client(store: &SandboxStore, token: &str) -> Arc<dyn SalesChannel> {
    client_with_policy(
        channel_kind(StoreKind::Shopify),
        &store.base_url(),
        Credentials::Token(Sensitive::new(token.to_string())),
        policy(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_whole_shipment_is_recorded_once_with_shopifys_carrier_name() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let order = store.place_order(two_lines());
    let client = client(&store);
    let request = shipment(&order, "1Z999AA10123456784", "UPS", &[(0, 2), (1, 1)]);

    let pushed = client.push_fulfillment(&request).await.unwrap();
    assert!(!pushed.already_there);
    assert_eq!(pushed.id, fulfillment_gid(&store, &order, 0));
    let held_order = &store.orders()[0];
    let recorded = &held_order.fulfillments[0];
    assert_eq!(recorded.carrier, "UPS");
    assert_eq!(
        recorded.tracking_url.as_deref(),
        Some("https://www.ups.com/track?tracknum=1Z999AA10123456784")
    );
    assert_eq!(
        held(&store, &order),
        [(
            "1Z999AA10123456784".to_string(),
            "UPS".to_string(),
            vec![(0, 2), (1, 1)]
        )]
    );

    // The same push again (say the engine never saw the answer): nothing new.
    let again = client.push_fulfillment(&request).await.unwrap();
    assert_eq!(
        again,
        PushedFulfillment {
            id: pushed.id,
            already_there: true
        }
    );
    assert_eq!(held(&store, &order).len(), 1);
}

#[tokio::test]
async fn a_partial_shipment_takes_only_its_lines_and_quantities() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let order = store.place_order(two_lines());
    let client = client(&store);

    let first = shipment(&order, "770000000001", "FedEx", &[(0, 1)]);
    client.push_fulfillment(&first).await.unwrap();
    let second = shipment(
        &order,
        "TBA000000000002",
        "Amazon Logistics",
        &[(0, 1), (1, 1)],
    );
    let pushed = client.push_fulfillment(&second).await.unwrap();
    assert!(!pushed.already_there);
    assert_eq!(pushed.id, fulfillment_gid(&store, &order, 1));
    assert_eq!(
        held(&store, &order),
        [
            (
                "770000000001".to_string(),
                "FedEx".to_string(),
                vec![(0, 1)]
            ),
            (
                "TBA000000000002".to_string(),
                "Amazon".to_string(),
                vec![(0, 1), (1, 1)]
            ),
        ]
    );

    // Nothing is left to ship: a third tracking number has nowhere to go.
    let third = shipment(&order, "9400111899223817576384", "USPS", &[(1, 1)]);
    let err = client.push_fulfillment(&third).await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::Protocol { detail } if detail.contains("nothing left to fulfill") && detail.contains("FULFILLED")),
        "{err:?}"
    );
    // The earlier ones are still recognised.
    assert!(client.push_fulfillment(&first).await.unwrap().already_there);
    assert_eq!(held(&store, &order).len(), 2);
}

#[tokio::test]
async fn pushes_through_dropped_connections_and_errors_make_one_fulfillment_per_tracking_number() {
    // A fifth of the requests dropped without an answer, a tenth answered 5xx.
    let faults = Faults {
        drop_rate: 0.2,
        error_rate: 0.1,
        seed: 11,
        ..Faults::default()
    };
    let store = start(StoreKind::Shopify, faults, fast_bucket()).await;
    let orders: Vec<SandboxOrder> = (0..6).map(|_| store.place_order(two_lines())).collect();
    let client = client(&store);
    let mut ids = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let first = shipment(order, &format!("1ZFIRST{i}"), "UPS", &[(0, 1)]);
        let rest = shipment(order, &format!("1ZREST{i}"), "UPS", &[(0, 1), (1, 1)]);
        ids.push(client.push_fulfillment(&first).await.unwrap().id);
        ids.push(client.push_fulfillment(&rest).await.unwrap().id);
    }
    let stats = store.stats();
    assert!(stats.dropped > 0 && stats.injected_errors > 0, "{stats:?}");
    // Every push retried as a whole (the engine after a crash): the same ids, nothing new.
    let mut again = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        for (tracking, lines) in [
            (format!("1ZFIRST{i}"), vec![(0, 1)]),
            (format!("1ZREST{i}"), vec![(0, 1), (1, 1)]),
        ] {
            let pushed = client
                .push_fulfillment(&shipment(order, &tracking, "UPS", &lines))
                .await
                .unwrap();
            assert!(pushed.already_there, "{tracking}");
            again.push(pushed.id);
        }
    }
    assert_eq!(ids, again);
    for (i, order) in orders.iter().enumerate() {
        let numbers: Vec<String> = held(&store, order).into_iter().map(|h| h.0).collect();
        assert_eq!(numbers, [format!("1ZFIRST{i}"), format!("1ZREST{i}")]);
    }
}

#[tokio::test]
async fn a_push_into_a_drained_bucket_waits_it_out() {
    // Throttles come as HTTP 429 with Retry-After, as Shopify sometimes sends them.
    let faults = Faults {
        throttled_as_429: true,
        ..Faults::default()
    };
    let bucket = ShopifyBucket {
        maximum_available: 298.0,
        restore_rate: 25.0,
    };
    let store = start(StoreKind::Shopify, faults, bucket).await;
    let orders: Vec<SandboxOrder> = (0..74)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    let pusher = client(&store);
    // Another client of the same app empties the bucket: 74 one-line orders cost exactly the
    // 298 points the query asks for.
    drain(&store, 74).await;
    let request = shipment(&orders[0], "1Z999AA10123456784", "UPS", &[(0, 1)]);
    let pushed = pusher.push_fulfillment(&request).await.unwrap();
    assert!(!pushed.already_there);
    assert_eq!(held(&store, &orders[0]).len(), 1);
    let stats = store.stats();
    assert!(
        stats.throttled >= 1,
        "the first call found the bucket empty: {stats:?}"
    );
}

/// Spends the whole bucket on one query over `count` one-line orders.
async fn drain(store: &SandboxStore, count: usize) {
    let query = format!("{{ orders(first: {count}) {{ nodes {{ id lineItems(first: 1) {{ nodes {{ id }} }} }} }} }}");
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/admin/api/{API_VERSION}/graphql.json",
            store.base_url()
        ))
        .header("X-Shopify-Access-Token", SHOPIFY_TOKEN)
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cost = &answer["extensions"]["cost"];
    assert_eq!(
        cost["requestedQueryCost"], cost["actualQueryCost"],
        "{answer}"
    );
    let left = cost["throttleStatus"]["currentlyAvailable"]
        .as_f64()
        .unwrap();
    assert!(left < 3.0, "{answer}");
}

#[tokio::test]
async fn tracking_recorded_by_hand_in_the_store_is_recognised() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let order = store.place_order(two_lines());
    let by_hand = NewFulfillment {
        tracking_number: "1z999aa1 0123456784".into(),
        carrier: "UPS".into(),
        tracking_url: None,
        lines: vec![SandboxFulfilledLine {
            position: 0,
            quantity: 2,
        }],
    };
    let made = store.fulfill(order.id, by_hand).unwrap();
    let request = shipment(&order, "1Z999AA10123456784", "UPS", &[(0, 2)]);
    let pushed = client(&store).push_fulfillment(&request).await.unwrap();
    assert!(pushed.already_there);
    assert_eq!(pushed.id, format!("gid://shopify/Fulfillment/{}", made.id));
    assert_eq!(held(&store, &order).len(), 1);
}

#[tokio::test]
async fn what_the_store_cannot_take_is_refused_with_the_reason() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let order = store.place_order(two_lines());
    let client = client(&store);
    let refused = |request: FulfillmentRequest| {
        let client = client.clone();
        async move {
            match client.push_fulfillment(&request).await {
                Err(ChannelError::Protocol { detail }) => detail,
                other => panic!("{other:?}"),
            }
        }
    };

    let too_many = refused(shipment(&order, "T1", "UPS", &[(0, 3)])).await;
    assert!(too_many.contains("2 of SKU USD-1001 left"), "{too_many}");
    let not_on_order = refused(shipment(&order, "T2", "UPS", &[(2, 1)])).await;
    assert!(not_on_order.contains("USD-1003"), "{not_on_order}");
    let mut gone = shipment(&order, "T3", "UPS", &[(0, 1)]);
    gone.channel_order_id = "gid://shopify/Order/1".into();
    let gone = refused(gone).await;
    assert!(gone.contains("no order"), "{gone}");
    store.cancel_order(order.id).unwrap();
    let cancelled = refused(shipment(&order, "T4", "UPS", &[(0, 1)])).await;
    assert!(cancelled.contains("cancelled"), "{cancelled}");
    assert!(held(&store, &order).is_empty());
}

#[tokio::test]
async fn a_token_without_the_fulfillment_scopes_is_named() {
    let store = start(StoreKind::Shopify, Faults::default(), fast_bucket()).await;
    let order = store.place_order(two_lines());
    let limited = shopify_client(&store, SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES);
    let err = limited.test_connection().await.unwrap_err();
    assert!(
        matches!(&err, ChannelError::MissingScope { scope, .. } if scope.contains("write_fulfillments") && scope.contains("write_merchant_managed_fulfillment_orders")),
        "{err:?}"
    );
    let request = shipment(&order, "1Z999AA10123456784", "UPS", &[(0, 1)]);
    let err = limited.push_fulfillment(&request).await.unwrap_err();
    assert!(matches!(&err, ChannelError::MissingScope { .. }), "{err:?}");
    assert!(held(&store, &order).is_empty());
    // The full token passes the same check.
    shopify_client(&store, SHOPIFY_TOKEN)
        .test_connection()
        .await
        .unwrap();
}
