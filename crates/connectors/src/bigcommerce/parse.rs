//! A BigCommerce order, with its products and shipping addresses, to the engine's
//! [`NewOrder`].

use dealer_core::channel::ChannelOrder;
use dealer_core::domain::{Address, Currency, NewOrder, NewOrderLine, StorePayment};

use super::wire::{BcAddress, BcOrder, BcProduct};
use crate::decimal::{grams, money, WeightUnit};
use crate::quarantine::{self, Reason};
use crate::{fields, regions, text};

/// BigCommerce's status id for "Cancelled" (`GET /v2/order_statuses`).
const CANCELLED: i64 = 5;

/// The statuses that hold an order for the store's payment, by id, with their system labels.
/// Source: `GET /v2/order_statuses` in the Orders v2 OpenAPI (`shared/specs/bigcommerce/`),
/// whose descriptions say:
/// - 0 Incomplete: "a shopper reached the payment page, but did not complete the transaction";
/// - 1 Pending: "started the checkout process, but did not complete it";
/// - 6 Declined: "marked the order as declined for lack of manual payment";
/// - 7 Awaiting Payment: "payment has yet to be confirmed".
///
/// Not paid, all four. Paid: 11 Awaiting Fulfillment ("payment has been confirmed") and every
/// later step (2, 3, 8, 9, 10 and the refunds 4, 14); 5 Cancelled is a cancellation.
pub(crate) const UNPAID_STATUSES: [(i64, &str); 4] = [
    (0, "Incomplete"),
    (1, "Pending"),
    (6, "Declined"),
    (7, "Awaiting Payment"),
];

/// The statuses that hold an order as a fraud risk: 12 Manual Verification Required ("on hold
/// while some aspect needs to be manually confirmed", where fraud screening puts an order) and
/// 13 Disputed (the customer disputes the PayPal payment). BigCommerce's v2 order has no fraud
/// score of its own.
pub(crate) const RISK_STATUSES: [(i64, &str); 2] =
    [(12, "Manual Verification Required"), (13, "Disputed")];

/// Maps an order whose sub-resources have been fetched.
pub(crate) fn map(
    raw: &serde_json::Value,
    products: &[serde_json::Value],
    addresses: &[serde_json::Value],
    weight_unit: WeightUnit,
) -> Result<ChannelOrder, Reason> {
    let wire: BcOrder = quarantine::shape(raw)?;
    let code = wire
        .default_currency_code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .or(wire.currency_code.as_deref())
        .unwrap_or_default();
    let currency = Currency::parse(code).map_err(|e| e.to_string())?;
    let amount =
        |field: &str, text: &str| money(text, &currency).map_err(|e| format!("{field}: {e}"));
    // A digital order has no shipping address: imported without one.
    let shipping_address: Option<BcAddress> = match addresses {
        [] => None,
        [one] => Some(shipping_address(one)?),
        many => {
            return Err(format!(
                "the order ships to {} addresses; split it into one order per address",
                many.len()
            ))
        }
    };
    let billing = wire.billing_address.unwrap_or_default();
    let ship_to = match &shipping_address {
        Some(shipping) => fields::ship_to(address(shipping, &billing))?,
        None => Address::none(),
    };
    let lines = products
        .iter()
        .enumerate()
        .map(|(i, product)| line_of(product, i + 1, &currency, weight_unit))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err("the order has no products".into());
    }
    let email = text::present(billing.email.as_deref()).or_else(|| {
        shipping_address
            .as_ref()
            .and_then(|shipping| text::present(shipping.email.as_deref()))
    });
    let order = NewOrder {
        channel_order_id: fields::order_id(&wire.id.to_string())?,
        number: format!("#{}", wire.id),
        customer_name: if ship_to.name.is_empty() {
            text::full_name(billing.first_name.as_deref(), billing.last_name.as_deref())
                .unwrap_or_else(|| format!("Customer of #{}", wire.id))
        } else {
            ship_to.name.clone()
        },
        customer_email: fields::email(email.as_deref())?,
        ship_to,
        lines,
        shipping: amount("shipping_cost_ex_tax", &wire.shipping_cost_ex_tax.0)?,
        tax: amount("total_tax", &wire.total_tax.0)?,
        total: amount("total_inc_tax", &wire.total_inc_tax.0)?,
        placed_at: fields::rfc2822(&wire.date_created, "date_created")?,
        channel_updated_at: fields::rfc2822(&wire.date_modified, "date_modified")?,
        store_payment: store_payment(wire.status_id),
    };
    let cancelled = wire.status_id == CANCELLED
        || wire
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("cancelled"));
    Ok(ChannelOrder { order, cancelled })
}

fn store_payment(status_id: i64) -> StorePayment {
    let label = |table: &[(i64, &str)]| {
        table
            .iter()
            .find(|(id, _)| *id == status_id)
            .map(|(_, label)| label.to_string())
    };
    if let Some(status) = label(&UNPAID_STATUSES) {
        return StorePayment::Unpaid { status };
    }
    if let Some(detail) = label(&RISK_STATUSES) {
        return StorePayment::HighRisk { detail };
    }
    StorePayment::Paid
}

fn shipping_address(raw: &serde_json::Value) -> Result<BcAddress, Reason> {
    serde::Deserialize::deserialize(raw)
        .map_err(|e| format!("unexpected shipping address shape: {e}"))
}

fn address(shipping: &BcAddress, billing: &BcAddress) -> Address {
    let field = |value: &Option<String>| text::present(value.as_deref()).unwrap_or_default();
    let country = field(&shipping.country_iso2).to_ascii_uppercase();
    Address {
        name: text::full_name(
            shipping.first_name.as_deref(),
            shipping.last_name.as_deref(),
        )
        .or_else(|| text::present(shipping.company.as_deref()))
        .unwrap_or_default(),
        line1: field(&shipping.street_1),
        line2: text::present(shipping.street_2.as_deref()),
        city: field(&shipping.city),
        state_code: regions::state_code(&country, &field(&shipping.state)),
        postal_code: field(&shipping.zip),
        country_code: country,
        phone: text::present(shipping.phone.as_deref())
            .or_else(|| text::present(billing.phone.as_deref())),
    }
}

fn line_of(
    raw: &serde_json::Value,
    index: usize,
    currency: &Currency,
    weight_unit: WeightUnit,
) -> Result<NewOrderLine, Reason> {
    let product: BcProduct = serde::Deserialize::deserialize(raw)
        .map_err(|e| format!("product {index} has an unexpected shape: {e}"))?;
    let title = product.name.trim().to_string();
    let unit_weight_grams = match &product.weight {
        Some(weight) => {
            grams(&weight.0, weight_unit).map_err(|e| format!("line {index} ({title}): {e}"))?
        }
        None => 0,
    };
    Ok(NewOrderLine {
        sku: fields::sku(product.sku.as_deref(), index, &title)?,
        quantity: fields::quantity(product.quantity, index, &title)?,
        unit_price: money(&product.price_ex_tax.0, currency)
            .map_err(|e| format!("line {index} ({title}) price_ex_tax: {e}"))?,
        unit_weight_grams,
        // "digital" is a download; "physical" (and anything else) ships.
        requires_shipping: product.r#type.as_deref() != Some("digital"),
        title,
    })
}

/// The store's weight unit from `GET /v2/store`'s `weight_units`.
pub(crate) fn weight_unit(units: Option<&str>) -> Option<WeightUnit> {
    Some(match units?.trim().to_ascii_lowercase().as_str() {
        "lbs" | "lb" | "pounds" => WeightUnit::Pounds,
        "ounces" | "oz" => WeightUnit::Ounces,
        "kgs" | "kg" | "kilograms" => WeightUnit::Kilograms,
        "grams" | "g" => WeightUnit::Grams,
        "tonnes" => WeightUnit::Tonnes,
        _ => return None,
    })
}
