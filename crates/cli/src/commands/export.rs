//! `dealer export …`: a CSV file written beside its destination and renamed into place
//! ([`PartialFile`]), so a failed export leaves the old file (or none), never half of a new one.

use std::fs::File;
use std::io::BufWriter;

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use dealer_core::domain::Environment;
use dealer_core::export::{day_start, ExportOptions, ExportSummary, PartialFile, Period};
use dealer_core::store::ListOrders;
use dealer_core::{Engine, Mode};

use crate::args::{EnvironmentArg, ExportCommand, ExportFile};

pub async fn run(engine: &Engine, command: ExportCommand) -> Result<()> {
    match command {
        ExportCommand::Orders {
            file,
            from,
            to,
            filter,
            environment,
        } => {
            let environment = environment_of(engine, environment).await?;
            let filter = ListOrders {
                environment: Some(environment),
                placed_from: from.map(day_start),
                placed_before: to.map(after_day).transpose()?,
                ..super::orders::list_filter(engine, filter).await?
            };
            write(&file, "orders", async |out, options| {
                Ok(engine.export_orders(&filter, out, options).await?)
            })
            .await
        }
        ExportCommand::Statement {
            file,
            month,
            from,
            to,
        } => {
            let period = match (month, from, to) {
                (Some(month), _, _) => month_period(&month)?,
                (None, Some(from), Some(to)) => Period {
                    from: day_start(from),
                    to: after_day(to)?,
                },
                _ => anyhow::bail!("give --month YYYY-MM, or --from and --to"),
            };
            write(&file, "invoices", async |out, options| {
                Ok(engine.export_statement(period, out, options).await?)
            })
            .await
        }
        ExportCommand::Shipments {
            file,
            environment,
            from,
            to,
        } => {
            let environment = environment_of(engine, environment).await?;
            let (from, to) = (day_start(from), after_day(to)?);
            write(&file, "shipments", async |out, options| {
                Ok(engine
                    .export_shipments(environment, from, to, out, options)
                    .await?)
            })
            .await
        }
    }
}

/// The environment asked for, else the one the window shows: Live once a store is connected.
async fn environment_of(engine: &Engine, asked: Option<EnvironmentArg>) -> Result<Environment> {
    Ok(match asked {
        Some(EnvironmentArg::Live) => Environment::Live,
        Some(EnvironmentArg::Sandbox) => Environment::Sandbox,
        None => match engine.mode().await? {
            Mode::Live => Environment::Live,
            Mode::Sandbox => Environment::Sandbox,
        },
    })
}

/// The start of the day after `day`: `--to` names the last day, included.
fn after_day(day: NaiveDate) -> Result<chrono::DateTime<chrono::Utc>> {
    let next = day
        .checked_add_days(Days::new(1))
        .with_context(|| format!("{day} is too far in the future"))?;
    Ok(day_start(next))
}

fn month_period(text: &str) -> Result<Period> {
    let bad = || format!("{text:?} is not a month; write it as YYYY-MM, e.g. 2026-11");
    let (year, month) = text.split_once('-').with_context(bad)?;
    let (year, month) = (
        year.parse::<i32>().ok().with_context(bad)?,
        month.parse::<u32>().ok().with_context(bad)?,
    );
    Period::month(year, month).with_context(bad)
}

/// Writes the export through [`PartialFile`]: a hidden file beside `file.output`, renamed over
/// it once whole.
async fn write(
    file: &ExportFile,
    what: &str,
    export: impl AsyncFnOnce(&mut BufWriter<File>, ExportOptions) -> Result<ExportSummary>,
) -> Result<()> {
    let output = &file.output;
    let written = async {
        let mut partial = PartialFile::create(output)?;
        let summary = export(partial.writer()?, ExportOptions { bom: file.bom }).await?;
        partial.commit()?;
        anyhow::Ok(summary)
    }
    .await
    .with_context(|| format!("the export to {} failed", output.display()))?;
    // "orders", "invoices", "shipments": one of them is the word without its "s".
    let what = if written.rows == 1 {
        what.strip_suffix('s').unwrap_or(what)
    } else {
        what
    };
    println!("wrote {} {what} to {}", written.rows, output.display());
    Ok(())
}
