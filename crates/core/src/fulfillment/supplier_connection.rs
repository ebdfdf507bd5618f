//! Where US Direct is reached for live orders: the API base URL in the settings, the token in
//! the keyring.

use serde::Serialize;

use crate::settings::{self, SupplierUrl};
use crate::{Engine, Error, Result};

/// Where US Direct is reached for live orders. The token is in the keyring, never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierConnection {
    /// The API base URL, when US Direct is connected.
    pub url: Option<String>,
    /// A token is saved in the keyring.
    pub has_token: bool,
}

impl Engine {
    /// Connects US Direct for live orders: an HTTPS API base URL (plain http only on loopback)
    /// and the API token, which goes to the keyring.
    pub fn validate_supplier_url(url: &str) -> Result<String> {
        crate::channel::validate_web_url(url).map_err(|err| match err {
            Error::InvalidInput { message, .. } => Error::invalid(
                "supplier_url",
                message.replace("a store must", "US Direct must"),
            ),
            other => other,
        })
    }

    pub async fn connect_supplier(
        &self,
        url: &str,
        token: &crate::secret::Sensitive<String>,
    ) -> Result<SupplierConnection> {
        let url = Self::validate_supplier_url(url)?;
        crate::credentials::save_supplier_token(self.keyring(), self.store_id(), token)?;
        settings::set(self.store().pool(), &SupplierUrl(Some(url.clone()))).await?;
        tracing::info!(%url, "US Direct connected");
        self.supplier_connection().await
    }

    pub async fn supplier_connection(&self) -> Result<SupplierConnection> {
        let SupplierUrl(url) = settings::get(self.store().pool()).await?;
        let has_token = match url {
            Some(_) => {
                crate::credentials::load_supplier_token(self.keyring(), self.store_id())?.is_some()
            }
            None => false,
        };
        Ok(SupplierConnection { url, has_token })
    }
}
