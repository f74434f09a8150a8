//! The work that runs on a thread of its own beside the workers' reads: a
//! confirmed plan, an export, a count of a column's values. Each reports
//! progress, then its outcome, through `send`.

use super::messages::{ChangeAsk, Failure, PREVIEW_ROWS, Previewed, Reply, Taking};
use crate::store::StoreError;
use crate::store::apply::{self, ApplyOptions, Progress};
use crate::store::cancel::Canceller;
use crate::store::change::{self, Preview};
use crate::store::duckdb::import::ImportProgress;
use crate::store::duckdb::snapshot;
use crate::store::identify::Stamp;
use crate::store::inspection::checks;
use crate::store::inspection::inspect::Inspection;
use crate::store::open::open_read_only;
use crate::store::plan::Plan;
use crate::store::read::export::{self, Format, Source};
use crate::store::read::frequencies::{self, FreqSource};
use std::path::{Path, PathBuf};

/// Runs a confirmed plan, reporting progress, then the outcome.
pub fn apply_plan(plan: &Plan, cancel: &Canceller, send: &dyn Fn(Reply)) {
    let mut report = |p: &Progress| send(Reply::Progress(p.clone()));
    let result = apply::apply(plan, ApplyOptions { backup: true }, cancel, &mut report);
    send(Reply::Applied(
        result.map(|o| summary(&o)).map_err(|e| e.to_string()),
    ));
}

/// Runs an export to `path` (relative to the working folder), reporting
/// progress, then the outcome; a stop removes the partial file.
pub fn run_export(
    store: &Path,
    source: &Source,
    path: &Path,
    format: Format,
    cancel: &Canceller,
    send: &dyn Fn(Reply),
) {
    let result = (|| -> Result<(u64, PathBuf), StoreError> {
        let path = std::path::absolute(path)
            .map_err(|e| StoreError::io("cannot resolve the file name", e))?;
        let read = crate::store::read::query::open(store)?;
        let total = export::rows_of(&read.conn, source);
        send(Reply::ExportProgress { rows: 0, total });
        cancel.attach(&read.conn);
        let n = export::export_file(&read, source, format, &path, &mut |rows| {
            send(Reply::ExportProgress { rows, total });
            !cancel.is_cancelled()
        });
        cancel.detach();
        Ok((n?, path))
    })();
    send(Reply::Exported(result.map_err(|e| match e {
        StoreError::Cancelled => "stopped; the partial file was removed".to_string(),
        e => e.to_string(),
    })));
}

/// Counts a column's values, reporting how far it has got, then the result.
pub fn run_frequencies(
    store: &Path,
    ticket: u64,
    source: &FreqSource,
    column: &str,
    cancel: &Canceller,
    send: &dyn Fn(Reply),
) {
    let result = (|| {
        let qc = crate::store::read::query::open(store)?;
        cancel.attach(qc.conn());
        let got = frequencies::frequencies(&qc, source, column, &mut |groups| {
            send(Reply::FreqProgress { ticket, groups });
            !cancel.is_cancelled()
        });
        cancel.detach();
        got
    })();
    if !cancel.is_cancelled() {
        send(Reply::Frequencies {
            ticket,
            result: result.map_err(|e| e.to_string()),
        });
    }
}

/// Runs the data checks on a connection of their own, saying how far each
/// table's pass has got; a stop interrupts them.
pub fn run_checks(
    store: &Path,
    ins: Option<std::sync::Arc<Inspection>>,
    ticket: u64,
    cancel: &Canceller,
    send: &dyn Fn(Reply),
) {
    let result = (|| {
        let ins = ins.ok_or_else(|| StoreError::Refused("the store is not open".into()))?;
        let read = open_read_only(store)?;
        cancel.attach(&read.conn);
        let found = checks::watched(&read.conn, &ins, &mut |at| {
            send(Reply::Checking {
                ticket,
                at: at.clone(),
            });
            !cancel.is_cancelled()
        });
        cancel.detach();
        found
    })();
    if !cancel.is_cancelled() {
        send(Reply::DataChecks {
            ticket,
            result: result.map_err(Failure::from),
        });
    }
}

/// Previews a change: recorded, its first rows read, rolled back.
pub fn preview_change(store: &Path, ticket: u64, ask: &ChangeAsk, send: &dyn Fn(Reply)) {
    let result = (|| -> Result<Previewed, StoreError> {
        let preview = match ask {
            ChangeAsk::Edit {
                table,
                rowid,
                column,
                value,
            } => change::edit(
                store,
                table,
                &change::RowKey::Rowid(*rowid),
                column,
                value.as_deref(),
            ),
            ChangeAsk::Delete { table, rowid } => {
                change::delete(store, table, &change::RowKey::Rowid(*rowid))
            }
            ChangeAsk::Fix(code) => change::fix(store, &[*code]),
            ChangeAsk::Undo(file) => change::undo(store, Some(file)),
        }?;
        let rows = preview.window(0, PREVIEW_ROWS)?;
        Ok(Previewed {
            preview: std::sync::Arc::new(preview),
            rows,
            stamp: Stamp::of(store),
        })
    })();
    send(Reply::ChangePreview {
        ticket,
        result: result.map_err(|e| e.to_string()),
    });
}

/// Commits a previewed change (refused, nothing written, when the store
/// no longer makes the same change).
pub fn commit_change(preview: &Preview, cancel: &Canceller, send: &dyn Fn(Reply)) {
    let result = change::commit(preview, cancel).map_err(|e| e.to_string());
    send(Reply::ChangeCommitted(result, Stamp::of(&preview.path)));
}

/// Takes the first snapshot of upstream's DuckDB store, reporting its
/// progress; while the pipeline holds the file, tries again every two
/// seconds until it can read it or is stopped.
pub fn take_snapshot(source: &Path, cache: &Path, cancel: &Canceller, send: &dyn Fn(Reply)) {
    let said = |t| send(Reply::Snapshot(t));
    loop {
        let mut progress = |p: &ImportProgress| said(Taking::Progress(p.clone()));
        let outcome = match snapshot::snapshot(source, cache, &mut progress, cancel) {
            Err(StoreError::DuckDbHeld { pid, process, .. }) => {
                said(Taking::Held(format!(
                    "held by process {pid} ({process}), retrying"
                )));
                for _ in 0..20 {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    if cancel.is_cancelled() {
                        break;
                    }
                }
                if !cancel.is_cancelled() {
                    continue;
                }
                Err(None)
            }
            Err(StoreError::Cancelled) => Err(None),
            Err(e) => Err(Some(e.to_string())),
            Ok(s) => Ok(Box::new(s)),
        };
        return said(Taking::Taken(outcome));
    }
}

fn summary(o: &apply::Outcome) -> String {
    let mut s = format!(
        "done: {} step(s) applied; the store is now {}",
        o.steps_run,
        o.after.state.label()
    );
    if let Some(b) = &o.backup {
        s.push_str(&format!("; backup at {}", b.display()));
    }
    s
}
