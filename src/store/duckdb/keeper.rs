//! Keeps the app's snapshot of a DuckDB store: notices when the source
//! changes, takes a new snapshot when asked (in its own thread, so the app
//! never waits), and retries while the pipeline holds the file. The new
//! snapshot replaces the old at the same path; the app sees a replaced file
//! and reads it afresh.

use crate::store::cancel::Canceller;
use crate::store::duckdb::snapshot::{Snapshot, snapshot};
use crate::store::error::StoreError;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the source is looked at, and a held file tried again.
const EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
struct Shared {
    snap: Option<Snapshot>,
    /// What is going on beyond the snapshot shown, if anything.
    note: Option<String>,
}

/// The snapshot shown and what is happening to it.
#[derive(Debug)]
pub struct Keeper {
    shared: Arc<Mutex<Shared>>,
    ask: mpsc::Sender<()>,
    cancel: Canceller,
}

impl Keeper {
    /// Watches `snap`'s source; new snapshots go to `cache`. `held` is the
    /// reason a first snapshot could not be taken, when it could not.
    pub fn start(snap: Snapshot, cache: PathBuf, held: Option<String>) -> Keeper {
        let retry = held.is_some();
        let shared = Arc::new(Mutex::new(Shared {
            snap: Some(snap),
            note: held,
        }));
        let (ask, asked) = mpsc::channel();
        let cancel = Canceller::new();
        let (s, c) = (shared.clone(), cancel.clone());
        std::thread::spawn(move || keep(&s, &cache, &asked, &c, retry));
        Keeper {
            shared,
            ask,
            cancel,
        }
    }

    /// Asks for a new snapshot (taken when the source changed).
    pub fn refresh(&self) {
        let _ = self.ask.send(());
    }

    /// "pipeline.duckdb · DuckDB 1.4.4 · snapshot 12-03 07:30" (UTC).
    pub fn header(&self) -> String {
        let Ok(s) = self.shared.lock() else {
            return String::new();
        };
        s.snap.as_ref().map_or_else(String::new, |snap| {
            format!(
                "{} · DuckDB {} · snapshot {}",
                snap.source
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                snap.duckdb_version.trim_start_matches('v'),
                snap.taken.get(5..16).unwrap_or(&snap.taken)
            )
        })
    }

    /// The change, retry or copy in progress, when there is one.
    pub fn note(&self) -> Option<String> {
        self.shared.lock().ok().and_then(|s| s.note.clone())
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

fn keep(
    shared: &Mutex<Shared>,
    cache: &std::path::Path,
    asked: &mpsc::Receiver<()>,
    cancel: &Canceller,
    mut wanted: bool,
) {
    let set = |note: Option<String>| {
        if let Ok(mut s) = shared.lock() {
            s.note = note;
        }
    };
    loop {
        match asked.recv_timeout(EVERY) {
            Ok(()) => wanted = true,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if cancel.is_cancelled() {
            return;
        }
        let Some(snap) = shared.lock().ok().and_then(|s| s.snap.clone()) else {
            return;
        };
        let changed = snap.source_changed();
        if !wanted || !changed {
            wanted = false;
            set(changed.then(|| "the DuckDB file changed: r takes a new snapshot".to_string()));
            continue;
        }
        set(Some("taking a new snapshot…".into()));
        let mut progress = |p: &crate::store::duckdb::import::ImportProgress| {
            let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
            set(Some(format!("taking a new snapshot: {} {pct}%", p.phase)));
        };
        match snapshot(&snap.source, cache, &mut progress, cancel) {
            Ok(new) => {
                wanted = false;
                if let Ok(mut s) = shared.lock() {
                    s.snap = Some(new);
                    s.note = None;
                }
            }
            Err(StoreError::DuckDbHeld { pid, process, .. }) => {
                set(Some(format!("held by process {pid} ({process}), retrying")));
            }
            Err(StoreError::Cancelled) => return,
            Err(e) => {
                wanted = false;
                set(Some(format!("no new snapshot: {e}")));
            }
        }
    }
}
