//! The three store clients' orders pages, through the real clients over loopback HTTP: the
//! page's body, the paging headers (WooCommerce `X-WP-TotalPages`, BigCommerce's rate-limit
//! window) and the cursor the engine hands back. The seeds are the platforms' official order
//! examples (`shared/specs/`) and, for Shopify, which publishes none, an order node shaped as the
//! 2025-01 schema selects it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use dealer_core::channel::{ChannelError, Fetched, ListRequest, Page, SalesChannel};
use dealer_core::secret::Sensitive;
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Value};

use super::json::{bytes_or_mutation, hostile_text, Payload};
use super::server::{number_header, runtime, Answer, Server};
use super::{fail, fuzz};
use crate::bigcommerce::BigCommerceClient;
use crate::shopify::ShopifyClient;
use crate::testing::{spec, spec_json};
use crate::woocommerce::WooClient;
use crate::HttpPolicy;

/// One list call may not take longer: a longer one is a loop or a wait a peer chose.
const CALL_LIMIT: Duration = Duration::from_secs(20);

fn policy(max_attempts: u32) -> HttpPolicy {
    HttpPolicy {
        timeout: Duration::from_secs(5),
        max_attempts,
        base_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(20),
        ..HttpPolicy::default()
    }
}

fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .map(|t| t.to_utc())
        .unwrap_or_default()
}

/// The cursor the engine hands back: its own (`page:N`), or anything.
fn cursor() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => (1u32..=u32::MAX).prop_map(|n| Some(format!("page:{n}"))),
        1 => Just(Some(format!("page:{}", u32::MAX))),
        1 => hostile_text().prop_map(Some),
    ]
}

/// Runs `call` on `rt` under [`CALL_LIMIT`].
fn listed(
    rt: &tokio::runtime::Runtime,
    call: impl std::future::Future<Output = Result<Page, ChannelError>>,
) -> Result<Result<Page, ChannelError>, TestCaseError> {
    rt.block_on(async { tokio::time::timeout(CALL_LIMIT, call).await })
        .map_err(|_| fail(format!("the list call ran past {} s", CALL_LIMIT.as_secs())))
}

/// What holds for every answered page: each order of the body is in it, as an order or a
/// quarantine, and a next cursor is the page after this one.
fn check_page(
    page: &Page,
    listed: Option<usize>,
    number: Option<u32>,
) -> Result<(), TestCaseError> {
    if let Some(listed) = listed {
        if page.items.len() != listed {
            return Err(fail(format!(
                "{listed} orders listed, {} in the page: one was lost",
                page.items.len()
            )));
        }
    }
    if let (Some(next), Some(number)) = (&page.next, number) {
        if *next != format!("page:{}", u64::from(number) + 1) {
            return Err(fail(format!("page {number} is followed by {next:?}")));
        }
    }
    for item in &page.items {
        if let Fetched::Malformed(bad) = item {
            if bad.reason.trim().is_empty() {
                return Err(fail("a quarantined order has no reason"));
            }
        }
    }
    Ok(())
}

fn page_number(cursor: Option<&str>) -> Option<u32> {
    crate::paging::page_number(cursor).ok()
}

fn array_len(body: &[u8]) -> Option<usize> {
    serde_json::from_slice::<Vec<Value>>(body)
        .ok()
        .map(|v| v.len())
}

/// The official WooCommerce order, and the same with a SKU on every line (the example's lines
/// have none, so it alone would only ever reach the first check).
fn woo_page() -> Value {
    let example = spec_json("woocommerce/order.example.json");
    let mut with_skus = example.clone();
    if let Some(lines) = with_skus["line_items"].as_array_mut() {
        for (i, line) in lines.iter_mut().enumerate() {
            line["sku"] = json!(format!("FUZZ-{i}"));
        }
    }
    json!([with_skus, example])
}

#[test]
fn fuzz_woocommerce_orders() {
    fuzz("woocommerce_orders", || {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let strategy = (
            bytes_or_mutation(woo_page()),
            option::of(number_header()),
            cursor(),
        );
        let property =
            move |(body, total_pages, cursor): (Payload, Option<String>, Option<String>)| {
                let count = array_len(&body.0);
                let answer = Answer::json(body.0);
                let answer = match total_pages {
                    Some(total) => answer.header("x-wp-totalpages", total),
                    None => answer,
                };
                server.answer(move |_, _| answer.clone());
                let client = WooClient::with_policy(
                    &server.base_url,
                    Sensitive::new("ck_fuzz".into()),
                    Sensitive::new("cs_fuzz".into()),
                    policy(2),
                )
                .map_err(|e| fail(e.to_string()))?;
                let request = ListRequest {
                    updated_since: since(),
                    page: cursor.clone(),
                };
                match listed(&rt, client.list_orders(&request))? {
                    Ok(page) => check_page(&page, count, page_number(cursor.as_deref())),
                    Err(_) => Ok(()),
                }
            };
        (strategy, property)
    });
}

/// The official BigCommerce order with its products and its one shipping address, as one
/// document so that mutations reach every part: `orders`, `products`, `addresses`, `store`.
fn bigcommerce_store() -> Value {
    let openapi: serde_yaml::Value =
        serde_yaml::from_str(&spec("bigcommerce/orders.v2.oas2.yml")).unwrap_or_default();
    let example = |response: &str| {
        let value = &openapi["components"]["responses"][response]["content"]["application/json"]
            ["examples"]["response"]["value"];
        serde_json::to_value(value).unwrap_or_default()
    };
    json!({
        "orders": [spec_json("bigcommerce/order.example.json")],
        "products": example("orderProductsCollection_Resp"),
        "addresses": [example("orderShippingAddress_Resp")],
        "store": { "name": "Fuzz Store", "weight_units": "LBS" },
    })
}

/// The part of the mutated store document that `path` serves (or all of arbitrary bytes).
fn bigcommerce_part(document: &Payload, path: &str) -> Vec<u8> {
    let Ok(Value::Object(parts)) = serde_json::from_slice::<Value>(&document.0) else {
        return document.0.clone();
    };
    let key = if path.ends_with("/products") {
        "products"
    } else if path.ends_with("/shipping_addresses") {
        "addresses"
    } else if path.ends_with("/store") {
        "store"
    } else {
        "orders"
    };
    parts
        .get(key)
        .map(|part| serde_json::to_vec(part).unwrap_or_default())
        .unwrap_or_default()
}

#[test]
fn fuzz_bigcommerce_orders() {
    fuzz("bigcommerce_orders", || {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let strategy = (
            bytes_or_mutation(bigcommerce_store()),
            option::of((number_header(), number_header())),
            prop_oneof![Just(200u16), Just(200), Just(200), Just(204)],
            cursor(),
        );
        let property = move |(document, window, status, cursor): (
            Payload,
            Option<(String, String)>,
            u16,
            Option<String>,
        )| {
            let orders = bigcommerce_part(&document, "/orders");
            let count = if status == 204 || orders.iter().all(u8::is_ascii_whitespace) {
                Some(0)
            } else {
                array_len(&orders)
            };
            server.answer(move |_, path| {
                let mut answer = Answer::json(bigcommerce_part(&document, path));
                if path.ends_with("/orders") {
                    answer.status = status;
                }
                if let Some((left, reset)) = &window {
                    answer = answer
                        .header("x-rate-limit-requests-left", left.clone())
                        .header("x-rate-limit-time-reset-ms", reset.clone());
                }
                answer
            });
            let client = BigCommerceClient::with_policy(
                &server.base_url,
                Sensitive::new("bc-fuzz".into()),
                policy(2),
            )
            .map_err(|e| fail(e.to_string()))?;
            let request = ListRequest {
                updated_since: since(),
                page: cursor.clone(),
            };
            match listed(&rt, client.list_orders(&request))? {
                Ok(page) => check_page(&page, count, page_number(cursor.as_deref())),
                Err(_) => Ok(()),
            }
        };
        (strategy, property)
    });
}

/// A Shopify line item as `documents::ORDERS` selects it.
fn shopify_line(n: u32) -> Value {
    json!({
        "sku": format!("SKU-{n}"),
        "title": format!("Item {n}"),
        "quantity": 2,
        "currentQuantity": 2,
        "originalUnitPriceSet": { "shopMoney": { "amount": "12.50", "currencyCode": "USD" } },
        "variant": { "inventoryItem": { "measurement": {
            "weight": { "unit": "POUNDS", "value": 1.5 }
        } } }
    })
}

/// An orders page of two orders (the second with more line items to page through) in the
/// GraphQL envelope; `extensions` is put back after mutation (see [`sane_cost`]).
fn shopify_page() -> Value {
    let money = |amount: &str| json!({ "shopMoney": { "amount": amount, "currencyCode": "USD" } });
    let order = |n: u32, more_lines: bool| {
        json!({
            "id": format!("gid://shopify/Order/{}", 1000 + n),
            "name": format!("#{}", 1000 + n),
            "email": "jane@example.com",
            "createdAt": "2025-01-02T03:04:05Z",
            "updatedAt": "2025-01-03T00:00:00Z",
            "cancelledAt": null,
            "displayFinancialStatus": "PAID",
            "risk": { "recommendation": "ACCEPT", "assessments": [{ "riskLevel": "LOW" }] },
            "currencyCode": "USD",
            "shippingAddress": {
                "name": "Jane Doe", "firstName": "Jane", "lastName": "Doe",
                "address1": "12 Main St", "address2": null, "city": "Springfield",
                "provinceCode": "IL", "zip": "62701", "countryCodeV2": "US", "phone": null
            },
            "currentShippingPriceSet": money("5.00"),
            "currentTotalTaxSet": money("1.00"),
            "currentTotalPriceSet": money("31.00"),
            "lineItems": {
                "pageInfo": { "hasNextPage": more_lines, "endCursor": "l2" },
                "nodes": [shopify_line(1), shopify_line(2)],
            },
        })
    };
    json!({
        "data": {
            "orders": {
                "pageInfo": { "hasNextPage": true, "endCursor": "eyJsYXN0X2lkIjo0fQ==" },
                "nodes": [order(1, false), order(2, true)],
            },
            "order": { "lineItems": {
                "pageInfo": { "hasNextPage": false, "endCursor": null },
                "nodes": [shopify_line(3)],
            } },
        },
    })
}

/// A full bucket: the pacer's own arithmetic on hostile cost reports is fuzzed apart
/// (`shopify::fuzz`); here a hostile report would only make the client wait as told.
fn sane_cost() -> Value {
    json!({ "cost": {
        "requestedQueryCost": 10,
        "actualQueryCost": 5,
        "throttleStatus": { "maximumAvailable": 2000.0, "currentlyAvailable": 2000.0, "restoreRate": 100.0 }
    }})
}

fn with_sane_cost(body: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut envelope)) => {
            envelope.insert("extensions".into(), sane_cost());
            serde_json::to_vec(&envelope).unwrap_or_default()
        }
        _ => body.to_vec(),
    }
}

fn shopify_nodes(body: &[u8]) -> Option<usize> {
    let envelope: Value = serde_json::from_slice(body).ok()?;
    envelope["data"]["orders"]["nodes"].as_array().map(Vec::len)
}

#[test]
fn fuzz_shopify_orders() {
    fuzz("shopify_orders", || {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let strategy = (
            bytes_or_mutation(shopify_page()),
            option::of(hostile_text()),
        );
        let property = move |(body, cursor): (Payload, Option<String>)| {
            let body = with_sane_cost(&body.0);
            let count = shopify_nodes(&body);
            server.answer(move |_, _| Answer::json(body.clone()));
            // One attempt: a THROTTLED answer would otherwise wait for the refill Shopify
            // asked for, which is the point of pacing, not a hang.
            let client = ShopifyClient::with_policy(
                &server.base_url,
                Sensitive::new("shpat_fuzz".into()),
                policy(1),
            )
            .map_err(|e| fail(e.to_string()))?;
            let request = ListRequest {
                updated_since: since(),
                page: cursor,
            };
            match listed(&rt, client.list_orders(&request))? {
                Ok(page) => check_page(&page, count, None),
                Err(_) => Ok(()),
            }
        };
        (strategy, property)
    });
}

/// The seeds themselves read as orders, so that mutations start from the whole mapping rather
/// than from its first refusal.
mod seeds {
    use super::*;

    fn orders(page: &Page) -> usize {
        page.items
            .iter()
            .filter(|item| matches!(item, Fetched::Order(_)))
            .count()
    }

    #[test]
    fn the_seeds_read_as_orders() {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let request = ListRequest {
            updated_since: since(),
            page: None,
        };

        let woo = serde_json::to_vec(&woo_page()).unwrap();
        server.answer(move |_, _| Answer::json(woo.clone()));
        let client = WooClient::with_policy(
            &server.base_url,
            Sensitive::new("ck".into()),
            Sensitive::new("cs".into()),
            policy(1),
        )
        .unwrap();
        let page = rt.block_on(client.list_orders(&request)).unwrap();
        // The example's line without a SKU is a line for another supplier: both import.
        assert_eq!((page.items.len(), orders(&page)), (2, 2), "{page:?}");

        let store = Payload(serde_json::to_vec(&bigcommerce_store()).unwrap());
        server.answer(move |_, path| Answer::json(bigcommerce_part(&store, path)));
        let client =
            BigCommerceClient::with_policy(&server.base_url, Sensitive::new("t".into()), policy(1))
                .unwrap();
        let page = rt.block_on(client.list_orders(&request)).unwrap();
        assert_eq!((page.items.len(), orders(&page)), (1, 1), "{page:?}");

        let shopify = with_sane_cost(&serde_json::to_vec(&shopify_page()).unwrap());
        server.answer(move |_, _| Answer::json(shopify.clone()));
        let client =
            ShopifyClient::with_policy(&server.base_url, Sensitive::new("t".into()), policy(1))
                .unwrap();
        let page = rt.block_on(client.list_orders(&request)).unwrap();
        assert_eq!((page.items.len(), orders(&page)), (2, 2), "{page:?}");
    }
}

/// What the fuzzers found, as fixed inputs.
mod found {
    use super::*;

    /// `woocommerce::parse::per_unit` doubled the line subtotal in i64: a subtotal above half
    /// of i64::MAX cents panicked the page (and lost its good orders) in debug builds.
    #[test]
    fn a_woocommerce_line_subtotal_near_i64_max_does_not_lose_the_page() {
        let rt = runtime();
        let server = rt.block_on(Server::start());
        let good = woo_page()[0].clone();
        let mut huge = good.clone();
        huge["id"] = json!(728);
        huge["line_items"][0]["subtotal"] = json!("46116860184547758.04");
        let body = serde_json::to_vec(&json!([huge, good])).unwrap();
        server.answer(move |_, _| Answer::json(body.clone()));
        let client = WooClient::with_policy(
            &server.base_url,
            Sensitive::new("ck".into()),
            Sensitive::new("cs".into()),
            policy(1),
        )
        .unwrap();
        let request = ListRequest {
            updated_since: since(),
            page: None,
        };
        let page = rt.block_on(client.list_orders(&request)).unwrap();
        assert_eq!(page.items.len(), 2);
        assert!(matches!(&page.items[1], Fetched::Order(_)), "{page:?}");
    }
}
