//! An order as WooCommerce's REST API v3 prints it (`GET /wp-json/wc/v3/orders/<id>`): numeric
//! ids, money as strings except the line `price` number, site-local `date_*` next to
//! `date_*_gmt`, billing with the email, shipping with the ship-to. No weights: Woo's order
//! payload has none.

use serde::Serialize;
use serde_json::Value;

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

/// A WooCommerce order as the API prints it, borrowed from the sandbox's order. Serialized
/// straight to the response: a page of 100 orders is written without building a JSON tree of
/// each (which cost the sandbox more than the client spends reading it).
#[derive(Serialize)]
pub(crate) struct WooOrder<'a> {
    id: u64,
    parent_id: u64,
    number: String,
    order_key: String,
    created_via: &'static str,
    version: &'static str,
    status: &'static str,
    currency: &'a str,
    date_created: String,
    date_created_gmt: String,
    date_modified: String,
    date_modified_gmt: String,
    discount_total: String,
    discount_tax: String,
    shipping_total: String,
    shipping_tax: String,
    cart_tax: String,
    total: String,
    total_tax: String,
    prices_include_tax: bool,
    customer_id: u64,
    customer_ip_address: &'static str,
    customer_user_agent: &'static str,
    customer_note: &'static str,
    billing: Billing<'a>,
    shipping: Address<'a>,
    payment_method: &'static str,
    payment_method_title: &'static str,
    transaction_id: String,
    date_paid: Option<String>,
    date_paid_gmt: Option<String>,
    date_completed: Option<String>,
    date_completed_gmt: Option<String>,
    cart_hash: &'static str,
    meta_data: [Value; 0],
    line_items: Vec<LineItem<'a>>,
    tax_lines: [TaxLine; 1],
    shipping_lines: [ShippingLine; 1],
    fee_lines: [Value; 0],
    coupon_lines: [Value; 0],
    refunds: [Value; 0],
    _links: Links,
}

#[derive(Serialize)]
struct LineItem<'a> {
    id: u64,
    name: &'a str,
    product_id: u64,
    variation_id: u64,
    /// Left out of a malformed order's lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    tax_class: &'static str,
    subtotal: String,
    subtotal_tax: String,
    total: String,
    total_tax: String,
    taxes: [LineTax; 1],
    meta_data: [Value; 0],
    sku: &'a str,
    /// A number, or a string in a malformed order.
    price: Value,
}

#[derive(Serialize)]
struct LineTax {
    id: u64,
    total: String,
    subtotal: String,
}

#[derive(Serialize)]
struct TaxLine {
    id: u64,
    rate_code: String,
    rate_id: u64,
    label: &'static str,
    compound: bool,
    tax_total: String,
    shipping_tax_total: String,
    meta_data: [Value; 0],
}

#[derive(Serialize)]
struct ShippingLine {
    id: u64,
    method_title: &'static str,
    method_id: &'static str,
    total: String,
    total_tax: String,
    taxes: [Value; 0],
    meta_data: [Value; 0],
}

#[derive(Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: [Href; 1],
    collection: [Href; 1],
}

#[derive(Serialize)]
struct Href {
    href: String,
}

#[derive(Serialize)]
struct Address<'a> {
    first_name: &'a str,
    last_name: &'a str,
    company: &'static str,
    address_1: &'a str,
    address_2: &'a str,
    city: &'a str,
    state: &'a str,
    postcode: &'a str,
    country: &'a str,
    phone: &'a str,
}

/// The ship-to address under the customer's own name, with the email.
#[derive(Serialize)]
struct Billing<'a> {
    #[serde(flatten)]
    address: Address<'a>,
    email: &'a str,
}

impl<'a> Address<'a> {
    fn of(address: &'a SandboxAddress) -> Self {
        Address {
            first_name: &address.first_name,
            last_name: &address.last_name,
            company: "",
            address_1: &address.address1,
            address_2: address.address2.as_deref().unwrap_or_default(),
            city: &address.city,
            state: &address.province_code,
            postcode: &address.zip,
            country: &address.country_code,
            phone: address.phone.as_deref().unwrap_or_default(),
        }
    }
}

/// The order as a JSON value, for the answers that change it before sending it (the poisoned
/// amounts of `bad_amounts`).
pub(crate) fn order_object(order: &SandboxOrder, origin: &str) -> Value {
    serde_json::to_value(order_view(order, origin)).unwrap_or(Value::Null)
}

pub(crate) fn order_view<'a>(order: &'a SandboxOrder, origin: &str) -> WooOrder<'a> {
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
    let line_items = order
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let total = line_totals[index];
            let tax = line_taxes[index];
            let sku_key = line.sku.as_deref().unwrap_or(&line.title);
            LineItem {
                id: ids::line_id(StoreKind::Woocommerce, order.number, index),
                name: &line.title,
                product_id: stable_id(100, sku_key) % 100_000,
                variation_id: 0,
                quantity: (!order.malformed).then_some(line.quantity),
                tax_class: "",
                subtotal: money(total),
                subtotal_tax: money(tax),
                total: money(total),
                total_tax: money(tax),
                taxes: [LineTax {
                    id: TAX_RATE_ID,
                    total: money(tax),
                    subtotal: money(tax),
                }],
                meta_data: [],
                sku: line.sku.as_deref().unwrap_or_default(),
                price: if order.malformed {
                    Value::from(BROKEN_AMOUNT)
                } else {
                    json_number(line.unit_price_minor, currency)
                },
            }
        })
        .collect();
    let shipping_line = if order.shipping_minor == 0 {
        ("Free shipping", "free_shipping")
    } else {
        ("Flat rate", "flat_rate")
    };
    let ship_to = &order.ship_to;
    WooOrder {
        id: order.id,
        parent_id: 0,
        number: order.number.to_string(),
        order_key: format!(
            "wc_order_{:013x}",
            stable_id(0, &format!("key-{}", order.id))
        ),
        created_via: "checkout",
        version: "9.4.2",
        status: status(order),
        currency,
        date_created: local(order.created_at),
        date_created_gmt: gmt(order.created_at),
        date_modified: local(order.updated_at),
        date_modified_gmt: gmt(order.updated_at),
        discount_total: money(0),
        discount_tax: money(0),
        shipping_total: money(order.shipping_minor),
        shipping_tax: money(0),
        cart_tax: money(order.tax_minor),
        total: money(order.total_minor()),
        total_tax: money(order.tax_minor),
        prices_include_tax: false,
        customer_id: 0,
        customer_ip_address: "",
        customer_user_agent: "",
        customer_note: "",
        billing: Billing {
            address: Address {
                first_name: &order.customer_first_name,
                last_name: &order.customer_last_name,
                ..Address::of(ship_to)
            },
            email: &order.email,
        },
        shipping: Address::of(ship_to),
        payment_method: "stripe",
        payment_method_title: "Credit Card",
        transaction_id: format!("ch_sandbox_{}", order.id),
        date_paid: paid_at.map(local),
        date_paid_gmt: paid_at.map(gmt),
        date_completed: order.completed_at.map(local),
        date_completed_gmt: order.completed_at.map(gmt),
        cart_hash: "",
        meta_data: [],
        line_items,
        tax_lines: [TaxLine {
            id: ids::line_id(StoreKind::Woocommerce, order.number, 900),
            rate_code: format!(
                "{}-{}-STATE TAX-1",
                ship_to.country_code, ship_to.province_code
            ),
            rate_id: TAX_RATE_ID,
            label: "State Tax",
            compound: false,
            tax_total: money(order.tax_minor),
            shipping_tax_total: money(0),
            meta_data: [],
        }],
        shipping_lines: [ShippingLine {
            id: ids::line_id(StoreKind::Woocommerce, order.number, 901),
            method_title: shipping_line.0,
            method_id: shipping_line.1,
            total: money(order.shipping_minor),
            total_tax: money(0),
            taxes: [],
            meta_data: [],
        }],
        fee_lines: [],
        coupon_lines: [],
        refunds: [],
        _links: Links {
            this: [Href {
                href: format!("{origin}/wp-json/wc/v3/orders/{}", order.id),
            }],
            collection: [Href {
                href: format!("{origin}/wp-json/wc/v3/orders"),
            }],
        },
    }
}
