//! Tracking written back by the WooCommerce and BigCommerce clients to the sandbox stores: full
//! and partial shipments, WooCommerce with and without the Shipment Tracking extension,
//! BigCommerce's status moves, and never two fulfillments for one tracking number, whether the
//! answer to a write is lost, the app dies before recording it, or connections drop.

use dealer_core::channel::{FulfillmentLine, FulfillmentRequest, PushedFulfillment};
use dealer_sandbox::{Faults, PlaceOrder, SandboxOrder, SandboxStore, StoreKind, CATALOG};

use crate::{client, epoch, fast_bucket, pass, start};

/// Two lines: 2 × USD-1002 and 1 × USD-1003.
fn two_line_order() -> PlaceOrder {
    PlaceOrder {
        lines: vec![CATALOG[1].line(2), CATALOG[2].line(1)],
        ..PlaceOrder::test_order()
    }
}

/// A shipment of `lines` (position in the order, quantity).
fn shipment(
    order: &SandboxOrder,
    carrier: &str,
    number: &str,
    lines: &[(usize, u32)],
    completes_order: bool,
) -> FulfillmentRequest {
    FulfillmentRequest {
        channel_order_id: order.id.to_string(),
        order_number: format!("#{}", order.number),
        tracking_number: number.into(),
        carrier: carrier.into(),
        // The carrier's own page: only those go to a store.
        tracking_url: dealer_core::tracking::Carrier::from_name(carrier)
            .map(|c| c.tracking_url(number)),
        lines: lines
            .iter()
            .map(|(position, quantity)| FulfillmentLine {
                sku: order.lines[*position].sku.clone().unwrap(),
                quantity: *quantity,
            })
            .collect(),
        completes_order,
    }
}

fn held(store: &SandboxStore, order: &SandboxOrder) -> SandboxOrder {
    store
        .orders()
        .into_iter()
        .find(|o| o.id == order.id)
        .unwrap()
}

/// Tracking numbers of the order's fulfillments, each once.
fn numbers(store: &SandboxStore, order: &SandboxOrder) -> Vec<String> {
    held(store, order)
        .fulfillments
        .into_iter()
        .map(|f| f.tracking_number)
        .collect()
}

async fn store(kind: StoreKind) -> SandboxStore {
    start(kind, Faults::default(), fast_bucket()).await
}

#[tokio::test]
async fn woocommerce_with_the_extension_full_and_partial_shipments() {
    let store = store(StoreKind::Woocommerce).await;
    let order = store.place_order(two_line_order());
    let woo = client(&store);

    let first = shipment(&order, "UPS", "1Z999AA10123456784", &[(0, 1)], false);
    let pushed = woo.push_fulfillment(&first).await.unwrap();
    assert!(!pushed.already_there);
    let second = shipment(&order, "FedEx", "123456789012", &[(0, 1), (1, 1)], true);
    let pushed_second = woo.push_fulfillment(&second).await.unwrap();
    assert_ne!(pushed_second.id, pushed.id);

    let held = held(&store, &order);
    let shown: Vec<(&str, Option<&str>)> = held
        .fulfillments
        .iter()
        .map(|f| (f.carrier.as_str(), f.tracking_url.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "UPS",
                Some("https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784")
            ),
            (
                "Fedex",
                Some("https://www.fedex.com/apps/fedextrack/?action=track&action=track&tracknumbers=123456789012")
            ),
        ],
        "the extension's own providers, so it builds the links"
    );
    // The extension's items name no lines: the first took everything left.
    assert_eq!(held.fulfillments[0].lines.len(), 2);
    // The extension leaves the status alone.
    assert!(held.completed_at.is_none());

    // Pushed again (the app died before recording the answer): found, not written.
    let again = woo.push_fulfillment(&first).await.unwrap();
    assert_eq!(
        again,
        PushedFulfillment {
            id: pushed.id,
            already_there: true
        }
    );
    assert_eq!(
        numbers(&store, &order),
        ["1Z999AA10123456784", "123456789012"]
    );

    // A carrier the extension does not list: a custom provider with our link.
    let other = store.place_order(PlaceOrder::test_order());
    woo.push_fulfillment(&shipment(
        &other,
        "Amazon Logistics",
        "TBA123456789000",
        &[(0, 1)],
        true,
    ))
    .await
    .unwrap();
    let amazon = &held_first(&store, &other);
    assert_eq!(amazon.0, "Amazon Logistics");
    assert_eq!(
        amazon.1.as_deref(),
        Some("https://track.amazon.com/tracking/TBA123456789000")
    );
}

fn held_first(store: &SandboxStore, order: &SandboxOrder) -> (String, Option<String>) {
    let fulfillment = held(store, order).fulfillments.remove(0);
    (fulfillment.carrier, fulfillment.tracking_url)
}

#[tokio::test]
async fn woocommerce_without_the_extension_notes_then_completed() {
    let store = store(StoreKind::Woocommerce).await;
    store.set_shipment_tracking(false);
    let order = store.place_order(two_line_order());
    let woo = client(&store);

    let partial = shipment(&order, "USPS", "9400111899560000000000", &[(0, 2)], false);
    let pushed = woo.push_fulfillment(&partial).await.unwrap();
    assert!(!pushed.already_there);
    let after_partial = held(&store, &order);
    assert_eq!(after_partial.notes.len(), 1);
    assert!(after_partial.completed_at.is_none(), "more is to ship");

    let last = shipment(&order, "DHL Express", "1234567890", &[(1, 1)], true);
    woo.push_fulfillment(&last).await.unwrap();
    let done = held(&store, &order);
    assert!(done.completed_at.is_some());
    let customer: Vec<&str> = done
        .notes
        .iter()
        .filter(|n| n.customer_note)
        .map(|n| n.note.as_str())
        .collect();
    assert_eq!(
        customer,
        [
            "Your order has shipped: USPS 9400111899560000000000 https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899560000000000",
            "Your order has shipped: DHL Express 1234567890 https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890",
        ]
    );
    // No tracking items: the extension is not there to hold them.
    assert!(done.fulfillments.is_empty());

    // Pushed again: the note is found; nothing more is written.
    let again = woo.push_fulfillment(&last).await.unwrap();
    assert!(again.already_there);
    let unchanged = held(&store, &order);
    assert_eq!(unchanged.notes.len(), done.notes.len());
    assert_eq!(unchanged.updated_at, done.updated_at);

    // The completed order still imports.
    let imported = pass(&*woo, epoch()).await;
    assert!(imported.orders.contains_key(&order.id.to_string()));
    assert!(imported.malformed.is_empty());
}

#[tokio::test]
async fn bigcommerce_partial_then_full_moves_the_status() {
    let store = store(StoreKind::Bigcommerce).await;
    let order = store.place_order(two_line_order());
    let bc = client(&store);

    let first = shipment(&order, "UPS", "1Z999AA10123456784", &[(0, 1)], false);
    let pushed = bc.push_fulfillment(&first).await.unwrap();
    assert!(!pushed.already_there);
    let partial = held(&store, &order);
    let shipped: Vec<(usize, u32)> = partial.fulfillments[0]
        .lines
        .iter()
        .map(|l| (l.position, l.quantity))
        .collect();
    assert_eq!(shipped, [(0, 1)]);
    assert_eq!(partial.fulfillments[0].carrier, "UPS");
    assert_eq!(status_id(&store, &order).await, 3, "Partially Shipped");

    let rest = shipment(&order, "FedEx", "123456789012", &[(0, 1), (1, 1)], true);
    bc.push_fulfillment(&rest).await.unwrap();
    assert_eq!(status_id(&store, &order).await, 2, "Shipped");

    let again = bc.push_fulfillment(&first).await.unwrap();
    assert_eq!(
        again,
        PushedFulfillment {
            id: pushed.id,
            already_there: true
        }
    );
    assert_eq!(
        numbers(&store, &order),
        ["1Z999AA10123456784", "123456789012"]
    );
    // A shipped order still imports, not as cancelled.
    let imported = pass(&*bc, epoch()).await;
    assert!(!imported.orders[&order.id.to_string()].cancelled);
}

/// The order's `status_id` as the store reports it.
async fn status_id(store: &SandboxStore, order: &SandboxOrder) -> u64 {
    let order: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v2/orders/{}", store.base_url(), order.id))
        .header("X-Auth-Token", dealer_sandbox::BIGCOMMERCE_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    order["status_id"].as_u64().unwrap()
}

#[tokio::test]
async fn a_write_whose_answer_is_lost_is_found_not_repeated() {
    for (kind, extension) in [
        (StoreKind::Woocommerce, true),
        (StoreKind::Woocommerce, false),
        (StoreKind::Bigcommerce, true),
    ] {
        let label = format!("{kind} (extension: {extension})");
        let store = store(kind).await;
        store.set_shipment_tracking(extension);
        let order = store.place_order(two_line_order());
        let channel = client(&store);
        let request = shipment(&order, "UPS", "1Z999AA10123456784", &[(0, 2), (1, 1)], true);

        // The store does the write, the answer never arrives: the client looks again.
        store.lose_next_write_answers(1);
        let pushed = channel.push_fulfillment(&request).await.unwrap();
        assert!(!pushed.already_there, "{label}: this push wrote it");
        // The app died before recording it: the next push finds it.
        let again = channel.push_fulfillment(&request).await.unwrap();
        assert_eq!(
            again,
            PushedFulfillment {
                id: pushed.id.clone(),
                already_there: true
            },
            "{label}"
        );
        let held = held(&store, &order);
        let written = if extension {
            held.fulfillments.len()
        } else {
            held.notes.iter().filter(|n| n.customer_note).count()
        };
        assert_eq!(written, 1, "{label}: one per tracking number");
    }
}

#[tokio::test]
async fn through_dropped_connections_and_errors_each_number_lands_once() {
    for kind in [StoreKind::Woocommerce, StoreKind::Bigcommerce] {
        let faults = Faults {
            drop_rate: 0.25,
            error_rate: 0.1,
            seed: 5,
            ..Faults::default()
        };
        let store = start(kind, faults, fast_bucket()).await;
        let channel = client(&store);
        let orders: Vec<SandboxOrder> = (0..4)
            .map(|_| store.place_order(two_line_order()))
            .collect();
        for (i, order) in orders.iter().enumerate() {
            let first = shipment(
                order,
                "UPS",
                &format!("1Z999AA1012345670{i}"),
                &[(0, 1)],
                false,
            );
            let rest = shipment(
                order,
                "USPS",
                &format!("94001118995600000000{i:02}"),
                &[(0, 1), (1, 1)],
                true,
            );
            for request in [&first, &rest, &first, &rest] {
                channel.push_fulfillment(request).await.unwrap();
            }
            assert_eq!(
                numbers(&store, order),
                [first.tracking_number.clone(), rest.tracking_number.clone()],
                "{kind} order {}",
                order.id
            );
        }
        let stats = store.stats();
        assert!(
            stats.dropped > 0 && stats.injected_errors > 0,
            "{kind}: {stats:?}"
        );
    }
}
