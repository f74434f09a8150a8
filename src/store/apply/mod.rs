//! Runs a Plan in one `BEGIN IMMEDIATE` transaction: backup first, the plan
//! recomputed under the write lock, verification before COMMIT, progress
//! through a callback, cancellation through SQLite's interrupt.

mod copy;
mod lock_wait;
mod run;

use crate::store::cancel::Canceller;
use crate::store::error::{Result, StoreError};
use crate::store::inspection::inspect::{Counts, Inspection, inspect};
use crate::store::inspection::integrity::CheckBeside;
use crate::store::open::{WRITE_BUSY, data_version, open_for_write};
use crate::store::plan::Plan;
use lock_wait::LockWait;
pub use run::Progress;
use run::{Run, backup_target};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    pub backup: bool,
}

#[derive(Debug)]
pub struct Outcome {
    pub backup: Option<PathBuf>,
    pub steps_run: usize,
    pub rows_copied: u64,
    /// The store as it is after the commit.
    pub after: Inspection,
}

/// Runs `shown` (the plan the user saw and confirmed) against its store.
pub fn apply(
    shown: &Plan,
    opts: ApplyOptions,
    cancel: &Canceller,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Outcome> {
    if !shown.blockers.is_empty() {
        return Err(StoreError::Blocked(shown.blockers.clone()));
    }
    let path = shown.path.as_path();
    let made_dirs = if shown.creates_file {
        create_parents(path)?
    } else {
        None
    };
    if shown.creates_file && path.exists() {
        return Err(StoreError::PlanChanged);
    }
    let mut conn = open_for_write(path, shown.creates_file)?;
    crate::store::extensions::register(&conn)
        .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    cancel.attach(&conn);
    let backup = backup_target(shown, opts.backup);
    let mut run = Run {
        shown,
        cancel,
        progress,
        check: None,
        wrote_backup: false,
    };
    let result = run_all(&mut conn, &mut run, backup.as_deref());
    let wrote_backup = run.wrote_backup;
    cancel.detach();
    // The handler of this run holds its check; the connection goes on with
    // the usual timeout.
    let _ = conn.busy_timeout(WRITE_BUSY);
    match result {
        Ok((steps_run, rows_copied)) => {
            let after = inspect(&mut conn, path, Counts::None)?;
            Ok(Outcome {
                backup: backup.filter(|_| wrote_backup),
                steps_run,
                rows_copied,
                after,
            })
        }
        Err(e) => {
            // The transaction rolled back when it was dropped; a failed
            // ROLLBACK still leaves the journal to undo the work when the
            // connection closes.
            drop(conn);
            // The store is as it was, so a backup of it is redundant.
            if let (Some(b), true) = (&backup, wrote_backup) {
                let _ = std::fs::remove_file(b);
            }
            if shown.creates_file {
                remove_new_store(path, made_dirs.as_deref());
            }
            Err(if cancel.is_cancelled() {
                StoreError::Cancelled
            } else {
                e
            })
        }
    }
}

/// Every phase of a run: returns (steps run, rows copied).
fn run_all(
    conn: &mut Connection,
    run: &mut Run<'_>,
    backup: Option<&Path>,
) -> Result<(usize, u64)> {
    let path = run.shown.path.clone();
    let before =
        data_version(conn).map_err(|e| StoreError::sqlite(&path, "cannot read the store", e))?;
    // quick_check runs beside the backup and the first steps; see CheckBeside
    // for why nothing reaches the file before its verdict.
    if !run.shown.creates_file {
        run.check = Some(CheckBeside::start(&path)?);
    }
    let held = Arc::new(AtomicBool::new(false));
    let mut wait = LockWait::new(
        run.check.as_ref().map(CheckBeside::standing),
        run.cancel,
        held.clone(),
    );
    conn.busy_handler(Some(move |n| wait.retry(n)))
        .map_err(|e| StoreError::sqlite(&path, "cannot set up the connection", e))?;
    let result = (|| {
        if let Some(b) = backup {
            run.backup(conn, b)?;
        }
        let (tx, plan) = run.lock(conn, before, &held)?;
        let copied = run.steps(&tx, &plan)?;
        run.commit(tx, plan.steps.len())?;
        Ok((plan.steps.len(), copied))
    })();
    result.map_err(|e| run.explain(e))
}

/// Creates the missing folders above a new store; returns the topmost one
/// made, so a failed run can take them away again.
fn create_parents(path: &Path) -> Result<Option<PathBuf>> {
    let Some(parent) = path.parent() else {
        return Ok(None);
    };
    let mut top = None;
    let mut p = parent;
    while !p.exists() {
        top = Some(p.to_path_buf());
        match p.parent() {
            Some(q) => p = q,
            None => break,
        }
    }
    std::fs::create_dir_all(parent)
        .map_err(|e| StoreError::io(format!("cannot create {}", parent.display()), e))?;
    Ok(top)
}

fn remove_new_store(path: &Path, made_dirs: Option<&Path>) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    if let (Some(top), Some(parent)) = (made_dirs, path.parent()) {
        let mut d = parent;
        loop {
            if std::fs::remove_dir(d).is_err() || d == top {
                break;
            }
            match d.parent() {
                Some(q) => d = q,
                None => break,
            }
        }
    }
}
