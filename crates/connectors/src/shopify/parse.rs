//! A Shopify order node to the engine's [`NewOrder`].

use dealer_core::channel::ChannelOrder;
use dealer_core::domain::{Address, Currency, Money, NewOrder, NewOrderLine, StorePayment};

use super::wire::{LineNode, MailingAddress, MoneyBag, OrderNode};
use crate::decimal::{grams, money, WeightUnit};
use crate::quarantine::Reason;
use crate::{fields, text};

/// Maps `order` whose line items are `lines` (all of them, fetched page by page if needed).
pub(crate) fn map(order: &OrderNode, lines: &[LineNode]) -> Result<ChannelOrder, Reason> {
    let currency = Currency::parse(&order.currency_code).map_err(|e| e.to_string())?;
    // A local pickup or digital order has no shipping address: imported without one.
    let ship_to = match order.shipping_address.as_ref() {
        Some(address) => fields::ship_to(ship_to(address))?,
        None => Address::none(),
    };
    let cancelled = order.cancelled_at.is_some();
    let mut mapped = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if let Some(line) = line_of(line, i + 1, &currency, cancelled)? {
            mapped.push(line);
        }
    }
    if mapped.is_empty() {
        return Err("the order has no line items left to ship".into());
    }
    let tax = match &order.current_total_tax_set {
        Some(bag) => amount(bag, &currency, "currentTotalTaxSet")?,
        None => Money::new(0, currency.clone()),
    };
    let order = NewOrder {
        channel_order_id: fields::order_id(&order.id)?,
        number: order.name.trim().to_string(),
        customer_name: if ship_to.name.is_empty() {
            customer_name(order)
        } else {
            ship_to.name.clone()
        },
        customer_email: fields::email(order.email.as_deref())?,
        ship_to,
        lines: mapped,
        shipping: amount(
            &order.current_shipping_price_set,
            &currency,
            "currentShippingPriceSet",
        )?,
        tax,
        total: amount(
            &order.current_total_price_set,
            &currency,
            "currentTotalPriceSet",
        )?,
        placed_at: fields::rfc3339(&order.created_at, "createdAt")?,
        channel_updated_at: fields::rfc3339(&order.updated_at, "updatedAt")?,
        store_payment: store_payment(order),
    };
    Ok(ChannelOrder { order, cancelled })
}

/// Who ordered, for an order with no shipping address to name them: the email, or the
/// order's number.
fn customer_name(order: &OrderNode) -> String {
    text::present(order.email.as_deref())
        .unwrap_or_else(|| format!("Customer of {}", order.name.trim()))
}

/// The store's payment, from `displayFinancialStatus` and `risk` (as the schema of
/// [`super::API_VERSION`] has them).
///
/// Paid: `PAID`, and `PARTIALLY_REFUNDED` / `REFUNDED` (the store was paid; a refund without a
/// cancellation is the merchant's call). Not paid: `PENDING`, `PARTIALLY_PAID`, `EXPIRED`,
/// `VOIDED`, and `AUTHORIZED`: "payments should be captured before the authorization period
/// expires" (the schema), so the money is not the store's until it is captured. A status the
/// schema gains later, or none at all, is not paid either: holding costs the dealer a click,
/// sending an unpaid order costs US Direct's invoice.
///
/// High risk, which wins over any payment: Shopify recommends `CANCEL`, or an assessment says
/// `HIGH`. `INVESTIGATE` and `MEDIUM` are Shopify's everyday caution and do not hold.
fn store_payment(order: &OrderNode) -> StorePayment {
    let risk = &order.risk;
    if risk.recommendation == "CANCEL" {
        return StorePayment::HighRisk {
            detail: "risk recommendation CANCEL".into(),
        };
    }
    if risk.assessments.iter().any(|a| a.risk_level == "HIGH") {
        return StorePayment::HighRisk {
            detail: "risk level HIGH".into(),
        };
    }
    match order.display_financial_status.as_deref() {
        Some("PAID" | "PARTIALLY_REFUNDED" | "REFUNDED") => StorePayment::Paid,
        Some(status) => StorePayment::Unpaid {
            status: status.to_string(),
        },
        None => StorePayment::Unpaid {
            status: "no financial status".into(),
        },
    }
}

fn ship_to(address: &MailingAddress) -> Address {
    let field = |value: &Option<String>| text::present(value.as_deref()).unwrap_or_default();
    Address {
        name: text::present(address.name.as_deref())
            .or_else(|| {
                text::full_name(address.first_name.as_deref(), address.last_name.as_deref())
            })
            .unwrap_or_default(),
        line1: field(&address.address1),
        line2: text::present(address.address2.as_deref()),
        city: field(&address.city),
        state_code: field(&address.province_code),
        postal_code: field(&address.zip),
        country_code: field(&address.country_code_v2),
        phone: text::present(address.phone.as_deref()),
    }
}

/// The shop-currency amount of a money bag, which must be in the order's currency.
fn amount(bag: &MoneyBag, currency: &Currency, field: &str) -> Result<Money, Reason> {
    if bag.shop_money.currency_code != currency.as_str() {
        return Err(format!(
            "{field} is in {}, the order in {}",
            bag.shop_money.currency_code,
            currency.as_str()
        ));
    }
    money(&bag.shop_money.amount.0, currency).map_err(|e| format!("{field}: {e}"))
}

/// A line to ship, or `None` when an edit removed it. A cancelled order keeps its original
/// quantities (cancelling with restock zeroes the current ones), so the engine sees what was
/// cancelled.
fn line_of(
    line: &LineNode,
    index: usize,
    currency: &Currency,
    cancelled: bool,
) -> Result<Option<NewOrderLine>, Reason> {
    let title = line.title.trim().to_string();
    let quantity = match (cancelled, line.current_quantity) {
        (false, Some(0)) => return Ok(None),
        (false, Some(current)) => current,
        _ => line.quantity,
    };
    let weight = line
        .variant
        .as_ref()
        .and_then(|v| v.inventory_item.measurement.weight.as_ref());
    let unit_weight_grams = match weight {
        // A deleted product leaves no weight behind.
        None => 0,
        Some(weight) => {
            let unit = match weight.unit.as_str() {
                "GRAMS" => WeightUnit::Grams,
                "KILOGRAMS" => WeightUnit::Kilograms,
                "POUNDS" => WeightUnit::Pounds,
                "OUNCES" => WeightUnit::Ounces,
                other => {
                    return Err(format!(
                        "line {index} ({title}): unknown weight unit {other}"
                    ))
                }
            };
            grams(&weight.value.0, unit).map_err(|e| format!("line {index} ({title}): {e}"))?
        }
    };
    Ok(Some(NewOrderLine {
        sku: fields::sku(line.sku.as_deref(), index, &title)?,
        quantity: fields::quantity(quantity, index, &title)?,
        unit_price: amount(
            &line.original_unit_price_set,
            currency,
            "originalUnitPriceSet",
        )
        .map_err(|e| format!("line {index} ({title}): {e}"))?,
        unit_weight_grams,
        // A store that does not say ships it.
        requires_shipping: line.requires_shipping.unwrap_or(true),
        title,
    }))
}
