//! What each `dealer` subcommand does: parse, call the engine, print.

mod activity;
mod channel;
mod export;
mod fulfillment;
mod orders;
mod sandbox;
mod session;
mod sku;
mod supplier;
mod sync;
mod tracking;

use anyhow::Result;
use dealer_core::keys::Unlock;
use dealer_core::scheduler::Plan;
use dealer_core::{Engine, OpenRequest};

use crate::args::{
    ChannelCommand, Cli, Command, DevCommand, OrdersCommand, SettingsCommand, SupplierCommand,
};

pub async fn run(cli: Cli, unlock: Unlock) -> Result<()> {
    // Checking a tracking number needs no data dir at all.
    if let Command::Tracking { command } = cli.command {
        return tracking::run(command);
    }
    let data_dir = dealer_core::paths::resolve_data_dir(cli.data_dir.as_deref())?;
    // The sandbox commands work on the sandbox's own state: no need to unlock the store.
    if let Command::Sandbox { command } = cli.command {
        return sandbox::run(command, &data_dir).await;
    }
    let engine = Engine::open(OpenRequest { data_dir, unlock }).await?;
    // Commands that talk to the stores or US Direct run inside the shared runtime.
    let command = match cli.command {
        Command::Sync { channel, json } => {
            return session::in_runtime(engine, async |runtime| {
                sync::run(runtime, channel.as_deref(), json).await
            })
            .await;
        }
        Command::Authorize { ids, json, no_wait } => {
            return session::in_runtime(engine, async |runtime| {
                fulfillment::authorize(runtime, &ids, json, no_wait).await
            })
            .await;
        }
        Command::Orders {
            command:
                OrdersCommand::Cancel {
                    id,
                    reason,
                    json,
                    no_wait,
                },
        } => {
            return session::in_runtime(engine, async |runtime| {
                orders::cancel(runtime, id, &reason, json, no_wait).await
            })
            .await;
        }
        Command::Channel {
            command: ChannelCommand::Test { name },
        } => {
            return session::in_runtime(engine, async |runtime| {
                channel::test(runtime, &name).await
            })
            .await;
        }
        Command::Sku { command } if sku::needs_us_direct(&command) => {
            return session::in_runtime(engine, async |runtime| {
                sku::with_us_direct(runtime, command).await
            })
            .await;
        }
        Command::Supplier {
            command: SupplierCommand::Test { json },
        } => {
            return session::in_runtime(engine, async |runtime| {
                supplier::test(runtime, json).await
            })
            .await;
        }
        other => other,
    };
    let result = match command {
        Command::Orders { command } => orders::run(&engine, command).await,
        Command::Export { command } => export::run(&engine, command).await,
        Command::Activity { json, limit } => activity::run(&engine, json, limit).await,
        Command::Channel { command } => channel::run(&engine, command).await,
        Command::Settings {
            command: SettingsCommand::Plan { plan },
        } => plan_setting(&engine, plan.as_deref()).await,
        Command::Settings {
            command: SettingsCommand::LateAfter { days },
        } => late_after_setting(&engine, days).await,
        Command::Settings {
            command:
                SettingsCommand::AutoAuthorize {
                    on,
                    off,
                    max_total,
                    no_max_total,
                    daily_cap,
                    no_daily_cap,
                    json,
                },
        } => {
            fulfillment::auto_authorize(
                &engine,
                fulfillment::AutoAuthorizeArgs {
                    on,
                    off,
                    max_total,
                    no_max_total,
                    daily_cap,
                    no_daily_cap,
                    json,
                },
            )
            .await
        }
        Command::Jobs { command } => fulfillment::jobs(&engine, command).await,
        Command::Sku { command } => sku::run(&engine, command).await,
        Command::Supplier { command } => supplier::run(&engine, command).await,
        Command::Status { json, check } => status(&engine, json, check).await,
        Command::Dev {
            command: DevCommand::Seed { orders, seed },
        } => {
            let total = engine.store().seed_orders(orders, seed).await?;
            println!("seeded {orders} orders; the store holds {total}");
            Ok(())
        }
        Command::Sync { .. }
        | Command::Authorize { .. }
        | Command::Sandbox { .. }
        | Command::Tracking { .. } => Ok(()),
    };
    engine.close().await;
    result
}

async fn plan_setting(engine: &Engine, plan: Option<&str>) -> Result<()> {
    if let Some(text) = plan {
        engine.set_plan(Plan::parse(text)?).await?;
    }
    let plan = engine.plan().await?;
    println!(
        "plan: {} (orders import every {} minutes)",
        plan.as_str(),
        plan.interval().as_secs() / 60
    );
    Ok(())
}

async fn late_after_setting(engine: &Engine, days: Option<u32>) -> Result<()> {
    if let Some(days) = days {
        engine.set_late_after_business_days(days).await?;
    }
    let days = engine.late_after_business_days().await?;
    println!("late after: {days} business days without tracking");
    Ok(())
}

async fn status(engine: &Engine, json: bool, check: bool) -> Result<()> {
    let orders = engine.store().count_orders().await?;
    let mode = engine.mode().await?;
    let mut report = serde_json::json!({
        "data_dir": engine.data_dir(),
        "key_source": engine.key_source(),
        "mode": mode,
        "orders": orders,
    });
    let integrity = if check {
        let verdict = engine.store().integrity_check().await?;
        report["integrity"] = serde_json::Value::String(verdict.clone());
        Some(verdict)
    } else {
        None
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("data dir:   {}", engine.data_dir().display());
        println!("key:        {:?}", engine.key_source());
        println!("mode:       {mode:?}");
        println!("orders:     {orders}");
        if let Some(verdict) = &integrity {
            println!("integrity:  {verdict}");
        }
    }
    if integrity.as_deref().is_some_and(|verdict| verdict != "ok") {
        anyhow::bail!("the store failed SQLite's integrity check; restore it from a backup");
    }
    Ok(())
}
