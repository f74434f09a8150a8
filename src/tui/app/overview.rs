//! The store as a whole: inspection, charts, row counts, data checks, and
//! writes by other processes.

use super::state::Checking;
use super::{App, Effect, Load, OverviewState, Select};
use crate::store::cancel::Canceller;
use crate::store::identify::FileChange;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::finding::RowsIn;
use crate::store::inspection::inspect::Inspection;
use crate::store::read::documents::{Anchor, Query};
use crate::store::read::tasks::TaskSelection;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::{Failure, Job, Reply, Request};
use std::sync::Arc;

impl App {
    pub(super) fn on_store_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Inspected {
                result,
                writable,
                stamp,
            } => {
                self.stamp = Some(stamp);
                self.on_inspected(result, writable)
            }
            Reply::Charts(r) => {
                self.store.charts.settle(r);
                self.request_count();
            }
            Reply::Count { name, rows } => {
                if let Some(c) = self.store.counts.iter_mut().find(|c| c.0 == name) {
                    c.1 = rows;
                }
            }
            Reply::TaskCounts(r) => self.store.tasks.settle(r),
            Reply::Checking { ticket, at } => {
                if let Some(c) = self.store.checking.as_mut().filter(|c| c.ticket == ticket) {
                    c.at = Some(at);
                }
            }
            Reply::DataChecks { ticket, result }
                if self
                    .store
                    .checking
                    .as_ref()
                    .is_some_and(|c| c.ticket == ticket) =>
            {
                self.store.checking = None;
                self.store.data = Some(result.into());
                self.overview.finding = None;
            }
            // Checks stopped, or made moot by newer ones.
            Reply::DataChecks { .. } => {}
            // A plan of our own is writing: its end refreshes everything.
            Reply::Changed(..) if self.running() || self.previewing() => {}
            // What the app's own change left: no news.
            Reply::Changed(_, now) if self.stamp == Some(now) => {}
            Reply::Changed(change, now) => {
                // Said once: the next look compares with the file as it is.
                self.stamp = Some(now);
                self.on_file_change(change)
            }
            _ => {}
        }
    }

    /// How many data findings name rows to list.
    pub(super) fn data_findings(&self) -> usize {
        self.store
            .data
            .as_ref()
            .and_then(Load::loaded)
            .map_or(0, |f| f.len())
    }

    /// How many tasks failed, once counted.
    pub(super) fn failed_tasks(&self) -> u64 {
        match self.store.tasks.loaded() {
            Some(Some(t)) => t.failed,
            _ => 0,
        }
    }

    /// The Overview's keys, by its own update.
    pub(super) fn update_overview(&mut self, action: Action) {
        let data = self.store.data.as_ref().and_then(Load::loaded);
        let failed = self.failed_tasks();
        let effect = self
            .overview
            .update(action, data.map_or(&[], Vec::as_slice), failed);
        self.apply(effect);
    }

    /// Documents lists just these rows (a finding's, a blocked plan's), in
    /// the sort and columns it had.
    pub(super) fn list_rows(&mut self, rowids: Vec<i64>) {
        self.docs.query = Query {
            rowids: Some(rowids),
            sort: self.docs.query.sort.clone(),
            desc: self.docs.query.desc,
            columns: self.docs.query.columns.clone(),
            ..Query::default()
        };
        self.detail = None;
        self.go(Tab::Documents);
        self.requery();
    }

    fn on_file_change(&mut self, change: FileChange) {
        if change == FileChange::Same {
            return;
        }
        // A statement's result was read before the change: it may not hold.
        if let Some(r) = self.query.result.as_mut() {
            r.stale = true;
        }
        match change {
            FileChange::Same => return,
            FileChange::Gone => {
                self.gone = true;
                self.store.writable = Err("the store file is gone".into());
                return self.say("the store file is gone (deleted or moved away)");
            }
            FileChange::Replaced => {
                // Rows, keys and rowids of the old file mean nothing in the new.
                self.detail = None;
                self.tables.browse = None;
                self.docs.rows = Load::Loading;
                self.say("the store file was replaced: reopened");
            }
            FileChange::Appeared if self.gone => self.say("the store file is back: reopened"),
            FileChange::Written | FileChange::Appeared => {
                self.say("the store changed on disk: reloaded")
            }
        }
        self.gone = false;
        self.refresh();
        self.replan();
        self.repreview();
    }

    fn on_inspected(
        &mut self,
        result: Result<Arc<Inspection>, Failure>,
        writable: Result<(), String>,
    ) {
        if matches!(result, Err(Failure::Locked)) {
            // The last good data stays; App::second reads again.
            return self.store.inspection.settle(result);
        }
        // Read, or failed for a reason of its own: no lock to wait out.
        if std::mem::take(&mut self.retrying) {
            self.docs.list.lock_gone();
            if let Some(b) = self.tables.browse.as_mut() {
                b.sort.list.lock_gone();
            }
        }
        let has_docs =
            |l: &Load<Arc<Inspection>>| l.loaded().is_some_and(|i| i.live("documents").is_some());
        let had_docs = has_docs(&self.store.inspection);
        if let Err(e) = &result {
            self.say(e.to_string());
        }
        self.store.missing = matches!(result, Err(Failure::Missing(_)));
        self.store.inspection = result.into();
        self.store.writable = if self.gone {
            Err("the store file is gone".into())
        } else {
            writable
        };
        self.store.counts.clear();
        if self.store.inspection.loaded().is_some() {
            self.send(Request::TaskCounts);
            self.reread_tasks();
            self.reread_picker();
        }
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
            self.reread_document();
        } else {
            let why = match &self.store.inspection {
                Load::Failed(e) => format!("cannot open the store: {e}"),
                _ => "the store has no documents table".into(),
            };
            self.store.charts = Load::Failed(why.clone());
            self.docs.count = Load::Failed(why.clone());
            self.docs.rows = Load::Failed(why);
        }
        self.reread_browse();
        self.request_counts();
        if self.store.inspection.loaded().is_some() {
            self.land();
        }
    }
}

impl OverviewState {
    /// n/N pick a data finding; Enter lists the rows it names (in
    /// Documents, or the tasks list), or with none picked the failed tasks.
    pub(crate) fn update(&mut self, action: Action, data: &[Finding], failed_tasks: u64) -> Effect {
        let n = data.len();
        match action {
            Action::NextFinding if n > 0 => {
                self.finding = Some(self.finding.map_or(0, |i| (i + 1) % n));
                self.reveal = true;
            }
            Action::PrevFinding if n > 0 => {
                self.finding = Some(self.finding.map_or(n - 1, |i| (i + n - 1) % n));
                self.reveal = true;
            }
            Action::Back => self.finding = None,
            Action::FixFinding => return Effect::FixFinding,
            Action::Cancel => return Effect::StopChecks,
            Action::Open if self.finding.is_none() => {
                return match failed_tasks {
                    0 => Effect::Say("no failed tasks".into()),
                    _ => Effect::OpenTasks(
                        TaskSelection::Failed,
                        "Failed tasks, newest first".into(),
                    ),
                };
            }
            Action::Open => {
                let Some(f) = self.finding.and_then(|i| data.get(i)) else {
                    return Effect::Done;
                };
                if f.rowids.is_empty() {
                    return Effect::Say("this finding names no rows".into());
                }
                if f.rows_in == RowsIn::Tasks {
                    let title = format!(
                        "Tasks that break the rule “{}”, newest first",
                        f.rule.clone().unwrap_or_default()
                    );
                    return Effect::OpenTasks(TaskSelection::Rows(f.rowids.clone()), title);
                }
                return Effect::ListRows(f.rowids.clone());
            }
            _ => {}
        }
        Effect::Done
    }
}

impl App {
    /// `d`: the data checks start on a thread of their own (one running
    /// goes on); the Overview shows how far they have got.
    pub(super) fn start_checks(&mut self) {
        self.go(Tab::Overview);
        if self.store.checking.is_some() {
            return;
        }
        if self.store.inspection.loaded().is_none() {
            return self.say("data checks: the store is not read yet");
        }
        let ticket = self.requests.ticket();
        let cancel = Canceller::new();
        self.store.checking = Some(Checking {
            ticket,
            at: None,
            cancel: cancel.clone(),
        });
        self.store.data = Some(Load::Loading);
        self.overview.finding = None;
        self.requests
            .outbox
            .push(Job::DataChecks { ticket, cancel });
    }

    /// Esc while they run: the data checks stop, nothing found is kept.
    pub(super) fn stop_checks(&mut self) {
        if let Some(c) = self.store.checking.take() {
            c.cancel.cancel();
            self.store.data = None;
            self.say("data checks stopped: nothing was kept");
        }
    }
}
