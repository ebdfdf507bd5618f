//! `dealer sandbox …`: run the sandbox servers, place test orders.

use std::path::Path;

use anyhow::{Context, Result};
use dealer_core::domain::ChannelKind;
use dealer_sandbox::{LocalSandbox, PlaceOrder, Sandbox, SandboxOptions, StoreKind};

use super::channel::channel_kind;
use crate::args::SandboxCommand;

pub async fn run(command: SandboxCommand, data_dir: &Path) -> Result<()> {
    match command {
        SandboxCommand::Serve {
            state_dir,
            addr_file,
            supplier_token,
        } => {
            let sandbox = Sandbox::start_all(SandboxOptions {
                state_dir: Some(state_dir.clone()),
                ..Default::default()
            })
            .await?;
            if let Some(token) = &supplier_token {
                sandbox.supplier.set_token(token);
            }
            // Other processes (`dealer sandbox place-order --state-dir`, the app's supplier
            // client) find the stores and the supplier here.
            for kind in StoreKind::ALL {
                dealer_sandbox::advertise(sandbox.store(kind), &state_dir)?;
            }
            dealer_sandbox::advertise_supplier(&sandbox.supplier, &state_dir)?;
            let urls = serde_json::to_string_pretty(&sandbox.urls_json())?;
            std::fs::write(&addr_file, &urls)
                .with_context(|| format!("writing {}", addr_file.display()))?;
            println!("{urls}");
            eprintln!("sandbox stores and supplier running; Ctrl+C stops them");
            tokio::signal::ctrl_c().await?;
            for kind in StoreKind::ALL {
                let _ = std::fs::remove_file(state_dir.join(format!("{}.addr", kind.as_str())));
            }
            let _ = std::fs::remove_file(state_dir.join("supplier.addr"));
            sandbox.stop().await;
            Ok(())
        }
        SandboxCommand::PlaceOrder {
            channel_kind: kind,
            state_dir,
        } => {
            let state_dir = state_dir.unwrap_or_else(|| data_dir.join("sandbox"));
            let kind = match kind.map(channel_kind) {
                None | Some(ChannelKind::Shopify) => StoreKind::Shopify,
                Some(ChannelKind::Woocommerce) => StoreKind::Woocommerce,
                Some(ChannelKind::Bigcommerce) => StoreKind::Bigcommerce,
            };
            let sandbox = LocalSandbox::attach_or_start_kind(&state_dir, kind).await?;
            let order = sandbox.place_order(PlaceOrder::test_order()).await?;
            sandbox.stop().await;
            println!(
                "placed sandbox order #{} (id {}) in the {} sandbox store",
                order.number,
                order.id,
                serde_json::to_value(kind)?.as_str().unwrap_or_default()
            );
            Ok(())
        }
    }
}
