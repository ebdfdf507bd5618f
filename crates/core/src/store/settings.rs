//! The `settings` table: a text value per key, read and written on the pool or inside a
//! transaction. What each key holds, and its type, is [`crate::settings`]. Never secrets: those
//! live in the keyring.

use sqlx::SqliteExecutor;

use crate::Result;

pub(crate) async fn read<'c>(db: impl SqliteExecutor<'c>, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar!("SELECT value FROM settings WHERE key = ?", key)
            .fetch_optional(db)
            .await?,
    )
}

pub(crate) async fn write<'c>(db: impl SqliteExecutor<'c>, key: &str, value: &str) -> Result<()> {
    sqlx::query!(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value
    )
    .execute(db)
    .await?;
    Ok(())
}
