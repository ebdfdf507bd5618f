//! Where a store lives on disk.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// File name of the encrypted database inside the data dir.
pub const DATABASE_FILE: &str = "dealer.db";
/// File name of the store manifest (how the key is found; holds no secret).
pub const MANIFEST_FILE: &str = "store.json";
/// Environment variable overriding the data dir (same as `--data-dir`).
pub const DATA_DIR_ENV: &str = "DEALER_DATA_DIR";

/// The per-user data dir (`~/.local/share/com.dealerportal.desktop` on Linux), unless `explicit`
/// (from `--data-dir` or `DEALER_DATA_DIR`) names another.
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    directories::ProjectDirs::from_path(PathBuf::from(crate::APP_IDENTIFIER))
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| Error::InvalidInput {
            field: "data_dir".into(),
            message: "no home directory is known for this user; pass --data-dir DIR or set \
                      DEALER_DATA_DIR"
                .into(),
        })
}
