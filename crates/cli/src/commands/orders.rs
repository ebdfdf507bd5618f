//! `dealer orders …`

use anyhow::{Context, Result};
use dealer_core::domain::{Actor, Currency, Environment, LineDestination, Money};
use dealer_core::fulfillment::CancelResult;
use dealer_core::lifecycle::OrderStatus;
use dealer_core::outbox::{JobKind, JobState};
use dealer_core::store::{ListOrders, OrderFlag};
use dealer_core::Engine;
use dealer_runtime::{Runtime, JOB_WAIT};

use super::session::report_jobs;

use crate::args::{FlagArg, OrderFilter, OrdersCommand};

pub async fn run(engine: &Engine, command: OrdersCommand) -> Result<()> {
    match command {
        OrdersCommand::Show { id, json } => show(engine, id, json).await,
        OrdersCommand::List {
            json,
            filter,
            limit,
        } => list(engine, json, list_filter(engine, filter).await?, limit).await,
        OrdersCommand::Release { id } => release(engine, id).await,
        // Runs in the shared runtime (it tells the store and US Direct): see `commands::run`.
        OrdersCommand::Cancel { .. } => {
            anyhow::bail!("dealer orders cancel runs in the runtime")
        }
    }
}

/// `dealer orders cancel ID --reason …`: cancelled here at once; then, unless `no_wait`, the
/// store's and US Direct's cancellations run and what each did is printed.
pub async fn cancel(
    runtime: &Runtime,
    id: i64,
    reason: &str,
    json: bool,
    no_wait: bool,
) -> Result<()> {
    let engine = runtime.engine();
    let outcome = engine.cancel_order(id, reason, Actor::Dealer).await?;
    if !no_wait && outcome.result == CancelResult::Cancelled {
        report_jobs(&runtime.run_jobs(Some(id), JOB_WAIT).await?);
    }
    let order = engine.store().order_detail(id).await?;
    let jobs: Vec<_> = order
        .jobs
        .iter()
        .filter(|job| {
            matches!(
                job.kind,
                JobKind::CancelStoreOrder | JobKind::CancelSupplierOrder
            )
        })
        .collect();
    if json {
        let report = serde_json::json!({
            "order_id": outcome.order_id,
            "number": outcome.number,
            "result": outcome.result,
            "message": outcome.message,
            "status": order.status,
            "jobs": jobs,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("{}", outcome.message);
    for job in jobs {
        let what = match job.kind {
            JobKind::CancelStoreOrder => "in your store",
            _ => "at US Direct",
        };
        let state = match (job.state, &job.last_error) {
            (JobState::Succeeded, _) => "done".to_string(),
            (_, Some(error)) => format!("{}: {error}", job.state.as_str()),
            (state, None) => state.as_str().to_string(),
        };
        println!("  cancel {what}: {state}");
    }
    Ok(())
}

async fn release(engine: &Engine, id: i64) -> Result<()> {
    let order = engine.release_hold(id, Actor::Dealer).await?;
    println!(
        "Order {} released: {}",
        order.number,
        order.status.as_str().replace('_', " ")
    );
    if let Some(attention) = &order.attention {
        println!("needs attention: {}", attention.reason);
    }
    Ok(())
}

/// The Orders list's query for the filters given on the command line.
pub async fn list_filter(engine: &Engine, filter: OrderFilter) -> Result<ListOrders> {
    let status = filter
        .status
        .map(|text| {
            OrderStatus::parse(&text).with_context(|| {
                let known: Vec<_> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown status {text:?}; use one of {}", known.join(", "))
            })
        })
        .transpose()?;
    let channel_id = match filter.channel {
        Some(name) => Some(super::channel::find(engine, &name).await?.id),
        None => None,
    };
    Ok(ListOrders {
        status,
        channel_id,
        flag: filter.flag.map(|flag| match flag {
            FlagArg::Late => OrderFlag::Late,
            FlagArg::Stuck => OrderFlag::Stuck,
            FlagArg::NeedsYou => OrderFlag::NeedsYou,
        }),
        search: filter.search,
        ..Default::default()
    })
}

async fn list(engine: &Engine, json: bool, filter: ListOrders, limit: Option<u32>) -> Result<()> {
    let mut orders = Vec::new();
    let wanted = limit.map_or(usize::MAX, |n| n as usize);
    while orders.len() < wanted {
        let page_size = (wanted - orders.len()).min(1000) as u32;
        let page = engine
            .store()
            .list_orders(&ListOrders {
                limit: page_size,
                offset: orders.len() as u32,
                ..filter.clone()
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
            "{:>7}  {:<10}  {:<24}  {:<24}  {:>12}  {}{}",
            order.id,
            order.number,
            order.customer_name,
            order.status.as_str(),
            total.to_string(),
            order.placed_at.format("%Y-%m-%d %H:%M UTC"),
            match order.environment {
                Environment::Sandbox => "  (sandbox)",
                Environment::Live => "",
            }
        );
    }
    println!("{} orders", orders.len());
    Ok(())
}

async fn show(engine: &Engine, id: i64, json: bool) -> Result<()> {
    let order = engine.store().order_detail(id).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&order)?);
        return Ok(());
    }
    let money = |minor: i64, currency: &str| match Currency::parse(currency) {
        Ok(currency) => Money::new(minor, currency).to_string(),
        Err(_) => format!("{minor} ({currency})"),
    };
    let cur = order.currency.as_str();
    println!(
        "Order {} ({}), {}",
        order.number,
        order.channel,
        order.status.as_str().replace('_', " ")
    );
    if order.environment == Environment::Sandbox {
        println!("Sandbox order: a rehearsal with the sandbox US Direct; no real money moves");
    }
    println!("placed {}", order.placed_at.format("%Y-%m-%d %H:%M UTC"));
    println!(
        "customer: {}{}",
        order.customer_name,
        order
            .customer_email
            .as_deref()
            .map(|e| format!(" <{e}>"))
            .unwrap_or_default()
    );
    let ship = &order.ship_to;
    if ship.is_blank() {
        println!("ship to:  no shipping address (a digital product or a pickup)");
    } else {
        println!(
            "ship to:  {}, {}{}, {}, {} {}, {}{}",
            ship.name,
            ship.line1,
            ship.line2
                .as_deref()
                .map(|l| format!(", {l}"))
                .unwrap_or_default(),
            ship.city,
            ship.state_code,
            ship.postal_code,
            ship.country_code,
            ship.phone
                .as_deref()
                .map(|p| format!(" ☎ {p}"))
                .unwrap_or_default()
        );
    }
    for line in &order.lines {
        println!(
            "  {:>3} × {:<12} {:<36} {:>12}{}",
            line.quantity,
            if line.sku.is_empty() {
                "(no SKU)"
            } else {
                line.sku.as_str()
            },
            line.title,
            money(line.unit_price_minor, cur),
            match (line.destination, line.supplier_sku.as_deref()) {
                (LineDestination::UsDirect, Some(sku)) => format!("  → US Direct {sku}"),
                (destination, _) => format!("  → {}", destination.label()),
            }
        );
    }
    println!(
        "subtotal {}  shipping {}  tax {}  total {}",
        money(order.subtotal_minor, cur),
        money(order.shipping_minor, cur),
        money(order.tax_minor, cur),
        money(order.total_minor, cur)
    );
    println!(
        "store payment: {}{}",
        order.store_payment.summary(),
        if order.payment_hold_released {
            " (released by you)"
        } else {
            ""
        }
    );
    if let Some(invoice) = &order.supplier {
        println!(
            "US Direct order {}: items {} + shipping {} = {} (payment {}){}",
            invoice.order_id,
            money(invoice.product_cost_minor, &invoice.currency),
            money(invoice.shipping_cost_minor, &invoice.currency),
            money(invoice.total_cost_minor, &invoice.currency),
            invoice
                .payment_status
                .map_or("unknown".into(), |p| format!("{p:?}").to_lowercase()),
            order
                .margin_minor
                .map(|m| format!("; margin {}", money(m, cur)))
                .unwrap_or_default()
        );
    }
    if let Some(attention) = &order.attention {
        println!("needs attention: {}", attention.reason);
    }
    for shipment in &order.shipments {
        println!(
            "shipped {} {} {}{}",
            shipment.shipped_at.format("%Y-%m-%d %H:%M"),
            shipment.carrier,
            shipment.tracking_number,
            shipment
                .tracking_url
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default()
        );
    }
    println!("timeline:");
    for event in &order.events {
        println!(
            "  {}  {:<22} {:<9} {}",
            event.at.format("%Y-%m-%d %H:%M:%S"),
            match event.from {
                Some(from) if from != event.to =>
                    format!("{} → {}", from.as_str(), event.to.as_str()),
                _ => event.to.as_str().to_string(),
            },
            event.actor.as_str(),
            event.detail
        );
    }
    Ok(())
}
