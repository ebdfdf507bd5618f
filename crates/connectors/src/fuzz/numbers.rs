//! Amounts, weights and tracking numbers: the text parsers every store and supplier answer
//! goes through.

use dealer_core::domain::{Currency, Money};
use dealer_core::tracking::{self, Carrier};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

use super::json::hostile_text;
use super::{fail, fuzz};
use crate::decimal::{grams, money, DecimalText, WeightUnit};

fn currency() -> impl Strategy<Value = Currency> {
    select(&["USD", "JPY", "KWD", "EUR"][..])
        .prop_map(|code| Currency::parse(code).unwrap_or_else(|_| Currency::usd()))
}

fn unit() -> impl Strategy<Value = WeightUnit> {
    select(
        &[
            WeightUnit::Grams,
            WeightUnit::Kilograms,
            WeightUnit::Pounds,
            WeightUnit::Ounces,
            WeightUnit::Tonnes,
        ][..],
    )
}

/// An amount as a store writes it, or anything; as JSON text, a number or a string.
fn amount_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hostile_text(),
        1 => any::<f64>().prop_map(|f| f.to_string()),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => any::<String>(),
    ]
}

#[test]
fn fuzz_money() {
    fuzz("money", || {
        let strategy = (amount_text(), currency(), unit(), any::<bool>());
        let property = |(text, currency, unit, quoted): (String, Currency, WeightUnit, bool)| {
            let plain = |t: &str| {
                let t = t.trim();
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            };
            if Money::parse_decimal(&text, currency.clone()).is_ok() && !plain(&text) {
                return Err(fail(format!("{text:?} read as an amount")));
            }
            if let Ok(read) = money(&text, &currency) {
                if !plain(&text) {
                    return Err(fail(format!("{text:?} read as {read:?}")));
                }
            }
            let _ = grams(&text, unit);
            // The same text as a JSON value, the way the wire types read it.
            let json = if quoted {
                serde_json::to_string(&text).unwrap_or_default()
            } else {
                text.clone()
            };
            if let Ok(value) = serde_json::from_str::<Value>(&json) {
                if let Ok(DecimalText(decimal)) = DecimalText::try_from(value) {
                    let _ = money(&decimal, &currency);
                    let _ = grams(&decimal, unit);
                }
            }
            Ok(())
        };
        (strategy, property)
    });
}

/// Tracking numbers of every supported shape, and anything.
fn tracking_number() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => hostile_text(),
        1 => "1Z[0-9A-Z]{16}",
        1 => "9[1-5][0-9]{18,20}",
        1 => "420[0-9]{5}9[1-5][0-9]{20}",
        1 => "[0-9]{10,34}",
        1 => "(TBA|C|D)[0-9]{8,14}",
        1 => "[0-9A-Za-z -]{0,40}",
        1 => any::<String>(),
    ]
}

#[test]
fn fuzz_tracking() {
    fuzz("tracking", || {
        let strategy = (tracking_number(), option::of(hostile_text()));
        let property = |(number, hint): (String, Option<String>)| {
            let checked = tracking::check(&number, hint.as_deref());
            if checked.valid {
                let carrier = checked
                    .carrier
                    .ok_or_else(|| fail(format!("{number:?} valid without a carrier")))?;
                let url = checked.url.as_deref().unwrap_or_default();
                if !url.starts_with("https://") {
                    return Err(fail(format!("{number:?} valid with the page {url:?}")));
                }
                if !checked
                    .normalized
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric())
                {
                    return Err(fail(format!(
                        "{number:?} normalized to {:?}",
                        checked.normalized
                    )));
                }
                let again = tracking::check_with_carrier(&checked.normalized, Some(carrier));
                if !again.valid {
                    return Err(fail(format!("{number:?} valid, its normalized form not")));
                }
            } else if checked
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                return Err(fail(format!("{number:?} refused without a reason")));
            }
            for carrier in Carrier::ALL {
                let _ = tracking::check_with_carrier(&number, Some(carrier));
            }
            let _ = Carrier::from_name(&number);
            Ok(())
        };
        (strategy, property)
    });
}

/// What the fuzzers found, as fixed inputs.
mod found {
    use super::*;

    /// `decimal::grams`: 39 digits fit an i128 but not with half the divisor added for
    /// rounding (an overflow panic in debug builds, a wrapped weight in release).
    #[test]
    fn a_weight_at_the_edge_of_i128_is_refused_not_a_panic() {
        let edge = "170141183.460469231731687303715884105727";
        let refused = grams(edge, WeightUnit::Grams).unwrap_err();
        assert!(refused.contains("out of range"), "{refused}");
    }
}
