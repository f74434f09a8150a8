//! `PRAGMA quick_check`: alone, or on a second connection beside a running
//! plan so a large store does not pay for the check and the copy in turn.

use crate::store::error::{Result, StoreError};
use crate::store::open::{WRITE_BUSY, open_read_only};
use rusqlite::{Connection, InterruptHandle};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

/// Refuses to write a store SQLite itself finds damaged.
pub(crate) fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
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

/// Where a check beside a plan stands, for the writer's busy handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    Running,
    Passed,
    Failed,
}

/// A shared, lock-free view of a check's standing.
#[derive(Clone, Debug)]
pub(crate) struct StandingCell(Arc<AtomicU8>);

impl StandingCell {
    pub(crate) fn new() -> Self {
        Self(Arc::new(AtomicU8::new(0)))
    }

    pub(crate) fn set(&self, s: Standing) {
        let v = match s {
            Standing::Running => 0,
            Standing::Passed => 1,
            Standing::Failed => 2,
        };
        self.0.store(v, Ordering::SeqCst);
    }

    pub(crate) fn get(&self) -> Standing {
        match self.0.load(Ordering::SeqCst) {
            0 => Standing::Running,
            1 => Standing::Passed,
            _ => Standing::Failed,
        }
    }
}

/// `quick_check` on its own read-only connection and thread.
///
/// Its read transaction is what keeps a plan's first steps off the file: in
/// rollback-journal mode a writer needs the exclusive lock to spill a page,
/// which it cannot get while the check reads, so the steps stay in the
/// writer's page cache (in WAL mode they go to the WAL, which a rollback
/// discards). A check that fails holds its lock until the verdict is taken,
/// so a damaged store never receives a page (a damaged freelist could
/// otherwise hand out a live page, which no journal would restore).
pub(crate) struct CheckBeside {
    standing: StandingCell,
    verdicts: Receiver<Result<()>>,
    verdict: Verdict,
    /// Dropped to let a failed check's connection go.
    release: Option<Sender<()>>,
    interrupt: Option<InterruptHandle>,
    thread: Option<JoinHandle<()>>,
}

impl CheckBeside {
    /// Starts the check and returns once it holds its read lock, so the
    /// state it checks is the state as of this call.
    pub(crate) fn start(path: &Path) -> Result<Self> {
        let standing = StandingCell::new();
        let (started_tx, started) = mpsc::channel();
        let (verdict_tx, verdicts) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let thread = {
            let path = path.to_path_buf();
            let standing = standing.clone();
            std::thread::Builder::new()
                .name("quick_check".into())
                .spawn(move || check(path, standing, started_tx, verdict_tx, released))
                .map_err(|e| StoreError::io("cannot start the integrity check", e))?
        };
        let mut me = Self {
            standing,
            verdicts,
            verdict: Verdict::Pending,
            release: Some(release),
            interrupt: None,
            thread: Some(thread),
        };
        match started.recv() {
            Ok(Ok(handle)) => me.interrupt = Some(handle),
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(stopped()),
        }
        Ok(me)
    }

    pub(crate) fn standing(&self) -> StandingCell {
        self.standing.clone()
    }

    /// The verdict if it is in: `Ok(true)` passed, `Ok(false)` still running.
    pub(crate) fn poll(&mut self) -> Result<bool> {
        if let Verdict::Pending = self.verdict {
            match self.verdicts.try_recv() {
                Ok(v) => self.verdict = Verdict::from(v),
                Err(TryRecvError::Empty) => return Ok(false),
                Err(TryRecvError::Disconnected) => self.verdict = Verdict::from(Err(stopped())),
            }
        }
        self.hand_out().map(|()| true)
    }

    /// Waits for the verdict.
    pub(crate) fn wait(&mut self) -> Result<()> {
        if let Verdict::Pending = self.verdict {
            self.verdict = Verdict::from(self.verdicts.recv().unwrap_or_else(|_| Err(stopped())));
        }
        self.hand_out()
    }

    /// The check's failure if `poll` or `wait` has not handed it out yet;
    /// waits for the verdict only if `wait`.
    pub(crate) fn failure(&mut self, wait: bool) -> Option<StoreError> {
        if let Verdict::Pending = self.verdict {
            if !wait && self.standing.get() != Standing::Failed {
                return None;
            }
            self.verdict = Verdict::from(self.verdicts.recv().unwrap_or_else(|_| Err(stopped())));
        }
        match &mut self.verdict {
            Verdict::Failed(e) => e.take(),
            _ => None,
        }
    }

    fn hand_out(&mut self) -> Result<()> {
        match &mut self.verdict {
            Verdict::Passed => Ok(()),
            // The error itself goes out once; later calls only say it failed.
            Verdict::Failed(e) => Err(e
                .take()
                .unwrap_or_else(|| StoreError::Refused("the integrity check failed".into()))),
            Verdict::Pending => Err(stopped()),
        }
    }
}

enum Verdict {
    Pending,
    Passed,
    Failed(Option<StoreError>),
}

impl From<Result<()>> for Verdict {
    fn from(r: Result<()>) -> Self {
        match r {
            Ok(()) => Verdict::Passed,
            Err(e) => Verdict::Failed(Some(e)),
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Refused("the integrity check stopped before its verdict".into())
}

impl Drop for CheckBeside {
    fn drop(&mut self) {
        if self.standing.get() == Standing::Running
            && let Some(h) = &self.interrupt
        {
            h.interrupt();
        }
        self.release.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn check(
    path: PathBuf,
    standing: StandingCell,
    started: Sender<Result<InterruptHandle>>,
    verdict: Sender<Result<()>>,
    released: Receiver<()>,
) {
    let begin = || -> Result<Connection> {
        let store = open_read_only(&path)?;
        let conn = store.conn;
        let err = |e| StoreError::sqlite(&path, "cannot read the store", e);
        conn.busy_timeout(WRITE_BUSY).map_err(err)?;
        // One read transaction from here to the verdict: the lock is taken
        // now, before the plan goes on.
        conn.execute_batch("BEGIN").map_err(err)?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(err)?;
        Ok(conn)
    };
    let conn = match begin() {
        Ok(c) => c,
        Err(e) => {
            standing.set(Standing::Failed);
            let _ = started.send(Err(e));
            return;
        }
    };
    if started.send(Ok(conn.get_interrupt_handle())).is_err() {
        return;
    }
    let result = quick_check(&conn, &path);
    let failed = result.is_err();
    standing.set(if failed {
        Standing::Failed
    } else {
        Standing::Passed
    });
    let _ = verdict.send(result);
    if failed {
        // Keep the read lock until the writer has seen this and rolled back.
        let _ = released.recv();
    }
    drop(conn);
}
