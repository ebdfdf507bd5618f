//! The Orders list at scale: a fresh encrypted store with N orders in three sales channels and a
//! realistic mix of statuses, and what the window's `list_orders` command runs (a page of rows,
//! the total and the counts per status) for the first page, a deep page, the filters and the
//! searches; the order page; then the pages a dealer scrolling the list fetches one after another.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use dealer_core::domain::ChannelKind;
use dealer_core::keys::MemoryKeyring;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::{
    ListOrders, OrderFlag, OrderPage, Store, MERGE_STEP_PAGES, TIDY_SEARCH_INDEX_AFTER,
};

use crate::keyring::open_store_with;

/// The target for a page or a search, command time (issue 12: 40 ms, headroom for
/// slower machines).
const TARGET: Duration = Duration::from_millis(40);
/// What the window asks for as the dealer scrolls (and prefetches one page ahead).
const PAGE_ROWS: u32 = 100;
/// The list's fixed row height.
const ROW_PX: f64 = 40.0;
/// A fast flick of the list.
const FLICK_PX_PER_S: f64 = 5_000.0;
const WARM_UP: usize = 3;
const SKU_CASE: &str = "search SKU \"USD-1003\" (25 % of orders)";
const SCROLL_PAGES: u32 = 50;

pub async fn run(count: usize, runs: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let keyring = Arc::new(MemoryKeyring::default());
    let started = Instant::now();
    let fixture = {
        let engine = open_store_with(dir.path(), keyring.clone()).await?;
        let fixture = build_fixture(engine.store(), count).await?;
        eprintln!(
            "  (fixture of {count} orders built in {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        // As the app does after an Order Sync that imported many orders.
        let started = Instant::now();
        let steps = engine.store().tidy_search_index().await?;
        println!(
            "full-text index merged after seeding, as the app does after an Order Sync of \
             {TIDY_SEARCH_INDEX_AFTER}+ orders (Store::tidy_search_index): {steps} steps of \
             {MERGE_STEP_PAGES} pages, {:.2} s",
            started.elapsed().as_secs_f64()
        );
        engine.close().await;
        fixture
    };
    // Measured as the app finds the store when it opens: written, closed, opened again.
    let engine = open_store_with(dir.path(), keyring).await?;
    let store = engine.store();

    println!(
        "orders list with {count} orders ({runs} runs after {WARM_UP} warm-up; \
         target p95 ≤ {} ms)",
        TARGET.as_millis()
    );
    println!(
        "  {:<44} {:>6} {:>7} {:>8} {:>8} {:>8}",
        "case", "rows", "total", "p50 ms", "p95 ms", "max ms"
    );
    let mut missed = Vec::new();
    let mut sku_p50 = Duration::ZERO;
    for case in cases(&fixture) {
        let (times, page) = time_page(store, &case.query, runs).await?;
        let stats = Stats::of(times);
        print_row(
            case.name,
            page.orders.len(),
            page.total,
            &stats,
            stats.verdict(),
        );
        if let Some(expected) = case.expect_total {
            if page.total != expected {
                bail!(
                    "{}: {} orders found, {expected} expected",
                    case.name,
                    page.total
                );
            }
        }
        if stats.p95 > TARGET {
            missed.push(case.name.to_string());
        }
        if case.name == SKU_CASE {
            sku_p50 = stats.p50;
        }
    }

    let detail = time_detail(store, fixture.detail_id, runs).await?;
    print_row(
        "order page (order_detail)",
        1,
        "",
        &detail,
        detail.verdict(),
    );
    if detail.p95 > TARGET {
        missed.push("order page".into());
    }

    let scroll = time_scroll(store).await?;
    let name = format!("scroll: pages 1–{SCROLL_PAGES} of {PAGE_ROWS}, in order");
    print_row(&name, PAGE_ROWS, "", &scroll, scroll.verdict());
    if scroll.p95 > TARGET {
        missed.push(name);
    }
    print_scroll_derivation(&scroll);

    // The floors of the SKU search in the same run, what any answer must read: the SKU's
    // 25,000 orders from the lines' (sku, order_id) index; then with each one's status too, by
    // id from the narrow (id, status) index, for the counts per status.
    let floors = [
        (
            "floor: the SKU's order ids (lines index)",
            "SELECT count(*) FROM order_lines INDEXED BY order_lines_sku WHERE sku = 'USD-1003'",
        ),
        (
            "floor: … and each one's status by id",
            "SELECT count(o.status) FROM order_lines l INDEXED BY order_lines_sku
             CROSS JOIN orders o INDEXED BY orders_id_status ON o.id = l.order_id
             WHERE l.sku = 'USD-1003'",
        ),
    ];
    for (name, sql) in floors {
        let mut times = Vec::with_capacity(runs);
        for run in 0..WARM_UP + runs {
            let started = Instant::now();
            let found: i64 = sqlx::query_scalar(sql).fetch_one(store.pool()).await?;
            if run >= WARM_UP {
                times.push(started.elapsed());
            }
            if found == 0 {
                bail!("{name}: no order has a line of USD-1003");
            }
        }
        let floor = Stats::of(times);
        print_row(
            name,
            "",
            "",
            &floor,
            &format!(
                "(search SKU p50 = {:.1}× this)",
                ms(sku_p50) / ms(floor.p50).max(1e-3)
            ),
        );
    }

    engine.close().await;
    if missed.is_empty() {
        println!("  every case within {} ms at p95", TARGET.as_millis());
    } else {
        println!(
            "  over {} ms at p95: {}",
            TARGET.as_millis(),
            missed.join(", ")
        );
    }
    Ok(())
}

/// What the cases look for, read back from the fixture.
pub(crate) struct Fixture {
    /// The smallest of the three sales channels (a tenth of the orders).
    small_channel: i64,
    /// One customer's email, exactly as stored.
    email: String,
    /// One tracking number, exactly as stored.
    tracking: String,
    /// An order with a shipment in the middle of the list, for the order page.
    detail_id: i64,
    count: i64,
    /// Orders with a job failing for over an hour.
    stuck: i64,
}

struct Case {
    name: &'static str,
    query: ListOrders,
    /// The total the case must find, where it is known in advance.
    expect_total: Option<i64>,
}

fn page(offset: u32) -> ListOrders {
    ListOrders {
        limit: PAGE_ROWS,
        offset,
        ..ListOrders::default()
    }
}

fn search(text: &str) -> ListOrders {
    ListOrders {
        search: Some(text.to_string()),
        ..page(0)
    }
}

fn cases(fixture: &Fixture) -> Vec<Case> {
    let case = |name, query| Case {
        name,
        query,
        expect_total: None,
    };
    let deep = u32::try_from(fixture.count / 2).unwrap_or(0);
    vec![
        Case {
            expect_total: Some(fixture.count),
            ..case("first page", page(0))
        },
        case("deep page (offset half the orders)", page(deep)),
        case(
            "status needs_attention (1 %)",
            ListOrders {
                status: Some(OrderStatus::NeedsAttention),
                ..page(0)
            },
        ),
        case(
            "status completed (42 %)",
            ListOrders {
                status: Some(OrderStatus::Completed),
                ..page(0)
            },
        ),
        case(
            "channel (10 % of orders)",
            ListOrders {
                channel_id: Some(fixture.small_channel),
                ..page(0)
            },
        ),
        case(
            "placed in the last 7 days",
            ListOrders {
                placed_from: Some(Utc::now() - chrono::Duration::days(7)),
                ..page(0)
            },
        ),
        case("search last name fragment \"kowa\"", search("kowa")),
        Case {
            expect_total: Some(1),
            ..case("search full email", search(&fixture.email))
        },
        case("search order number \"#1042\"", search("#1042")),
        case("search bare digits \"1042\"", search("1042")),
        case(SKU_CASE, search("USD-1003")),
        Case {
            expect_total: Some(1),
            ..case("search tracking number", search(&fixture.tracking))
        },
        Case {
            expect_total: Some(0),
            ..case("search with no match \"qqzx\"", search("qqzx"))
        },
        case(
            "flag Late (authorized 4+ business days, no tracking)",
            ListOrders {
                flag: Some(OrderFlag::Late),
                ..page(0)
            },
        ),
        Case {
            expect_total: Some(fixture.stuck),
            ..case(
                "flag Stuck (a job failing for an hour)",
                ListOrders {
                    flag: Some(OrderFlag::Stuck),
                    ..page(0)
                },
            )
        },
        case(
            "flag Needs you (attention, Late or Stuck)",
            ListOrders {
                flag: Some(OrderFlag::NeedsYou),
                ..page(0)
            },
        ),
        case(
            "flag Late + channel",
            ListOrders {
                flag: Some(OrderFlag::Late),
                channel_id: Some(fixture.small_channel),
                ..page(0)
            },
        ),
        case(
            "search \"kowa\" + status awaiting_authorization",
            ListOrders {
                status: Some(OrderStatus::AwaitingAuthorization),
                ..search("kowa")
            },
        ),
    ]
}

/// `count` seeded orders through the engine's insert path, then spread over three channels and
/// moved along the lifecycle. The moves and the shipments are plain SQL on the pool: fine for a
/// benchmark fixture that wants 100,000 orders in a realistic mix quickly, where the lifecycle
/// would write events and jobs for every order and step. A pseudo-random bucket per id spreads
/// each status over the 90 days the orders cover, so a rare status is scattered through the
/// list, as in a real store.
pub(crate) async fn build_fixture(store: &Store, count: usize) -> Result<Fixture> {
    let stored = store.seed_orders(count, 42).await?;
    if stored != count as i64 {
        bail!("the store holds {stored} orders, {count} expected");
    }
    let woo = store
        .ensure_channel(
            "Woo store",
            ChannelKind::Woocommerce,
            "https://shop.example.com",
            true,
        )
        .await?;
    let big = store
        .ensure_channel(
            "BigCommerce store",
            ChannelKind::Bigcommerce,
            "https://store-abc123.mybigcommerce.com",
            true,
        )
        .await?;
    // Three in ten orders from the WooCommerce store, one in ten from BigCommerce. The app never
    // moves an order to another channel (a trigger refuses it); the fixture lifts that guard for
    // this one statement and puts it back as it was. All three channels are Sandbox channels, as
    // the seeded orders are.
    let guard: String = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'orders_environment_update'",
    )
    .fetch_one(store.pool())
    .await
    .context("the store has no guard on an order's channel")?;
    let mut tx = store.write_transaction().await?;
    sqlx::query("DROP TRIGGER orders_environment_update")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE orders SET channel_id = CASE (id * 40503) % 10
             WHEN 0 THEN ?1 WHEN 1 THEN ?1 WHEN 2 THEN ?1 WHEN 3 THEN ?2 ELSE channel_id END",
    )
    .bind(woo.id)
    .bind(big.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(&guard).execute(&mut *tx).await?;
    tx.commit().await?;
    // Per mille: completed 420, shipped 120, processing 60 (60 % in all), awaiting
    // authorization 200, imported 80, authorized 40, cancelled 40, partially shipped 30,
    // needs attention 10.
    sqlx::query(
        "UPDATE orders SET status = CASE
             WHEN b < 420 THEN 'completed'
             WHEN b < 540 THEN 'shipped'
             WHEN b < 600 THEN 'processing'
             WHEN b < 800 THEN 'awaiting_authorization'
             WHEN b < 880 THEN 'imported'
             WHEN b < 920 THEN 'authorized'
             WHEN b < 960 THEN 'cancelled'
             WHEN b < 990 THEN 'partially_shipped'
             ELSE 'needs_attention' END
         FROM (SELECT id AS bid, (id * 2654435761) % 1000 AS b FROM orders) WHERE id = bid",
    )
    .execute(store.pool())
    .await?;
    sqlx::query(
        "UPDATE orders SET attention_kind = 'routing',
                attention_reason = 'Map SKU USD-1003 to a US Direct item, then route again.'
         WHERE status = 'needs_attention'",
    )
    .execute(store.pool())
    .await?;
    // Every order past authorization was authorized an hour after it was placed (over the 90
    // days the orders cover, so most of those in flight are Late); an order authorized and
    // cancelled keeps its time too.
    sqlx::query(
        "UPDATE orders SET authorized_at = strftime('%Y-%m-%dT%H:%M:%fZ', placed_at, '+1 hour'),
                authorized_by = 'dealer'
         WHERE status NOT IN ('imported', 'awaiting_authorization')",
    )
    .execute(store.pool())
    .await?;
    // Jobs: one succeeded per order in flight or done, and for one in 200 of those in flight a
    // job failing for two hours (one in 211: ids spread over the statuses unlike one in 200) (US Direct refusing a payment method, say).
    sqlx::query(
        "INSERT INTO outbox_jobs (kind, order_id, idempotency_key, state, attempts, next_run_at,
                                  last_error, created_at, updated_at, failing_since, environment)
         SELECT 'authorize_payment', id, 'bench-' || id,
                CASE WHEN id % 211 = 0 AND status IN ('authorized', 'processing')
                     THEN 'failed' ELSE 'succeeded' END,
                1, authorized_at,
                CASE WHEN id % 211 = 0 AND status IN ('authorized', 'processing')
                     THEN 'US Direct: payment method on file was removed' END,
                authorized_at, authorized_at,
                CASE WHEN id % 211 = 0 AND status IN ('authorized', 'processing')
                     THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours') END,
                environment
         FROM orders WHERE authorized_at IS NOT NULL",
    )
    .execute(store.pool())
    .await?;
    let stuck: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_jobs WHERE failing_since IS NOT NULL")
            .fetch_one(store.pool())
            .await?;
    // Orders on their way have a shipment; its tracking number goes into the search index.
    sqlx::query(
        "INSERT INTO shipments (order_id, tracking_number, carrier, shipped_at, created_at)
         SELECT id, '1Z' || printf('%06X', id * 7) || printf('%010d', id * 7919), 'UPS',
                placed_at, placed_at
         FROM orders WHERE status IN ('shipped', 'completed', 'partially_shipped')",
    )
    .execute(store.pool())
    .await?;

    let email: String = sqlx::query_scalar("SELECT customer_email FROM orders WHERE id = ?")
        .bind(stored / 3)
        .fetch_one(store.pool())
        .await
        .context("no order to take an email from")?;
    let (detail_id, tracking): (i64, String) = sqlx::query_as(
        "SELECT order_id, tracking_number FROM shipments WHERE order_id >= ?
         ORDER BY order_id LIMIT 1",
    )
    .bind(stored / 2)
    .fetch_one(store.pool())
    .await
    .context("no shipment to search for")?;
    Ok(Fixture {
        small_channel: big.id,
        email,
        tracking,
        detail_id,
        count: stored,
        stuck,
    })
}

async fn time_page(
    store: &Store,
    query: &ListOrders,
    runs: usize,
) -> Result<(Vec<Duration>, OrderPage)> {
    let mut page = store.order_page(query).await?;
    for _ in 1..WARM_UP {
        page = store.order_page(query).await?;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        page = store.order_page(query).await?;
        times.push(started.elapsed());
    }
    Ok((times, page))
}

async fn time_detail(store: &Store, id: i64, runs: usize) -> Result<Stats> {
    for _ in 0..WARM_UP {
        store.order_detail(id).await?;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let detail = store.order_detail(id).await?;
        times.push(started.elapsed());
        if detail.shipments.is_empty() {
            bail!("order {id} lost its shipment");
        }
    }
    Ok(Stats::of(times))
}

/// The pages a dealer scrolling from the top fetches, one after another, each once (the store
/// was warmed by the cases before, as by the dealer's first look at the list).
async fn time_scroll(store: &Store) -> Result<Stats> {
    let mut times = Vec::new();
    for index in 0..SCROLL_PAGES {
        let started = Instant::now();
        let page = store.order_page(&page(index * PAGE_ROWS)).await?;
        times.push(started.elapsed());
        if page.orders.len() != PAGE_ROWS as usize {
            bail!("page {index} had {} rows", page.orders.len());
        }
    }
    Ok(Stats::of(times))
}

/// With the next page prefetched, a page must arrive before the dealer has scrolled through the
/// one on screen: the list keeps up with 100 rows per page time.
fn print_scroll_derivation(scroll: &Stats) {
    let rows_per_s = f64::from(PAGE_ROWS) / scroll.p95.as_secs_f64();
    let flick_rows = FLICK_PX_PER_S / ROW_PX;
    let flick_budget_ms = f64::from(PAGE_ROWS) / flick_rows * 1e3;
    println!(
        "  scroll: {PAGE_ROWS} rows / {:.2} ms (p95 page) = {:.0} rows/s = {:.0} px/s at {ROW_PX:.0} px \
         a row;",
        ms(scroll.p95),
        rows_per_s,
        rows_per_s * ROW_PX
    );
    println!(
        "          a fast flick is {FLICK_PX_PER_S:.0} px/s = {flick_rows:.0} rows/s, a page every \
         {flick_budget_ms:.0} ms: {:.0}× headroom, {}",
        rows_per_s / flick_rows,
        if rows_per_s >= flick_rows {
            "no blank rows"
        } else {
            "BLANK ROWS"
        }
    );
}

struct Stats {
    p50: Duration,
    p95: Duration,
    max: Duration,
}

impl Stats {
    /// Nearest-rank percentiles.
    fn of(mut times: Vec<Duration>) -> Self {
        times.sort();
        let rank = |p: f64| {
            let index = ((p * times.len() as f64).ceil() as usize).saturating_sub(1);
            times.get(index).copied().unwrap_or_default()
        };
        Self {
            p50: rank(0.50),
            p95: rank(0.95),
            max: times.last().copied().unwrap_or_default(),
        }
    }

    fn verdict(&self) -> &'static str {
        if self.p95 <= TARGET {
            "PASS"
        } else {
            "FAIL"
        }
    }
}

fn print_row(
    name: &str,
    rows: impl std::fmt::Display,
    total: impl std::fmt::Display,
    stats: &Stats,
    note: &str,
) {
    println!(
        "  {name:<44} {rows:>6} {total:>7} {:>8.2} {:>8.2} {:>8.2}  {note}",
        ms(stats.p50),
        ms(stats.p95),
        ms(stats.max)
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
