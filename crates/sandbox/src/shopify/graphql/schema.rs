//! The slice of the Admin API schema the sandbox models: for each type, its fields and
//! what kind of value each one is. Validation, cost and projection all read it, so a field
//! exists in the sandbox exactly when it is listed here (a test checks every entry against the
//! official SDL). To model more, add types and fields here and the values in the JSON builders
//! or resolvers.

/// What a field returns, as far as validation, cost and projection care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A scalar or enum (or a list of them): costs nothing.
    Leaf,
    /// An object (nullable or not): costs 1 plus its selection.
    Object(&'static str),
    /// A list of objects: each costs 1 plus its selection.
    List(&'static str),
    /// Plumbing of a connection (`edges`, `pageInfo`): free in itself.
    Wrapper(&'static str),
    /// A paginated connection type: costs 2 plus `first` times its selection.
    Connection(&'static str),
}

pub(crate) struct ObjectType {
    pub name: &'static str,
    pub interfaces: &'static [&'static str],
    pub fields: &'static [(&'static str, Kind)],
}

use Kind::{Connection, Leaf, List, Object, Wrapper};

pub(crate) const QUERY_ROOT: &str = "QueryRoot";
pub(crate) const MUTATION_ROOT: &str = "Mutation";
/// What a mutation field costs, whatever it selects (Shopify's published rule).
pub(crate) const MUTATION_COST: u64 = 10;

const NODE: &[&str] = &["Node"];
const LEGACY_NODE: &[&str] = &["LegacyInteroperability", "Node"];

pub(crate) const TYPES: &[ObjectType] = &[
    ObjectType {
        name: QUERY_ROOT,
        interfaces: &[],
        fields: &[
            ("shop", Object("Shop")),
            ("orders", Connection("OrderConnection")),
            ("order", Object("Order")),
            ("currentAppInstallation", Object("AppInstallation")),
        ],
    },
    ObjectType {
        name: MUTATION_ROOT,
        interfaces: &[],
        fields: &[
            ("fulfillmentCreate", Object("FulfillmentCreatePayload")),
            ("orderCancel", Object("OrderCancelPayload")),
        ],
    },
    ObjectType {
        name: "Shop",
        interfaces: &["HasMetafields", "HasPublishedTranslations", "Node"],
        fields: &[
            ("id", Leaf),
            ("name", Leaf),
            ("email", Leaf),
            ("contactEmail", Leaf),
            ("myshopifyDomain", Leaf),
            ("url", Leaf),
            ("currencyCode", Leaf),
            ("ianaTimezone", Leaf),
            ("timezoneAbbreviation", Leaf),
            ("weightUnit", Leaf),
        ],
    },
    ObjectType {
        name: "OrderConnection",
        interfaces: &[],
        fields: &[
            ("edges", Wrapper("OrderEdge")),
            ("nodes", List("Order")),
            ("pageInfo", Wrapper("PageInfo")),
        ],
    },
    ObjectType {
        name: "OrderEdge",
        interfaces: &[],
        fields: &[("cursor", Leaf), ("node", Object("Order"))],
    },
    ObjectType {
        name: "PageInfo",
        interfaces: &[],
        fields: &[
            ("hasNextPage", Leaf),
            ("hasPreviousPage", Leaf),
            ("startCursor", Leaf),
            ("endCursor", Leaf),
        ],
    },
    ObjectType {
        name: "Order",
        interfaces: &[
            "CommentEventSubject",
            "HasEvents",
            "HasLocalizationExtensions",
            "HasLocalizedFields",
            "HasMetafieldDefinitions",
            "HasMetafields",
            "LegacyInteroperability",
            "Node",
        ],
        fields: &[
            ("id", Leaf),
            ("legacyResourceId", Leaf),
            ("name", Leaf),
            ("createdAt", Leaf),
            ("updatedAt", Leaf),
            ("processedAt", Leaf),
            ("cancelledAt", Leaf),
            ("cancelReason", Leaf),
            ("closed", Leaf),
            ("closedAt", Leaf),
            ("confirmed", Leaf),
            ("test", Leaf),
            ("email", Leaf),
            ("phone", Leaf),
            ("note", Leaf),
            ("tags", Leaf),
            ("sourceName", Leaf),
            ("currencyCode", Leaf),
            ("presentmentCurrencyCode", Leaf),
            ("displayFinancialStatus", Leaf),
            ("displayFulfillmentStatus", Leaf),
            ("risk", Object("OrderRiskSummary")),
            ("requiresShipping", Leaf),
            ("subtotalLineItemsQuantity", Leaf),
            ("totalWeight", Leaf),
            ("customer", Object("Customer")),
            ("shippingAddress", Object("MailingAddress")),
            ("billingAddress", Object("MailingAddress")),
            ("lineItems", Connection("LineItemConnection")),
            ("subtotalPriceSet", Object("MoneyBag")),
            ("totalShippingPriceSet", Object("MoneyBag")),
            ("totalTaxSet", Object("MoneyBag")),
            ("totalDiscountsSet", Object("MoneyBag")),
            ("totalPriceSet", Object("MoneyBag")),
            ("currentSubtotalPriceSet", Object("MoneyBag")),
            ("currentShippingPriceSet", Object("MoneyBag")),
            ("currentTotalTaxSet", Object("MoneyBag")),
            ("currentTotalPriceSet", Object("MoneyBag")),
            (
                "fulfillmentOrders",
                Connection("FulfillmentOrderConnection"),
            ),
            ("fulfillments", List("Fulfillment")),
        ],
    },
    ObjectType {
        name: "Customer",
        interfaces: &[
            "CommentEventSubject",
            "HasEvents",
            "HasMetafieldDefinitions",
            "HasMetafields",
            "HasStoreCreditAccounts",
            "LegacyInteroperability",
            "Node",
        ],
        fields: &[
            ("id", Leaf),
            ("legacyResourceId", Leaf),
            ("firstName", Leaf),
            ("lastName", Leaf),
            ("displayName", Leaf),
            ("email", Leaf),
            ("phone", Leaf),
        ],
    },
    ObjectType {
        name: "MailingAddress",
        interfaces: NODE,
        fields: &[
            ("id", Leaf),
            ("firstName", Leaf),
            ("lastName", Leaf),
            ("name", Leaf),
            ("company", Leaf),
            ("address1", Leaf),
            ("address2", Leaf),
            ("city", Leaf),
            ("province", Leaf),
            ("provinceCode", Leaf),
            ("zip", Leaf),
            ("country", Leaf),
            ("countryCode", Leaf),
            ("countryCodeV2", Leaf),
            ("phone", Leaf),
        ],
    },
    ObjectType {
        name: "LineItemConnection",
        interfaces: &[],
        fields: &[
            ("edges", Wrapper("LineItemEdge")),
            ("nodes", List("LineItem")),
            ("pageInfo", Wrapper("PageInfo")),
        ],
    },
    ObjectType {
        name: "LineItemEdge",
        interfaces: &[],
        fields: &[("cursor", Leaf), ("node", Object("LineItem"))],
    },
    ObjectType {
        name: "LineItem",
        interfaces: NODE,
        fields: &[
            ("id", Leaf),
            ("sku", Leaf),
            ("name", Leaf),
            ("title", Leaf),
            ("variantTitle", Leaf),
            ("vendor", Leaf),
            ("quantity", Leaf),
            ("currentQuantity", Leaf),
            ("unfulfilledQuantity", Leaf),
            ("requiresShipping", Leaf),
            ("originalUnitPriceSet", Object("MoneyBag")),
            ("discountedUnitPriceSet", Object("MoneyBag")),
            ("originalTotalSet", Object("MoneyBag")),
            ("variant", Object("ProductVariant")),
            ("product", Object("Product")),
        ],
    },
    ObjectType {
        name: "ProductVariant",
        interfaces: &[
            "HasEvents",
            "HasMetafieldDefinitions",
            "HasMetafields",
            "HasPublishedTranslations",
            "LegacyInteroperability",
            "Navigable",
            "Node",
        ],
        fields: &[
            ("id", Leaf),
            ("sku", Leaf),
            ("title", Leaf),
            ("inventoryItem", Object("InventoryItem")),
        ],
    },
    ObjectType {
        name: "Product",
        interfaces: &[
            "HasEvents",
            "HasMetafieldDefinitions",
            "HasMetafields",
            "HasPublishedTranslations",
            "LegacyInteroperability",
            "Navigable",
            "Node",
            "OnlineStorePreviewable",
            "Publishable",
        ],
        fields: &[("id", Leaf), ("title", Leaf), ("vendor", Leaf)],
    },
    ObjectType {
        name: "InventoryItem",
        interfaces: LEGACY_NODE,
        fields: &[
            ("id", Leaf),
            ("sku", Leaf),
            ("measurement", Object("InventoryItemMeasurement")),
        ],
    },
    ObjectType {
        name: "InventoryItemMeasurement",
        interfaces: NODE,
        fields: &[("id", Leaf), ("weight", Object("Weight"))],
    },
    ObjectType {
        name: "Weight",
        interfaces: &[],
        fields: &[("unit", Leaf), ("value", Leaf)],
    },
    ObjectType {
        name: "MoneyBag",
        interfaces: &[],
        fields: &[
            ("shopMoney", Object("MoneyV2")),
            ("presentmentMoney", Object("MoneyV2")),
        ],
    },
    ObjectType {
        name: "OrderRiskSummary",
        interfaces: &[],
        fields: &[
            ("assessments", List("OrderRiskAssessment")),
            ("recommendation", Leaf),
        ],
    },
    ObjectType {
        name: "OrderRiskAssessment",
        interfaces: &[],
        fields: &[("riskLevel", Leaf)],
    },
    ObjectType {
        name: "MoneyV2",
        interfaces: &[],
        fields: &[("amount", Leaf), ("currencyCode", Leaf)],
    },
    ObjectType {
        name: "AppInstallation",
        interfaces: &["HasMetafields", "Node"],
        fields: &[("id", Leaf), ("accessScopes", List("AccessScope"))],
    },
    ObjectType {
        name: "AccessScope",
        interfaces: &[],
        fields: &[("handle", Leaf), ("description", Leaf)],
    },
    ObjectType {
        name: "FulfillmentOrderConnection",
        interfaces: &[],
        fields: &[
            ("edges", Wrapper("FulfillmentOrderEdge")),
            ("nodes", List("FulfillmentOrder")),
            ("pageInfo", Wrapper("PageInfo")),
        ],
    },
    ObjectType {
        name: "FulfillmentOrderEdge",
        interfaces: &[],
        fields: &[("cursor", Leaf), ("node", Object("FulfillmentOrder"))],
    },
    ObjectType {
        name: "FulfillmentOrder",
        interfaces: NODE,
        fields: &[
            ("id", Leaf),
            ("orderId", Leaf),
            ("orderName", Leaf),
            ("status", Leaf),
            ("requestStatus", Leaf),
            ("createdAt", Leaf),
            ("updatedAt", Leaf),
            ("supportedActions", List("FulfillmentOrderSupportedAction")),
            (
                "lineItems",
                Connection("FulfillmentOrderLineItemConnection"),
            ),
        ],
    },
    ObjectType {
        name: "FulfillmentOrderSupportedAction",
        interfaces: &[],
        fields: &[("action", Leaf), ("externalUrl", Leaf)],
    },
    ObjectType {
        name: "FulfillmentOrderLineItemConnection",
        interfaces: &[],
        fields: &[
            ("edges", Wrapper("FulfillmentOrderLineItemEdge")),
            ("nodes", List("FulfillmentOrderLineItem")),
            ("pageInfo", Wrapper("PageInfo")),
        ],
    },
    ObjectType {
        name: "FulfillmentOrderLineItemEdge",
        interfaces: &[],
        fields: &[
            ("cursor", Leaf),
            ("node", Object("FulfillmentOrderLineItem")),
        ],
    },
    ObjectType {
        name: "FulfillmentOrderLineItem",
        interfaces: NODE,
        fields: &[
            ("id", Leaf),
            ("sku", Leaf),
            ("productTitle", Leaf),
            ("totalQuantity", Leaf),
            ("remainingQuantity", Leaf),
            ("requiresShipping", Leaf),
            ("lineItem", Object("LineItem")),
        ],
    },
    ObjectType {
        name: "Fulfillment",
        interfaces: LEGACY_NODE,
        fields: &[
            ("id", Leaf),
            ("legacyResourceId", Leaf),
            ("name", Leaf),
            ("status", Leaf),
            ("displayStatus", Leaf),
            ("createdAt", Leaf),
            ("updatedAt", Leaf),
            ("requiresShipping", Leaf),
            ("totalQuantity", Leaf),
            ("trackingInfo", List("FulfillmentTrackingInfo")),
            (
                "fulfillmentLineItems",
                Connection("FulfillmentLineItemConnection"),
            ),
        ],
    },
    ObjectType {
        name: "FulfillmentTrackingInfo",
        interfaces: &[],
        fields: &[("company", Leaf), ("number", Leaf), ("url", Leaf)],
    },
    ObjectType {
        name: "FulfillmentLineItemConnection",
        interfaces: &[],
        fields: &[
            ("edges", Wrapper("FulfillmentLineItemEdge")),
            ("nodes", List("FulfillmentLineItem")),
            ("pageInfo", Wrapper("PageInfo")),
        ],
    },
    ObjectType {
        name: "FulfillmentLineItemEdge",
        interfaces: &[],
        fields: &[("cursor", Leaf), ("node", Object("FulfillmentLineItem"))],
    },
    ObjectType {
        name: "FulfillmentLineItem",
        interfaces: NODE,
        fields: &[
            ("id", Leaf),
            ("quantity", Leaf),
            ("lineItem", Object("LineItem")),
        ],
    },
    ObjectType {
        name: "FulfillmentCreatePayload",
        interfaces: &[],
        fields: &[
            ("fulfillment", Object("Fulfillment")),
            ("userErrors", List("UserError")),
        ],
    },
    ObjectType {
        name: "OrderCancelPayload",
        interfaces: &[],
        fields: &[
            ("job", Object("Job")),
            ("orderCancelUserErrors", List("OrderCancelUserError")),
            ("userErrors", List("UserError")),
        ],
    },
    ObjectType {
        name: "Job",
        interfaces: &[],
        fields: &[("id", Leaf), ("done", Leaf)],
    },
    ObjectType {
        name: "OrderCancelUserError",
        interfaces: &["DisplayableError"],
        fields: &[("field", Leaf), ("message", Leaf), ("code", Leaf)],
    },
    ObjectType {
        name: "UserError",
        interfaces: &["DisplayableError"],
        fields: &[("field", Leaf), ("message", Leaf)],
    },
];

pub(crate) fn object_type(name: &str) -> Option<&'static ObjectType> {
    TYPES.iter().find(|ty| ty.name == name)
}

/// The kind of `type_name.field`, or `None` if the sandbox does not model that field.
pub(crate) fn field_kind(type_name: &str, field: &str) -> Option<Kind> {
    object_type(type_name)?
        .fields
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, kind)| *kind)
}

/// Whether a fragment on `condition` applies to an object of type `type_name`. `None` when the
/// sandbox knows no type or interface named `condition`.
pub(crate) fn fragment_applies(condition: &str, type_name: &str) -> Option<bool> {
    let known = TYPES
        .iter()
        .any(|ty| ty.name == condition || ty.interfaces.contains(&condition));
    if !known {
        return None;
    }
    let applies = condition == type_name
        || object_type(type_name).is_some_and(|ty| ty.interfaces.contains(&condition));
    Some(applies)
}
