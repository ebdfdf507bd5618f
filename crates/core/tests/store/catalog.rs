//! US Direct's catalog through the engine: the item cache and its pace, mappings checked
//! against the catalog, the seen SKUs' bulk match and the SKU map's CSV. The supplier is an
//! in-memory catalog that keeps US Direct's rate limit as its server does (a bucket of 2
//! requests, refilled at 2 per second), so a request sent too early is counted, not timed.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use dealer_core::catalog::{ItemAnswer, CATALOG_MAX_AGE};
use dealer_core::domain::Environment;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::supplier::{
    Authorization, ChangesPage, CreatedOrder, Supplier, SupplierError, SupplierItem, SupplierOrder,
    SupplierOrderRequest, Suppliers,
};
use dealer_core::Engine;

use crate::{open_with_passphrase, PASSPHRASE};

#[derive(Default)]
struct Catalog {
    items: HashMap<String, SupplierItem>,
    /// SKUs whose look-up fails as US Direct being down does.
    down_for: HashSet<String>,
    /// `getItem` calls per SKU.
    asked: HashMap<String, u32>,
    /// Requests beyond the contract's 2 per second (answered 429).
    over_limit: u32,
    tokens: f64,
    refilled: Option<Instant>,
}

#[derive(Default, Clone)]
struct UsDirectCatalog(Arc<Mutex<Catalog>>);

impl UsDirectCatalog {
    fn carrying(skus: &[&str]) -> Self {
        let catalog = Self::default();
        for sku in skus {
            catalog.0.lock().unwrap().items.insert(
                sku.to_string(),
                SupplierItem {
                    sku: sku.to_string(),
                    title: format!("Item {sku}"),
                    weight_grams: 250,
                    available: 40,
                },
            );
        }
        catalog
    }

    fn suppliers(&self) -> Suppliers {
        Suppliers::default()
            .with(Environment::Sandbox, Arc::new(self.clone()))
            .with(Environment::Live, Arc::new(self.clone()))
    }

    fn requests(&self) -> u32 {
        self.0.lock().unwrap().asked.values().sum()
    }
}

#[async_trait]
impl Supplier for UsDirectCatalog {
    async fn create_order(
        &self,
        _: &str,
        _: &SupplierOrderRequest,
    ) -> Result<CreatedOrder, SupplierError> {
        Err(SupplierError::Unavailable {
            detail: "not in these tests".into(),
            retry_after: None,
        })
    }
    async fn authorize_payment(&self, _: &str, _: &str) -> Result<Authorization, SupplierError> {
        Err(SupplierError::NotFound { what: "x".into() })
    }
    async fn list_changes(&self, _: Option<&str>, _: u32) -> Result<ChangesPage, SupplierError> {
        Err(SupplierError::NotFound { what: "x".into() })
    }
    async fn get_order(&self, _: &str) -> Result<SupplierOrder, SupplierError> {
        Err(SupplierError::NotFound { what: "x".into() })
    }
    async fn cancel_order(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<SupplierOrder, SupplierError> {
        Err(SupplierError::NotFound { what: "x".into() })
    }

    async fn get_item(&self, sku: &str) -> Result<Option<SupplierItem>, SupplierError> {
        let mut catalog = self.0.lock().unwrap();
        *catalog.asked.entry(sku.to_string()).or_default() += 1;
        // US Direct's bucket: 2 requests, refilled at 2 per second.
        let now = Instant::now();
        let tokens = match catalog.refilled {
            None => 2.0,
            Some(at) => (catalog.tokens + now.duration_since(at).as_secs_f64() * 2.0).min(2.0),
        };
        catalog.refilled = Some(now);
        if tokens < 1.0 {
            catalog.tokens = tokens;
            catalog.over_limit += 1;
            return Err(SupplierError::RateLimited {
                retry_after: Duration::from_secs(1),
            });
        }
        catalog.tokens = tokens - 1.0;
        if catalog.down_for.contains(sku) {
            return Err(SupplierError::Unavailable {
                detail: "HTTP 503".into(),
                retry_after: None,
            });
        }
        Ok(catalog.items.get(sku).cloned())
    }
}

fn skus(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A store whose seeded orders all wait in `needs_attention` for their unmapped SKUs.
async fn engine_with_waiting_orders(dir: &std::path::Path, orders: usize) -> Engine {
    let engine = open_with_passphrase(dir, PASSPHRASE).await.unwrap();
    engine.store().seed_orders(orders, 7).await.unwrap();
    engine.route_imported().await.unwrap();
    engine
}

async fn statuses(engine: &Engine) -> HashMap<OrderStatus, usize> {
    let mut counts = HashMap::new();
    for status in [
        OrderStatus::NeedsAttention,
        OrderStatus::Imported,
        OrderStatus::NotForUsDirect,
    ] {
        let page = engine
            .store()
            .order_page(&dealer_core::store::ListOrders {
                status: Some(status),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        counts.insert(status, page.total as usize);
    }
    counts
}

#[tokio::test]
async fn a_lookup_answers_from_the_cache_while_fresh_and_asks_again_once_stale() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let us_direct = UsDirectCatalog::carrying(&["USD-1", "USD-2"]);
    let asked = skus(&["USD-1", "USD-2", "UD-NOPE", "USD-1"]);

    let first = engine
        .look_up_items(Environment::Sandbox, &us_direct, &asked, CATALOG_MAX_AGE)
        .await
        .unwrap();
    assert_eq!(first.len(), 3, "each SKU once: {first:?}");
    assert_eq!(us_direct.requests(), 3);
    assert!(first.iter().all(|l| !l.cached));
    assert_eq!(first[0].answer.item().unwrap().weight_grams, 250);
    assert!(matches!(first[2].answer, ItemAnswer::NotCarried { .. }));

    // Fresh: nothing asked, "no such item" included.
    let second = engine
        .look_up_items(Environment::Sandbox, &us_direct, &asked, CATALOG_MAX_AGE)
        .await
        .unwrap();
    assert_eq!(us_direct.requests(), 3, "answered from the cache");
    assert!(second.iter().all(|l| l.cached));
    assert!(matches!(second[2].answer, ItemAnswer::NotCarried { .. }));

    // The other environment's catalog is another catalog.
    engine
        .look_up_items(
            Environment::Live,
            &us_direct,
            &skus(&["USD-1"]),
            CATALOG_MAX_AGE,
        )
        .await
        .unwrap();
    assert_eq!(us_direct.requests(), 4);

    // Stale: asked again, and the new answer kept.
    us_direct.0.lock().unwrap().items.remove("USD-2");
    let stale = engine
        .look_up_items(
            Environment::Sandbox,
            &us_direct,
            &skus(&["USD-2"]),
            Duration::ZERO,
        )
        .await
        .unwrap();
    assert_eq!(us_direct.requests(), 5);
    assert!(matches!(stale[0].answer, ItemAnswer::NotCarried { .. }));
    let cached = engine
        .look_up_items(
            Environment::Sandbox,
            &us_direct,
            &skus(&["USD-2"]),
            CATALOG_MAX_AGE,
        )
        .await
        .unwrap();
    assert!(cached[0].cached && !cached[0].answer.is_carried());
}

#[tokio::test]
async fn lookups_keep_to_us_directs_two_requests_per_second() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let wanted = skus(&["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"]);
    let refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let us_direct = UsDirectCatalog::carrying(&refs);

    let answers = engine
        .look_up_items(Environment::Sandbox, &us_direct, &wanted, CATALOG_MAX_AGE)
        .await
        .unwrap();
    // A second batch right after shares the same pace.
    let more = engine
        .look_up_items(
            Environment::Sandbox,
            &us_direct,
            &skus(&["A-7"]),
            CATALOG_MAX_AGE,
        )
        .await
        .unwrap();

    assert_eq!(
        us_direct.0.lock().unwrap().over_limit,
        0,
        "no request beyond 2/s"
    );
    assert_eq!(us_direct.requests(), 7);
    assert!(answers.iter().all(|l| l.answer.is_carried()), "{answers:?}");
    assert!(matches!(more[0].answer, ItemAnswer::NotCarried { .. }));
}

#[tokio::test]
async fn a_transient_failure_costs_its_sku_not_the_batch_and_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let us_direct = UsDirectCatalog::carrying(&["USD-1", "USD-2"]);
    us_direct.0.lock().unwrap().down_for.insert("USD-1".into());

    let answers = engine
        .look_up_items(
            Environment::Sandbox,
            &us_direct,
            &skus(&["USD-1", "USD-2"]),
            CATALOG_MAX_AGE,
        )
        .await
        .unwrap();
    match &answers[0].answer {
        ItemAnswer::Failed { message } => {
            assert!(message.contains("cannot be reached"), "{message}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(answers[1].answer.is_carried());

    us_direct.0.lock().unwrap().down_for.clear();
    let again = engine
        .look_up_items(
            Environment::Sandbox,
            &us_direct,
            &skus(&["USD-1", "USD-2"]),
            CATALOG_MAX_AGE,
        )
        .await
        .unwrap();
    assert!(again[0].answer.is_carried() && !again[0].cached);
    assert!(again[1].cached);
    assert_eq!(us_direct.0.lock().unwrap().asked["USD-1"], 2);
    assert_eq!(us_direct.0.lock().unwrap().asked["USD-2"], 1);
}

#[tokio::test]
async fn a_mapping_to_an_item_us_direct_does_not_carry_is_refused_and_a_good_one_routes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_waiting_orders(dir.path(), 4).await;
    let seen = engine.seen_skus().await.unwrap();
    let sku = seen[0].store_sku.clone();
    assert!(seen[0].waiting_orders > 0, "{seen:?}");
    let us_direct = UsDirectCatalog::carrying(&[&sku]);

    let refused = engine
        .map_sku(&us_direct.suppliers(), &sku, "UD-NOPE")
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "supplier_sku: US Direct does not carry UD-NOPE: check the SKU in US Direct's catalog"
    );
    let unreachable = engine
        .map_sku(&Suppliers::default(), &sku, &sku)
        .await
        .unwrap_err();
    assert!(
        unreachable.to_string().contains("nothing was saved"),
        "{unreachable}"
    );
    us_direct.0.lock().unwrap().down_for.insert(sku.clone());
    let down = engine
        .map_sku(&us_direct.suppliers(), &sku, &sku)
        .await
        .unwrap_err();
    assert!(down.to_string().contains("cannot be reached"), "{down}");
    assert!(
        engine.store().sku_map().await.unwrap().is_empty(),
        "nothing saved"
    );

    us_direct.0.lock().unwrap().down_for.clear();
    let waiting_before = statuses(&engine).await[&OrderStatus::NotForUsDirect];
    engine
        .map_sku(&us_direct.suppliers(), &sku, &sku)
        .await
        .unwrap();
    assert_eq!(engine.store().sku_map().await.unwrap()[0].supplier_sku, sku);
    // Orders whose only unmapped SKU it was are routed again at once (queued for US Direct).
    let routed = engine.store().list_jobs(None, 100).await.unwrap().len();
    let waiting_after = statuses(&engine).await[&OrderStatus::NotForUsDirect];
    assert!(
        routed > 0 || waiting_after < waiting_before,
        "no order was routed again ({waiting_before} → {waiting_after})"
    );
}

#[tokio::test]
async fn seen_skus_are_matched_in_bulk_and_confirmed_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_waiting_orders(dir.path(), 6).await;
    let seen = engine.seen_skus().await.unwrap();
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen
        .iter()
        .all(|s| s.orders > 0 && s.lines >= s.orders && s.us_direct.is_none()));
    let total_waiting = statuses(&engine).await[&OrderStatus::NotForUsDirect];
    assert!(total_waiting > 0);

    // US Direct carries every seen SKU but the last.
    let carried: Vec<&str> = seen[..seen.len() - 1]
        .iter()
        .map(|s| s.store_sku.as_str())
        .collect();
    let us_direct = UsDirectCatalog::carrying(&carried);
    let mut steps = Vec::new();
    let report = engine
        .match_seen_skus(&us_direct.suppliers(), &mut |p| {
            steps.push(p);
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(report.carried as usize, carried.len());
    assert_eq!(report.not_carried, 1);
    assert_eq!(steps.last().unwrap().done as usize, seen.len());
    assert!(
        engine.store().sku_map().await.unwrap().is_empty(),
        "a match maps nothing"
    );
    let after = engine.seen_skus().await.unwrap();
    assert!(after.iter().all(|s| s.us_direct.is_some()));

    // Confirming a SKU US Direct does not carry maps nothing.
    let last = seen.last().unwrap().store_sku.clone();
    let refused = engine
        .confirm_sku_matches(Some(&[carried[0].to_string(), last.clone()]))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains(&last), "{refused}");
    assert!(engine.store().sku_map().await.unwrap().is_empty());

    let mapped = engine.confirm_sku_matches(None).await.unwrap();
    assert_eq!(mapped.len(), carried.len());
    assert!(mapped.iter().all(|m| m.store_sku == m.supplier_sku));
    let left: Vec<String> = engine
        .seen_skus()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.store_sku)
        .collect();
    assert_eq!(left, vec![last]);
    // Only orders holding nothing but the SKU US Direct does not carry are still not for it.
    let waiting = statuses(&engine).await[&OrderStatus::NotForUsDirect];
    assert!(waiting < total_waiting, "{total_waiting} → {waiting}");
    assert_eq!(
        us_direct.requests() as usize,
        seen.len(),
        "each SKU asked once"
    );
}

#[tokio::test]
async fn a_match_stopped_halfway_resumes_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_waiting_orders(dir.path(), 6).await;
    let seen = engine.seen_skus().await.unwrap();
    let all: Vec<&str> = seen.iter().map(|s| s.store_sku.as_str()).collect();
    let us_direct = UsDirectCatalog::carrying(&all);
    let stopped = engine
        .match_seen_skus(&us_direct.suppliers(), &mut |p| {
            if p.done >= 2 {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })
        .await
        .unwrap();
    assert_eq!(stopped.carried, 2);
    assert_eq!(stopped.unanswered as usize, seen.len() - 2);
    let resumed = engine
        .match_seen_skus(
            &us_direct.suppliers(),
            &mut dealer_core::catalog::mapping::no_progress,
        )
        .await
        .unwrap();
    assert_eq!(resumed.carried as usize, seen.len());
    assert_eq!(
        us_direct.requests() as usize,
        seen.len(),
        "nothing asked twice"
    );
}

#[tokio::test]
async fn a_csv_import_is_all_or_nothing_and_names_every_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let us_direct = UsDirectCatalog::carrying(&["USD-1", "USD-2", "USD-3"]);
    let suppliers = us_direct.suppliers();
    let none = &mut dealer_core::catalog::mapping::no_progress;

    let unknown_column = "store_sku,supplier_sku,price\nA,USD-1,3\n";
    let err = engine
        .import_sku_map_csv(&suppliers, unknown_column, none)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1: unknown column \"price\""), "{err}");

    let text = "store_sku,supplier_sku\n\
                A,USD-1\n\
                B,\n\
                A,USD-2\n\
                C,UD-NOPE\n\
                D,USD-3\n";
    let err = engine
        .import_sku_map_csv(&suppliers, text, none)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 3: supplier_sku: is empty"), "{err}");
    assert!(
        err.contains("line 4: store SKU A is already mapped on line 2"),
        "{err}"
    );
    assert!(err.starts_with("csv: 2 rows cannot be imported"), "{err}");
    assert_eq!(
        us_direct.requests(),
        0,
        "the rows are checked before US Direct is asked"
    );

    let text = "store_sku,supplier_sku\nA,USD-1\nC,UD-NOPE\nD,USD-3\n";
    let err = engine
        .import_sku_map_csv(&suppliers, text, none)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "line 3: US Direct does not carry UD-NOPE: check the SKU in US Direct's catalog"
        ),
        "{err}"
    );
    assert!(
        engine.store().sku_map().await.unwrap().is_empty(),
        "no partial map"
    );

    let text = "store_sku,supplier_sku\nA,USD-1\nC,USD-2\n\nD,USD-3\n";
    let imported = engine
        .import_sku_map_csv(&suppliers, text, none)
        .await
        .unwrap();
    assert_eq!(imported.mapped, 3);
    assert_eq!(engine.store().sku_map().await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_sku_map_goes_out_and_back_as_csv_with_commas_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let pairs = [
        ("HOSE,25ft", "USD-\"HOSE\",25"),
        ("MUG\"4\"", "USD-1006"),
        ("plain", "USD-1001"),
    ];
    let us_direct = UsDirectCatalog::carrying(&pairs.map(|(_, s)| s));
    for (store, supplier) in pairs {
        engine
            .map_sku(&us_direct.suppliers(), store, supplier)
            .await
            .unwrap();
    }
    let before = engine.store().sku_map().await.unwrap();
    let csv = engine.export_sku_map_csv().await.unwrap();
    assert!(csv.starts_with("store_sku,supplier_sku\n"), "{csv}");
    assert!(
        csv.contains("\"HOSE,25ft\",\"USD-\"\"HOSE\"\",25\""),
        "{csv}"
    );

    let other = tempfile::tempdir().unwrap();
    let fresh = open_with_passphrase(other.path(), PASSPHRASE)
        .await
        .unwrap();
    let imported = fresh
        .import_sku_map_csv(
            &us_direct.suppliers(),
            &csv,
            &mut dealer_core::catalog::mapping::no_progress,
        )
        .await
        .unwrap();
    assert_eq!(imported.mapped, 3);
    let after = fresh.store().sku_map().await.unwrap();
    let pairs_of = |map: &[dealer_core::store::SkuMapping]| {
        map.iter()
            .map(|m| (m.store_sku.clone(), m.supplier_sku.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pairs_of(&after), pairs_of(&before));
}
