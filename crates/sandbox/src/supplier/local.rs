//! The sandbox supplier of one state dir: the one already running for it (in another process,
//! found through `<state_dir>/supplier.addr`), or one started here, like
//! [`LocalSandbox`](crate::LocalSandbox) for the stores.

use std::path::{Path, PathBuf};

use super::{SandboxSupplier, SupplierOptions};
use crate::error::SandboxError;
use crate::local::{running_at, write_address, Address};

const ADDR_FILE: &str = "supplier.addr";

pub struct LocalSupplier {
    address: Address,
    addr_file: PathBuf,
    /// Set when this process serves the supplier.
    own: Option<SandboxSupplier>,
}

impl LocalSupplier {
    /// Attaches to the supplier serving `state_dir`, or starts one that saves there.
    pub async fn attach_or_start(state_dir: &Path) -> Result<Self, SandboxError> {
        let addr_file = state_dir.join(ADDR_FILE);
        if let Some(address) = running_at(&addr_file).await {
            tracing::debug!(url = %address.base_url, "using the running sandbox supplier");
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
        let supplier = SandboxSupplier::start(SupplierOptions {
            state_dir: Some(state_dir.to_path_buf()),
            ..SupplierOptions::default()
        })
        .await?;
        let address = advertise_supplier(&supplier, state_dir)?;
        Ok(Self {
            address,
            addr_file,
            own: Some(supplier),
        })
    }

    /// The contract's base URL (`…/v1`) a supplier client points at.
    pub fn url(&self) -> String {
        self.address.base_url.clone()
    }

    pub fn admin_url(&self) -> String {
        self.address.admin_url.clone()
    }

    /// The supplier, when this process serves it.
    pub fn own(&self) -> Option<&SandboxSupplier> {
        self.own.as_ref()
    }

    /// Stops the supplier if this process serves it.
    pub async fn stop(self) {
        if let Some(supplier) = self.own {
            let _ = std::fs::remove_file(&self.addr_file);
            supplier.stop().await;
        }
    }
}

/// Writes `<state_dir>/supplier.addr`, through which other processes find `supplier`
/// (serving `state_dir`) and use it instead of starting their own on the same state.
pub fn advertise_supplier(
    supplier: &SandboxSupplier,
    state_dir: &Path,
) -> Result<Address, SandboxError> {
    let address = Address {
        base_url: supplier.base_url(),
        admin_url: supplier.admin_url(),
    };
    write_address(&state_dir.join(ADDR_FILE), &address)?;
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_user_of_the_state_dir_uses_the_running_supplier() {
        let dir = tempfile::tempdir().unwrap();
        let first = LocalSupplier::attach_or_start(dir.path()).await.unwrap();
        let second = LocalSupplier::attach_or_start(dir.path()).await.unwrap();
        assert!(first.own().is_some());
        assert!(second.own().is_none(), "attached, not started");
        assert_eq!(first.url(), second.url());
        assert!(first.url().ends_with("/v1"));
        assert!(second.admin_url().ends_with("/_sandbox"));
        second.stop().await;
        first.stop().await;
        assert!(!dir.path().join(ADDR_FILE).exists());
        assert!(dir.path().join("supplier.json").is_file());

        let third = LocalSupplier::attach_or_start(dir.path()).await.unwrap();
        assert!(third.own().is_some(), "nobody served it, so it started one");
        third.stop().await;
    }
}
