//! Money as integer minor units plus an ISO 4217 currency code. No floats anywhere.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An ISO 4217 currency code: three ASCII capital letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn parse(code: &str) -> Result<Self> {
        let code = code.trim();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code.to_string()))
        } else {
            Err(Error::invalid(
                "currency",
                format!("{code:?} is not an ISO 4217 code such as USD"),
            ))
        }
    }

    pub fn usd() -> Self {
        Self("USD".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point (ISO 4217 minor units) for the codes a dealer meets.
    pub fn exponent(&self) -> u32 {
        match self.0.as_str() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.0
    }
}

/// An amount in minor units (cents for USD) of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a decimal amount as stores send it (`"19.99"`, `"5"`, `"-0.50"`) exactly, without
    /// going through floating point. More fraction digits than the currency has is an error.
    pub fn parse_decimal(amount: &str, currency: Currency) -> Result<Self> {
        let text = amount.trim();
        let bad = || {
            Error::invalid(
                "amount",
                format!("{amount:?} is not an amount in {}", currency.as_str()),
            )
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        // Digits first: only then is every byte a character, and the fraction safe to cut.
        if !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let exponent = currency.exponent() as usize;
        // Stores pad amounts ("12.9900"): zeros past the currency's digits change nothing.
        let fraction =
            if fraction.len() > exponent && fraction[exponent..].bytes().all(|b| b == b'0') {
                &fraction[..exponent]
            } else {
                fraction
            };
        if whole.is_empty() || fraction.len() > exponent {
            return Err(bad());
        }
        let scale = 10_i64.pow(exponent as u32);
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let fraction_value: i64 = if fraction.is_empty() {
            0
        } else {
            let padded = format!("{fraction:0<exponent$}");
            padded.parse().map_err(|_| bad())?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(fraction_value))
            .ok_or_else(bad)?;
        Ok(Self::new(if negative { -minor } else { minor }, currency))
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        if self.currency != other.currency {
            return Err(Error::invalid(
                "currency",
                format!(
                    "cannot add {} to {}",
                    other.currency.as_str(),
                    self.currency.as_str()
                ),
            ));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or_else(|| Error::invalid("amount", "amount overflows"))?;
        Ok(Money::new(minor, self.currency.clone()))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return write!(f, "{sign}{abs} {}", self.currency.as_str());
        }
        let scale = 10_u64.pow(exponent);
        write!(
            f,
            "{sign}{}.{:0width$} {}",
            abs / scale,
            abs % scale,
            self.currency.as_str(),
            width = exponent as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Result<Money> {
        Money::parse_decimal(text, Currency::usd())
    }

    #[test]
    fn parses_store_amounts_exactly() {
        assert_eq!(usd("19.99").unwrap().minor, 1999);
        assert_eq!(usd("5").unwrap().minor, 500);
        assert_eq!(usd("0.1").unwrap().minor, 10);
        assert_eq!(usd("-0.50").unwrap().minor, -50);
        assert_eq!(usd("12.9900").unwrap().minor, 1299, "padded zeros");
        assert!(
            usd("12.9950").is_err(),
            "a fraction of a cent is not rounded away"
        );
        assert_eq!(
            Money::parse_decimal("1500", Currency::parse("JPY").unwrap())
                .unwrap()
                .minor,
            1500
        );
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for text in ["", "abc", "1.999", "1,99", "1.2.3", "--1", ".5", "1e3"] {
            assert!(usd(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn refuses_non_ascii_and_absurd_amounts_without_panicking() {
        // Characters of several bytes where digits should be, in either part and past the
        // currency's digits, and amounts beyond what minor units hold.
        for text in [
            "1.a\u{e9}",
            "1.\u{e9}",
            "1.00\u{e9}",
            "\u{e9}1.00",
            "\u{661}.00",
            "1.0\u{301}",
            "99999999999999999999",
            "92233720368547758.08",
            "-92233720368547758.09",
        ] {
            assert!(usd(text).is_err(), "{text:?} should be rejected");
        }
        assert_eq!(usd("92233720368547758.07").unwrap().minor, i64::MAX);
    }

    #[test]
    fn currency_must_be_iso_code() {
        assert!(Currency::parse("usd").is_err());
        assert!(Currency::parse("US").is_err());
        assert_eq!(Currency::parse("EUR").unwrap().as_str(), "EUR");
    }

    #[test]
    fn adds_only_same_currency() {
        let a = usd("1.25").unwrap();
        let b = usd("2.75").unwrap();
        assert_eq!(a.checked_add(&b).unwrap().minor, 400);
        let eur = Money::new(100, Currency::parse("EUR").unwrap());
        assert!(a.checked_add(&eur).is_err());
    }

    #[test]
    fn displays_with_minor_units() {
        assert_eq!(usd("1234.5").unwrap().to_string(), "1234.50 USD");
        assert_eq!(usd("-0.05").unwrap().to_string(), "-0.05 USD");
    }
}
