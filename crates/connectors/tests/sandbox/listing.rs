//! Import passes over several pages, then edits, a cancellation and a malformed order, on each
//! store.

use dealer_sandbox::{Faults, OrderEdit, PlaceOrder, SandboxAddress, SandboxLine, StoreKind};

use crate::{assert_complete, assert_same, channel_id, client, epoch, fast_bucket, pass, start};

#[tokio::test]
async fn shopify_pages_edits_cancellations_and_a_malformed_order() {
    // The first page is a single probing order; then up to ~30 a page.
    scenario(StoreKind::Shopify, 40).await;
}

#[tokio::test]
async fn woocommerce_pages_edits_cancellations_and_a_malformed_order() {
    // A hundred orders a page: 231 make three.
    scenario(StoreKind::Woocommerce, 230).await;
}

#[tokio::test]
async fn bigcommerce_pages_edits_cancellations_and_a_malformed_order() {
    // 250 orders a page: 261 make two.
    scenario(StoreKind::Bigcommerce, 260).await;
}

async fn scenario(kind: StoreKind, random: usize) {
    let store = start(kind, Faults::default(), fast_bucket()).await;
    store.place_random_orders(random, 7);
    let test_order = store.place_order(PlaceOrder::test_order());
    let client = client(&store);

    let first = pass(&*client, epoch()).await;
    assert!(first.pages >= 2, "{kind}: {} page(s)", first.pages);
    assert!(first.malformed.is_empty(), "{kind}: {:?}", first.malformed);
    assert_complete(kind, &first, &store.orders());

    // Changes after the pass come back in a pass from the newest change it saw (the sandbox
    // stamps in milliseconds and serves whole seconds, so that pass also repeats the orders of
    // that last second: the engine stores each once).
    let since = first
        .orders
        .values()
        .map(|o| o.order.channel_updated_at)
        .max()
        .unwrap();
    let held = store.orders();
    let others: Vec<_> = held.iter().filter(|o| o.id != test_order.id).collect();
    let edited = store
        .edit_order(
            test_order.id,
            OrderEdit {
                ship_to: Some(SandboxAddress {
                    first_name: "Robin".into(),
                    last_name: "Moved".into(),
                    address1: "77 Lake Shore Dr".into(),
                    address2: None,
                    city: "Chicago".into(),
                    province_code: "IL".into(),
                    zip: "60611".into(),
                    country_code: "US".into(),
                    phone: None,
                }),
                email: Some("robin.moved@example.com".into()),
                lines: Some(vec![SandboxLine {
                    sku: Some("USD-EDIT-1".into()),
                    title: "Replacement part".into(),
                    quantity: 3,
                    unit_price_minor: 1999,
                    grams: 750,
                    requires_shipping: true,
                }]),
            },
        )
        .unwrap();
    let cancelled = store.cancel_order(others[3].id).unwrap();
    let second = pass(&*client, since).await;
    let read = |order| &second.orders[&channel_id(kind, order)];
    assert_same(kind, read(&edited), &edited);
    assert_eq!(read(&edited).order.lines[0].sku_text(), "USD-EDIT-1");
    assert_same(kind, read(&cancelled), &cancelled);
    assert!(read(&cancelled).cancelled, "{kind}: cancellation");

    // A malformed order is set aside with its reason; the rest of its page still arrives.
    let broken = others[5];
    store.make_malformed(broken.id).unwrap();
    let third = pass(&*client, epoch()).await;
    assert_eq!(third.malformed.len(), 1, "{kind}");
    let malformed = &third.malformed[0];
    assert_eq!(
        malformed.channel_order_id,
        Some(channel_id(kind, broken)),
        "{kind}"
    );
    assert!(!malformed.reason.is_empty() && !malformed.excerpt.is_empty());
    assert_eq!(third.orders.len(), held.len() - 1, "{kind}");
    assert!(!third.orders.contains_key(&channel_id(kind, broken)));
}
