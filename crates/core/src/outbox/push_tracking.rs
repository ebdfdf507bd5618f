//! `push_tracking`: writes a shipment's tracking to the store it was ordered from. The clients
//! look before they write, so a push whose answer was lost is found, not repeated. Once every
//! shipment of a `shipped` order is in the store, the order is `completed`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::handler::{to_payload, Context, Handler, JobEnd, JobError};
use super::{queue, Claimed, JobKind};
use crate::channel::{FulfillmentLine, FulfillmentRequest, PushedFulfillment};
use crate::domain::Actor;
use crate::lifecycle::{self, OrderStatus};
use crate::{Error, Result};

#[derive(Serialize, Deserialize)]
struct Payload {
    shipment_id: i64,
}

/// Queues the push of a shipment's (valid) tracking number, once per order and number.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    order_id: i64,
    tracking_number: &str,
    shipment_id: i64,
) -> Result<i64> {
    let payload = to_payload(&Payload { shipment_id })?;
    queue::enqueue(
        conn,
        JobKind::PushTracking,
        Some(order_id),
        &format!("push:{order_id}:{tracking_number}"),
        &payload,
    )
    .await
}

pub(super) struct PushTracking;

#[async_trait]
impl Handler for PushTracking {
    async fn run(&self, cx: &Context<'_>, job: &Claimed) -> Result<JobEnd, JobError> {
        let payload: Payload = job.payload()?;
        let plan = {
            let mut conn = cx.engine.store().pool().acquire().await?;
            push_plan(&mut conn, payload.shipment_id).await?
        };
        let channel = cx
            .engine
            .store()
            .channels()
            .await?
            .into_iter()
            .find(|channel| channel.id == plan.channel_id)
            .ok_or_else(|| {
                job.unreadable("its store was disconnected; connect it again to send the tracking")
            })?;
        let client = cx.connect.client(&channel)?;
        let pushed = client
            .push_fulfillment(&plan.request)
            .await
            .map_err(JobError::Channel)?;
        let Some(mut tx) = cx.succeed(job).await? else {
            return Ok(JobEnd::Retrying);
        };
        record_pushed(&mut tx, payload.shipment_id, &pushed, &channel.name).await?;
        tx.commit().await?;
        Ok(JobEnd::Done)
    }
}

/// What a `push_tracking` job sends.
struct PushPlan {
    pub channel_id: i64,
    pub request: FulfillmentRequest,
}

/// Builds the store request for a shipment.
async fn push_plan(conn: &mut SqliteConnection, shipment_id: i64) -> Result<PushPlan> {
    let row = sqlx::query!(
        r#"SELECT s.order_id, s.tracking_number, s.carrier, s.tracking_url, o.channel_id,
                  o.channel_order_id, o.number
           FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = ?"#,
        shipment_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("shipment {shipment_id}"),
    })?;
    let lines = sqlx::query!(
        "SELECT sku, quantity FROM shipment_lines WHERE shipment_id = ? ORDER BY sku",
        shipment_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|line| FulfillmentLine {
        sku: line.sku,
        quantity: u32::try_from(line.quantity).unwrap_or(0),
    })
    .collect();
    let status = lifecycle::status(conn, row.order_id).await?;
    let others_pending = sqlx::query_scalar!(
        "SELECT count(*) FROM shipments WHERE order_id = ? AND id != ? AND pushed_at IS NULL",
        row.order_id,
        shipment_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(PushPlan {
        channel_id: row.channel_id,
        request: FulfillmentRequest {
            channel_order_id: row.channel_order_id,
            order_number: row.number,
            tracking_number: row.tracking_number,
            carrier: row.carrier,
            tracking_url: row.tracking_url,
            lines,
            completes_order: status == OrderStatus::Shipped && others_pending == 0,
        },
    })
}

/// Records the store's confirmation; completes the order once every shipment is confirmed.
async fn record_pushed(
    conn: &mut SqliteConnection,
    shipment_id: i64,
    pushed: &PushedFulfillment,
    channel: &str,
) -> Result<()> {
    let now: DateTime<Utc> = Utc::now();
    sqlx::query!(
        "UPDATE shipments SET pushed_at = ?, channel_fulfillment_id = ? WHERE id = ?",
        now,
        pushed.id,
        shipment_id
    )
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query!(
        "SELECT order_id, tracking_number FROM shipments WHERE id = ?",
        shipment_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let detail = format!(
        "tracking {} {} {channel}{}",
        row.tracking_number,
        if pushed.already_there {
            "was already in"
        } else {
            "written to"
        },
        if pushed.already_there {
            " (nothing written twice)"
        } else {
            ""
        }
    );
    let status = lifecycle::status(conn, row.order_id).await?;
    let unconfirmed = sqlx::query_scalar!(
        "SELECT count(*) FROM shipments WHERE order_id = ? AND pushed_at IS NULL",
        row.order_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if status == OrderStatus::Shipped && unconfirmed == 0 {
        lifecycle::transition(
            &mut *conn,
            row.order_id,
            OrderStatus::Completed,
            Actor::System,
            &format!("{detail}; every shipment is in the store"),
        )
        .await?;
    } else {
        lifecycle::record_note(&mut *conn, row.order_id, Actor::System, &detail).await?;
    }
    Ok(())
}
