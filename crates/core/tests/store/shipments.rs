//! Shipments from US Direct into the store and their tracking out to the sales channel, with
//! in-memory stand-ins for both (the sandbox servers over HTTP prove the same end to end).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::Utc;
use dealer_core::channel::{
    ChannelError, ConnectionCheck, FulfillmentRequest, ListRequest, Page, PushedFulfillment,
    SalesChannel,
};
use dealer_core::domain::{Actor, ChannelKind};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, WorkerId};
use dealer_core::store::{AttentionKind, Channel};
use dealer_core::supplier::{
    Invoice, PaymentStatus, SupplierLine, SupplierOrder, SupplierOrderStatus, SupplierShipment,
};
use dealer_core::sync::Connect;
use dealer_core::Engine;

use crate::fulfillment::{engine_with_orders, ids_in, FakeSupplier};

/// A store that records fulfillments; it can lose the answer to the next push (after
/// recording it), as a dropped connection does.
#[derive(Default)]
pub struct FakeStore {
    fulfillments: Mutex<HashMap<String, Vec<String>>>,
    lose_next_answer: Mutex<bool>,
}

#[async_trait]
impl SalesChannel for FakeStore {
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

    async fn push_fulfillment(
        &self,
        request: &FulfillmentRequest,
    ) -> Result<PushedFulfillment, ChannelError> {
        let mut all = self.fulfillments.lock().unwrap();
        let numbers = all.entry(request.channel_order_id.clone()).or_default();
        if numbers.contains(&request.tracking_number) {
            return Ok(PushedFulfillment {
                id: request.tracking_number.clone(),
                already_there: true,
            });
        }
        numbers.push(request.tracking_number.clone());
        let mut lose = self.lose_next_answer.lock().unwrap();
        if *lose {
            *lose = false;
            return Err(ChannelError::Unreachable {
                detail: "connection dropped".into(),
            });
        }
        Ok(PushedFulfillment {
            id: request.tracking_number.clone(),
            already_there: false,
        })
    }
}

pub struct ConnectFake(pub Arc<FakeStore>);

impl Connect for ConnectFake {
    fn client(&self, _: &Channel) -> dealer_core::Result<Arc<dyn SalesChannel>> {
        Ok(self.0.clone())
    }
}

async fn processing_order(engine: &Engine, supplier: &FakeSupplier) -> i64 {
    let worker = WorkerId::for_this_process();
    engine.route_imported().await.unwrap();
    engine
        .run_outbox(
            &supplier.everywhere(),
            &crate::fulfillment::NoStores,
            &worker,
        )
        .await
        .unwrap();
    let id = ids_in(engine, OrderStatus::AwaitingAuthorization).await[0];
    engine.authorize(&[id], Actor::Dealer).await.unwrap();
    engine
        .run_outbox(
            &supplier.everywhere(),
            &crate::fulfillment::NoStores,
            &worker,
        )
        .await
        .unwrap();
    id
}

pub fn change(
    engine_order: &dealer_core::store::OrderDetail,
    shipments: Vec<(&str, Vec<(&str, u32)>)>,
) -> SupplierOrder {
    let invoice = engine_order.supplier.clone().unwrap();
    SupplierOrder {
        id: invoice.order_id.clone(),
        order_number: engine_order.number.clone(),
        status: SupplierOrderStatus::Shipped,
        hold_reason: None,
        invoice: Invoice {
            id: invoice.invoice_id.clone().unwrap(),
            currency: "USD".into(),
            product_cost_minor: invoice.product_cost_minor,
            shipping_cost_minor: invoice.shipping_cost_minor,
            total_cost_minor: invoice.total_cost_minor,
            payment_status: PaymentStatus::Paid,
        },
        shipments: shipments
            .into_iter()
            .enumerate()
            .map(|(i, (number, lines))| SupplierShipment {
                id: format!("SHP-{i}"),
                tracking_number: number.into(),
                carrier: "UPS".into(),
                method: "Ground".into(),
                tracking_url: String::new(),
                shipped_at: Utc::now(),
                lines: lines
                    .into_iter()
                    .map(|(sku, quantity)| SupplierLine {
                        sku: sku.into(),
                        quantity,
                    })
                    .collect(),
            })
            .collect(),
        updated_at: Utc::now(),
    }
}

#[tokio::test]
async fn partial_then_full_shipment_is_pushed_once_per_tracking_number_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = processing_order(&engine, &supplier).await;
    let order = engine.store().order_detail(id).await.unwrap();
    assert_eq!(order.status, OrderStatus::Processing);
    let store = Arc::new(FakeStore::default());
    let connect = ConnectFake(store.clone());
    let worker = WorkerId::for_this_process();
    let run = || async {
        engine
            .run_outbox_until(
                &supplier.everywhere(),
                &connect,
                &worker,
                None,
                Instant::now() + Duration::from_secs(30),
            )
            .await
            .unwrap()
    };

    // One line first (a quantity of 1), when the order has more to ship.
    let first_line = &order.lines[0];
    let all_units: u32 = order.lines.iter().map(|l| l.quantity).sum();
    supplier.state().changes = vec![change(
        &order,
        vec![("1Z999AA10123456784", vec![(&first_line.sku, 1)])],
    )];
    let report = engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap();
    assert_eq!(report.shipments.len(), 1);
    let expect_partial = all_units > 1;
    let status = engine.store().order_detail(id).await.unwrap().status;
    assert_eq!(
        status,
        if expect_partial {
            OrderStatus::PartiallyShipped
        } else {
            OrderStatus::Shipped
        }
    );
    // The tracking is known from the first shipment on (the Dashboard's "placed to tracking").
    let first_tracking = moments(&engine, id).await;
    assert!(
        first_tracking.0.is_some(),
        "tracking_at set with the shipment"
    );
    assert_eq!(first_tracking.0, first_shipment_at(&engine, id).await);
    assert_eq!(first_tracking.1, None, "not completed yet");
    // The answer to the first push is lost after the store recorded it: the retry looks first.
    *store.lose_next_answer.lock().unwrap() = true;
    run().await;
    // The same change delivered again (at least once) adds nothing.
    assert!(engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap()
        .shipments
        .is_empty());

    // Then the rest.
    let mut rest: Vec<(&str, u32)> = Vec::new();
    for (i, line) in order.lines.iter().enumerate() {
        let left = if i == 0 {
            line.quantity - 1
        } else {
            line.quantity
        };
        if left > 0 {
            rest.push((&line.sku, left));
        }
    }
    let mut shipments = vec![("1Z999AA10123456784", vec![(first_line.sku.as_str(), 1)])];
    if !rest.is_empty() {
        shipments.push(("1Z12345E0205271686", rest));
    }
    supplier.state().changes = vec![change(&order, shipments)];
    engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap();
    run().await;

    let done = engine.store().order_detail(id).await.unwrap();
    assert_eq!(done.status, OrderStatus::Completed, "{:#?}", done.events);
    // The second shipment leaves the first tracking moment; completed is when the order became
    // completed, as its event says.
    let (tracking_at, completed_at) = moments(&engine, id).await;
    assert_eq!(tracking_at, first_tracking.0);
    let completed_event: String = sqlx::query_scalar(
        "SELECT at FROM order_events WHERE order_id = ? AND to_status = 'completed'",
    )
    .bind(id)
    .fetch_one(engine.store().pool())
    .await
    .unwrap();
    assert_eq!(completed_at, Some(completed_event));
    assert!(done.shipments.iter().all(|s| s.pushed_at.is_some()));
    let pushed = store.fulfillments.lock().unwrap().clone();
    let numbers = &pushed[&done.channel_order_id];
    let mut unique = numbers.clone();
    unique.dedup();
    assert_eq!(
        numbers.len(),
        unique.len(),
        "one fulfillment per tracking number"
    );
    assert_eq!(numbers.len(), done.shipments.len());
    let pushes = done
        .jobs
        .iter()
        .filter(|j| j.kind == JobKind::PushTracking)
        .count();
    assert_eq!(pushes, done.shipments.len());
    let announced = engine.take_unannounced_shipments().await.unwrap();
    assert_eq!(announced.len(), done.shipments.len());
    assert!(engine
        .take_unannounced_shipments()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_invalid_tracking_number_needs_the_dealer_and_is_not_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = processing_order(&engine, &supplier).await;
    let order = engine.store().order_detail(id).await.unwrap();
    let lines: Vec<(&str, u32)> = order
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    // One digit off: the UPS check digit fails.
    supplier.state().changes = vec![change(&order, vec![("1Z999AA10123456785", lines)])];
    let report = engine
        .supplier_sync(dealer_core::domain::Environment::Sandbox, &supplier)
        .await
        .unwrap();
    assert!(!report.shipments[0].tracking_valid);
    let held = engine.store().order_detail(id).await.unwrap();
    assert_eq!(held.status, OrderStatus::NeedsAttention);
    let attention = held.attention.unwrap();
    assert_eq!(attention.kind, AttentionKind::Refused);
    assert!(
        attention.reason.contains("not valid"),
        "{}",
        attention.reason
    );
    assert!(held.jobs.iter().all(|j| j.kind != JobKind::PushTracking));
}

#[tokio::test]
async fn a_change_log_that_panics_or_repeats_its_cursor_ends_the_pass_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let sandbox = dealer_core::domain::Environment::Sandbox;

    supplier.state().panic_on_changes = true;
    let error = engine
        .supplier_sync(sandbox, &supplier)
        .await
        .expect_err("the pass ends with an error, not a panic")
        .to_string();
    assert!(error.contains("internal error"), "{error}");

    supplier.state().panic_on_changes = false;
    supplier.state().changes_repeat_cursor = true;
    let error = engine
        .supplier_sync(sandbox, &supplier)
        .await
        .expect_err("a repeated cursor stops the pass")
        .to_string();
    assert!(error.contains("cursor it was given"), "{error}");

    supplier.state().changes_repeat_cursor = false;
    engine.supplier_sync(sandbox, &supplier).await.unwrap();
}

#[tokio::test]
async fn a_new_total_in_us_directs_change_log_is_a_surcharge_on_the_statement_and_paid_keeps_its_time(
) {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with_orders(dir.path(), 1).await;
    let supplier = FakeSupplier::default();
    let id = processing_order(&engine, &supplier).await;
    let order = engine.store().order_detail(id).await.unwrap();
    let quoted = order.supplier.clone().unwrap().total_cost_minor;
    // US Direct re-rated the parcel: 4.00 more than the invoice it sent, and the payment taken.
    let mut rerated = change(&order, Vec::new());
    rerated.status = SupplierOrderStatus::Processing;
    rerated.invoice.total_cost_minor = quoted + 400;
    let paid_at = Utc::now() - chrono::Duration::minutes(5);
    rerated.updated_at = paid_at;
    supplier.state().changes = vec![rerated.clone()];
    let sandbox = dealer_core::domain::Environment::Sandbox;
    engine.supplier_sync(sandbox, &supplier).await.unwrap();
    // The same change again (a replayed page, a later change of the same order): nothing twice.
    rerated.updated_at = Utc::now();
    supplier.state().changes = vec![rerated];
    engine.supplier_sync(sandbox, &supplier).await.unwrap();

    let now = Utc::now();
    let period = dealer_core::export::Period::month(
        chrono::Datelike::year(&now),
        chrono::Datelike::month(&now),
    )
    .unwrap();
    let statement = engine.statement(period).await.unwrap();
    let invoice = statement
        .invoices
        .iter()
        .find(|invoice| invoice.order_id == id)
        .unwrap();
    assert_eq!(invoice.status, PaymentStatus::Paid);
    assert_eq!(invoice.total_minor, quoted, "the invoice as quoted");
    assert_eq!(invoice.adjustments.len(), 1, "{invoice:?}");
    assert_eq!(
        invoice.adjustments[0].kind,
        dealer_core::statement::AdjustmentKind::ShippingSurcharge
    );
    assert_eq!(invoice.adjustments[0].amount_minor, 400);
    assert_eq!(
        invoice.paid_at.map(|at| at.timestamp()),
        Some(paid_at.timestamp()),
        "paid when first seen paid"
    );
    let detail = engine.store().order_detail(id).await.unwrap();
    assert_eq!(detail.supplier.unwrap().total_cost_minor, quoted + 400);
    let notes: Vec<&str> = detail
        .events
        .iter()
        .map(|event| event.detail.as_str())
        .filter(|detail| detail.starts_with("US Direct now charges"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("(was "), "{}", notes[0]);
}

/// The order's `tracking_at` and `completed_at`, as stored.
async fn moments(engine: &Engine, id: i64) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT tracking_at, completed_at FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(engine.store().pool())
        .await
        .unwrap()
}

async fn first_shipment_at(engine: &Engine, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT min(created_at) FROM shipments WHERE order_id = ?")
        .bind(id)
        .fetch_one(engine.store().pool())
        .await
        .unwrap()
}
