//! One order as its page shows it: items, ship-to, totals, the supplier's invoice and the
//! margin, what needs the dealer, shipments, jobs and the whole timeline.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Store;
use crate::domain::{
    Actor, Address, Environment, LineDestination, OrderEvent, PaymentState, StorePayment,
};
use crate::lifecycle::{Attention, AttentionKind, OrderStatus};
use crate::outbox::{Job, JobKind};
use crate::problems::{business_days_between, FlagCutoffs};
use crate::store::OrderFlag;
use crate::supplier::PaymentStatus;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderLineView {
    pub sku: String,
    pub title: String,
    pub quantity: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unit_price_minor: i64,
    pub unit_weight_grams: u32,
    /// The US Direct item it maps to, if mapped.
    pub supplier_sku: Option<String>,
    /// Where it goes: decided when the order was routed (by the SKU map of now before that).
    pub destination: LineDestination,
}

/// The supplier order and its invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierInvoiceView {
    pub order_id: String,
    pub invoice_id: Option<String>,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub product_cost_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shipping_cost_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_cost_minor: i64,
    pub payment_status: Option<PaymentStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShipmentView {
    pub tracking_number: String,
    pub carrier: String,
    pub tracking_url: Option<String>,
    pub shipped_at: DateTime<Utc>,
    /// When the store confirmed it; `None` while it is being written back.
    pub pushed_at: Option<DateTime<Utc>>,
    pub lines: Vec<ShipmentLineView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShipmentLineView {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderDetail {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub channel_id: i64,
    pub channel: String,
    /// Sandbox (a rehearsal, with the sandbox US Direct) or Live, for good.
    pub environment: Environment,
    pub channel_order_id: String,
    pub number: String,
    pub status: OrderStatus,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub ship_to: Address,
    pub lines: Vec<OrderLineView>,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub subtotal_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shipping_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub tax_minor: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_minor: i64,
    pub supplier: Option<SupplierInvoiceView>,
    /// Subtotal plus shipping charged, less US Direct's invoice (tax passes through), when both
    /// are in one currency.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub margin_minor: Option<i64>,
    pub attention: Option<Attention>,
    pub weight_hold_released: bool,
    /// The dealer released a PO box hold as is (a street that only looks like one).
    pub po_box_hold_released: bool,
    /// Whether the store has been paid for the order, as it said at the last sync.
    pub store_payment: StorePayment,
    /// The dealer released the order to US Direct whatever the store's payment.
    pub payment_hold_released: bool,
    pub authorized_at: Option<DateTime<Utc>>,
    pub authorized_by: Option<Actor>,
    pub placed_at: DateTime<Utc>,
    /// Authorize Order for Payment applies now.
    pub can_authorize: bool,
    /// Why Cancel order does not apply now (shipped, or cancelled already); `None` when it does.
    pub cancel_blocked: Option<String>,
    /// Why the order is Late or Stuck, if it is: one line each, with what to do.
    pub flags: Vec<FlagNote>,
    pub shipments: Vec<ShipmentView>,
    pub jobs: Vec<Job>,
    /// The timeline, oldest first.
    pub events: Vec<OrderEvent>,
}

/// Why an order carries a flag, as its page says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlagNote {
    pub flag: OrderFlag,
    /// Since when: the authorization (Late) or the job's first failure (Stuck).
    pub since: DateTime<Utc>,
    /// The stuck job, for Retry and Cancel.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub job_id: Option<i64>,
    /// The line the page shows: what is wrong and what to do.
    pub message: String,
}

/// What a job does, as the order page names it.
fn job_doing(kind: JobKind) -> &'static str {
    match kind {
        JobKind::CreateSupplierOrder => "Sending the order to US Direct",
        JobKind::AuthorizePayment => "Authorizing the payment at US Direct",
        JobKind::CancelSupplierOrder => "Cancelling the order at US Direct",
        JobKind::PushTracking => "Sending the tracking number to the store",
        JobKind::CancelStoreOrder => "Cancelling the order in the store",
    }
}

impl Store {
    pub async fn order_detail(&self, id: i64) -> Result<OrderDetail> {
        self.order_detail_at(id, Utc::now()).await
    }

    /// The flags of order `id` at `now` (see [`FlagCutoffs`]).
    async fn flag_notes(
        &self,
        id: i64,
        status: OrderStatus,
        authorized_at: Option<DateTime<Utc>>,
        supplier_order_id: Option<&str>,
        shipped: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<FlagNote>> {
        let cutoffs: FlagCutoffs = self.flag_cutoffs(now).await?;
        let mut notes = Vec::new();
        let awaiting_tracking = matches!(
            status,
            OrderStatus::Authorized | OrderStatus::Processing | OrderStatus::NeedsAttention
        );
        if let Some(authorized_at) = authorized_at
            // As the list reads it: only a held order may have shipped already.
            .filter(|at| {
                awaiting_tracking
                    && !(shipped && status == OrderStatus::NeedsAttention)
                    && *at < cutoffs.late
            })
        {
            let days = business_days_between(authorized_at, now);
            let ask = match supplier_order_id {
                Some(supplier_order) => format!(
                    "ask US Direct about their order {supplier_order}, or cancel the order if \
                     the customer would rather not wait"
                ),
                None => "US Direct has not taken the order yet: see its jobs below".to_string(),
            };
            notes.push(FlagNote {
                flag: OrderFlag::Late,
                since: authorized_at,
                job_id: None,
                message: format!(
                    "Late: authorized {days} business days ago, no tracking yet from US Direct \
                     — {ask}. (Late after {} business days, in Settings.)",
                    cutoffs.late_after_days
                ),
            });
        }
        let stuck = sqlx::query!(
            r#"SELECT id AS "id!", kind AS "kind: JobKind",
                      failing_since AS "failing_since!: DateTime<Utc>", attempts, last_error
               FROM outbox_jobs WHERE order_id = ? AND failing_since < ? ORDER BY failing_since"#,
            id,
            cutoffs.stuck
        )
        .fetch_all(self.pool())
        .await?;
        for job in stuck {
            let error = job.last_error.as_deref().unwrap_or("no error was recorded");
            notes.push(FlagNote {
                flag: OrderFlag::Stuck,
                since: job.failing_since,
                job_id: Some(job.id),
                message: format!(
                    "Stuck: {} (job {}) has been failing since {} UTC, {} tries. Last error: \
                     {error}. Fix what it says, then Retry the job in Activity, or Cancel it.",
                    job_doing(job.kind),
                    job.id,
                    job.failing_since.format("%a %-d %b %H:%M"),
                    job.attempts
                ),
            });
        }
        Ok(notes)
    }

    /// [`Store::order_detail`] with its flags read at `now`.
    pub async fn order_detail_at(&self, id: i64, now: DateTime<Utc>) -> Result<OrderDetail> {
        let row = sqlx::query!(
            r#"SELECT o.id AS "id!", o.channel_id, c.name AS channel, o.channel_order_id, o.number,
                      o.status AS "status: OrderStatus", o.customer_name, o.customer_email, o.ship_name, o.ship_line1,
                      o.ship_line2, o.ship_city, o.ship_state_code, o.ship_postal_code,
                      o.ship_country_code, o.ship_phone, o.currency, o.subtotal_minor,
                      o.shipping_minor, o.tax_minor, o.total_minor, o.supplier_order_id,
                      o.supplier_invoice_id, o.supplier_currency, o.supplier_product_cost_minor,
                      o.supplier_shipping_cost_minor, o.supplier_cost_minor,
                      o.payment_status AS "payment_status: PaymentStatus",
                      o.attention_kind AS "attention_kind: AttentionKind", o.attention_reason,
                      o.attention_detail,
                      o.weight_hold_released, o.po_box_hold_released, o.store_payment AS "store_payment: PaymentState",
                      o.store_payment_status, o.payment_hold_released,
                      o.authorized_at AS "authorized_at: DateTime<Utc>",
                      o.authorized_by AS "authorized_by: Actor", o.placed_at AS "placed_at: DateTime<Utc>",
                      o.environment AS "environment: Environment"
               FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?"#,
            id
        )
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("order {id}"),
        })?;
        let status = row.status;
        let lines = sqlx::query!(
            r#"SELECT l.sku, l.title, l.quantity, l.unit_price_minor, l.unit_weight_grams,
                      m.supplier_sku AS "supplier_sku?",
                      coalesce(l.destination, CASE
                          WHEN trim(l.sku) = '' THEN 'no_sku'
                          WHEN l.requires_shipping = 0 THEN 'not_shipped'
                          WHEN m.supplier_sku IS NOT NULL THEN 'us_direct'
                          ELSE 'other_supplier' END) AS "destination!: LineDestination"
               FROM order_lines l LEFT JOIN sku_map m ON m.store_sku = l.sku
               WHERE l.order_id = ? ORDER BY l.position"#,
            id
        )
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|line| OrderLineView {
            sku: line.sku,
            title: line.title,
            quantity: u32::try_from(line.quantity).unwrap_or(0),
            unit_price_minor: line.unit_price_minor,
            unit_weight_grams: u32::try_from(line.unit_weight_grams).unwrap_or(0),
            supplier_sku: line.supplier_sku,
            destination: line.destination,
        })
        .collect();
        let supplier = row.supplier_order_id.clone().map(|order_id| {
            let product = row.supplier_product_cost_minor.unwrap_or(0);
            let shipping = row.supplier_shipping_cost_minor.unwrap_or(0);
            SupplierInvoiceView {
                order_id,
                invoice_id: row.supplier_invoice_id.clone(),
                currency: row
                    .supplier_currency
                    .clone()
                    .unwrap_or_else(|| row.currency.clone()),
                product_cost_minor: product,
                shipping_cost_minor: shipping,
                total_cost_minor: row
                    .supplier_cost_minor
                    .unwrap_or(product.saturating_add(shipping)),
                payment_status: row.payment_status,
            }
        });
        let margin_minor = supplier
            .as_ref()
            .filter(|invoice| invoice.currency == row.currency)
            // Peers' numbers: no margin rather than a wrapped one.
            .and_then(|invoice| {
                row.subtotal_minor
                    .checked_add(row.shipping_minor)?
                    .checked_sub(invoice.total_cost_minor)
            });
        let attention = (status == OrderStatus::NeedsAttention).then(|| {
            Attention::from_columns(
                row.attention_kind,
                row.attention_reason.clone(),
                row.attention_detail.as_deref(),
            )
        });
        let can_authorize = status == OrderStatus::AwaitingAuthorization
            || attention
                .as_ref()
                .is_some_and(|attention| attention.kind == AttentionKind::Declined);
        let shipments = self.shipments(id).await?;
        let cancel_blocked =
            crate::fulfillment::cancel_blocked(&row.number, status, shipments.len());
        let flags = self
            .flag_notes(
                id,
                status,
                row.authorized_at,
                row.supplier_order_id.as_deref(),
                !shipments.is_empty(),
                now,
            )
            .await?;
        let jobs = self.list_jobs(Some(id), 100).await?;
        let events = self.order_events(id).await?;
        Ok(OrderDetail {
            id: row.id,
            channel_id: row.channel_id,
            channel: row.channel,
            environment: row.environment,
            channel_order_id: row.channel_order_id,
            number: row.number,
            status,
            customer_name: row.customer_name,
            customer_email: row.customer_email,
            ship_to: Address {
                name: row.ship_name,
                line1: row.ship_line1,
                line2: row.ship_line2,
                city: row.ship_city,
                state_code: row.ship_state_code,
                postal_code: row.ship_postal_code,
                country_code: row.ship_country_code,
                phone: row.ship_phone,
            },
            lines,
            currency: row.currency,
            subtotal_minor: row.subtotal_minor,
            shipping_minor: row.shipping_minor,
            tax_minor: row.tax_minor,
            total_minor: row.total_minor,
            supplier,
            margin_minor,
            attention,
            weight_hold_released: row.weight_hold_released != 0,
            po_box_hold_released: row.po_box_hold_released != 0,
            store_payment: StorePayment::from_columns(row.store_payment, row.store_payment_status),
            payment_hold_released: row.payment_hold_released != 0,
            authorized_at: row.authorized_at,
            authorized_by: row.authorized_by,
            placed_at: row.placed_at,
            can_authorize,
            cancel_blocked,
            flags,
            shipments,
            jobs,
            events,
        })
    }

    pub async fn shipments(&self, order_id: i64) -> Result<Vec<ShipmentView>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", tracking_number, carrier, tracking_url,
                      shipped_at AS "shipped_at: DateTime<Utc>",
                      pushed_at AS "pushed_at: DateTime<Utc>"
               FROM shipments WHERE order_id = ? ORDER BY shipped_at, id"#,
            order_id
        )
        .fetch_all(self.pool())
        .await?;
        let mut shipments = Vec::with_capacity(rows.len());
        for row in rows {
            let lines = sqlx::query!(
                "SELECT sku, quantity FROM shipment_lines WHERE shipment_id = ? ORDER BY sku",
                row.id
            )
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|line| ShipmentLineView {
                sku: line.sku,
                quantity: u32::try_from(line.quantity).unwrap_or(0),
            })
            .collect();
            shipments.push(ShipmentView {
                tracking_number: row.tracking_number,
                carrier: row.carrier,
                // Links stored before they were checked are shown only when a carrier's own.
                tracking_url: row
                    .tracking_url
                    .as_deref()
                    .and_then(crate::tracking::known_carrier_page),
                shipped_at: row.shipped_at,
                pushed_at: row.pushed_at,
                lines,
            });
        }
        Ok(shipments)
    }
}
