//! End to end: the real Dealer Portal window, on a real SQLCipher store whose key is in a real
//! Secret Service, driven over WebDriver. Run through `scripts/test`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attention;
mod authorize;
mod cancel;
mod cli_channels;
mod dashboard;
mod export;
mod going_live;
mod hostile;
mod import;
mod lifecycle;
mod orders;
mod passphrase;
mod resolve;
mod settings_channels;
mod single_instance;
mod sku_match;
mod statement;
mod store_proofs;
mod tray;
