//! The busy handler of a running plan: how long it waits for another
//! connection's lock, given the check beside it and a cancel.

use crate::store::cancel::Canceller;
use crate::store::inspection::integrity::{Standing, StandingCell};
use crate::store::open::WRITE_BUSY;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a plan holding the write lock waits for running readers.
const DRAIN_READERS: Duration = Duration::from_secs(20);

pub(super) struct LockWait {
    check: Option<StandingCell>,
    cancel: Canceller,
    /// Set once the plan holds the write lock (after `BEGIN IMMEDIATE`).
    held: Arc<AtomicBool>,
    /// When the current wait began.
    since: Option<Instant>,
}

impl LockWait {
    pub fn new(check: Option<StandingCell>, cancel: &Canceller, held: Arc<AtomicBool>) -> Self {
        LockWait {
            check,
            cancel: cancel.clone(),
            held,
            since: None,
        }
    }

    /// One call of SQLite's busy handler (`count`: calls so far for this
    /// lock): true to try again.
    ///
    /// Before the plan holds the write lock (the backup, `BEGIN IMMEDIATE`),
    /// another writer is waited for up to WRITE_BUSY. After, a spill or the
    /// COMMIT waits only for readers already running: while the check beside
    /// runs, for it (its verdict comes); once it failed, not at all (a spill
    /// that cannot run keeps the page in memory, and the plan stops at its
    /// next step); otherwise up to DRAIN_READERS.
    pub(crate) fn retry(&mut self, count: i32) -> bool {
        if self.cancel.is_cancelled() {
            return false;
        }
        if count == 0 {
            self.since = None;
        }
        let limit = if self.held.load(Ordering::SeqCst) {
            match self.check.as_ref().map(StandingCell::get) {
                Some(Standing::Running) => {
                    self.since = None;
                    std::thread::sleep(Duration::from_millis(2));
                    return true;
                }
                Some(Standing::Failed) => return false,
                Some(Standing::Passed) | None => DRAIN_READERS,
            }
        } else {
            WRITE_BUSY
        };
        let since = *self.since.get_or_insert_with(Instant::now);
        if since.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_while_the_check_runs_and_gives_up_once_it_failed_or_on_cancel() {
        let cancel = Canceller::new();
        let standing = StandingCell::new();
        let held = Arc::new(AtomicBool::new(true));
        let mut w = LockWait::new(Some(standing.clone()), &cancel, held.clone());
        // Long past DRAIN_READERS by count: a running check is still waited for.
        assert!(w.retry(1_000_000));
        standing.set(Standing::Passed);
        assert!(w.retry(0), "readers get their time");
        standing.set(Standing::Failed);
        assert!(!w.retry(1), "a failed check: the spill waits no more");
        standing.set(Standing::Running);
        cancel.cancel();
        assert!(!w.retry(0), "a cancelled plan waits for nothing");
    }

    #[test]
    fn before_the_lock_another_writer_is_waited_for_a_while_only() {
        let cancel = Canceller::new();
        let standing = StandingCell::new();
        let held = Arc::new(AtomicBool::new(false));
        let mut w = LockWait::new(Some(standing), &cancel, held);
        assert!(
            w.retry(0),
            "a running check does not matter before the lock"
        );
        w.since = Instant::now().checked_sub(WRITE_BUSY);
        assert!(!w.retry(7), "given up after WRITE_BUSY");
    }
}
