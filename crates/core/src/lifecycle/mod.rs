//! The order lifecycle of DESIGN.md: which status may follow which, and the one function that
//! changes an order's status. Nothing else in the engine writes `orders.status`, nor the side
//! state that goes with it (why an order needs attention: [`Attention`]); every change here
//! writes an order event (when, from, to, who, why) in the same transaction.
//!
//! ```text
//! imported ─▶ awaiting_authorization ─▶ authorized ─▶ processing ─▶ partially_shipped ─▶ shipped ─▶ completed
//!     └────────────┴──────────────┴──────────┴──▶ needs_attention ─▶ (resolve) imported / awaiting_authorization
//!     └──▶ not_for_us_direct ─▶ (a SKU mapped) imported
//! cancelled: from any status before anything shipped
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::domain::Actor;

mod attention;

pub use attention::{Attention, AttentionKind};

/// An order's status: stored as its snake_case name (`orders.status`, the events' `from_status`
/// and `to_status`), the same text it has in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
#[sqlx(rename_all = "snake_case")]
pub enum OrderStatus {
    Imported,
    AwaitingAuthorization,
    Authorized,
    Processing,
    PartiallyShipped,
    Shipped,
    Completed,
    NeedsAttention,
    Cancelled,
    /// No line of the order is a US Direct item (another supplier's items, lines without a
    /// SKU, nothing to ship): the dealer fulfils it elsewhere. It is never routed, and routes
    /// again when one of its SKUs is mapped to a US Direct item.
    NotForUsDirect,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 10] = [
        OrderStatus::Imported,
        OrderStatus::AwaitingAuthorization,
        OrderStatus::Authorized,
        OrderStatus::Processing,
        OrderStatus::PartiallyShipped,
        OrderStatus::Shipped,
        OrderStatus::Completed,
        OrderStatus::NeedsAttention,
        OrderStatus::Cancelled,
        OrderStatus::NotForUsDirect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Imported => "imported",
            OrderStatus::AwaitingAuthorization => "awaiting_authorization",
            OrderStatus::Authorized => "authorized",
            OrderStatus::Processing => "processing",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Completed => "completed",
            OrderStatus::NeedsAttention => "needs_attention",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::NotForUsDirect => "not_for_us_direct",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// The statuses an order may move to from this one.
    pub fn next_allowed(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            // Routing checks the supplier's rules: pass → awaiting authorization, fail → attention.
            // Or no line is a US Direct item.
            Imported => &[
                AwaitingAuthorization,
                NeedsAttention,
                NotForUsDirect,
                Cancelled,
            ],
            // Authorize Order for Payment (dealer or auto rule), or a failed check.
            AwaitingAuthorization => &[Authorized, NeedsAttention, Cancelled],
            // The supplier accepts the order, or rejects / declines payment.
            Authorized => &[Processing, NeedsAttention, Cancelled],
            // Shipments arrive; the supplier may still put the order on hold.
            Processing => &[PartiallyShipped, Shipped, NeedsAttention, Cancelled],
            PartiallyShipped => &[Shipped, NeedsAttention],
            // Tracking confirmed by the store; a bad tracking number needs the dealer.
            Shipped => &[Completed, NeedsAttention],
            Completed => &[],
            // Resolve routes the order again (or returns it to authorization, to retry a
            // declined payment); shipped work that was flagged goes back where it was.
            NeedsAttention => &[
                Imported,
                AwaitingAuthorization,
                Processing,
                PartiallyShipped,
                Shipped,
                Cancelled,
            ],
            Cancelled => &[],
            // A SKU of the order was mapped to a US Direct item: routed again.
            NotForUsDirect => &[Imported, Cancelled],
        }
    }

    pub fn can_move_to(self, next: OrderStatus) -> bool {
        self.next_allowed().contains(&next)
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("order {order_id} is {from}; it cannot become {to}")]
    Forbidden {
        order_id: i64,
        from: OrderStatus,
        to: OrderStatus,
    },
    #[error(
        "order {order_id} changed while this step ran (it is now {now}); reload and try again"
    )]
    Conflict { order_id: i64, now: OrderStatus },
    #[error("order {order_id} does not exist")]
    NoSuchOrder { order_id: i64 },
}

/// What a transition did, for the caller's own record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub order_id: i64,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub at: DateTime<Utc>,
}

/// Where a transition takes an order: a status, and for `needs_attention` why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Any status. A bare move to `needs_attention` is a refusal explained by the event's
    /// detail; the engine names the kind with [`Target::NeedsAttention`].
    Status(OrderStatus),
    /// `needs_attention`, with its kind, the dealer's message and the failed rules.
    NeedsAttention(Attention),
}

impl Target {
    pub fn status(&self) -> OrderStatus {
        match self {
            Target::Status(status) => *status,
            Target::NeedsAttention(_) => OrderStatus::NeedsAttention,
        }
    }
}

impl From<OrderStatus> for Target {
    fn from(status: OrderStatus) -> Self {
        Target::Status(status)
    }
}

impl From<Attention> for Target {
    fn from(attention: Attention) -> Self {
        Target::NeedsAttention(attention)
    }
}

/// Moves an order to `to`, if the lifecycle allows it from its current status, and records the
/// event. Runs on the caller's connection so it can share the caller's transaction (with an
/// outbox job, for instance). The update is a compare-and-set on the status that was read, so
/// two racing callers cannot both succeed. A move into `needs_attention` writes why; any other
/// move clears it.
pub async fn transition(
    conn: &mut SqliteConnection,
    order_id: i64,
    to: impl Into<Target>,
    actor: Actor,
    detail: &str,
) -> crate::Result<Applied> {
    let target = to.into();
    let to = target.status();
    let from = status(conn, order_id).await?;
    if !from.can_move_to(to) {
        return Err(TransitionError::Forbidden { order_id, from, to }.into());
    }
    let attention = match target {
        Target::NeedsAttention(attention) => Some(attention),
        Target::Status(OrderStatus::NeedsAttention) => {
            Some(Attention::new(AttentionKind::Refused, detail))
        }
        Target::Status(_) => None,
    };
    let kind = attention.as_ref().map(|attention| attention.kind);
    let reason = attention
        .as_ref()
        .map(|attention| attention.reason.as_str());
    let detail_json = match &attention {
        Some(attention) => attention.detail_json()?,
        None => None,
    };
    let at = Utc::now();
    let updated = sqlx::query!(
        "UPDATE orders SET status = ?, updated_at = ?, attention_kind = ?, attention_reason = ?,
                attention_detail = ?
         WHERE id = ? AND status = ?",
        to,
        at,
        kind,
        reason,
        detail_json,
        order_id,
        from
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        let now = status(conn, order_id).await?;
        return Err(TransitionError::Conflict { order_id, now }.into());
    }
    if to == OrderStatus::Completed {
        // When it completed, on the order: the Dashboard's lead times read it from an index.
        sqlx::query("UPDATE orders SET completed_at = coalesce(completed_at, ?) WHERE id = ?")
            .bind(at)
            .bind(order_id)
            .execute(&mut *conn)
            .await?;
    }
    record_event(conn, order_id, at, Some(from), to, actor, detail).await?;
    Ok(Applied {
        order_id,
        from,
        to,
        at,
    })
}

/// The order's status now, read on the caller's connection (inside its transaction).
pub async fn status(conn: &mut SqliteConnection, order_id: i64) -> crate::Result<OrderStatus> {
    Ok(sqlx::query_scalar!(
        r#"SELECT status AS "status: OrderStatus" FROM orders WHERE id = ?"#,
        order_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(TransitionError::NoSuchOrder { order_id })?)
}

/// Records something that happened to an order without changing its status (an edit in the
/// store, say): an event whose `from` and `to` are both the current status.
pub async fn record_note(
    conn: &mut SqliteConnection,
    order_id: i64,
    actor: Actor,
    detail: &str,
) -> crate::Result<()> {
    let status = status(conn, order_id).await?;
    record_event(
        conn,
        order_id,
        Utc::now(),
        Some(status),
        status,
        actor,
        detail,
    )
    .await
}

/// Moves orders that are all in `from` to `needs_attention`, each with its attention (whose
/// reason is also the event's detail), in two statements. For a caller holding the write lock
/// that has just read them in `from` (routing): the moves are still compare-and-set on `from`,
/// and a count that does not match is a conflict.
pub(crate) async fn hold_all(
    conn: &mut SqliteConnection,
    from: OrderStatus,
    holds: &[(i64, Attention)],
    actor: Actor,
) -> crate::Result<()> {
    #[derive(serde::Serialize)]
    struct Hold<'a> {
        id: i64,
        kind: AttentionKind,
        reason: &'a str,
        detail: Option<String>,
    }
    let to = OrderStatus::NeedsAttention;
    if holds.is_empty() {
        return Ok(());
    }
    if !from.can_move_to(to) {
        let order_id = holds[0].0;
        return Err(TransitionError::Forbidden { order_id, from, to }.into());
    }
    let rows = holds
        .iter()
        .map(|(id, attention)| {
            Ok(Hold {
                id: *id,
                kind: attention.kind,
                reason: &attention.reason,
                detail: attention.detail_json()?,
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let rows = serde_json::to_string(&rows)
        .map_err(|err| crate::Error::invalid("attention", err.to_string()))?;
    let at = Utc::now();
    let updated = sqlx::query!(
        "UPDATE orders SET status = ?1, updated_at = ?2, attention_kind = h.value ->> '$.kind',
                attention_reason = h.value ->> '$.reason',
                attention_detail = h.value ->> '$.detail'
         FROM json_each(?3) h
         WHERE orders.id = h.value ->> '$.id' AND orders.status = ?4",
        to,
        at,
        rows,
        from
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != holds.len() as u64 {
        let order_id = holds[0].0;
        let now = status(conn, order_id).await?;
        return Err(TransitionError::Conflict { order_id, now }.into());
    }
    sqlx::query!(
        "INSERT INTO order_events (order_id, at, from_status, to_status, actor, detail)
         SELECT h.value ->> '$.id', ?1, ?2, ?3, ?4, h.value ->> '$.reason'
         FROM json_each(?5) h ORDER BY h.key",
        at,
        from,
        to,
        actor,
        rows
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records one event, the same for every order of `order_ids` (their ids as a JSON array), in
/// one statement: the first event of newly stored orders (`from` is `None`, `to` imported), or
/// the same note on orders all in one status (`from` and `to` both that status, see
/// [`record_note`]).
pub(crate) async fn record_events(
    conn: &mut SqliteConnection,
    order_ids: &str,
    at: DateTime<Utc>,
    (from, to): (Option<OrderStatus>, OrderStatus),
    actor: Actor,
    detail: &str,
) -> crate::Result<()> {
    sqlx::query!(
        "INSERT INTO order_events (order_id, at, from_status, to_status, actor, detail)
         SELECT value, ?1, ?2, ?3, ?4, ?5 FROM json_each(?6) ORDER BY key",
        at,
        from,
        to,
        actor,
        detail,
        order_ids
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn record_event(
    conn: &mut SqliteConnection,
    order_id: i64,
    at: DateTime<Utc>,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: Actor,
    detail: &str,
) -> crate::Result<()> {
    sqlx::query!(
        "INSERT INTO order_events (order_id, at, from_status, to_status, actor, detail)
         VALUES (?, ?, ?, ?, ?, ?)",
        order_id,
        at,
        from,
        to,
        actor,
        detail
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    /// Every edge of DESIGN.md's lifecycle diagram, spelled out once more so a change to the
    /// table above has to be made on purpose.
    const DESIGN_EDGES: &[(OrderStatus, OrderStatus)] = &[
        (Imported, AwaitingAuthorization),
        (Imported, NeedsAttention),
        (Imported, Cancelled),
        (AwaitingAuthorization, Authorized),
        (AwaitingAuthorization, NeedsAttention),
        (AwaitingAuthorization, Cancelled),
        (Authorized, Processing),
        (Authorized, NeedsAttention),
        (Authorized, Cancelled),
        (Processing, PartiallyShipped),
        (Processing, Shipped),
        (Processing, NeedsAttention),
        (Processing, Cancelled),
        (PartiallyShipped, Shipped),
        (PartiallyShipped, NeedsAttention),
        (Shipped, Completed),
        (Shipped, NeedsAttention),
        (NeedsAttention, Imported),
        (NeedsAttention, AwaitingAuthorization),
        (NeedsAttention, Processing),
        (NeedsAttention, PartiallyShipped),
        (NeedsAttention, Shipped),
        (NeedsAttention, Cancelled),
        (Imported, NotForUsDirect),
        (NotForUsDirect, Imported),
        (NotForUsDirect, Cancelled),
    ];

    #[test]
    fn exactly_the_design_edges_are_allowed() {
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                let expected = DESIGN_EDGES.contains(&(from, to));
                assert_eq!(from.can_move_to(to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn the_forbidden_moves_that_matter() {
        assert!(!Authorized.can_move_to(Authorized), "authorize twice");
        assert!(!Cancelled.can_move_to(Shipped), "ship a cancelled order");
        assert!(
            !Cancelled.can_move_to(Authorized),
            "authorize a cancelled order"
        );
        assert!(
            !Imported.can_move_to(Authorized),
            "authorize before routing"
        );
        assert!(!Shipped.can_move_to(Cancelled), "cancel after shipping");
        assert!(
            !PartiallyShipped.can_move_to(Cancelled),
            "cancel after a shipment"
        );
        assert!(
            !Completed.can_move_to(NeedsAttention),
            "reopen a completed order"
        );
        for status in OrderStatus::ALL {
            assert!(!status.can_move_to(status), "{status} -> itself");
        }
    }

    #[test]
    fn status_text_round_trips() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(OrderStatus::parse("shipped!"), None);
    }

    /// The enums are stored as the text they always were (their JSON names), so existing
    /// databases read the same; a name that is not one of them is an error, not a guess.
    #[tokio::test]
    async fn enums_are_stored_as_their_json_names() {
        use crate::domain::ChannelKind;
        use crate::outbox::{JobKind, JobState};
        use crate::supplier::PaymentStatus;
        use sqlx::{Connection, SqliteConnection};

        async fn round_trip<T>(conn: &mut SqliteConnection, values: &[T])
        where
            T: Serialize
                + PartialEq
                + std::fmt::Debug
                + Copy
                + Send
                + Unpin
                + for<'q> sqlx::Encode<'q, sqlx::Sqlite>
                + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
                + sqlx::Type<sqlx::Sqlite>,
        {
            for &value in values {
                let json = serde_json::to_value(value).unwrap();
                let stored: String = sqlx::query_scalar("SELECT ?")
                    .bind(value)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert_eq!(Some(stored.as_str()), json.as_str());
                let read: T = sqlx::query_scalar("SELECT ?")
                    .bind(stored)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
                assert_eq!(read, value);
            }
            let unknown = sqlx::query_scalar::<_, T>("SELECT 'no_such_value'")
                .fetch_one(&mut *conn)
                .await;
            assert!(unknown.is_err());
        }

        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        round_trip(&mut conn, &OrderStatus::ALL).await;
        assert_eq!(
            sqlx::query_scalar::<_, String>("SELECT ?")
                .bind(AwaitingAuthorization)
                .fetch_one(&mut conn)
                .await
                .unwrap(),
            "awaiting_authorization"
        );
        round_trip(
            &mut conn,
            &[
                AttentionKind::Routing,
                AttentionKind::Refused,
                AttentionKind::Declined,
                AttentionKind::Stopped,
                AttentionKind::Unpaid,
                AttentionKind::FraudRisk,
            ],
        )
        .await;
        round_trip(
            &mut conn,
            &[
                Actor::Dealer,
                Actor::AutoRule,
                Actor::Scheduler,
                Actor::System,
                Actor::Supplier,
            ],
        )
        .await;
        round_trip(
            &mut conn,
            &[
                JobKind::CreateSupplierOrder,
                JobKind::AuthorizePayment,
                JobKind::CancelSupplierOrder,
                JobKind::PushTracking,
                JobKind::CancelStoreOrder,
            ],
        )
        .await;
        round_trip(
            &mut conn,
            &[
                JobState::Pending,
                JobState::Running,
                JobState::Succeeded,
                JobState::Failed,
                JobState::Cancelled,
            ],
        )
        .await;
        round_trip(
            &mut conn,
            &[
                ChannelKind::Shopify,
                ChannelKind::Woocommerce,
                ChannelKind::Bigcommerce,
            ],
        )
        .await;
        round_trip(
            &mut conn,
            &[
                PaymentStatus::NotAuthorized,
                PaymentStatus::Authorized,
                PaymentStatus::Paid,
                PaymentStatus::Declined,
            ],
        )
        .await;
    }
}
