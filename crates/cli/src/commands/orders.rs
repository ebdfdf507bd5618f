//! `dealer orders …`

use anyhow::{Context, Result};
use dealer_core::domain::{Currency, Money};
use dealer_core::lifecycle::OrderStatus;
use dealer_core::store::ListOrders;
use dealer_core::Engine;

use crate::args::OrdersCommand;

pub async fn run(engine: &Engine, command: OrdersCommand) -> Result<()> {
    match command {
        OrdersCommand::List {
            json,
            status,
            limit,
        } => list(engine, json, status.as_deref(), limit).await,
    }
}

async fn list(engine: &Engine, json: bool, status: Option<&str>, limit: Option<u32>) -> Result<()> {
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
                ..Default::default()
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
        let total = Money::new(order.total_minor, Currency::parse(&order.currency)?);
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
