//! The busy handler of a running plan: how long it waits for the exclusive
//! lock (a spill, the COMMIT), given the check beside it and a cancel.

use super::apply::Canceller;
use super::integrity::{Standing, StandingCell};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// How long a plan holding the write lock waits for running readers.
const DRAIN_READERS: Duration = Duration::from_secs(20);

thread_local! {
    /// What the running plan's busy handler waits for. SQLite calls the
    /// handler on the thread that runs the statement, which is this one.
    static LOCK_WAIT: RefCell<Option<LockWait>> = const { RefCell::new(None) };
}

pub struct LockWait {
    check: Option<StandingCell>,
    cancel: Canceller,
    /// When the wait for other readers began.
    since: Option<Instant>,
}

/// Installs the busy handler's state for one run on this thread.
pub struct LockWaitGuard;

impl LockWait {
    pub fn install(check: Option<StandingCell>, cancel: &Canceller) -> LockWaitGuard {
        LOCK_WAIT.with(|w| {
            *w.borrow_mut() = Some(LockWait {
                check,
                cancel: cancel.clone(),
                since: None,
            })
        });
        LockWaitGuard
    }
}

impl Drop for LockWaitGuard {
    fn drop(&mut self) {
        LOCK_WAIT.with(|w| w.borrow_mut().take());
    }
}

/// The plan's busy handler, for a spill or the COMMIT that needs the
/// exclusive lock. While the check beside runs, wait for it (its verdict
/// comes); once it failed, give up at once (a spill that cannot run keeps the
/// page in memory, and the plan stops at its next step); otherwise wait up to
/// DRAIN_READERS for readers to finish.
pub fn wait_for_readers(count: i32) -> bool {
    LOCK_WAIT.with(|w| {
        let mut w = w.borrow_mut();
        let Some(w) = w.as_mut() else {
            return false;
        };
        if w.cancel.is_cancelled() {
            return false;
        }
        if count == 0 {
            w.since = None;
        }
        match w.check.as_ref().map(StandingCell::get) {
            Some(Standing::Running) => {
                w.since = None;
                std::thread::sleep(Duration::from_millis(2));
                true
            }
            Some(Standing::Failed) => false,
            Some(Standing::Passed) | None => {
                let since = *w.since.get_or_insert_with(Instant::now);
                if since.elapsed() >= DRAIN_READERS {
                    false
                } else {
                    std::thread::sleep(Duration::from_millis(5));
                    true
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_while_the_check_runs_and_gives_up_once_it_failed_or_on_cancel() {
        let cancel = Canceller::new();
        let standing = StandingCell::new();
        assert!(!wait_for_readers(0), "no plan on this thread: no wait");
        let guard = LockWait::install(Some(standing.clone()), &cancel);
        // Long past DRAIN_READERS by count: a running check is still waited for.
        assert!(wait_for_readers(1_000_000));
        standing.set(Standing::Passed);
        assert!(wait_for_readers(0), "readers get their time");
        standing.set(Standing::Failed);
        assert!(
            !wait_for_readers(1),
            "a failed check: the spill waits no more"
        );
        standing.set(Standing::Running);
        cancel.cancel();
        assert!(!wait_for_readers(0), "a cancelled plan waits for nothing");
        drop(guard);
        assert!(LOCK_WAIT.with(|w| w.borrow().is_none()));
    }
}
