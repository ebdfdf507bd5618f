//! Authorize Order for Payment: one transaction moves the order `awaiting_authorization →
//! authorized` (compare-and-set) and queues its `authorize_payment` job. A second click, a bulk
//! action over the same order or another process finds it authorized and answers
//! `already_authorized` without a job. An order whose payment was declined is authorized again
//! as a new attempt.

use chrono::Utc;
use serde::Serialize;
use sqlx::SqliteConnection;

use super::{money_text, not_found};
use crate::changes::Change;
use crate::domain::{Actor, Environment};
use crate::lifecycle::{self, AttentionKind, OrderStatus};
use crate::outbox;
use crate::{Engine, Result};

/// What an authorize request did to one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuthorizeOutcome {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub order_id: i64,
    pub number: String,
    pub result: AuthorizeResult,
    /// For the dealer: what happened, or why not.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum AuthorizeResult {
    /// Authorized; the payment authorization is on its way to US Direct.
    Queued,
    /// It was already authorized (a double click, another device): nothing more was done.
    AlreadyAuthorized,
    /// The order cannot be authorized in its status.
    NotAllowed,
}

impl Engine {
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
}

pub(super) async fn authorize_in_tx(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
    actor: Actor,
) -> Result<AuthorizeOutcome> {
    let order = sqlx::query!(
        r#"SELECT number, status AS "status: OrderStatus",
                  attention_kind AS "attention_kind: AttentionKind", supplier_invoice_id,
                  supplier_cost_minor, environment AS "environment: Environment"
           FROM orders WHERE id = ?"#,
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
    let declined = order.attention_kind == Some(AttentionKind::Declined);
    match order.status {
        OrderStatus::AwaitingAuthorization => {}
        OrderStatus::NeedsAttention if declined => {
            lifecycle::transition(
                &mut *conn,
                order_id,
                OrderStatus::AwaitingAuthorization,
                actor,
                "resolved: payment to be authorized again",
            )
            .await?;
        }
        OrderStatus::Authorized | OrderStatus::Processing => {
            return Ok(outcome(
                AuthorizeResult::AlreadyAuthorized,
                format!("order {} is already authorized", order.number),
            ))
        }
        OrderStatus::PartiallyShipped | OrderStatus::Shipped | OrderStatus::Completed => {
            return Ok(outcome(
                AuthorizeResult::AlreadyAuthorized,
                format!("order {} was authorized and has shipped", order.number),
            ))
        }
        _ => {
            return Ok(outcome(
                AuthorizeResult::NotAllowed,
                format!(
                    "order {} {}; only an order awaiting authorization can be authorized",
                    order.number,
                    match order.status {
                        OrderStatus::NeedsAttention => "needs attention".to_string(),
                        other => format!("is {}", other.as_str().replace('_', " ")),
                    }
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
    sqlx::query!(
        "UPDATE orders SET authorized_at = ?, authorized_by = ? WHERE id = ?",
        now,
        actor,
        order_id
    )
    .execute(&mut *conn)
    .await?;
    outbox::enqueue_authorize_payment(conn, store_id, order_id, invoice_id, amount).await?;
    Ok(outcome(
        AuthorizeResult::Queued,
        match order.environment {
            Environment::Live => format!("order {} authorized for payment", order.number),
            Environment::Sandbox => format!(
                "order {} authorized for payment with the sandbox US Direct (no real money)",
                order.number
            ),
        },
    ))
}
