//! Where US Direct is reached for live orders: the API base URL in the settings, the token in
//! the keyring, and how the last Test connection went. A saved token is only ever sent to the
//! server it was entered for.

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use crate::changes::Change;
use crate::credentials;
use crate::secret::Sensitive;
use crate::settings::{self, SupplierCheck, SupplierUrl};
use crate::supplier::SupplierError;
use crate::{Engine, Error, Result};

/// The US Direct account as the Settings window and `dealer supplier show` see it. The token is
/// in the keyring, never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierConnection {
    /// The API base URL, when US Direct is connected.
    pub url: Option<String>,
    /// A token is saved in the keyring.
    pub has_token: bool,
    /// When US Direct last accepted the saved token (RFC 3339), if it was checked.
    pub last_checked_at: Option<String>,
    /// Why the last check failed, when it did.
    pub last_error: Option<String>,
    /// Supplier jobs (send, authorize, cancel) of live orders waiting to go out.
    pub waiting_live_jobs: u32,
    /// The live orders those jobs belong to.
    pub waiting_live_orders: u32,
    /// Their ids, so an order's page can tell whether it is one of them.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub waiting_live_order_ids: Vec<i64>,
    /// Why those jobs cannot go, when the account is the reason ("your US Direct account is not
    /// connected"); `None` when they wait for nothing the dealer must do here.
    pub blocked_reason: Option<String>,
}

/// What a Test connection found.
#[derive(Debug, Clone)]
pub enum SupplierCheckOutcome {
    /// US Direct answered with the saved token.
    Accepted,
    Failed(SupplierError),
}

const NOT_CONNECTED: &str = "your US Direct account is not connected";
const TOKEN_REFUSED: &str = "US Direct refused the saved API token";

impl Engine {
    /// US Direct's API base, checked: HTTPS (plain http only on loopback), no credentials in it.
    pub fn validate_supplier_url(url: &str) -> Result<String> {
        crate::channel::validate_web_url(url).map_err(|err| match err {
            Error::InvalidInput { message, .. } => Error::invalid(
                "supplier_url",
                message.replace("a store must", "US Direct must"),
            ),
            other => other,
        })
    }

    /// Connects US Direct for live orders with a new token (it goes to the keyring only).
    pub async fn connect_supplier(
        &self,
        url: &str,
        token: &Sensitive<String>,
    ) -> Result<SupplierConnection> {
        self.save_supplier(url, Some(token)).await
    }

    /// Saves US Direct's API address and, when given, a new token. Without a token the saved
    /// one is kept, which is allowed only while the address stays on the same server (scheme,
    /// host and port): a saved token is never sent to a new host.
    pub async fn save_supplier(
        &self,
        url: &str,
        token: Option<&Sensitive<String>>,
    ) -> Result<SupplierConnection> {
        let url = Self::validate_supplier_url(url)?;
        let token = token.filter(|token| !token.expose().trim().is_empty());
        let SupplierUrl(current) = settings::get(self.store().pool()).await?;
        match token {
            Some(token) => {
                credentials::save_supplier_token(self.keyring(), self.store_id(), token)?
            }
            None => {
                let Some(current) = current.as_deref() else {
                    return Err(Error::invalid(
                        "token",
                        "enter US Direct's API token: it is saved in the OS keyring",
                    ));
                };
                if !crate::channel::same_origin(current, &url) {
                    return Err(Error::invalid(
                        "token",
                        "the address moved to a new host: enter the API token again",
                    ));
                }
                if credentials::load_supplier_token(self.keyring(), self.store_id())?.is_none() {
                    return Err(Error::invalid(
                        "token",
                        "no US Direct API token is saved in the OS keyring: enter it again",
                    ));
                }
            }
        }
        let changed = token.is_some() || current.as_deref() != Some(url.as_str());
        let mut tx = self.store().pool().begin().await?;
        settings::set(&mut *tx, &SupplierUrl(Some(url.clone()))).await?;
        if changed {
            // A check of the old account says nothing about the new one.
            settings::set(&mut *tx, &SupplierCheck::default()).await?;
        }
        tx.commit().await?;
        tracing::info!(%url, new_token = token.is_some(), "US Direct connected");
        // Live jobs that waited for the account may go now.
        self.publish(Change::JobsDue);
        self.supplier_connection().await
    }

    /// Forgets the US Direct account: its address, its check and its token in the keyring.
    /// Live orders' supplier jobs wait until it is connected again.
    pub async fn disconnect_supplier(&self) -> Result<SupplierConnection> {
        let mut tx = self.store().pool().begin().await?;
        settings::set(&mut *tx, &SupplierUrl(None)).await?;
        settings::set(&mut *tx, &SupplierCheck::default()).await?;
        tx.commit().await?;
        credentials::delete_supplier_token(self.keyring(), self.store_id())?;
        tracing::info!("US Direct disconnected");
        self.supplier_connection().await
    }

    /// Records what a Test connection found, and returns the account as it now stands.
    pub async fn record_supplier_check(
        &self,
        outcome: SupplierCheckOutcome,
    ) -> Result<SupplierConnection> {
        let mut check: SupplierCheck = settings::get(self.store().pool()).await?;
        match outcome {
            SupplierCheckOutcome::Accepted => {
                check = SupplierCheck {
                    ok_at: Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
                    error: None,
                    auth_failed: false,
                };
                self.publish(Change::JobsDue);
            }
            SupplierCheckOutcome::Failed(err) => {
                check.auth_failed = matches!(err, SupplierError::Unauthorized);
                check.error = Some(err.to_string());
            }
        }
        settings::set(self.store().pool(), &check).await?;
        self.supplier_connection().await
    }

    pub async fn supplier_connection(&self) -> Result<SupplierConnection> {
        let SupplierUrl(url) = settings::get(self.store().pool()).await?;
        let check: SupplierCheck = settings::get(self.store().pool()).await?;
        let has_token = match url {
            Some(_) => credentials::load_supplier_token(self.keyring(), self.store_id())?.is_some(),
            None => false,
        };
        let (waiting_live_jobs, waiting_live_order_ids) = self.waiting_live_supplier_jobs().await?;
        let blocked_reason = if waiting_live_jobs == 0 {
            None
        } else if url.is_none() || !has_token {
            Some(NOT_CONNECTED.to_string())
        } else if check.auth_failed {
            Some(TOKEN_REFUSED.to_string())
        } else {
            None
        };
        Ok(SupplierConnection {
            url,
            has_token,
            last_checked_at: check.ok_at,
            last_error: check.error,
            waiting_live_jobs,
            waiting_live_orders: u32::try_from(waiting_live_order_ids.len()).unwrap_or(u32::MAX),
            waiting_live_order_ids,
            blocked_reason,
        })
    }

    /// Pending supplier jobs of orders from live (not sandbox) channels, and those orders.
    async fn waiting_live_supplier_jobs(&self) -> Result<(u32, Vec<i64>)> {
        let rows = sqlx::query!(
            r#"SELECT j.order_id AS "order_id!: i64", COUNT(*) AS "jobs!: i64"
               FROM outbox_jobs j
               JOIN orders o ON o.id = j.order_id
               JOIN channels c ON c.id = o.channel_id
               WHERE j.state = 'pending'
                 AND j.kind IN ('create_supplier_order', 'authorize_payment',
                                'cancel_supplier_order')
                 AND c.is_sandbox = 0
               GROUP BY j.order_id
               ORDER BY j.order_id"#
        )
        .fetch_all(self.store().pool())
        .await?;
        let jobs: i64 = rows.iter().map(|row| row.jobs).sum();
        let orders = rows.into_iter().map(|row| row.order_id).collect();
        Ok((u32::try_from(jobs).unwrap_or(u32::MAX), orders))
    }
}
