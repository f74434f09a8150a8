//! What reaches the app besides keys: the workers' answers, and text
//! pasted into a prompt.

use super::{App, ChangeDialog, ChangePhase, ExportDialog, ExportPhase, Overlay, Phase};
use crate::tui::keys::Action;
use crate::tui::mode::Mode;
use crate::tui::worker::{Failure, Reply};

impl App {
    /// Text pasted: into the prompt that has the keys (the SQL line, the
    /// search, the cell editor), as if typed.
    pub fn paste(&mut self, text: &str) {
        match self.mode() {
            Mode::Sql => self.query.paste(text),
            Mode::Picker => self.paste_picker(text),
            Mode::Search => {
                for c in crate::text::one_line(text).chars() {
                    self.update_input(Action::Type(c));
                }
            }
            Mode::CellEdit => {
                // A value may hold newlines and tabs; other control
                // characters never reach it.
                for c in text
                    .chars()
                    .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                {
                    self.update_edit(Action::Type(c));
                }
            }
            _ => {}
        }
    }

    /// A worker's answer, handed to the feature that asked.
    pub fn on_reply(&mut self, reply: Reply) {
        if reply.locked() {
            self.retrying = true;
        }
        match reply {
            Reply::Inspected { .. }
            | Reply::Charts(_)
            | Reply::Count { .. }
            | Reply::DataChecks { .. }
            | Reply::Checking { .. }
            | Reply::TaskCounts(_)
            | Reply::Changed(..) => self.on_store_reply(reply),
            Reply::Tasks { ticket, result } => self.on_tasks(ticket, result),
            Reply::Window { .. }
            | Reply::Searching { .. }
            | Reply::Document { .. }
            | Reply::Backlinks { .. }
            | Reply::Matching { .. } => self.on_docs_reply(reply),
            Reply::Values { ticket, result } => self.on_values(ticket, result),
            Reply::Browse { ticket, result } => {
                let mut cx = super::Cx::new(self.page(), self.size.0, &mut self.requests);
                if let Some(b) = self.tables.browse.as_mut() {
                    b.on_page(ticket, result, &mut cx);
                }
                self.after_browse_page();
            }
            Reply::Plan(_) | Reply::Progress(_) | Reply::Applied(_) => self.on_plan_reply(reply),
            Reply::Copied { what, result } => self.on_copied(what, result),
            Reply::Query { run, said } => {
                let effect = self.query.on_reply(run, said);
                self.apply(effect);
            }
            Reply::FreqProgress { .. } | Reply::Frequencies { .. } => self.on_frequencies(reply),
            Reply::QueryCount { run, result } => self.query.on_count(run, result),
            Reply::QueryCounting { run, rows } => self.query.on_counting(run, rows),
            Reply::Explained { ticket, result } => {
                // A plan is asked for once: it says how to ask again.
                let result = result.map_err(|e| match e {
                    Failure::Locked => {
                        "locked by another process: Ctrl-X again once it lets go".to_string()
                    }
                    e => e.to_string(),
                });
                self.query.explained(ticket, result)
            }
            Reply::ExportProgress { .. } | Reply::Exported(_) => self.on_export_reply(reply),
            Reply::EditValue { .. } | Reply::ChangePreview { .. } | Reply::ChangeCommitted(..) => {
                self.on_change_reply(reply)
            }
            Reply::Upstream(result) => self.on_upstream(result),
            Reply::Snapshot(taking) => self.on_taking(taking),
            Reply::SortProgress { .. } | Reply::Sorted { .. } => self.on_sort_reply(reply),
        }
        // Rows that came may have widened a column left of the cursor.
        self.follow_columns();
    }

    /// A running plan or export may not be left by quitting: Ctrl-C
    /// stops it first. A first snapshot stops itself, its copy removed.
    pub fn running(&self) -> bool {
        self.overview.first.as_ref().is_some_and(|f| f.running)
            || matches!(self.dialog().map(|d| &d.phase), Some(Phase::Running { .. }))
            || matches!(
                &self.overlay,
                Some(Overlay::Change(ChangeDialog {
                    phase: ChangePhase::Committing { .. },
                    ..
                }))
            )
            || matches!(
                &self.overlay,
                Some(Overlay::Export(ExportDialog {
                    phase: ExportPhase::Running { .. },
                    ..
                }))
            )
    }
}
