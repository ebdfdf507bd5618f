//! Saving a store's orders to `<state_dir>/<kind>.json` so a sandbox survives restarts (the CLI
//! places an order in one process, the app imports it in another). Every save writes a temp
//! file and renames it over the old one, so a reader never sees half a file.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::model::{SandboxOrder, StoreKind};

#[derive(Serialize)]
struct StateFileRef<'a> {
    kind: StoreKind,
    orders: Vec<&'a SandboxOrder>,
}

#[derive(Deserialize)]
struct StateFile {
    kind: StoreKind,
    orders: Vec<SandboxOrder>,
}

pub(crate) fn state_file(dir: &Path, kind: StoreKind) -> PathBuf {
    dir.join(format!("{kind}.json"))
}

/// The saved orders, or none if the store was never saved. Creates the directory.
pub(crate) fn load(path: &Path, kind: StoreKind) -> Result<Vec<SandboxOrder>, SandboxError> {
    let io_error = |source| SandboxError::StateIo {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_error)?;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io_error(error)),
    };
    let file: StateFile =
        serde_json::from_slice(&bytes).map_err(|source| SandboxError::StateFormat {
            path: path.to_owned(),
            source,
        })?;
    if file.kind != kind {
        tracing::warn!(path = %path.display(), found = %file.kind, expected = %kind,
            "sandbox state file was written by another kind of store; loading its orders anyway");
    }
    Ok(file.orders)
}

pub(crate) fn save<'a>(
    path: &Path,
    kind: StoreKind,
    orders: impl Iterator<Item = &'a SandboxOrder>,
) -> Result<(), SandboxError> {
    let io_error = |source| SandboxError::StateIo {
        path: path.to_owned(),
        source,
    };
    let file = StateFileRef {
        kind,
        orders: orders.collect(),
    };
    let bytes = serde_json::to_vec_pretty(&file).map_err(|source| SandboxError::StateFormat {
        path: path.to_owned(),
        source,
    })?;
    let temp = path.with_extension("json.tmp");
    fs::write(&temp, bytes).map_err(io_error)?;
    fs::rename(&temp, path).map_err(io_error)
}
