//! An order as a full Shopify `Order` object (the served Admin API version's field names),
//! which the GraphQL layer projects through each query's selection set. Every field the schema
//! module lists for these types is present here.

use serde_json::{json, Value};

use super::fulfillment_json::{display_fulfillment_status, fulfillment_order, fulfillments};
use crate::dates::iso_seconds_z;
use crate::geo::{country_name, province_name};
use crate::ids::{self, stable_id};
use crate::model::{
    line_total_minor, SandboxAddress, SandboxLine, SandboxOrder, SandboxPayment, StoreKind,
};
use crate::money::shopify_decimal;

/// What a malformed order carries where money should be: no decimal parser accepts it.
const BROKEN_AMOUNT: &str = "not-a-number";

pub(crate) fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

pub(crate) fn order_node(order: &SandboxOrder) -> Value {
    let currency = order.currency.as_str();
    let money = |minor: i64| money_bag(minor, currency, order.malformed);
    let cancelled = order.cancelled_at.map(iso_seconds_z);
    let address_id = ids::address_id(StoreKind::Shopify, order.number);
    let lines = line_items(order);
    json!({
        "id": gid("Order", order.id),
        "legacyResourceId": order.id.to_string(),
        "name": format!("#{}", order.number),
        "createdAt": iso_seconds_z(order.created_at),
        "updatedAt": iso_seconds_z(order.updated_at),
        "processedAt": iso_seconds_z(order.created_at),
        "cancelledAt": cancelled,
        "cancelReason": order.cancelled_at.map(|_| "CUSTOMER"),
        // Shopify archives an order when it is cancelled.
        "closed": order.is_cancelled(),
        "closedAt": cancelled,
        "confirmed": true,
        "test": false,
        "email": order.email,
        "phone": order.ship_to.phone,
        "note": null,
        "tags": [],
        "sourceName": "web",
        "currencyCode": currency,
        "presentmentCurrencyCode": currency,
        "displayFinancialStatus": financial_status(order),
        "risk": risk(order),
        "displayFulfillmentStatus": display_fulfillment_status(order),
        "requiresShipping": order.lines.iter().any(|line| line.requires_shipping),
        "subtotalLineItemsQuantity": order.item_count(),
        "totalWeight": order.total_grams().to_string(),
        "customer": customer(order),
        // A digital or pickup order has no shipping address: null, as Shopify gives it.
        "shippingAddress": if order.ship_to.address1.is_empty() {
            Value::Null
        } else {
            mailing_address(&order.ship_to, address_id)
        },
        // The sandbox bills to the ship-to address.
        "billingAddress": mailing_address(&order.ship_to, address_id),
        "subtotalPriceSet": money(order.subtotal_minor()),
        "totalShippingPriceSet": money(order.shipping_minor),
        "totalTaxSet": money(order.tax_minor),
        "totalDiscountsSet": money(0),
        "totalPriceSet": money(order.total_minor()),
        "currentSubtotalPriceSet": money(order.subtotal_minor()),
        "currentShippingPriceSet": money(order.shipping_minor),
        "currentTotalTaxSet": money(order.tax_minor),
        "currentTotalPriceSet": money(order.total_minor()),
        "fulfillmentOrders": [fulfillment_order(order, &lines)],
        "fulfillments": fulfillments(order, &lines),
        "lineItems": lines,
    })
}

/// `OrderDisplayFinancialStatus`: an unpaid order is `PENDING` (a manual payment the store
/// waits for); a cancelled paid one was refunded.
fn financial_status(order: &SandboxOrder) -> &'static str {
    match (order.payment, order.is_cancelled()) {
        (SandboxPayment::Unpaid, true) => "VOIDED",
        (SandboxPayment::Unpaid, false) => "PENDING",
        (_, true) => "REFUNDED",
        (_, false) => "PAID",
    }
}

/// `OrderRiskSummary`: Shopify's own assessment (no provider) and its recommendation.
fn risk(order: &SandboxOrder) -> Value {
    let (recommendation, level) = match order.payment {
        SandboxPayment::HighRisk => ("CANCEL", "HIGH"),
        _ => ("ACCEPT", "LOW"),
    };
    json!({
        "recommendation": recommendation,
        "assessments": [{ "riskLevel": level, "provider": null, "facts": [] }],
    })
}

fn customer(order: &SandboxOrder) -> Value {
    let id = stable_id(7_700_000_000_000, &order.email);
    json!({
        "id": gid("Customer", id),
        "legacyResourceId": id.to_string(),
        "firstName": order.customer_first_name,
        "lastName": order.customer_last_name,
        "displayName": format!("{} {}", order.customer_first_name, order.customer_last_name),
        "email": order.email,
        "phone": null,
    })
}

fn mailing_address(address: &SandboxAddress, id: u64) -> Value {
    json!({
        "id": format!("{}?model_name=Address", gid("MailingAddress", id)),
        "firstName": address.first_name,
        "lastName": address.last_name,
        "name": format!("{} {}", address.first_name, address.last_name),
        "company": null,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province": province_name(&address.country_code, &address.province_code),
        "provinceCode": address.province_code,
        "zip": address.zip,
        "country": country_name(&address.country_code),
        "countryCode": address.country_code,
        "countryCodeV2": address.country_code,
        "phone": address.phone,
    })
}

/// The order's `LineItem` objects, by position.
pub(crate) fn line_items(order: &SandboxOrder) -> Vec<Value> {
    order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| line_item(order, index, line))
        .collect()
}

fn line_item(order: &SandboxOrder, index: usize, line: &SandboxLine) -> Value {
    let currency = order.currency.as_str();
    let money = |minor: i64| money_bag(minor, currency, order.malformed);
    let sku_key = line.sku.clone().unwrap_or_else(|| line.title.clone());
    let variant_id = stable_id(44_000_000_000_000, &sku_key);
    let product_id = stable_id(8_800_000_000_000, &sku_key);
    let inventory_item_id = stable_id(46_000_000_000_000, &sku_key);
    // A malformed order's lines lose their (non-null) quantity too.
    let (quantity, unfulfilled) = if order.malformed {
        (Value::Null, Value::Null)
    } else {
        (json!(line.quantity), json!(order.unfulfilled(index)))
    };
    json!({
        "id": gid("LineItem", ids::line_id(StoreKind::Shopify, order.number, index)),
        "sku": line.sku,
        "name": line.title,
        "title": line.title,
        "variantTitle": null,
        "vendor": "US Direct",
        "quantity": quantity,
        "currentQuantity": quantity,
        "unfulfilledQuantity": unfulfilled,
        "requiresShipping": line.requires_shipping,
        "originalUnitPriceSet": money(line.unit_price_minor),
        "discountedUnitPriceSet": money(line.unit_price_minor),
        "originalTotalSet": money(line_total_minor(line)),
        "variant": {
            "id": gid("ProductVariant", variant_id),
            "sku": line.sku,
            "title": "Default Title",
            "inventoryItem": {
                "id": gid("InventoryItem", inventory_item_id),
                "sku": line.sku,
                "measurement": {
                    "id": gid("InventoryItemMeasurement", inventory_item_id),
                    "weight": { "unit": "GRAMS", "value": line.grams },
                },
            },
        },
        "product": {
            "id": gid("Product", product_id),
            "title": line.title,
            "vendor": "US Direct",
        },
    })
}

fn money_bag(minor: i64, currency: &str, broken: bool) -> Value {
    let amount = if broken {
        BROKEN_AMOUNT.to_owned()
    } else {
        shopify_decimal(minor, currency)
    };
    let money = json!({ "amount": amount, "currencyCode": currency });
    json!({ "shopMoney": money, "presentmentMoney": money })
}
