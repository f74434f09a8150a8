//! Cancelling a running plan, query or export from another thread (a key, a
//! signal): a flag, and SQLite's interrupt for the statement that runs.

use rusqlite::{Connection, InterruptHandle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Canceller {
    flag: Arc<AtomicBool>,
    handle: Arc<Mutex<Option<InterruptHandle>>>,
}

impl std::fmt::Debug for Canceller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canceller")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
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

    pub(crate) fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// From now on a cancel interrupts `conn`'s running statement.
    pub(crate) fn attach(&self, conn: &Connection) {
        if let Ok(mut h) = self.handle.lock() {
            *h = Some(conn.get_interrupt_handle());
        }
        // A cancel that came before the connection existed still counts.
        if self.is_cancelled() {
            self.cancel();
        }
    }

    pub(crate) fn detach(&self) {
        if let Ok(mut h) = self.handle.lock() {
            *h = None;
        }
    }
}
