//! `dealer tracking check`: whether a tracking number is one a carrier could have issued, whose
//! it is and where to follow it. Needs no store, so scripts can call it anywhere.

use anyhow::Result;
use dealer_core::tracking::{self, Carrier};

use crate::args::TrackingCommand;

pub fn run(command: TrackingCommand) -> Result<()> {
    match command {
        TrackingCommand::Check {
            number,
            carrier,
            json,
        } => check(&number, carrier, json),
    }
}

/// Prints the verdict either way; an invalid number also ends in an error, so the exit code
/// tells a script (0 valid, 1 not).
fn check(number: &str, carrier: Option<Carrier>, json: bool) -> Result<()> {
    let checked = tracking::check_with_carrier(number, carrier);
    if json {
        println!("{}", serde_json::to_string_pretty(&checked)?);
    } else if let (true, Some(carrier), Some(url)) = (checked.valid, checked.carrier, &checked.url)
    {
        println!(
            "{} {}: valid; track it at {url}",
            carrier.display_name(),
            checked.normalized
        );
    } else {
        let reason = checked.reason.as_deref().unwrap_or("not valid");
        match checked.normalized.as_str() {
            "" => println!("not valid: {reason}"),
            number => println!("{number}: not valid: {reason}"),
        }
    }
    if checked.valid {
        Ok(())
    } else {
        anyhow::bail!("not a valid tracking number")
    }
}
