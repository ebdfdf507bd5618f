//! `dealer authorize`, `dealer jobs …` and `dealer settings auto-authorize`.

use anyhow::{bail, Context, Result};
use dealer_core::domain::{Actor, Currency, Money};
use dealer_core::fulfillment::{AuthorizeResult, AutoAuthorize, AutoAuthorizeStatus};
use dealer_core::Engine;

use dealer_runtime::{Runtime, JOB_WAIT};

use super::session::report_jobs;
use crate::args::JobsCommand;

pub async fn authorize(runtime: &Runtime, ids: &[i64], json: bool, no_wait: bool) -> Result<()> {
    let engine = runtime.engine();
    let outcomes = engine.authorize(ids, Actor::Dealer).await?;
    if !no_wait {
        for outcome in &outcomes {
            if outcome.result == AuthorizeResult::Queued {
                report_jobs(&runtime.run_jobs(Some(outcome.order_id), JOB_WAIT).await?);
            }
        }
    }
    let mut report = Vec::new();
    for outcome in &outcomes {
        let order = engine.store().order_detail(outcome.order_id).await?;
        report.push(serde_json::json!({
            "order_id": outcome.order_id,
            "number": outcome.number,
            "result": outcome.result,
            "message": outcome.message,
            "status": order.status,
            "attention": order.attention.map(|a| a.reason),
        }));
        if !json {
            println!(
                "{}: {} — now {}",
                outcome.number,
                outcome.message,
                order.status.as_str().replace('_', " ")
            );
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    if outcomes
        .iter()
        .any(|o| o.result == AuthorizeResult::NotAllowed)
    {
        bail!("some orders could not be authorized (see above)");
    }
    Ok(())
}

pub async fn jobs(engine: &Engine, command: JobsCommand) -> Result<()> {
    match command {
        JobsCommand::List { json, limit } => {
            let jobs = engine.store().list_jobs(None, limit).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&jobs)?);
                return Ok(());
            }
            if jobs.is_empty() {
                println!("no jobs yet: orders go to US Direct after an Order Sync");
            }
            for job in jobs {
                println!(
                    "{:>5}  {:<7} {:<22} {:<10} order {:<10} attempts {:<2} {}",
                    job.id,
                    job.environment.label(),
                    job.kind.as_str(),
                    job.state.as_str(),
                    job.order_number.as_deref().unwrap_or("-"),
                    job.attempts,
                    job.last_error.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        JobsCommand::Retry { id } => {
            let job = engine.retry_job(id).await?;
            println!(
                "job {} ({}) is {}; it runs with the next `dealer sync` or in the app",
                job.id,
                job.kind.as_str(),
                job.state.as_str()
            );
            Ok(())
        }
        JobsCommand::Cancel { id } => {
            let job = engine.cancel_job(id).await?;
            println!("job {} ({}) cancelled", job.id, job.kind.as_str());
            Ok(())
        }
    }
}

pub struct AutoAuthorizeArgs {
    pub on: bool,
    pub off: bool,
    pub max_total: Option<String>,
    pub no_max_total: bool,
    pub daily_cap: Option<String>,
    pub no_daily_cap: bool,
    pub json: bool,
}

pub async fn auto_authorize(engine: &Engine, args: AutoAuthorizeArgs) -> Result<()> {
    let mut rules = engine.auto_authorize().await?;
    let changing = args.on
        || args.off
        || args.max_total.is_some()
        || args.no_max_total
        || args.daily_cap.is_some()
        || args.no_daily_cap;
    let status = if changing {
        let was_on = rules.enabled;
        if args.on {
            rules.enabled = true;
        }
        if args.off {
            rules.enabled = false;
        }
        if let Some(amount) = &args.max_total {
            rules.max_total_minor = Some(dollars("--max-total", amount)?);
        }
        if args.no_max_total {
            rules.max_total_minor = None;
        }
        if let Some(amount) = &args.daily_cap {
            rules.daily_cap_minor = Some(dollars("--daily-cap", amount)?);
        }
        if args.no_daily_cap {
            rules.daily_cap_minor = None;
        }
        let status = engine.set_auto_authorize(rules).await?;
        if !was_on && status.rules.enabled && !status.waiting_within_limits.is_empty() && !args.json
        {
            let ids: Vec<String> = status
                .waiting_within_limits
                .iter()
                .map(i64::to_string)
                .collect();
            println!(
                "{} orders already wait within these limits; authorize them with `dealer \
                 authorize {}`",
                ids.len(),
                ids.join(" ")
            );
        }
        status
    } else {
        engine.auto_authorize_status().await?
    };
    print_auto(&status, args.json)
}

fn print_auto(status: &AutoAuthorizeStatus, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(status)?);
        return Ok(());
    }
    let usd = |minor: i64| Money::new(minor, Currency::usd()).to_string();
    let AutoAuthorize {
        enabled,
        max_total_minor,
        daily_cap_minor,
    } = &status.rules;
    println!(
        "Auto Authorize Orders For Payment: {}",
        if *enabled { "on" } else { "off" }
    );
    println!(
        "  maximum order total: {}",
        max_total_minor.map_or("none".into(), usd)
    );
    println!(
        "  daily cap:           {} ({} used today)",
        daily_cap_minor.map_or("none".into(), usd),
        usd(status.spent_today_minor)
    );
    println!(
        "  waiting for authorization: {} ({} within the limits)",
        status.waiting,
        status.waiting_within_limits.len()
    );
    Ok(())
}

/// "150", "149.99", "$1,250.00" → minor units of USD.
fn dollars(flag: &str, text: &str) -> Result<i64> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let money = Money::parse_decimal(&cleaned, Currency::usd()).with_context(|| {
        format!("{flag} {text:?}: write an amount in dollars, like 150 or 149.99")
    })?;
    if money.minor <= 0 {
        bail!("{flag} must be more than $0.00");
    }
    Ok(money.minor)
}
