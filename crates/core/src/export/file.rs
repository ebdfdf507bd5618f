//! An export's file: written under a hidden name beside its destination and renamed into place
//! once whole, so a failed export (disk full, folder gone, the app quit) leaves the old file,
//! or none, never half of a new one. The CLI's `dealer export` and the window's Export CSV
//! both write through it.

use std::ffi::OsString;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A file being written. [`PartialFile::commit`] renames it over the destination; dropped
/// without that (an error, a cancelled task), the partial file is removed.
#[derive(Debug)]
pub struct PartialFile {
    output: PathBuf,
    partial: PathBuf,
    out: Option<BufWriter<File>>,
}

impl PartialFile {
    /// Creates the hidden file beside `output` (`.orders.csv.<pid>.partial`).
    pub fn create(output: &Path) -> Result<Self> {
        let name = output.file_name().ok_or_else(|| {
            Error::invalid(
                "file",
                format!("{} is not a file name; choose a file", output.display()),
            )
        })?;
        let mut partial = OsString::from(".");
        partial.push(name);
        partial.push(format!(".{}.partial", std::process::id()));
        let folder = folder_of(output);
        let partial = folder.join(partial);
        let file = File::create(&partial).map_err(|err| {
            Error::io(
                format!(
                    "cannot write in {}: check that the folder exists and that you may write \
                     there, or choose another file",
                    folder.display()
                ),
                err,
            )
        })?;
        Ok(Self {
            output: output.to_path_buf(),
            partial,
            out: Some(BufWriter::new(file)),
        })
    }

    /// Where the export goes.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The writer to hand the export.
    pub fn writer(&mut self) -> Result<&mut BufWriter<File>> {
        self.out.as_mut().ok_or_else(|| {
            Error::io(
                "the export file was already closed",
                std::io::Error::other("closed"),
            )
        })
    }

    /// Flushes, syncs to disk and renames the file over the destination.
    pub fn commit(mut self) -> Result<()> {
        let written = match self.out.take() {
            Some(out) => out,
            None => return Ok(()),
        };
        let not_written = |err: std::io::Error| {
            Error::io(format!("could not write {}", self.output.display()), err)
        };
        let file = written
            .into_inner()
            .map_err(|err| not_written(err.into_error()))?;
        file.sync_all().map_err(not_written)?;
        drop(file);
        std::fs::rename(&self.partial, &self.output)
            .map_err(|err| Error::io(format!("cannot replace {}", self.output.display()), err))?;
        // Renamed: nothing for Drop to remove.
        self.partial = PathBuf::new();
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        self.out = None;
        if !self.partial.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

fn folder_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_committed_file_replaces_the_old_one_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("orders.csv");
        std::fs::write(&output, "old").unwrap();
        let mut file = PartialFile::create(&output).unwrap();
        file.writer().unwrap().write_all(b"a,b\r\n").unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "a,b\r\n");
        assert_eq!(entries(dir.path()), ["orders.csv"]);
    }

    #[test]
    fn a_file_dropped_before_commit_leaves_the_old_one_and_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("orders.csv");
        std::fs::write(&output, "old").unwrap();
        let mut file = PartialFile::create(&output).unwrap();
        file.writer().unwrap().write_all(b"half").unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "old");
        assert_eq!(entries(dir.path()), ["orders.csv"]);
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = PartialFile::create(&dir.path().join("gone/orders.csv")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("cannot write in"), "{message}");
        assert!(message.contains("gone"), "{message}");
    }
}
