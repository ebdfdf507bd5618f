//! Every GraphQL document the Shopify client sends, and what each costs by Shopify's published
//! rules (object = 1, scalar or enum = 0, connection = 2 + first × node cost, mutation = 10).
//! The contract test validates the documents against the Admin API schema and recomputes these
//! costs from them.

/// The fields of a line item the engine needs. A macro, so the documents below are `&'static
/// str` constants with the fragment included.
macro_rules! order_line_fragment {
    () => {
        r#"
fragment OrderLine on LineItem {
  sku
  title
  quantity
  currentQuantity
  requiresShipping
  originalUnitPriceSet { shopMoney { amount currencyCode } }
  variant { inventoryItem { measurement { weight { unit value } } } }
}
"#
    };
}

/// One page of orders changed since a time, oldest change first, each with its first `$lines`
/// line items. `query` is Shopify search syntax: there is no `updatedAtMin` argument.
pub(crate) const ORDERS: &str = concat!(
    r#"
query Orders($first: Int!, $after: String, $query: String!, $lines: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      email
      createdAt
      updatedAt
      cancelledAt
      displayFinancialStatus
      risk { recommendation assessments { riskLevel } }
      currencyCode
      shippingAddress {
        name firstName lastName address1 address2 city provinceCode zip countryCodeV2 phone
      }
      currentShippingPriceSet { shopMoney { amount currencyCode } }
      currentTotalTaxSet { shopMoney { amount currencyCode } }
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: $lines) {
        pageInfo { hasNextPage endCursor }
        nodes { ...OrderLine }
      }
    }
  }
}
"#,
    order_line_fragment!()
);

/// The rest of an order's line items, for orders with more than the page fetched.
pub(crate) const ORDER_LINES: &str = concat!(
    r#"
query OrderLines($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...OrderLine }
    }
  }
}
"#,
    order_line_fragment!()
);

/// The connection test: the shop's name proves the URL and the token.
pub(crate) const SHOP_NAME: &str = "query ShopName { shop { name } }";

/// The connection test: one order id proves the `read_orders` scope (`ACCESS_DENIED` without).
pub(crate) const ORDERS_SCOPE: &str = "query OrdersScope { orders(first: 1) { nodes { id } } }";

/// The connection test: the scopes granted to the app, for the ones tracking needs (the query
/// itself needs none).
pub(crate) const APP_SCOPES: &str =
    "query AppScopes { currentAppInstallation { accessScopes { handle } } }";

/// Look before writing tracking: the order's fulfillments (all of them: `Order.fulfillments` is
/// a plain list) and their tracking numbers.
pub(crate) const ORDER_FULFILLMENTS: &str = r#"
query OrderFulfillments($id: ID!) {
  order(id: $id) {
    fulfillments {
      id
      status
      trackingInfo { number }
    }
  }
}
"#;

/// Line items per fulfillment order read with it. An order with more lines in one fulfillment
/// order than this cannot have its tracking written back by this client.
pub(crate) const FULFILLMENT_ORDER_LINES: u32 = 50;

/// What is left to ship: the order's fulfillment orders, what each allows, and each line's
/// remaining quantity with the order line's SKU. `$first` fulfillment orders per page.
pub(crate) const FULFILLMENT_ORDERS: &str = r#"
query FulfillmentOrders($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    cancelledAt
    displayFulfillmentStatus
    fulfillmentOrders(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        supportedActions { action }
        lineItems(first: 50) {
          pageInfo { hasNextPage }
          nodes { id remainingQuantity lineItem { id sku } }
        }
      }
    }
  }
}
"#;

/// Records a shipment: the fulfillment order line items and quantities it holds, its tracking.
pub(crate) const FULFILLMENT_CREATE: &str = r#"
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { number company url } }
    userErrors { field message }
  }
}
"#;

/// Look before cancelling: whether the order is cancelled already, and whether anything of it
/// has been fulfilled (shipped).
pub(crate) const ORDER_CANCEL_STATE: &str = r#"
query OrderCancelState($id: ID!) {
  order(id: $id) {
    id
    cancelledAt
    displayFulfillmentStatus
  }
}
"#;

/// Cancels the order (the dealer cancelled it in Dealer Portal). No refund, no restock and no
/// email from here: money and stock are the dealer's to handle in Shopify; the dealer's reason
/// goes in the staff note.
pub(crate) const ORDER_CANCEL: &str = r#"
mutation OrderCancel($orderId: ID!, $staffNote: String) {
  orderCancel(
    orderId: $orderId
    reason: CUSTOMER
    refund: false
    restock: false
    notifyCustomer: false
    staffNote: $staffNote
  ) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"#;

/// A document the client sends, with its cost shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doc {
    Orders,
    OrderLines,
    ShopName,
    OrdersScope,
    AppScopes,
    OrderFulfillments,
    FulfillmentOrders,
    FulfillmentCreate,
    OrderCancelState,
    OrderCancel,
}

impl Doc {
    pub(crate) const ALL: [Doc; 10] = [
        Doc::Orders,
        Doc::OrderLines,
        Doc::ShopName,
        Doc::OrdersScope,
        Doc::AppScopes,
        Doc::OrderFulfillments,
        Doc::FulfillmentOrders,
        Doc::FulfillmentCreate,
        Doc::OrderCancelState,
        Doc::OrderCancel,
    ];

    pub(crate) fn text(self) -> &'static str {
        match self {
            Doc::Orders => ORDERS,
            Doc::OrderLines => ORDER_LINES,
            Doc::ShopName => SHOP_NAME,
            Doc::OrdersScope => ORDERS_SCOPE,
            Doc::AppScopes => APP_SCOPES,
            Doc::OrderFulfillments => ORDER_FULFILLMENTS,
            Doc::FulfillmentOrders => FULFILLMENT_ORDERS,
            Doc::FulfillmentCreate => FULFILLMENT_CREATE,
            Doc::OrderCancelState => ORDER_CANCEL_STATE,
            Doc::OrderCancel => ORDER_CANCEL,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Doc::Orders => "Orders",
            Doc::OrderLines => "OrderLines",
            Doc::ShopName => "ShopName",
            Doc::OrdersScope => "OrdersScope",
            Doc::AppScopes => "AppScopes",
            Doc::OrderFulfillments => "OrderFulfillments",
            Doc::FulfillmentOrders => "FulfillmentOrders",
            Doc::FulfillmentCreate => "FulfillmentCreate",
            Doc::OrderCancelState => "OrderCancelState",
            Doc::OrderCancel => "OrderCancel",
        }
    }

    /// The access scope an `ACCESS_DENIED` answer to this document is about.
    pub(crate) fn scope(self) -> &'static str {
        match self {
            Doc::Orders
            | Doc::OrderLines
            | Doc::ShopName
            | Doc::OrdersScope
            | Doc::AppScopes
            | Doc::OrderFulfillments
            | Doc::OrderCancelState => "read_orders",
            Doc::OrderCancel => "write_orders",
            Doc::FulfillmentOrders => "read_merchant_managed_fulfillment_orders",
            Doc::FulfillmentCreate => "write_fulfillments",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Requested cost for `first` nodes of the paged connection with `lines` line items each,
    /// by Shopify's rules.
    pub(crate) fn cost(self, first: u32, lines: u32) -> f64 {
        let (fixed, per_node) = self.shape(lines);
        fixed + f64::from(first) * per_node
    }

    /// (cost without nodes, cost per node).
    pub(crate) fn shape(self, lines: u32) -> (f64, f64) {
        match self {
            // orders connection 2 + pageInfo 1; an order is itself 1, its address 1, three
            // money bags 2 each, its risk summary 1 and assessments 1, and its lineItems
            // connection 2 + pageInfo 1 + lines × line.
            Doc::Orders => (3.0, 13.0 + f64::from(lines) * LINE_COST),
            // order 1 + lineItems connection 2 + pageInfo 1.
            Doc::OrderLines => (4.0, LINE_COST),
            Doc::ShopName => (1.0, 0.0),
            // orders connection 2 + one order of cost 1.
            Doc::OrdersScope => (3.0, 0.0),
            // the app installation 1, its scopes 1.
            Doc::AppScopes => (2.0, 0.0),
            // order 1, its fulfillments 1, their tracking 1.
            Doc::OrderFulfillments => (3.0, 0.0),
            // order 1 + connection 2 + pageInfo 1; a fulfillment order 1, its actions 1, its
            // lineItems connection 2 + pageInfo 1 + 50 × (line 1 + order line 1).
            Doc::FulfillmentOrders => (4.0, 5.0 + f64::from(FULFILLMENT_ORDER_LINES) * 2.0),
            Doc::FulfillmentCreate | Doc::OrderCancel => (MUTATION_COST, 0.0),
            // the order 1.
            Doc::OrderCancelState => (1.0, 0.0),
        }
    }

    /// Whether `first` is chosen by the pacer (else the document fixes its own).
    pub(crate) fn is_paged(self) -> bool {
        matches!(self, Doc::Orders | Doc::OrderLines | Doc::FulfillmentOrders)
    }
}

/// A mutation costs 10 points, whatever it selects.
pub(crate) const MUTATION_COST: f64 = 10.0;

/// A line item 1, its price bag 2, variant 1, inventory item 1, measurement 1, weight 1.
const LINE_COST: f64 = 7.0;

/// Every document, named, for the schema test.
pub fn documents() -> Vec<(&'static str, String)> {
    Doc::ALL
        .iter()
        .map(|doc| (doc.name(), doc.text().to_string()))
        .collect()
}
