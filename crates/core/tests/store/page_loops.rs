//! A store whose paging never ends: Order Sync stops the pass with a clear error on the
//! channel's run, keeps every good order it read, and the next sync runs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use dealer_core::activity::SyncTrigger;
use dealer_core::channel::{
    ChannelError, ChannelOrder, ConnectionCheck, Fetched, ListRequest, Page, SalesChannel,
};
use dealer_core::domain::{ChannelKind, NewOrder};
use dealer_core::store::Channel;
use dealer_core::sync::{Connect, NoProgress, MAX_PAGES_PER_SYNC};
use dealer_core::Engine;

use crate::{open_with_passphrase, PASSPHRASE};

#[derive(Clone, Copy, Debug)]
enum Hostility {
    /// Two good pages, then the second again and again, each "page N+1" (a WooCommerce
    /// `X-WP-TotalPages` that never ends).
    SamePageForever,
    /// Good pages whose cursors go a → b → a.
    RepeatedCursor,
    /// A good page, then an empty one that still says more.
    EmptyPage,
    /// A new order on every page, forever.
    NewOrdersForever,
    /// A good page, then a bug in the client while it reads the next one.
    PanicOnNextPage,
}

struct HostileStore {
    hostility: Hostility,
    orders: Vec<NewOrder>,
    requests: AtomicU32,
}

impl HostileStore {
    fn page(&self, range: std::ops::Range<usize>, next: Option<String>) -> Page {
        Page {
            items: self.orders[range]
                .iter()
                .map(|order| {
                    Fetched::Order(Box::new(ChannelOrder {
                        order: order.clone(),
                        cancelled: false,
                    }))
                })
                .collect(),
            next,
        }
    }
}

#[async_trait]
impl SalesChannel for HostileStore {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Woocommerce
    }

    fn numbered_pages(&self) -> bool {
        matches!(self.hostility, Hostility::SamePageForever)
    }

    async fn list_orders(&self, request: &ListRequest) -> Result<Page, ChannelError> {
        let calls = self.requests.fetch_add(1, Ordering::SeqCst);
        // However the engine reads, a test that loops must end.
        assert!(
            calls < 2 * MAX_PAGES_PER_SYNC + 10,
            "the engine kept reading"
        );
        let at = request.page.as_deref();
        Ok(match self.hostility {
            Hostility::SamePageForever => {
                let n: usize = at.map_or(1, |p| p.trim_start_matches("page:").parse().unwrap());
                let next = Some(format!("page:{}", n + 1));
                if n == 1 {
                    self.page(0..10, next)
                } else {
                    self.page(10..20, next)
                }
            }
            Hostility::RepeatedCursor => match at {
                None => self.page(0..10, Some("a".into())),
                Some("a") => self.page(10..20, Some("b".into())),
                _ => self.page(20..30, Some("a".into())),
            },
            Hostility::EmptyPage => match at {
                None => self.page(0..10, Some("1".into())),
                _ => self.page(0..0, Some("2".into())),
            },
            Hostility::PanicOnNextPage => match at {
                None => self.page(0..10, Some("2".into())),
                _ => panic!("index out of bounds: the len is 3 but the index is 7"),
            },
            Hostility::NewOrdersForever => {
                let n: usize = at.map_or(0, |p| p.parse().unwrap());
                let i = n % self.orders.len();
                self.page(i..i + 1, Some((n + 1).to_string()))
            }
        })
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        Ok(ConnectionCheck {
            store_name: "Hostile".into(),
            api_version: None,
        })
    }
}

struct ConnectHostile(Arc<HostileStore>);

impl Connect for ConnectHostile {
    fn client(&self, _: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        Ok(self.0.clone())
    }
}

async fn sync_against(hostility: Hostility, orders: usize) -> (tempfile::TempDir, Engine, String) {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    engine
        .store()
        .ensure_channel(
            "Hostile Shop",
            ChannelKind::Woocommerce,
            "http://127.0.0.1:1",
            false,
        )
        .await
        .unwrap();
    let mut new_orders = dealer_core::seed::synthetic_orders(orders, 1001, 9).unwrap();
    let base = Utc::now() - Duration::hours(2);
    for (i, order) in new_orders.iter_mut().enumerate() {
        order.channel_updated_at = base + Duration::seconds(i as i64);
    }
    let store = Arc::new(HostileStore {
        hostility,
        orders: new_orders,
        requests: AtomicU32::new(0),
    });
    let connect = ConnectHostile(store);
    let report = engine
        .order_sync(&connect, SyncTrigger::Cli, &NoProgress, None)
        .await
        .unwrap();
    let error = report.channels[0]
        .error
        .clone()
        .expect("the pass ends with an error");
    // The error is on the channel's recorded run, for Activity.
    let recorded: Option<String> =
        sqlx::query_scalar("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1")
            .fetch_one(engine.store().pool())
            .await
            .unwrap();
    assert_eq!(recorded.as_deref(), Some(error.as_str()));
    // Single flight is free again: the next sync runs (and ends the same way).
    let again = engine
        .order_sync(&connect, SyncTrigger::Cli, &NoProgress, None)
        .await
        .expect("a later sync is not refused");
    assert!(again.channels[0].error.is_some());
    (dir, engine, error)
}

#[tokio::test]
async fn a_page_count_that_never_ends_stops_at_the_first_repeated_page() {
    let (_dir, engine, error) = sync_against(Hostility::SamePageForever, 20).await;
    assert!(error.contains("already sent"), "{error}");
    assert!(error.contains("20 new"), "{error}");
    assert_eq!(engine.store().count_orders().await.unwrap(), 20);
}

#[tokio::test]
async fn a_cursor_that_comes_back_ends_the_pass() {
    let (_dir, engine, error) = sync_against(Hostility::RepeatedCursor, 30).await;
    assert!(error.contains("cursor repeats"), "{error}");
    assert_eq!(engine.store().count_orders().await.unwrap(), 30);
}

#[tokio::test]
async fn an_empty_page_that_says_more_ends_the_pass() {
    let (_dir, engine, error) = sync_against(Hostility::EmptyPage, 10).await;
    assert!(error.contains("empty page"), "{error}");
    assert_eq!(engine.store().count_orders().await.unwrap(), 10);
}

#[tokio::test]
async fn a_store_with_endless_new_pages_stops_at_the_page_limit() {
    let orders = 2 * MAX_PAGES_PER_SYNC as usize;
    let (_dir, engine, error) = sync_against(Hostility::NewOrdersForever, orders).await;
    assert!(
        error.contains(&format!("more than {MAX_PAGES_PER_SYNC} pages")),
        "{error}"
    );
    assert_eq!(
        engine.store().count_orders().await.unwrap(),
        i64::from(MAX_PAGES_PER_SYNC),
        "every order on the pages read is imported"
    );
}

#[tokio::test]
async fn a_client_that_panics_on_the_next_page_ends_the_pass_and_keeps_the_first() {
    let (_dir, engine, error) = sync_against(Hostility::PanicOnNextPage, 10).await;
    assert!(
        error.contains("internal error while reading the store's next page")
            && error.contains("index out of bounds")
            && error.contains("Run Order Sync again"),
        "{error}"
    );
    assert_eq!(engine.store().count_orders().await.unwrap(), 10);
}
