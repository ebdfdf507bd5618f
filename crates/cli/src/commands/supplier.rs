//! `dealer supplier …`: the US Direct account live orders go to, with the same facts as the
//! window's Settings section. The token goes into the OS keyring and is never printed.

use std::io::IsTerminal;

use anyhow::{bail, Context, Result};
use dealer_core::fulfillment::SupplierConnection;
use dealer_core::secret::Sensitive;
use dealer_core::Engine;
use dealer_runtime::Runtime;

use crate::args::SupplierCommand;

/// Environment variable holding the US Direct API token for `dealer supplier connect`.
const TOKEN_ENV: &str = "DEALER_SUPPLIER_TOKEN";

pub async fn run(engine: &Engine, command: SupplierCommand) -> Result<()> {
    match command {
        SupplierCommand::Connect { url } => {
            let token = token_to_save()?;
            let connection = engine.save_supplier(&url, token.as_ref()).await?;
            println!(
                "US Direct connected at {} ({} in the OS keyring); check it with `dealer \
                 supplier test`",
                connection.url.as_deref().unwrap_or_default(),
                if token.is_some() {
                    "the token is saved"
                } else {
                    "the saved token is kept"
                }
            );
            Ok(())
        }
        SupplierCommand::Show { json } => {
            let connection = engine.supplier_connection().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&connection)?);
            } else {
                print_connection(&connection);
            }
            Ok(())
        }
        SupplierCommand::Disconnect => {
            engine.disconnect_supplier().await?;
            println!(
                "US Direct disconnected: its address is forgotten and the token removed from the \
                 OS keyring; live orders wait until it is connected again"
            );
            Ok(())
        }
        // Runs inside the runtime (`test`).
        SupplierCommand::Test { .. } => Ok(()),
    }
}

/// Test connection with the saved address and token; fails (exit code 1) when US Direct did
/// not accept them.
pub async fn test(runtime: &Runtime, json: bool) -> Result<()> {
    let connection = runtime.connector().test_supplier(runtime.engine()).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&connection)?);
    } else if connection.last_error.is_none() {
        println!(
            "US Direct accepted the saved token at {}",
            connection.url.as_deref().unwrap_or_default()
        );
    }
    if let Some(error) = &connection.last_error {
        bail!("Test connection failed: {error}");
    }
    Ok(())
}

/// The token typed for this connect: DEALER_SUPPLIER_TOKEN, else a hidden prompt on a terminal
/// (Enter keeps the saved one), else none.
fn token_to_save() -> Result<Option<Sensitive<String>>> {
    let typed = match std::env::var(TOKEN_ENV) {
        Ok(token) => token,
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("US Direct API token (Enter keeps the saved one): ")
                .context("the token could not be read from the terminal")?
        }
        Err(_) => String::new(),
    };
    Ok(Some(typed)
        .filter(|token| !token.trim().is_empty())
        .map(Sensitive::new))
}

fn print_connection(connection: &SupplierConnection) {
    match (&connection.url, connection.has_token) {
        (Some(url), true) => println!("US Direct: connected at {url}"),
        (Some(url), false) => println!(
            "US Direct: {url}, but no token is in the OS keyring: run `dealer supplier connect \
             --url {url}` with {TOKEN_ENV} set"
        ),
        (None, _) => println!(
            "US Direct: not connected. Run `dealer supplier connect --url …` (token from \
             {TOKEN_ENV} or a hidden prompt)"
        ),
    }
    if let Some(at) = &connection.last_checked_at {
        println!("  last checked: {at}");
    }
    if let Some(error) = &connection.last_error {
        println!("  last error:   {error}");
    }
    if connection.waiting_live_jobs > 0 {
        println!(
            "  live orders waiting for US Direct: {} ({} jobs){}",
            connection.waiting_live_orders,
            connection.waiting_live_jobs,
            connection
                .blocked_reason
                .as_deref()
                .map(|reason| format!(": {reason}"))
                .unwrap_or_default()
        );
    }
}
