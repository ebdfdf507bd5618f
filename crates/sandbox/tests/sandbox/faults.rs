//! Fault injection over real connections: rates close to what was configured, the same
//! sequence for the same seed, dropped connections as transport errors, 429s with
//! `Retry-After`, latency, and an admin API that faults never touch.

use std::time::{Duration, Instant};

use dealer_sandbox::{Faults, PlaceOrder, SandboxOptions, SandboxStore, StoreKind};
use serde_json::{json, Value};

use crate::support::{bc_get, client, gql, header, start, start_with, woo_get};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Transport,
}

fn faults(seed: u64) -> Faults {
    Faults {
        error_rate: 0.2,
        rate_limit_rate: 0.1,
        drop_rate: 0.1,
        retry_after_secs: 3,
        seed,
        ..Faults::default()
    }
}

async fn outcomes(store: &SandboxStore, n: usize) -> Vec<Outcome> {
    let client = client();
    let url = format!("{}/wp-json/wc/v3/orders?per_page=1", store.base_url());
    let mut outcomes = Vec::with_capacity(n);
    for _ in 0..n {
        let sent = client
            .get(&url)
            .basic_auth("ck_sandbox", Some("cs_sandbox"))
            .send()
            .await;
        outcomes.push(match sent {
            Err(_) => Outcome::Transport,
            Ok(response) if response.status().is_success() => {
                // A 200 always carries a complete, valid body.
                response.json::<Value>().await.unwrap();
                Outcome::Ok
            }
            Ok(response) => Outcome::Status(response.status().as_u16()),
        });
    }
    outcomes
}

#[tokio::test]
async fn rates_are_as_configured_and_repeatable_for_a_seed() {
    let options = SandboxOptions {
        faults: faults(7),
        ..SandboxOptions::default()
    };
    let a = start_with(StoreKind::Woocommerce, options.clone()).await;
    let b = start_with(StoreKind::Woocommerce, options).await;
    let n = 300;
    let (first, second) = (outcomes(&a, n).await, outcomes(&b, n).await);
    assert_eq!(first, second, "same seed, same faults");

    let count = |wanted: fn(&Outcome) -> bool| first.iter().filter(|o| wanted(o)).count();
    let errors = count(|o| matches!(o, Outcome::Status(500 | 503)));
    let limited = count(|o| matches!(o, Outcome::Status(429)));
    let dropped = count(|o| matches!(o, Outcome::Transport));
    assert!((35..=85).contains(&errors), "errors {errors}");
    assert!((12..=50).contains(&limited), "429s {limited}");
    assert!((12..=50).contains(&dropped), "dropped {dropped}");
    assert_eq!(count(|o| matches!(o, Outcome::Status(_))), errors + limited);

    let stats = a.stats();
    assert_eq!(stats.api_requests, n as u64, "no hidden retries");
    assert_eq!(stats.injected_errors, errors as u64);
    assert_eq!(stats.injected_rate_limits, limited as u64);
    assert_eq!(stats.dropped, dropped as u64);

    a.set_faults(faults(8));
    assert_ne!(outcomes(&a, n).await, first, "another seed, other faults");
}

#[tokio::test]
async fn dropped_connections_are_transport_errors_in_every_format() {
    let all_dropped = Faults {
        drop_rate: 1.0,
        ..Faults::default()
    };
    for kind in [
        StoreKind::Shopify,
        StoreKind::Woocommerce,
        StoreKind::Bigcommerce,
    ] {
        let store = start_with(
            kind,
            SandboxOptions {
                faults: all_dropped.clone(),
                ..SandboxOptions::default()
            },
        )
        .await;
        let url = match kind {
            StoreKind::Shopify => format!(
                "{}/admin/api/{}/graphql.json",
                store.base_url(),
                dealer_sandbox::SHOPIFY_API_VERSION
            ),
            StoreKind::Woocommerce => format!("{}/wp-json/wc/v3/orders", store.base_url()),
            StoreKind::Bigcommerce => format!("{}/v2/orders", store.base_url()),
        };
        for _ in 0..3 {
            let sent = client()
                .post(&url)
                .json(&json!({ "query": "{ shop { name } }" }))
                .send()
                .await;
            let error = sent.expect_err("a dropped connection must not answer");
            assert!(!error.is_status(), "{kind}: {error}");
        }
        assert_eq!(store.stats().dropped, 3, "{kind}");
    }
}

#[tokio::test]
async fn injected_answers_use_each_formats_shape() {
    let limited = Faults {
        rate_limit_rate: 1.0,
        retry_after_secs: 4,
        ..Faults::default()
    };
    let options = SandboxOptions {
        faults: limited,
        ..SandboxOptions::default()
    };

    let bigcommerce = start_with(StoreKind::Bigcommerce, options.clone()).await;
    let response = bc_get(&bigcommerce, "/orders", &[]).await;
    assert_eq!(response.status(), 429);
    assert_eq!(header(&response, "retry-after"), "4");
    assert_eq!(header(&response, "x-rate-limit-requests-left"), "0");
    assert!(header(&response, "x-rate-limit-time-reset-ms")
        .parse::<u64>()
        .is_ok());
    assert_eq!(response.json::<Value>().await.unwrap()[0]["status"], 429);

    let woocommerce = start_with(StoreKind::Woocommerce, options.clone()).await;
    let response = woo_get(&woocommerce, "/orders", &[]).await;
    assert_eq!(response.status(), 429);
    assert_eq!(header(&response, "retry-after"), "4");
    assert_eq!(
        response.json::<Value>().await.unwrap()["data"]["status"],
        429
    );

    let shopify = start_with(StoreKind::Shopify, options).await;
    let (status, body) = gql(&shopify, "{ shop { name } }", json!({})).await;
    assert_eq!(status, 429);
    assert!(body["errors"].is_string());

    shopify.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let (status, body) = gql(&shopify, "{ shop { name } }", json!({})).await;
    assert!(status == 500 || status == 503, "{status}");
    assert!(body["errors"].is_string());
    assert_eq!(shopify.stats().injected_errors, 1);
    assert_eq!(shopify.stats().injected_rate_limits, 1);
}

#[tokio::test]
async fn latency_is_added_to_api_requests_only() {
    let store = start(StoreKind::Woocommerce).await;
    store.place_order(PlaceOrder::test_order());
    store.set_faults(Faults {
        latency: Duration::from_millis(400),
        error_rate: 1.0,
        ..Faults::default()
    });

    let started = Instant::now();
    let response = woo_get(&store, "/orders", &[]).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert!(response.status().is_server_error());

    let started = Instant::now();
    let admin = client()
        .get(format!("{}/orders", store.admin_url()))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(admin.status(), 200);
    assert_eq!(
        admin
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.stats().api_requests, 1);
}
