//! Faults: retries with the same key act once.

use std::time::Duration;

use dealer_sandbox::supplier::wire::CreatedOrder;
use dealer_sandbox::{Faults, Sandbox, SandboxOptions, SupplierOptions, SUPPLIER_TOKEN};

use super::*;

/// Runs one request to completion as a careful client does: the same key on every retry,
/// retrying 5xx, 429 and lost connections (without honouring `Retry-After`, to stay fast).
async fn until_answered<F, Fut>(attempt: F) -> (Reply, u32)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Reply, reqwest::Error>>,
{
    for tries in 1..=50 {
        match attempt().await {
            Ok(reply) if reply.status != 429 && reply.status < 500 => return (reply, tries),
            _ => tokio::time::sleep(Duration::from_millis(2)).await,
        }
    }
    panic!("no answer in 50 tries");
}

#[tokio::test]
async fn at_a_20_percent_fault_rate_retries_with_the_same_key_act_once() {
    let (supplier, api) = start(SupplierOptions {
        faults: Faults {
            error_rate: 0.08,
            rate_limit_rate: 0.04,
            drop_rate: 0.08,
            seed: 11,
            ..Faults::default()
        },
        ..options()
    })
    .await;
    let mut retried = 0;
    for n in 0..25 {
        let number = format!("#7{n:03}");
        let body = order_body(&number, &[("USD-1002", 1), ("USD-1010", 2)]);
        let key = format!("create-{n}");
        let (created, tries) =
            until_answered(|| api.try_post("/orders", Some(&key), Some(&body))).await;
        retried += tries - 1;
        assert_eq!(created.status, 201, "{}", created.body);
        let created: CreatedOrder = created.parse();
        let path = format!("/invoices/{}/authorize", created.invoice.id);
        let key = format!("authorize-{n}");
        let (authorized, tries) = until_answered(|| api.try_post(&path, Some(&key), None)).await;
        retried += tries - 1;
        assert_eq!(authorized.status, 200, "{}", authorized.body);
        assert_eq!(authorized.body["paymentStatus"], "Authorized");
        let order_path = format!("/orders/{}", created.id);
        let (order, _) = until_answered(|| api.try_get(&order_path)).await;
        assert_eq!(order.body["orderNumber"], number.as_str());
    }
    let orders = supplier.orders();
    assert_eq!(orders.len(), 25, "no retry created a second order");
    assert!(orders
        .iter()
        .all(|o| o.times_created == 1 && o.times_authorized == 1));
    let stats = supplier.stats();
    assert_eq!(
        (stats.orders_created, stats.authorizations_applied),
        (25, 25)
    );
    assert!(stats.dropped > 0 && stats.injected_errors > 0 && stats.injected_rate_limits > 0);
    assert!(
        stats.replays > 0,
        "some answers were lost after acting and replayed: {stats:?}"
    );
    assert!(retried > 0);
    supplier.stop().await;
}

#[tokio::test]
async fn start_all_runs_the_supplier_too() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start_all(SandboxOptions {
        state_dir: Some(dir.path().to_owned()),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let urls = sandbox.urls_json();
    assert_eq!(urls["supplier"], sandbox.supplier.base_url());
    assert!(urls["supplier"].as_str().unwrap().ends_with("/v1"));
    let item = client()
        .get(format!("{}/items/USD-1001", sandbox.supplier.base_url()))
        .header("X-API-TOKEN", SUPPLIER_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(item.status(), 200);
    sandbox.stop().await;
    assert!(dir.path().join("supplier.json").is_file());
}
