//! A ship-to address as the supplier needs it.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Address {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    /// State or province code (`CA`, `NY`).
    pub state_code: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code (`US`).
    pub country_code: String,
    pub phone: Option<String>,
}

impl Address {
    /// Checks the fields every address needs. Whether the supplier ships there is a routing
    /// rule, not a property of the address.
    /// No address at all: an order the store does not ship (a digital product, a local
    /// pickup). Stored as empty fields; it is not validated, and US Direct's rules hold it if
    /// one of its lines is a US Direct item.
    pub fn none() -> Self {
        Self {
            name: String::new(),
            line1: String::new(),
            line2: None,
            city: String::new(),
            state_code: String::new(),
            postal_code: String::new(),
            country_code: String::new(),
            phone: None,
        }
    }

    /// Whether this is [`Address::none`]: every field empty.
    pub fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.line1,
            &self.city,
            &self.state_code,
            &self.postal_code,
            &self.country_code,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
            && self.line2.as_deref().is_none_or(|l| l.trim().is_empty())
    }

    pub fn validate(&self) -> Result<()> {
        let required = [
            ("name", &self.name),
            ("line1", &self.line1),
            ("city", &self.city),
            ("state_code", &self.state_code),
            ("postal_code", &self.postal_code),
        ];
        for (field, value) in required {
            if value.trim().is_empty() {
                return Err(Error::invalid(
                    &format!("address.{field}"),
                    "is empty; edit the address",
                ));
            }
        }
        let country = self.country_code.trim();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid(
                "address.country_code",
                format!("{country:?} is not a two-letter country code such as US"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> Address {
        Address {
            name: "Jane Doe".into(),
            line1: "12 Main St".into(),
            line2: None,
            city: "Springfield".into(),
            state_code: "IL".into(),
            postal_code: "62701".into(),
            country_code: "US".into(),
            phone: Some("+1 217 555 0100".into()),
        }
    }

    #[test]
    fn complete_address_is_valid() {
        assert!(address().validate().is_ok());
    }

    #[test]
    fn missing_fields_and_bad_country_are_named() {
        let mut a = address();
        a.city = " ".into();
        let message = a.validate().unwrap_err().to_string();
        assert!(message.contains("address.city"), "{message}");
        let mut b = address();
        b.country_code = "USA".into();
        assert!(b.validate().is_err());
    }
}
