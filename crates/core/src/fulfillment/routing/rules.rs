//! US Direct's rules for an order, checked before it is sent to the supplier: it ships only to
//! the lower 48 states (no Alaska, Hawaii, territories or military addresses), not to PO boxes,
//! holds orders over 30 lb, and needs every SKU mapped to one of its items and a complete
//! address with a phone number. Every rule that fails is reported, each with what to do, so the
//! dealer fixes everything in one go.

use serde::{Deserialize, Serialize};

use crate::domain::{total_weight_grams, Address, NewOrderLine};

/// Orders heavier than this are held by US Direct (30 lb).
pub const MAX_WEIGHT_GRAMS: u64 = 13_608;

/// States and districts US Direct ships to: the lower 48 and DC.
const LOWER_48: [&str; 49] = [
    "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "IA", "ID", "IL", "IN", "KS", "KY",
    "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV",
    "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV",
    "WY",
];

/// Why an order cannot go to US Direct as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "rule", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(tag = "rule", rename_all = "snake_case"))]
pub enum RoutingProblem {
    /// Outside the lower 48 states (Alaska, Hawaii, a territory, another country).
    OutsideLower48 {
        state_code: String,
        country_code: String,
    },
    /// An APO, FPO or DPO military address.
    MilitaryAddress,
    PoBox,
    /// Over 30 lb: US Direct holds it.
    Overweight {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        grams: u64,
    },
    /// A SKU with no US Direct item mapped to it. Held by versions that sent only whole
    /// orders; read from their stored problems, no longer reported.
    UnmappedSku {
        sku: String,
    },
    MissingAddressField {
        field: String,
    },
    MissingPhone,
}

impl RoutingProblem {
    /// What the dealer reads, with what to do.
    pub fn message(&self) -> String {
        match self {
            RoutingProblem::OutsideLower48 {
                state_code,
                country_code,
            } => format!(
                "US Direct ships only to the lower 48 states; this order goes to {state_code}, \
                 {country_code}. Cancel it, or fulfil it yourself."
            ),
            RoutingProblem::MilitaryAddress => {
                "US Direct does not ship to APO, FPO or DPO addresses. Cancel the order, or fulfil \
                 it yourself."
                    .into()
            }
            RoutingProblem::PoBox => "US Direct does not ship to PO boxes. Ask the customer for \
                                      a street address and edit the ship-to."
                .into(),
            RoutingProblem::Overweight { grams: u64::MAX } => {
                "The order's weights and quantities add up to more than any parcel can weigh: \
                 a weight or a quantity in the store is wrong. Fix it in the store, or cancel \
                 the order."
                    .into()
            }
            RoutingProblem::Overweight { grams } => format!(
                "The order weighs {:.1} lb; US Direct holds orders over 30 lb. Release the hold \
                 after checking with US Direct, or split the order.",
                *grams as f64 / 453.592
            ),
            RoutingProblem::UnmappedSku { sku } => format!(
                "SKU {sku} is not mapped to a US Direct item. Map it in Settings → SKU map."
            ),
            RoutingProblem::MissingAddressField { field } => {
                format!("The ship-to address has no {field}. Edit the address.")
            }
            RoutingProblem::MissingPhone => {
                "US Direct needs a phone number for the delivery. Add one to the ship-to address."
                    .into()
            }
        }
    }
}

/// Checks `ship_to` and `lines`, the order's US Direct lines, against US Direct's rules. An
/// empty answer means the order can be sent. (Lines whose SKU is not mapped are not US Direct
/// lines: they are never sent, and no longer hold the order.)
pub fn check(ship_to: &Address, lines: &[NewOrderLine]) -> Vec<RoutingProblem> {
    let mut problems = Vec::new();
    for (field, value) in [
        ("name", &ship_to.name),
        ("street address", &ship_to.line1),
        ("city", &ship_to.city),
        ("state", &ship_to.state_code),
        ("ZIP code", &ship_to.postal_code),
    ] {
        if value.trim().is_empty() {
            problems.push(RoutingProblem::MissingAddressField {
                field: field.to_string(),
            });
        }
    }
    let phone_digits = |p: &str| p.chars().filter(char::is_ascii_digit).count();
    if ship_to
        .phone
        .as_deref()
        .is_none_or(|p| phone_digits(p) < 10)
    {
        problems.push(RoutingProblem::MissingPhone);
    }
    let state = ship_to.state_code.trim().to_ascii_uppercase();
    let country = ship_to.country_code.trim().to_ascii_uppercase();
    if is_military(ship_to, &state) {
        problems.push(RoutingProblem::MilitaryAddress);
    } else if country.is_empty() {
        problems.push(RoutingProblem::MissingAddressField {
            field: "country".to_string(),
        });
    } else if country != "US" || (!state.is_empty() && !LOWER_48.contains(&state.as_str())) {
        problems.push(RoutingProblem::OutsideLower48 {
            state_code: state,
            country_code: country,
        });
    }
    if [&Some(ship_to.line1.clone()), &ship_to.line2]
        .into_iter()
        .flatten()
        .any(|line| is_po_box(line))
    {
        problems.push(RoutingProblem::PoBox);
    }
    // The store's weights and quantities: a sum past u64 is held as the heaviest order there
    // is, never wrapped to something light enough to pass.
    let grams = total_weight_grams(lines).unwrap_or(u64::MAX);
    if grams > MAX_WEIGHT_GRAMS {
        problems.push(RoutingProblem::Overweight { grams });
    }
    problems
}

/// APO/FPO/DPO: the military "states" AA, AE, AP, or the city written as the post office.
fn is_military(ship_to: &Address, state: &str) -> bool {
    let city = ship_to.city.trim().to_ascii_uppercase();
    matches!(state, "AA" | "AE" | "AP") || matches!(city.as_str(), "APO" | "FPO" | "DPO")
}

/// PO boxes as people write them: "PO Box 12", "P.O. Box", "P O Box", "Post Office Box",
/// "POB 12", "Box 12", "Pobox 12". Not "Boxwood Lane", "Pobeda Street" or a street named
/// Pobox ("12 Pobox Ave"); a hold the dealer judges wrong is released as is from the order.
fn is_po_box(line: &str) -> bool {
    let words: Vec<String> = line
        .to_ascii_lowercase()
        .replace(['.', ',', '#', '-'], " ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let has_number_after = |i: usize| {
        words
            .get(i + 1)
            .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
    };
    words
        .iter()
        .enumerate()
        .any(|(i, word)| match word.as_str() {
            // "Pobox 5", but not a street named Pobox ("12 Pobox Ave").
            "pobox" | "pob" => has_number_after(i),
            "box" => {
                let before = if i > 0 { words[i - 1].as_str() } else { "" };
                let before2 = if i > 1 { words[i - 2].as_str() } else { "" };
                matches!(before, "po" | "p" | "office" | "o") && (before != "o" || before2 == "p")
                    || (i == 0 && has_number_after(i))
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Money, Sku};

    fn address(line1: &str, city: &str, state: &str, country: &str) -> Address {
        Address {
            name: "Jane Doe".into(),
            line1: line1.into(),
            line2: None,
            city: city.into(),
            state_code: state.into(),
            postal_code: "12345".into(),
            country_code: country.into(),
            phone: Some("+1 (217) 555-0100".into()),
        }
    }

    fn line(sku: &str, grams: u32, quantity: u32) -> NewOrderLine {
        NewOrderLine {
            sku: Some(Sku::parse(sku).unwrap()),
            title: "Item".into(),
            quantity,
            unit_price: Money::new(1000, Currency::usd()),
            unit_weight_grams: grams,
            requires_shipping: true,
        }
    }

    #[test]
    fn a_lower_48_street_address_passes() {
        let problems = check(
            &address("1600 Amphitheatre Pkwy", "Mountain View", "CA", "US"),
            &[line("USD-1001", 500, 2)],
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn po_box_spellings() {
        let table = [
            ("PO Box 123", true),
            ("P.O. Box 123", true),
            ("P. O. Box 123", true),
            ("P O Box 123", true),
            ("po box 9", true),
            ("Post Office Box 77", true),
            ("POB 12", true),
            ("Box 4410", true),
            ("PoBox 5", true),
            ("123 Main St, PO Box 5", true),
            ("12 Boxwood Lane", false),
            ("45 Pobeda Street", false),
            ("9 Postal Way", false),
            ("1 Box Elder Rd", false),
            ("77 Tobox Ave", false),
            // Streets that look like a PO box and are not.
            ("12 Pobox Ave", false),
            ("Pobox Avenue 9", false),
            ("3 Box Canyon Rd", false),
            ("Box Hill Road 4", false),
            ("8 Boxer Ct", false),
            ("100 Post Office Rd", false),
            ("5 Pob Lane", false),
            ("Unit 2050 Box 4190", false),
        ];
        for (line1, expected) in table {
            let problems = check(&address(line1, "Austin", "TX", "US"), &[]);
            assert_eq!(
                problems.contains(&RoutingProblem::PoBox),
                expected,
                "{line1:?}"
            );
        }
    }

    #[test]
    fn only_the_lower_48_states() {
        let table = [
            ("CA", "US", true),
            ("DC", "US", true),
            ("WY", "US", true),
            ("AK", "US", false),
            ("HI", "US", false),
            ("PR", "US", false),
            ("GU", "US", false),
            ("VI", "US", false),
            ("AS", "US", false),
            ("MP", "US", false),
            ("ON", "CA", false),
        ];
        for (state, country, ships) in table {
            let problems = check(&address("1 Main St", "Town", state, country), &[]);
            let outside = problems
                .iter()
                .any(|p| matches!(p, RoutingProblem::OutsideLower48 { .. }));
            assert_eq!(!outside, ships, "{state}, {country}");
        }
    }

    #[test]
    fn military_addresses() {
        for (city, state) in [("APO", "AE"), ("FPO", "AP"), ("DPO", "AA"), ("APO", "NY")] {
            let problems = check(&address("Unit 2050 Box 4190", city, state, "US"), &[]);
            assert!(
                problems.contains(&RoutingProblem::MilitaryAddress),
                "{city} {state}"
            );
            assert!(
                !problems
                    .iter()
                    .any(|p| matches!(p, RoutingProblem::OutsideLower48 { .. })),
                "one problem, not two"
            );
        }
    }

    #[test]
    fn over_thirty_pounds_is_held() {
        let at_limit = [line("USD-1005", 6_804, 2)]; // 13,608 g = 30 lb
        let over = [line("USD-1005", 6_804, 2), line("USD-1001", 1, 1)];
        let to = address("1 Main St", "Boise", "ID", "US");
        assert!(check(&to, &at_limit).is_empty());
        let problems = check(&to, &over);
        assert_eq!(problems, vec![RoutingProblem::Overweight { grams: 13_609 }]);
        assert!(problems[0].message().contains("30.0 lb"));
    }

    #[test]
    fn a_weight_too_large_to_add_up_is_held_not_wrapped() {
        let to = address("1 Main St", "Boise", "ID", "US");
        // Each line fits in a u64; the sum of three wraps to 2^64 - 3 * 2^33 + 3 in release,
        // and a fourth light line cannot bring it back under 30 lb either way.
        let heavy = line("USD-1005", u32::MAX, u32::MAX);
        let lines = [heavy.clone(), heavy.clone(), heavy];
        let problems = check(&to, &lines);
        assert_eq!(
            problems,
            vec![RoutingProblem::Overweight { grams: u64::MAX }]
        );
        assert!(
            problems[0]
                .message()
                .contains("a weight or a quantity in the store is wrong"),
            "{}",
            problems[0].message()
        );
    }

    #[test]
    fn the_address_must_be_complete() {
        let mut to = address("", "Boise", "ID", "US");
        to.phone = Some("555-01".into());
        let problems = check(&to, &[line("USD-1001", 100, 1), line("OWN-7", 100, 1)]);
        assert!(problems.contains(&RoutingProblem::MissingAddressField {
            field: "street address".into()
        }));
        assert!(problems.contains(&RoutingProblem::MissingPhone));
        assert!(problems.iter().all(|p| !p.message().is_empty()));
        assert!(
            !problems
                .iter()
                .any(|p| matches!(p, RoutingProblem::UnmappedSku { .. })),
            "a line's SKU decides where it goes, never a hold: {problems:?}"
        );
    }

    #[test]
    fn no_address_at_all_is_one_list_of_missing_fields() {
        let problems = check(&Address::none(), &[line("USD-1001", 100, 1)]);
        assert!(problems.contains(&RoutingProblem::MissingAddressField {
            field: "country".into()
        }));
        assert!(
            !problems
                .iter()
                .any(|p| matches!(p, RoutingProblem::OutsideLower48 { .. })),
            "{problems:?}"
        );
    }
}
