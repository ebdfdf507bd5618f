//! From an imported order to US Direct: routing (the supplier's rules checked first, then the
//! supplier order through the outbox), Authorize Order for Payment (by the dealer or the Auto
//! Authorize rules), the Resolve actions of `needs_attention`, and the outbox worker that makes
//! the calls.
//!
//! Every step that needs the supplier writes the order's change and its outbox job in one
//! transaction; the worker writes the supplier's answer and the order's next status in another.
//! Idempotency keys name the effect (`<store>:create:<order>`, `<store>:authorize:<order>:<n>`),
//! so however often a job runs, US Direct acts once.

use std::time::Duration;

use chrono::{Local, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::changes::Change;
use crate::channel::ChannelError;
use crate::domain::{Actor, Address, Currency, Money, NewOrderLine, Sku};
use crate::lifecycle::{self, OrderStatus};
use crate::outbox::{self, Claimed, JobKind, JobState, WorkerId};
use crate::routing::{self, RoutingProblem};
use crate::store::order_detail::payment_text;
use crate::store::{AttentionKind, OrderDetail};
use crate::supplier::{
    Authorization, PaymentStatus, ShipTo, Supplier, SupplierError, SupplierLine,
    SupplierOrderRequest,
};
use crate::sync::Connect;
use crate::{Engine, Error, Result};

/// Auto Authorize Orders For Payment, as the dealer set it. Amounts are US Direct's invoice
/// totals (items + shipping: what is charged), in USD minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AutoAuthorize {
    pub enabled: bool,
    /// "Only Auto Authorize Up to a Maximum Order Total".
    #[ts(type = "number | null")]
    pub max_total_minor: Option<i64>,
    /// Auto Authorize stops for the day once its authorizations reach this much.
    #[ts(type = "number | null")]
    pub daily_cap_minor: Option<i64>,
}

/// The rules with what they mean today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AutoAuthorizeStatus {
    pub rules: AutoAuthorize,
    pub currency: String,
    /// Authorized by the rules since local midnight.
    #[ts(type = "number")]
    pub spent_today_minor: i64,
    /// Orders waiting for authorization now.
    #[ts(type = "number")]
    pub waiting: i64,
    /// Of those, the ones the rules would authorize now (ids, oldest first).
    #[ts(type = "Array<number>")]
    pub waiting_within_limits: Vec<i64>,
}

const AUTO_AUTHORIZE_KEY: &str = "auto_authorize";

/// What an authorize request did to one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuthorizeOutcome {
    #[ts(type = "number")]
    pub order_id: i64,
    pub number: String,
    pub result: AuthorizeResult,
    /// For the dealer: what happened, or why not.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename_all = "snake_case")]
pub enum AuthorizeResult {
    /// Authorized; the payment authorization is on its way to US Direct.
    Queued,
    /// It was already authorized (a double click, another device): nothing more was done.
    AlreadyAuthorized,
    /// The order cannot be authorized in its status.
    NotAllowed,
}

/// A dealer's edit of the ship-to (Resolve → edit the address).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ShipToInput {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state_code: String,
    pub postal_code: String,
    pub country_code: String,
    pub phone: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CreatePayload {
    request: SupplierOrderRequest,
}

#[derive(Serialize, Deserialize)]
struct AuthorizePayload {
    invoice_id: String,
    #[serde(default)]
    amount_minor: i64,
}

#[derive(Serialize, Deserialize)]
struct CancelPayload {
    supplier_order_id: String,
    reason: String,
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct OutboxReport {
    pub succeeded: u32,
    pub retrying: u32,
    pub failed: u32,
}

impl Engine {
    // ---- Auto Authorize ------------------------------------------------------------------

    pub async fn auto_authorize(&self) -> Result<AutoAuthorize> {
        Ok(match self.store().setting(AUTO_AUTHORIZE_KEY).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_default(),
            None => AutoAuthorize::default(),
        })
    }

    pub async fn set_auto_authorize(&self, rules: AutoAuthorize) -> Result<AutoAuthorizeStatus> {
        for (field, value) in [
            ("max_total", rules.max_total_minor),
            ("daily_cap", rules.daily_cap_minor),
        ] {
            if value.is_some_and(|minor| minor <= 0) {
                return Err(Error::invalid(
                    field,
                    "must be more than $0.00; leave it empty for no limit",
                ));
            }
        }
        let json = serde_json::to_string(&rules)
            .map_err(|err| Error::invalid("auto_authorize", err.to_string()))?;
        self.store().set_setting(AUTO_AUTHORIZE_KEY, &json).await?;
        tracing::info!(
            enabled = rules.enabled,
            max_total_minor = rules.max_total_minor,
            daily_cap_minor = rules.daily_cap_minor,
            "auto authorize rules changed"
        );
        self.auto_authorize_status().await
    }

    pub async fn auto_authorize_status(&self) -> Result<AutoAuthorizeStatus> {
        let rules = self.auto_authorize().await?;
        let mut conn = self.store().pool().acquire().await?;
        let spent_today_minor = spent_today(&mut conn).await?;
        let waiting = sqlx::query!(
            r#"SELECT id AS "id!", supplier_cost_minor FROM orders
               WHERE status = 'awaiting_authorization' ORDER BY placed_at, id"#
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut within = Vec::new();
        let mut spent = spent_today_minor;
        for order in &waiting {
            let total = order.supplier_cost_minor.unwrap_or(0);
            if limit_refusal(&rules, total, spent).is_none() {
                within.push(order.id);
                spent += total;
            }
        }
        Ok(AutoAuthorizeStatus {
            rules,
            currency: "USD".into(),
            spent_today_minor,
            waiting: i64::try_from(waiting.len()).unwrap_or(i64::MAX),
            waiting_within_limits: within,
        })
    }

    // ---- Routing -------------------------------------------------------------------------

    /// Routes every `imported` order that has no supplier order under way: the supplier's
    /// rules first, then the supplier order through the outbox. Returns how many were looked at.
    /// Runs after each Order Sync (the app's worker, `dealer sync`), not inside it, so the import
    /// itself stays as fast as it was.
    pub async fn route_imported(&self) -> Result<usize> {
        let ids = sqlx::query_scalar!(
            r#"SELECT o.id AS "id!" FROM orders o
               WHERE o.status = 'imported'
                 AND NOT EXISTS (SELECT 1 FROM outbox_jobs j
                                 WHERE j.order_id = o.id AND j.kind = 'create_supplier_order'
                                   AND j.state IN ('pending', 'running', 'succeeded'))
               ORDER BY o.placed_at, o.id"#
        )
        .fetch_all(self.store().pool())
        .await?;
        // A hundred orders a transaction: a large first import is routed in seconds.
        for chunk in ids.chunks(100) {
            let mut tx = self.store().write_transaction().await?;
            for id in chunk {
                route_in_tx(&mut tx, self.store_id(), *id).await?;
            }
            tx.commit().await?;
        }
        if !ids.is_empty() {
            self.publish(Change::Orders { reason: "routed" });
            self.publish(Change::JobsDue);
        }
        Ok(ids.len())
    }

    /// Resolve: routes a `needs_attention` order again after the dealer fixed it (or returns
    /// it to authorization when the supplier order already exists).
    pub async fn route_again(&self, order_id: i64) -> Result<OrderDetail> {
        let mut tx = self.store().write_transaction().await?;
        let row = sqlx::query!(
            "SELECT status, supplier_order_id, attention_kind FROM orders WHERE id = ?",
            order_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| not_found(order_id))?;
        if row.status != OrderStatus::NeedsAttention.as_str() {
            return Err(Error::invalid(
                "order",
                format!(
                    "order {order_id} is {}; only an order that needs attention is routed again",
                    row.status.replace('_', " ")
                ),
            ));
        }
        if row.supplier_order_id.is_some() {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::AwaitingAuthorization,
                Actor::Dealer,
                "resolved: back to authorization",
            )
            .await?;
        } else {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::Imported,
                Actor::Dealer,
                "resolved: routing again",
            )
            .await?;
            route_in_tx(&mut tx, self.store_id(), order_id).await?;
        }
        clear_attention_if_moved(&mut tx, order_id).await?;
        tx.commit().await?;
        self.publish(Change::Orders { reason: "resolved" });
        self.publish(Change::JobsDue);
        self.store().order_detail(order_id).await
    }

    /// Resolve → edit the address. The order is routed again right away.
    pub async fn edit_ship_to(&self, order_id: i64, input: ShipToInput) -> Result<OrderDetail> {
        let address = Address {
            name: input.name.trim().to_string(),
            line1: input.line1.trim().to_string(),
            line2: input
                .line2
                .map(|line| line.trim().to_string())
                .filter(|line| !line.is_empty()),
            city: input.city.trim().to_string(),
            state_code: input.state_code.trim().to_ascii_uppercase(),
            postal_code: input.postal_code.trim().to_string(),
            country_code: input.country_code.trim().to_ascii_uppercase(),
            phone: input
                .phone
                .map(|phone| phone.trim().to_string())
                .filter(|phone| !phone.is_empty()),
        };
        address.validate()?;
        let mut tx = self.store().write_transaction().await?;
        let status = sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| not_found(order_id))?;
        if !matches!(status.as_str(), "imported" | "needs_attention") {
            return Err(Error::invalid(
                "order",
                "the address can only be edited before the order goes to US Direct",
            ));
        }
        let now = Utc::now();
        sqlx::query!(
            "UPDATE orders SET ship_name = ?, ship_line1 = ?, ship_line2 = ?, ship_city = ?,
                    ship_state_code = ?, ship_postal_code = ?, ship_country_code = ?,
                    ship_phone = ?, updated_at = ?
             WHERE id = ?",
            address.name,
            address.line1,
            address.line2,
            address.city,
            address.state_code,
            address.postal_code,
            address.country_code,
            address.phone,
            now,
            order_id
        )
        .execute(&mut *tx)
        .await?;
        let line2 = address
            .line2
            .as_deref()
            .map(|line| format!(", {line}"))
            .unwrap_or_default();
        lifecycle::record_note(
            &mut tx,
            order_id,
            Actor::Dealer,
            &format!(
                "ship-to edited: {}, {}{line2}, {}, {} {}, {}",
                address.name,
                address.line1,
                address.city,
                address.state_code,
                address.postal_code,
                address.country_code
            ),
        )
        .await?;
        tx.commit().await?;
        self.publish(Change::Orders { reason: "resolved" });
        if status == "needs_attention" {
            self.route_again(order_id).await
        } else {
            self.store().order_detail(order_id).await
        }
    }

    /// Resolve → release the weight hold (the dealer checked with US Direct). Routes again.
    pub async fn release_weight_hold(&self, order_id: i64) -> Result<OrderDetail> {
        let mut tx = self.store().write_transaction().await?;
        let updated = sqlx::query!(
            "UPDATE orders SET weight_hold_released = 1 WHERE id = ? AND status = 'needs_attention'",
            order_id
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(Error::invalid(
                "order",
                format!("order {order_id} is not waiting on a hold"),
            ));
        }
        lifecycle::record_note(
            &mut tx,
            order_id,
            Actor::Dealer,
            "weight hold released by the dealer",
        )
        .await?;
        tx.commit().await?;
        self.route_again(order_id).await
    }

    // ---- Authorize -----------------------------------------------------------------------

    /// Authorize Order for Payment for each order (the dealer's button or bulk action). One
    /// authorization per order, however many times this is called, concurrently or not.
    pub async fn authorize(&self, ids: &[i64], actor: Actor) -> Result<Vec<AuthorizeOutcome>> {
        let mut outcomes = Vec::with_capacity(ids.len());
        for &id in ids {
            let mut tx = self.store().write_transaction().await?;
            let outcome = authorize_in_tx(&mut tx, self.store_id(), id, actor).await?;
            tx.commit().await?;
            if outcome.result == AuthorizeResult::Queued {
                tracing::info!(order_id = id, actor = actor.as_str(), "order authorized");
            }
            outcomes.push(outcome);
        }
        self.publish(Change::Orders {
            reason: "authorized",
        });
        if outcomes
            .iter()
            .any(|outcome| outcome.result == AuthorizeResult::Queued)
        {
            self.publish(Change::JobsDue);
        }
        Ok(outcomes)
    }

    // ---- Jobs ----------------------------------------------------------------------------

    /// Retry from Activity. A waiting job runs now, with its key. A step that failed or was
    /// cancelled is taken again from where the order is now (routed again, or authorized
    /// again), as a new job with a new key: the old answer stands for the old request.
    pub async fn retry_job(&self, job_id: i64) -> Result<crate::outbox::Job> {
        let mut tx = self.store().write_transaction().await?;
        let job = job_row(&mut tx, job_id).await?;
        let now = Utc::now();
        let kind = JobKind::parse(&job.kind);
        let redo = match job.state.as_str() {
            "pending" => false,
            "failed" | "cancelled" => matches!(
                kind,
                Some(JobKind::CreateSupplierOrder | JobKind::AuthorizePayment)
            ),
            "running" => return Err(Error::invalid("job", "the job is running now")),
            _ => {
                return Err(Error::invalid(
                    "job",
                    "the job succeeded; there is nothing to retry",
                ))
            }
        };
        if !redo {
            sqlx::query!(
                "UPDATE outbox_jobs SET state = 'pending', next_run_at = ?, updated_at = ?,
                        finished_at = NULL
                 WHERE id = ?",
                now,
                now,
                job_id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            self.publish(Change::Orders {
                reason: "job_retried",
            });
            self.publish(Change::JobsDue);
            return self.store().job(job_id).await;
        }
        let order_id = job
            .order_id
            .ok_or_else(|| Error::invalid("job", "the job names no order"))?;
        let status = sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
            .fetch_one(&mut *tx)
            .await?;
        if status != OrderStatus::NeedsAttention.as_str() {
            return Err(Error::invalid(
                "job",
                format!(
                    "its order is {} now; nothing to retry",
                    status.replace('_', " ")
                ),
            ));
        }
        match kind {
            Some(JobKind::CreateSupplierOrder) => {
                lifecycle::transition(
                    &mut tx,
                    order_id,
                    OrderStatus::Imported,
                    Actor::Dealer,
                    "retried: routing again",
                )
                .await?;
                clear_attention_if_moved(&mut tx, order_id).await?;
                route_in_tx(&mut tx, self.store_id(), order_id).await?;
            }
            _ => {
                lifecycle::transition(
                    &mut tx,
                    order_id,
                    OrderStatus::AwaitingAuthorization,
                    Actor::Dealer,
                    "retried: payment to be authorized again",
                )
                .await?;
                clear_attention_if_moved(&mut tx, order_id).await?;
                authorize_in_tx(&mut tx, self.store_id(), order_id, Actor::Dealer).await?;
            }
        }
        let latest = sqlx::query_scalar!(
            r#"SELECT max(id) AS "id!: i64" FROM outbox_jobs WHERE order_id = ?"#,
            order_id
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.publish(Change::Orders {
            reason: "job_retried",
        });
        self.publish(Change::JobsDue);
        self.store().job(latest).await
    }

    /// Cancels a job that has not run to its end. Its order needs the dealer afterwards.
    pub async fn cancel_job(&self, job_id: i64) -> Result<crate::outbox::Job> {
        let mut tx = self.store().write_transaction().await?;
        let job = job_row(&mut tx, job_id).await?;
        match job.state.as_str() {
            "pending" | "failed" => {}
            "running" => {
                return Err(Error::invalid(
                    "job",
                    "the job is talking to US Direct right now; cancel it when it is back",
                ))
            }
            other => {
                return Err(Error::invalid(
                    "job",
                    format!("the job has {other} already"),
                ))
            }
        }
        let now = Utc::now();
        sqlx::query!(
            "UPDATE outbox_jobs SET state = 'cancelled', updated_at = ?, finished_at = ?
             WHERE id = ?",
            now,
            now,
            job_id
        )
        .execute(&mut *tx)
        .await?;
        if let (Some(order_id), Some(kind)) = (job.order_id, JobKind::parse(&job.kind)) {
            let what = match kind {
                JobKind::CreateSupplierOrder => "Sending the order to US Direct",
                JobKind::AuthorizePayment => "The payment authorization",
                JobKind::CancelSupplierOrder => "Cancelling at US Direct",
                JobKind::PushTracking => "Writing the tracking to your store",
            };
            let status = sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
                .fetch_one(&mut *tx)
                .await?;
            let parked = matches!(status.as_str(), "imported" | "authorized");
            if parked
                && matches!(
                    kind,
                    JobKind::CreateSupplierOrder | JobKind::AuthorizePayment
                )
            {
                let reason = format!(
                    "{what} was cancelled by you. Resolve to send it again, or cancel the order \
                     in your store."
                );
                needs_attention(
                    &mut tx,
                    order_id,
                    Actor::Dealer,
                    AttentionKind::Stopped,
                    &reason,
                    None,
                )
                .await?;
                if kind == JobKind::AuthorizePayment {
                    sqlx::query!(
                        "UPDATE orders SET authorized_at = NULL, authorized_by = NULL WHERE id = ?",
                        order_id
                    )
                    .execute(&mut *tx)
                    .await?;
                }
            } else {
                lifecycle::record_note(
                    &mut tx,
                    order_id,
                    Actor::Dealer,
                    &format!("{what} was cancelled by you"),
                )
                .await?;
            }
        }
        tx.commit().await?;
        self.publish(Change::Orders {
            reason: "job_cancelled",
        });
        self.store().job(job_id).await
    }

    // ---- The worker ----------------------------------------------------------------------

    /// Runs due jobs until none is due now. `until` bounds the whole pass (jobs that come due
    /// later wait for the next pass).
    pub async fn run_outbox(
        &self,
        supplier: &dyn Supplier,
        connect: &dyn Connect,
        worker: &WorkerId,
    ) -> Result<OutboxReport> {
        let mut report = OutboxReport::default();
        while let Some(job) = self.store().claim_job(worker).await? {
            match self.run_job(supplier, connect, worker, &job).await? {
                JobEnd::Done => report.succeeded += 1,
                JobEnd::Retrying => report.retrying += 1,
                JobEnd::Failed => report.failed += 1,
            }
        }
        Ok(report)
    }

    /// Runs jobs, waiting for ones that come due (backoff), until no job of `order_id` (or
    /// none at all) is left pending or running, or `deadline` passes. Returns false on the
    /// deadline.
    pub async fn run_outbox_until(
        &self,
        supplier: &dyn Supplier,
        connect: &dyn Connect,
        worker: &WorkerId,
        order_id: Option<i64>,
        deadline: std::time::Instant,
    ) -> Result<bool> {
        loop {
            self.run_outbox(supplier, connect, worker).await?;
            let open = sqlx::query_scalar!(
                "SELECT count(*) FROM outbox_jobs
                 WHERE state IN ('pending', 'running') AND (?1 IS NULL OR order_id = ?1)",
                order_id
            )
            .fetch_one(self.store().pool())
            .await?;
            if open == 0 {
                return Ok(true);
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            let wait = match self.store().next_job_due().await? {
                Some(at) => (at - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .max(Duration::from_millis(50)),
                None => Duration::from_millis(200),
            };
            // Nothing comes due before the deadline: no use waiting for it.
            if now + wait > deadline {
                return Ok(false);
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn run_job(
        &self,
        supplier: &dyn Supplier,
        connect: &dyn Connect,
        worker: &WorkerId,
        job: &Claimed,
    ) -> Result<JobEnd> {
        tracing::debug!(
            job = job.id,
            kind = job.kind.as_str(),
            attempt = job.attempts,
            "job"
        );
        let outcome = match job.kind {
            JobKind::CreateSupplierOrder => self.run_create(supplier, worker, job).await,
            JobKind::AuthorizePayment => self.run_authorize(supplier, worker, job).await,
            JobKind::CancelSupplierOrder => self.run_cancel(supplier, worker, job).await,
            JobKind::PushTracking => self.run_push(connect, worker, job).await,
        };
        match outcome {
            Ok(end) => Ok(end),
            Err(JobError::Channel(error)) => {
                let transient = matches!(
                    error,
                    ChannelError::Unreachable { .. }
                        | ChannelError::RateLimited { .. }
                        | ChannelError::Server { .. }
                );
                let retry_after = match &error {
                    ChannelError::RateLimited { retry_after } => Some(*retry_after),
                    _ => None,
                };
                if transient {
                    return self
                        .retry_later(job, worker, &error.to_string(), retry_after)
                        .await;
                }
                // The store refused it (credentials, permissions, a missing order): it waits
                // for the dealer, retried slowly, since fixing the channel lets it through.
                let message = format!("the store did not take the tracking: {error}");
                self.retry_later(job, worker, &message, Some(Duration::from_secs(600)))
                    .await
            }
            Err(JobError::Supplier(error)) if error.is_transient() => {
                self.retry_later(job, worker, &error.to_string(), error.retry_after())
                    .await
            }
            Err(JobError::Supplier(SupplierError::Unauthorized)) => {
                // Fixing the token lets it go on: keep it, slowly.
                let error = SupplierError::Unauthorized.to_string();
                self.retry_later(job, worker, &error, Some(Duration::from_secs(300)))
                    .await
            }
            Err(JobError::Supplier(error)) => {
                // A final answer about this request: the order needs the dealer.
                let mut tx = self.store().write_transaction().await?;
                if !outbox::finish(
                    &mut tx,
                    job,
                    worker,
                    JobState::Failed,
                    Some(&error.to_string()),
                )
                .await?
                {
                    return Ok(JobEnd::Retrying);
                }
                if let Some(order_id) = job.order_id {
                    let (kind, reason) = refusal(job.kind, &error);
                    let status =
                        sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    if OrderStatus::parse(&status)
                        .is_some_and(|s| s.can_move_to(OrderStatus::NeedsAttention))
                    {
                        needs_attention(&mut tx, order_id, Actor::Supplier, kind, &reason, None)
                            .await?;
                    } else {
                        lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &reason).await?;
                    }
                }
                tx.commit().await?;
                tracing::warn!(job = job.id, %error, "job failed");
                Ok(JobEnd::Failed)
            }
            Err(JobError::Engine(error)) => {
                let message = format!("this job could not run: {error}");
                self.retry_later(job, worker, &message, Some(Duration::from_secs(60)))
                    .await
            }
        }
    }

    async fn retry_later(
        &self,
        job: &Claimed,
        worker: &WorkerId,
        error: &str,
        retry_after: Option<Duration>,
    ) -> Result<JobEnd> {
        let delay = outbox::backoff(job.attempts - 1, retry_after);
        let mut tx = self.store().write_transaction().await?;
        outbox::reschedule(&mut tx, job, worker, delay, error).await?;
        tx.commit().await?;
        tracing::info!(
            job = job.id,
            error,
            delay_ms = delay.as_millis() as u64,
            "job will retry"
        );
        Ok(JobEnd::Retrying)
    }

    async fn run_create(
        &self,
        supplier: &dyn Supplier,
        worker: &WorkerId,
        job: &Claimed,
    ) -> Result<JobEnd, JobError> {
        let payload: CreatePayload = parse_payload(job)?;
        let order_id = job
            .order_id
            .ok_or_else(|| bad_job(job, "it names no order"))?;
        let created = supplier
            .create_order(&job.idempotency_key, &payload.request)
            .await?;
        let invoice = &created.invoice;
        let mut tx = self.store().write_transaction().await?;
        if !outbox::finish(&mut tx, job, worker, JobState::Succeeded, None).await? {
            return Ok(JobEnd::Retrying);
        }
        let payment = payment_text(invoice.payment_status);
        sqlx::query!(
            "UPDATE orders SET supplier_order_id = ?, supplier_invoice_id = ?,
                    supplier_currency = ?, supplier_product_cost_minor = ?,
                    supplier_shipping_cost_minor = ?, supplier_cost_minor = ?, payment_status = ?
             WHERE id = ?",
            created.id,
            invoice.id,
            invoice.currency,
            invoice.product_cost_minor,
            invoice.shipping_cost_minor,
            invoice.total_cost_minor,
            payment,
            order_id
        )
        .execute(&mut *tx)
        .await?;
        let total = money_text(invoice.total_cost_minor, &invoice.currency);
        let detail = format!(
            "placed with US Direct as {}; invoice {} for {total} (items {}, shipping {})",
            created.id,
            invoice.id,
            money_text(invoice.product_cost_minor, &invoice.currency),
            money_text(invoice.shipping_cost_minor, &invoice.currency),
        );
        let status = sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
            .fetch_one(&mut *tx)
            .await?;
        if status == OrderStatus::Imported.as_str() {
            lifecycle::transition(
                &mut tx,
                order_id,
                OrderStatus::AwaitingAuthorization,
                Actor::Supplier,
                &detail,
            )
            .await?;
            apply_auto_authorize(&mut tx, self.store_id(), order_id, invoice.total_cost_minor)
                .await?;
        } else {
            // Cancelled (or changed) while the order was on its way: keep what US Direct made,
            // and cancel it there if the order is cancelled here.
            lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &detail).await?;
            if status == OrderStatus::Cancelled.as_str() {
                enqueue_supplier_cancel(&mut tx, order_id).await?;
            }
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }

    async fn run_authorize(
        &self,
        supplier: &dyn Supplier,
        worker: &WorkerId,
        job: &Claimed,
    ) -> Result<JobEnd, JobError> {
        let payload: AuthorizePayload = parse_payload(job)?;
        let order_id = job
            .order_id
            .ok_or_else(|| bad_job(job, "it names no order"))?;
        let answer = match supplier
            .authorize_payment(&job.idempotency_key, &payload.invoice_id)
            .await
        {
            Ok(answer) => answer,
            // Authorized already under another key (another device, an earlier install).
            Err(SupplierError::Conflict { code, .. }) if code == "already_authorized" => {
                Authorization::Authorized { at: Utc::now() }
            }
            Err(error) => return Err(error.into()),
        };
        let mut tx = self.store().write_transaction().await?;
        if !outbox::finish(&mut tx, job, worker, JobState::Succeeded, None).await? {
            return Ok(JobEnd::Retrying);
        }
        let status = sqlx::query_scalar!("SELECT status FROM orders WHERE id = ?", order_id)
            .fetch_one(&mut *tx)
            .await?;
        match answer {
            Authorization::Authorized { .. } => {
                let payment = payment_text(PaymentStatus::Authorized);
                sqlx::query!(
                    "UPDATE orders SET payment_status = ? WHERE id = ?",
                    payment,
                    order_id
                )
                .execute(&mut *tx)
                .await?;
                let detail = format!(
                    "US Direct authorized payment of invoice {}; it will ship the order",
                    payload.invoice_id
                );
                if status == OrderStatus::Authorized.as_str() {
                    lifecycle::transition(
                        &mut tx,
                        order_id,
                        OrderStatus::Processing,
                        Actor::Supplier,
                        &detail,
                    )
                    .await?;
                } else {
                    lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &detail).await?;
                }
            }
            Authorization::Declined { reason, .. } => {
                let payment = payment_text(PaymentStatus::Declined);
                sqlx::query!(
                    "UPDATE orders SET payment_status = ?, authorized_at = NULL,
                            authorized_by = NULL
                     WHERE id = ?",
                    payment,
                    order_id
                )
                .execute(&mut *tx)
                .await?;
                let message = format!(
                    "US Direct declined the payment: {reason}. Fix the payment method with US \
                     Direct, then Authorize again."
                );
                if status == OrderStatus::Authorized.as_str() {
                    needs_attention(
                        &mut tx,
                        order_id,
                        Actor::Supplier,
                        AttentionKind::Declined,
                        &message,
                        None,
                    )
                    .await?;
                } else {
                    lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &message).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }

    async fn run_push(
        &self,
        connect: &dyn Connect,
        worker: &WorkerId,
        job: &Claimed,
    ) -> Result<JobEnd, JobError> {
        let payload: crate::shipments::PushPayload = parse_payload(job)?;
        let plan = {
            let mut conn = self.store().pool().acquire().await?;
            crate::shipments::push_plan(&mut conn, payload.shipment_id).await?
        };
        let channel = self
            .store()
            .channels()
            .await?
            .into_iter()
            .find(|channel| channel.id == plan.channel_id)
            .ok_or_else(|| {
                bad_job(
                    job,
                    "its store was disconnected; connect it again to send the tracking",
                )
            })?;
        let client = connect.client(&channel)?;
        let pushed = client
            .push_fulfillment(&plan.request)
            .await
            .map_err(JobError::Channel)?;
        let mut tx = self.store().write_transaction().await?;
        if !outbox::finish(&mut tx, job, worker, JobState::Succeeded, None).await? {
            return Ok(JobEnd::Retrying);
        }
        crate::shipments::record_pushed(&mut tx, payload.shipment_id, &pushed, &channel.name)
            .await?;
        tx.commit().await?;
        Ok(JobEnd::Done)
    }

    async fn run_cancel(
        &self,
        supplier: &dyn Supplier,
        worker: &WorkerId,
        job: &Claimed,
    ) -> Result<JobEnd, JobError> {
        let payload: CancelPayload = parse_payload(job)?;
        let result = supplier
            .cancel_order(
                &job.idempotency_key,
                &payload.supplier_order_id,
                &payload.reason,
            )
            .await;
        let note = match result {
            Ok(_) => format!(
                "US Direct cancelled its order {}",
                payload.supplier_order_id
            ),
            Err(SupplierError::Conflict { code, .. }) if code == "already_shipped" => format!(
                "US Direct had already shipped {}; it could not be cancelled",
                payload.supplier_order_id
            ),
            Err(error) => return Err(error.into()),
        };
        let mut tx = self.store().write_transaction().await?;
        if !outbox::finish(&mut tx, job, worker, JobState::Succeeded, None).await? {
            return Ok(JobEnd::Retrying);
        }
        if let Some(order_id) = job.order_id {
            lifecycle::record_note(&mut tx, order_id, Actor::Supplier, &note).await?;
        }
        tx.commit().await?;
        Ok(JobEnd::Done)
    }
}

/// A job's state, kind and order, for Retry and Cancel.
struct JobRow {
    state: String,
    kind: String,
    order_id: Option<i64>,
}

async fn job_row(conn: &mut SqliteConnection, job_id: i64) -> Result<JobRow> {
    let row = sqlx::query!(
        "SELECT state, kind, order_id FROM outbox_jobs WHERE id = ?",
        job_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("job {job_id}"),
    })?;
    Ok(JobRow {
        state: row.state,
        kind: row.kind,
        order_id: row.order_id,
    })
}

enum JobEnd {
    Done,
    Retrying,
    Failed,
}

enum JobError {
    Supplier(SupplierError),
    Channel(ChannelError),
    Engine(Error),
}

impl From<SupplierError> for JobError {
    fn from(error: SupplierError) -> Self {
        JobError::Supplier(error)
    }
}

impl From<Error> for JobError {
    fn from(error: Error) -> Self {
        JobError::Engine(error)
    }
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        JobError::Engine(error.into())
    }
}

fn parse_payload<T: for<'de> Deserialize<'de>>(job: &Claimed) -> Result<T, JobError> {
    serde_json::from_str(&job.payload).map_err(|err| bad_job(job, &err.to_string()).into())
}

fn bad_job(job: &Claimed, why: &str) -> Error {
    Error::invalid("job", format!("job {} cannot be read: {why}", job.id))
}

fn not_found(order_id: i64) -> Error {
    Error::NotFound {
        what: format!("order {order_id}"),
    }
}

/// The kind of attention and the dealer's message for a final supplier answer.
fn refusal(kind: JobKind, error: &SupplierError) -> (AttentionKind, String) {
    match (kind, error) {
        (JobKind::AuthorizePayment, SupplierError::Refused { code, message, .. })
            if code == "no_payment_method" =>
        {
            (
                AttentionKind::Declined,
                format!(
                    "US Direct has no payment method on file ({message}). Add one with US \
                     Direct, then Authorize again."
                ),
            )
        }
        (JobKind::CreateSupplierOrder, SupplierError::Refused { message, .. }) => (
            AttentionKind::Refused,
            format!(
                "US Direct refused the order: {message}. Fix it, then Resolve to send it again."
            ),
        ),
        (_, error) => (
            AttentionKind::Refused,
            format!("{error}. Check the order, then Resolve to try again."),
        ),
    }
}

pub(crate) fn money_text(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(currency) => Money::new(minor, currency).to_string(),
        Err(_) => format!("{minor} {currency} minor units"),
    }
}

/// Moves an order to `needs_attention` with what to do.
async fn needs_attention(
    conn: &mut SqliteConnection,
    order_id: i64,
    actor: Actor,
    kind: AttentionKind,
    reason: &str,
    problems: Option<&[RoutingProblem]>,
) -> Result<()> {
    lifecycle::transition(
        &mut *conn,
        order_id,
        OrderStatus::NeedsAttention,
        actor,
        reason,
    )
    .await?;
    let kind = kind.as_str();
    let detail = problems
        .map(serde_json::to_string)
        .transpose()
        .map_err(|err| Error::invalid("attention", err.to_string()))?;
    sqlx::query!(
        "UPDATE orders SET attention_kind = ?, attention_reason = ?, attention_detail = ?
         WHERE id = ?",
        kind,
        reason,
        detail,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn clear_attention_if_moved(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    sqlx::query!(
        "UPDATE orders SET attention_kind = NULL, attention_reason = NULL,
                attention_detail = NULL
         WHERE id = ? AND status != 'needs_attention'",
        order_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Checks an `imported` order against US Direct's rules; queues its supplier order when they
/// pass, or moves it to `needs_attention` with every failed rule.
async fn route_in_tx(conn: &mut SqliteConnection, store_id: &str, order_id: i64) -> Result<()> {
    let order = sqlx::query!(
        r#"SELECT status, number, customer_email, ship_name, ship_line1, ship_line2, ship_city,
                  ship_state_code, ship_postal_code, ship_country_code, ship_phone, currency,
                  weight_hold_released
           FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(order_id))?;
    if order.status != OrderStatus::Imported.as_str() {
        return Ok(());
    }
    let lines = sqlx::query!(
        r#"SELECT l.sku, l.title, l.quantity, l.unit_price_minor, l.unit_weight_grams,
                  m.supplier_sku AS "supplier_sku?"
           FROM order_lines l LEFT JOIN sku_map m ON m.store_sku = l.sku
           WHERE l.order_id = ? ORDER BY l.position"#,
        order_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let ship_to = Address {
        name: order.ship_name.clone(),
        line1: order.ship_line1.clone(),
        line2: order.ship_line2.clone(),
        city: order.ship_city.clone(),
        state_code: order.ship_state_code.clone(),
        postal_code: order.ship_postal_code.clone(),
        country_code: order.ship_country_code.clone(),
        phone: order.ship_phone.clone(),
    };
    let currency = Currency::parse(&order.currency).unwrap_or_else(|_| Currency::usd());
    let mut check_lines = Vec::with_capacity(lines.len());
    for line in &lines {
        check_lines.push(NewOrderLine {
            sku: Sku::parse(&line.sku)?,
            title: line.title.clone(),
            quantity: u32::try_from(line.quantity).unwrap_or(0),
            unit_price: Money::new(line.unit_price_minor, currency.clone()),
            unit_weight_grams: u32::try_from(line.unit_weight_grams).unwrap_or(0),
        });
    }
    let mapped: std::collections::HashSet<&str> = lines
        .iter()
        .filter(|line| line.supplier_sku.is_some())
        .map(|line| line.sku.as_str())
        .collect();
    let mut problems = routing::check(&ship_to, &check_lines, &|sku| mapped.contains(sku));
    if order.weight_hold_released != 0 {
        problems.retain(|problem| !matches!(problem, RoutingProblem::Overweight { .. }));
    }
    if !problems.is_empty() {
        let reason = problems
            .iter()
            .map(RoutingProblem::message)
            .collect::<Vec<_>>()
            .join(" ");
        needs_attention(
            conn,
            order_id,
            Actor::System,
            AttentionKind::Routing,
            &reason,
            Some(&problems),
        )
        .await?;
        return Ok(());
    }
    // One line per US Direct SKU, as the contract asks.
    let mut supplier_lines: Vec<SupplierLine> = Vec::new();
    for line in &lines {
        let sku = line
            .supplier_sku
            .clone()
            .unwrap_or_else(|| line.sku.clone());
        let quantity = u32::try_from(line.quantity).unwrap_or(0);
        match supplier_lines.iter_mut().find(|l| l.sku == sku) {
            Some(existing) => existing.quantity += quantity,
            None => supplier_lines.push(SupplierLine { sku, quantity }),
        }
    }
    let (first_name, last_name) = split_name(&ship_to.name);
    let request = SupplierOrderRequest {
        order_number: order.number.clone(),
        ship_to: ShipTo {
            first_name,
            last_name,
            line1: ship_to.line1,
            line2: ship_to.line2,
            city: ship_to.city,
            state_code: ship_to.state_code.to_ascii_uppercase(),
            postal: ship_to.postal_code,
            country_code: ship_to.country_code.to_ascii_uppercase(),
            phone: ship_to.phone,
            email: order.customer_email.clone(),
        },
        lines: supplier_lines,
    };
    let payload = serde_json::to_value(CreatePayload { request })
        .map_err(|err| Error::invalid("job", err.to_string()))?;
    // The key names this order's one supplier order; a re-route after a refusal is a new try.
    let tries = sqlx::query_scalar!(
        "SELECT count(*) FROM outbox_jobs WHERE order_id = ? AND kind = 'create_supplier_order'",
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let key = format!("{store_id}:create:{order_id}:{}", tries + 1);
    outbox::enqueue(
        conn,
        JobKind::CreateSupplierOrder,
        Some(order_id),
        &key,
        &payload,
    )
    .await?;
    lifecycle::record_note(
        conn,
        order_id,
        Actor::System,
        "US Direct's checks passed; sending the order to US Direct",
    )
    .await?;
    Ok(())
}

/// "Jane Q. Doe" → ("Jane Q.", "Doe"); a single word is the last name.
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (name.to_string(), name.to_string()),
    }
}

async fn authorize_in_tx(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    actor: Actor,
) -> Result<AuthorizeOutcome> {
    let order = sqlx::query!(
        "SELECT number, status, attention_kind, supplier_invoice_id, supplier_cost_minor
         FROM orders WHERE id = ?",
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found(order_id))?;
    let outcome = |result, message: String| AuthorizeOutcome {
        order_id,
        number: order.number.clone(),
        result,
        message,
    };
    let status = OrderStatus::parse(&order.status);
    let declined = status == Some(OrderStatus::NeedsAttention)
        && matches!(order.attention_kind.as_deref(), Some("declined"));
    match status {
        Some(OrderStatus::AwaitingAuthorization) => {}
        Some(OrderStatus::NeedsAttention) if declined => {
            lifecycle::transition(
                &mut *conn,
                order_id,
                OrderStatus::AwaitingAuthorization,
                actor,
                "resolved: payment to be authorized again",
            )
            .await?;
            clear_attention_if_moved(conn, order_id).await?;
        }
        Some(OrderStatus::Authorized | OrderStatus::Processing) => {
            return Ok(outcome(
                AuthorizeResult::AlreadyAuthorized,
                format!("order {} is already authorized", order.number),
            ))
        }
        Some(OrderStatus::PartiallyShipped | OrderStatus::Shipped | OrderStatus::Completed) => {
            return Ok(outcome(
                AuthorizeResult::AlreadyAuthorized,
                format!("order {} was authorized and has shipped", order.number),
            ))
        }
        _ => {
            return Ok(outcome(
                AuthorizeResult::NotAllowed,
                format!(
                    "order {} is {}; only an order awaiting authorization can be authorized",
                    order.number,
                    order.status.replace('_', " ")
                ),
            ))
        }
    }
    let Some(invoice_id) = order.supplier_invoice_id.clone() else {
        return Ok(outcome(
            AuthorizeResult::NotAllowed,
            format!("order {} has no US Direct invoice yet", order.number),
        ));
    };
    let amount = order.supplier_cost_minor.unwrap_or(0);
    let detail = match actor {
        Actor::AutoRule => format!(
            "Auto Authorize: payment of {} authorized",
            money_text(amount, "USD")
        ),
        _ => format!("Authorize Order for Payment: {}", money_text(amount, "USD")),
    };
    lifecycle::transition(
        &mut *conn,
        order_id,
        OrderStatus::Authorized,
        actor,
        &detail,
    )
    .await?;
    let now = Utc::now();
    let by = actor.as_str();
    sqlx::query!(
        "UPDATE orders SET authorized_at = ?, authorized_by = ? WHERE id = ?",
        now,
        by,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    let tries = sqlx::query_scalar!(
        "SELECT count(*) FROM outbox_jobs WHERE order_id = ? AND kind = 'authorize_payment'",
        order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let key = format!("{store_id}:authorize:{order_id}:{}", tries + 1);
    let payload = serde_json::to_value(AuthorizePayload {
        invoice_id,
        amount_minor: amount,
    })
    .map_err(|err| Error::invalid("job", err.to_string()))?;
    outbox::enqueue(
        conn,
        JobKind::AuthorizePayment,
        Some(order_id),
        &key,
        &payload,
    )
    .await?;
    Ok(outcome(
        AuthorizeResult::Queued,
        format!("order {} authorized for payment", order.number),
    ))
}

/// What the rules say about authorizing `total` now, with `spent` already authorized today by
/// them: `None` to go ahead, or which limit stops it.
fn limit_refusal(rules: &AutoAuthorize, total: i64, spent: i64) -> Option<String> {
    if !rules.enabled {
        return Some("Auto Authorize is off".into());
    }
    if let Some(max) = rules.max_total_minor {
        if total > max {
            return Some(format!(
                "waiting for you: the invoice total {} is over the Auto Authorize maximum order \
                 total of {}",
                money_text(total, "USD"),
                money_text(max, "USD")
            ));
        }
    }
    if let Some(cap) = rules.daily_cap_minor {
        if spent + total > cap {
            return Some(format!(
                "waiting for you: authorizing {} would pass today's Auto Authorize cap of {} \
                 ({} used)",
                money_text(total, "USD"),
                money_text(cap, "USD"),
                money_text(spent, "USD")
            ));
        }
    }
    None
}

/// What the rules authorized since local midnight.
async fn spent_today(conn: &mut SqliteConnection) -> Result<i64> {
    let midnight = Local::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|naive| Local.from_local_datetime(&naive).earliest())
        .map(|local| local.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(sum(supplier_cost_minor), 0) AS "spent!: i64" FROM orders
           WHERE authorized_by = 'auto_rule' AND authorized_at >= ?"#,
        midnight
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Right after an order reaches `awaiting_authorization`: authorize it if the rules allow, or
/// say on its timeline which limit holds it.
async fn apply_auto_authorize(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    total: i64,
) -> Result<()> {
    let rules: AutoAuthorize = sqlx::query_scalar!(
        "SELECT value FROM settings WHERE key = ?",
        AUTO_AUTHORIZE_KEY
    )
    .fetch_optional(&mut *conn)
    .await?
    .and_then(|json| serde_json::from_str(&json).ok())
    .unwrap_or_default();
    if !rules.enabled {
        return Ok(());
    }
    let spent = spent_today(conn).await?;
    match limit_refusal(&rules, total, spent) {
        None => {
            authorize_in_tx(conn, store_id, order_id, Actor::AutoRule).await?;
        }
        Some(note) => {
            lifecycle::record_note(conn, order_id, Actor::AutoRule, &note).await?;
        }
    }
    Ok(())
}

/// Queues the cancellation of an order's supplier order (the store cancelled it).
pub(crate) async fn enqueue_supplier_cancel(
    conn: &mut SqliteConnection,
    order_id: i64,
) -> Result<()> {
    let Some(supplier_order_id) = sqlx::query_scalar!(
        "SELECT supplier_order_id FROM orders WHERE id = ?",
        order_id
    )
    .fetch_one(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let payload = serde_json::to_value(CancelPayload {
        supplier_order_id,
        reason: "Cancelled in the dealer's store".into(),
    })
    .map_err(|err| Error::invalid("job", err.to_string()))?;
    // US Direct's order id names the one cancellation.
    let key = format!(
        "cancel:{}",
        payload["supplier_order_id"].as_str().unwrap_or_default()
    );
    outbox::enqueue(
        conn,
        JobKind::CancelSupplierOrder,
        Some(order_id),
        &key,
        &payload,
    )
    .await?;
    Ok(())
}

/// When a cancelled order had steps queued that have not run, they stop.
pub(crate) async fn stop_pending_steps(conn: &mut SqliteConnection, order_id: i64) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "UPDATE outbox_jobs SET state = 'cancelled', updated_at = ?, finished_at = ?,
                last_error = 'the order was cancelled'
         WHERE order_id = ? AND state = 'pending'
           AND kind IN ('create_supplier_order', 'authorize_payment')",
        now,
        now,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name("Jane Q. Doe"), ("Jane Q.".into(), "Doe".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), "Cher".into()));
    }

    #[test]
    fn limits_say_which_one_holds_an_order() {
        let rules = AutoAuthorize {
            enabled: true,
            max_total_minor: Some(10_000),
            daily_cap_minor: Some(15_000),
        };
        assert_eq!(limit_refusal(&rules, 9_000, 0), None);
        let over_max = limit_refusal(&rules, 12_000, 0).unwrap();
        assert!(
            over_max.contains("maximum order total of 100.00 USD"),
            "{over_max}"
        );
        let over_cap = limit_refusal(&rules, 9_000, 8_000).unwrap();
        assert!(over_cap.contains("cap of 150.00 USD"), "{over_cap}");
        let off = AutoAuthorize::default();
        assert!(limit_refusal(&off, 1, 0).is_some());
    }
}

/// Where US Direct is reached for live orders. The token is in the keyring, never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SupplierConnection {
    /// The API base URL, when US Direct is connected.
    pub url: Option<String>,
    /// A token is saved in the keyring.
    pub has_token: bool,
}

const SUPPLIER_URL_KEY: &str = "supplier_url";

impl Engine {
    /// Connects US Direct for live orders: an HTTPS API base URL (plain http only on loopback)
    /// and the API token, which goes to the keyring.
    pub fn validate_supplier_url(url: &str) -> Result<String> {
        crate::channel::validate_store_url(crate::domain::ChannelKind::Woocommerce, url).map_err(
            |err| match err {
                Error::InvalidInput { message, .. } => Error::invalid(
                    "supplier_url",
                    message.replace("a store must", "US Direct must"),
                ),
                other => other,
            },
        )
    }

    pub async fn connect_supplier(
        &self,
        url: &str,
        token: &crate::secret::Sensitive<String>,
    ) -> Result<SupplierConnection> {
        let url = Self::validate_supplier_url(url)?;
        crate::credentials::save_supplier_token(self.keyring(), self.store_id(), token)?;
        self.store().set_setting(SUPPLIER_URL_KEY, &url).await?;
        tracing::info!(%url, "US Direct connected");
        self.supplier_connection().await
    }

    pub async fn supplier_connection(&self) -> Result<SupplierConnection> {
        let url = self.store().setting(SUPPLIER_URL_KEY).await?;
        let has_token = match url {
            Some(_) => {
                crate::credentials::load_supplier_token(self.keyring(), self.store_id())?.is_some()
            }
            None => false,
        };
        Ok(SupplierConnection { url, has_token })
    }
}
