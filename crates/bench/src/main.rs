//! `dealer-bench`: measures order import against the loopback sandbox stores and the Orders
//! list at scale, on a real SQLCipher store in a temp dir. Run it in release:
//! `cargo run --release -p dealer-bench`. The figures and the machine they were taken on are
//! in docs/BENCHMARKS.md.

mod import;
mod keyring;
mod orders;
mod pacing;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dealer-bench", about = "Dealer Portal benchmarks")]
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
    /// The Orders list with 100,000 orders: a page, the filters and the searches (p50, p95,
    /// max against 50 ms), the order page, and the page-by-page scroll
    Orders {
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 30)]
        runs: usize,
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
            Some(Bench::Orders { orders, runs }) => orders::run(orders, runs).await,
            None => {
                import::run(10_000, 5).await?;
                orders::run(100_000, 30).await?;
                pacing::run(500).await
            }
        }
    })
}
