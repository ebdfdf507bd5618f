//! Connecting, editing and removing sales channels: the row in the store and the credentials in
//! the keyring move together.

use crate::changes::Change;
use crate::channel::{ConnectionCheck, Credentials, Platforms};
use crate::domain::ChannelKind;
use crate::store::channels::validate_name;
use crate::store::Channel;
use crate::sync::Connect;
use crate::{credentials, Engine, Error, Result};

impl Engine {
    /// Adds a store with its credentials (kept in the keyring only). Its platform's profile
    /// (from `platforms`) checks the URL and the kind of credentials.
    pub async fn add_channel(
        &self,
        platforms: &dyn Platforms,
        kind: ChannelKind,
        name: &str,
        url: &str,
        creds: &Credentials,
    ) -> Result<Channel> {
        let platform = platforms.platform(kind);
        platform.check_credentials(creds)?;
        validate_name(name)?;
        let url = platform.store_url(url)?;
        let channel = self.store().add_channel(kind, name, &url).await?;
        if let Err(err) = credentials::save(self.keyring(), self.store_id(), channel.id, creds) {
            // Without its credentials the channel is useless: take it back out.
            let _ = self.store().remove_channel(channel.id).await;
            return Err(err);
        }
        tracing::info!(channel = %channel.name, kind = kind.as_str(), "channel added");
        self.publish(Change::Channels);
        Ok(channel)
    }

    /// Renames a channel or changes its URL; new credentials replace the old when given. The
    /// stored ones are kept only while the URL stays on the same scheme, host and port.
    pub async fn update_channel(
        &self,
        platforms: &dyn Platforms,
        id: i64,
        name: &str,
        url: &str,
        creds: Option<&Credentials>,
    ) -> Result<Channel> {
        let current = self.store().channel(id).await?;
        if current.is_sandbox {
            return Err(Error::invalid(
                "channel",
                "the sandbox store cannot be edited",
            ));
        }
        let platform = platforms.platform(current.kind);
        if let Some(creds) = creds {
            platform.check_credentials(creds)?;
        }
        validate_name(name)?;
        let url = platform.store_url(url)?;
        if creds.is_none() && !crate::channel::same_origin(&current.base_url, &url) {
            // The saved credentials were entered for the old server; they never go to another.
            return Err(Error::invalid(
                "credentials",
                "the address moved to a new host: enter the store's credentials again",
            ));
        }
        let channel = self.store().update_channel(id, name, &url).await?;
        if let Some(creds) = creds {
            credentials::save(self.keyring(), self.store_id(), id, creds)?;
        }
        self.publish(Change::Channels);
        Ok(channel)
    }

    /// Removes a channel and its credentials; its imported orders stay.
    pub async fn remove_channel(&self, id: i64) -> Result<()> {
        let channel = self.store().channel(id).await?;
        if channel.is_sandbox {
            return Err(Error::invalid(
                "channel",
                "the sandbox store cannot be removed",
            ));
        }
        self.store().remove_channel(id).await?;
        credentials::delete(self.keyring(), self.store_id(), id)?;
        tracing::info!(channel = %channel.name, "channel removed");
        self.publish(Change::Channels);
        Ok(())
    }

    /// The channel's stored credentials.
    pub fn channel_credentials(&self, channel: &Channel) -> Result<Credentials> {
        credentials::load(self.keyring(), self.store_id(), channel.id)
    }

    /// Tries the channel's URL and credentials.
    pub async fn test_channel(&self, connect: &dyn Connect, id: i64) -> Result<ConnectionCheck> {
        let channel = self.store().channel(id).await?;
        let client = connect.client(&channel)?;
        client
            .test_connection()
            .await
            .map_err(|err| Error::Channel {
                channel: channel.name.clone(),
                source: err,
            })
    }
}
