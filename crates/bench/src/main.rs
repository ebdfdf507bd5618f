//! `dealer-bench`: measures order import against the loopback sandbox stores (with its floors,
//! routing and peak memory), the Orders list and its CSV export at scale, on a real SQLCipher
//! store in a temp dir. Run it in release: `cargo run --release -p dealer-bench`. The figures and the machine
//! they were taken on are in docs/BENCHMARKS.md.

mod dashboard;
mod export;
mod floor;
mod import;
mod keyring;
mod memory;
mod orders;
mod pacing;
mod report;
mod startup;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dealer-bench", about = "Dealer Portal benchmarks")]
struct Args {
    #[command(subcommand)]
    bench: Option<Bench>,
}

#[derive(Subcommand, Clone)]
enum Bench {
    /// 10,000 WooCommerce-format orders into the encrypted store, then routed to US Direct,
    /// against floors taken in the same run (the same rows into plain SQLite and into SQLite
    /// with a SQLCipher key, a plain fetch of the same pages); then an incremental sync with
    /// nothing new
    Import {
        #[arg(long, default_value_t = 10_000)]
        orders: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Peak memory of a sync (import and routing) of 10,000 and of 100,000 orders, each in a
    /// child process of its own
    Memory {
        #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
        orders: Vec<usize>,
    },
    /// Shopify cost pacing: share of the sandbox's restore rate used, and THROTTLED answers
    Pacing {
        #[arg(long, default_value_t = 500)]
        orders: usize,
    },
    /// The Orders list with 100,000 orders: a page, the filters and the searches (p50, p95,
    /// max against 40 ms), the order page, and the page-by-page scroll
    Orders {
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// CSV export of the Orders list: 100,000 orders to a file (median against 3 s) beside a
    /// floor in the same run, then peak memory of an export of 10,000 and of 100,000 orders
    Export {
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
        memory: Vec<usize>,
    },
    /// The export benchmark's child: exports every order of the store in `data_dir`; prints
    /// its peak memory and time as one JSON line
    #[command(hide = true)]
    ExportChild {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        orders: usize,
    },
    /// The Dashboard with 100,000 orders over a year: each aggregate for 90 days and for a year
    /// (p50, p95, max against 50 ms), beside a count of the same index range
    Dashboard {
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// The release app's start-up with 100,000 orders (launch to an interactive window, median
    /// and max against 1.5 s, beside a store of 100 orders) and its idle CPU with the window
    /// shown and started --hidden, beside the X server's. Needs a session with Xvfb and a
    /// Secret Service: run it with scripts/bench-startup
    Startup {
        /// The release binary
        #[arg(long, default_value = "target/release/dealer-portal")]
        app: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Seconds left to settle before idle CPU is measured
        #[arg(long, default_value_t = 15)]
        settle: u64,
        /// Seconds idle CPU is measured over
        #[arg(long, default_value_t = 60)]
        idle: u64,
    },
    /// The start-up benchmark's store alone, in `data_dir` (its key in the session's Secret
    /// Service), to look into a start by hand
    #[command(hide = true)]
    StartupStore {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        orders: usize,
    },
    /// The memory benchmark's child: one sync and routing of the sandbox store at `store_url`
    /// into a fresh store in `data_dir`; prints its peak memory and times as one JSON line
    #[command(hide = true)]
    SyncChild {
        #[arg(long)]
        store_url: String,
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
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
            Some(Bench::Memory { orders }) => memory::run(&orders).await,
            Some(Bench::Pacing { orders }) => pacing::run(orders).await,
            Some(Bench::Orders { orders, runs }) => orders::run(orders, runs).await,
            Some(Bench::Export {
                orders,
                runs,
                memory,
            }) => export::run(orders, runs, &memory).await,
            Some(Bench::ExportChild { data_dir, orders }) => export::child(&data_dir, orders).await,
            Some(Bench::Dashboard { orders, runs }) => dashboard::run(orders, runs).await,
            Some(Bench::StartupStore { data_dir, orders }) => {
                startup::build_store(&data_dir, orders).await
            }
            Some(Bench::Startup {
                app,
                orders,
                runs,
                settle,
                idle,
            }) => {
                startup::run(startup::Options {
                    app,
                    orders,
                    runs,
                    settle: std::time::Duration::from_secs(settle),
                    idle: std::time::Duration::from_secs(idle),
                })
                .await
            }
            Some(Bench::SyncChild {
                store_url,
                data_dir,
                orders,
            }) => memory::child(&store_url, &data_dir, orders).await,
            None => {
                import::run(10_000, 5).await?;
                memory::run(&[10_000, 100_000]).await?;
                orders::run(100_000, 30).await?;
                export::run(100_000, 5, &[10_000, 100_000]).await?;
                dashboard::run(100_000, 30).await?;
                pacing::run(500).await
            }
        }
    })
}
