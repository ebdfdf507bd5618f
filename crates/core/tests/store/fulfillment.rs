//! Routing, authorization and the outbox worker through the engine, on a real encrypted store.
//! The supplier here is an in-memory stand-in that keeps the contract's idempotency rules, so
//! these tests pin the engine's side; the sandbox supplier over HTTP is exercised in the
//! connectors' and the CLI's tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Utc;
use dealer_core::domain::{Actor, Environment, LineDestination};
use dealer_core::fulfillment::{AuthorizeResult, AutoAuthorize, ShipToInput};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState, WorkerId};
use dealer_core::store::{AttentionKind, ListOrders};
use dealer_core::supplier::{
    Authorization, ChangesPage, CreatedOrder, Invoice, PaymentStatus, Supplier, SupplierError,
    SupplierItem, SupplierOrder, SupplierOrderRequest, SupplierOrderStatus, Suppliers,
};
use dealer_core::Engine;

use crate::{open_with_passphrase, PASSPHRASE};

#[derive(Default)]
pub struct State {
    /// Idempotency key → the order it created.
    created: HashMap<String, CreatedOrder>,
    /// Order number → how many orders were made for it.
    made: HashMap<String, u32>,
    /// Invoice → authorizations that took effect.
    authorized: HashMap<String, u32>,
    /// Idempotency key → its recorded answer.
    auth_keys: HashMap<String, Authorization>,
    pub decline: Option<String>,
    /// Calls to fail with a transient error before answering.
    pub flaky: u32,
    calls: u32,
    /// What `list_changes` answers (whole order states), every time.
    pub changes: Vec<SupplierOrder>,
    /// The order number whose creation panics inside the client (a bug met on odd data).
    panic_for: Option<String>,
    /// `list_changes` panics.
    pub panic_on_changes: bool,
    /// Entries of the change log the client could not read.
    pub unreadable: Vec<dealer_core::supplier::UnreadableChange>,
    /// `list_changes` always says there is more, and hands back the cursor it was given.
    pub changes_repeat_cursor: bool,
    /// US Direct order id → cancellations that took effect.
    pub cancelled: HashMap<String, u32>,
    /// US Direct order ids it has shipped.
    pub shipped: Vec<String>,
}

#[derive(Default, Clone)]
pub struct FakeSupplier(Arc<Mutex<State>>);

impl FakeSupplier {
    /// This supplier for sandbox and live orders alike (tests of one environment's orders).
    pub fn everywhere(&self) -> Suppliers {
        Suppliers::default()
            .with(Environment::Sandbox, Arc::new(self.clone()))
            .with(Environment::Live, Arc::new(self.clone()))
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap()
    }

    fn flake(&self) -> Result<(), SupplierError> {
        let mut state = self.state();
        state.calls += 1;
        if state.flaky > 0 {
            state.flaky -= 1;
            return Err(SupplierError::Unavailable {
                detail: "HTTP 503".into(),
                retry_after: Some(std::time::Duration::from_millis(1)),
            });
        }
        Ok(())
    }
}

#[async_trait]
impl Supplier for FakeSupplier {
    async fn create_order(
        &self,
        key: &str,
        request: &SupplierOrderRequest,
    ) -> Result<CreatedOrder, SupplierError> {
        self.flake()?;
        let panics = self.state().panic_for.as_ref() == Some(&request.order_number);
        assert!(!panics, "a bug met on order {}", request.order_number);
        let mut state = self.state();
        if let Some(done) = state.created.get(key) {
            return Ok(done.clone());
        }
        if request.lines.iter().any(|line| line.sku == "USD-9999") {
            return Err(SupplierError::Refused {
                code: "unknown_sku".into(),
                message: "SKU USD-9999 is not in the catalog.".into(),
                field: Some("items[0].sku".into()),
            });
        }
        let n = state.created.len() + 1;
        let units: i64 = request.lines.iter().map(|l| i64::from(l.quantity)).sum();
        let created = CreatedOrder {
            id: format!("USD-ORD-{n}"),
            order_number: request.order_number.clone(),
            invoice: Invoice {
                id: format!("INV-{n}"),
                currency: "USD".into(),
                product_cost_minor: 1000 * units,
                shipping_cost_minor: 595,
                total_cost_minor: 1000 * units + 595,
                payment_status: PaymentStatus::NotAuthorized,
            },
            created_at: Utc::now(),
        };
        state.created.insert(key.to_string(), created.clone());
        *state.made.entry(request.order_number.clone()).or_default() += 1;
        Ok(created)
    }

    async fn authorize_payment(
        &self,
        key: &str,
        invoice_id: &str,
    ) -> Result<Authorization, SupplierError> {
        self.flake()?;
        let mut state = self.state();
        if let Some(answer) = state.auth_keys.get(key) {
            return Ok(answer.clone());
        }
        let answer = match state.decline.clone() {
            Some(reason) => Authorization::Declined {
                reason,
                at: Utc::now(),
            },
            None => {
                if state.authorized.get(invoice_id).copied().unwrap_or(0) > 0 {
                    return Err(SupplierError::Conflict {
                        code: "already_authorized".into(),
                        message: format!("Invoice {invoice_id} is already Authorized."),
                    });
                }
                *state.authorized.entry(invoice_id.to_string()).or_default() += 1;
                Authorization::Authorized { at: Utc::now() }
            }
        };
        state.auth_keys.insert(key.to_string(), answer.clone());
        Ok(answer)
    }

    async fn list_changes(&self, _: Option<&str>, _: u32) -> Result<ChangesPage, SupplierError> {
        assert!(
            !self.state().panic_on_changes,
            "a bug met in the change log"
        );
        let state = self.state();
        Ok(ChangesPage {
            changes: state.changes.clone(),
            unreadable: state.unreadable.clone(),
            next_cursor: "c1".into(),
            has_more: state.changes_repeat_cursor,
        })
    }

    async fn get_order(&self, id: &str) -> Result<SupplierOrder, SupplierError> {
        self.flake()?;
        let state = self.state();
        let created = state
            .created
            .values()
            .find(|created| created.id == id)
            .ok_or_else(|| SupplierError::NotFound { what: id.into() })?;
        let status = if state.cancelled.contains_key(id) {
            SupplierOrderStatus::Canceled
        } else if state.shipped.iter().any(|shipped| shipped == id) {
            SupplierOrderStatus::Shipped
        } else {
            SupplierOrderStatus::Processing
        };
        Ok(SupplierOrder {
            id: created.id.clone(),
            order_number: created.order_number.clone(),
            status,
            hold_reason: None,
            invoice: created.invoice.clone(),
            shipments: Vec::new(),
            updated_at: Utc::now(),
        })
    }

    async fn cancel_order(
        &self,
        _: &str,
        id: &str,
        _: &str,
    ) -> Result<SupplierOrder, SupplierError> {
        let known = self
            .state()
            .created
            .values()
            .any(|created| created.id == id);
        if !known {
            return Err(SupplierError::NotFound { what: id.into() });
        }
        *self.state().cancelled.entry(id.to_string()).or_default() += 1;
        self.get_order(id).await
    }

    async fn get_item(&self, _: &str) -> Result<Option<SupplierItem>, SupplierError> {
        Ok(None)
    }
}

/// No store is reached in these tests (no shipments): a push would be a bug.
pub struct NoStores;

impl dealer_core::sync::Connect for NoStores {
    fn client(
        &self,
        channel: &dealer_core::store::Channel,
    ) -> dealer_core::Result<Arc<dyn dealer_core::channel::SalesChannel>> {
        panic!("no store calls expected here, got one for {}", channel.name)
    }
}

/// A store with `count` seeded orders, their SKUs mapped as themselves.
pub async fn engine_with_orders(dir: &std::path::Path, count: usize) -> Engine {
    let engine = open_with_passphrase(dir, PASSPHRASE).await.unwrap();
    engine.store().seed_orders(count, 7).await.unwrap();
    let skus: Vec<String> = (1001..=1008).map(|n| format!("USD-{n}")).collect();
    let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
    engine.store().map_skus_to_themselves(&skus).await.unwrap();
    engine
}

pub async fn ids_in(engine: &Engine, status: OrderStatus) -> Vec<i64> {
    engine
        .store()
        .list_orders(&ListOrders {
            status: Some(status),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|order| order.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn routed_orders_reach_authorization_once_and_authorize_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 5).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();

    assert_eq!(engine.route_imported().await.unwrap(), 5);
    // Routing again queues nothing new while the jobs wait.
    assert_eq!(engine.route_imported().await.unwrap(), 0);
    supplier.state().flaky = 3;
    let done = engine
        .run_outbox_until(
            &supplier.everywhere(),
            &NoStores,
            &worker,
            None,
            std::time::Instant::now() + std::time::Duration::from_secs(60),
        )
        .await
        .unwrap();
    assert!(done);
    let waiting = ids_in(&engine, OrderStatus::AwaitingAuthorization).await;
    assert_eq!(waiting.len(), 5);
    assert!(supplier.state().made.values().all(|n| *n == 1));

    // Ten concurrent clicks on one order, and a bulk authorize of all: one job per order.
    let first = waiting[0];
    let engine = Arc::new(engine);
    let mut clicks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let engine = engine.clone();
        clicks.spawn(async move { engine.authorize(&[first], Actor::Dealer).await });
    }
    let mut queued = 0;
    while let Some(outcome) = clicks.join_next().await {
        if outcome.unwrap().unwrap()[0].result == AuthorizeResult::Queued {
            queued += 1;
        }
    }
    assert_eq!(queued, 1, "one click authorizes; the others see it done");
    let bulk = engine.authorize(&waiting, Actor::Dealer).await.unwrap();
    assert_eq!(
        bulk.iter()
            .filter(|o| o.result == AuthorizeResult::AlreadyAuthorized)
            .count(),
        1
    );
    engine
        .run_outbox_until(
            &supplier.everywhere(),
            &NoStores,
            &worker,
            None,
            std::time::Instant::now() + std::time::Duration::from_secs(60),
        )
        .await
        .unwrap();
    assert_eq!(ids_in(&engine, OrderStatus::Processing).await.len(), 5);
    assert!(supplier.state().authorized.values().all(|n| *n == 1));
    assert_eq!(supplier.state().authorized.len(), 5);

    let detail = engine.store().order_detail(first).await.unwrap();
    let invoice = detail.supplier.unwrap();
    assert_eq!(invoice.payment_status, Some(PaymentStatus::Authorized));
    assert_eq!(
        detail.margin_minor,
        Some(detail.subtotal_minor + detail.shipping_minor - invoice.total_cost_minor)
    );
    let path: Vec<_> = detail.events.iter().map(|e| e.to).collect();
    assert_eq!(
        path.iter()
            .filter(|s| **s != OrderStatus::Imported)
            .collect::<Vec<_>>(),
        [
            &OrderStatus::AwaitingAuthorization,
            &OrderStatus::Authorized,
            &OrderStatus::Processing
        ]
    );
    let jobs = engine.store().list_jobs(Some(first), 10).await.unwrap();
    assert_eq!(jobs.len(), 2);
    assert!(jobs.iter().all(|job| job.state == JobState::Succeeded));
}

#[tokio::test]
async fn failed_rules_need_the_dealer_and_resolve_routes_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 2).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    let ids = ids_in(&engine, OrderStatus::Imported).await;
    let (po_box, unmapped) = (ids[0], ids[1]);

    let detail = engine.store().order_detail(po_box).await.unwrap();
    let mut ship_to = ShipToInput {
        name: detail.ship_to.name.clone(),
        line1: "P.O. Box 1234".into(),
        line2: None,
        city: "Anchorage".into(),
        state_code: "AK".into(),
        postal_code: "99501".into(),
        country_code: "US".into(),
        phone: detail.ship_to.phone.clone(),
    };
    engine.edit_ship_to(po_box, ship_to.clone()).await.unwrap();
    // Every SKU of the second order unmapped (the first order's lines are its own).
    let skus: Vec<String> = engine
        .store()
        .order_detail(unmapped)
        .await
        .unwrap()
        .lines
        .into_iter()
        .map(|line| line.sku)
        .collect();
    let first_skus: Vec<String> = engine
        .store()
        .order_detail(po_box)
        .await
        .unwrap()
        .lines
        .into_iter()
        .map(|line| line.sku)
        .collect();
    let skus: Vec<String> = skus
        .into_iter()
        .filter(|sku| !first_skus.contains(sku))
        .collect();
    assert!(!skus.is_empty(), "the seeded orders share every SKU");
    let sku = skus[0].clone();
    for sku in &skus {
        engine.store().remove_sku_mapping(sku).await.unwrap();
    }

    engine.route_imported().await.unwrap();
    let held = engine.store().order_detail(po_box).await.unwrap();
    assert_eq!(held.status, OrderStatus::NeedsAttention);
    let attention = held.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::Routing);
    assert!(
        attention.reason.contains("PO boxes"),
        "{}",
        attention.reason
    );
    assert!(
        attention.reason.contains("lower 48"),
        "{}",
        attention.reason
    );
    assert_eq!(attention.problems.len(), 2);
    // An order whose lines are all unmapped is not for US Direct: never held, never sent.
    let waiting_on_sku = engine.store().order_detail(unmapped).await.unwrap();
    assert_eq!(waiting_on_sku.status, OrderStatus::NotForUsDirect);
    assert!(waiting_on_sku
        .lines
        .iter()
        .all(|line| line.destination == LineDestination::OtherSupplier));
    assert_eq!(waiting_on_sku.attention, None);
    let mut waiting = engine.store().unmapped_skus().await.unwrap();
    waiting.sort();
    let mut expected = skus.clone();
    expected.sort();
    assert_eq!(waiting, expected);
    assert_eq!(
        engine.store().list_jobs(None, 10).await.unwrap().len(),
        0,
        "nothing went to US Direct"
    );

    // Resolve: a street address in Texas; the SKU mapped.
    ship_to.line1 = "500 Congress Ave".into();
    ship_to.city = "Austin".into();
    ship_to.state_code = "tx".into();
    ship_to.postal_code = "78701".into();
    let resolved = engine.edit_ship_to(po_box, ship_to).await.unwrap();
    assert_eq!(resolved.status, OrderStatus::Imported);
    assert_eq!(resolved.ship_to.state_code, "TX");
    engine.store().set_sku_mapping(&sku, &sku).await.unwrap();
    assert_eq!(
        engine
            .sku_mappings_changed(std::slice::from_ref(&sku))
            .await
            .unwrap(),
        1
    );
    let routed = engine.store().order_detail(unmapped).await.unwrap();
    assert_eq!(
        routed.status,
        OrderStatus::Imported,
        "on its way to US Direct"
    );
    engine
        .run_outbox_until(
            &supplier.everywhere(),
            &NoStores,
            &worker,
            None,
            std::time::Instant::now() + std::time::Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(
        ids_in(&engine, OrderStatus::AwaitingAuthorization)
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_decline_needs_the_dealer_who_authorizes_again_with_a_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let id = ids_in(&engine, OrderStatus::AwaitingAuthorization).await[0];

    supplier.state().decline = Some("Card on file expired".into());
    engine.authorize(&[id], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let declined = engine.store().order_detail(id).await.unwrap();
    assert_eq!(declined.status, OrderStatus::NeedsAttention);
    let attention = declined.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::Declined);
    assert!(attention.reason.contains("Card on file expired"));
    assert!(declined.can_authorize);

    supplier.state().decline = None;
    let again = engine.authorize(&[id], Actor::Dealer).await.unwrap();
    assert_eq!(again[0].result, AuthorizeResult::Queued);
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let done = engine.store().order_detail(id).await.unwrap();
    assert_eq!(done.status, OrderStatus::Processing);
    let keys: Vec<_> = done
        .jobs
        .iter()
        .filter(|job| job.kind == JobKind::AuthorizePayment)
        .map(|job| job.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn auto_authorize_applies_its_limits_and_says_which_one_held_an_order() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 6).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    // Invoices here cost 10.00 per unit + 5.95 shipping.
    let err = engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: Some(0),
            daily_cap_minor: None,
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than"), "{err}");
    engine
        .set_auto_authorize(AutoAuthorize {
            enabled: true,
            max_total_minor: Some(2_600),
            daily_cap_minor: Some(4_000),
        })
        .await
        .unwrap();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox_until(
            &supplier.everywhere(),
            &NoStores,
            &worker,
            None,
            std::time::Instant::now() + std::time::Duration::from_secs(30),
        )
        .await
        .unwrap();
    let status = engine.auto_authorize_status().await.unwrap();
    assert!(status.spent_today_minor <= 4_000);
    assert!(
        status.spent_today_minor > 0,
        "something was auto authorized"
    );
    let waiting = ids_in(&engine, OrderStatus::AwaitingAuthorization).await;
    assert!(!waiting.is_empty());
    for id in waiting {
        let detail = engine.store().order_detail(id).await.unwrap();
        let note = detail
            .events
            .iter()
            .rev()
            .find(|e| e.actor == Actor::AutoRule)
            .expect("a note says which limit");
        assert!(
            note.detail.contains("maximum order total") || note.detail.contains("cap"),
            "{}",
            note.detail
        );
    }
    let auto: Vec<_> = ids_in(&engine, OrderStatus::Processing).await;
    for id in auto {
        let detail = engine.store().order_detail(id).await.unwrap();
        assert_eq!(detail.authorized_by, Some(Actor::AutoRule));
        assert!(detail.supplier.unwrap().total_cost_minor <= 2_600);
    }
}

#[tokio::test]
async fn a_job_left_running_by_a_dead_worker_runs_again_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    engine.route_imported().await.unwrap();
    // A worker claims the job and dies before writing the answer (after the supplier acted).
    let dead = WorkerId::for_this_process();
    let job = engine
        .store()
        .claim_job(&dead, dealer_core::outbox::Reach::ALL)
        .await
        .unwrap()
        .unwrap();
    let payload: serde_json::Value = serde_json::from_str(&job.payload).unwrap();
    let request: SupplierOrderRequest = serde_json::from_value(payload["request"].clone()).unwrap();
    supplier
        .create_order(&job.idempotency_key, &request)
        .await
        .unwrap();
    sqlx::query("UPDATE outbox_jobs SET claimed_by = 'pid:99999999:0' WHERE id = ?")
        .bind(job.id)
        .execute(engine.store().pool())
        .await
        .unwrap();

    let next = WorkerId::for_this_process();
    let report = engine
        .run_outbox(&supplier.everywhere(), &NoStores, &next)
        .await
        .unwrap();
    assert_eq!(report.succeeded, 1);
    assert_eq!(
        supplier.state().made.values().sum::<u32>(),
        1,
        "created once"
    );
    let jobs = engine.store().list_jobs(None, 10).await.unwrap();
    assert_eq!(jobs[0].attempts, 2);
    assert_eq!(
        ids_in(&engine, OrderStatus::AwaitingAuthorization)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn refusals_need_the_dealer_and_jobs_can_be_retried_or_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 2).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    let ids = ids_in(&engine, OrderStatus::Imported).await;
    // US Direct does not know what this SKU maps to.
    let sku = engine.store().order_detail(ids[0]).await.unwrap().lines[0]
        .sku
        .clone();
    engine
        .store()
        .set_sku_mapping(&sku, "USD-9999")
        .await
        .unwrap();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let refused = engine.store().order_detail(ids[0]).await.unwrap();
    assert_eq!(refused.status, OrderStatus::NeedsAttention);
    assert_eq!(
        refused.attention.as_ref().unwrap().kind,
        AttentionKind::Refused
    );
    assert!(refused
        .attention
        .unwrap()
        .reason
        .contains("not in the catalog"));
    let failed = refused.jobs[0].clone();
    assert_eq!(failed.state, JobState::Failed);

    // Fixed mapping, then Retry on the failed job: routed again, as a new try with its own key.
    engine.store().set_sku_mapping(&sku, &sku).await.unwrap();
    let retried = engine.retry_job(failed.id).await.unwrap();
    assert_eq!(retried.state, JobState::Pending);
    assert_ne!(retried.idempotency_key, failed.idempotency_key);
    assert_eq!(
        engine.store().order_detail(ids[0]).await.unwrap().status,
        OrderStatus::Imported
    );

    // Cancel a pending authorization: the order needs the dealer, nothing reaches US Direct.
    engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    let other = ids[1];
    assert_eq!(
        engine.store().order_detail(other).await.unwrap().status,
        OrderStatus::AwaitingAuthorization
    );
    {
        engine.authorize(&[other], Actor::Dealer).await.unwrap();
        let job = engine.store().list_jobs(Some(other), 10).await.unwrap()[0].clone();
        let cancelled = engine.cancel_job(job.id).await.unwrap();
        assert_eq!(cancelled.state, JobState::Cancelled);
        let detail = engine.store().order_detail(other).await.unwrap();
        assert_eq!(detail.status, OrderStatus::NeedsAttention);
        assert_eq!(detail.attention.unwrap().kind, AttentionKind::Stopped);
        assert!(engine.cancel_job(job.id).await.is_err(), "cancelled once");
    }
}

#[tokio::test]
async fn a_panic_in_one_job_fails_that_job_and_its_order_and_the_worker_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 3).await;
    let supplier = FakeSupplier::default();
    let worker = WorkerId::for_this_process();
    let ids = ids_in(&engine, OrderStatus::Imported).await;
    let poisoned = engine.store().order_detail(ids[1]).await.unwrap();
    supplier.state().panic_for = Some(poisoned.number.clone());
    engine.route_imported().await.unwrap();

    let report = engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .expect("the pass ends normally");
    assert_eq!((report.succeeded, report.failed), (2, 1));

    let detail = engine.store().order_detail(poisoned.id).await.unwrap();
    assert_eq!(detail.status, OrderStatus::NeedsAttention);
    let reason = detail.attention.unwrap().reason;
    assert!(reason.contains("internal error"), "{reason}");
    assert!(reason.contains("a bug met on order"), "{reason}");
    assert_eq!(detail.jobs[0].state, JobState::Failed);
    assert!(detail.jobs[0]
        .last_error
        .as_deref()
        .is_some_and(|error| error.contains("internal error")));
    for other in [ids[0], ids[2]] {
        assert_eq!(
            engine.store().order_detail(other).await.unwrap().status,
            OrderStatus::AwaitingAuthorization
        );
    }
    // The next pass runs normally and does not send the failed job again.
    supplier.state().panic_for = None;
    let again = engine
        .run_outbox(&supplier.everywhere(), &NoStores, &worker)
        .await
        .unwrap();
    assert_eq!((again.succeeded, again.failed), (0, 0));
}

#[tokio::test]
async fn a_big_first_import_routes_in_batches_and_each_order_once_with_its_own_outcome() {
    let dir = tempfile::tempdir().unwrap();
    // More orders than one routing transaction takes.
    let engine = engine_with_orders(dir.path(), 1_203).await;
    let ids = {
        let mut ids = Vec::new();
        for offset in [0, 1000] {
            let page = engine
                .store()
                .list_orders(&ListOrders {
                    status: Some(OrderStatus::Imported),
                    limit: 1000,
                    offset,
                    ..Default::default()
                })
                .await
                .unwrap();
            ids.extend(page.into_iter().map(|order| order.id));
        }
        ids
    };
    assert_eq!(ids.len(), 1_203);
    // The seed's few heavy orders released as the dealer would; then every seventh order
    // unpaid, every eleventh to a PO box, the rest as seeded.
    sqlx::query("UPDATE orders SET weight_hold_released = 1")
        .execute(engine.store().pool())
        .await
        .unwrap();
    let unpaid: Vec<i64> = ids.iter().copied().step_by(7).collect();
    let po_box: Vec<i64> = ids
        .iter()
        .copied()
        .skip(3)
        .step_by(11)
        .filter(|id| !unpaid.contains(id))
        .collect();
    for id in &unpaid {
        sqlx::query("UPDATE orders SET store_payment = 'unpaid', store_payment_status = 'pending' WHERE id = ?")
            .bind(id)
            .execute(engine.store().pool())
            .await
            .unwrap();
    }
    for id in &po_box {
        sqlx::query("UPDATE orders SET ship_line1 = 'PO Box 12' WHERE id = ?")
            .bind(id)
            .execute(engine.store().pool())
            .await
            .unwrap();
    }

    assert_eq!(engine.route_imported().await.unwrap(), 1_203);
    assert_eq!(engine.route_imported().await.unwrap(), 0, "routed once");

    let jobs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT order_id, idempotency_key FROM outbox_jobs WHERE kind = 'create_supplier_order'",
    )
    .fetch_all(engine.store().pool())
    .await
    .unwrap();
    let passing = 1_203 - unpaid.len() - po_box.len();
    assert_eq!(jobs.len(), passing, "one supplier order per passing order");
    let store_id = engine.store_id().to_string();
    for (order_id, key) in &jobs {
        assert_eq!(key, &format!("{store_id}:create:{order_id}:1"));
        assert!(!unpaid.contains(order_id) && !po_box.contains(order_id));
    }
    for (held, kind) in [
        (&unpaid, AttentionKind::Unpaid),
        (&po_box, AttentionKind::Routing),
    ] {
        for id in held.iter().copied().step_by(9) {
            let detail = engine.store().order_detail(id).await.unwrap();
            assert_eq!(detail.status, OrderStatus::NeedsAttention, "order {id}");
            let attention = detail.attention.unwrap();
            assert_eq!(attention.kind, kind, "order {id}");
            let last = engine
                .store()
                .order_events(id)
                .await
                .unwrap()
                .pop()
                .unwrap();
            assert_eq!(
                (last.from, last.to, last.detail.as_str()),
                (
                    Some(OrderStatus::Imported),
                    OrderStatus::NeedsAttention,
                    attention.reason.as_str()
                )
            );
        }
    }
    let sent = jobs[jobs.len() / 2].0;
    let events = engine.store().order_events(sent).await.unwrap();
    assert_eq!(
        events.last().unwrap().detail,
        "US Direct's checks passed; sending the order to US Direct"
    );
    assert_eq!(events.len(), 2, "imported, then sent: nothing twice");
}
