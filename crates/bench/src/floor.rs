//! The floors an import is measured against, taken in the same run: the same parsed orders
//! written into plain SQLite (and into SQLite with a SQLCipher key) with the store's own schema,
//! pragmas and rows, the cheapest way SQLite offers; and the store's pages read over loopback
//! with nothing done to them. A ratio to a floor holds on a faster or slower machine.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use dealer_core::domain::{Actor, NewOrder, StorePayment};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store;
use rusqlite::{params, Connection, TransactionBehavior};

/// The engine's schema, from its own migrations (embedded at compile time): the floor has
/// every table, index, trigger and full-text table the store has.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../core/migrations");

/// Orders a transaction, as an Order Sync writes a page.
pub const PAGE: usize = 100;

/// Whether the floor's file is encrypted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// Plain SQLite (SQLCipher's build with no key is plain SQLite).
    None,
    /// A raw 256-bit key, as the store sets it (`PRAGMA key = "x'…'"`, SQLCipher's defaults).
    Key,
}

/// Writes `orders` into a new file with the store's schema, a page of [`PAGE`] a transaction,
/// prepared statements reused: each order's row, its lines, its first event, its search row and
/// the page's distinct SKUs, the columns and values the engine writes. Returns the time for the pages alone.
pub fn sqlite(orders: &[NewOrder], cipher: Cipher) -> Result<Duration> {
    let dir = tempfile::tempdir()?;
    let mut conn = open(&dir.path().join("floor.db"), cipher)?;
    let now = text(Utc::now());
    conn.execute(
        "INSERT INTO channels (kind, name, base_url, is_sandbox, created_at)
         VALUES ('woocommerce', 'Floor', 'http://127.0.0.1:1', 0, ?1)",
        [&now],
    )?;
    let channel_id = conn.last_insert_rowid();
    let detail = "imported from Floor";
    let started = Instant::now();
    for page in orders.chunks(PAGE) {
        write_page(&mut conn, channel_id, page, detail)?;
    }
    let elapsed = started.elapsed();
    check(&conn, orders)?;
    Ok(elapsed)
}

fn open(path: &Path, cipher: Cipher) -> Result<Connection> {
    let conn = Connection::open(path)?;
    if cipher == Cipher::Key {
        // A fixed key: what SQLCipher costs does not depend on its value.
        let key: String = (0..32_u8).map(|byte| format!("{:02x}", byte * 7)).collect();
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))?;
    }
    // The store's pragmas (store::Store::open): WAL, synchronous NORMAL, foreign keys, its page
    // cache and checkpoint interval.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        bail!("the floor's database did not switch to WAL (journal_mode is {mode})");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -i64::from(store::PAGE_CACHE_KIB))?;
    conn.pragma_update(None, "wal_autocheckpoint", store::WAL_CHECKPOINT_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", store::WAL_KEEP_BYTES)?;
    for migration in MIGRATOR.iter() {
        if migration.migration_type.is_down_migration() {
            continue;
        }
        conn.execute_batch(&migration.sql).with_context(|| {
            format!(
                "applying the store's migration {} ({}) to the floor's database",
                migration.version, migration.description
            )
        })?;
    }
    Ok(conn)
}

/// One page in one transaction, as `Store::insert_orders` / `apply_page` store new orders.
fn write_page(
    conn: &mut Connection,
    channel_id: i64,
    page: &[NewOrder],
    detail: &str,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut insert_order = tx.prepare_cached(
            "INSERT INTO orders (
                 channel_id, channel_order_id, number, status, customer_name, customer_email,
                 ship_name, ship_line1, ship_line2, ship_city, ship_state_code, ship_postal_code,
                 ship_country_code, ship_phone, currency, subtotal_minor, shipping_minor,
                 tax_minor, total_minor, placed_at, channel_updated_at, created_at, updated_at,
                 store_payment, store_payment_status, environment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 'live')",
        )?;
        let mut insert_line = tx.prepare_cached(
            "INSERT INTO order_lines (order_id, position, sku, title, quantity,
                                      unit_price_minor, unit_weight_grams, requires_shipping)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut insert_event = tx.prepare_cached(
            "INSERT INTO order_events (order_id, at, from_status, to_status, actor, detail)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5)",
        )?;
        let mut insert_search = tx.prepare_cached(
            "INSERT INTO order_search (rowid, number, customer, email, tracking)
             VALUES (?1, ?2, ?3, ?4, '')",
        )?;
        let mut insert_sku =
            tx.prepare_cached("INSERT OR IGNORE INTO search_skus (sku) VALUES (?1)")?;
        // The page's search rows go in last, after every other row of the page: FTS5 writes
        // what it holds in memory to disk as a new index segment at every savepoint, and the
        // next order's inserts open statement savepoints (its trigger, its foreign keys).
        // Written between them, each order's search row becomes a segment of its own, merged
        // again later (in a profile: a third of the floor's time, 1.5 s against 0.9 s).
        let mut search_rows = Vec::with_capacity(page.len());
        let mut skus = BTreeSet::new();
        for order in page {
            let now = text(Utc::now());
            let ship = &order.ship_to;
            let email = order.customer_email.as_ref().map(|e| e.as_str());
            let (payment, payment_word) = payment_columns(&order.store_payment);
            let subtotal = order.subtotal()?;
            let id = insert_order.insert(params![
                channel_id,
                order.channel_order_id.as_str(),
                order.number,
                OrderStatus::Imported.as_str(),
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
                order.total.currency.as_str(),
                subtotal.minor,
                order.shipping.minor,
                order.tax.minor,
                order.total.minor,
                text(order.placed_at),
                text(order.channel_updated_at),
                now,
                now,
                payment,
                payment_word,
            ])?;
            for (position, line) in order.lines.iter().enumerate() {
                insert_line.execute(params![
                    id,
                    position,
                    line.sku_text(),
                    line.title,
                    line.quantity,
                    line.unit_price.minor,
                    line.unit_weight_grams,
                    line.requires_shipping,
                ])?;
                if let Some(sku) = &line.sku {
                    skus.insert(sku.as_str());
                }
            }
            insert_event.execute(params![
                id,
                now,
                OrderStatus::Imported.as_str(),
                Actor::Scheduler.as_str(),
                detail,
            ])?;
            search_rows.push((id, order, email.unwrap_or("")));
        }
        for (id, order, email) in search_rows {
            insert_search.execute(params![id, order.number, order.customer_name, email])?;
        }
        // The page's distinct SKUs, as the engine adds them to the SKUs searched.
        for sku in skus {
            insert_sku.execute([sku])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Every order, line, event, search row and distinct SKU is in.
fn check(conn: &Connection, orders: &[NewOrder]) -> Result<()> {
    let count = |sql: &str| -> Result<usize> {
        Ok(conn.query_row(sql, [], |row| row.get::<_, i64>(0))? as usize)
    };
    let lines: usize = orders.iter().map(|order| order.lines.len()).sum();
    let found = (
        count("SELECT count(*) FROM orders")?,
        count("SELECT count(*) FROM order_lines")?,
        count("SELECT count(*) FROM order_events")?,
        count("SELECT count(*) FROM order_search")?,
        count("SELECT count(*) FROM search_skus")?,
    );
    let skus = orders
        .iter()
        .flat_map(|order| order.lines.iter().filter_map(|line| line.sku.as_ref()))
        .map(|sku| sku.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let expected = (orders.len(), lines, orders.len(), orders.len(), skus);
    if found != expected {
        bail!(
            "the SQLite floor wrote (orders, lines, events, search rows, SKUs) = {found:?}, \
             {expected:?} expected"
        );
    }
    Ok(())
}

/// How the store keeps the store's payment (`orders.store_payment`, `store_payment_status`).
fn payment_columns(payment: &StorePayment) -> (&'static str, Option<&str>) {
    match payment {
        StorePayment::Paid => ("paid", None),
        StorePayment::Unpaid { status } => ("unpaid", Some(status)),
        StorePayment::HighRisk { detail } => ("high_risk", Some(detail)),
    }
}

/// A time as sqlx writes it (RFC 3339, UTC as `+00:00`).
fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// The plain fetch floor: every page of the store's order list, the same request the
/// WooCommerce client sends (query, Basic auth), each body read whole and not parsed. Returns
/// the time for all pages and how many there were.
pub async fn fetch(base_url: &str, key: &str, secret: &str) -> Result<(Duration, u32, usize)> {
    let client = reqwest::Client::new();
    let since = Utc::now() - dealer_core::sync::FIRST_IMPORT_WINDOW - chrono::Duration::seconds(1);
    let modified_after = since.format("%Y-%m-%dT%H:%M:%S").to_string();
    let url = format!("{}/wp-json/wc/v3/orders", base_url.trim_end_matches('/'));
    let started = Instant::now();
    let mut page = 1_u32;
    let mut bytes = 0;
    loop {
        let reply = client
            .get(&url)
            .query(&[
                ("modified_after", modified_after.as_str()),
                ("dates_are_gmt", "true"),
                ("orderby", "modified"),
                ("order", "asc"),
                ("per_page", "100"),
                ("page", &page.to_string()),
            ])
            .basic_auth(key, Some(secret))
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let status = reply.status();
        let total_pages = reply
            .headers()
            .get("x-wp-totalpages")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u32>().ok());
        let body = reply.bytes().await?;
        if !status.is_success() {
            bail!("the plain fetch of page {page} got HTTP {status}");
        }
        bytes += body.len();
        match total_pages {
            Some(total) if page < total => page += 1,
            Some(_) => break,
            None => bail!("page {page} of the plain fetch has no X-WP-TotalPages header"),
        }
    }
    Ok((started.elapsed(), page, bytes))
}
