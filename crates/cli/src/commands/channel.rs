//! `dealer channel …`

use anyhow::{bail, Context, Result};
use dealer_core::channel::Credentials;
use dealer_core::domain::ChannelKind;
use dealer_core::secret::Sensitive;
use dealer_core::store::Channel;
use dealer_core::Engine;
use dealer_runtime::Runtime;

use crate::args::{ChannelCommand, Kind};

pub const TOKEN_ENV: &str = "DEALER_CHANNEL_TOKEN";
pub const KEY_ENV: &str = "DEALER_CHANNEL_KEY";
pub const SECRET_ENV: &str = "DEALER_CHANNEL_SECRET";

pub fn channel_kind(kind: Kind) -> ChannelKind {
    match kind {
        Kind::Shopify => ChannelKind::Shopify,
        Kind::Woocommerce => ChannelKind::Woocommerce,
        Kind::Bigcommerce => ChannelKind::Bigcommerce,
    }
}

pub async fn run(engine: &Engine, command: ChannelCommand) -> Result<()> {
    match command {
        ChannelCommand::Add { kind, name, url } => {
            let kind = channel_kind(kind);
            let credentials = credentials_for(kind)?;
            let channel = engine
                .add_channel(
                    &dealer_connectors::PlatformProfiles,
                    kind,
                    &name,
                    &url,
                    &credentials,
                )
                .await?;
            println!(
                "added {} ({}, {}); its credentials are in the OS keyring",
                channel.name,
                channel.kind.as_str(),
                channel.base_url
            );
            Ok(())
        }
        ChannelCommand::List { json } => {
            let channels = engine.store().channels().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&channels)?);
            } else {
                for channel in &channels {
                    println!(
                        "{:<24} {:<12} {}{}",
                        channel.name,
                        channel.kind.as_str(),
                        channel.base_url,
                        if channel.is_sandbox {
                            "  (sandbox)"
                        } else {
                            ""
                        }
                    );
                }
                println!("{} channels", channels.len());
            }
            Ok(())
        }
        // Needs the runtime (its connector, and the sandbox store running): see `test`.
        ChannelCommand::Test { .. } => Ok(()),
        ChannelCommand::Remove { name } => {
            let channel = find(engine, &name).await?;
            engine.remove_channel(channel.id).await?;
            println!("removed {}; its orders stay in the store", channel.name);
            Ok(())
        }
    }
}

pub async fn find(engine: &Engine, name: &str) -> Result<Channel> {
    match engine.store().channel_by_name(name).await? {
        Some(channel) => Ok(channel),
        None => {
            let names: Vec<String> = engine
                .store()
                .channels()
                .await?
                .into_iter()
                .map(|c| c.name)
                .collect();
            bail!(
                "no channel is called {name:?}; the channels are: {}",
                names.join(", ")
            )
        }
    }
}

/// Credentials from the environment, else typed at a hidden prompt.
fn credentials_for(kind: ChannelKind) -> Result<Credentials> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let prompt = |label: &str| -> Result<String> {
        rpassword::prompt_password(format!("{label}: "))
            .with_context(|| format!("reading the {label} (or set it in the environment)"))
    };
    Ok(match kind {
        ChannelKind::Woocommerce => Credentials::KeySecret {
            key: Sensitive::new(match env(KEY_ENV) {
                Some(key) => key,
                None => prompt("WooCommerce consumer key")?,
            }),
            secret: Sensitive::new(match env(SECRET_ENV) {
                Some(secret) => secret,
                None => prompt("WooCommerce consumer secret")?,
            }),
        },
        ChannelKind::Shopify | ChannelKind::Bigcommerce => {
            Credentials::Token(Sensitive::new(match env(TOKEN_ENV) {
                Some(token) => token,
                None => prompt("Access token")?,
            }))
        }
    })
}

/// `dealer channel test NAME`: the store's URL, credentials and permissions, checked live.
pub async fn test(runtime: &Runtime, name: &str) -> Result<()> {
    let engine = runtime.engine();
    let channel = find(engine, name).await?;
    let check = engine
        .test_channel(runtime.connector().as_ref(), channel.id)
        .await?;
    match check.api_version {
        Some(version) => println!(
            "{}: connected to {:?} (API version {version})",
            channel.name, check.store_name
        ),
        None => println!("{}: connected to {:?}", channel.name, check.store_name),
    }
    Ok(())
}
