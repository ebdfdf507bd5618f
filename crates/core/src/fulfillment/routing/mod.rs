//! Routing: an `imported` order is checked against US Direct's rules ([`rules`]); every failed
//! rule sends it to `needs_attention` with its message and the rule itself, so the order page
//! offers the matching Resolve action. A passing order gets a `create_supplier_order` job with
//! the request frozen in its payload. An order the store has not been paid for is held before
//! any of that ([`super::payment_hold`]). The order stays `imported` until US Direct answers.

mod rules;

use serde::Deserialize;
use sqlx::SqliteConnection;

pub use rules::{check, RoutingProblem, MAX_WEIGHT_GRAMS};

use super::not_found;
use crate::changes::Change;
use crate::domain::{
    Actor, Address, ChannelKind, Currency, LineDestination, Money, NewOrderLine, PaymentState, Sku,
    StorePayment,
};
use crate::lifecycle::{self, Attention, AttentionKind, OrderStatus};
use crate::outbox::{self, JobKind, JobState};
use crate::supplier::{ShipTo, SupplierLine, SupplierOrderRequest};
use crate::{Engine, Result};

/// How many orders one routing transaction takes: a first import of 10,000 orders is routed in
/// 20 transactions of a few statements each, and the window's reads wait at most one of them.
const ROUTE_BATCH: usize = 500;

impl Engine {
    /// Routes every `imported` order that has no supplier order under way: the supplier's
    /// rules first, then the supplier order through the outbox. Returns how many were looked at.
    /// Runs after each Order Sync (the app's worker, `dealer sync`), not inside it, so the import
    /// itself stays as fast as it was.
    pub async fn route_imported(&self) -> Result<usize> {
        // An order whose supplier order is queued, being sent or placed is not routed again.
        let ids = sqlx::query_scalar!(
            r#"SELECT o.id AS "id!" FROM orders o
               WHERE o.status = ?1
                 AND NOT EXISTS (SELECT 1 FROM outbox_jobs j
                                 WHERE j.order_id = o.id AND j.kind = ?2
                                   AND j.state IN (?3, ?4, ?5))
               ORDER BY o.placed_at, o.id"#,
            OrderStatus::Imported,
            JobKind::CreateSupplierOrder,
            JobState::Pending,
            JobState::Running,
            JobState::Succeeded
        )
        .fetch_all(self.store().pool())
        .await?;
        for chunk in ids.chunks(ROUTE_BATCH) {
            let mut tx = self.store().write_transaction().await?;
            route_orders(&mut tx, self.store_id(), chunk).await?;
            tx.commit().await?;
        }
        if !ids.is_empty() {
            self.publish(Change::Orders { reason: "routed" });
            self.publish(Change::JobsDue);
        }
        Ok(ids.len())
    }
}

/// Routes one order (Resolve → Route again, a retried refusal): [`route_orders`] for it alone.
pub(super) async fn route_in_tx(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_id: i64,
) -> Result<()> {
    let exists = sqlx::query_scalar!("SELECT count(*) FROM orders WHERE id = ?", order_id)
        .fetch_one(&mut *conn)
        .await?;
    if exists == 0 {
        return Err(not_found(order_id));
    }
    route_orders(conn, store_id, &[order_id]).await
}

/// Checks the `imported` orders among `order_ids` against the store's payment and US Direct's
/// rules: each one that passes gets its supplier order queued, each one that fails goes to
/// `needs_attention` with every failed rule. Reads and writes are a few statements for the
/// whole batch; the decision about each order is made apart from the others, so a bug met on
/// one order's data (a panic) holds that order with the reason and routes the rest.
async fn route_orders(
    conn: &mut SqliteConnection,
    store_id: &str,
    order_ids: &[i64],
) -> Result<()> {
    let ids = serde_json::to_string(order_ids)
        .map_err(|err| crate::Error::invalid("orders", err.to_string()))?;
    // Where each line goes, by the SKU map of now: one statement for the batch, read back with
    // the lines below. The same rule as `LineDestination::of`.
    sqlx::query!(
        "UPDATE order_lines SET destination = CASE
             WHEN trim(sku) = '' THEN 'no_sku'
             WHEN requires_shipping = 0 THEN 'not_shipped'
             WHEN EXISTS (SELECT 1 FROM sku_map m WHERE m.store_sku = order_lines.sku)
                 THEN 'us_direct'
             ELSE 'other_supplier' END
         WHERE order_id IN (SELECT o.id FROM orders o
                            WHERE o.id IN (SELECT value FROM json_each(?1)) AND +o.status = ?2)",
        ids,
        OrderStatus::Imported
    )
    .execute(&mut *conn)
    .await?;
    // The batch's orders with their lines, as one JSON text: one row to hand over instead of
    // a row per order and per line. Read by id (`+o.status` keeps SQLite from walking every
    // imported order instead).
    let batch = sqlx::query_scalar!(
        r#"SELECT json_group_array(json(routed)) AS "batch!: String" FROM (
               SELECT json_object(
                   'id', o.id, 'number', o.number, 'customer_email', o.customer_email,
                   'ship_name', o.ship_name, 'ship_line1', o.ship_line1,
                   'ship_line2', o.ship_line2, 'ship_city', o.ship_city,
                   'ship_state_code', o.ship_state_code,
                   'ship_postal_code', o.ship_postal_code,
                   'ship_country_code', o.ship_country_code, 'ship_phone', o.ship_phone,
                   'currency', o.currency, 'weight_hold_released', o.weight_hold_released,
                   'po_box_hold_released', o.po_box_hold_released,
                   'store_payment', o.store_payment,
                   'store_payment_status', o.store_payment_status,
                   'payment_hold_released', o.payment_hold_released, 'kind', c.kind,
                   'lines', (SELECT json_group_array(json(line)) FROM (
                       SELECT json_object(
                           'sku', l.sku, 'title', l.title, 'quantity', l.quantity,
                           'unit_price_minor', l.unit_price_minor,
                           'unit_weight_grams', l.unit_weight_grams,
                           'destination', l.destination,
                           'supplier_sku', m.supplier_sku,
                           'item_carried', i.carried, 'item_weight_grams', i.weight_grams,
                           'item_available', i.available) AS line
                       FROM order_lines l LEFT JOIN sku_map m ON m.store_sku = l.sku
                       LEFT JOIN supplier_items i ON i.environment = o.environment
                                                 AND i.sku = m.supplier_sku
                       WHERE l.order_id = o.id ORDER BY l.position))) AS routed
               FROM orders o JOIN channels c ON c.id = o.channel_id
               WHERE o.id IN (SELECT value FROM json_each(?1)) AND +o.status = ?2
               ORDER BY o.placed_at, o.id)"#,
        ids,
        OrderStatus::Imported
    )
    .fetch_one(&mut *conn)
    .await?;
    let orders: Vec<ToRoute> = serde_json::from_str(&batch)
        .map_err(|err| crate::Error::invalid("orders", format!("routing could not read: {err}")))?;
    if orders.is_empty() {
        return Ok(());
    }
    let mut holds = Vec::new();
    let mut sends = Vec::new();
    let mut elsewhere = Vec::new();
    for order in &orders {
        let decided =
            crate::panics::isolate_sync("routing an order", || decide(order, &order.lines))
                .unwrap_or_else(|panic| {
                    let reason = crate::panics::reason(
                        "checking this order against US Direct's rules",
                        &panic,
                    );
                    Route::Hold(Attention::new(AttentionKind::Refused, reason))
                });
        match decided {
            Route::Hold(attention) => holds.push((order.id, attention)),
            Route::Send(request) => sends.push((order.id, *request)),
            Route::Elsewhere(detail) => elsewhere.push((order.id, detail)),
        }
    }
    lifecycle::hold_all(conn, OrderStatus::Imported, &holds, Actor::System).await?;
    for (id, detail) in &elsewhere {
        lifecycle::transition(
            conn,
            *id,
            OrderStatus::NotForUsDirect,
            Actor::System,
            detail,
        )
        .await?;
    }
    let sent: Vec<i64> = sends.iter().map(|(id, _)| *id).collect();
    outbox::enqueue_create_supplier_orders(conn, store_id, sends).await?;
    if !sent.is_empty() {
        let sent = serde_json::to_string(&sent)
            .map_err(|err| crate::Error::invalid("orders", err.to_string()))?;
        let imported = OrderStatus::Imported;
        lifecycle::record_events(
            conn,
            &sent,
            chrono::Utc::now(),
            (Some(imported), imported),
            Actor::System,
            "US Direct's checks passed; sending the order to US Direct",
        )
        .await?;
    }
    Ok(())
}

/// An `imported` order as routing reads it.
#[derive(Deserialize)]
struct ToRoute {
    id: i64,
    number: String,
    customer_email: Option<String>,
    ship_name: String,
    ship_line1: String,
    ship_line2: Option<String>,
    ship_city: String,
    ship_state_code: String,
    ship_postal_code: String,
    ship_country_code: String,
    ship_phone: Option<String>,
    currency: String,
    weight_hold_released: i64,
    po_box_hold_released: i64,
    store_payment: PaymentState,
    store_payment_status: Option<String>,
    payment_hold_released: i64,
    kind: ChannelKind,
    lines: Vec<LineToRoute>,
}

/// A line of an order to route, with the US Direct item it is mapped to.
#[derive(Deserialize)]
struct LineToRoute {
    sku: String,
    title: String,
    quantity: i64,
    unit_price_minor: i64,
    unit_weight_grams: i64,
    destination: LineDestination,
    supplier_sku: Option<String>,
    /// US Direct's last answer about the item (`crate::catalog`): whether it carries it, its
    /// weight of one unit and how many are in stock; `None` when never asked.
    item_carried: Option<i64>,
    item_weight_grams: Option<i64>,
    item_available: Option<i64>,
}

/// What routing does with one order.
enum Route {
    /// It waits in `needs_attention` for this.
    Hold(Attention),
    /// Its supplier order is queued with this request.
    Send(Box<SupplierOrderRequest>),
    /// No line is a US Direct item: `not_for_us_direct`, with this detail.
    Elsewhere(String),
}

/// Whether any line is a US Direct item first (an order with none is not for US Direct), then
/// the store's payment (an unpaid order waits whatever else is wrong with it), then every rule
/// of US Direct's over the US Direct lines, then the request of those lines alone.
fn decide(order: &ToRoute, lines: &[LineToRoute]) -> Route {
    let lines: Vec<&LineToRoute> = lines
        .iter()
        .filter(|line| line.destination == LineDestination::UsDirect)
        .collect();
    if lines.is_empty() {
        return Route::Elsewhere(elsewhere_detail(&order.lines));
    }
    let payment =
        StorePayment::from_columns(order.store_payment, order.store_payment_status.clone());
    if let Some(attention) =
        super::payment_hold::hold_for(&payment, order.payment_hold_released != 0, order.kind)
    {
        return Route::Hold(attention);
    }
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
    for (index, line) in lines.iter().enumerate() {
        // Stored from a u32; anything else is a store (or a file) that cannot be trusted, and
        // a quantity read as 0 would weigh nothing.
        // US Direct's weight of the item when it said one: the store's may be missing
        // (WooCommerce lines have none) or out of date.
        let weight = line
            .item_weight_grams
            .filter(|grams| *grams > 0)
            .unwrap_or(line.unit_weight_grams);
        let (Ok(quantity), Ok(unit_weight_grams), Ok(sku)) = (
            u32::try_from(line.quantity),
            u32::try_from(weight),
            Sku::parse(&line.sku).map(Some),
        ) else {
            return hold_for_numbers(format!(
                "Line {} ({}) has SKU {:?}, quantity {} and weight {} g, which cannot be sent to \
                 US Direct. Fix the order in the store, or cancel it.",
                index + 1,
                line.title,
                line.sku,
                line.quantity,
                weight
            ));
        };
        check_lines.push(NewOrderLine {
            sku,
            title: line.title.clone(),
            quantity,
            unit_price: Money::new(line.unit_price_minor, currency.clone()),
            unit_weight_grams,
            requires_shipping: true,
        });
    }
    let mut problems = rules::check(&ship_to, &check_lines);
    if order.weight_hold_released != 0 {
        problems.retain(|problem| !matches!(problem, RoutingProblem::Overweight { .. }));
    }
    if order.po_box_hold_released != 0 {
        problems.retain(|problem| !matches!(problem, RoutingProblem::PoBox));
    }
    if !problems.is_empty() {
        return Route::Hold(Attention::routing(problems));
    }
    let not_carried: Vec<&str> = lines
        .iter()
        .filter(|line| line.item_carried == Some(0))
        .filter_map(|line| line.supplier_sku.as_deref())
        .collect();
    if !not_carried.is_empty() {
        return hold_for_numbers(format!(
            "US Direct does not carry {}: map the store's SKU to an item US Direct carries in \
             Settings → SKU map, then route the order again.",
            not_carried.join(", ")
        ));
    }
    // One line per US Direct SKU, as the contract asks.
    let Some(supplier_lines) = supplier_lines(
        lines
            .iter()
            .zip(&check_lines)
            .map(|(line, checked)| (line.supplier_sku.as_deref(), checked)),
    ) else {
        return hold_for_numbers(
            "Lines of this order for the same US Direct item add up to more units than one \
             order can carry: a quantity in the store is wrong. Fix the order in the store, or \
             cancel it.",
        );
    };
    if let Some(attention) = out_of_stock(&lines, &supplier_lines) {
        return Route::Hold(attention);
    }
    let (first_name, last_name) = split_name(&ship_to.name);
    Route::Send(Box::new(SupplierOrderRequest {
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
    }))
}

/// The hold for the items US Direct last said it has too few of, if any (an item never looked
/// up is not held: US Direct's own check is the last word).
fn out_of_stock(lines: &[&LineToRoute], wanted: &[SupplierLine]) -> Option<Attention> {
    let short: Vec<String> = wanted
        .iter()
        .filter_map(|line| {
            let available = lines
                .iter()
                .find(|l| l.supplier_sku.as_deref() == Some(line.sku.as_str()))
                .and_then(|l| l.item_available)?;
            (available < i64::from(line.quantity)).then(|| {
                format!(
                    "{} ({} ordered, {} in stock)",
                    line.sku,
                    line.quantity,
                    available.max(0)
                )
            })
        })
        .collect();
    if short.is_empty() {
        return None;
    }
    Some(Attention::new(
        AttentionKind::OutOfStock,
        format!(
            "Out of stock at US Direct: {}. The order goes to US Direct by itself when a stock \
             check finds enough; or cancel it.",
            short.join(", ")
        ),
    ))
}

/// Why no line of an order goes to US Direct, for its timeline: how many lines went where.
fn elsewhere_detail(lines: &[LineToRoute]) -> String {
    let count = |destination| {
        lines
            .iter()
            .filter(|line| line.destination == destination)
            .count()
    };
    let parts: Vec<String> = [
        (LineDestination::OtherSupplier, "not in the SKU map"),
        (LineDestination::NoSku, "without a SKU"),
        (LineDestination::NotShipped, "not shipped"),
    ]
    .into_iter()
    .filter_map(|(destination, what)| match count(destination) {
        0 => None,
        1 => Some(format!("1 line {what}")),
        n => Some(format!("{n} lines {what}")),
    })
    .collect();
    format!(
        "Not for US Direct: no line is a US Direct item ({}). Fulfil it yourself, or map a SKU \
         to a US Direct item in Settings → SKU map to send it.",
        parts.join(", ")
    )
}

/// One line per US Direct SKU (the store's SKU where none is mapped), quantities added; `None`
/// when a sum passes what a quantity holds.
fn supplier_lines<'a>(
    lines: impl Iterator<Item = (Option<&'a str>, &'a NewOrderLine)>,
) -> Option<Vec<SupplierLine>> {
    let mut merged: Vec<SupplierLine> = Vec::new();
    for (supplier_sku, line) in lines {
        let sku = supplier_sku.unwrap_or(line.sku_text());
        match merged.iter_mut().find(|l| l.sku == sku) {
            Some(existing) => existing.quantity = existing.quantity.checked_add(line.quantity)?,
            None => merged.push(SupplierLine {
                sku: sku.to_string(),
                quantity: line.quantity,
            }),
        }
    }
    Some(merged)
}

/// Holds the order for numbers that cannot be routed, with `reason`.
fn hold_for_numbers(reason: impl Into<String>) -> Route {
    Route::Hold(Attention::new(AttentionKind::Routing, reason))
}

/// "Jane Q. Doe" → ("Jane Q.", "Doe"); a single word is the last name.
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (name.to_string(), name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, quantity: u32) -> NewOrderLine {
        NewOrderLine {
            sku: Some(Sku::parse(sku).unwrap()),
            title: "Item".into(),
            quantity,
            unit_price: Money::new(100, Currency::usd()),
            unit_weight_grams: 0,
            requires_shipping: true,
        }
    }

    #[test]
    fn lines_for_one_supplier_item_merge_with_checked_quantities() {
        let a = line("MUG-1", 2);
        let b = line("MUG-2", 3);
        let merged = supplier_lines([(Some("USD-1"), &a), (Some("USD-1"), &b)].into_iter());
        assert_eq!(
            merged,
            Some(vec![SupplierLine {
                sku: "USD-1".into(),
                quantity: 5
            }])
        );
        let huge = line("MUG-3", u32::MAX);
        assert_eq!(
            supplier_lines([(None, &huge), (Some("USD-1"), &a)].into_iter()).map(|l| l.len()),
            Some(2)
        );
        assert_eq!(
            supplier_lines([(Some("USD-1"), &huge), (Some("USD-1"), &a)].into_iter()),
            None,
            "u32::MAX + 2 units of one item is refused, not wrapped to 1"
        );
    }

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name("Jane Q. Doe"), ("Jane Q.".into(), "Doe".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), "Cher".into()));
    }
}
