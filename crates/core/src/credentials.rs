//! Channel credentials in the OS keyring, one entry per channel, namespaced by the app
//! identifier and the store: never in the database, config files or logs.

use serde::{Deserialize, Serialize};

use crate::channel::Credentials;
use crate::keys::SecretStore;
use crate::secret::Sensitive;
use crate::{Error, Result, APP_IDENTIFIER};

/// The keyring account holding channel `channel_id`'s credentials in store `store_id`.
pub fn account(store_id: &str, channel_id: i64) -> String {
    format!("channel:{store_id}:{channel_id}")
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Stored {
    Token { token: String },
    KeySecret { key: String, secret: String },
}

pub fn save(
    keyring: &dyn SecretStore,
    store_id: &str,
    channel_id: i64,
    credentials: &Credentials,
) -> Result<()> {
    let stored = match credentials {
        Credentials::Token(token) => Stored::Token {
            token: token.expose().clone(),
        },
        Credentials::KeySecret { key, secret } => Stored::KeySecret {
            key: key.expose().clone(),
            secret: secret.expose().clone(),
        },
    };
    let secret = Sensitive::new(
        serde_json::to_string(&stored)
            .map_err(|err| Error::invalid("credentials", err.to_string()))?,
    );
    keyring.set(APP_IDENTIFIER, &account(store_id, channel_id), &secret)
}

pub fn load(keyring: &dyn SecretStore, store_id: &str, channel_id: i64) -> Result<Credentials> {
    let account = account(store_id, channel_id);
    let secret = keyring
        .get(APP_IDENTIFIER, &account)?
        .ok_or_else(|| Error::InvalidInput {
            field: "credentials".into(),
            message: format!(
                "no credentials for this channel in the keyring (entry {account}); edit the \
                 channel in Settings and enter them again"
            ),
        })?;
    let stored: Stored = serde_json::from_str(secret.expose()).map_err(|_| {
        Error::invalid(
            "credentials",
            "the keyring entry for this channel is unreadable; enter the credentials again",
        )
    })?;
    Ok(match stored {
        Stored::Token { token } => Credentials::Token(Sensitive::new(token)),
        Stored::KeySecret { key, secret } => Credentials::KeySecret {
            key: Sensitive::new(key),
            secret: Sensitive::new(secret),
        },
    })
}

pub fn delete(keyring: &dyn SecretStore, store_id: &str, channel_id: i64) -> Result<()> {
    keyring.delete(APP_IDENTIFIER, &account(store_id, channel_id))
}

/// The keyring entry of this store's US Direct API token.
pub fn supplier_account(store_id: &str) -> String {
    format!("supplier:{store_id}")
}

pub fn save_supplier_token(
    keyring: &dyn SecretStore,
    store_id: &str,
    token: &Sensitive<String>,
) -> Result<()> {
    if token.expose().trim().is_empty() {
        return Err(Error::invalid("token", "the US Direct API token is empty"));
    }
    keyring.set(APP_IDENTIFIER, &supplier_account(store_id), token)
}

/// The US Direct API token, if one was saved.
pub fn load_supplier_token(
    keyring: &dyn SecretStore,
    store_id: &str,
) -> Result<Option<Sensitive<String>>> {
    keyring.get(APP_IDENTIFIER, &supplier_account(store_id))
}

/// Removes the US Direct API token; none saved is not an error.
pub fn delete_supplier_token(keyring: &dyn SecretStore, store_id: &str) -> Result<()> {
    keyring.delete(APP_IDENTIFIER, &supplier_account(store_id))
}
