//! Exact decimals as stores send them: money through [`Money::parse_decimal`], weights to whole
//! grams. No floating point: a JSON number is read from its text.

use dealer_core::domain::{Currency, Money};
use serde::Deserialize;

/// An amount as text, whether the store sent `"12.99"` or `12.99`. BigCommerce documents its
/// amounts as "Float, Float-As-String, Integer".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub(crate) struct DecimalText(pub String);

impl TryFrom<serde_json::Value> for DecimalText {
    type Error = String;
    fn try_from(value: serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::String(text) => Ok(Self(text)),
            // serde_json prints a float as the shortest text that reads back to the same
            // double: the digits the store wrote, for any amount a store writes.
            serde_json::Value::Number(number) => Ok(Self(number.to_string())),
            other => Err(format!("expected a decimal amount, found {other}")),
        }
    }
}

/// Parses a store amount in `currency`. Trailing zeros beyond the currency's minor unit are
/// dropped (BigCommerce writes `"12.9900"`); any other extra digit is an error, never rounded.
pub(crate) fn money(amount: &str, currency: &Currency) -> Result<Money, String> {
    let text = amount.trim();
    let plain = match text.split_once('.') {
        Some((whole, fraction)) => {
            let keep = currency.exponent() as usize;
            let mut fraction = fraction;
            while fraction.len() > keep && fraction.ends_with('0') {
                fraction = &fraction[..fraction.len() - 1];
            }
            if fraction.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => text.to_string(),
    };
    Money::parse_decimal(&plain, currency.clone()).map_err(|_| {
        format!(
            "{amount:?} is not an amount in {} (at most {} decimals)",
            currency.as_str(),
            currency.exponent()
        )
    })
}

/// A unit a store weighs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WeightUnit {
    Grams,
    Kilograms,
    Pounds,
    Ounces,
    Tonnes,
}

impl WeightUnit {
    /// Grams per unit as an exact fraction (international avoirdupois pound: 453.59237 g).
    fn grams_ratio(self) -> (i128, i128) {
        match self {
            WeightUnit::Grams => (1, 1),
            WeightUnit::Kilograms => (1000, 1),
            WeightUnit::Pounds => (45_359_237, 100_000),
            WeightUnit::Ounces => (28_349_523_125, 1_000_000_000),
            WeightUnit::Tonnes => (1_000_000, 1),
        }
    }
}

/// `value` of `unit` in whole grams, rounded half up.
pub(crate) fn grams(value: &str, unit: WeightUnit) -> Result<u32, String> {
    let bad = || format!("{value:?} is not a weight");
    let (mantissa, scale) = parse_exact(value.trim()).ok_or_else(bad)?;
    if mantissa < 0 {
        return Err(format!("weight {value} is negative"));
    }
    let (numerator, denominator) = unit.grams_ratio();
    let out_of_range = || format!("weight {value} is out of range");
    // value = mantissa / 10^scale (scale may be negative for 1e3).
    let (top, bottom) = if scale >= 0 {
        (mantissa, pow10(scale).ok_or_else(out_of_range)?)
    } else {
        let up = pow10(-scale).ok_or_else(out_of_range)?;
        (mantissa.checked_mul(up).ok_or_else(out_of_range)?, 1)
    };
    let top = top.checked_mul(numerator).ok_or_else(out_of_range)?;
    let bottom = bottom.checked_mul(denominator).ok_or_else(out_of_range)?;
    let rounded = top.checked_add(bottom / 2).ok_or_else(out_of_range)? / bottom;
    u32::try_from(rounded).map_err(|_| out_of_range())
}

fn pow10(exponent: i32) -> Option<i128> {
    10_i128.checked_pow(u32::try_from(exponent).ok()?)
}

/// `"-1.25e3"` as (mantissa, scale) with value = mantissa / 10^scale.
fn parse_exact(text: &str) -> Option<(i128, i32)> {
    let (number, exponent) = match text.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, exponent.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let scale = i32::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
    if !(-30..=30).contains(&scale) {
        return None;
    }
    Some((if negative { -mantissa } else { mantissa }, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Result<i64, String> {
        money(text, &Currency::usd()).map(|m| m.minor)
    }

    #[test]
    fn store_amounts_are_exact() {
        assert_eq!(usd("29.35"), Ok(2935));
        assert_eq!(usd("361.9500"), Ok(36195));
        assert_eq!(usd("0.0000"), Ok(0));
        assert_eq!(usd("5"), Ok(500));
        assert_eq!(usd("-1.50"), Ok(-150));
        assert_eq!(usd(" 0.9 "), Ok(90));
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(money("1500.00", &yen).map(|m| m.minor), Ok(1500));
    }

    #[test]
    fn sub_cent_amounts_and_garbage_are_refused_not_rounded() {
        for bad in ["12.3450", "1,99", "", "abc", "1e3", "NaN"] {
            let err = usd(bad).unwrap_err();
            assert!(err.contains("USD"), "{bad}: {err}");
        }
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let amount: DecimalText = serde_json::from_str("12.99").unwrap();
        assert_eq!(usd(&amount.0), Ok(1299));
        let amount: DecimalText = serde_json::from_str("\"55.9900\"").unwrap();
        assert_eq!(usd(&amount.0), Ok(5599));
        let amount: DecimalText = serde_json::from_str("3").unwrap();
        assert_eq!(usd(&amount.0), Ok(300));
        assert!(serde_json::from_str::<DecimalText>("true").is_err());
    }

    #[test]
    fn weights_convert_to_grams() {
        assert_eq!(grams("1.0000", WeightUnit::Pounds), Ok(454));
        assert_eq!(grams("30", WeightUnit::Pounds), Ok(13_608));
        assert_eq!(grams("0", WeightUnit::Pounds), Ok(0));
        assert_eq!(grams("1", WeightUnit::Ounces), Ok(28));
        assert_eq!(grams("16", WeightUnit::Ounces), Ok(454));
        assert_eq!(grams("1.2345", WeightUnit::Kilograms), Ok(1235));
        assert_eq!(grams("250.4", WeightUnit::Grams), Ok(250));
        assert_eq!(grams("250.5", WeightUnit::Grams), Ok(251));
        assert_eq!(grams("1.5e-3", WeightUnit::Kilograms), Ok(2));
        assert_eq!(grams("2e3", WeightUnit::Grams), Ok(2000));
        assert!(grams("-1", WeightUnit::Grams).is_err());
        assert!(grams("heavy", WeightUnit::Grams).is_err());
        assert!(grams("1e40", WeightUnit::Grams).is_err());
        assert!(grams("99999999999", WeightUnit::Kilograms).is_err());
    }
}
