//! A statement's lines read on a thread of their own, a few batches ahead:
//! the shell never waits for the copy to write a row (a pipe holds 64 KiB,
//! a few dozen rows), so the shell and the copy run side by side.

use crate::store::duckdb::shell::Rows;
use crate::store::error::Result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

/// Lines per batch handed over, and batches read ahead: a few MB at most.
const BATCH: usize = 256;
const AHEAD: usize = 2;

/// The lines of one running statement, read ahead.
pub(crate) struct Feed {
    rx: Receiver<Result<Vec<String>>>,
    batch: std::vec::IntoIter<String>,
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
                let mut batch = Vec::with_capacity(BATCH);
                let last = loop {
                    match rows.next_owned_line() {
                        Ok(Some(line)) => batch.push(line),
                        Ok(None) => break Ok(true),
                        Err(e) => break Err(e),
                    }
                    if batch.len() == BATCH {
                        break Ok(false);
                    }
                };
                // A full batch goes on; at the end, what is left and then an
                // empty batch (the end), or the error after the rows before it.
                match last {
                    Ok(false) => {
                        if tx.send(Ok(batch)).is_err() {
                            break;
                        }
                    }
                    Ok(true) => {
                        if !batch.is_empty() {
                            let _ = tx.send(Ok(batch));
                        }
                        let _ = tx.send(Ok(Vec::new()));
                        break;
                    }
                    Err(e) => {
                        if !batch.is_empty() {
                            let _ = tx.send(Ok(batch));
                        }
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
            done.store(true, Ordering::SeqCst);
            // Dropping the rows stops a shell still printing.
            drop(rows);
        });
        Feed {
            rx,
            batch: Vec::new().into_iter(),
            group,
            ended,
        }
    }

    /// The next line; None after the last. A failed statement is its error.
    pub(crate) fn next_line(&mut self) -> Result<Option<String>> {
        loop {
            if let Some(line) = self.batch.next() {
                return Ok(Some(line));
            }
            match self.rx.recv() {
                Ok(Ok(b)) if b.is_empty() => return Ok(None),
                Ok(Ok(b)) => self.batch = b.into_iter(),
                Ok(Err(e)) => return Err(e),
                // The reader stopped without saying it ended: nothing more
                // (the rows counted tell a short read).
                Err(_) => return Ok(None),
            }
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
