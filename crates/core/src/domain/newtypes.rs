//! Identifiers that validate when they are made, so the rest of the engine can trust them.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(value: String) -> Result<Self> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_newtype!(
    /// A stock keeping unit as the store sends it: 1–64 printable characters, no spaces.
    Sku
);

impl Sku {
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.is_empty() || text.len() > 64 {
            return Err(Error::invalid("sku", "a SKU has 1 to 64 characters"));
        }
        if !text.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::invalid(
                "sku",
                format!("{text:?} has spaces or characters a SKU cannot hold"),
            ));
        }
        Ok(Self(text.to_string()))
    }
}

string_newtype!(
    /// The order's id in its sales channel (Shopify GID, WooCommerce or BigCommerce number).
    ChannelOrderId
);

impl ChannelOrderId {
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.is_empty() || text.len() > 128 || text.chars().any(char::is_control) {
            return Err(Error::invalid(
                "channel_order_id",
                format!("{text:?} is not an order id"),
            ));
        }
        Ok(Self(text.to_string()))
    }
}

string_newtype!(
    /// An email address, checked for the shape `local@domain.tld` (the store already verified
    /// that it receives mail).
    Email
);

impl Email {
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let valid = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && match text.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(Error::invalid(
                "email",
                format!("{text:?} is not an email address"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_rules() {
        assert_eq!(Sku::parse(" USD-1042 ").unwrap().as_str(), "USD-1042");
        assert!(Sku::parse("").is_err());
        assert!(Sku::parse("two words").is_err());
        assert!(Sku::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn email_rules() {
        assert_eq!(
            Email::parse("Jane.Doe@Example.com").unwrap().as_str(),
            "jane.doe@example.com"
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "a b@c.de",
            "a@b@c.de",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn channel_order_id_rules() {
        assert!(ChannelOrderId::parse("gid://shopify/Order/1001").is_ok());
        assert!(ChannelOrderId::parse("  ").is_err());
        assert!(ChannelOrderId::parse("12\n3").is_err());
    }

    #[test]
    fn deserializing_validates() {
        let parsed: std::result::Result<Sku, _> = serde_json::from_str("\"has space\"");
        assert!(parsed.is_err());
    }
}
