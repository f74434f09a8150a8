//! Runs a Plan in one `BEGIN IMMEDIATE` transaction: backup first, the plan
//! recomputed under the write lock, verification before COMMIT, progress
//! through a callback, cancellation through SQLite's interrupt.

use super::error::{Result, StoreError};
use super::inspect::{Counts, Inspection, inspect};
use super::integrity::CheckBeside;
use super::lock_wait::{LockWait, wait_for_readers};
use super::open::{WRITE_BUSY, WRITE_CACHE_KIB, open_for_write};
use super::plan::{self, Op, Plan};
use rusqlite::{Connection, InterruptHandle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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
    let before =
        data_version(conn).map_err(|e| StoreError::sqlite(&path, "cannot read the store", e))?;
    // quick_check runs beside the backup and the first steps; see CheckBeside
    // for why nothing reaches the file before its verdict.
    let mut check = if shown.creates_file {
        None
    } else {
        Some(CheckBeside::start(&path)?)
    };
    let _wait = LockWait::install(check.as_ref().map(CheckBeside::standing), cancel);
    let result = run_beside(
        conn,
        shown,
        before,
        check.as_mut(),
        backup,
        wrote_backup,
        cancel,
        progress,
    );
    // The handler above is for this run only.
    let _ = conn.busy_timeout(WRITE_BUSY);
    let Some(check) = check.as_mut() else {
        return result;
    };
    match result {
        // SQLite met the damage first: the check names it better.
        Err(e @ StoreError::Corrupt { .. }) => Err(check.failure(true).unwrap_or(e)),
        // A damaged store explains whatever else went wrong.
        Err(e) => Err(check.failure(false).unwrap_or(e)),
        ok => ok,
    }
}

#[allow(clippy::too_many_arguments)]
fn run_beside(
    conn: &mut Connection,
    shown: &Plan,
    before: i64,
    mut check: Option<&mut CheckBeside>,
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
        if b.exists() {
            return Err(StoreError::Refused(format!(
                "the backup path {} was taken meanwhile; run again",
                b.display()
            )));
        }
        // From here the file at `b` is ours: a failed run removes it, also
        // when VACUUM INTO stopped half-way.
        *wrote_backup = true;
        // VACUUM INTO gives the backup a cache as large as the store's; it
        // writes in order and needs none, so both get SQLite's default while
        // it runs (halves the peak memory of a plan with a backup).
        conn.execute_batch("PRAGMA cache_size = -2000")
            .map_err(err("cannot set up the connection"))?;
        conn.execute("VACUUM INTO ?1", [target])
            .map_err(err("cannot write the backup"))?;
        conn.execute_batch(&format!("PRAGMA cache_size = {WRITE_CACHE_KIB}"))
            .map_err(err("cannot set up the connection"))?;
    }
    verdict_in(&mut check)?;
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(err("cannot lock the store for writing"))?;
    // With the write lock held, a spill or the COMMIT waits only for readers
    // already running (new ones are kept out), and those end: the check
    // beside, and the app's by their deadlines. Wait for them rather than fail
    // as "locked".
    conn.busy_handler(Some(wait_for_readers))
        .map_err(err("cannot set up the connection"))?;
    // Neither the backup (VACUUM INTO cannot run inside a transaction) nor
    // the check beside ran under this lock: make sure nothing was committed
    // since they started.
    if data_version(conn).map_err(err("cannot read the store"))? != before {
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
        verdict_in(&mut check)?;
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
                let failed = err(&format!("step {} failed ({})", i + 1, step.title));
                copied += copy(conn, insert, select, *by_rowid, &mut |done| {
                    report(done, *rows);
                    verdict_in(&mut check)
                })
                .map_err(|e| match e {
                    CopyStop::Sqlite(e) => failed(e),
                    CopyStop::Store(e) => e,
                })?;
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
    if let Some(c) = check {
        if !c.poll()? {
            progress(&Progress {
                step: steps,
                steps,
                title: "Waiting for the integrity check (quick_check)".into(),
                done: 0,
                total: 0,
            });
        }
        c.wait()?;
    }
    // Writing out what the cache still holds takes a while on a large plan.
    progress(&Progress {
        step: steps,
        steps,
        title: "Committing".into(),
        done: 0,
        total: 0,
    });
    conn.execute_batch("COMMIT").map_err(err("cannot commit"))?;
    Ok((steps, copied))
}

/// Stops the plan if the check beside has failed; never waits.
fn verdict_in(check: &mut Option<&mut CheckBeside>) -> Result<()> {
    if let Some(c) = check.as_deref_mut() {
        c.poll()?;
    }
    Ok(())
}

fn data_version(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// The plan as it stands now, under the write lock.
fn recompute(conn: &mut Connection, shown: &Plan) -> Result<Plan> {
    let ins = inspect(conn, &shown.path, Counts::None)?;
    let mut plan = plan::for_action(conn, &ins, shown.kind, shown.keep_tables)?;
    plan.creates_file = shown.creates_file;
    Ok(plan)
}

enum CopyStop {
    Sqlite(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for CopyStop {
    fn from(e: rusqlite::Error) -> Self {
        CopyStop::Sqlite(e)
    }
}

/// Copies in chunks of rowids, calling `chunk_done` with the rows so far
/// after each; an error from it stops the copy.
fn copy(
    conn: &Connection,
    insert: &str,
    select: &str,
    by_rowid: bool,
    chunk_done: &mut dyn FnMut(u64) -> Result<()>,
) -> std::result::Result<u64, CopyStop> {
    if !by_rowid {
        let n = conn.execute(&format!("{insert} {select}"), [])? as u64;
        chunk_done(n).map_err(CopyStop::Store)?;
        return Ok(n);
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
        chunk_done(done).map_err(CopyStop::Store)?;
        let last = conn.last_insert_rowid();
        match last.checked_add(1) {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(done)
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
