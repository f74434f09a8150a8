//! The app on upstream's DuckDB store before its first snapshot exists
//! (DESIGN §9): up at once, the Overview showing what the catalog says
//! and how far the copy is, the tabs that need rows waiting for it. Once
//! taken, the snapshot opens as any store and a keeper watches its source.

use super::{App, Effect, FirstSnapshot, Load};
use crate::store::cancel::Canceller;
use crate::store::duckdb::inspect::DuckInspection;
use crate::store::duckdb::keeper::Keeper;
use crate::store::duckdb::snapshot::{Snapshot, snapshot_path};
use crate::tui::keys::Action;
use crate::tui::messages::{Job, Request, Taking};
use crate::tui::worker::Failure;
use std::path::PathBuf;
use std::sync::Arc;

/// Why writes are not offered on upstream's store.
const NEVER_WRITTEN: &str =
    "upstream's DuckDB store is never written here; `import` makes a V3 copy";

impl App {
    /// The app on `source`, whose snapshot in `cache` is taken now: its
    /// catalog is asked for first, the copy runs on a thread of its own.
    pub fn taking_snapshot(source: PathBuf, cache: PathBuf) -> App {
        let mut app = App::unread(snapshot_path(&source, &cache));
        app.store.writable = Err(NEVER_WRITTEN.into());
        app.take_first_snapshot(source, cache);
        app
    }

    /// The catalog of `source` asked for, its copy into `cache` started.
    fn take_first_snapshot(&mut self, source: PathBuf, cache: PathBuf) {
        let cancel = Canceller::new();
        self.send(Request::Upstream {
            source: source.clone(),
        });
        self.requests.outbox.push(Job::Snapshot {
            source: source.clone(),
            cache: cache.clone(),
            cancel: cancel.clone(),
        });
        self.overview.first = Some(FirstSnapshot {
            source,
            cache,
            catalog: Load::Loading,
            progress: None,
            note: None,
            running: true,
            cancel,
        });
    }

    /// The app on a snapshot already taken, its keeper watching the source.
    pub fn on_snapshot(keeper: Keeper, path: PathBuf) -> App {
        let mut app = App::new(path);
        app.upstream = Some(keeper);
        app
    }

    /// Before the snapshot is open only moving between tabs, the `?` and
    /// `M` lists, scrolling and quitting work; quitting stops the copy.
    /// True when `action` was taken care of here.
    pub(super) fn while_first_snapshot(&mut self, action: Action) -> bool {
        if self.overview.first.is_none() {
            return false;
        }
        match action {
            // Esc over no list leaves too: nothing is open to go back from.
            Action::Quit | Action::Cancel if action == Action::Quit || self.overlay.is_none() => {
                self.stop_first_snapshot();
                self.quit = true;
                true
            }
            // A first snapshot that failed is taken again.
            Action::Refresh if self.overview.first.as_ref().is_some_and(|f| !f.running) => {
                if let Some(f) = self.overview.first.take() {
                    self.take_first_snapshot(f.source, f.cache);
                    self.say("taking the snapshot again");
                }
                true
            }
            Action::Cancel
            | Action::Back
            | Action::Help
            | Action::Messages
            | Action::NextTab
            | Action::PrevTab
            | Action::GoTab(_) => false,
            _ if self.overlay.is_some() => false,
            a if self.scrolls(a) => true,
            _ => {
                let why = self.overview.first.as_ref().and_then(|f| f.note.clone());
                self.say(why.unwrap_or_else(|| {
                    "the snapshot is being taken: every tab works once it is open".into()
                }));
                true
            }
        }
    }

    /// Quitting (or a signal) stops the first snapshot: its copy is
    /// removed, and the app leaves once the copy has stopped.
    pub fn stop_first_snapshot(&self) {
        if let Some(f) = &self.overview.first {
            f.cancel.cancel();
        }
    }

    pub(super) fn on_upstream(&mut self, result: Result<Arc<DuckInspection>, Failure>) {
        if let Some(f) = self.overview.first.as_mut() {
            f.catalog = result.into();
        }
    }

    pub(super) fn on_taking(&mut self, taking: Taking) {
        let Some(f) = self.overview.first.as_mut() else {
            return;
        };
        let effect = match taking {
            // The copy reads the file: a catalog it was held from is read now.
            Taking::Progress(p) if matches!(f.catalog, Load::Failed(_)) => {
                f.catalog = Load::Loading;
                let source = f.source.clone();
                f.progress = Some(p);
                f.note = None;
                self.send(Request::Upstream { source });
                Effect::Done
            }
            Taking::Progress(p) => {
                f.note = None;
                f.progress = Some(p);
                Effect::Done
            }
            Taking::Held(why) => {
                f.note = Some(why);
                Effect::Done
            }
            Taking::Taken(Ok(snap)) => Effect::Snapshot(snap, f.cache.clone()),
            Taking::Taken(Err(why)) => {
                f.running = false;
                let why = why.map_or_else(
                    || "stopped: no snapshot was taken".to_string(),
                    |e| format!("no snapshot was taken: {e} (r tries again)"),
                );
                f.note = Some(why.clone());
                Effect::Say(why)
            }
        };
        self.apply(effect);
    }

    /// The first snapshot is taken: it opens as any store, read-only.
    pub(super) fn open_snapshot(&mut self, snap: Snapshot, cache: PathBuf) {
        self.overview.first = None;
        // Taken as the user quit: it is whole, and kept for the next time.
        if self.quit {
            return;
        }
        self.upstream = Some(Keeper::start(snap, cache, None));
        self.send(Request::Inspect);
    }
}
