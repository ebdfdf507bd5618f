//! `dealer sandbox …`: run the sandbox servers, place test orders.

use std::path::Path;

use anyhow::{Context, Result};
use dealer_core::domain::ChannelKind;
use dealer_sandbox::{
    Hostility, LocalSandbox, PlaceOrder, Poison, Sandbox, SandboxOptions, SandboxPayment, StoreKind,
};

use super::channel::channel_kind;
use crate::args::{Kind, Payment, SandboxCommand};

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
            payment,
            skus,
        } => {
            let (sandbox, kind) = attach(kind, state_dir, data_dir).await?;
            let mut order = PlaceOrder::test_order();
            if !skus.is_empty() {
                order.lines = skus
                    .iter()
                    .map(|sku| dealer_sandbox::store_line(sku))
                    .collect();
            }
            let order = sandbox
                .place_order_with_payment(order, sandbox_payment(payment))
                .await;
            sandbox.stop().await;
            let order = order?;
            println!(
                "placed sandbox order #{} (id {}) in the {} sandbox store",
                order.number,
                order.id,
                serde_json::to_value(kind)?.as_str().unwrap_or_default()
            );
            Ok(())
        }
        SandboxCommand::Poison { case, state_dir } => {
            let poison = match case.trim() {
                "off" | "none" => None,
                name => Some(Poison::parse(name).ok_or_else(|| {
                    let known: Vec<&str> = Poison::ALL.iter().map(|p| p.as_str()).collect();
                    anyhow::anyhow!(
                        "no poison case {name:?}; one of {}, or off",
                        known.join(", ")
                    )
                })?),
            };
            let state_dir = state_dir.unwrap_or_else(|| data_dir.join("sandbox"));
            for line in dealer_sandbox::set_poison(&state_dir, poison).await? {
                println!("{line}");
            }
            Ok(())
        }
        SandboxCommand::Hostile {
            case,
            channel_kind: kind,
            state_dir,
        } => {
            let case: Hostility = case.parse().map_err(anyhow::Error::msg)?;
            let (sandbox, kind) = attach(kind, state_dir, data_dir).await?;
            if sandbox.serves_here() {
                sandbox.stop().await;
                anyhow::bail!(
                    "no sandbox store is running for this data dir: start one with `dealer \
                     sandbox serve` (a hostile setting lasts as long as the store serving it)"
                );
            }
            let set = sandbox.set_hostility(case).await;
            sandbox.stop().await;
            set?;
            let store = serde_json::to_value(kind)?;
            println!(
                "the {} sandbox store is now {}",
                store.as_str().unwrap_or_default(),
                if case == Hostility::Off {
                    "well-behaved".to_string()
                } else {
                    format!("hostile: {case}")
                }
            );
            Ok(())
        }
        SandboxCommand::SetPayment {
            id,
            payment,
            channel_kind: kind,
            state_dir,
        } => {
            let (sandbox, _) = attach(kind, state_dir, data_dir).await?;
            let order = sandbox.set_payment(id, sandbox_payment(payment)).await;
            sandbox.stop().await;
            let order = order?;
            println!(
                "sandbox order #{} (id {}) is now {}; the next sync brings it in",
                order.number,
                order.id,
                serde_json::to_value(order.payment)?
                    .as_str()
                    .unwrap_or_default()
                    .replace('_', " ")
            );
            Ok(())
        }
    }
}

/// The sandbox store of `kind` (the app's own Shopify one by default) for the data dir.
async fn attach(
    kind: Option<Kind>,
    state_dir: Option<std::path::PathBuf>,
    data_dir: &Path,
) -> Result<(LocalSandbox, StoreKind)> {
    let state_dir = state_dir.unwrap_or_else(|| data_dir.join("sandbox"));
    let kind = match kind.map(channel_kind) {
        None | Some(ChannelKind::Shopify) => StoreKind::Shopify,
        Some(ChannelKind::Woocommerce) => StoreKind::Woocommerce,
        Some(ChannelKind::Bigcommerce) => StoreKind::Bigcommerce,
    };
    Ok((
        LocalSandbox::attach_or_start_kind(&state_dir, kind).await?,
        kind,
    ))
}

fn sandbox_payment(payment: Payment) -> SandboxPayment {
    match payment {
        Payment::Paid => SandboxPayment::Paid,
        Payment::Unpaid => SandboxPayment::Unpaid,
        Payment::HighRisk => SandboxPayment::HighRisk,
    }
}
