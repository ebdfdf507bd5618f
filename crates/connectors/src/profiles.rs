//! The engine's [`Platforms`]: a profile per store platform with what the engine must know
//! before it talks to a store (the shape of its URL and of its credentials). The profiles live
//! with their platforms' clients (`shopify::profile`, `woocommerce::profile`,
//! `bigcommerce::profile`), with the carrier names each platform expects.

use dealer_core::channel::{Credentials, Platform, Platforms};
use dealer_core::domain::ChannelKind;
use dealer_core::{Error, Result};

use crate::bigcommerce::profile::BigCommerce;
use crate::shopify::profile::Shopify;
use crate::woocommerce::profile::WooCommerce;

/// The profile of `kind`'s platform.
pub fn platform(kind: ChannelKind) -> &'static dyn Platform {
    match kind {
        ChannelKind::Shopify => &Shopify,
        ChannelKind::Woocommerce => &WooCommerce,
        ChannelKind::Bigcommerce => &BigCommerce,
    }
}

/// Every platform's profile, for the engine calls that check a store before it is saved
/// (`Engine::add_channel`, `Engine::update_channel`).
pub struct PlatformProfiles;

impl Platforms for PlatformProfiles {
    fn platform(&self, kind: ChannelKind) -> &dyn Platform {
        platform(kind)
    }
}

/// Shopify and BigCommerce: one access token, not blank.
pub(crate) fn one_token(credentials: &Credentials) -> Result<()> {
    match credentials {
        Credentials::Token(token) if token.expose().trim().is_empty() => {
            Err(Error::invalid("credentials", "the access token is empty"))
        }
        Credentials::Token(_) => Ok(()),
        Credentials::KeySecret { .. } => Err(Error::invalid(
            "credentials",
            "this store uses an access token, not a key and secret",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_profile() {
        for kind in [
            ChannelKind::Shopify,
            ChannelKind::Woocommerce,
            ChannelKind::Bigcommerce,
        ] {
            assert_eq!(PlatformProfiles.platform(kind).kind(), kind);
        }
    }
}
