//! A WooCommerce order to the engine's [`NewOrder`].

use dealer_core::channel::{ChannelOrder, Fetched};
use dealer_core::domain::{Address, Currency, Money, NewOrder, NewOrderLine, StorePayment};

use super::wire::{WooAddress, WooLine, WooOrder};
use crate::decimal::money;
use crate::quarantine::{self, RawOrder, Reason};
use crate::{fields, text};

/// The page entry for one order of `GET /orders`.
pub(crate) fn order(raw: &(impl RawOrder + ?Sized)) -> Fetched {
    quarantine::entry(raw, || map(raw))
}

fn map(raw: &(impl RawOrder + ?Sized)) -> Result<ChannelOrder, Reason> {
    let wire: WooOrder = quarantine::shape(raw)?;
    let currency = Currency::parse(&wire.currency).map_err(|e| e.to_string())?;
    let amount =
        |field: &str, text: &str| money(text, &currency).map_err(|e| format!("{field}: {e}"));
    let billing = wire.billing.unwrap_or_default();
    let shipping = wire.shipping.unwrap_or_default();
    // A virtual or local-pickup order has no shipping address: imported without one.
    let ship_to = if text::present(shipping.address_1.as_deref()).is_none() {
        Address::none()
    } else {
        fields::ship_to(address(&shipping, &billing))?
    };
    let customer_name = text::full_name(
        shipping.first_name.as_deref(),
        shipping.last_name.as_deref(),
    )
    .or_else(|| text::full_name(billing.first_name.as_deref(), billing.last_name.as_deref()))
    .or_else(|| text::present(billing.company.as_deref()))
    .unwrap_or_else(|| ship_to.name.clone());
    let lines = wire
        .line_items
        .iter()
        .enumerate()
        .map(|(i, line)| line_of(line, i + 1, &currency))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err("the order has no line items".into());
    }
    let number = match &wire.number {
        Some(serde_json::Value::String(n)) if !n.trim().is_empty() => n.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => wire.id.to_string(),
    };
    let order = NewOrder {
        channel_order_id: fields::order_id(&wire.id.to_string())?,
        number: format!("#{}", number.trim_start_matches('#')),
        customer_name,
        customer_email: fields::email(billing.email.as_deref())?,
        ship_to,
        lines,
        shipping: amount("shipping_total", &wire.shipping_total.0)?,
        tax: amount("total_tax", &wire.total_tax.0)?,
        total: amount("total", &wire.total.0)?,
        placed_at: fields::naive_utc(
            required(&wire.date_created_gmt, "date_created_gmt")?,
            "date_created_gmt",
        )?,
        channel_updated_at: fields::naive_utc(
            required(&wire.date_modified_gmt, "date_modified_gmt")?,
            "date_modified_gmt",
        )?,
        store_payment: store_payment(&wire.status),
    };
    Ok(ChannelOrder {
        order,
        cancelled: wire.status == "cancelled",
    })
}

/// The store's payment, from the order status. WooCommerce's own meanings (its order-status
/// documentation, and the status enum of `wc/v3` in the OpenAPI): `pending` ("order received,
/// no payment initiated; awaiting payment"), `on-hold` ("awaiting payment; stock is reduced, but
/// you need to confirm payment", bank transfers and cheques) and `failed` ("payment failed or
/// was declined") are not paid. `processing` and `completed` are paid; `cancelled`, `refunded`
/// and the rest were paid or are handled as cancellations. WooCommerce core has no fraud
/// score.
fn store_payment(status: &str) -> StorePayment {
    match status {
        UNPAID_PENDING | UNPAID_ON_HOLD | UNPAID_FAILED => StorePayment::Unpaid {
            status: status.to_string(),
        },
        _ => StorePayment::Paid,
    }
}

/// The statuses of an order not paid yet.
pub(crate) const UNPAID_PENDING: &str = "pending";
pub(crate) const UNPAID_ON_HOLD: &str = "on-hold";
pub(crate) const UNPAID_FAILED: &str = "failed";

fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, Reason> {
    value
        .as_deref()
        .ok_or_else(|| format!("{field} is missing"))
}

fn address(shipping: &WooAddress, billing: &WooAddress) -> Address {
    let field = |value: &Option<String>| text::present(value.as_deref()).unwrap_or_default();
    let country = field(&shipping.country).to_ascii_uppercase();
    Address {
        name: text::full_name(
            shipping.first_name.as_deref(),
            shipping.last_name.as_deref(),
        )
        .or_else(|| text::present(shipping.company.as_deref()))
        .unwrap_or_default(),
        line1: field(&shipping.address_1),
        line2: text::present(shipping.address_2.as_deref()),
        city: field(&shipping.city),
        state_code: crate::regions::state_code(&country, &field(&shipping.state)),
        postal_code: field(&shipping.postcode),
        country_code: country,
        // The carrier's contact number: the shipping phone when the store collects one.
        phone: text::present(shipping.phone.as_deref())
            .or_else(|| text::present(billing.phone.as_deref())),
    }
}

fn line_of(line: &WooLine, index: usize, currency: &Currency) -> Result<NewOrderLine, Reason> {
    let title = text::decode_entities(line.name.trim());
    let quantity = fields::quantity(line.quantity, index, &title)?;
    let subtotal = money(&line.subtotal.0, currency)
        .map_err(|e| format!("line {index} ({title}) subtotal: {e}"))?;
    Ok(NewOrderLine {
        sku: fields::sku(line.sku.as_deref(), index, &title)?,
        unit_price: per_unit(&subtotal, quantity),
        quantity,
        title,
        // WooCommerce line items carry no weight, nor whether they ship (a virtual product is
        // known only from the product): US Direct's item gives the weight.
        unit_weight_grams: 0,
        requires_shipping: true,
    })
}

/// WooCommerce gives a line's subtotal, not its unit price (its `price` field is a float).
/// When the subtotal does not divide evenly the unit price is rounded half up to the minor unit.
/// Worked in i128: any subtotal the store sends (up to `i64::MAX` minor units) divides without
/// overflow, and the quotient is never larger than the subtotal.
fn per_unit(subtotal: &Money, quantity: u32) -> Money {
    let quantity = i128::from(quantity.max(1));
    let minor = i128::from(subtotal.minor);
    let rounded = (minor.abs() * 2 + quantity) / (2 * quantity);
    let unit = i64::try_from(minor.signum() * rounded).unwrap_or(subtotal.minor);
    Money::new(unit, subtotal.currency.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_price_from_the_subtotal() {
        let usd = Currency::usd();
        assert_eq!(per_unit(&Money::new(600, usd.clone()), 2).minor, 300);
        assert_eq!(per_unit(&Money::new(1000, usd.clone()), 3).minor, 333);
        assert_eq!(per_unit(&Money::new(500, usd.clone()), 3).minor, 167);
        assert_eq!(per_unit(&Money::new(-500, usd.clone()), 3).minor, -167);
        // Amounts at the edge of what minor units hold: no overflow in the rounding.
        assert_eq!(
            per_unit(&Money::new(i64::MAX, usd.clone()), 1).minor,
            i64::MAX
        );
        assert_eq!(
            per_unit(&Money::new(i64::MAX, usd.clone()), 3).minor,
            3_074_457_345_618_258_602
        );
        assert_eq!(per_unit(&Money::new(i64::MIN, usd), 2).minor, i64::MIN / 2);
    }
}
