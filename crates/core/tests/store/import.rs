//! Importing pages from a sales channel: the engine's side, with a scripted channel standing in
//! for the store (the real clients against the sandbox stores are tested in dealer-connectors).

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{Duration, Utc};
use dealer_core::activity::{ActivityEntry, SyncTrigger};
use dealer_core::channel::{
    ChannelError, ChannelOrder, ConnectionCheck, Fetched, ListRequest, Malformed, Page,
    SalesChannel,
};
use dealer_core::domain::{ChannelKind, LineDestination, NewOrder};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::{Channel, ListOrders};
use dealer_core::sync::{Connect, NoProgress};
use dealer_core::{Engine, ErrorCode};

use crate::{open_with_passphrase, PASSPHRASE};

/// A store whose orders the test edits; lists them changed since a time, `page_size` a page.
#[derive(Default)]
pub struct ScriptedStore {
    pub orders: Mutex<Vec<Fetched>>,
    page_size: usize,
    fail_on_page: Mutex<Option<usize>>,
    /// A page whose request waits until `release` is notified.
    hold_page: Mutex<Option<usize>>,
    release: tokio::sync::Notify,
    requests: Mutex<Vec<ListRequest>>,
}

#[async_trait]
impl SalesChannel for ScriptedStore {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError> {
        self.requests.lock().unwrap().push(request.clone());
        let page: usize = request.page.as_deref().map_or(0, |p| p.parse().unwrap());
        let held = *self.hold_page.lock().unwrap() == Some(page);
        if held {
            self.release.notified().await;
        }
        if *self.fail_on_page.lock().unwrap() == Some(page) {
            return Err(ChannelError::Server {
                status: 503,
                detail: "maintenance".into(),
            });
        }
        let changed: Vec<Fetched> = self
            .orders
            .lock()
            .unwrap()
            .iter()
            .filter(|item| match item {
                Fetched::Order(o) => o.order.channel_updated_at >= request.updated_since,
                Fetched::Malformed(_) => true,
            })
            .cloned()
            .collect();
        let start = page * self.page_size;
        let items: Vec<Fetched> = changed
            .iter()
            .skip(start)
            .take(self.page_size)
            .cloned()
            .collect();
        let next = (start + self.page_size < changed.len()).then(|| (page + 1).to_string());
        Ok(Page { items, next })
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        Ok(ConnectionCheck {
            store_name: "Scripted".into(),
            api_version: None,
        })
    }
}

struct ConnectScripted(Arc<ScriptedStore>);

impl Connect for ConnectScripted {
    fn client(&self, _: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        Ok(self.0.clone())
    }
}

fn store_orders(count: usize) -> Vec<NewOrder> {
    let mut orders = dealer_core::seed::synthetic_orders(count, 1001, 9).unwrap();
    let base = Utc::now() - Duration::hours(2);
    for (i, order) in orders.iter_mut().enumerate() {
        order.channel_updated_at = base + Duration::seconds(i as i64);
    }
    orders
}

fn fetched(order: &NewOrder, cancelled: bool) -> Fetched {
    Fetched::Order(Box::new(ChannelOrder {
        order: order.clone(),
        cancelled,
    }))
}

pub async fn setup(count: usize) -> (tempfile::TempDir, Engine, Arc<ScriptedStore>, Vec<NewOrder>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    engine
        .store()
        .ensure_channel(
            "Test Shop",
            ChannelKind::Shopify,
            "http://127.0.0.1:1",
            false,
        )
        .await
        .unwrap();
    let orders = store_orders(count);
    let store = Arc::new(ScriptedStore {
        orders: Mutex::new(orders.iter().map(|o| fetched(o, false)).collect()),
        page_size: 10,
        ..Default::default()
    });
    (dir, engine, store, orders)
}

pub async fn sync(engine: &Engine, store: &Arc<ScriptedStore>) -> dealer_core::sync::SyncReport {
    engine
        .order_sync(
            &ConnectScripted(store.clone()),
            SyncTrigger::Cli,
            &NoProgress,
            None,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn imports_once_updates_newer_versions_and_follows_cancellations() {
    let (_dir, engine, store, mut orders) = setup(35).await;
    let first = sync(&engine, &store).await;
    assert_eq!(first.channels[0].imported, 35);
    assert_eq!(first.channels[0].pages, 4);
    assert_eq!(engine.store().count_orders().await.unwrap(), 35);

    // Nothing new: the overlap window re-reads recent orders, and nothing changes.
    let again = sync(&engine, &store).await;
    assert_eq!(
        (again.channels[0].imported, again.channels[0].updated),
        (0, 0)
    );
    assert_eq!(engine.store().count_orders().await.unwrap(), 35);
    let since = store.requests.lock().unwrap().last().unwrap().updated_since;
    let newest = orders.last().unwrap().channel_updated_at;
    assert_eq!(
        since,
        newest - dealer_core::sync::OVERLAP,
        "cursor minus the overlap"
    );

    // An edit with a newer timestamp wins, an older version does not.
    let edited = &mut orders[3];
    edited.ship_to.line1 = "999 New Address Rd".into();
    edited.channel_updated_at = Utc::now();
    let stale = {
        let mut stale = edited.clone();
        stale.ship_to.line1 = "stale".into();
        stale.channel_updated_at = Utc::now() - Duration::days(1);
        stale
    };
    let cancelled = {
        let mut c = orders[5].clone();
        c.channel_updated_at = Utc::now();
        c
    };
    *store.orders.lock().unwrap() = vec![
        fetched(&orders[3], false),
        fetched(&stale, false),
        fetched(&cancelled, true),
    ];
    let report = sync(&engine, &store).await;
    assert_eq!(report.channels[0].updated, 2, "{report:?}");
    let list = engine
        .store()
        .list_orders(&ListOrders {
            status: None,
            limit: 100,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    let by_number = |n: &str| list.iter().find(|o| o.number == n).unwrap().clone();
    let edited_id = by_number(&orders[3].number).id;
    let events = engine.store().order_events(edited_id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.detail, "changed in the store: ship-to address");
    assert_eq!(
        (last.from, last.to),
        (Some(OrderStatus::Imported), OrderStatus::Imported)
    );
    assert_eq!(by_number(&orders[5].number).status, OrderStatus::Cancelled);
    let cancel_events = engine
        .store()
        .order_events(by_number(&orders[5].number).id)
        .await
        .unwrap();
    assert_eq!(
        cancel_events.last().unwrap().detail,
        "cancelled in the store"
    );
    // The store cancelled it itself: it is not asked to cancel it again.
    let jobs = engine
        .store()
        .list_jobs(Some(by_number(&orders[5].number).id), 10)
        .await
        .unwrap();
    assert!(
        jobs.iter()
            .all(|job| job.kind != dealer_core::outbox::JobKind::CancelStoreOrder),
        "{jobs:?}"
    );
}

#[tokio::test]
async fn a_malformed_order_is_quarantined_and_does_not_block_its_page() {
    let (_dir, engine, store, orders) = setup(12).await;
    store.orders.lock().unwrap().insert(
        4,
        Fetched::Malformed(Malformed::new(
            Some("gid://shopify/Order/77".into()),
            "total_price \"abc\" is not an amount",
            "{\"id\":\"gid://shopify/Order/77\",\"totalPrice\":\"abc\"}",
        )),
    );
    let report = sync(&engine, &store).await;
    assert_eq!(
        (report.channels[0].imported, report.channels[0].quarantined),
        (12, 1)
    );
    let activity = engine.store().recent_activity(50).await.unwrap();
    let quarantined = activity.iter().find_map(|entry| match entry {
        ActivityEntry::Quarantined {
            reason,
            excerpt,
            channel_order_id,
            ..
        } => Some((reason.clone(), excerpt.clone(), channel_order_id.clone())),
        _ => None,
    });
    let (reason, excerpt, id) = quarantined.expect("the quarantined order is in Activity");
    assert!(reason.contains("not an amount"));
    assert!(excerpt.contains("abc"));
    assert_eq!(id.as_deref(), Some("gid://shopify/Order/77"));
    assert!(
        report.message.contains("1 could not be read"),
        "{}",
        report.message
    );

    // Once the store sends a readable version, the quarantine entry goes.
    let mut fixed = orders[0].clone();
    fixed.channel_order_id =
        dealer_core::domain::ChannelOrderId::parse("gid://shopify/Order/77").unwrap();
    fixed.number = "#7777".into();
    fixed.channel_updated_at = Utc::now();
    *store.orders.lock().unwrap() = vec![fetched(&fixed, false)];
    sync(&engine, &store).await;
    let activity = engine.store().recent_activity(100).await.unwrap();
    assert!(!activity
        .iter()
        .any(|e| matches!(e, ActivityEntry::Quarantined { .. })));
}

#[tokio::test]
async fn a_failed_page_keeps_what_was_applied_and_the_next_sync_goes_on() {
    let (_dir, engine, store, _orders) = setup(30).await;
    *store.fail_on_page.lock().unwrap() = Some(2);
    let report = sync(&engine, &store).await;
    assert!(report.failed());
    assert_eq!(
        report.channels[0].imported, 20,
        "two pages applied before the failure"
    );
    assert!(report.channels[0]
        .error
        .as_deref()
        .unwrap()
        .contains("HTTP 503"));
    let activity = engine.store().recent_activity(100).await.unwrap();
    assert!(activity
        .iter()
        .any(|e| matches!(e, ActivityEntry::SyncRun { error: Some(_), .. })));

    *store.fail_on_page.lock().unwrap() = None;
    let report = sync(&engine, &store).await;
    assert!(!report.failed());
    assert_eq!(
        engine.store().count_orders().await.unwrap(),
        30,
        "each order exactly once"
    );
}

#[tokio::test]
async fn a_second_sync_while_one_runs_is_refused() {
    let (_dir, engine, store, _orders) = setup(300).await;
    let engine = Arc::new(engine);
    let connect = ConnectScripted(store.clone());
    let (a, b) = tokio::join!(
        engine.order_sync(&connect, SyncTrigger::Window, &NoProgress, None),
        engine.order_sync(&connect, SyncTrigger::Tray, &NoProgress, None),
    );
    let refused = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(e) if e.code() == ErrorCode::AlreadyRunning))
        .count();
    assert_eq!(refused, 1, "exactly one of two concurrent syncs runs");
    assert_eq!(engine.store().count_orders().await.unwrap(), 300);
}

#[tokio::test]
async fn a_big_first_sync_shows_its_orders_while_the_rest_still_imports() {
    let (_dir, engine, store, _orders) = setup(60).await;
    *store.hold_page.lock().unwrap() = Some(3);
    let engine = Arc::new(engine);
    let mut changes = engine.subscribe();
    let running = {
        let (engine, store) = (engine.clone(), store.clone());
        tokio::spawn(async move { sync(&engine, &store).await })
    };
    // The window hears of the first page's orders at once (then at most once a second).
    let change = tokio::time::timeout(std::time::Duration::from_secs(30), changes.recv())
        .await
        .expect("a change while the sync runs")
        .unwrap();
    assert_eq!(
        change,
        dealer_core::changes::Change::Orders { reason: "imported" }
    );
    let shown = engine.store().count_orders().await.unwrap();
    assert!((10..=30).contains(&shown), "{shown} orders shown so far");
    assert!(!running.is_finished(), "the sync is still on page 3");
    store.release.notify_one();
    let report = running.await.unwrap();
    assert_eq!(report.imported(), 60);
    assert_eq!(engine.store().count_orders().await.unwrap(), 60);
}

#[tokio::test]
async fn an_order_listed_twice_in_a_page_is_imported_once_in_its_newest_version() {
    let (_dir, engine, store, orders) = setup(5).await;
    let mut newer = orders[2].clone();
    newer.channel_updated_at += Duration::seconds(30);
    newer.customer_name = "Renamedfirst Storelast".into();
    {
        let mut listed = store.orders.lock().unwrap();
        listed.insert(1, fetched(&newer, false));
    }
    let report = sync(&engine, &store).await;
    assert_eq!(report.imported(), 5);
    assert_eq!(report.channels[0].unchanged, 1, "the older copy");
    assert_eq!(engine.store().count_orders().await.unwrap(), 5);
    let listed = engine
        .store()
        .list_orders(&ListOrders {
            search: Some("Renamedfirst".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        listed.len(),
        1,
        "the newest version, found by the search index"
    );
    let events = engine.store().order_events(listed[0].id).await.unwrap();
    assert_eq!(events.len(), 1, "imported once");
}

/// An order whose lines change in the store is found by its new SKU (searched from the lines),
/// and no longer by the old one.
#[tokio::test]
async fn an_order_whose_lines_change_is_found_by_its_new_sku() {
    let (_dir, engine, store, mut orders) = setup(5).await;
    orders[2].lines.truncate(1);
    orders[2].lines[0].sku = Some(dealer_core::domain::Sku::parse("OLD-5531").unwrap());
    *store.orders.lock().unwrap() = orders.iter().map(|o| fetched(o, false)).collect();
    sync(&engine, &store).await;
    let search = |text: &str| {
        let text = text.to_string();
        let engine = &engine;
        async move {
            engine
                .store()
                .list_orders(&ListOrders {
                    search: Some(text),
                    ..Default::default()
                })
                .await
                .unwrap()
        }
    };
    let old = search("old-55").await;
    assert_eq!(old.len(), 1);

    let mut edited = orders[2].clone();
    edited.lines[0].sku = Some(dealer_core::domain::Sku::parse("NEW-7702").unwrap());
    edited.channel_updated_at = Utc::now();
    *store.orders.lock().unwrap() = vec![fetched(&edited, false)];
    let report = sync(&engine, &store).await;
    assert_eq!(report.channels[0].updated, 1, "{report:?}");
    let new = search("new-77").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].id, old[0].id);
    assert!(search("old-55").await.is_empty());
}

/// An order with no US Direct line is not for US Direct; when the store edits it to hold a
/// mapped item, the next routing sends it (with that line alone) instead of leaving it aside.
#[tokio::test]
async fn an_order_not_for_us_direct_is_checked_again_when_the_store_changes_it() {
    let (_dir, engine, store, orders) = setup(1).await;
    let mut order = orders[0].clone();
    order.lines.truncate(1);
    let mapped = order.lines[0].sku_text().to_string();
    engine
        .store()
        .map_skus_to_themselves(&[mapped.as_str()])
        .await
        .unwrap();
    order.lines[0].sku = Some(dealer_core::domain::Sku::parse("OTHER-BRAND-1").unwrap());
    *store.orders.lock().unwrap() = vec![fetched(&order, false)];
    sync(&engine, &store).await;
    engine.route_imported().await.unwrap();
    let id = engine
        .store()
        .list_orders(&ListOrders::default())
        .await
        .unwrap()[0]
        .id;
    let status = || async { engine.store().order_detail(id).await.unwrap().status };
    assert_eq!(status().await, OrderStatus::NotForUsDirect);

    let mut edited = order.clone();
    let mut us_direct = edited.lines[0].clone();
    us_direct.sku = Some(dealer_core::domain::Sku::parse(&mapped).unwrap());
    edited.lines.push(us_direct);
    edited.channel_updated_at = Utc::now();
    *store.orders.lock().unwrap() = vec![fetched(&edited, false)];
    sync(&engine, &store).await;
    assert_eq!(status().await, OrderStatus::Imported, "checked again");
    engine.route_imported().await.unwrap();
    let routed = engine.store().order_detail(id).await.unwrap();
    assert_eq!(
        routed.status,
        OrderStatus::Imported,
        "on its way to US Direct"
    );
    assert_eq!(routed.jobs.len(), 1, "its supplier order is queued");
    let goes: Vec<LineDestination> = routed.lines.iter().map(|l| l.destination).collect();
    assert_eq!(
        goes,
        vec![LineDestination::OtherSupplier, LineDestination::UsDirect]
    );
}

#[tokio::test]
async fn orders_written_together_keep_the_times_and_order_of_the_page() {
    let (_dir, engine, store, orders) = setup(25).await;
    sync(&engine, &store).await;
    let pool = engine.store().pool();
    let mut previous_id = 0;
    for order in &orders {
        // Bound as sqlx binds a time, the stored text matches exactly (times compare as text).
        let (id,): (i64,) = sqlx::query_as(
            "SELECT id FROM orders WHERE channel_order_id = ? AND placed_at = ?
                                        AND channel_updated_at = ?",
        )
        .bind(order.channel_order_id.as_str())
        .bind(order.placed_at)
        .bind(order.channel_updated_at)
        .fetch_one(pool)
        .await
        .unwrap();
        assert!(id > previous_id, "ids follow the store's order");
        previous_id = id;
        let lines: Vec<(i64, String)> = sqlx::query_as(
            "SELECT position, sku FROM order_lines WHERE order_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap();
        let expected: Vec<(i64, String)> = order
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| (i as i64, line.sku_text().to_string()))
            .collect();
        assert_eq!(lines, expected);
    }
}

#[tokio::test]
async fn a_large_import_leaves_the_search_index_merged_and_a_small_one_leaves_it_be() {
    let (_dir, engine, store, _orders) = setup(40).await;
    let small = sync(&engine, &store).await;
    engine.tidy_after_sync(&small).await;
    assert!(
        engine.store().tidy_search_index().await.unwrap() > 0,
        "40 orders leave the index as the pages wrote it"
    );

    let (_dir, engine, store, _orders) = setup(1_000).await;
    let large = sync(&engine, &store).await;
    assert_eq!(large.imported(), 1_000);
    engine.tidy_after_sync(&large).await;
    assert_eq!(
        engine.store().tidy_search_index().await.unwrap(),
        0,
        "already merged after the large import"
    );
}
