//! The store as it is now: everything read again after a write, the
//! once-a-second look for other processes' writes, and what on screen may
//! no longer be so.

use super::App;
use crate::tui::tab::Tab;
use crate::tui::worker::{Job, Request};

impl App {
    /// Reads everything again: after a write, a refresh key, or a change by
    /// another process. What is on screen stays until the new data comes.
    pub(crate) fn refresh(&mut self) {
        // A sorted list may no longer be in order: asked for again.
        self.docs.list.store_changed();
        if let Some(b) = self.tables.browse.as_mut() {
            b.sort.list.store_changed();
        }
        // Results of a scan may no longer hold (one running reads the
        // store as it is now, and goes on).
        if self.store.checking.is_none() {
            self.store.data = None;
            self.overview.finding = None;
        }
        self.send(Request::Inspect);
    }

    /// Once a second: ask whether the store changed, and read again what a
    /// lock kept from being read.
    pub fn second(&mut self) {
        self.requests.outbox.push(Job::Read(Request::Poll));
        // The file is looked at once it was first read (a missing one too).
        if let Some(since) = self.stamp {
            self.requests
                .outbox
                .push(Job::Read(Request::Watch { since }));
        }
        // Read again what the lock kept: what is known (the data checks'
        // findings too) stays until something new is read.
        if self.retrying && !self.running() {
            self.send(Request::Inspect);
        }
    }

    /// Why what is on screen may not be so any more, if it may not.
    pub fn stale_note(&self) -> Option<&str> {
        if self.gone {
            return Some("the store file is gone: shown as read before");
        }
        let browse = self.tables.browse.as_ref().and_then(|b| b.page.stale());
        let detail = self.detail.as_ref().and_then(|d| d.doc.stale());
        let result = self
            .query
            .result
            .as_ref()
            .filter(|r| r.stale && self.tab == Tab::Query)
            .map(|_| "the store changed since the statement ran (: then Enter runs it again)");
        self.store
            .inspection
            .stale()
            .or(self.docs.rows.stale())
            .or(self.store.charts.stale())
            .or(detail)
            .or(browse)
            .or(result)
            .or(self.retrying.then_some(crate::tui::worker::LOCKED))
            .or(self
                .store
                .inspection
                .loaded()
                .filter(|i| i.facts.private_copy)
                .map(|_| crate::store::inspection::finding::PRIVATE_COPY))
    }
}
