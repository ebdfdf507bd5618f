//! Synthetic orders for tests, benchmarks and demos, written through the engine's own insert
//! path. Deterministic for a given seed.

use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::domain::{
    Actor, Address, ChannelKind, ChannelOrderId, Currency, Email, Money, NewOrder, NewOrderLine,
    Sku, StorePayment,
};
use crate::store::Store;
use crate::Result;

/// The channel seeded orders belong to: the sandbox store.
pub const SANDBOX_CHANNEL: &str = "Sandbox Store";

const FIRST_NAMES: &[&str] = &[
    "Avery", "Blake", "Camila", "Dmitri", "Elena", "Farah", "Gideon", "Harper", "Imani", "Jonah",
    "Keiko", "Luca", "Marisol", "Nolan", "Oksana", "Priya", "Quentin", "Rosalind", "Santiago",
    "Tamsin", "Umar", "Vivienne", "Wesley", "Xiomara", "Yusuf", "Zelda",
];
const LAST_NAMES: &[&str] = &[
    "Abernathy",
    "Bjornsson",
    "Castellanos",
    "Delacroix",
    "Eastwood",
    "Fairweather",
    "Galloway",
    "Hollingsworth",
    "Iwasaki",
    "Jaramillo",
    "Kowalczyk",
    "Lindqvist",
    "Montgomery",
    "Nakamura",
    "Okonkwo",
    "Pemberton",
    "Quiroga",
    "Rasmussen",
    "Sutherland",
    "Thibodeaux",
    "Underhill",
    "Valdivia",
    "Whitfield",
    "Yamamoto",
    "Zimmerman",
];
/// (city, state, ZIP) in the lower 48.
const PLACES: &[(&str, &str, &str)] = &[
    ("Springfield", "IL", "62701"),
    ("Austin", "TX", "78701"),
    ("Boise", "ID", "83702"),
    ("Portland", "OR", "97205"),
    ("Asheville", "NC", "28801"),
    ("Madison", "WI", "53703"),
    ("Tucson", "AZ", "85701"),
    ("Burlington", "VT", "05401"),
    ("Savannah", "GA", "31401"),
    ("Duluth", "MN", "55802"),
];
const STREETS: &[&str] = &[
    "Maple Ave",
    "Oak St",
    "Cedar Ln",
    "Lakeview Dr",
    "Hillcrest Rd",
    "Sunset Blvd",
    "Pine Ct",
];
/// (SKU, title, price in cents, weight in grams)
const PRODUCTS: &[(&str, &str, i64, u32)] = &[
    ("USD-1001", "Stainless Steel Water Bottle", 2499, 450),
    ("USD-1002", "Bamboo Cutting Board", 3495, 1200),
    ("USD-1003", "LED Desk Lamp", 4999, 1600),
    ("USD-1004", "Yoga Mat", 2999, 1100),
    ("USD-1005", "Cast Iron Skillet", 3999, 2700),
    ("USD-1006", "Wireless Earbuds", 5999, 150),
    ("USD-1007", "Ceramic Planter", 1899, 900),
    ("USD-1008", "Camping Hammock", 4499, 700),
];

/// `count` synthetic orders numbered from `first_number`.
pub fn synthetic_orders(count: usize, first_number: u64, seed: u64) -> Result<Vec<NewOrder>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let usd = Currency::usd();
    let now = Utc::now();
    // Spread over the last 90 days, higher numbers placed later, as a store numbers them.
    let gap_minutes = (90 * 24 * 60 / count.max(1) as i64).max(1);
    (0..count as u64)
        .map(|i| {
            let number = first_number + i;
            let first = FIRST_NAMES.choose(&mut rng).copied().unwrap_or("Avery");
            let last = LAST_NAMES.choose(&mut rng).copied().unwrap_or("Abernathy");
            let (city, state, zip) = PLACES.choose(&mut rng).copied().unwrap_or(PLACES[0]);
            let street = STREETS.choose(&mut rng).copied().unwrap_or("Oak St");
            let line_count = rng.gen_range(1..=3);
            let lines = PRODUCTS
                .choose_multiple(&mut rng, line_count)
                .map(|&(sku, title, price, grams)| {
                    Ok(NewOrderLine {
                        sku: Some(Sku::parse(sku)?),
                        title: title.to_string(),
                        quantity: rng.gen_range(1..=3),
                        unit_price: Money::new(price, usd.clone()),
                        unit_weight_grams: grams,
                        requires_shipping: true,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let subtotal: i64 = lines
                .iter()
                .map(|l| l.unit_price.minor * i64::from(l.quantity))
                .sum();
            let shipping = 595;
            let tax = subtotal * 7 / 100;
            let newer = count as i64 - i as i64;
            let placed_at = now
                - Duration::minutes(newer * gap_minutes - rng.gen_range(0..gap_minutes))
                - Duration::seconds(1);
            Ok(NewOrder {
                channel_order_id: ChannelOrderId::parse(&format!(
                    "gid://shopify/Order/{}",
                    5_000_000_000 + number
                ))?,
                number: format!("#{number}"),
                customer_name: format!("{first} {last}"),
                customer_email: Some(Email::parse(&format!(
                    "{}.{}{}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    number
                ))?),
                ship_to: Address {
                    name: format!("{first} {last}"),
                    line1: format!("{} {street}", rng.gen_range(10..9999)),
                    line2: None,
                    city: city.to_string(),
                    state_code: state.to_string(),
                    postal_code: zip.to_string(),
                    country_code: "US".into(),
                    phone: Some(format!(
                        "+1 555 {:03} {:04}",
                        rng.gen_range(200..999),
                        number % 10_000
                    )),
                },
                lines,
                shipping: Money::new(shipping, usd.clone()),
                tax: Money::new(tax, usd.clone()),
                total: Money::new(subtotal + shipping + tax, usd.clone()),
                placed_at,
                channel_updated_at: placed_at,
                store_payment: StorePayment::Paid,
            })
        })
        .collect()
}

impl Store {
    /// Writes `count` synthetic orders into the sandbox store's channel, in batches, and returns
    /// how many the store now holds in all.
    pub async fn seed_orders(&self, count: usize, seed: u64) -> Result<i64> {
        let channel = self
            .ensure_channel(SANDBOX_CHANNEL, ChannelKind::Shopify, "sandbox:", true)
            .await?;
        let existing = self.count_orders().await?;
        let first_number = 1001 + existing as u64;
        let orders = synthetic_orders(count, first_number, seed)?;
        for batch in orders.chunks(1000) {
            self.insert_orders(channel.id, batch, Actor::System, "seeded synthetic order")
                .await?;
        }
        self.count_orders().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_orders_are_valid_and_deterministic() {
        let a = synthetic_orders(50, 1001, 7).unwrap();
        let b = synthetic_orders(50, 1001, 7).unwrap();
        assert_eq!(a.len(), 50);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.customer_name, y.customer_name);
            assert_eq!(x.lines, y.lines);
            x.ship_to.validate().unwrap();
            let subtotal: i64 = x
                .lines
                .iter()
                .map(|l| l.unit_price.minor * i64::from(l.quantity))
                .sum();
            assert_eq!(x.total.minor, subtotal + x.shipping.minor + x.tax.minor);
        }
        assert_eq!(a[0].number, "#1001");
        assert_eq!(a[49].number, "#1050");
        assert!(
            a.windows(2).all(|w| w[0].placed_at < w[1].placed_at),
            "numbered in time order"
        );
    }
}
