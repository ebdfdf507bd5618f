//! The shapes the Shopify documents select (see `documents.rs`), as serde types.

use serde::Deserialize;

use crate::decimal::DecimalText;

/// `data.orders` of [`super::documents::ORDERS`]. Nodes stay raw so each order is read (and
/// quarantined) on its own.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrdersPage {
    pub page_info: PageInfo,
    pub nodes: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderNode {
    /// The GID, `gid://shopify/Order/…`.
    pub id: String,
    /// "#1001".
    pub name: String,
    pub email: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub cancelled_at: Option<String>,
    /// `OrderDisplayFinancialStatus` (nullable in the schema).
    pub display_financial_status: Option<String>,
    /// `OrderRiskSummary!`: the non-deprecated risk of 2024-04 and later.
    pub risk: RiskSummary,
    pub currency_code: String,
    pub shipping_address: Option<MailingAddress>,
    pub current_shipping_price_set: MoneyBag,
    pub current_total_tax_set: Option<MoneyBag>,
    pub current_total_price_set: MoneyBag,
    pub line_items: LineConnection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RiskSummary {
    /// `OrderRiskRecommendationResult`: CANCEL, INVESTIGATE, ACCEPT or NONE.
    pub recommendation: String,
    pub assessments: Vec<RiskAssessment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RiskAssessment {
    /// `RiskAssessmentResult`: HIGH, MEDIUM, LOW, NONE or PENDING.
    pub risk_level: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MailingAddress {
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub province_code: Option<String>,
    pub zip: Option<String>,
    pub country_code_v2: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MoneyBag {
    pub shop_money: MoneyV2,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MoneyV2 {
    /// The `Decimal` scalar: a string such as "19.99".
    pub amount: DecimalText,
    pub currency_code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineConnection {
    pub page_info: PageInfo,
    pub nodes: Vec<LineNode>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineNode {
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    /// After edits and removals; absent only from stores that do not send it.
    pub current_quantity: Option<i64>,
    pub original_unit_price_set: MoneyBag,
    /// Null when the product was deleted since the order.
    pub variant: Option<Variant>,
    /// False for a digital product or a gift card.
    pub requires_shipping: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Variant {
    pub inventory_item: InventoryItem,
}

#[derive(Debug, Deserialize)]
pub(crate) struct InventoryItem {
    pub measurement: Measurement,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Measurement {
    pub weight: Option<Weight>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Weight {
    /// `WeightUnit`: GRAMS, KILOGRAMS, POUNDS or OUNCES.
    pub unit: String,
    /// A GraphQL `Float`, read from its JSON text.
    pub value: DecimalText,
}

/// `data.order` of [`super::documents::ORDER_LINES`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderLinesNode {
    pub line_items: LineConnection,
}

/// `data.order` of [`super::documents::ORDER_FULFILLMENTS`].
#[derive(Debug, Deserialize)]
pub(crate) struct OrderFulfillmentsNode {
    pub fulfillments: Vec<FulfillmentNode>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentNode {
    /// The GID, `gid://shopify/Fulfillment/…`.
    pub id: String,
    /// `FulfillmentStatus`: SUCCESS, CANCELLED, ERROR, FAILURE (or the legacy PENDING, OPEN).
    pub status: String,
    pub tracking_info: Vec<TrackingInfo>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TrackingInfo {
    pub number: Option<String>,
}

/// `data.order` of [`super::documents::FULFILLMENT_ORDERS`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentOrdersNode {
    pub cancelled_at: Option<String>,
    /// `OrderDisplayFulfillmentStatus`, for messages.
    pub display_fulfillment_status: String,
    pub fulfillment_orders: FulfillmentOrderConnection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentOrderConnection {
    pub page_info: PageInfo,
    pub nodes: Vec<FulfillmentOrderNode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentOrderNode {
    /// The GID, `gid://shopify/FulfillmentOrder/…`.
    pub id: String,
    /// `FulfillmentOrderStatus`: OPEN, IN_PROGRESS, CLOSED, ON_HOLD, …
    pub status: String,
    pub supported_actions: Vec<SupportedAction>,
    pub line_items: FulfillmentOrderLines,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SupportedAction {
    /// `FulfillmentOrderAction`, e.g. CREATE_FULFILLMENT.
    pub action: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentOrderLines {
    pub page_info: MorePages,
    pub nodes: Vec<FulfillmentOrderLineNode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MorePages {
    pub has_next_page: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentOrderLineNode {
    /// The GID, `gid://shopify/FulfillmentOrderLineItem/…`.
    pub id: String,
    pub remaining_quantity: i64,
    pub line_item: OrderLineRef,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct OrderLineRef {
    pub sku: Option<String>,
}

/// `data.fulfillmentCreate` of [`super::documents::FULFILLMENT_CREATE`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FulfillmentCreatePayload {
    pub fulfillment: Option<CreatedFulfillment>,
    pub user_errors: Vec<UserError>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreatedFulfillment {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct UserError {
    /// The path to the input field, when the error is about one.
    pub field: Option<Vec<String>>,
    pub message: String,
}

/// `data.order` of [`super::documents::ORDER_CANCEL_STATE`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderCancelState {
    pub cancelled_at: Option<String>,
    pub display_fulfillment_status: String,
}

/// `data.orderCancel` of [`super::documents::ORDER_CANCEL`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderCancelPayload {
    pub order_cancel_user_errors: Vec<OrderCancelUserError>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OrderCancelUserError {
    pub field: Option<Vec<String>>,
    pub message: String,
    pub code: Option<String>,
}

/// `data.currentAppInstallation` of [`super::documents::APP_SCOPES`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppInstallation {
    pub access_scopes: Vec<AccessScope>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AccessScope {
    pub handle: String,
}
