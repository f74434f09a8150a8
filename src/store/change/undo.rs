//! Undo files: beside the store, where its backups go
//! (`<store>.undo-<UTC time>`), one JSON header line and then the inverse
//! change set. Written to a temporary name and synced before the store
//! commits, renamed after: a kill leaves either no undo file (the store
//! old, or new with its undo lost in a `.tmp`) or a complete one for a
//! change that committed. Never one that is half written, and never one
//! for a change that did not happen.

use super::places;
use super::rows::{ChangeFile, ROWIDS};
use crate::store::error::{Result, StoreError};
use crate::store::plan::free_path;
use rusqlite::Connection;
use rusqlite::session::{ChangesetItem, ConflictAction, ConflictType};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Format 2 keeps where rows stood (see `places`); 1 did not, and is
/// still read.
const FORMAT: &str = "egregora-inspect undo 2";
const FORMATS: [&str; 2] = [FORMAT, "egregora-inspect undo 1"];
/// A header longer than this is not one of ours.
const HEADER_AT_MOST: u64 = 1 << 20;
/// Rows a conflict names at most.
const CONFLICTS_NAMED: usize = 20;

/// What an undo file says of the change it takes back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UndoHeader {
    pub format: String,
    /// When the change committed (UTC, ISO 8601).
    pub when: String,
    /// The command that made it: exec, fix, undo.
    pub command: String,
    /// The statements it ran, or the undo file it applied.
    pub what: Vec<String>,
    /// The rows it changed.
    pub rows: u64,
}

/// An undo file found beside a store.
#[derive(Debug, Clone, Serialize)]
pub struct UndoFile {
    pub path: PathBuf,
    #[serde(flatten)]
    pub header: UndoHeader,
}

/// An undo file written under its temporary name, not yet in place.
pub(crate) struct Pending {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn io(what: String) -> impl FnOnce(std::io::Error) -> StoreError {
    move |e| StoreError::io(what, e)
}

/// Writes the inverse of `changes` with its header to a temporary file
/// beside the store, synced to disk.
pub(crate) fn write(
    conn: &Connection,
    store: &Path,
    command: &str,
    what: Vec<String>,
    rows: u64,
    changes: &ChangeFile,
) -> Result<Pending> {
    let (ts, when): (String, String) = conn
        .query_row(
            "SELECT strftime('%Y%m%dT%H%M%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| StoreError::sqlite(store, "cannot read the clock", e))?;
    let mut dest = store.as_os_str().to_owned();
    dest.push(format!(".undo-{ts}"));
    let dest = free_path(PathBuf::from(dest));
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let header = UndoHeader {
        format: FORMAT.into(),
        when,
        command: command.into(),
        what,
        rows,
    };
    let shown = tmp.display().to_string();
    let file = std::fs::File::create_new(&tmp).map_err(io(format!("cannot create {shown}")))?;
    let pending = Pending {
        tmp: tmp.clone(),
        dest,
        done: false,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let line = serde_json::to_string(&header).unwrap_or_default();
    writeln!(out, "{line}").map_err(io(format!("cannot write {shown}")))?;
    let mut input = changes.reader()?;
    super::wire::invert(&mut input, &mut out)
        .map_err(|e| StoreError::sqlite(store, "cannot write the undo file", e))?;
    let file = out
        .into_inner()
        .map_err(|e| StoreError::io(format!("cannot write {shown}"), e.into_error()))?;
    file.sync_all()
        .map_err(io(format!("cannot sync {shown}")))?;
    Ok(pending)
}

impl Pending {
    /// Puts the file in place (after the store committed) and syncs its
    /// folder, so the name survives a crash too.
    pub(crate) fn publish(mut self) -> Result<PathBuf> {
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(io(format!("cannot rename {}", self.tmp.display())))?;
        self.done = true;
        if let Some(dir) = self.dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(self.dest.clone())
    }
}

/// Reads an undo file's header; the change set follows it.
pub fn read_header(path: &Path) -> Result<(UndoHeader, u64)> {
    let shown = path.display().to_string();
    let not_ours = || StoreError::Refused(format!("{shown} is not an undo file of this tool"));
    let f = std::fs::File::open(path).map_err(io(format!("cannot open {shown}")))?;
    let mut line = Vec::new();
    BufReader::new(f)
        .take(HEADER_AT_MOST)
        .read_until(b'\n', &mut line)
        .map_err(io(format!("cannot read {shown}")))?;
    if line.last() != Some(&b'\n') {
        return Err(not_ours());
    }
    let header: UndoHeader = serde_json::from_slice(&line).map_err(|_| not_ours())?;
    if !FORMATS.contains(&header.format.as_str()) {
        return Err(not_ours());
    }
    Ok((header, line.len() as u64))
}

/// The undo files beside `store`, newest first.
pub fn list(store: &Path) -> Result<Vec<UndoFile>> {
    let dir = store
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = store.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(Vec::new());
    };
    let prefix = format!("{name}.undo-");
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(io(format!("cannot list {}", dir.display())))?;
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        if !file.starts_with(&prefix) || file.ends_with(".tmp") {
            continue;
        }
        let path = dir.join(&file);
        if let Ok((header, _)) = read_header(&path) {
            found.push(UndoFile { path, header });
        }
    }
    found.sort_by(|a, b| {
        (&b.header.when, b.path.as_os_str().len(), &b.path).cmp(&(
            &a.header.when,
            a.path.as_os_str().len(),
            &a.path,
        ))
    });
    Ok(found)
}

/// Applies the change set of `changes` to `conn` (in its transaction).
/// Every row changed since (a conflict) is named and the whole is
/// refused; the caller rolls back.
pub(crate) fn apply(
    conn: &Connection,
    store: &Path,
    changes: &ChangeFile,
    records: u64,
) -> Result<()> {
    let seen: Arc<Mutex<(u64, Vec<String>)>> = Arc::default();
    let slot = seen.clone();
    let before = conn.total_changes();
    let mut input = changes.reader()?;
    conn.apply_strm(
        &mut input,
        Some(|t: &str| t != ROWIDS),
        move |kind: ConflictType, item: &ChangesetItem| {
            if let Ok(mut s) = slot.lock() {
                s.0 += 1;
                if s.1.len() < CONFLICTS_NAMED {
                    s.1.push(conflict(&kind, item));
                }
            }
            // Go on, to name every row; the caller rolls the whole back.
            ConflictAction::SQLITE_CHANGESET_OMIT
        },
    )
    .map_err(|e| StoreError::sqlite(store, "cannot apply the undo file", e))?;
    let (count, named) = seen.lock().map(|s| s.clone()).unwrap_or_default();
    if count > 0 {
        let more = if count as usize > named.len() {
            format!(" (and {} more)", count as usize - named.len())
        } else {
            String::new()
        };
        return Err(StoreError::Conflict(format!(
            "{count} row(s) changed since: {}{more}",
            named.join("; ")
        )));
    }
    let applied = conn.total_changes().saturating_sub(before);
    if applied != records {
        return Err(StoreError::Conflict(format!(
            "{} of its {records} row(s) no longer fit the store's tables (a table or key changed)",
            records.saturating_sub(applied)
        )));
    }
    places::restore(conn, store, changes)
}

/// One conflict as a user reads it: the table, the row's key, what is wrong.
fn conflict(kind: &ConflictType, item: &ChangesetItem) -> String {
    let Ok(op) = item.op() else {
        return "a row".into();
    };
    let table = op.table_name().to_string();
    let inserted = op.code() == rusqlite::hooks::Action::SQLITE_INSERT;
    let pk = item.pk().map(<[u8]>::to_vec).unwrap_or_default();
    let key: Vec<String> = pk
        .iter()
        .enumerate()
        .filter(|(_, p)| **p != 0)
        .filter_map(|(i, _)| {
            let v = if inserted {
                item.new_value(i)
            } else {
                item.old_value(i)
            };
            v.ok().map(|v| super::rows::Value::from(v).shown(40))
        })
        .collect();
    let why = match kind {
        ConflictType::SQLITE_CHANGESET_DATA => "its values changed since",
        ConflictType::SQLITE_CHANGESET_NOTFOUND => "it is gone",
        ConflictType::SQLITE_CHANGESET_CONFLICT => "a row with its key is there again",
        _ => "a constraint refuses it",
    };
    format!("{table} {}: {why}", key.join(", "))
}
