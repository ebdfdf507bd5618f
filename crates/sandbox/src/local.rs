//! The sandbox store of one data dir, as the app and the CLI use it in Sandbox mode: the one
//! already running for that data dir (in another process, found through its address file), or
//! one started here. One process serves a state dir at a time; others drive it over `/_sandbox`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::model::{PlaceOrder, SandboxOrder, SandboxPayment, StoreKind};
use crate::store::{SandboxOptions, SandboxStore};

/// Where a running sandbox store answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct Address {
    pub base_url: String,
    pub admin_url: String,
}

pub struct LocalSandbox {
    address: Address,
    addr_file: PathBuf,
    /// Set when this process serves the store.
    own: Option<SandboxStore>,
}

impl LocalSandbox {
    /// The Shopify-format store the app's Sandbox uses.
    pub async fn attach_or_start(state_dir: &Path) -> Result<Self, SandboxError> {
        Self::attach_or_start_kind(state_dir, StoreKind::Shopify).await
    }

    pub async fn attach_or_start_kind(
        state_dir: &Path,
        kind: StoreKind,
    ) -> Result<Self, SandboxError> {
        let addr_file = state_dir.join(format!("{}.addr", kind.as_str()));
        if let Some(address) = running_at(&addr_file).await {
            tracing::debug!(url = %address.base_url, "using the running sandbox store");
            return Ok(Self {
                address,
                addr_file,
                own: None,
            });
        }
        std::fs::create_dir_all(state_dir).map_err(|source| SandboxError::StateIo {
            path: state_dir.to_path_buf(),
            source,
        })?;
        let store = SandboxStore::start(
            kind,
            SandboxOptions {
                state_dir: Some(state_dir.to_path_buf()),
                ..Default::default()
            },
        )
        .await?;
        let address = advertise(&store, state_dir)?;
        Ok(Self {
            address,
            addr_file,
            own: Some(store),
        })
    }

    /// The store URL a channel points at.
    pub fn url(&self) -> String {
        self.address.base_url.clone()
    }

    /// Places an order as a shopper would.
    pub async fn place_order(&self, order: PlaceOrder) -> Result<SandboxOrder, SandboxError> {
        self.place_order_with_payment(order, SandboxPayment::Paid)
            .await
    }

    /// Places an order whose payment is `payment` (unpaid, or flagged as a fraud risk).
    pub async fn place_order_with_payment(
        &self,
        order: PlaceOrder,
        payment: SandboxPayment,
    ) -> Result<SandboxOrder, SandboxError> {
        if let Some(store) = &self.own {
            return Ok(store.place_order_with_payment(order, payment));
        }
        let mut body = serde_json::to_value(&order).map_err(|err| self.remote(err.to_string()))?;
        body["payment"] =
            serde_json::to_value(payment).map_err(|err| self.remote(err.to_string()))?;
        self.post("orders", &body).await
    }

    /// The payment of order `id` changes (the shopper paid, or the store cleared the risk).
    pub async fn set_payment(
        &self,
        id: u64,
        payment: SandboxPayment,
    ) -> Result<SandboxOrder, SandboxError> {
        if let Some(store) = &self.own {
            return store.set_payment(id, payment);
        }
        let body = serde_json::json!({ "payment": payment });
        self.post(&format!("orders/{id}/payment"), &body).await
    }

    /// Whether this process serves the store (no other process was serving its state dir).
    pub fn serves_here(&self) -> bool {
        self.own.is_some()
    }

    /// Makes the store hostile in one way, or well-behaved again (see [`crate::hostile`]).
    pub async fn set_hostility(&self, case: crate::Hostility) -> Result<(), SandboxError> {
        if let Some(store) = &self.own {
            store.set_hostility(case);
            return Ok(());
        }
        let response = client()
            .put(format!("{}/hostile", self.address.admin_url))
            .json(&crate::hostile::HostileSetting { case })
            .send()
            .await
            .map_err(|err| self.remote(err.to_string()))?;
        if !response.status().is_success() {
            let status = response.status();
            let detail = response.text().await.unwrap_or_default();
            return Err(self.remote(format!("HTTP {status}: {detail}")));
        }
        Ok(())
    }

    fn remote(&self, detail: String) -> SandboxError {
        SandboxError::Remote {
            url: self.address.admin_url.clone(),
            detail,
        }
    }

    async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<SandboxOrder, SandboxError> {
        let response = client()
            .post(format!("{}/{path}", self.address.admin_url))
            .json(body)
            .send()
            .await
            .map_err(|err| self.remote(err.to_string()))?;
        if !response.status().is_success() {
            let status = response.status();
            let detail = response.text().await.unwrap_or_default();
            return Err(self.remote(format!("HTTP {status}: {detail}")));
        }
        response
            .json::<SandboxOrder>()
            .await
            .map_err(|err| self.remote(err.to_string()))
    }

    /// Stops the store if this process serves it.
    pub async fn stop(self) {
        if let Some(store) = self.own {
            let _ = std::fs::remove_file(&self.addr_file);
            store.stop().await;
        }
    }
}

/// Writes the address file through which other processes find `store`, serving `state_dir`,
/// and drive it instead of starting their own on the same state.
pub fn advertise(store: &SandboxStore, state_dir: &Path) -> Result<Address, SandboxError> {
    let addr_file = state_dir.join(format!("{}.addr", store.kind().as_str()));
    let address = Address {
        base_url: store.base_url(),
        admin_url: store.admin_url(),
    };
    write_address(&addr_file, &address)?;
    Ok(address)
}

/// Writes `address` to `addr_file` as JSON.
pub(crate) fn write_address(addr_file: &Path, address: &Address) -> Result<(), SandboxError> {
    let text = serde_json::to_string(address).map_err(|source| SandboxError::StateFormat {
        path: addr_file.to_owned(),
        source,
    })?;
    std::fs::write(addr_file, text).map_err(|source| SandboxError::StateIo {
        path: addr_file.to_owned(),
        source,
    })
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default()
}

/// The address in `addr_file`, if a sandbox server answers there (on `{admin_url}/stats`).
pub(crate) async fn running_at(addr_file: &Path) -> Option<Address> {
    let text = std::fs::read_to_string(addr_file).ok()?;
    let address: Address = serde_json::from_str(&text).ok()?;
    let alive = client()
        .get(format!("{}/stats", address.admin_url))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .map(|response| response.status().is_success())
        .unwrap_or(false);
    alive.then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_user_of_the_state_dir_drives_the_running_store() {
        let dir = tempfile::tempdir().unwrap();
        let first = LocalSandbox::attach_or_start(dir.path()).await.unwrap();
        let second = LocalSandbox::attach_or_start(dir.path()).await.unwrap();
        assert!(second.own.is_none(), "attached, not started");
        assert_eq!(first.url(), second.url());
        let placed = second.place_order(PlaceOrder::test_order()).await.unwrap();
        let own = first.own.as_ref().unwrap();
        assert!(own.orders().iter().any(|o| o.id == placed.id));
        second.stop().await;
        first.stop().await;
        assert!(!dir.path().join("shopify.addr").exists());

        // With nobody serving, a new user starts its own and finds the saved order.
        let third = LocalSandbox::attach_or_start(dir.path()).await.unwrap();
        assert!(third
            .own
            .as_ref()
            .unwrap()
            .orders()
            .iter()
            .any(|o| o.id == placed.id));
        third.stop().await;
    }
}
