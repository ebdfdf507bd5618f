//! The Shopify store's fulfillment side over HTTP: fulfillment orders that follow what was
//! shipped, `fulfillmentCreate` and its user errors, cost and throttling, faults, scopes, and
//! the documents checked against the official schema.

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use dealer_sandbox::{
    Faults, PlaceOrder, SandboxOptions, SandboxOrder, SandboxStore, ShopifyBucket, StoreKind,
    CATALOG, SHOPIFY_TOKEN, SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES, SHOPIFY_TOKEN_NO_ORDERS_SCOPE,
};
use serde_json::{json, Value};

use crate::support::{admin_schema, gql, gql_as, start, start_with};

const ORDER: &str = r#"
query Order($id: ID!) {
  order(id: $id) {
    displayFulfillmentStatus
    lineItems(first: 10) { nodes { sku quantity unfulfilledQuantity } }
    fulfillmentOrders(first: 5) {
      nodes {
        id
        orderId
        status
        supportedActions { action }
        lineItems(first: 10) {
          nodes { id totalQuantity remainingQuantity lineItem { id sku } }
        }
      }
    }
    fulfillments {
      id
      name
      status
      trackingInfo { number company url }
      fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { sku } } }
    }
  }
}
"#;

const CREATE: &str = r#"
mutation Create($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id
      status
      trackingInfo { number company url }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } }
    }
    userErrors { field message }
  }
}
"#;

const SCOPES: &str = "query Scopes { currentAppInstallation { accessScopes { handle } } }";

const LISTED: &str =
    "query Listed { orders(first: 10) { nodes { name displayFulfillmentStatus } } }";

/// Two lines: two of the first catalog item, one of the second.
fn two_lines() -> PlaceOrder {
    PlaceOrder {
        lines: vec![CATALOG[0].line(2), CATALOG[1].line(1)],
        ..PlaceOrder::test_order()
    }
}

fn order_gid(order: &SandboxOrder) -> String {
    format!("gid://shopify/Order/{}", order.id)
}

async fn read(store: &SandboxStore, order: &SandboxOrder) -> Value {
    let (status, body) = gql(store, ORDER, json!({ "id": order_gid(order) })).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["order"].clone()
}

/// The order's one fulfillment order.
fn fulfillment_order(order: &Value) -> &Value {
    let nodes = order["fulfillmentOrders"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{order}");
    &nodes[0]
}

fn actions(fulfillment_order: &Value) -> Vec<&str> {
    fulfillment_order["supportedActions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["action"].as_str().unwrap())
        .collect()
}

fn remaining(fulfillment_order: &Value) -> Vec<i64> {
    line_items(fulfillment_order)
        .iter()
        .map(|line| line["remainingQuantity"].as_i64().unwrap())
        .collect()
}

fn line_items(fulfillment_order: &Value) -> &Vec<Value> {
    fulfillment_order["lineItems"]["nodes"].as_array().unwrap()
}

/// `$fulfillment` for `fulfillmentCreate`: `lines` are (line item id, quantity).
fn input(fulfillment_order: &str, lines: &[(&str, i64)], number: &str) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(id, quantity)| json!({ "id": id, "quantity": quantity }))
        .collect();
    json!({ "fulfillment": {
        "lineItemsByFulfillmentOrder": [{
            "fulfillmentOrderId": fulfillment_order,
            "fulfillmentOrderLineItems": lines,
        }],
        "trackingInfo": {
            "number": number,
            "company": "UPS",
            "url": format!("https://www.ups.com/track?tracknum={number}"),
        },
        "notifyCustomer": true,
    }})
}

async fn create(store: &SandboxStore, variables: Value) -> Value {
    let (status, body) = gql(store, CREATE, variables).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn user_errors(body: &Value) -> Vec<String> {
    body["data"]["fulfillmentCreate"]["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no userErrors in {body}"))
        .iter()
        .map(|error| error["message"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn fulfillment_orders_follow_what_is_shipped() {
    let store = start(StoreKind::Shopify).await;
    let placed = store.place_order(two_lines());

    let order = read(&store, &placed).await;
    assert_eq!(order["displayFulfillmentStatus"], "UNFULFILLED");
    assert_eq!(order["fulfillments"], json!([]));
    let fo = fulfillment_order(&order);
    assert!(fo["id"]
        .as_str()
        .unwrap()
        .starts_with("gid://shopify/FulfillmentOrder/"));
    assert_eq!(fo["orderId"], order_gid(&placed));
    assert_eq!(fo["status"], "OPEN");
    assert!(actions(fo).contains(&"CREATE_FULFILLMENT"), "{fo}");
    assert_eq!(remaining(fo), [2, 1]);
    let lines = line_items(fo);
    assert!(lines[0]["id"]
        .as_str()
        .unwrap()
        .starts_with("gid://shopify/FulfillmentOrderLineItem/"));
    assert_eq!(lines[0]["lineItem"]["sku"], CATALOG[0].sku);
    assert_eq!(lines[1]["lineItem"]["sku"], CATALOG[1].sku);
    assert_eq!(lines[0]["totalQuantity"], 2);
    let fo_id = fo["id"].as_str().unwrap().to_owned();
    let first_line = lines[0]["id"].as_str().unwrap().to_owned();

    // One of the two units of the first line.
    let body = create(
        &store,
        input(&fo_id, &[(&first_line, 1)], "1Z999AA10123456784"),
    )
    .await;
    assert_eq!(user_errors(&body), Vec::<String>::new(), "{body}");
    let made = &body["data"]["fulfillmentCreate"]["fulfillment"];
    assert!(made["id"]
        .as_str()
        .unwrap()
        .starts_with("gid://shopify/Fulfillment/"));
    assert_eq!(made["status"], "SUCCESS");
    assert_eq!(
        made["trackingInfo"],
        json!([{
            "number": "1Z999AA10123456784",
            "company": "UPS",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        }])
    );
    assert_eq!(
        made["fulfillmentLineItems"]["nodes"],
        json!([{ "quantity": 1, "lineItem": { "sku": CATALOG[0].sku } }])
    );

    let order = read(&store, &placed).await;
    assert_eq!(order["displayFulfillmentStatus"], "PARTIALLY_FULFILLED");
    let fo = fulfillment_order(&order);
    assert_eq!(fo["status"], "IN_PROGRESS");
    assert!(actions(fo).contains(&"CREATE_FULFILLMENT"));
    assert_eq!(remaining(fo), [1, 1]);
    let unfulfilled: Vec<&Value> = order["lineItems"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| &line["unfulfilledQuantity"])
        .collect();
    assert_eq!(unfulfilled, [&json!(1), &json!(1)]);
    let fulfillments = order["fulfillments"].as_array().unwrap();
    assert_eq!(fulfillments.len(), 1);
    assert_eq!(fulfillments[0]["id"], made["id"]);
    assert_eq!(fulfillments[0]["name"], format!("#{}.1", placed.number));

    // What the store holds, as the other formats would see it.
    let held = &store.orders()[0];
    assert!(held.updated_at > placed.updated_at);
    assert_eq!(held.fulfillments.len(), 1);
    let recorded = &held.fulfillments[0];
    assert_eq!(recorded.tracking_number, "1Z999AA10123456784");
    assert_eq!(recorded.carrier, "UPS");
    assert_eq!(
        (recorded.lines[0].position, recorded.lines[0].quantity),
        (0, 1)
    );

    // No line items listed: everything left.
    let all = json!({ "fulfillment": {
        "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderId": fo_id }],
        "trackingInfo": { "number": "9400111899223817576384", "company": "USPS" },
    }});
    let body = create(&store, all).await;
    assert_eq!(user_errors(&body), Vec::<String>::new(), "{body}");
    let order = read(&store, &placed).await;
    assert_eq!(order["displayFulfillmentStatus"], "FULFILLED");
    let fo = fulfillment_order(&order);
    assert_eq!(fo["status"], "CLOSED");
    assert_eq!(actions(fo), Vec::<&str>::new());
    assert_eq!(remaining(fo), [0, 0]);
    let second = &order["fulfillments"][1];
    assert_eq!(second["trackingInfo"][0]["url"], Value::Null);
    let shipped: Vec<i64> = second["fulfillmentLineItems"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["quantity"].as_i64().unwrap())
        .collect();
    assert_eq!(shipped, [1, 1]);

    let (_, listed) = gql(&store, LISTED, json!({})).await;
    assert_eq!(
        listed["data"]["orders"]["nodes"][0]["displayFulfillmentStatus"],
        "FULFILLED"
    );
}

#[tokio::test]
async fn what_the_store_cannot_do_comes_back_as_user_errors() {
    let store = start(StoreKind::Shopify).await;
    let placed = store.place_order(two_lines());
    let other = store.place_order(two_lines());
    let order = read(&store, &placed).await;
    let fo = fulfillment_order(&order);
    let fo_id = fo["id"].as_str().unwrap().to_owned();
    let first_line = line_items(fo)[0]["id"].as_str().unwrap().to_owned();
    let other_order = read(&store, &other).await;
    let other_line = line_items(fulfillment_order(&other_order))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let cases = [
        (
            input(
                "gid://shopify/FulfillmentOrder/1",
                &[(&first_line, 1)],
                "T1",
            ),
            "does not exist",
        ),
        (input(&fo_id, &[(&other_line, 1)], "T2"), "does not belong"),
        (input(&fo_id, &[(&first_line, 3)], "T3"), "quantity"),
        (input(&fo_id, &[(&first_line, 0)], "T4"), "quantity"),
        (
            input(&fo_id, &[(&first_line, 2), (&first_line, 1)], "T5"),
            "quantity",
        ),
        (
            json!({ "fulfillment": { "lineItemsByFulfillmentOrder": [] } }),
            "blank",
        ),
    ];
    for (variables, expected) in cases {
        let body = create(&store, variables.clone()).await;
        let errors = user_errors(&body);
        assert_eq!(errors.len(), 1, "{variables}: {body}");
        assert!(errors[0].contains(expected), "{variables}: {errors:?}");
        assert_eq!(
            body["data"]["fulfillmentCreate"]["fulfillment"],
            Value::Null
        );
        let field = &body["data"]["fulfillmentCreate"]["userErrors"][0]["field"];
        assert_eq!(field[0], "fulfillment", "{body}");
    }
    assert!(store.orders().iter().all(|o| o.fulfillments.is_empty()));

    store.cancel_order(placed.id).unwrap();
    let body = create(&store, input(&fo_id, &[(&first_line, 1)], "T6")).await;
    let errors = user_errors(&body);
    assert!(
        errors[0].contains("unfulfillable status= closed"),
        "{errors:?}"
    );
    let order = read(&store, &placed).await;
    assert_eq!(fulfillment_order(&order)["status"], "CLOSED");
    assert!(store.orders().iter().all(|o| o.fulfillments.is_empty()));
}

#[tokio::test]
async fn an_input_that_does_not_fit_the_schema_is_a_graphql_error() {
    let store = start(StoreKind::Shopify).await;
    store.place_order(two_lines());
    for fulfillment in [
        json!({ "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderLineItems": [] }] }),
        json!({ "lineItemsByFulfillmentOrder": [], "trackingNumber": "T" }),
    ] {
        let (status, body) = gql(&store, CREATE, json!({ "fulfillment": fulfillment })).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"], Value::Null, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_VARIABLE");
    }
}

#[tokio::test]
async fn a_mutation_costs_ten_points_and_waits_for_the_bucket_like_a_query() {
    let options = SandboxOptions {
        shopify_bucket: ShopifyBucket {
            maximum_available: 15.0,
            restore_rate: 1.0,
        },
        ..SandboxOptions::default()
    };
    let store = start_with(StoreKind::Shopify, options).await;
    let placed = store.place_order(two_lines());
    let fo_id = format!(
        "gid://shopify/FulfillmentOrder/{}",
        6_300_000_000_000 + placed.number
    );
    let everything = |number: &str| {
        json!({ "fulfillment": {
            "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderId": fo_id }],
            "trackingInfo": { "number": number },
        }})
    };
    let first = create(&store, everything("T1")).await;
    assert_eq!(user_errors(&first), Vec::<String>::new(), "{first}");
    let cost = &first["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 10);
    assert_eq!(cost["actualQueryCost"], 10);
    let second = create(&store, everything("T2")).await;
    assert_eq!(
        second["errors"][0]["extensions"]["code"], "THROTTLED",
        "{second}"
    );
    assert_eq!(
        store.orders()[0].fulfillments.len(),
        1,
        "a throttled call changes nothing"
    );
    assert_eq!(store.stats().throttled, 1);
}

#[tokio::test]
async fn injected_faults_strike_the_mutation_before_it_runs() {
    let store = start(StoreKind::Shopify).await;
    let placed = store.place_order(two_lines());
    let order = read(&store, &placed).await;
    let fo_id = fulfillment_order(&order)["id"].as_str().unwrap().to_owned();
    let variables = json!({ "fulfillment": {
        "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderId": fo_id }],
    }});
    store.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let (status, _) = gql(&store, CREATE, variables.clone()).await;
    assert!(status >= 500, "{status}");
    assert!(store.orders()[0].fulfillments.is_empty());
    store.set_faults(Faults::default());
    let body = create(&store, variables).await;
    assert_eq!(user_errors(&body), Vec::<String>::new(), "{body}");
    assert_eq!(store.orders()[0].fulfillments.len(), 1);
}

#[tokio::test]
async fn fulfillment_scopes_are_granted_per_token() {
    let store = start(StoreKind::Shopify).await;
    let placed = store.place_order(two_lines());
    let handles = |body: &Value| -> Vec<String> {
        body["data"]["currentAppInstallation"]["accessScopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|scope| scope["handle"].as_str().unwrap().to_owned())
            .collect()
    };
    let tracking = [
        "write_fulfillments",
        "write_merchant_managed_fulfillment_orders",
    ];

    let (_, all) = gql_as(&store, SHOPIFY_TOKEN, SCOPES, json!({})).await;
    let all = handles(&all);
    assert!(all.iter().any(|h| h == "read_orders"), "{all:?}");
    assert!(
        tracking.iter().all(|t| all.iter().any(|h| h == t)),
        "{all:?}"
    );

    let (_, no_orders) = gql_as(&store, SHOPIFY_TOKEN_NO_ORDERS_SCOPE, SCOPES, json!({})).await;
    assert!(!handles(&no_orders).iter().any(|h| h == "read_orders"));

    let token = SHOPIFY_TOKEN_NO_FULFILLMENT_SCOPES;
    let (_, limited) = gql_as(&store, token, SCOPES, json!({})).await;
    let limited = handles(&limited);
    assert!(limited.iter().any(|h| h == "read_orders"), "{limited:?}");
    assert!(
        tracking.iter().all(|t| !limited.iter().any(|h| h == t)),
        "{limited:?}"
    );
    // Without the scopes Shopify shows no fulfillment orders and refuses the mutation.
    let (_, order) = gql_as(&store, token, ORDER, json!({ "id": order_gid(&placed) })).await;
    assert_eq!(
        order["data"]["order"]["fulfillmentOrders"]["nodes"],
        json!([])
    );
    let fo_id = format!(
        "gid://shopify/FulfillmentOrder/{}",
        6_300_000_000_000 + placed.number
    );
    let variables = json!({ "fulfillment": {
        "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderId": fo_id }],
    }});
    let (status, denied) = gql_as(&store, token, CREATE, variables).await;
    assert_eq!(status, 200);
    assert_eq!(denied["data"], Value::Null, "{denied}");
    assert_eq!(denied["errors"][0]["extensions"]["code"], "ACCESS_DENIED");
    assert!(denied["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("write_fulfillments"));
    assert!(store.orders()[0].fulfillments.is_empty());
}

#[tokio::test]
async fn a_fulfillment_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let options = SandboxOptions {
        state_dir: Some(dir.path().to_path_buf()),
        ..SandboxOptions::default()
    };
    let store = start_with(StoreKind::Shopify, options.clone()).await;
    let placed = store.place_order(two_lines());
    let order = read(&store, &placed).await;
    let fo_id = fulfillment_order(&order)["id"].as_str().unwrap().to_owned();
    let variables = json!({ "fulfillment": {
        "lineItemsByFulfillmentOrder": [{ "fulfillmentOrderId": fo_id }],
        "trackingInfo": { "number": "1Z999AA10123456784", "company": "UPS" },
    }});
    create(&store, variables).await;
    store.stop().await;
    let store = start_with(StoreKind::Shopify, options).await;
    let order = read(&store, &placed).await;
    assert_eq!(order["displayFulfillmentStatus"], "FULFILLED");
    assert_eq!(
        order["fulfillments"][0]["trackingInfo"][0]["number"],
        "1Z999AA10123456784"
    );
}

#[test]
fn the_documents_are_valid_against_the_sdl() {
    let path = admin_schema::path();
    // Lenient, as for Shopify's own SDL, whose deprecation quirks strict validation rejects.
    let schema = Valid::assume_valid(
        Schema::parse(admin_schema::sdl(), &path).unwrap_or_else(|e| e.partial),
    );
    for document in [ORDER, CREATE, SCOPES, LISTED] {
        if let Err(invalid) =
            ExecutableDocument::parse_and_validate(&schema, document, "doc.graphql")
        {
            panic!("{}\n{document}", invalid.errors);
        }
    }
}
