//! The command line: subcommands and their options.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "dealer",
    version,
    about = "Dealer Portal from the command line"
)]
pub struct Cli {
    /// The store's data dir [default: the per-user data dir]
    #[arg(long, global = true, env = dealer_core::paths::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Orders in the store
    Orders {
        #[command(subcommand)]
        command: OrdersCommand,
    },
    /// Sales channels: connect, list, test, remove
    Channel {
        #[command(subcommand)]
        command: ChannelCommand,
    },
    /// Import orders from the sales channels now (one pass) and print a summary
    Sync {
        /// Only this channel (by name)
        #[arg(long, value_name = "NAME")]
        channel: Option<String>,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// The loopback sandbox stores
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
    /// Settings
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
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
pub enum OrdersCommand {
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Shopify,
    Woocommerce,
    Bigcommerce,
}

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Connect a store. Credentials come from DEALER_CHANNEL_TOKEN (Shopify, BigCommerce) or
    /// DEALER_CHANNEL_KEY + DEALER_CHANNEL_SECRET (WooCommerce), else a hidden prompt.
    Add {
        kind: Kind,
        /// A name for it, e.g. "Main store"
        #[arg(long)]
        name: String,
        /// https://{shop}.myshopify.com, the WordPress site's URL, or
        /// https://api.bigcommerce.com/stores/{hash}; http:// only on loopback
        #[arg(long)]
        url: String,
    },
    /// List the connected stores
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check a store's URL, credentials and permissions
    Test { name: String },
    /// Disconnect a store (its imported orders stay)
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Run the sandbox stores on their own until interrupted; writes their base URLs as JSON
    Serve {
        /// Where the sandbox keeps its orders
        #[arg(long, value_name = "DIR")]
        state_dir: PathBuf,
        /// Where to write {"shopify": url, "woocommerce": url, "bigcommerce": url}
        #[arg(long, value_name = "FILE")]
        addr_file: PathBuf,
    },
    /// Place a test order in the sandbox store
    PlaceOrder {
        /// Which sandbox store [default: the app's own (Shopify format)]
        #[arg(long, value_name = "KIND")]
        channel_kind: Option<Kind>,
        /// The sandbox state dir [default: the store's data dir's sandbox]
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show or set the plan, which sets the import schedule (basic: hourly; plus, vip: 15 min)
    Plan { plan: Option<String> },
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
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
