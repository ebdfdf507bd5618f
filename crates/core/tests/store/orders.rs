//! Listing what was stored.

use dealer_core::domain::{Actor, ChannelKind, NewOrder, Sku};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::{ListOrders, OrderPage, Store};
use dealer_core::ErrorCode;

use crate::{open_with_passphrase, PASSPHRASE};

#[tokio::test]
async fn lists_newest_first_with_filters_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    assert_eq!(store.seed_orders(120, 5).await.unwrap(), 120);
    // A second seed continues the numbering.
    assert_eq!(store.seed_orders(30, 6).await.unwrap(), 150);

    let all = store
        .list_orders(&ListOrders {
            status: None,
            limit: 1000,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 150);
    assert!(
        all.windows(2).all(|w| w[0].placed_at >= w[1].placed_at),
        "newest first"
    );
    let mut numbers: Vec<_> = all.iter().map(|o| o.number.clone()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 150, "numbers are unique");
    assert!(all
        .iter()
        .all(|o| o.channel == "Sandbox Store" && o.currency == "USD"));

    let page = store
        .list_orders(&ListOrders {
            status: None,
            limit: 50,
            offset: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(page[0].id, all[100].id);

    let one = all[7].id;
    store
        .transition(
            one,
            OrderStatus::Cancelled,
            dealer_core::domain::Actor::Dealer,
            "test",
        )
        .await
        .unwrap();
    let cancelled = store
        .list_orders(&ListOrders {
            status: Some(OrderStatus::Cancelled),
            limit: 10,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].id, one);

    let err = store
        .list_orders(&ListOrders {
            status: None,
            limit: 0,
            offset: 0,
            ..Default::default()
        })
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn search_finds_number_customer_email_and_sku_with_counts_per_status() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    store.seed_orders(300, 9).await.unwrap();
    let all = store
        .list_orders(&ListOrders {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let target = store.order_detail(all[42].id).await.unwrap();
    let search = |text: &str| {
        let text = text.to_string();
        async move {
            store
                .order_page(&ListOrders {
                    search: Some(text),
                    limit: 1000,
                    ..Default::default()
                })
                .await
                .unwrap()
        }
    };
    let by_number = search(&target.number).await;
    assert!(by_number.orders.iter().any(|o| o.id == target.id));
    assert!(by_number
        .orders
        .iter()
        .all(|o| o.number.contains(target.number.trim_start_matches('#'))));
    let email = target.customer_email.clone().unwrap();
    let by_email = search(&email.to_uppercase()).await;
    assert!(
        by_email.orders.iter().any(|o| o.id == target.id),
        "case-insensitive"
    );
    let last_name = target
        .customer_name
        .split(' ')
        .next_back()
        .unwrap()
        .to_string();
    let by_name = search(&last_name[..4]).await;
    assert!(
        by_name.orders.iter().any(|o| o.id == target.id),
        "part of a word"
    );
    let sku = target.lines[0].sku.clone();
    let by_sku = search(&sku).await;
    assert!(by_sku.orders.iter().any(|o| o.id == target.id));
    assert_eq!(by_sku.total, by_sku.orders.len() as i64);
    let nothing = search("zzzz-no-such-thing").await;
    assert_eq!(nothing.total, 0);
    assert!(nothing.orders.is_empty());

    // Counts per status ignore the status filter, the total follows it.
    store
        .transition(
            target.id,
            OrderStatus::Cancelled,
            dealer_core::domain::Actor::Dealer,
            "test",
        )
        .await
        .unwrap();
    let cancelled = store
        .order_page(&ListOrders {
            status: Some(OrderStatus::Cancelled),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cancelled.total, 1);
    assert_eq!(cancelled.orders[0].id, target.id);
    let count = |status| {
        cancelled
            .counts
            .iter()
            .find(|c| c.status == status)
            .map_or(0, |c| c.count)
    };
    assert_eq!(count(OrderStatus::Cancelled), 1);
    assert_eq!(count(OrderStatus::Imported), 299);

    // Channel and date filters.
    let channel_id = target.channel_id;
    let in_channel = store
        .order_page(&ListOrders {
            channel_id: Some(channel_id + 1000),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_channel.total, 0);
    let since = store
        .order_page(&ListOrders {
            placed_from: Some(target.placed_at),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(since.orders.iter().all(|o| o.placed_at >= target.placed_at));
    assert_eq!(since.total, 43, "the 43 newest orders");
}

/// The full-text index merged after an import answers every search as before (same pages, same
/// totals, same counts per status), a second tidy finds nothing left to merge, FTS5's own check
/// finds the index true to the orders, and orders written after it are found as before.
#[tokio::test]
async fn a_tidied_search_index_answers_every_search_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    // One segment per write: six of them, a few left after SQLite's own merging.
    for seed in 0..6 {
        store.seed_orders(120, seed).await.unwrap();
    }
    let all = store
        .list_orders(&ListOrders {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    for order in all.iter().step_by(5) {
        store
            .transition(
                order.id,
                OrderStatus::Cancelled,
                dealer_core::domain::Actor::Dealer,
                "test",
            )
            .await
            .unwrap();
    }
    let target = store.order_detail(all[300].id).await.unwrap();
    let last_name = target.customer_name.split(' ').next_back().unwrap();
    let words = [
        // Every order: more matches than are read by id.
        "example.com".to_string(),
        target.lines[0].sku.clone(),
        last_name[..4].to_string(),
        target.number.clone(),
        "10".to_string(),
        format!("{} {}", &last_name[..3], target.lines[0].sku),
        "qqzx".to_string(),
    ];
    let queries: Vec<ListOrders> = words
        .iter()
        .flat_map(|word| {
            [None, Some(OrderStatus::Cancelled)]
                .into_iter()
                .map(move |status| ListOrders {
                    search: Some(word.clone()),
                    status,
                    limit: 50,
                    offset: 10,
                    ..Default::default()
                })
        })
        .collect();
    let mut before = Vec::new();
    for query in &queries {
        before.push(store.order_page(query).await.unwrap());
    }
    assert!(before[0].total == 720 && before[0].counts.len() == 2);

    let steps = store.tidy_search_index().await.unwrap();
    assert!(
        steps > 0,
        "a store written in six goes has segments to merge"
    );
    for (query, expected) in queries.iter().zip(&before) {
        assert_eq!(
            &store.order_page(query).await.unwrap(),
            expected,
            "{query:?}"
        );
    }
    assert_eq!(
        store.tidy_search_index().await.unwrap(),
        0,
        "already merged"
    );
    sqlx::query("INSERT INTO order_search (order_search, rank) VALUES ('integrity-check', 1)")
        .execute(store.pool())
        .await
        .unwrap();

    // Written after the tidy: found, and counted with the rest.
    store.seed_orders(30, 99).await.unwrap();
    let every = store.order_page(&queries[0]).await.unwrap();
    assert_eq!(every.total, 750);
    let newest = store.list_orders(&ListOrders::default()).await.unwrap();
    let found = store
        .order_page(&ListOrders {
            search: Some(newest[0].number.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(found.orders.iter().any(|order| order.id == newest[0].id));
}

/// What the full-text index found when it held the SKUs too: the orders where every word
/// (three characters or more) is part of the number, the customer, the email or a line's SKU,
/// in any case.
fn found_by_fields(orders: &[(i64, NewOrder)], text: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = orders
        .iter()
        .filter(|(_, order)| {
            let mut fields = vec![
                order.number.to_lowercase(),
                order.customer_name.to_lowercase(),
                order
                    .customer_email
                    .as_ref()
                    .map_or(String::new(), |email| email.as_str().to_lowercase()),
            ];
            fields.extend(
                order
                    .lines
                    .iter()
                    .map(|line| line.sku_text().to_lowercase()),
            );
            text.split_whitespace().all(|word| {
                let word = word.to_lowercase();
                fields.iter().any(|field| field.contains(&word))
            })
        })
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

async fn search_page(store: &Store, text: &str) -> OrderPage {
    store
        .order_page(&ListOrders {
            search: Some(text.to_string()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
}

/// SKUs are searched from the order lines, not from the full-text index, and find what it
/// found: part of a SKU, a SKU in another case, a SKU with a word of the customer's name, an
/// order whose only match is its SKU, an order with two lines of one SKU (once).
#[tokio::test]
async fn sku_searches_find_the_orders_whose_lines_hold_the_sku() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    let channel = store
        .ensure_channel(
            "Test Shop",
            ChannelKind::Shopify,
            "http://127.0.0.1:1",
            false,
        )
        .await
        .unwrap();
    let mut orders = dealer_core::seed::synthetic_orders(60, 5001, 11).unwrap();
    let sku = |text: &str| Sku::parse(text).unwrap();
    orders[0].lines.truncate(1);
    orders[0].lines[0].sku = Some(sku("QJV-7788"));
    orders[1].lines[0].sku = Some(sku("QJV-7790"));
    orders[1].customer_name = "Wanda Kowalczyk".into();
    orders[2].customer_name = "Wanda Kowalczyk".into();
    let twice = orders[3].lines[0].clone();
    orders[3].lines = vec![twice.clone(), twice];
    orders[3].lines[0].sku = Some(sku("QJV-7712"));
    orders[3].lines[1].sku = Some(sku("QJV-7712"));
    let ids = store
        .insert_orders(channel.id, &orders, Actor::System, "test")
        .await
        .unwrap();
    let stored: Vec<(i64, NewOrder)> = ids.into_iter().zip(orders).collect();
    let (only_sku, named, twice) = (stored[0].0, stored[1].0, stored[3].0);
    assert_eq!(
        found_by_fields(&stored, "7788"),
        vec![only_sku],
        "nothing but the SKU holds 7788"
    );

    for (text, at_least) in [
        ("qjv-77", vec![only_sku, named, twice]),
        ("QJV-7788", vec![only_sku]),
        ("qjv-7788", vec![only_sku]),
        ("7788", vec![only_sku]),
        ("QJV kowalczyk", vec![named]),
        ("kowalczyk qjv-7790", vec![named]),
        ("WANDA usd-100", vec![]),
        ("7712", vec![twice]),
        ("USD-100", vec![]),
        ("Kowal", vec![named]),
        ("qjv-7788 qjv-7790", vec![]),
    ] {
        let page = search_page(store, text).await;
        let mut found: Vec<i64> = page.orders.iter().map(|order| order.id).collect();
        found.sort_unstable();
        assert_eq!(found, found_by_fields(&stored, text), "{text}");
        assert!(at_least.iter().all(|id| found.contains(id)), "{text}");
        assert_eq!(page.total, found.len() as i64, "{text}");
        let counted: i64 = page.counts.iter().map(|count| count.count).sum();
        assert_eq!(counted, page.total, "{text}");
    }
    assert!(
        search_page(store, "usd-100").await.total > 50,
        "a part of every seeded SKU"
    );
}

/// A store written before SKUs were searched from the lines (SKUs in the full-text index, the
/// lines indexed by SKU alone, no table of SKUs) is carried over when opened: its orders are
/// found by SKU as before.
#[tokio::test]
async fn orders_stored_before_skus_were_searched_from_the_lines_are_found_by_sku() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    store.seed_orders(80, 21).await.unwrap();
    let texts = ["USD-1003", "usd-100", "sd-1007 example", "#1042"];
    let mut before = Vec::new();
    for text in texts {
        before.push(search_page(store, text).await);
    }
    assert!(before[0].total > 0 && before[1].total == 80);
    sqlx::raw_sql(
        "DROP TABLE search_skus;
         DROP INDEX order_lines_sku;
         CREATE INDEX order_lines_sku ON order_lines (sku);
         DROP TABLE order_search;
         CREATE VIRTUAL TABLE order_search USING fts5 (
             number, customer, email, skus, tracking, tokenize = 'trigram');
         INSERT INTO order_search (rowid, number, customer, email, skus, tracking)
         SELECT o.id, o.number, o.customer_name, coalesce(o.customer_email, ''),
                coalesce((SELECT group_concat(sku, ' ') FROM order_lines l
                          WHERE l.order_id = o.id), ''), ''
         FROM orders o;
         DELETE FROM _sqlx_migrations WHERE version = 20261207090000;",
    )
    .execute(store.pool())
    .await
    .unwrap();
    engine.close().await;

    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    let store = engine.store();
    for (text, expected) in texts.iter().zip(&before) {
        assert_eq!(&search_page(store, text).await, expected, "{text}");
    }
    let skus: i64 = sqlx::query_scalar("SELECT count(*) FROM search_skus")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(skus, 8, "the seed's eight SKUs");
    engine.close().await;
}
