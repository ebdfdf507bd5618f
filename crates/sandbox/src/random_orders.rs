//! Random but valid US orders for benchmarks: lower-48 street addresses (no PO boxes), catalog
//! SKUs, under 30 lb, drawn from a seeded RNG so a benchmark is repeatable.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::catalog::CATALOG;
use crate::model::{line_total_minor, PlaceOrder, SandboxAddress, SandboxLine};

const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Mia", "Lucas", "Harper",
    "Mateo", "Amelia", "Benjamin", "Evelyn", "Henry", "Camila", "Daniel", "Luna", "Jack",
];

const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Nguyen",
];

const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Pine St",
    "Elm St",
    "Washington Ave",
    "Lakeview Dr",
    "Park Blvd",
    "Sunset Rd",
    "Hillcrest Ave",
    "River Rd",
];

/// (city, state, zip): real places, lower 48 only.
const PLACES: &[(&str, &str, &str)] = &[
    ("Austin", "TX", "78704"),
    ("Denver", "CO", "80205"),
    ("Portland", "OR", "97214"),
    ("Columbus", "OH", "43215"),
    ("Raleigh", "NC", "27601"),
    ("Phoenix", "AZ", "85004"),
    ("Nashville", "TN", "37203"),
    ("Madison", "WI", "53703"),
    ("Boise", "ID", "83702"),
    ("Richmond", "VA", "23220"),
    ("Sacramento", "CA", "95814"),
    ("Tampa", "FL", "33602"),
    ("Albany", "NY", "12207"),
    ("Omaha", "NE", "68102"),
    ("Salt Lake City", "UT", "84111"),
    ("Burlington", "VT", "05401"),
];

/// Shipping fees in cents a store might charge.
const SHIPPING: &[i64] = &[0, 499, 599, 799, 999];

pub(crate) fn random_orders(count: usize, seed: u64) -> Vec<PlaceOrder> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count).map(|n| random_order(&mut rng, n)).collect()
}

fn random_order(rng: &mut StdRng, n: usize) -> PlaceOrder {
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let (city, state, zip) = PLACES
        .choose(rng)
        .copied()
        .unwrap_or(("Austin", "TX", "78704"));
    let line_count = rng.gen_range(1..=3);
    let lines: Vec<_> = CATALOG
        .choose_multiple(rng, line_count)
        .map(|item| item.line(rng.gen_range(1..=2)))
        .collect();
    let subtotal: i64 = lines.iter().map(line_total_minor).sum();
    let address2 = rng
        .gen_bool(0.2)
        .then(|| format!("Apt {}", rng.gen_range(1..=40)));
    PlaceOrder {
        customer_first_name: first.to_owned(),
        customer_last_name: last.to_owned(),
        email: format!(
            "{}.{}{n}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        ship_to: SandboxAddress {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            address1: format!("{} {}", rng.gen_range(100..=9999), pick(rng, STREETS)),
            address2,
            city: city.to_owned(),
            province_code: state.to_owned(),
            zip: zip.to_owned(),
            country_code: "US".to_owned(),
            phone: Some(format!("+1 312-555-01{:02}", rng.gen_range(0..100))),
        },
        shipping_minor: SHIPPING.choose(rng).copied().unwrap_or(0),
        // About 7 % sales tax, rounded down to the cent.
        tax_minor: subtotal * 7 / 100,
        lines,
        currency: "USD".to_owned(),
    }
}

/// Another brand's products the dealer sells beside US Direct's: SKUs US Direct does not carry.
const OTHER_SUPPLIER: &[(&str, &str, i64, u32)] = &[
    ("ACME-KETTLE-2", "Acme Stovetop Kettle", 3499, 1_100),
    ("ACME-MUG-SET", "Acme Mug Set (4)", 2899, 1_600),
    ("NORDIC-THROW-1", "Nordic Wool Throw", 6499, 1_300),
];

/// A day in a store that sells other brands too: `count` random orders, of which about one in
/// eight has a gift-wrap line without a SKU, one in twelve is another supplier's item alone,
/// one in ten mixes another supplier's item with US Direct's, and one in twenty is a digital
/// gift card with no shipping address. Seeded, so a test knows what to expect.
pub(crate) fn mixed_orders(count: usize, seed: u64) -> Vec<PlaceOrder> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|n| {
            let mut order = random_order(&mut rng, n);
            let other = |rng: &mut StdRng| {
                let (sku, title, price, grams) = OTHER_SUPPLIER
                    .choose(rng)
                    .copied()
                    .unwrap_or(OTHER_SUPPLIER[0]);
                SandboxLine {
                    sku: Some(sku.to_owned()),
                    title: title.to_owned(),
                    quantity: 1,
                    unit_price_minor: price,
                    grams,
                    requires_shipping: true,
                }
            };
            match n % 40 {
                // A digital gift card: nothing to ship, no shipping address.
                0 | 20 => {
                    order.lines = vec![SandboxLine {
                        sku: Some("GIFTCARD-25".to_owned()),
                        title: "Gift card $25".to_owned(),
                        quantity: 1,
                        unit_price_minor: 2500,
                        grams: 0,
                        requires_shipping: false,
                    }];
                    order.ship_to = SandboxAddress {
                        first_name: order.customer_first_name.clone(),
                        last_name: order.customer_last_name.clone(),
                        address1: String::new(),
                        address2: None,
                        city: String::new(),
                        province_code: String::new(),
                        zip: String::new(),
                        country_code: String::new(),
                        phone: None,
                    };
                    order.shipping_minor = 0;
                }
                // Another supplier's item alone.
                3 | 13 | 23 => order.lines = vec![other(&mut rng)],
                // Another supplier's item beside US Direct's.
                5 | 15 | 25 | 35 => order.lines.push(other(&mut rng)),
                _ => {}
            }
            // Gift wrap, a line the store gives no SKU.
            if n % 8 == 1 {
                order.lines.push(SandboxLine {
                    sku: None,
                    title: "Gift wrap".to_owned(),
                    quantity: 1,
                    unit_price_minor: 499,
                    grams: 0,
                    requires_shipping: true,
                });
            }
            let subtotal: i64 = order.lines.iter().map(line_total_minor).sum();
            order.tax_minor = subtotal * 7 / 100;
            order
        })
        .collect()
}

fn pick<'a>(rng: &mut StdRng, names: &[&'a str]) -> &'a str {
    names.choose(rng).copied().unwrap_or("Sam")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_orders_and_all_valid() {
        let a = random_orders(200, 7);
        assert_eq!(a, random_orders(200, 7));
        assert_ne!(a, random_orders(200, 8));
        for order in &a {
            let grams: u32 = order.lines.iter().map(|l| l.grams * l.quantity).sum();
            assert!(grams < 13_600, "over 30 lb: {order:?}");
            assert!(!order.lines.is_empty());
            assert_eq!(order.ship_to.country_code, "US");
            assert!(!order.ship_to.address1.to_lowercase().contains("box"));
        }
    }
}
