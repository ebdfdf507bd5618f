//! Listing what was stored.

use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;
use dealer_core::ErrorCode;

use crate::{open_with_passphrase, PASSPHRASE};

#[tokio::test]
async fn lists_newest_first_with_filters_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    assert_eq!(store.seed_orders(120, 5).await.unwrap(), 120);
    // A second seed continues the numbering.
    assert_eq!(store.seed_orders(30, 6).await.unwrap(), 150);

    let all = store
        .list_orders(&ListOrders {
            status: None,
            limit: 1000,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 150);
    assert!(
        all.windows(2).all(|w| w[0].placed_at >= w[1].placed_at),
        "newest first"
    );
    let mut numbers: Vec<_> = all.iter().map(|o| o.number.clone()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 150, "numbers are unique");
    assert!(all
        .iter()
        .all(|o| o.channel == "Sandbox Store" && o.currency == "USD"));

    let page = store
        .list_orders(&ListOrders {
            status: None,
            limit: 50,
            offset: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(page[0].id, all[100].id);

    let one = all[7].id;
    store
        .transition(
            one,
            OrderStatus::Cancelled,
            dealer_core::domain::Actor::Dealer,
            "test",
        )
        .await
        .unwrap();
    let cancelled = store
        .list_orders(&ListOrders {
            status: Some(OrderStatus::Cancelled),
            limit: 10,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].id, one);

    let err = store
        .list_orders(&ListOrders {
            status: None,
            limit: 0,
            offset: 0,
            ..Default::default()
        })
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}
