//! A statement's output read on a thread of its own, a few blocks ahead:
//! the shell never waits for the copy to write a row (a pipe holds 64 KiB,
//! a few dozen rows), so the shell and the copy run side by side.

use crate::store::duckdb::shell::Rows;
use crate::store::error::Result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

/// Bytes per block handed over, and blocks read ahead: about a MB.
const BLOCK: usize = 256 * 1024;
const AHEAD: usize = 3;

/// The output of one running statement, read ahead.
pub(crate) struct Feed {
    rx: Receiver<Result<Vec<u8>>>,
    /// The shell's process group, and whether its reader is done with it
    /// (then it was waited for, and its group id may name another).
    group: Option<rustix::process::Pid>,
    ended: Arc<AtomicBool>,
}

impl Feed {
    pub(crate) fn start(mut rows: Rows) -> Feed {
        let (tx, rx) = sync_channel(AHEAD);
        let ended = Arc::new(AtomicBool::new(false));
        let group = rows.group();
        let done = ended.clone();
        std::thread::spawn(move || {
            loop {
                // A block goes on; at the end an empty one, or the error.
                match rows.next_block(BLOCK) {
                    Ok(Some(block)) => {
                        if tx.send(Ok(block)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => {
                        let _ = tx.send(Ok(Vec::new()));
                        break;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
            done.store(true, Ordering::SeqCst);
            // Dropping the rows stops a shell still printing.
            drop(rows);
        });
        Feed { rx, group, ended }
    }

    /// The next block of output; None after the last. A failed statement
    /// is its error, after the blocks it printed.
    pub(crate) fn next_block(&mut self) -> Result<Option<Vec<u8>>> {
        match self.rx.recv() {
            Ok(Ok(b)) if b.is_empty() => Ok(None),
            Ok(Ok(b)) => Ok(Some(b)),
            Ok(Err(e)) => Err(e),
            // The reader stopped without saying it ended: nothing more
            // (the rows counted tell a short read).
            Err(_) => Ok(None),
        }
    }
}

impl Drop for Feed {
    /// A copy stopped early stops the shell now, not when its reader next
    /// finds nobody listening.
    fn drop(&mut self) {
        if !self.ended.load(Ordering::SeqCst)
            && let Some(pid) = self.group
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}
