//! Runs a Plan in one `BEGIN IMMEDIATE` transaction: backup first, the plan
//! recomputed under the write lock, verification before COMMIT, progress
//! through a callback, cancellation through SQLite's interrupt.

use super::error::{Result, StoreError};
use super::inspect::{Counts, Inspection, inspect};
use super::open::open_for_write;
use super::plan::{self, Op, Plan};
use rusqlite::{Connection, InterruptHandle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// How long a plan holding the write lock waits for running readers.
const DRAIN_READERS: std::time::Duration = std::time::Duration::from_secs(20);

/// Rows per chunk of a copy: small enough to report and cancel often.
const CHUNK: i64 = 50_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// 1-based; 0 while the backup is written.
    pub step: usize,
    pub steps: usize,
    pub title: String,
    pub done: u64,
    pub total: u64,
}

/// Cancels a running plan from another thread (a key, a signal).
#[derive(Clone, Default)]
pub struct Canceller {
    flag: Arc<AtomicBool>,
    handle: Arc<Mutex<Option<InterruptHandle>>>,
}

impl Canceller {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        if let Ok(h) = self.handle.lock()
            && let Some(h) = h.as_ref()
        {
            h.interrupt();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    fn attach(&self, conn: &Connection) {
        if let Ok(mut h) = self.handle.lock() {
            *h = Some(conn.get_interrupt_handle());
        }
        // A cancel that came before the connection existed still counts.
        if self.is_cancelled() {
            self.cancel();
        }
    }

    fn detach(&self) {
        if let Ok(mut h) = self.handle.lock() {
            *h = None;
        }
    }
}

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
    super::fold::register(&conn)
        .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    cancel.attach(&conn);
    // The planned name may have been taken since (two runs in one second).
    let backup = shown
        .backup
        .clone()
        .filter(|_| opts.backup)
        .map(plan::free_path);
    let mut wrote_backup = false;
    let result = run(
        &mut conn,
        shown,
        backup.as_deref(),
        &mut wrote_backup,
        cancel,
        progress,
    );
    cancel.detach();
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
            if !conn.is_autocommit() {
                // A failed ROLLBACK still leaves the journal to undo the work
                // when the connection closes.
                let _ = conn.execute_batch("ROLLBACK");
            }
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

fn run(
    conn: &mut Connection,
    shown: &Plan,
    backup: Option<&Path>,
    wrote_backup: &mut bool,
    cancel: &Canceller,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(usize, u64)> {
    let path = shown.path.clone();
    let err = |what: &str| {
        let path = path.clone();
        let what = what.to_string();
        move |e| StoreError::sqlite(&path, what, e)
    };
    let version = |c: &Connection| c.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0));
    let before = version(conn).map_err(err("cannot read the store"))?;
    if !shown.creates_file {
        quick_check(conn, &path)?;
    }
    if let Some(b) = backup {
        progress(&Progress {
            step: 0,
            steps: shown.steps.len(),
            title: format!("Backing up to {}", b.display()),
            done: 0,
            total: 0,
        });
        let target = b.to_str().ok_or_else(|| {
            StoreError::Refused(format!(
                "the backup path {} is not UTF-8; use --no-backup",
                b.display()
            ))
        })?;
        conn.execute("VACUUM INTO ?1", [target])
            .map_err(err("cannot write the backup"))?;
        *wrote_backup = true;
    }
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(err("cannot lock the store for writing"))?;
    // With the write lock held, a spill or the COMMIT waits only for readers
    // already running (new ones are kept out), and those end: the app's by
    // their deadlines. Wait for them rather than fail as "locked".
    conn.busy_timeout(DRAIN_READERS)
        .map_err(err("cannot set up the connection"))?;
    // VACUUM INTO cannot run inside a transaction: make sure nothing was
    // committed between the backup and the lock.
    if backup.is_some() && version(conn).map_err(err("cannot read the store"))? != before {
        return Err(StoreError::PlanChanged);
    }
    let plan = recompute(conn, shown)?;
    if !plan.blockers.is_empty() {
        return Err(StoreError::Blocked(plan.blockers));
    }
    if plan.fingerprint() != shown.fingerprint() {
        return Err(StoreError::PlanChanged);
    }
    let steps = plan.steps.len();
    let mut copied = 0u64;
    for (i, step) in plan.steps.iter().enumerate() {
        if cancel.is_cancelled() {
            return Err(StoreError::Cancelled);
        }
        let mut report = |done, total| {
            progress(&Progress {
                step: i + 1,
                steps,
                title: step.title.clone(),
                done,
                total,
            })
        };
        report(0, 0);
        match &step.op {
            Op::Exec => conn.execute_batch(&step.sql).map_err(err(&format!(
                "step {} failed ({})",
                i + 1,
                step.title
            )))?,
            Op::Copy {
                insert,
                select,
                by_rowid,
                rows,
            } => {
                copied += copy(conn, insert, select, *by_rowid, *rows, &mut report)
                    .map_err(err(&format!("step {} failed ({})", i + 1, step.title)))?;
            }
            Op::ExpectRows { table, rows } => {
                let n: i64 = conn
                    .query_row(
                        &format!("SELECT count(*) FROM {}", super::spec::quote(table)),
                        [],
                        |r| r.get(0),
                    )
                    .map_err(err("cannot verify"))?;
                if u64::try_from(n).ok() != Some(*rows) {
                    return Err(StoreError::Verification(format!(
                        "{table} holds {n} rows, {rows} expected"
                    )));
                }
            }
            Op::ExpectZero { what } => {
                let n: i64 = conn
                    .query_row(&step.sql, [], |r| r.get(0))
                    .map_err(err("cannot verify"))?;
                if n != 0 {
                    return Err(StoreError::Verification(format!("{n} {what}")));
                }
            }
            Op::ForeignKeys { before } => {
                let n: i64 = conn
                    .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                        r.get(0)
                    })
                    .map_err(err("cannot verify"))?;
                if u64::try_from(n).unwrap_or(u64::MAX) > *before {
                    return Err(StoreError::Verification(format!(
                        "{n} foreign-key violations, {before} before"
                    )));
                }
            }
        }
    }
    if cancel.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    conn.execute_batch("COMMIT").map_err(err("cannot commit"))?;
    Ok((steps, copied))
}

/// The plan as it stands now, under the write lock.
fn recompute(conn: &mut Connection, shown: &Plan) -> Result<Plan> {
    let ins = inspect(conn, &shown.path, Counts::None)?;
    let mut plan = plan::for_action(conn, &ins, shown.kind, shown.keep_tables)?;
    plan.creates_file = shown.creates_file;
    Ok(plan)
}

fn copy(
    conn: &Connection,
    insert: &str,
    select: &str,
    by_rowid: bool,
    total: u64,
    report: &mut dyn FnMut(u64, u64),
) -> rusqlite::Result<u64> {
    if !by_rowid {
        let n = conn.execute(&format!("{insert} {select}"), [])?;
        return Ok(n as u64);
    }
    let mut stmt = conn.prepare(&format!(
        "{insert} {select} WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2"
    ))?;
    let mut from = i64::MIN;
    let mut done = 0u64;
    loop {
        let n = stmt.execute([from, CHUNK])?;
        if n == 0 {
            break;
        }
        done += n as u64;
        report(done, total);
        let last = conn.last_insert_rowid();
        match last.checked_add(1) {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(done)
}

/// Refuses to write a store SQLite itself finds damaged.
pub fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let first: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| StoreError::sqlite(path, "quick_check failed", e))?;
    if first == "ok" {
        Ok(())
    } else {
        let first = first.replace("*** in database main ***", "");
        let detail = first.split_whitespace().collect::<Vec<_>>().join(" ");
        Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("quick_check: {detail}"),
        })
    }
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
