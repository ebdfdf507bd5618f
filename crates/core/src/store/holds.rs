//! The `peer_holds` table: until when each peer asked not to be called.

use chrono::{DateTime, Utc};

use super::Store;
use crate::Result;

impl Store {
    /// When the peer at `origin` may be called again, if it asked for a time still ahead.
    pub async fn peer_held_until(
        &self,
        origin: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT until AS "until: DateTime<Utc>" FROM peer_holds
               WHERE origin = ? AND until > ?"#,
            origin,
            now
        )
        .fetch_optional(self.pool())
        .await?)
    }

    /// Records that `origin` asked not to be called before `until`; an existing later time
    /// stays (two answers in flight may say different things: the longer one wins).
    pub async fn hold_peer(&self, origin: &str, until: DateTime<Utc>) -> Result<()> {
        sqlx::query!(
            "INSERT INTO peer_holds (origin, until) VALUES (?, ?)
             ON CONFLICT (origin) DO UPDATE SET until = excluded.until
             WHERE excluded.until > peer_holds.until",
            origin,
            until
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
