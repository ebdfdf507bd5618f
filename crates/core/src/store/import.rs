//! Applying a page of orders from a sales channel: one transaction per page, stored once per
//! (channel, channel order id), the newer version wins, and what the store changed is on the
//! order's timeline. Orders the client could not read are quarantined, not lost.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::orders::{insert_lines, insert_new_orders, subtotal};
use super::{Channel, Store};
use crate::channel::{ChannelOrder, Fetched, Malformed};
use crate::domain::{Actor, NewOrder};
use crate::fulfillment;
use crate::lifecycle::{self, AttentionKind, OrderStatus};
use crate::Result;

/// What applying one page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOutcome {
    pub imported: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub quarantined: u32,
    /// The latest `channel_updated_at` among the page's readable orders.
    pub newest_change: Option<DateTime<Utc>>,
}

impl Store {
    /// Applies one page in one transaction, the channel's cursor moved to the page's newest
    /// change in the same transaction (so a sync stopped anywhere resumes at the right page).
    /// New orders are written together ([`insert_new_orders`]); orders already stored are
    /// compared and updated one by one (an incremental sync brings a few).
    pub async fn apply_page(&self, channel: &Channel, items: &[Fetched]) -> Result<PageOutcome> {
        let mut outcome = PageOutcome::default();
        let mut tx = self.write_transaction().await?;
        let known = stored_versions(&mut tx, channel.id, items).await?;
        let quarantined = quarantined_ids(&mut tx, channel.id).await?;
        // The page's new orders, each once: a store that lists an order twice in a page gives
        // the newest version (the later one when they are as new).
        let mut new: Vec<&ChannelOrder> = Vec::new();
        let mut new_at: HashMap<&str, usize> = HashMap::new();
        for item in items {
            match item {
                Fetched::Order(order) => {
                    let id = order.order.channel_order_id.as_str();
                    if quarantined.contains(id) {
                        // A readable version supersedes the quarantined one.
                        sqlx::query!(
                            "DELETE FROM quarantined_orders
                             WHERE channel_id = ? AND channel_order_id = ?",
                            channel.id,
                            id
                        )
                        .execute(&mut *tx)
                        .await?;
                    }
                    let changed = order.order.channel_updated_at;
                    outcome.newest_change = outcome.newest_change.max(Some(changed));
                    if let Some(stored) = known.get(id) {
                        match apply_order(&mut tx, order, stored).await? {
                            Applied::Updated => outcome.updated += 1,
                            Applied::Unchanged => outcome.unchanged += 1,
                        }
                    } else if let Some(&at) = new_at.get(id) {
                        outcome.unchanged += 1;
                        if changed >= new[at].order.channel_updated_at {
                            new[at] = order;
                        }
                    } else {
                        new_at.insert(id, new.len());
                        new.push(order);
                    }
                }
                Fetched::Malformed(malformed) => {
                    quarantine(&mut tx, channel.id, malformed).await?;
                    outcome.quarantined += 1;
                }
            }
        }
        import_new(&mut tx, channel, &new).await?;
        outcome.imported = u32::try_from(new.len()).unwrap_or(u32::MAX);
        if let Some(newest) = outcome.newest_change {
            advance_cursor(&mut tx, channel.id, newest).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }
}

/// Writes the page's new orders, then holds those the store has not been paid for and
/// cancels those the store already cancelled (both rare, one by one).
async fn import_new(
    conn: &mut SqliteConnection,
    channel: &Channel,
    orders: &[&ChannelOrder],
) -> Result<()> {
    let detail = format!("imported from {}", channel.name);
    let new: Vec<&NewOrder> = orders.iter().map(|incoming| &incoming.order).collect();
    let ids = insert_new_orders(&mut *conn, channel.id, &new, Actor::Scheduler, &detail).await?;
    for (id, incoming) in ids.into_iter().zip(orders) {
        if incoming.cancelled {
            lifecycle::transition(
                &mut *conn,
                id,
                OrderStatus::Cancelled,
                Actor::Scheduler,
                "cancelled in the store",
            )
            .await?;
        } else if !incoming.order.store_payment.is_paid() {
            fulfillment::hold_if_unpaid(&mut *conn, id, Actor::Scheduler).await?;
        }
    }
    Ok(())
}

/// Moves the channel's cursor forward to `cursor` (never back).
async fn advance_cursor(
    conn: &mut SqliteConnection,
    channel_id: i64,
    cursor: DateTime<Utc>,
) -> Result<()> {
    sqlx::query!(
        "UPDATE channels SET sync_cursor = ?1
         WHERE id = ?2 AND (sync_cursor IS NULL OR sync_cursor < ?1)",
        cursor,
        channel_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What is stored of an order: its row id, status and the store's time for it.
struct Stored {
    id: i64,
    status: OrderStatus,
    channel_updated_at: DateTime<Utc>,
}

/// The stored versions of a page's orders, in one query.
async fn stored_versions(
    conn: &mut SqliteConnection,
    channel_id: i64,
    items: &[Fetched],
) -> Result<HashMap<String, Stored>> {
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Fetched::Order(order) => Some(order.order.channel_order_id.as_str()),
            Fetched::Malformed(_) => None,
        })
        .collect();
    let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", channel_order_id, status AS "status: OrderStatus",
                  channel_updated_at AS "channel_updated_at: DateTime<Utc>"
           FROM orders
           WHERE channel_id = ?1 AND channel_order_id IN (SELECT value FROM json_each(?2))"#,
        channel_id,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.channel_order_id,
                Stored {
                    id: row.id,
                    status: row.status,
                    channel_updated_at: row.channel_updated_at,
                },
            )
        })
        .collect())
}

/// The channel's quarantined order ids (almost always none).
async fn quarantined_ids(conn: &mut SqliteConnection, channel_id: i64) -> Result<HashSet<String>> {
    let rows = sqlx::query_scalar!(
        r#"SELECT channel_order_id AS "id!" FROM quarantined_orders
           WHERE channel_id = ? AND channel_order_id IS NOT NULL"#,
        channel_id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

enum Applied {
    Updated,
    Unchanged,
}

async fn apply_order(
    conn: &mut SqliteConnection,
    incoming: &ChannelOrder,
    existing: &Stored,
) -> Result<Applied> {
    let order = &incoming.order;
    // The store serves its current state, so what arrives now is at least as new as what was
    // stored, unless it is older by the store's own clock. Equal times are compared by content:
    // stores report whole seconds, and a change within the second must still land.
    if order.channel_updated_at < existing.channel_updated_at {
        return Ok(Applied::Unchanged);
    }
    let status = existing.status;
    let newly_cancelled = incoming.cancelled && status != OrderStatus::Cancelled;
    let mut changes: Vec<String> = update_order(&mut *conn, existing.id, order)
        .await?
        .into_iter()
        .map(String::from)
        .collect();
    let payment_changed =
        fulfillment::update_store_payment(&mut *conn, existing.id, &order.store_payment).await?;
    if payment_changed {
        changes.push(format!("payment (now {})", order.store_payment.summary()));
    }
    if changes.is_empty() && !newly_cancelled {
        return Ok(Applied::Unchanged);
    }
    if !changes.is_empty() {
        let detail = format!("changed in the store: {}", changes.join(", "));
        lifecycle::record_note(&mut *conn, existing.id, Actor::Scheduler, &detail).await?;
        // An order held by US Direct's rules, or not for US Direct, is checked again with what
        // the store changed (the sync routes it after this page): a line may be a US Direct
        // item now.
        let held_by_rules = sqlx::query_scalar!(
            "SELECT count(*) FROM orders
             WHERE id = ?1 AND ((status = ?2 AND attention_kind = ?3) OR status = ?4)",
            existing.id,
            OrderStatus::NeedsAttention,
            AttentionKind::Routing,
            OrderStatus::NotForUsDirect
        )
        .fetch_one(&mut *conn)
        .await?
            > 0;
        // An order held for the store's payment routes by itself once the store is paid.
        if payment_changed && !incoming.cancelled {
            fulfillment::payment_changed(&mut *conn, existing.id).await?;
        }
        if held_by_rules && !incoming.cancelled {
            lifecycle::transition(
                &mut *conn,
                existing.id,
                OrderStatus::Imported,
                Actor::Scheduler,
                "changed in the store: US Direct's checks run again",
            )
            .await?;
        }
    }
    if newly_cancelled {
        match status {
            status if status.can_move_to(OrderStatus::Cancelled) => {
                lifecycle::transition(
                    &mut *conn,
                    existing.id,
                    OrderStatus::Cancelled,
                    Actor::Scheduler,
                    "cancelled in the store",
                )
                .await?;
                crate::fulfillment::cancelled_in_store(&mut *conn, existing.id).await?;
            }
            _ => {
                lifecycle::record_note(
                    &mut *conn,
                    existing.id,
                    Actor::Scheduler,
                    "cancelled in the store after it shipped: check with the customer",
                )
                .await?;
            }
        }
    }
    Ok(Applied::Updated)
}

/// Writes the store's version over the stored order when its content differs; says what
/// changed (nothing: only the store's time is kept).
async fn update_order(
    conn: &mut SqliteConnection,
    id: i64,
    order: &NewOrder,
) -> Result<Vec<&'static str>> {
    let current = sqlx::query!(
        "SELECT customer_name, customer_email, ship_name, ship_line1, ship_line2, ship_city,
                ship_state_code, ship_postal_code, ship_country_code, ship_phone, number,
                total_minor, shipping_minor, tax_minor, currency
         FROM orders WHERE id = ?",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let lines = sqlx::query!(
        "SELECT sku, title, quantity, unit_price_minor, unit_weight_grams, requires_shipping
         FROM order_lines WHERE order_id = ? ORDER BY position",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let ship = &order.ship_to;
    let email = order
        .customer_email
        .as_ref()
        .map(|e| e.as_str().to_string());
    let mut changes = Vec::new();
    if current.customer_name != order.customer_name || current.customer_email != email {
        changes.push("customer");
    }
    let address_now = (
        &current.ship_name,
        &current.ship_line1,
        &current.ship_line2,
        &current.ship_city,
        &current.ship_state_code,
        &current.ship_postal_code,
        &current.ship_country_code,
        &current.ship_phone,
    );
    let address_new = (
        &ship.name,
        &ship.line1,
        &ship.line2,
        &ship.city,
        &ship.state_code,
        &ship.postal_code,
        &ship.country_code,
        &ship.phone,
    );
    if address_now != address_new {
        changes.push("ship-to address");
    }
    let lines_changed = lines.len() != order.lines.len()
        || lines.iter().zip(&order.lines).any(|(now, new)| {
            now.sku != new.sku_text()
                || (now.requires_shipping != 0) != new.requires_shipping
                || now.title != new.title
                || now.quantity != i64::from(new.quantity)
                || now.unit_price_minor != new.unit_price.minor
                || now.unit_weight_grams != i64::from(new.unit_weight_grams)
        });
    if lines_changed {
        changes.push("items");
    }
    if (
        current.total_minor,
        current.shipping_minor,
        current.tax_minor,
    ) != (order.total.minor, order.shipping.minor, order.tax.minor)
        || current.currency != order.total.currency.as_str()
    {
        changes.push("totals");
    }
    if current.number != order.number {
        changes.push("order number");
    }
    if changes.is_empty() {
        // Same content: only remember the store's time, so the order is not compared again.
        sqlx::query!(
            "UPDATE orders SET channel_updated_at = ? WHERE id = ?",
            order.channel_updated_at,
            id
        )
        .execute(&mut *conn)
        .await?;
        return Ok(changes);
    }
    let subtotal = subtotal(order)?;
    let now = Utc::now();
    let currency = order.total.currency.as_str();
    sqlx::query!(
        "UPDATE orders SET number = ?, customer_name = ?, customer_email = ?, ship_name = ?,
                ship_line1 = ?, ship_line2 = ?, ship_city = ?, ship_state_code = ?,
                ship_postal_code = ?, ship_country_code = ?, ship_phone = ?, currency = ?,
                subtotal_minor = ?, shipping_minor = ?, tax_minor = ?, total_minor = ?,
                channel_updated_at = ?, updated_at = ?
         WHERE id = ?",
        order.number,
        order.customer_name,
        email,
        ship.name,
        ship.line1,
        ship.line2,
        ship.city,
        ship.state_code,
        ship.postal_code,
        ship.country_code,
        ship.phone,
        currency,
        subtotal.minor,
        order.shipping.minor,
        order.tax.minor,
        order.total.minor,
        order.channel_updated_at,
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    if lines_changed {
        sqlx::query!("DELETE FROM order_lines WHERE order_id = ?", id)
            .execute(&mut *conn)
            .await?;
        insert_lines(&mut *conn, &[(id, order)]).await?;
        super::orders::index_for_search(&mut *conn, id).await?;
    }
    Ok(changes)
}

async fn quarantine(
    conn: &mut SqliteConnection,
    channel_id: i64,
    malformed: &Malformed,
) -> Result<()> {
    let now = Utc::now();
    sqlx::query!(
        "INSERT INTO quarantined_orders
             (channel_id, channel_order_id, reason, excerpt, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, channel_order_id) DO UPDATE SET
             reason = excluded.reason, excerpt = excluded.excerpt,
             last_seen_at = excluded.last_seen_at, times_seen = times_seen + 1",
        channel_id,
        malformed.channel_order_id,
        malformed.reason,
        malformed.excerpt,
        now,
        now
    )
    .execute(&mut *conn)
    .await?;
    tracing::warn!(channel_id, reason = %malformed.reason, "order quarantined");
    Ok(())
}
