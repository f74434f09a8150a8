//! One plan run, in phases: the backup, the write lock with the plan
//! recomputed under it, the steps, the commit. The check beside (see
//! `integrity::CheckBeside`) is consulted between them.

use super::copy::{CopyStop, copy};
use crate::store::cancel::Canceller;
use crate::store::error::{Result, StoreError};
use crate::store::inspection::inspect::inspect_shape;
use crate::store::inspection::integrity::CheckBeside;
use crate::store::open::{WRITE_BUSY, data_version, write_cache_kib};
use crate::store::plan::{self, Op, Plan, Step};
use crate::store::spec::quote;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Where a running plan is, for a gauge or a progress line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// 1-based; 0 while the backup is written.
    pub step: usize,
    pub steps: usize,
    pub title: String,
    pub done: u64,
    pub total: u64,
}

pub(super) struct Run<'a> {
    /// The plan the user saw and confirmed.
    pub shown: &'a Plan,
    pub cancel: &'a Canceller,
    pub progress: &'a mut dyn FnMut(&Progress),
    pub check: Option<CheckBeside>,
    /// Set once the file at the backup path is this run's (to remove on
    /// failure).
    pub wrote_backup: bool,
}

/// Maps a SQLite error to one that names what failed.
fn failed(path: &Path, what: impl Into<String>) -> impl Fn(rusqlite::Error) -> StoreError {
    let (path, what) = (path.to_path_buf(), what.into());
    move |e| StoreError::sqlite(&path, what.clone(), e)
}

impl Run<'_> {
    fn path(&self) -> &Path {
        &self.shown.path
    }

    fn report(&mut self, step: usize, steps: usize, title: String, done: u64, total: u64) {
        (self.progress)(&Progress {
            step,
            steps,
            title,
            done,
            total,
        });
    }

    /// Stops the plan if the check beside has failed; never waits.
    fn verdict(&mut self) -> Result<()> {
        match self.check.as_mut() {
            Some(c) => c.poll().map(|_| ()),
            None => Ok(()),
        }
    }

    /// Writes the backup with `VACUUM INTO` (before the lock: it cannot run
    /// inside a transaction).
    pub(crate) fn backup(&mut self, conn: &Connection, to: &Path) -> Result<()> {
        let path = self.path().to_path_buf();
        let err = |what| failed(&path, what);
        let title = format!("backup to {}", to.display());
        self.report(0, self.shown.steps.len(), title, 0, 0);
        let target = to.to_str().ok_or_else(|| {
            StoreError::Refused(format!(
                "the backup path {} is not UTF-8; use --no-backup",
                to.display()
            ))
        })?;
        if to.exists() {
            return Err(StoreError::Refused(format!(
                "the backup path {} was taken meanwhile; run again",
                to.display()
            )));
        }
        // From here the file is ours: a failed run removes it, also when
        // VACUUM INTO stopped half-way.
        self.wrote_backup = true;
        // VACUUM INTO gives the backup a cache as large as the store's; it
        // writes in order and needs none, so both get SQLite's default while
        // it runs (halves the peak memory of a plan with a backup).
        conn.execute_batch("PRAGMA cache_size = -2000")
            .map_err(err("cannot set up the connection"))?;
        conn.execute("VACUUM INTO ?1", [target])
            .map_err(err("cannot write the backup"))
            .map_err(|e| e.after_waiting(WRITE_BUSY))?;
        conn.execute_batch(&format!("PRAGMA cache_size = {}", write_cache_kib()))
            .map_err(err("cannot set up the connection"))
    }

    /// Takes the write lock and makes the plan again under it: it must be
    /// the plan the user saw, on the store as it was when the run began
    /// (`before`, its data_version).
    pub(crate) fn lock<'c>(
        &mut self,
        conn: &'c mut Connection,
        before: i64,
        held: &AtomicBool,
    ) -> Result<(Transaction<'c>, Plan)> {
        self.verdict()?;
        let path = self.path().to_path_buf();
        let err = |what| failed(&path, what);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err("cannot lock the store for writing"))
            .map_err(|e| e.after_waiting(WRITE_BUSY))?;
        held.store(true, Ordering::SeqCst);
        // Neither the backup nor the check beside ran under this lock: make
        // sure nothing was committed since they started.
        if data_version(&tx).map_err(err("cannot read the store"))? != before {
            return Err(StoreError::PlanChanged);
        }
        let ins = inspect_shape(&tx, &path)?;
        let mut plan = plan::for_action(&tx, &ins, self.shown.kind)?;
        plan.creates_file = self.shown.creates_file;
        if !plan.blockers.is_empty() {
            return Err(StoreError::Blocked(plan.blockers));
        }
        if plan.fingerprint() != self.shown.fingerprint() {
            return Err(StoreError::PlanChanged);
        }
        Ok((tx, plan))
    }

    /// Runs every step; returns the rows copied.
    pub(crate) fn steps(&mut self, conn: &Connection, plan: &Plan) -> Result<u64> {
        let mut copied = 0u64;
        for (i, step) in plan.steps.iter().enumerate() {
            if self.cancel.is_cancelled() {
                return Err(StoreError::Cancelled);
            }
            self.verdict()?;
            self.report(i + 1, plan.steps.len(), step.title.clone(), 0, 0);
            copied += self.step(conn, i, plan.steps.len(), step)?;
        }
        Ok(copied)
    }

    fn step(&mut self, conn: &Connection, i: usize, steps: usize, step: &Step) -> Result<u64> {
        let path = self.path().to_path_buf();
        let err = |what: &str| failed(&path, what.to_string());
        let step_failed = err(&format!("step {} failed ({})", i + 1, step.title));
        let count = |sql: &str| -> Result<i64> {
            conn.query_row(sql, [], |r| r.get(0))
                .map_err(err("cannot verify"))
        };
        match &step.op {
            Op::Exec | Op::Drop => conn.execute_batch(&step.sql).map_err(step_failed)?,
            Op::Copy {
                insert,
                select,
                by_rowid,
                rows,
            } => {
                return copy(conn, insert, select, *by_rowid, &mut |done| {
                    self.report(i + 1, steps, step.title.clone(), done, *rows);
                    self.verdict()
                })
                .map_err(|e| match e {
                    CopyStop::Sqlite(e) => step_failed(e),
                    CopyStop::Store(e) => e,
                });
            }
            Op::ExpectRows { table, rows } => {
                let n = count(&format!("SELECT count(*) FROM {}", quote(table)))?;
                if u64::try_from(n).ok() != Some(*rows) {
                    return Err(StoreError::Verification(format!(
                        "{table} holds {n} rows, {rows} expected"
                    )));
                }
            }
            Op::ExpectZero { what } => {
                let n = count(&step.sql)?;
                if n != 0 {
                    return Err(StoreError::Verification(format!("{n} {what}")));
                }
            }
            Op::ForeignKeys { before } => {
                let n = count("SELECT count(*) FROM pragma_foreign_key_check")?;
                if u64::try_from(n).unwrap_or(u64::MAX) > *before {
                    return Err(StoreError::Verification(format!(
                        "{n} foreign-key violations, {before} before"
                    )));
                }
            }
        }
        Ok(0)
    }

    /// Waits for the check beside, then commits.
    pub(crate) fn commit(&mut self, tx: Transaction<'_>, steps: usize) -> Result<()> {
        if self.cancel.is_cancelled() {
            return Err(StoreError::Cancelled);
        }
        if let Some(c) = self.check.as_mut()
            && !c.poll()?
        {
            self.report(
                steps,
                steps,
                "Waiting for the integrity check (quick_check)".into(),
                0,
                0,
            );
        }
        if let Some(c) = self.check.as_mut() {
            c.wait()?;
        }
        // Writing out what the cache still holds takes a while on a large plan.
        self.report(steps, steps, "Committing".into(), 0, 0);
        tx.commit().map_err(failed(self.path(), "cannot commit"))
    }

    /// A failure as the user should read it: SQLite may meet damage before
    /// the check beside names it, and a damaged store explains whatever else
    /// went wrong.
    pub(crate) fn explain(&mut self, e: StoreError) -> StoreError {
        let Some(check) = self.check.as_mut() else {
            return e;
        };
        let corrupt = matches!(e, StoreError::Corrupt { .. });
        check.failure(corrupt).unwrap_or(e)
    }
}

/// The backup path the run writes to: the planned one, or the next free
/// name if it was taken since (two runs in one second).
pub(super) fn backup_target(shown: &Plan, wanted: bool) -> Option<PathBuf> {
    shown.backup.clone().filter(|_| wanted).map(plan::free_path)
}
