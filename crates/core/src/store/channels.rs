//! Sales channels (the dealer's stores): add, edit, remove, and each one's import cursor.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Store;
use crate::domain::ChannelKind;
use crate::{Error, Result};

/// A connected store, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Channel {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub kind: ChannelKind,
    pub name: String,
    pub base_url: String,
    /// The loopback sandbox store that stands in for a real one.
    pub is_sandbox: bool,
    /// Orders changed at or after this time are the next import's business.
    pub sync_cursor: Option<DateTime<Utc>>,
    /// When an import from it last finished without error.
    pub last_synced_at: Option<DateTime<Utc>>,
}

pub(crate) fn validate_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "give the channel a name of 1 to 60 characters",
        ));
    }
    Ok(name.to_string())
}

impl Store {
    /// Adds a real store at `url`, which its platform's profile has checked. Its credentials
    /// go to the keyring separately (see `credentials`).
    pub async fn add_channel(&self, kind: ChannelKind, name: &str, url: &str) -> Result<Channel> {
        let name = validate_name(name)?;
        if self.channel_by_name(&name).await?.is_some() {
            return Err(Error::invalid(
                "name",
                format!("a channel called {name:?} exists already; pick another name"),
            ));
        }
        let now = Utc::now();
        let id = sqlx::query_scalar!(
            r#"INSERT INTO channels (kind, name, base_url, is_sandbox, created_at)
               VALUES (?, ?, ?, 0, ?) RETURNING id AS "id!""#,
            kind,
            name,
            url,
            now
        )
        .fetch_one(self.pool())
        .await?;
        self.channel(id).await
    }

    /// Renames a channel or points it at another URL (checked by its platform's profile).
    pub async fn update_channel(&self, id: i64, name: &str, url: &str) -> Result<Channel> {
        self.channel(id).await?;
        let name = validate_name(name)?;
        if let Some(other) = self.channel_by_name(&name).await? {
            if other.id != id {
                return Err(Error::invalid(
                    "name",
                    format!("a channel called {name:?} exists already; pick another name"),
                ));
            }
        }
        sqlx::query!(
            "UPDATE channels SET name = ?, base_url = ? WHERE id = ?",
            name,
            url,
            id
        )
        .execute(self.pool())
        .await?;
        self.channel(id).await
    }

    /// Removes a channel. Its imported orders stay (they are the dealer's records); a channel
    /// without orders is deleted outright.
    pub async fn remove_channel(&self, id: i64) -> Result<()> {
        let channel = self.channel(id).await?;
        let orders = sqlx::query_scalar!("SELECT count(*) FROM orders WHERE channel_id = ?", id)
            .fetch_one(self.pool())
            .await?;
        let now = Utc::now();
        if orders == 0 {
            let mut tx = self.write_transaction().await?;
            sqlx::query!("DELETE FROM quarantined_orders WHERE channel_id = ?", id)
                .execute(&mut *tx)
                .await?;
            sqlx::query!(
                "UPDATE sync_runs SET channel_id = NULL WHERE channel_id = ?",
                id
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("DELETE FROM channels WHERE id = ?", id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        } else {
            // Frees the name for a new connection while the old orders keep their channel.
            let retired = format!(
                "{} (removed {})",
                channel.name,
                now.format("%Y-%m-%d %H:%M")
            );
            sqlx::query!(
                "UPDATE channels SET removed_at = ?, name = ? WHERE id = ?",
                now,
                retired,
                id
            )
            .execute(self.pool())
            .await?;
        }
        Ok(())
    }

    pub async fn channel(&self, id: i64) -> Result<Channel> {
        self.load_channels(Some(id))
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: format!("channel {id}"),
            })
    }

    pub async fn channel_by_name(&self, name: &str) -> Result<Option<Channel>> {
        let id = sqlx::query_scalar!(
            r#"SELECT id AS "id!" FROM channels WHERE name = ? AND removed_at IS NULL"#,
            name
        )
        .fetch_optional(self.pool())
        .await?;
        match id {
            Some(id) => Ok(Some(self.channel(id).await?)),
            None => Ok(None),
        }
    }

    /// Every connected channel, the sandbox first.
    pub async fn channels(&self) -> Result<Vec<Channel>> {
        self.load_channels(None).await
    }

    /// Connected channels: all of them, or the one with `id`.
    async fn load_channels(&self, id: Option<i64>) -> Result<Vec<Channel>> {
        let rows = sqlx::query!(
            r#"SELECT c.id AS "id!", c.kind AS "kind: ChannelKind", c.name, c.base_url,
                      c.is_sandbox AS "is_sandbox: bool",
                      c.sync_cursor AS "sync_cursor: DateTime<Utc>",
                      (SELECT max(r.finished_at) FROM sync_runs r
                       WHERE r.channel_id = c.id AND r.error IS NULL)
                          AS "last_synced_at: DateTime<Utc>"
               FROM channels c WHERE c.removed_at IS NULL AND (?1 IS NULL OR c.id = ?1)
               ORDER BY c.is_sandbox DESC, c.name"#,
            id
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| Channel {
                id: row.id,
                kind: row.kind,
                name: row.name,
                base_url: row.base_url,
                is_sandbox: row.is_sandbox,
                sync_cursor: row.sync_cursor,
                last_synced_at: row.last_synced_at,
            })
            .collect())
    }

    /// The sandbox channel called `name`, made if missing, pointed at `base_url` (the running
    /// sandbox's address changes from run to run).
    pub async fn ensure_channel(
        &self,
        name: &str,
        kind: ChannelKind,
        base_url: &str,
        is_sandbox: bool,
    ) -> Result<Channel> {
        let now = Utc::now();
        sqlx::query!(
            "INSERT INTO channels (kind, name, base_url, is_sandbox, created_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET base_url = excluded.base_url
             WHERE channels.is_sandbox = excluded.is_sandbox",
            kind,
            name,
            base_url,
            is_sandbox,
            now
        )
        .execute(self.pool())
        .await?;
        let channel = self
            .channel_by_name(name)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("channel {name:?}"),
            })?;
        if channel.is_sandbox != is_sandbox {
            // Never repoint a live store at the sandbox (or the other way round).
            return Err(Error::invalid(
                "channel",
                format!(
                    "a store named {name:?} already exists and is not the sandbox store; \
                     rename it in Settings"
                ),
            ));
        }
        Ok(channel)
    }

    /// Moves the channel's import cursor forward (never back).
    pub async fn channel_count(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar!("SELECT count(*) FROM channels WHERE removed_at IS NULL")
                .fetch_one(self.pool())
                .await?,
        )
    }
}
