//! Shopify's cost bucket: pacing keeps a sync at the restore rate without THROTTLED answers, and
//! a client that finds the bucket drained by someone else waits it out.

use std::time::Instant;

use dealer_connectors::shopify::API_VERSION;
use dealer_sandbox::SHOPIFY_API_VERSION;
use dealer_sandbox::{Faults, PlaceOrder, ShopifyBucket, StoreKind, SHOPIFY_TOKEN};

use crate::{assert_complete, client, epoch, pass, start};

#[tokio::test]
async fn a_paced_sync_spends_the_restore_rate_without_being_throttled() {
    let bucket = ShopifyBucket {
        maximum_available: 400.0,
        restore_rate: 400.0,
    };
    let store = start(StoreKind::Shopify, Faults::default(), bucket).await;
    store.place_random_orders(100, 9);
    let started = Instant::now();
    let pass = pass(&*client(&store), epoch()).await;
    let seconds = started.elapsed().as_secs_f64();
    let left = bucket_level(&store.base_url()).await;
    assert_complete(StoreKind::Shopify, &pass, &store.orders());
    let stats = store.stats();
    assert_eq!(stats.throttled, 0, "{stats:?}");
    assert_eq!(stats.max_cost_exceeded, 0, "{stats:?}");
    let spent = stats.cost_points_consumed as f64;
    let restore = bucket.restore_rate;
    assert!(
        spent > 3.0 * bucket.maximum_available,
        "too short to measure: {stats:?}"
    );
    // No refill went to waste (a full bucket waiting for a request): what was spent plus what
    // is left is what the bucket held and gained.
    let used = (spent + left - bucket.maximum_available) / (seconds * restore);
    assert!(
        used >= 0.95,
        "{:.0} % of the refill used: {stats:?}",
        used * 100.0
    );
    // And the points actually spent, although the last page waits for a whole page's requested
    // cost that a short sync then leaves in the bucket.
    let rate = (spent - bucket.maximum_available) / seconds;
    assert!(
        rate >= 0.8 * restore,
        "spent {rate:.0} points/s of {restore} in {seconds:.1} s: {stats:?}"
    );
}

/// The bucket's level now, from a one-point query's `throttleStatus`.
async fn bucket_level(base_url: &str) -> f64 {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{base_url}/admin/api/{API_VERSION}/graphql.json"))
        .header("X-Shopify-Access-Token", SHOPIFY_TOKEN)
        .json(&serde_json::json!({ "query": "{ shop { name } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        .as_f64()
        .unwrap()
}

#[tokio::test]
async fn a_bucket_drained_by_another_client_is_waited_out() {
    // Throttles come as HTTP 429 with Retry-After here, as Shopify sometimes sends them.
    let faults = Faults {
        throttled_as_429: true,
        ..Faults::default()
    };
    let bucket = ShopifyBucket {
        maximum_available: 100.0,
        restore_rate: 40.0,
    };
    let store = start(StoreKind::Shopify, faults, bucket).await;
    for _ in 0..9 {
        store.place_order(PlaceOrder::test_order());
    }
    // The first client leaves the bucket nearly empty; the second knows nothing of that and
    // its first request is refused, then retried once the store says it may.
    let first = pass(&*client(&store), epoch()).await;
    assert_complete(StoreKind::Shopify, &first, &store.orders());
    assert_eq!(
        store.stats().throttled,
        0,
        "one client alone is never throttled"
    );
    let second = pass(&*client(&store), epoch()).await;
    assert_complete(StoreKind::Shopify, &second, &store.orders());
    let throttled = store.stats().throttled;
    assert!(
        (1..=2).contains(&throttled),
        "{throttled} throttled answers"
    );
}

/// The sandbox serves the version the client asks for: one constant each, kept equal here.
#[test]
fn the_sandbox_serves_the_clients_admin_api_version() {
    assert_eq!(SHOPIFY_API_VERSION, API_VERSION);
}
