//! Every GraphQL document the Shopify client sends, and what each costs by Shopify's published
//! rules (object = 1, scalar or enum = 0, connection = 2 + first × node cost). The contract test
//! validates the documents against the 2025-01 schema and recomputes these costs from them.

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

/// A document the client sends, with its cost shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doc {
    Orders,
    OrderLines,
    ShopName,
    OrdersScope,
}

impl Doc {
    pub(crate) const ALL: [Doc; 4] = [
        Doc::Orders,
        Doc::OrderLines,
        Doc::ShopName,
        Doc::OrdersScope,
    ];

    pub(crate) fn text(self) -> &'static str {
        match self {
            Doc::Orders => ORDERS,
            Doc::OrderLines => ORDER_LINES,
            Doc::ShopName => SHOP_NAME,
            Doc::OrdersScope => ORDERS_SCOPE,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Doc::Orders => "Orders",
            Doc::OrderLines => "OrderLines",
            Doc::ShopName => "ShopName",
            Doc::OrdersScope => "OrdersScope",
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
            // money bags 2 each, and its lineItems connection 2 + pageInfo 1 + lines × line.
            Doc::Orders => (3.0, 11.0 + f64::from(lines) * LINE_COST),
            // order 1 + lineItems connection 2 + pageInfo 1.
            Doc::OrderLines => (4.0, LINE_COST),
            Doc::ShopName => (1.0, 0.0),
            // orders connection 2 + one order of cost 1.
            Doc::OrdersScope => (3.0, 0.0),
        }
    }

    /// Whether `first` is chosen by the pacer (else the document fixes its own).
    pub(crate) fn is_paged(self) -> bool {
        matches!(self, Doc::Orders | Doc::OrderLines)
    }
}

/// A line item 1, its price bag 2, variant 1, inventory item 1, measurement 1, weight 1.
const LINE_COST: f64 = 7.0;

/// Every document, named, for the schema test.
pub fn documents() -> Vec<(&'static str, String)> {
    Doc::ALL
        .iter()
        .map(|doc| (doc.name(), doc.text().to_string()))
        .collect()
}
