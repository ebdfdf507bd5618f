//! `dealer-bench`: measures order import against the loopback sandbox stores, on a real
//! SQLCipher store in a temp dir. Run it in release: `cargo run --release -p dealer-bench`.
//! The figures and the machine they were taken on are in docs/BENCHMARKS.md.

mod import;
mod keyring;
mod pacing;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dealer-bench", about = "Dealer Portal import benchmarks")]
struct Args {
    #[command(subcommand)]
    bench: Option<Bench>,
}

#[derive(Subcommand, Clone, Copy)]
enum Bench {
    /// 10,000 WooCommerce-format orders into the encrypted store, against a raw insert of the
    /// same orders; then an incremental sync with nothing new
    Import {
        #[arg(long, default_value_t = 10_000)]
        orders: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Shopify cost pacing: share of the sandbox's restore rate used, and THROTTLED answers
    Pacing {
        #[arg(long, default_value_t = 500)]
        orders: usize,
    },
}

fn main() -> Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match args.bench {
            Some(Bench::Import { orders, runs }) => import::run(orders, runs).await,
            Some(Bench::Pacing { orders }) => pacing::run(orders).await,
            None => {
                import::run(10_000, 5).await?;
                pacing::run(500).await
            }
        }
    })
}
