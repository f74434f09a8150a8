//! The store as a whole: inspection, charts, row counts, data checks, and
//! writes by other processes.

use super::*;
use crate::store::documents::Anchor;

impl App {
    pub(super) fn on_store_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Inspected { result, writable } => self.on_inspected(result, writable),
            Reply::Charts(r) => self.store.charts = r.into(),
            Reply::Count { name, rows } => {
                if let Some(c) = self.store.counts.iter_mut().find(|c| c.0 == name) {
                    c.1 = rows;
                }
            }
            Reply::DataChecks(r) => self.store.data = Some(r.into()),
            Reply::Changed if !self.running() => {
                self.say("the store changed on disk: reloaded");
                self.refresh();
            }
            _ => {}
        }
    }

    fn on_inspected(
        &mut self,
        result: Result<Arc<Inspection>, String>,
        writable: Result<(), String>,
    ) {
        let has_docs =
            |l: &Load<Arc<Inspection>>| l.loaded().is_some_and(|i| i.live("documents").is_some());
        let had_docs = has_docs(&self.store.inspection);
        if let Err(e) = &result {
            self.say(e.clone());
        }
        self.store.inspection = result.into();
        self.store.writable = writable;
        self.store.counts.clear();
        if has_docs(&self.store.inspection) {
            self.send(Request::Charts);
            // Keep the place in the list across a refresh.
            let anchor = match (had_docs, self.docs.rows.loaded().and_then(|r| r.first())) {
                (true, Some(first)) => Anchor::From {
                    key: first.key.clone(),
                    inclusive: true,
                },
                _ => Anchor::Start,
            };
            self.request_window(anchor, Select::Keep);
        } else {
            self.store.charts = Load::Failed("no documents table".into());
            self.docs.rows = Load::Failed("the store has no documents table".into());
        }
        self.request_counts();
    }
}
