//! `dealer sku …`: the SKU map, checked against US Direct's catalog. `map`, `match` and `import`
//! ask US Direct (inside the runtime, which brings up the sandbox US Direct beside the
//! dealer's account); the rest read and write the store only.

use std::ops::ControlFlow;

use anyhow::{bail, Context, Result};
use dealer_core::catalog::{ItemAnswer, LookupProgress};
use dealer_core::Engine;
use dealer_runtime::Runtime;

use crate::args::SkuCommand;

/// The commands that ask US Direct.
pub fn needs_us_direct(command: &SkuCommand) -> bool {
    matches!(
        command,
        SkuCommand::Map { .. } | SkuCommand::Match { .. } | SkuCommand::Import { .. }
    )
}

pub async fn with_us_direct(runtime: &Runtime, command: SkuCommand) -> Result<()> {
    let engine = runtime.engine();
    let suppliers = runtime.connector().suppliers(engine).await?;
    match command {
        SkuCommand::Map {
            store_sku,
            supplier_sku,
        } => {
            let mapping = engine
                .map_sku(&suppliers, &store_sku, &supplier_sku)
                .await?;
            println!(
                "{} → {} (US Direct carries it); orders waiting on it are routed again",
                mapping.store_sku, mapping.supplier_sku
            );
            Ok(())
        }
        SkuCommand::Match { json } => {
            let mut on_progress = progress_printer(json);
            let report = engine.match_seen_skus(&suppliers, &mut on_progress).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            for lookup in &report.lookups {
                match &lookup.answer {
                    ItemAnswer::Carried { item, .. } => {
                        println!("{:<24} carried: {}", lookup.sku, item.title)
                    }
                    ItemAnswer::NotCarried { .. } => {
                        println!("{:<24} not carried by US Direct", lookup.sku)
                    }
                    ItemAnswer::Failed { message } | ItemAnswer::NotAsked { message } => {
                        println!("{:<24} no answer: {message}", lookup.sku)
                    }
                }
            }
            println!(
                "US Direct carries {} of {} seen SKUs under the same SKU ({} not carried, {} \
                 not answered){}",
                report.carried,
                report.lookups.len(),
                report.not_carried,
                report.unanswered,
                if report.carried > 0 {
                    "; map them with `dealer sku confirm --all`"
                } else {
                    ""
                }
            );
            if report.unanswered > 0 {
                println!("run `dealer sku match` again to ask about the rest");
            }
            Ok(())
        }
        SkuCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let mut on_progress = progress_printer(false);
            let imported = engine
                .import_sku_map_csv(&suppliers, &text, &mut on_progress)
                .await?;
            println!(
                "mapped {} rows from {}; {} waiting orders routed again",
                imported.mapped,
                file.display(),
                imported.routed_again
            );
            Ok(())
        }
        other => run(engine, other).await,
    }
}

pub async fn run(engine: &Engine, command: SkuCommand) -> Result<()> {
    match command {
        SkuCommand::List { json } => {
            let map = engine.store().sku_map().await?;
            let waiting = engine.store().unmapped_skus().await?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "mappings": map, "unmapped": waiting })
                    )?
                );
                return Ok(());
            }
            for mapping in map {
                println!("{:<24} → {}", mapping.store_sku, mapping.supplier_sku);
            }
            if !waiting.is_empty() {
                println!("orders wait on these unmapped SKUs: {}", waiting.join(", "));
            }
            Ok(())
        }
        SkuCommand::Remove { store_sku } => {
            engine.store().remove_sku_mapping(&store_sku).await?;
            println!("{store_sku} is no longer mapped");
            Ok(())
        }
        SkuCommand::Seen { json } => {
            let seen = engine.seen_skus().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&seen)?);
                return Ok(());
            }
            if seen.is_empty() {
                println!("every SKU seen in orders is mapped");
            }
            for sku in &seen {
                let answer = match &sku.us_direct {
                    None => "not matched yet".to_string(),
                    Some(a) if a.carried => {
                        format!("US Direct carries it: {}", a.title.as_deref().unwrap_or(""))
                    }
                    Some(_) => "US Direct does not carry it".to_string(),
                };
                println!(
                    "{:<24} {:>5} orders {:>5} lines {:>5} waiting  {answer}",
                    sku.store_sku, sku.orders, sku.lines, sku.waiting_orders
                );
            }
            Ok(())
        }
        SkuCommand::Confirm { all, skus } => {
            let mapped = if all {
                engine.confirm_sku_matches(None).await?
            } else {
                engine.confirm_sku_matches(Some(&skus)).await?
            };
            if mapped.is_empty() {
                bail!(
                    "no match to confirm: run `dealer sku match` first; it finds the seen SKUs \
                     US Direct carries"
                );
            }
            for mapping in &mapped {
                println!("{} → {}", mapping.store_sku, mapping.supplier_sku);
            }
            println!(
                "mapped {} SKUs; orders waiting on them are routed again",
                mapped.len()
            );
            Ok(())
        }
        SkuCommand::Export { file } => {
            let csv = engine.export_sku_map_csv().await?;
            std::fs::write(&file, &csv).with_context(|| format!("writing {}", file.display()))?;
            let rows = csv.lines().count().saturating_sub(1);
            println!("wrote {rows} mappings to {}", file.display());
            Ok(())
        }
        SkuCommand::Map { .. } | SkuCommand::Match { .. } | SkuCommand::Import { .. } => Ok(()),
    }
}

/// Tells the terminal how a long look-up goes (500 SKUs take about 4 minutes at 2 a second).
fn progress_printer(quiet: bool) -> impl FnMut(LookupProgress) -> ControlFlow<()> + Send {
    move |progress: LookupProgress| {
        if !quiet
            && progress.asked > 0
            && (progress.done.is_multiple_of(20) || progress.done == progress.total)
        {
            eprintln!(
                "asked US Direct about {} of {} SKUs…",
                progress.done, progress.total
            );
        }
        ControlFlow::Continue(())
    }
}
