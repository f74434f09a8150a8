//! The app on upstream's DuckDB store: its snapshot first (reused while
//! the file is unchanged; taken with a progress line otherwise), then the
//! app on the snapshot, read-only, with a keeper that watches the source.

use super::shared::watch_signals;
use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::duckdb::keeper::Keeper;
use crate::store::duckdb::snapshot::{self, default_cache_dir, snapshot};
use crate::text::escape;
use anyhow::Result;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The snapshot to open and its keeper. While the pipeline holds the file
/// the last snapshot is opened (the keeper retries), or with none yet this
/// waits and retries until it can read or is stopped.
pub(super) fn prepare(source: &Path) -> Result<(PathBuf, Keeper)> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the app needs a terminal; for a report use `egregora-inspect check {}`",
            escape(&source.to_string_lossy())
        );
    }
    let cache = default_cache_dir()?;
    let cancel = Canceller::new();
    let signals = watch_signals(&cancel)?;
    let result = loop {
        let mut shown = false;
        let mut progress = |p: &crate::store::duckdb::import::ImportProgress| {
            let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
            eprint!(
                "\r\x1b[2Ktaking a snapshot of {}: {} {} {pct}%",
                escape(&source.to_string_lossy()),
                p.phase,
                escape(&p.table)
            );
            shown = true;
        };
        let taken = snapshot(source, &cache, &mut progress, &cancel);
        if shown {
            eprintln!();
        }
        match taken {
            Ok(snap) => break Ok((snap.path.clone(), Keeper::start(snap, cache, None))),
            Err(StoreError::DuckDbHeld { pid, process, .. }) => {
                let note = format!("held by process {pid} ({process}), retrying");
                if let Some(old) = snapshot::read(&snapshot::snapshot_path(source, &cache)) {
                    break Ok((old.path.clone(), Keeper::start(old, cache, Some(note))));
                }
                eprintln!(
                    "{} is {} (Ctrl-C stops)",
                    escape(&source.to_string_lossy()),
                    note
                );
                std::thread::sleep(std::time::Duration::from_secs(2));
                if cancel.is_cancelled() {
                    break Err(anyhow::anyhow!(
                        "stopped while the file was held: no snapshot was taken"
                    ));
                }
            }
            Err(StoreError::Cancelled) => {
                break Err(anyhow::anyhow!("stopped: no snapshot was taken"));
            }
            Err(e) => break Err(e.into()),
        }
    };
    signals.close();
    result
}
