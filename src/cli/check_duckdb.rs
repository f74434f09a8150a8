//! `check` on upstream's DuckDB store: the same report as for SQLite, its
//! file line naming DuckDB, read through the shell.

use crate::cli::shared::watch_signals;
use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::inspect::{DuckInspection, inspect_duckdb};
use crate::text::escape;
use std::path::Path;

/// Ctrl-C or SIGTERM stops the scan (the scratch copy is removed).
pub fn inspect(path: &Path, data: bool) -> anyhow::Result<DuckInspection> {
    let store = DuckStore::open(path)?;
    let cancel = Canceller::new();
    let signals = watch_signals(&cancel)?;
    let result = inspect_duckdb(&store, data, &cancel);
    signals.close();
    match result {
        Err(StoreError::Cancelled) => anyhow::bail!("stopped: the check did not finish"),
        other => Ok(other?),
    }
}

/// The report's file lines: DuckDB, its versions, a .wal, how it is read.
pub fn file_lines(d: &DuckInspection) -> String {
    format!(
        "file     {} bytes, {}\n         read through the duckdb shell, read-only; never written",
        d.inspection.facts.size_bytes,
        escape(&d.store.describe())
    )
}

/// `check --json`'s `file` for a DuckDB store.
pub fn file_json(d: &DuckInspection) -> serde_json::Value {
    serde_json::json!({
        "format": "duckdb",
        "size_bytes": d.inspection.facts.size_bytes,
        "duckdb_version": d.store.writer,
        "storage_version": d.store.storage_version,
        "wal": d.store.wal,
    })
}
