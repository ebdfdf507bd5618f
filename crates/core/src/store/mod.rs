//! The encrypted store: SQLite through sqlx, encrypted with SQLCipher.

pub(crate) mod channels;
mod holds;
mod import;
pub(crate) mod order_detail;
mod order_query;
mod orders;
pub(crate) mod settings;
mod sku_map;
mod supplier_items;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqlitePool};

pub use channels::Channel;
pub use import::PageOutcome;
pub use order_detail::{
    FlagNote, OrderDetail, OrderLineView, ShipmentLineView, ShipmentView, SupplierInvoiceView,
};
pub use order_query::{
    FlagCounts, ListOrders, OrderFlag, OrderPage, StatusCount, MERGE_STEP_PAGES,
    TIDY_SEARCH_INDEX_AFTER,
};
pub use sku_map::{clean_sku, SkuMapping};
pub use supplier_items::CachedItem;

/// An order's attention is part of its page; the lifecycle owns it.
pub use crate::lifecycle::{Attention, AttentionKind};

use crate::keys::StoreKey;
use crate::{Error, Result};

/// SQLite's `SQLITE_NOTADB`: what SQLCipher answers when the key does not decrypt the file.
const SQLITE_NOTADB: &str = "26";

/// Decrypted pages each pooled connection keeps, in KiB (SQLite's default is 2,000). SQLCipher
/// decrypts a page each time it is read from the file, so what a connection cannot keep it
/// decrypts again: the Orders list at 100,000 orders walks the full-text index's common words
/// (about 4 MB), the status index (2.4 MB) and half the list-order index for a deep page (5 MB);
/// at 2 MB a connection decrypted them again on every search (docs/BENCHMARKS.md, Orders list
/// at scale). The writer connection keeps the index pages an import writes again page after
/// page. A cache grows only as pages are read: a small store never fills it.
pub const PAGE_CACHE_KIB: u32 = 16 * 1024;

/// Pages the WAL may hold before a commit copies them into the database file (SQLite's default
/// is 1,000, 4 MB). Each checkpoint syncs both files to disk, and the commit that runs it waits
/// for that. A first import of 10,000 orders writes some 16,000 pages of WAL: at 8,000 it
/// stopped twice on the way for the disk (best of 5: 1.03–1.25 s against 0.92–1.01 s at
/// 40,000, alternated, docs/BENCHMARKS.md); at 40,000 (160 MB) an import of that size and its
/// routing run through, and a 100,000-order one checkpoints a few times instead of twenty.
/// [`WAL_KEEP_BYTES`] gives the disk back after each checkpoint; the store still closes with
/// the WAL checkpointed and removed.
pub const WAL_CHECKPOINT_PAGES: u32 = 40_000;

/// What is left of the WAL file once a checkpoint has emptied it (`journal_size_limit`):
/// without it the file keeps the size of its busiest moment until the store closes.
pub const WAL_KEEP_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct Store {
    /// Reads, and writes of a statement or two.
    pool: SqlitePool,
    /// The one connection write transactions run on ([`Store::write_transaction`]).
    writer: SqlitePool,
    /// A connection that never writes: its `PRAGMA data_version` moves with every commit of any
    /// other connection, this process's or another's, which tells when the flagged orders the
    /// Orders list keeps ([`order_query::FlagCache`]) must be read again.
    watch: SqlitePool,
    flag_cache: std::sync::Arc<order_query::FlagCache>,
    path: PathBuf,
}

impl Store {
    /// Opens (or makes, with `create`) the database at `path` with `key`: key pragma first,
    /// then WAL, foreign keys and a busy timeout, then the embedded migrations. A key that does
    /// not decrypt the file fails before anything is written.
    pub async fn open(path: &Path, key: &StoreKey, create: bool) -> Result<Self> {
        let keyed = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            // sqlx runs its pragmas in a fixed order with `key` first.
            .pragma("key", key.pragma_value().expose().clone())
            // The connect-time statements carry the key: never log them.
            .disable_statement_logging();
        if !create {
            check_key(keyed.clone(), path).await?;
        }
        let options = keyed
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"))
            .pragma("wal_autocheckpoint", WAL_CHECKPOINT_PAGES.to_string())
            .pragma("journal_size_limit", WAL_KEEP_BYTES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
            .map_err(|err| wrong_key_or(err, path))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        // Write transactions queue for the write lock anyway (`BEGIN IMMEDIATE`); on one
        // connection of their own they also keep one warm page cache. Taken in turns from the
        // pool, each would start cold: another connection's commit empties a connection's cache.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|err| wrong_key_or(err, path))?;
        let watch = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|err| wrong_key_or(err, path))?;
        Ok(Self {
            pool,
            writer,
            watch,
            flag_cache: Default::default(),
            path: path.to_path_buf(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so a
    /// read-then-write inside it waits its turn instead of failing on a stale snapshot.
    pub async fn write_transaction(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// SQLite's `PRAGMA integrity_check`: `"ok"`, or what it found.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("; "))
    }

    /// Checkpoints the WAL and closes every connection, so the WAL and shm files go away.
    pub async fn close(&self) {
        // The writer's one connection may still be on its way back from the last transaction:
        // waited for and closed directly, it is closed when this returns.
        if let Ok(conn) = self.writer.acquire().await {
            let _ = conn.close().await;
        }
        self.writer.close().await;
        if let Ok(conn) = self.watch.acquire().await {
            let _ = conn.close().await;
        }
        self.watch.close().await;
        // The checkpoint's connection is closed directly: handed back to the pool, it could
        // arrive after `Pool::close` has swept the idle ones and stay open.
        if let Ok(mut conn) = self.pool.acquire().await {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await;
            let _ = conn.close().await;
        }
        self.pool.close().await;
    }
}

/// Reads the schema over one read-only connection that treats the file as immutable (no locks,
/// no WAL or shm files), so a wrong key is found before anything on disk is touched.
///
/// The database file alone is not always a whole snapshot: a process that stopped in the middle
/// of a checkpoint (killed, or a crash) leaves it half-copied, with the WAL still holding what
/// makes it whole. SQLite answers "malformed" to the immutable read then, though nothing is
/// lost; only a wrong key is a key problem, so any other failure is read again the normal way
/// (read-only, with the WAL), which SQLite recovers from.
async fn check_key(options: SqliteConnectOptions, path: &Path) -> Result<()> {
    match read_schema(options.clone().immutable(true)).await {
        Err(err) if !is_not_a_database(&err) => {
            tracing::debug!(error = %err, "the file alone is not a whole snapshot; reading it with its WAL");
            read_schema(options).await
        }
        read => read,
    }
    .map_err(|err| wrong_key_or(err, path))
}

async fn read_schema(options: SqliteConnectOptions) -> std::result::Result<(), sqlx::Error> {
    let mut conn = options.read_only(true).connect().await?;
    let read = sqlx::query_scalar!("SELECT count(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    read.map(|_| ())
}

fn is_not_a_database(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some(SQLITE_NOTADB))
}

fn wrong_key_or(err: sqlx::Error, path: &Path) -> Error {
    if let sqlx::Error::Database(db) = &err {
        if db.code().as_deref() == Some(SQLITE_NOTADB) {
            return Error::WrongKey {
                data_dir: path.parent().unwrap_or(path).to_path_buf(),
                source_name: "key",
            };
        }
    }
    Error::Database(err)
}
