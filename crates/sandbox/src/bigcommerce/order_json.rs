//! An order in BigCommerce Orders v2 shapes: the order (RFC 2822 dates, money as 4-decimal
//! strings, `products` and `shipping_addresses` as resource links), its products (with weight
//! in the store's pounds) and its shipping address (state by name, as BigCommerce sends it).
//! Shipments move its status and `items_shipped` / `quantity_shipped`.

use serde_json::{json, Value};

use crate::dates::rfc2822;
use crate::geo::{country_name, province_name};
use crate::ids::{self, stable_id};
use crate::model::{line_total_minor, SandboxOrder, SandboxPayment, StoreKind};
use crate::money::{allocate, fixed, grams_as_pounds};

const BROKEN_AMOUNT: &str = "not-a-number";

pub(crate) const STATUS_AWAITING_FULFILLMENT: (u64, &str) = (11, "Awaiting Fulfillment");
pub(crate) const STATUS_CANCELLED: (u64, &str) = (5, "Cancelled");
pub(crate) const STATUS_SHIPPED: (u64, &str) = (2, "Shipped");
pub(crate) const STATUS_PARTIALLY_SHIPPED: (u64, &str) = (3, "Partially Shipped");
pub(crate) const STATUS_AWAITING_PAYMENT: (u64, &str) = (7, "Awaiting Payment");
pub(crate) const STATUS_MANUAL_VERIFICATION: (u64, &str) = (12, "Manual Verification Required");

/// The status BigCommerce's shipments move an order through: Awaiting Fulfillment, Partially
/// Shipped once some items are in a shipment, Shipped once all are.
pub(crate) fn status(order: &SandboxOrder) -> (u64, &'static str) {
    let shipped = items_shipped(order);
    if order.is_cancelled() {
        STATUS_CANCELLED
    } else if shipped == 0 && order.payment == SandboxPayment::Unpaid {
        STATUS_AWAITING_PAYMENT
    } else if shipped == 0 && order.payment == SandboxPayment::HighRisk {
        STATUS_MANUAL_VERIFICATION
    } else if shipped == 0 {
        STATUS_AWAITING_FULFILLMENT
    } else if shipped >= order.item_count() {
        STATUS_SHIPPED
    } else {
        STATUS_PARTIALLY_SHIPPED
    }
}

/// `payment_status` (one of the OAS's values): nothing captured while awaiting payment.
fn payment_status(order: &SandboxOrder) -> &'static str {
    match order.payment {
        SandboxPayment::Unpaid => "pending",
        SandboxPayment::HighRisk => "held for review",
        SandboxPayment::Paid => "captured",
    }
}

/// Units of the order in a shipment.
pub(crate) fn items_shipped(order: &SandboxOrder) -> u64 {
    (0..order.lines.len())
        .map(|position| u64::from(quantity_shipped(order, position)))
        .sum()
}

fn quantity_shipped(order: &SandboxOrder, position: usize) -> u32 {
    let ordered = order.lines.get(position).map_or(0, |line| line.quantity);
    ordered.saturating_sub(order.unfulfilled(position))
}

/// The catalog product id BigCommerce gives a line's product.
pub(crate) fn product_id(order: &SandboxOrder, position: usize) -> u64 {
    let sku_key = order
        .lines
        .get(position)
        .map(|line| line.sku.clone().unwrap_or_else(|| line.title.clone()))
        .unwrap_or_default();
    stable_id(0, &sku_key) % 10_000
}

fn money(order: &SandboxOrder, minor: i64) -> String {
    if order.malformed {
        BROKEN_AMOUNT.to_owned()
    } else {
        fixed(minor, &order.currency, 4)
    }
}

fn zero(order: &SandboxOrder) -> String {
    fixed(0, &order.currency, 4)
}

fn link(api_base: &str, resource: String) -> Value {
    json!({ "url": format!("{api_base}/v2{resource}"), "resource": resource })
}

pub(crate) fn order_object(order: &SandboxOrder, api_base: &str) -> Value {
    let (status_id, status) = status(order);
    let subtotal = order.subtotal_minor();
    let ship_to = &order.ship_to;
    let currency = order.currency.as_str();
    let m = |minor| money(order, minor);
    json!({
        "id": order.id,
        "customer_id": 0,
        "date_created": rfc2822(order.created_at),
        "date_modified": rfc2822(order.updated_at),
        "date_shipped": date_shipped(order),
        "status_id": status_id,
        "status": status,
        "subtotal_ex_tax": m(subtotal),
        "subtotal_inc_tax": m(subtotal + order.tax_minor),
        "subtotal_tax": m(order.tax_minor),
        "base_shipping_cost": m(order.shipping_minor),
        "shipping_cost_ex_tax": m(order.shipping_minor),
        "shipping_cost_inc_tax": m(order.shipping_minor),
        "shipping_cost_tax": zero(order),
        "shipping_cost_tax_class_id": 2,
        "base_handling_cost": zero(order),
        "handling_cost_ex_tax": zero(order),
        "handling_cost_inc_tax": zero(order),
        "handling_cost_tax": zero(order),
        "handling_cost_tax_class_id": 2,
        "base_wrapping_cost": zero(order),
        "wrapping_cost_ex_tax": zero(order),
        "wrapping_cost_inc_tax": zero(order),
        "wrapping_cost_tax": zero(order),
        "wrapping_cost_tax_class_id": 3,
        "total_ex_tax": m(subtotal + order.shipping_minor),
        "total_inc_tax": m(order.total_minor()),
        "total_tax": m(order.tax_minor),
        "is_tax_inclusive_pricing": false,
        "items_total": order.item_count(),
        "items_shipped": items_shipped(order),
        "payment_method": "Credit Card",
        "payment_provider_id": format!("sandbox-{}", order.id),
        "payment_status": payment_status(order),
        "refunded_amount": zero(order),
        "order_is_digital": false,
        "store_credit_amount": zero(order),
        "gift_certificate_amount": zero(order),
        "ip_address": "",
        "ip_address_v6": "",
        "geoip_country": country_name(&ship_to.country_code),
        "geoip_country_iso2": ship_to.country_code,
        "currency_id": 1,
        "currency_code": currency,
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": currency,
        "staff_notes": "",
        "customer_message": "",
        "discount_amount": zero(order),
        "coupon_discount": zero(order),
        "shipping_address_count": 1,
        "ebay_order_id": "0",
        "cart_id": format!("sandbox-cart-{}", order.id),
        "billing_address": billing_address(order),
        "is_email_opt_in": false,
        "credit_card_type": null,
        "order_source": "www",
        "channel_id": 1,
        "external_source": null,
        "products": link(api_base, format!("/orders/{}/products", order.id)),
        "shipping_addresses": link(api_base, format!("/orders/{}/shippingaddresses", order.id)),
        "coupons": link(api_base, format!("/orders/{}/coupons", order.id)),
        "external_id": null,
        "external_merchant_id": null,
        "tax_provider_id": "BasicTaxProvider",
        "store_default_currency_code": "",
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "custom_status": status,
        "customer_locale": "en",
        "external_order_id": "",
    })
}

/// The sandbox bills to the ship-to address, under the customer's own name.
pub(crate) fn billing_address(order: &SandboxOrder) -> Value {
    let ship_to = &order.ship_to;
    json!({
        "first_name": order.customer_first_name,
        "last_name": order.customer_last_name,
        "company": "",
        "street_1": ship_to.address1,
        "street_2": ship_to.address2.clone().unwrap_or_default(),
        "city": ship_to.city,
        "state": province_name(&ship_to.country_code, &ship_to.province_code),
        "zip": ship_to.zip,
        "country": country_name(&ship_to.country_code),
        "country_iso2": ship_to.country_code,
        "phone": ship_to.phone.clone().unwrap_or_default(),
        "email": order.email,
        "form_fields": [],
    })
}

/// The ship-to as a shipment prints it (`shippingAddress_Base`).
pub(crate) fn shipment_address(order: &SandboxOrder) -> Value {
    let ship_to = &order.ship_to;
    json!({
        "first_name": ship_to.first_name,
        "last_name": ship_to.last_name,
        "company": "",
        "street_1": ship_to.address1,
        "street_2": ship_to.address2.clone().unwrap_or_default(),
        "city": ship_to.city,
        "state": province_name(&ship_to.country_code, &ship_to.province_code),
        "zip": ship_to.zip,
        "country": country_name(&ship_to.country_code),
        "country_iso2": ship_to.country_code,
        "phone": ship_to.phone.clone().unwrap_or_default(),
        "email": order.email,
    })
}

/// Set once everything has shipped: when the last shipment was made.
fn date_shipped(order: &SandboxOrder) -> String {
    match (status(order), order.fulfillments.last()) {
        (STATUS_SHIPPED, Some(last)) => rfc2822(last.created_at),
        _ => String::new(),
    }
}

pub(crate) fn products(order: &SandboxOrder) -> Value {
    let totals: Vec<i64> = order.lines.iter().map(line_total_minor).collect();
    let taxes = allocate(order.tax_minor, &totals);
    let address_id = ids::address_id(StoreKind::Bigcommerce, order.number);
    let items: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let m = |minor| money(order, minor);
            let (total, tax) = (totals[index], taxes[index]);
            let sku_key = line.sku.clone().unwrap_or_else(|| line.title.clone());
            let mut product = json!({
                "id": ids::line_id(StoreKind::Bigcommerce, order.number, index),
                "order_id": order.id,
                "product_id": product_id(order, index),
                "variant_id": stable_id(0, &format!("variant-{sku_key}")) % 10_000,
                "order_address_id": address_id,
                "name": line.title,
                "name_customer": line.title,
                "name_merchant": line.title,
                "sku": line.sku.clone().unwrap_or_default(),
                "upc": "",
                "type": if line.requires_shipping { "physical" } else { "digital" },
                "base_price": m(line.unit_price_minor),
                "price_ex_tax": m(line.unit_price_minor),
                "price_inc_tax": m(line.unit_price_minor),
                "price_tax": zero(order),
                "base_total": m(total),
                "total_ex_tax": m(total),
                "total_inc_tax": m(total + tax),
                "total_tax": m(tax),
                "weight": grams_as_pounds(u64::from(line.grams)),
                "width": "0.0000",
                "height": "0.0000",
                "depth": "0.0000",
                "quantity": line.quantity,
                "base_cost_price": zero(order),
                "cost_price_inc_tax": zero(order),
                "cost_price_ex_tax": zero(order),
                "cost_price_tax": zero(order),
                "is_refunded": false,
                "quantity_refunded": 0,
                "refund_amount": zero(order),
                "return_id": 0,
                "wrapping_id": 0,
                "wrapping_name": "",
                "base_wrapping_cost": zero(order),
                "wrapping_cost_ex_tax": zero(order),
                "wrapping_cost_inc_tax": zero(order),
                "wrapping_cost_tax": zero(order),
                "wrapping_message": "",
                "quantity_shipped": quantity_shipped(order, index),
                "fixed_shipping_cost": zero(order),
                "ebay_item_id": "",
                "ebay_transaction_id": "",
                "option_set_id": null,
                "parent_order_product_id": null,
                "is_bundled_product": false,
                "bin_picking_number": "",
                "external_id": null,
                "brand": "US Direct",
                "applied_discounts": [],
                "product_options": [],
                "configurable_fields": [],
                "gift_certificate_id": null,
                "discounted_total_inc_tax": m(total + tax),
            });
            if order.malformed {
                if let Some(fields) = product.as_object_mut() {
                    fields.remove("quantity");
                }
            }
            product
        })
        .collect();
    Value::Array(items)
}

pub(crate) fn shipping_addresses(order: &SandboxOrder, api_base: &str) -> Value {
    let ship_to = &order.ship_to;
    let id = ids::address_id(StoreKind::Bigcommerce, order.number);
    let m = |minor| money(order, minor);
    let quotes = format!("/orders/{}/shippingaddresses/{id}/shippingquotes", order.id);
    // A digital order has no shipping address.
    if ship_to.address1.is_empty() {
        return json!([]);
    }
    json!([{
        "id": id,
        "order_id": order.id,
        "first_name": ship_to.first_name,
        "last_name": ship_to.last_name,
        "company": "",
        "street_1": ship_to.address1,
        "street_2": ship_to.address2.clone().unwrap_or_default(),
        "city": ship_to.city,
        "zip": ship_to.zip,
        "country": country_name(&ship_to.country_code),
        "country_iso2": ship_to.country_code,
        "state": province_name(&ship_to.country_code, &ship_to.province_code),
        "email": order.email,
        "phone": ship_to.phone.clone().unwrap_or_default(),
        "items_total": order.item_count(),
        "items_shipped": items_shipped(order),
        "shipping_method": "Flat Rate",
        "base_cost": m(order.shipping_minor),
        "cost_ex_tax": m(order.shipping_minor),
        "cost_inc_tax": m(order.shipping_minor),
        "cost_tax": zero(order),
        "cost_tax_class_id": 2,
        "base_handling_cost": zero(order),
        "handling_cost_ex_tax": zero(order),
        "handling_cost_inc_tax": zero(order),
        "handling_cost_tax": zero(order),
        "handling_cost_tax_class_id": 2,
        "shipping_zone_id": 1,
        "shipping_zone_name": "United States",
        "shipping_quotes": link(api_base, quotes),
        "form_fields": [],
    }])
}
