//! Saving the supplier's books to `<state_dir>/supplier.json`: a temp file renamed over the
//! old one, so a reader (or a crash) never sees half a file.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::book::SupplierData;
use crate::error::SandboxError;

pub(crate) fn state_file(dir: &Path) -> PathBuf {
    dir.join("supplier.json")
}

/// The saved books, or `None` if the supplier was never saved. Creates the directory.
pub(crate) fn load(path: &Path) -> Result<Option<SupplierData>, SandboxError> {
    let io_error = |source| SandboxError::StateIo {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_error)?;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error(error)),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| SandboxError::StateFormat {
            path: path.to_owned(),
            source,
        })
}

pub(crate) fn save(path: &Path, data: &SupplierData) -> Result<(), SandboxError> {
    let io_error = |source| SandboxError::StateIo {
        path: path.to_owned(),
        source,
    };
    let bytes = serde_json::to_vec_pretty(data).map_err(|source| SandboxError::StateFormat {
        path: path.to_owned(),
        source,
    })?;
    let temp = path.with_extension("json.tmp");
    fs::write(&temp, bytes).map_err(io_error)?;
    fs::rename(&temp, path).map_err(io_error)
}
