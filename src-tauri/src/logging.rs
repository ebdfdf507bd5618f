//! Logs through tracing to a daily-rotated file in `logs/` of the data dir (14 files kept), a
//! dir only the dealer can read (0700, its files 0600), wherever the data dir is.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// Environment variable with a tracing filter (`info`, `dealer_core=debug`, ...).
pub const LOG_FILTER_ENV: &str = "DEALER_LOG";

/// Starts file logging. Keep the guard alive for as long as the app runs: dropping it flushes.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    if let Err(err) = dealer_core::paths::private_dir(log_dir) {
        eprintln!("Dealer Portal: cannot make the log dir: {err}");
        return None;
    }
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("dealer-portal")
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir);
    let appender = match appender {
        Ok(appender) => appender,
        Err(err) => {
            eprintln!(
                "Dealer Portal: cannot write logs to {}: {err}",
                log_dir.display()
            );
            return None;
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    // sqlx is held at warn whatever the filter says: its statement logs are the one place a
    // key pragma could surface, and they are switched off at the source as well.
    let filter = EnvFilter::try_from_env(LOG_FILTER_ENV)
        .unwrap_or_else(|_| EnvFilter::new("info"))
        .add_directive("sqlx=warn".parse().ok()?);
    let file_layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false);
    if tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .try_init()
        .is_err()
    {
        return None;
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "Dealer Portal starting"
    );
    Some(guard)
}
