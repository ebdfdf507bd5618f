//! Sales channels (the dealer's stores).

use chrono::Utc;

use super::Store;
use crate::domain::ChannelKind;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: i64,
    pub kind: ChannelKind,
    pub name: String,
    pub base_url: String,
    pub is_sandbox: bool,
}

impl Store {
    /// The channel called `name`, made with `kind` and `base_url` if it does not exist yet.
    pub async fn ensure_channel(
        &self,
        name: &str,
        kind: ChannelKind,
        base_url: &str,
        is_sandbox: bool,
    ) -> Result<Channel> {
        let now = Utc::now();
        let kind_text = kind.as_str();
        sqlx::query!(
            "INSERT INTO channels (kind, name, base_url, is_sandbox, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            kind_text,
            name,
            base_url,
            is_sandbox,
            now
        )
        .execute(&self.pool)
        .await?;
        let row = sqlx::query!(
            r#"SELECT id AS "id!", kind, name, base_url, is_sandbox AS "is_sandbox: bool"
               FROM channels WHERE name = ?"#,
            name
        )
        .fetch_one(&self.pool)
        .await?;
        let kind = match row.kind.as_str() {
            "shopify" => ChannelKind::Shopify,
            "woocommerce" => ChannelKind::Woocommerce,
            "bigcommerce" => ChannelKind::Bigcommerce,
            other => {
                return Err(Error::invalid(
                    "channel.kind",
                    format!("unknown channel kind {other:?}"),
                ))
            }
        };
        Ok(Channel {
            id: row.id,
            kind,
            name: row.name,
            base_url: row.base_url,
            is_sandbox: row.is_sandbox,
        })
    }

    pub async fn channel_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar!("SELECT count(*) FROM channels")
            .fetch_one(&self.pool)
            .await?)
    }
}
