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

/// Files and dirs this process makes from now on are the dealer's alone (0600 and 0700): the
/// store and its WAL, logs, the sandbox's state. Call first thing in `main`, before any thread.
pub fn private_files() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// Makes `dir` (and its parents) if missing and leaves it 0700, tightening one made before with
/// looser permissions; the files directly in it that a looser past left readable by others
/// become 0600.
pub fn private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|err| Error::io(format!("creating {}", dir.display()), err))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|err| Error::io(format!("protecting {}", dir.display()), err))?;
        let entries = std::fs::read_dir(dir)
            .map_err(|err| Error::io(format!("reading {}", dir.display()), err))?;
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
                let tightened = std::fs::set_permissions(
                    entry.path(),
                    std::fs::Permissions::from_mode(meta.permissions().mode() & 0o700),
                );
                if let Err(err) = tightened {
                    tracing::warn!(file = %entry.path().display(), "could not make the file private: {err}");
                }
            }
        }
    }
    Ok(())
}
