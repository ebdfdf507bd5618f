//! The dealer's cancel written to each sandbox store over loopback: cancelled once, looking
//! first; a lost answer is found by the next try, not repeated; an order the store cancelled or
//! shipped is not written to; a store that fails or answers oddly leaves a clear error and
//! nothing cancelled twice.

use dealer_core::channel::{CancelRequest, ChannelError, StoreCancel};
use dealer_sandbox::{
    Faults, NewFulfillment, PlaceOrder, SandboxFulfilledLine, SandboxOrder, SandboxStore, StoreKind,
};

use crate::{channel_id, client, fast_bucket, start};

const KINDS: [StoreKind; 3] = [
    StoreKind::Shopify,
    StoreKind::Woocommerce,
    StoreKind::Bigcommerce,
];

fn request(kind: StoreKind, order: &SandboxOrder) -> CancelRequest {
    CancelRequest {
        channel_order_id: channel_id(kind, order),
        order_number: format!("#{}", order.number),
        reason: "the customer asked".into(),
    }
}

fn held(store: &SandboxStore, order: &SandboxOrder) -> SandboxOrder {
    store
        .orders()
        .into_iter()
        .find(|o| o.id == order.id)
        .unwrap()
}

#[tokio::test]
async fn each_store_cancels_once_and_a_lost_answer_is_found_not_repeated() {
    for kind in KINDS {
        let store = start(kind, Faults::default(), fast_bucket()).await;
        let order = store.place_order(PlaceOrder::test_order());
        let channel = client(&store);
        let request = request(kind, &order);

        // The store cancels, the answer never arrives.
        store.lose_next_write_answers(1);
        let lost = channel.cancel_order(&request).await.unwrap_err();
        assert!(
            matches!(
                lost,
                ChannelError::Unreachable { .. } | ChannelError::Server { .. }
            ),
            "{kind}: {lost:?}"
        );
        // The outbox tries again: the look finds it cancelled, nothing is written.
        let again = channel.cancel_order(&request).await.unwrap();
        assert_eq!(again, StoreCancel::AlreadyCancelled, "{kind}");
        assert!(held(&store, &order).is_cancelled(), "{kind}");
        assert_eq!(store.stats().api_cancels, 1, "{kind}: one cancel write");

        // A fresh order cancels at the first try.
        let other = store.place_order(PlaceOrder::test_order());
        let done = channel
            .cancel_order(&self::request(kind, &other))
            .await
            .unwrap();
        assert_eq!(done, StoreCancel::Cancelled, "{kind}");
        assert_eq!(store.stats().api_cancels, 2, "{kind}");
        if kind == StoreKind::Shopify {
            let note = held(&store, &other).cancel_note.unwrap();
            assert!(note.contains("the customer asked"), "{note}");
        }
    }
}

#[tokio::test]
async fn an_order_the_store_cancelled_or_shipped_is_not_written_to() {
    for kind in KINDS {
        let store = start(kind, Faults::default(), fast_bucket()).await;
        let channel = client(&store);
        let cancelled = store.place_order(PlaceOrder::test_order());
        store.cancel_order(cancelled.id).unwrap();
        assert_eq!(
            channel
                .cancel_order(&request(kind, &cancelled))
                .await
                .unwrap(),
            StoreCancel::AlreadyCancelled,
            "{kind}"
        );

        let shipped = store.place_order(PlaceOrder::test_order());
        store
            .fulfill(
                shipped.id,
                NewFulfillment {
                    tracking_number: "1Z999AA10123456784".into(),
                    carrier: "UPS".into(),
                    tracking_url: None,
                    lines: vec![SandboxFulfilledLine {
                        position: 0,
                        quantity: shipped.lines[0].quantity,
                    }],
                },
            )
            .unwrap();
        if kind == StoreKind::Woocommerce {
            // WooCommerce shows a shipped order as completed.
            store.complete_order(shipped.id).unwrap();
        }
        let answer = channel
            .cancel_order(&request(kind, &shipped))
            .await
            .unwrap();
        assert!(
            matches!(answer, StoreCancel::NotCancellable { .. }),
            "{kind}: {answer:?}"
        );
        assert!(!held(&store, &shipped).is_cancelled(), "{kind}");
        assert_eq!(store.stats().api_cancels, 0, "{kind}: nothing written");
    }
}

#[tokio::test]
async fn a_failing_store_leaves_a_clear_error_and_cancels_nothing_twice() {
    for kind in KINDS {
        // Every request fails: the client says so, and the order is not cancelled twice.
        let store = start(
            kind,
            Faults {
                error_rate: 1.0,
                ..Faults::default()
            },
            fast_bucket(),
        )
        .await;
        let order = store.place_order(PlaceOrder::test_order());
        let channel = client(&store);
        let failed = channel
            .cancel_order(&request(kind, &order))
            .await
            .unwrap_err();
        assert!(
            matches!(failed, ChannelError::Server { .. }),
            "{kind}: {failed:?}"
        );
        assert!(
            failed.to_string().contains("the store failed"),
            "{kind}: {failed}"
        );
        assert!(!held(&store, &order).is_cancelled(), "{kind}");
        // Then it works again: one cancel.
        store.set_faults(Faults::default());
        assert_eq!(
            channel.cancel_order(&request(kind, &order)).await.unwrap(),
            StoreCancel::Cancelled
        );
        assert_eq!(store.stats().api_cancels, 1, "{kind}");
    }
}
