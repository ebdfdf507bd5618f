//! `dealer`: the Dealer Portal engine from the command line, over the same store as the window.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Output piped into a reader that stops early (`dealer orders list --json | head -c 10`)
    // ends the command quietly, as for any Unix tool, instead of a panic on the closed pipe.
    sigpipe::reset();
    // Before any thread: what this process writes is the dealer's alone, and the passphrase
    // leaves the environment (no child process inherits it).
    dealer_core::paths::private_files();
    let unlock = dealer_core::keys::Unlock::take_from_env();
    let cli = args::Cli::parse();
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
    match runtime.block_on(commands::run(cli, unlock)) {
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
