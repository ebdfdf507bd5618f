//! What each `dealer` subcommand does: parse, call the engine, print.

use anyhow::{Context, Result};
use dealer_core::keys::Unlock;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;
use dealer_core::{Engine, OpenRequest};

use crate::{Cli, Command, DevCommand, OrdersCommand};

pub async fn run(cli: Cli) -> Result<()> {
    let data_dir = dealer_core::paths::resolve_data_dir(cli.data_dir.as_deref())?;
    let engine = Engine::open(OpenRequest {
        data_dir,
        unlock: Unlock::from_env(),
    })
    .await?;
    let result = match cli.command {
        Command::Orders {
            command:
                OrdersCommand::List {
                    json,
                    status,
                    limit,
                },
        } => list_orders(&engine, json, status.as_deref(), limit).await,
        Command::Status { json } => status(&engine, json).await,
        Command::Dev {
            command: DevCommand::Seed { orders, seed },
        } => {
            let total = engine.store().seed_orders(orders, seed).await?;
            println!("seeded {orders} orders; the store holds {total}");
            Ok(())
        }
    };
    engine.close().await;
    result
}

async fn list_orders(
    engine: &Engine,
    json: bool,
    status: Option<&str>,
    limit: Option<u32>,
) -> Result<()> {
    let status = status
        .map(|text| {
            OrderStatus::parse(text).with_context(|| {
                let known: Vec<_> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown status {text:?}; use one of {}", known.join(", "))
            })
        })
        .transpose()?;
    let mut orders = Vec::new();
    let wanted = limit.map_or(usize::MAX, |n| n as usize);
    while orders.len() < wanted {
        let page_size = (wanted - orders.len()).min(1000) as u32;
        let page = engine
            .store()
            .list_orders(&ListOrders {
                status,
                limit: page_size,
                offset: orders.len() as u32,
            })
            .await?;
        let done = page.len() < page_size as usize;
        orders.extend(page);
        if done {
            break;
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&orders)?);
        return Ok(());
    }
    println!(
        "{:>7}  {:<10}  {:<24}  {:<24}  {:>12}  placed at",
        "id", "number", "customer", "status", "total"
    );
    for order in &orders {
        let total = dealer_core::domain::Money::new(
            order.total_minor,
            dealer_core::domain::Currency::parse(&order.currency)?,
        );
        println!(
            "{:>7}  {:<10}  {:<24}  {:<24}  {:>12}  {}",
            order.id,
            order.number,
            order.customer_name,
            order.status.as_str(),
            total.to_string(),
            order.placed_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    println!("{} orders", orders.len());
    Ok(())
}

async fn status(engine: &Engine, json: bool) -> Result<()> {
    let orders = engine.store().count_orders().await?;
    let mode = engine.mode().await?;
    let report = serde_json::json!({
        "data_dir": engine.data_dir(),
        "key_source": engine.key_source(),
        "mode": mode,
        "orders": orders,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("data dir:   {}", engine.data_dir().display());
        println!("key:        {:?}", engine.key_source());
        println!("mode:       {mode:?}");
        println!("orders:     {orders}");
    }
    Ok(())
}
