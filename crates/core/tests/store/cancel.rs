//! Cancel order, by the dealer, through the engine on a real encrypted store: the order here,
//! then the store and US Direct through the outbox, each once, looking first. The store is an
//! in-memory stand-in that counts its cancel writes and can lose an answer or fail as a peer
//! does (the sandbox stores over HTTP prove the same in the connectors' and the CLI's tests).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use dealer_core::channel::{
    CancelRequest, ChannelError, ConnectionCheck, ListRequest, Page, SalesChannel, StoreCancel,
};
use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::fulfillment::CancelResult;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState, WorkerId};
use dealer_core::store::Channel;
use dealer_core::sync::Connect;
use dealer_core::Engine;

use crate::fulfillment::{engine_with_orders, ids_in, FakeSupplier, NoStores};

/// How the store's order stands, and what it will do to the next calls.
#[derive(Default)]
struct Book {
    /// Store order id → cancel writes that reached it (a second one would be a double cancel).
    writes: HashMap<String, u32>,
    cancelled: Vec<String>,
    shipped: Vec<String>,
    looks: u32,
    /// Errors the next calls answer with, before doing anything.
    fail_next: Vec<ChannelError>,
    /// The next write is applied, then its answer is lost (a dropped connection).
    lose_next_answer: bool,
}

#[derive(Default)]
struct CancelStore(Mutex<Book>);

#[async_trait]
impl SalesChannel for CancelStore {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Shopify
    }

    async fn list_orders(&self, _: &ListRequest) -> Result<Page, ChannelError> {
        Ok(Page {
            items: Vec::new(),
            next: None,
        })
    }

    async fn test_connection(&self) -> Result<ConnectionCheck, ChannelError> {
        Ok(ConnectionCheck {
            store_name: "fake".into(),
            api_version: None,
        })
    }

    async fn cancel_order(&self, request: &CancelRequest) -> Result<StoreCancel, ChannelError> {
        let mut book = self.0.lock().unwrap();
        if !book.fail_next.is_empty() {
            return Err(book.fail_next.remove(0));
        }
        book.looks += 1;
        let id = request.channel_order_id.clone();
        if book.cancelled.contains(&id) {
            return Ok(StoreCancel::AlreadyCancelled);
        }
        if book.shipped.contains(&id) {
            return Ok(StoreCancel::NotCancellable {
                status: "fulfilled".into(),
            });
        }
        *book.writes.entry(id.clone()).or_default() += 1;
        book.cancelled.push(id);
        if std::mem::take(&mut book.lose_next_answer) {
            return Err(ChannelError::Unreachable {
                detail: "connection closed before message completed".into(),
            });
        }
        Ok(StoreCancel::Cancelled)
    }
}

struct ConnectCancel(Arc<CancelStore>);

impl Connect for ConnectCancel {
    fn client(&self, _: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        Ok(self.0.clone())
    }
}

/// An order US Direct has accepted and whose payment is authorized (`processing`).
async fn processing_order(engine: &Engine, supplier: &FakeSupplier) -> i64 {
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let id = ids_in(engine, OrderStatus::AwaitingAuthorization).await[0];
    engine.authorize(&[id], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!(
        engine.store().order_detail(id).await.unwrap().status,
        OrderStatus::Processing
    );
    id
}

async fn run_all(engine: &Engine, supplier: &FakeSupplier, store: &Arc<CancelStore>) -> bool {
    engine
        .run_outbox_until(
            &supplier.everywhere(),
            &ConnectCancel(store.clone()),
            &WorkerId::for_this_process(),
            None,
            Instant::now() + Duration::from_secs(40),
        )
        .await
        .unwrap()
}

fn jobs_of(jobs: &[dealer_core::outbox::Job], kind: JobKind) -> Vec<&dealer_core::outbox::Job> {
    jobs.iter().filter(|job| job.kind == kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancel_reaches_the_store_and_us_direct_once_through_double_clicks_lost_answers_and_a_crash(
) {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = processing_order(&engine, &supplier).await;
    let detail = engine.store().order_detail(id).await.unwrap();
    assert_eq!(detail.cancel_blocked, None, "Cancel order applies");
    let supplier_order = detail.supplier.clone().unwrap().order_id;

    // A double click: two cancels at once. One cancels, the other finds it done.
    let reason = "the customer asked to cancel";
    let (a, b) = tokio::join!(
        engine.cancel_order(id, reason, Actor::Dealer),
        engine.cancel_order(id, reason, Actor::Dealer)
    );
    let mut results = vec![a.unwrap().result, b.unwrap().result];
    results.sort_by_key(|result| *result == CancelResult::AlreadyCancelled);
    assert_eq!(
        results,
        vec![CancelResult::Cancelled, CancelResult::AlreadyCancelled]
    );
    let detail = engine.store().order_detail(id).await.unwrap();
    assert_eq!(detail.status, OrderStatus::Cancelled);
    let event = detail
        .events
        .iter()
        .find(|event| event.to == OrderStatus::Cancelled)
        .unwrap();
    assert_eq!(event.actor, Actor::Dealer);
    assert!(event.detail.contains(reason), "{}", event.detail);
    assert!(detail.cancel_blocked.is_some(), "no second Cancel");
    assert_eq!(jobs_of(&detail.jobs, JobKind::CancelStoreOrder).len(), 1);
    assert_eq!(jobs_of(&detail.jobs, JobKind::CancelSupplierOrder).len(), 1);

    // A worker claims the store's cancel, the store acts, and the worker dies before writing
    // the answer down.
    let store = Arc::new(CancelStore::default());
    let dead = WorkerId::for_this_process();
    // With no US Direct in reach only store jobs are claimed.
    let claimed = engine
        .store()
        .claim_job(&dead, dealer_core::outbox::Reach::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.kind, JobKind::CancelStoreOrder);
    store
        .cancel_order(&CancelRequest {
            channel_order_id: detail.channel_order_id.clone(),
            order_number: detail.number.clone(),
            reason: reason.into(),
        })
        .await
        .unwrap();
    sqlx::query("UPDATE outbox_jobs SET claimed_by = 'pid:99999999:0' WHERE id = ?")
        .bind(claimed.id)
        .execute(engine.store().pool())
        .await
        .unwrap();
    // US Direct's answer is lost once, and it is busy once.
    supplier.state().flaky = 1;

    assert!(run_all(&engine, &supplier, &store).await, "every job ends");
    let writes = store.0.lock().unwrap().writes.clone();
    assert_eq!(
        writes.get(&detail.channel_order_id),
        Some(&1),
        "the store cancelled once"
    );
    assert_eq!(
        supplier.state().cancelled.get(&supplier_order),
        Some(&1),
        "US Direct cancelled once"
    );
    let done = engine.store().order_detail(id).await.unwrap();
    for job in &done.jobs {
        if matches!(
            job.kind,
            JobKind::CancelStoreOrder | JobKind::CancelSupplierOrder
        ) {
            assert_eq!(job.state, JobState::Succeeded, "{job:?}");
        }
    }
    assert!(
        done.events
            .iter()
            .any(|event| event.detail.contains("had already cancelled")),
        "the rerun found the store's cancel: {:?}",
        done.events
    );

    // Cancelling again later changes nothing and queues nothing.
    let again = engine
        .cancel_order(id, reason, Actor::Dealer)
        .await
        .unwrap();
    assert_eq!(again.result, CancelResult::AlreadyCancelled);
    let jobs = engine.store().list_jobs(Some(id), 100).await.unwrap();
    assert_eq!(jobs_of(&jobs, JobKind::CancelStoreOrder).len(), 1);
}

#[tokio::test]
async fn a_lost_answer_or_a_busy_store_is_retried_and_the_store_cancels_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = ids_in(&engine, OrderStatus::Imported).await[0];
    let store = Arc::new(CancelStore::default());
    {
        let mut book = store.0.lock().unwrap();
        book.fail_next = vec![
            ChannelError::RateLimited {
                retry_after: Duration::from_millis(1),
            },
            ChannelError::Server {
                status: 503,
                detail: "busy".into(),
            },
        ];
        book.lose_next_answer = true;
    }
    engine
        .cancel_order(id, "ordered twice by mistake", Actor::Dealer)
        .await
        .unwrap();
    let detail = engine.store().order_detail(id).await.unwrap();
    // US Direct never had it: only the store is told.
    assert_eq!(jobs_of(&detail.jobs, JobKind::CancelSupplierOrder).len(), 0);
    assert!(run_all(&engine, &supplier, &store).await, "the job ends");
    let (writes, looks) = {
        let book = store.0.lock().unwrap();
        (book.writes.clone(), book.looks)
    };
    assert_eq!(writes.get(&detail.channel_order_id), Some(&1));
    assert!(looks >= 2, "looked again after the lost answer");
    let job = engine.store().list_jobs(Some(id), 10).await.unwrap()[0].clone();
    assert_eq!(job.kind, JobKind::CancelStoreOrder);
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(job.attempts, 4);
}

#[tokio::test]
async fn cancel_is_refused_once_anything_has_shipped() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = processing_order(&engine, &supplier).await;
    let order = engine.store().order_detail(id).await.unwrap();
    let line = &order.lines[0];
    supplier.state().changes = vec![crate::shipments::change(
        &order,
        vec![("1Z999AA10123456784", vec![(&line.sku, 1)])],
    )];
    engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap();
    let shipped = engine.store().order_detail(id).await.unwrap();
    assert!(matches!(
        shipped.status,
        OrderStatus::PartiallyShipped | OrderStatus::Shipped
    ));
    let why = shipped.cancel_blocked.clone().expect("Cancel order is off");
    assert!(why.contains("return"), "{why}");

    let refused = engine
        .cancel_order(id, "the customer changed their mind", Actor::Dealer)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("has shipped"), "{refused}");
    assert!(refused.contains("return"), "says what to do: {refused}");
    let after = engine.store().order_detail(id).await.unwrap();
    assert_eq!(after.status, shipped.status, "nothing changed");
    assert!(jobs_of(&after.jobs, JobKind::CancelStoreOrder).is_empty());
    assert!(jobs_of(&after.jobs, JobKind::CancelSupplierOrder).is_empty());
}

#[tokio::test]
async fn a_store_that_cancelled_already_is_not_written_to_and_one_that_shipped_stops_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 3).await;
    let supplier = FakeSupplier::default();
    let ids = ids_in(&engine, OrderStatus::Imported).await;
    let (already, shipped, odd) = (ids[0], ids[1], ids[2]);
    let store = Arc::new(CancelStore::default());
    let channel_id = |id: i64| {
        let engine = &engine;
        async move {
            engine
                .store()
                .order_detail(id)
                .await
                .unwrap()
                .channel_order_id
        }
    };
    {
        let (a, s) = (channel_id(already).await, channel_id(shipped).await);
        let mut book = store.0.lock().unwrap();
        book.cancelled.push(a);
        book.shipped.push(s);
    }
    for id in [already, shipped] {
        engine
            .cancel_order(id, "out of stock", Actor::Dealer)
            .await
            .unwrap();
    }
    assert!(run_all(&engine, &supplier, &store).await);
    assert!(
        store.0.lock().unwrap().writes.is_empty(),
        "nothing written to the store"
    );

    let done = engine.store().order_detail(already).await.unwrap();
    let job = jobs_of(&done.jobs, JobKind::CancelStoreOrder)[0].clone();
    assert_eq!(job.state, JobState::Succeeded);
    assert!(done
        .events
        .iter()
        .any(|event| event.detail.contains("had already cancelled")));

    let stopped = engine.store().order_detail(shipped).await.unwrap();
    let job = jobs_of(&stopped.jobs, JobKind::CancelStoreOrder)[0].clone();
    assert_eq!(job.state, JobState::Failed);
    let error = job.last_error.unwrap();
    assert!(error.contains("fulfilled"), "{error}");
    assert!(error.contains("Handle it in the store"), "{error}");
    assert_eq!(stopped.status, OrderStatus::Cancelled);

    // A store that answers with something unreadable: the job says so and waits, nothing is
    // cancelled twice.
    store.0.lock().unwrap().fail_next = vec![ChannelError::Protocol {
        detail: "orderCancel is not in the shape Shopify documents".into(),
    }];
    engine
        .cancel_order(odd, "duplicate", Actor::Dealer)
        .await
        .unwrap();
    engine
        .run_outbox(
            &supplier.everywhere(),
            &ConnectCancel(store.clone()),
            &WorkerId::for_this_process(),
        )
        .await
        .unwrap();
    let waiting = engine.store().order_detail(odd).await.unwrap();
    let job = jobs_of(&waiting.jobs, JobKind::CancelStoreOrder)[0].clone();
    assert_eq!(job.state, JobState::Pending);
    let error = job.last_error.unwrap();
    assert!(
        error.contains("the store did not take the cancellation") && error.contains("shape"),
        "{error}"
    );
}

#[tokio::test]
async fn a_reason_is_required_and_kept_to_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let id = ids_in(&engine, OrderStatus::Imported).await[0];
    for bad in ["", "   ", "two\nlines"] {
        let error = engine
            .cancel_order(id, bad, Actor::Dealer)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("reason"), "{error}");
    }
    let long = "x".repeat(dealer_core::fulfillment::MAX_CANCEL_REASON + 1);
    assert!(engine.cancel_order(id, &long, Actor::Dealer).await.is_err());
    assert_eq!(
        engine.store().order_detail(id).await.unwrap().status,
        OrderStatus::Imported
    );
}
