//! Upstream's own store (DESIGN §9): egregora's pipeline writes DuckDB. It
//! is read through the `duckdb` shell only, read-only, and never written:
//! `check` judges it against the V3 spec, `import` copies it into a new V3
//! SQLite store, and `snapshot` keeps such a copy for the app.

pub mod catalog;
mod copy;
mod feed;
pub mod import;
pub mod inspect;
pub mod keeper;
mod partial;
mod quoted;
pub mod shell;
pub mod snapshot;
pub mod values;

use crate::store::error::{Result, StoreError};
use crate::store::identify::{Identity, identify};
use shell::Shell;
use std::path::{Path, PathBuf};

/// SQLite's `application_id` of a store `import` (or a snapshot) made
/// from upstream's DuckDB store ("EGDU"): such a store holds upstream's
/// tables (its `annotations` is live, not V2's), whatever its name.
pub const UPSTREAM_APPLICATION_ID: i32 = 0x4547_4455;

/// A DuckDB file and the shell that reads it.
#[derive(Debug, Clone)]
pub struct DuckStore {
    pub path: PathBuf,
    pub shell: Shell,
    pub storage_version: u64,
    /// The writer's version text, `v1.4.4`.
    pub writer: String,
    /// A `.wal` left beside it by a writer that stopped without a
    /// checkpoint: the shell replays it in memory, neither file changes.
    pub wal: bool,
}

impl DuckStore {
    /// `path` when it is a DuckDB file, with a shell to read it.
    pub fn open(path: &Path) -> Result<DuckStore> {
        let Identity::DuckDb {
            storage_version,
            writer,
        } = identify(path)?
        else {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                what: "not a DuckDB database".into(),
            });
        };
        Ok(DuckStore {
            shell: Shell::find(path)?,
            path: path.to_path_buf(),
            storage_version,
            writer,
            wal: wal_path(path).is_file(),
        })
    }

    /// What the file is, for a report's first lines.
    pub fn describe(&self) -> String {
        let mut s = Identity::DuckDb {
            storage_version: self.storage_version,
            writer: self.writer.clone(),
        }
        .describe();
        if self.wal {
            s.push_str(
                "; a leftover .wal beside it is read (replayed in memory), never written into the file",
            );
        }
        s
    }
}

/// Whether `path` holds a DuckDB file (by its header).
pub fn is_duckdb(path: &Path) -> bool {
    matches!(identify(path), Ok(Identity::DuckDb { .. }))
}

pub fn wal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".wal");
    PathBuf::from(p)
}
