//! `dealer`: the Dealer Portal engine from the command line, over the same store as the window.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dealer",
    version,
    about = "Dealer Portal from the command line"
)]
struct Cli {
    /// The store's data dir [default: the per-user data dir]
    #[arg(long, global = true, env = dealer_core::paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Orders in the store
    Orders {
        #[command(subcommand)]
        command: OrdersCommand,
    },
    /// Where the store is, how it is unlocked, how many orders it holds
    Status {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Tools for development, tests and benchmarks
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Debug, Subcommand)]
enum OrdersCommand {
    /// List orders, newest first
    List {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
        /// Only orders in this status (imported, awaiting_authorization, authorized, ...)
        #[arg(long)]
        status: Option<String>,
        /// At most this many [default: all]
        #[arg(long)]
        limit: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Write synthetic orders into the sandbox store's channel, through the engine's insert path
    Seed {
        /// How many orders to write
        #[arg(long, value_name = "N")]
        orders: usize,
        /// Random seed, for a repeatable set
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DEALER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match err.downcast_ref::<dealer_core::Error>() {
                Some(engine) => eprintln!("error [{}]: {engine}", code_name(engine.code())),
                None => eprintln!("error: {err:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn code_name(code: dealer_core::ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{code:?}"))
}
