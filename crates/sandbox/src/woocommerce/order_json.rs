//! An order as WooCommerce's REST API v3 prints it (`GET /wp-json/wc/v3/orders/<id>`): numeric
//! ids, money as strings except the line `price` number, site-local `date_*` next to
//! `date_*_gmt`, billing with the email, shipping with the ship-to. No weights: Woo's order
//! payload has none.

use serde_json::{json, Value};

use super::site_offset;
use crate::dates::{naive_seconds, utc_offset};
use crate::ids::{self, stable_id};
use crate::model::{line_total_minor, SandboxAddress, SandboxOrder, SandboxPayment, StoreKind};
use crate::money::{allocate, fixed, json_number};

const BROKEN_AMOUNT: &str = "not-a-number";
const TAX_RATE_ID: u64 = 1;

pub(crate) fn status(order: &SandboxOrder) -> &'static str {
    if order.is_cancelled() {
        "cancelled"
    } else if order.completed_at.is_some() {
        "completed"
    } else if order.payment != SandboxPayment::Paid {
        // Awaiting a bank transfer, or held by a fraud plugin: on-hold either way.
        "on-hold"
    } else {
        "processing"
    }
}

pub(crate) fn order_object(order: &SandboxOrder, origin: &str) -> Value {
    let currency = order.currency.as_str();
    let money = |minor: i64| {
        if order.malformed {
            BROKEN_AMOUNT.to_owned()
        } else {
            fixed(minor, currency, 0)
        }
    };
    let local = |at| naive_seconds(at, site_offset());
    let gmt = |at| naive_seconds(at, utc_offset());
    // Woo sets `date_paid` when the payment completes; an unpaid order has none.
    let paid_at = (order.payment != SandboxPayment::Unpaid).then_some(order.created_at);
    let line_totals: Vec<i64> = order.lines.iter().map(line_total_minor).collect();
    let line_taxes = allocate(order.tax_minor, &line_totals);
    let line_items: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let total = line_totals[index];
            let tax = line_taxes[index];
            let sku_key = line.sku.clone().unwrap_or_else(|| line.title.clone());
            let mut item = json!({
                "id": ids::line_id(StoreKind::Woocommerce, order.number, index),
                "name": line.title,
                "product_id": stable_id(100, &sku_key) % 100_000,
                "variation_id": 0,
                "quantity": line.quantity,
                "tax_class": "",
                "subtotal": money(total),
                "subtotal_tax": money(tax),
                "total": money(total),
                "total_tax": money(tax),
                "taxes": [{ "id": TAX_RATE_ID, "total": money(tax), "subtotal": money(tax) }],
                "meta_data": [],
                "sku": line.sku.clone().unwrap_or_default(),
                "price": if order.malformed {
                    Value::from(BROKEN_AMOUNT)
                } else {
                    json_number(line.unit_price_minor, currency)
                },
            });
            if order.malformed {
                if let Some(fields) = item.as_object_mut() {
                    fields.remove("quantity");
                }
            }
            item
        })
        .collect();
    let shipping_line = if order.shipping_minor == 0 {
        ("Free shipping", "free_shipping")
    } else {
        ("Flat rate", "flat_rate")
    };
    let order_url = format!("{origin}/wp-json/wc/v3/orders/{}", order.id);
    let ship_to = &order.ship_to;
    json!({
        "id": order.id,
        "parent_id": 0,
        "number": order.number.to_string(),
        "order_key": format!("wc_order_{:013x}", stable_id(0, &format!("key-{}", order.id))),
        "created_via": "checkout",
        "version": "9.4.2",
        "status": status(order),
        "currency": currency,
        "date_created": local(order.created_at),
        "date_created_gmt": gmt(order.created_at),
        "date_modified": local(order.updated_at),
        "date_modified_gmt": gmt(order.updated_at),
        "discount_total": money(0),
        "discount_tax": money(0),
        "shipping_total": money(order.shipping_minor),
        "shipping_tax": money(0),
        "cart_tax": money(order.tax_minor),
        "total": money(order.total_minor()),
        "total_tax": money(order.tax_minor),
        "prices_include_tax": false,
        "customer_id": 0,
        "customer_ip_address": "",
        "customer_user_agent": "",
        "customer_note": "",
        "billing": billing(order),
        "shipping": address(&order.ship_to),
        "payment_method": "stripe",
        "payment_method_title": "Credit Card",
        "transaction_id": format!("ch_sandbox_{}", order.id),
        "date_paid": paid_at.map(local),
        "date_paid_gmt": paid_at.map(gmt),
        "date_completed": order.completed_at.map(local),
        "date_completed_gmt": order.completed_at.map(gmt),
        "cart_hash": "",
        "meta_data": [],
        "line_items": line_items,
        "tax_lines": [{
            "id": ids::line_id(StoreKind::Woocommerce, order.number, 900),
            "rate_code": format!("{}-{}-STATE TAX-1", ship_to.country_code, ship_to.province_code),
            "rate_id": TAX_RATE_ID,
            "label": "State Tax",
            "compound": false,
            "tax_total": money(order.tax_minor),
            "shipping_tax_total": money(0),
            "meta_data": [],
        }],
        "shipping_lines": [{
            "id": ids::line_id(StoreKind::Woocommerce, order.number, 901),
            "method_title": shipping_line.0,
            "method_id": shipping_line.1,
            "total": money(order.shipping_minor),
            "total_tax": money(0),
            "taxes": [],
            "meta_data": [],
        }],
        "fee_lines": [],
        "coupon_lines": [],
        "refunds": [],
        "_links": {
            "self": [{ "href": order_url }],
            "collection": [{ "href": format!("{origin}/wp-json/wc/v3/orders") }],
        },
    })
}

fn address(address: &SandboxAddress) -> Value {
    json!({
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": "",
        "address_1": address.address1,
        "address_2": address.address2.clone().unwrap_or_default(),
        "city": address.city,
        "state": address.province_code,
        "postcode": address.zip,
        "country": address.country_code,
        "phone": address.phone.clone().unwrap_or_default(),
    })
}

/// The sandbox bills to the ship-to address, under the customer's own name and email.
fn billing(order: &SandboxOrder) -> Value {
    let mut billing = address(&order.ship_to);
    if let Some(fields) = billing.as_object_mut() {
        fields.insert("first_name".to_owned(), json!(order.customer_first_name));
        fields.insert("last_name".to_owned(), json!(order.customer_last_name));
        fields.insert("email".to_owned(), json!(order.email));
    }
    billing
}
