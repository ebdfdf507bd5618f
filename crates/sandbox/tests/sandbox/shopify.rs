//! The Shopify store: orders changed since a time, in pages; edits and cancellations; broken
//! orders; tokens and scopes; projection; cost, throttling and refill.

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use chrono::{DateTime, SecondsFormat, Utc};
use dealer_sandbox::{
    Faults, OrderEdit, PlaceOrder, SandboxOptions, ShopifyBucket, StoreKind, SHOPIFY_API_VERSION,
    SHOPIFY_TOKEN, SHOPIFY_TOKEN_NO_ORDERS_SCOPE, SHOPIFY_VERSION_HEADER,
};
use serde_json::{json, Value};

use crate::support::{admin_schema, client, gql, gql_as, graphql_url, start, start_with, tick};

/// What a sync client would send: every order field the app imports.
const CHANGED_ORDERS: &str = r#"
query ChangedOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    edges {
      cursor
      node {
        id legacyResourceId name createdAt updatedAt cancelledAt cancelReason email currencyCode
        customer { id firstName lastName email }
        shippingAddress {
          firstName lastName name address1 address2 city province provinceCode zip country
          countryCodeV2 phone
        }
        lineItems(first: 10) {
          nodes {
            id sku name title quantity
            originalUnitPriceSet { shopMoney { amount currencyCode } }
            variant { inventoryItem { measurement { weight { unit value } } } }
          }
        }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"#;

const SHOP: &str = "query Shop { shop { name currencyCode } }";

const ORDER_IDS: &str = "query Ids($first: Int!, $query: String, $reverse: Boolean) { \
    orders(first: $first, query: $query, sortKey: UPDATED_AT, reverse: $reverse) { \
    nodes { legacyResourceId } } }";

const DOCUMENTS: &[&str] = &[CHANGED_ORDERS, SHOP, ORDER_IDS];

fn since(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn names(body: &Value) -> Vec<String> {
    body["data"]["orders"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn example_documents_are_valid_against_the_sdl() {
    let path = admin_schema::path();
    // Lenient, as for Shopify's own SDL, whose deprecation quirks strict validation rejects.
    let schema = Valid::assume_valid(
        Schema::parse(admin_schema::sdl(), &path).unwrap_or_else(|e| e.partial),
    );
    for document in DOCUMENTS {
        if let Err(invalid) =
            ExecutableDocument::parse_and_validate(&schema, *document, "doc.graphql")
        {
            panic!("{}\n{document}", invalid.errors);
        }
    }
    let bogus = "{ orders(first: 1) { nodes { totalPriceUsd } } }";
    assert!(ExecutableDocument::parse_and_validate(&schema, bogus, "bogus.graphql").is_err());
}

#[tokio::test]
async fn lists_orders_changed_since_a_time_in_pages() {
    let store = start(StoreKind::Shopify).await;
    let placed: Vec<_> = (0..5)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    let query = format!("updated_at:>'{}'", since(placed[1].updated_at));

    let (status, first) = gql(
        &store,
        CHANGED_ORDERS,
        json!({ "first": 2, "query": query }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(names(&first), ["#1003", "#1004"]);
    let page_info = &first["data"]["orders"]["pageInfo"];
    assert_eq!(page_info["hasNextPage"], true);

    let after = page_info["endCursor"].clone();
    let variables = json!({ "first": 2, "query": query, "after": after });
    let (_, second) = gql(&store, CHANGED_ORDERS, variables).await;
    assert_eq!(names(&second), ["#1005"]);
    assert_eq!(second["data"]["orders"]["pageInfo"]["hasNextPage"], false);

    let inclusive = format!("updated_at:>='{}'", since(placed[1].updated_at));
    let (_, body) = gql(
        &store,
        CHANGED_ORDERS,
        json!({ "first": 10, "query": inclusive }),
    )
    .await;
    assert_eq!(names(&body).len(), 4);

    let node = &first["data"]["orders"]["edges"][0]["node"];
    let order = &placed[2];
    assert_eq!(node["id"], format!("gid://shopify/Order/{}", order.id));
    assert_eq!(node["legacyResourceId"], order.id.to_string());
    assert_eq!(
        node["totalPriceSet"]["shopMoney"],
        json!({ "amount": "5.4", "currencyCode": "USD" })
    );
    assert_eq!(node["totalTaxSet"]["shopMoney"]["amount"], "0.41");
    assert_eq!(node["totalShippingPriceSet"]["shopMoney"]["amount"], "0.0");
    assert_eq!(node["shippingAddress"]["provinceCode"], "TX");
    assert_eq!(node["shippingAddress"]["countryCodeV2"], "US");
    let line = &node["lineItems"]["nodes"][0];
    assert_eq!(line["sku"], "USD-1001");
    assert_eq!(line["quantity"], 1);
    assert_eq!(
        line["variant"]["inventoryItem"]["measurement"]["weight"],
        json!({ "unit": "GRAMS", "value": 60 })
    );
    assert_eq!(
        node["updatedAt"],
        order.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );

    let (_, reversed) = gql(&store, ORDER_IDS, json!({ "first": 2, "reverse": true })).await;
    let ids: Vec<&str> = reversed["data"]["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["legacyResourceId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [placed[4].id.to_string(), placed[3].id.to_string()]);
}

#[tokio::test]
async fn edits_and_cancellations_bump_updated_at_and_show() {
    let store = start(StoreKind::Shopify).await;
    let a = store.place_order(PlaceOrder::test_order());
    let b = store.place_order(PlaceOrder::test_order());
    tick().await;
    let mut moved = a.ship_to.clone();
    moved.city = "Dallas".to_owned();
    moved.zip = "75201".to_owned();
    let edited = store
        .edit_order(
            a.id,
            OrderEdit {
                ship_to: Some(moved),
                ..OrderEdit::default()
            },
        )
        .unwrap();
    let cancelled = store.cancel_order(b.id).unwrap();
    assert!(edited.updated_at > b.updated_at);
    assert!(cancelled.updated_at > edited.updated_at);

    let query = format!("updated_at:>'{}'", since(b.updated_at));
    let (_, body) = gql(
        &store,
        CHANGED_ORDERS,
        json!({ "first": 10, "query": query }),
    )
    .await;
    assert_eq!(names(&body), ["#1001", "#1002"]);
    let edges = &body["data"]["orders"]["edges"];
    assert_eq!(edges[0]["node"]["shippingAddress"]["city"], "Dallas");
    assert!(edges[0]["node"]["cancelledAt"].is_null());
    assert!(edges[1]["node"]["cancelledAt"].is_string());
    assert_eq!(edges[1]["node"]["cancelReason"], "CUSTOMER");
}

#[tokio::test]
async fn a_malformed_order_is_served_broken_in_a_valid_page() {
    let store = start(StoreKind::Shopify).await;
    let orders: Vec<_> = (0..3)
        .map(|_| store.place_order(PlaceOrder::test_order()))
        .collect();
    store.make_malformed(orders[1].id).unwrap();
    let (status, body) = gql(&store, CHANGED_ORDERS, json!({ "first": 10 })).await;
    assert_eq!(status, 200);
    let edges = body["data"]["orders"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 3);
    let amount = |i: usize| {
        edges[i]["node"]["totalPriceSet"]["shopMoney"]["amount"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(amount(0).parse::<f64>().is_ok());
    assert!(amount(1).parse::<f64>().is_ok());
    // Breaking it was a change: it moved to the end of the "changed since" order.
    assert!(amount(2).parse::<f64>().is_err(), "{}", amount(2));
    assert!(edges[2]["node"]["lineItems"]["nodes"][0]["quantity"].is_null());
    assert_eq!(edges[2]["node"]["name"], "#1002");
}

#[tokio::test]
async fn tokens_and_scopes() {
    let store = start(StoreKind::Shopify).await;
    store.place_order(PlaceOrder::test_order());
    let message = "[API] Invalid API key or access token (unrecognized login or wrong password)";
    let expected = json!({ "errors": message });
    let (status, body) = gql_as(&store, "shpat_wrong", SHOP, json!({})).await;
    assert_eq!((status, &body), (401, &expected));
    let missing = client()
        .post(graphql_url(&store))
        .json(&json!({ "query": SHOP }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);

    let (status, body) = gql_as(&store, SHOPIFY_TOKEN_NO_ORDERS_SCOPE, SHOP, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["shop"],
        json!({ "name": "Sandbox Store", "currencyCode": "USD" })
    );

    let (status, body) = gql_as(
        &store,
        SHOPIFY_TOKEN_NO_ORDERS_SCOPE,
        CHANGED_ORDERS,
        json!({ "first": 5 }),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["data"].is_null());
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "ACCESS_DENIED");
    assert_eq!(
        error["message"],
        "Access denied for orders field. Required access: `read_orders` access scope."
    );
    assert_eq!(error["path"], json!(["orders"]));
}

#[tokio::test]
async fn projection_aliases_and_unknown_fields() {
    let store = start(StoreKind::Shopify).await;
    let order = store.place_order(PlaceOrder::test_order());
    let query = "{ recent: orders(first: 1) { nodes { __typename ref: name \
                 total: totalPriceSet { shopMoney { amount } } } } }";
    let (_, body) = gql(&store, query, json!({})).await;
    assert_eq!(
        body["data"],
        json!({ "recent": { "nodes": [{
            "__typename": "Order",
            "ref": "#1001",
            "total": { "shopMoney": { "amount": "5.4" } },
        }] } })
    );
    assert_eq!(order.number, 1001);

    let (status, body) = gql(
        &store,
        "{ orders(first: 1) { nodes { id riskLevelScore } } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.get("data").is_none());
    assert_eq!(body["errors"][0]["extensions"]["code"], "undefinedField");
    assert_eq!(
        body["errors"][0]["message"],
        "Field 'riskLevelScore' doesn't exist on type 'Order'"
    );

    let (status, body) = gql(&store, "{ orders(first: 1) { nodes { id }", json!({})).await;
    assert_eq!(status, 200);
    assert!(body["errors"][0]["message"].is_string());
}

#[tokio::test]
async fn cost_is_reported_and_charged() {
    let store = start(StoreKind::Shopify).await;
    for _ in 0..3 {
        store.place_order(PlaceOrder::test_order());
    }
    let (_, body) = gql(&store, ORDER_IDS, json!({ "first": 10 })).await;
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 12);
    assert_eq!(cost["actualQueryCost"], 5);
    assert_eq!(cost["throttleStatus"]["maximumAvailable"], 1000.0);
    assert_eq!(cost["throttleStatus"]["restoreRate"], 50.0);
    let available = cost["throttleStatus"]["currentlyAvailable"]
        .as_u64()
        .unwrap();
    assert!((990..=995).contains(&available), "{available}");
    let stats = store.stats();
    assert_eq!(stats.cost_points_consumed, 5);
    assert_eq!(stats.orders_served, 3);
    assert_eq!(stats.api_requests, 1);
}

fn small_bucket() -> SandboxOptions {
    SandboxOptions {
        shopify_bucket: ShopifyBucket {
            maximum_available: 100.0,
            restore_rate: 150.0,
        },
        ..SandboxOptions::default()
    }
}

#[tokio::test]
async fn throttled_when_the_bucket_is_empty_then_refilled() {
    let store = start_with(StoreKind::Shopify, small_bucket()).await;
    store.place_random_orders(120, 1);
    // requested 2 + 98 = 100, and 98 orders come back: the bucket is drained.
    let (status, body) = gql(&store, ORDER_IDS, json!({ "first": 98 })).await;
    assert_eq!(status, 200);
    assert_eq!(body["extensions"]["cost"]["actualQueryCost"], 100);

    let (status, body) = gql(&store, ORDER_IDS, json!({ "first": 98 })).await;
    assert_eq!(status, 200);
    assert_eq!(body["errors"][0]["extensions"]["code"], "THROTTLED");
    assert_eq!(body["errors"][0]["message"], "Throttled");
    assert!(body.get("data").is_none_or(Value::is_null));
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 100);
    assert!(cost["actualQueryCost"].is_null());
    assert!(
        cost["throttleStatus"]["currentlyAvailable"]
            .as_u64()
            .unwrap()
            < 100
    );

    store.set_faults(Faults {
        throttled_as_429: true,
        ..Faults::default()
    });
    let response = client()
        .post(graphql_url(&store))
        .header("X-Shopify-Access-Token", dealer_sandbox::SHOPIFY_TOKEN)
        .json(&json!({ "query": ORDER_IDS, "variables": { "first": 98 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "THROTTLED");

    // 150 points a second: two thirds of a second refill the whole bucket.
    tokio::time::sleep(std::time::Duration::from_millis(750)).await;
    let (status, body) = gql(&store, ORDER_IDS, json!({ "first": 98 })).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["orders"]["nodes"].as_array().unwrap().len(),
        98
    );
    assert_eq!(store.stats().throttled, 2);
}

#[tokio::test]
async fn a_query_costlier_than_the_bucket_is_refused() {
    let store = start(StoreKind::Shopify).await;
    let query = "{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }";
    let (status, body) = gql(&store, query, json!({})).await;
    assert_eq!(status, 200);
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "MAX_COST_EXCEEDED");
    assert_eq!(error["extensions"]["cost"], 2 + 250 * (1 + 2 + 10));
    assert_eq!(error["extensions"]["maxCost"], 1000.0);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("Query cost is 3252"));
    assert_eq!(
        body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"],
        1000
    );
    assert_eq!(store.stats().max_cost_exceeded, 1);
}

/// Like Shopify, every answer names the Admin API version that served it, refusals included.
#[tokio::test]
async fn answers_name_the_api_version() {
    let store = start(StoreKind::Shopify).await;
    for token in [SHOPIFY_TOKEN, "wrong-token"] {
        let response = client()
            .post(graphql_url(&store))
            .header("X-Shopify-Access-Token", token)
            .json(&json!({ "query": "{ shop { name } }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()[SHOPIFY_VERSION_HEADER],
            SHOPIFY_API_VERSION,
            "{}",
            response.status()
        );
    }
}
