//! The command line: subcommands and their options.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use dealer_core::tracking::Carrier;

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
    /// Authorize Order for Payment: US Direct may charge the invoice and ship the order
    Authorize {
        /// Order ids (as `dealer orders list` shows them)
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
        /// Print the outcome as JSON
        #[arg(long)]
        json: bool,
        /// Return once queued, without waiting for US Direct's answer
        #[arg(long)]
        no_wait: bool,
    },
    /// The outbox: calls to US Direct, queued, retried, done
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// The dealer's SKU map (store SKU → US Direct SKU)
    Sku {
        #[command(subcommand)]
        command: SkuCommand,
    },
    /// The US Direct account live orders go to
    Supplier {
        #[command(subcommand)]
        command: SupplierCommand,
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
    /// What happened lately: order events, sync runs, and orders set aside (quarantined) with why
    Activity {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// At most this many entries
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Where the store is, how it is unlocked, how many orders it holds
    Status {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Also run SQLite's integrity check on the store
        #[arg(long)]
        check: bool,
    },
    /// Tracking numbers: check one (carrier, check digit, tracking page); needs no store
    Tracking {
        #[command(subcommand)]
        command: TrackingCommand,
    },
    /// Export orders, US Direct's statement or shipments to a CSV file for a spreadsheet
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Tools for development, tests and benchmarks
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The Orders list as filtered, newest first: its columns, the items, US Direct's cost, the
    /// margin and the tracking numbers
    Orders {
        #[command(flatten)]
        file: ExportFile,
        /// Only orders placed on or after this day (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        from: Option<chrono::NaiveDate>,
        /// Only orders placed on or before this day (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        to: Option<chrono::NaiveDate>,
        #[command(flatten)]
        filter: OrderFilter,
        /// Only Live or only Sandbox orders [default: Live once a store is connected, else
        /// Sandbox]
        #[arg(long, value_enum)]
        environment: Option<EnvironmentArg>,
    },
    /// US Direct's invoices authorized, paid or declined in a month or between two days, with
    /// a totals row
    Statement {
        #[command(flatten)]
        file: ExportFile,
        /// The month (UTC)
        #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"],
              required_unless_present_all = ["from", "to"])]
        month: Option<String>,
        /// The first day (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// The last day, included (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, requires = "from")]
        to: Option<chrono::NaiveDate>,
    },
    /// The shipments shipped between two days, with their lines
    Shipments {
        #[command(flatten)]
        file: ExportFile,
        /// Only Live or only Sandbox orders' shipments [default: Live once a store is
        /// connected, else Sandbox]
        #[arg(long, value_enum)]
        environment: Option<EnvironmentArg>,
        /// The first day (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        from: chrono::NaiveDate,
        /// The last day, included (UTC)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        to: chrono::NaiveDate,
    },
}

/// The Orders list's filters, as the window has them.
#[derive(Debug, Default, clap::Args)]
pub struct OrderFilter {
    /// Only orders in this status (imported, awaiting_authorization, authorized, ...)
    #[arg(long)]
    pub status: Option<String>,
    /// Only orders of this sales channel (by name)
    #[arg(long)]
    pub channel: Option<String>,
    /// Only Late orders, Stuck orders, or every order that needs you
    #[arg(long, value_enum)]
    pub flag: Option<FlagArg>,
    /// Only orders matching these words (number, customer, email, SKU, tracking number)
    #[arg(long)]
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FlagArg {
    Late,
    Stuck,
    NeedsYou,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum EnvironmentArg {
    Live,
    Sandbox,
}

/// Where an export goes.
#[derive(Debug, clap::Args)]
pub struct ExportFile {
    /// The CSV file to write (replaced whole once written; nothing is left half-written)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Start the file with a UTF-8 byte order mark, for Excel
    #[arg(long)]
    pub bom: bool,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day; write it as YYYY-MM-DD, e.g. 2026-11-30"))
}

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// One order: items, ship-to, totals, US Direct's invoice, shipments and its timeline
    Show {
        id: i64,
        /// Print JSON (with `events` and `shipments`)
        #[arg(long)]
        json: bool,
    },
    /// List orders, newest first
    List {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: OrderFilter,
        /// At most this many [default: all]
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Release an order's hold as is: a PO box hold on a street that only looks like one, a
    /// weight hold US Direct agreed to, a store payment not confirmed (or a fraud flag). The
    /// order goes through US Direct's checks again; the timeline records who released it
    Release { id: i64 },
    /// Cancel an order (a customer asked): here at once, then in your store and at US Direct,
    /// each once. Refused once anything has shipped: handle a return in your store instead
    Cancel {
        id: i64,
        /// Why (goes on the order's timeline and to the store's staff note)
        #[arg(long)]
        reason: String,
        /// Print the outcome as JSON
        #[arg(long)]
        json: bool,
        /// Return once cancelled here, without waiting for the store's and US Direct's answers
        #[arg(long)]
        no_wait: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List jobs, newest first
    List {
        #[arg(long)]
        json: bool,
        /// At most this many
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Run a waiting job now, or take a failed step again
    Retry { id: i64 },
    /// Cancel a job that has not run to its end (its order then needs you)
    Cancel { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum SkuCommand {
    /// List the mappings, and the SKUs orders wait on
    List {
        #[arg(long)]
        json: bool,
    },
    /// Map a store SKU to a US Direct SKU (US Direct is asked whether it carries it)
    Map {
        store_sku: String,
        supplier_sku: String,
    },
    /// Remove a store SKU's mapping
    Remove { store_sku: String },
    /// List the store SKUs seen in orders that have no mapping, with their orders and lines
    Seen {
        #[arg(long)]
        json: bool,
    },
    /// Ask US Direct about every seen SKU (same SKU, 2 a second; answers are kept a day, so a
    /// stopped match resumes) and print those it carries; maps nothing
    Match {
        #[arg(long)]
        json: bool,
    },
    /// Map matched SKUs to the same US Direct SKU, in one go
    Confirm {
        /// Every seen SKU the last match found US Direct carries
        #[arg(long, conflicts_with = "skus")]
        all: bool,
        /// These seen SKUs (each found carried by `dealer sku match`)
        #[arg(value_name = "SKU", required_unless_present = "all")]
        skus: Vec<String>,
    },
    /// Write the SKU map as CSV (store_sku,supplier_sku)
    Export {
        #[arg(value_name = "FILE.csv")]
        file: std::path::PathBuf,
    },
    /// Map every row of a CSV file (store_sku,supplier_sku), all rows or none
    Import {
        #[arg(value_name = "FILE.csv")]
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SupplierCommand {
    /// Connect US Direct, or change its API address. The token comes from
    /// DEALER_SUPPLIER_TOKEN, else a hidden prompt (it goes to the OS keyring); without one the
    /// saved token is kept, which only works while the address stays on the same server
    Connect {
        #[arg(long)]
        url: String,
    },
    /// Show the US Direct account: its address, whether a token is saved, the last check, and
    /// how many live orders wait for it
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Forget the US Direct account: its address and the token in the OS keyring
    Disconnect,
    /// Test connection: one call to US Direct with the saved address and token
    Test {
        #[arg(long)]
        json: bool,
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

/// A sandbox order's payment, as the store reports it.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Payment {
    Paid,
    Unpaid,
    HighRisk,
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
        /// The API token the supplier accepts [default: the sandbox's own]
        #[arg(long, value_name = "TOKEN")]
        supplier_token: Option<String>,
    },
    /// Place a test order in the sandbox store
    PlaceOrder {
        /// Which sandbox store [default: the app's own (Shopify format)]
        #[arg(long, value_name = "KIND")]
        channel_kind: Option<Kind>,
        /// The sandbox state dir [default: the store's data dir's sandbox]
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
        /// How the shopper's payment stands: unpaid or high-risk orders wait before US Direct
        #[arg(long, value_enum, default_value = "paid")]
        payment: Payment,
        /// Sell one of each of these SKUs instead of the test order's item (a US Direct item,
        /// or any other SKU as a product of the dealer's own)
        #[arg(long = "sku", value_name = "SKU")]
        skus: Vec<String>,
    },
    /// Make the running sandbox (`dealer sandbox serve`, or the app's) answer with poison data:
    /// bad_amounts (stores), negative_invoice, foreign_invoice, tracking_url_javascript,
    /// tracking_url_file, tracking_url_other_host, carrier_markup (US Direct); `off` for none
    Poison {
        /// A case, or `off`
        #[arg(value_name = "CASE")]
        case: String,
        /// The sandbox state dir [default: the store's data dir's sandbox]
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Make a running sandbox store answer as a hostile or broken one would (endless pages, a
    /// repeated cursor, an empty page, a huge or malformed Retry-After, a 100 MB answer, a slow
    /// drip, a redirect to another host), or `off`; lasts as long as `dealer sandbox serve`
    Hostile {
        /// endless_pages, repeated_cursor, empty_page, huge_retry_after, malformed_retry_after,
        /// huge_body, slow_drip, cross_host_redirect or off
        #[arg(value_name = "CASE")]
        case: String,
        /// Which sandbox store [default: the app's own (Shopify format)]
        #[arg(long, value_name = "KIND")]
        channel_kind: Option<Kind>,
        /// The sandbox state dir [default: the store's data dir's sandbox]
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Change a sandbox order's payment, as the store would (the shopper paid: `paid`)
    SetPayment {
        /// The sandbox store's id for the order (printed by place-order)
        id: u64,
        #[arg(value_enum)]
        payment: Payment,
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
    /// Show or set after how many business days (Mon–Fri) an authorized order with no tracking
    /// is Late (1–20; 4 until set)
    LateAfter { days: Option<u32> },
    /// Show or set Auto Authorize Orders For Payment. Amounts in dollars (e.g. 150 or 149.99)
    AutoAuthorize {
        /// Switch it on
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Switch it off
        #[arg(long)]
        off: bool,
        /// Only Auto Authorize Up to a Maximum Order Total (US Direct's invoice total)
        #[arg(long, value_name = "AMOUNT", conflicts_with = "no_max_total")]
        max_total: Option<String>,
        /// No maximum order total
        #[arg(long)]
        no_max_total: bool,
        /// Stop auto authorizing for the day once this much was authorized by the rules
        #[arg(long, value_name = "AMOUNT", conflicts_with = "no_daily_cap")]
        daily_cap: Option<String>,
        /// No daily cap
        #[arg(long)]
        no_daily_cap: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrackingCommand {
    /// Is NUMBER a tracking number a carrier could have issued? Exits 1 when it is not
    Check {
        number: String,
        /// The carrier the supplier named (ups, fedex, usps, dhl, amazon, ontrac); decides
        /// between carriers that share a number format
        #[arg(long, value_name = "NAME", value_parser = parse_carrier)]
        carrier: Option<Carrier>,
        /// Print {"valid", "carrier", "url", "normalized", "reason"} as JSON
        #[arg(long)]
        json: bool,
    },
}

fn parse_carrier(name: &str) -> Result<Carrier, String> {
    Carrier::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Carrier::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown carrier; one of {}", known.join(", "))
    })
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
