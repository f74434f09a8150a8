//! Whether a binding's condition holds now (its hint is shown only then),
//! and the hints that follow.

use super::{App, Overlay, Phase, QueryResult};
use crate::store::plan::PlanKind;
use crate::tui::keymap::Hint;
use crate::tui::keys::{Action, Ctx, When};
use crate::tui::mode::Mode;
use crate::tui::tab::Tab;

impl App {
    /// Whether `w` holds now, in the current mode.
    pub(crate) fn holds(&self, w: When) -> bool {
        match w {
            When::Always => true,
            // Not over its own plan: the key would open the same one again.
            When::InitMayRun => {
                self.plan_may_run(PlanKind::Init)
                    && self.dialog().is_none_or(|d| d.kind != PlanKind::Init)
            }
            When::FoldMayRun => {
                let fold = PlanKind::FoldLegacy { keep_tables: false };
                self.plan_may_run(fold) && self.dialog().is_none_or(|d| d.kind != fold)
            }
            When::DataFindings => self.data_findings() > 0,
            When::FailedTasks => self.failed_tasks() > 0,
            When::NewerTasks => matches!(&self.overlay, Some(Overlay::Tasks(v)) if v.before > 0),
            When::OlderTasks => matches!(&self.overlay, Some(Overlay::Tasks(v))
                if v.page.loaded().is_some_and(|p| p.len() >= crate::store::read::tasks::PAGE)),
            When::LinkPicked => self.detail.as_ref().is_some_and(|d| d.link_picked()),
            When::HasLinks => self
                .detail
                .as_ref()
                .is_some_and(|d| !d.targets().is_empty()),
            When::OnListDocument => {
                self.overview.tasks_left.is_none()
                    && self.detail.as_ref().is_some_and(|d| d.on_list_document())
            }
            When::HasDocuments => self.has_documents(),
            When::SortableColumn => match self.mode() {
                Mode::Browse => self
                    .tables
                    .browse
                    .as_ref()
                    .is_some_and(|b| b.keyed && b.grid.current().is_some()),
                _ => self.has_documents() && self.docs.grid.current().is_some(),
            },
            When::BrowseSortable => self.tables.browse.as_ref().is_some_and(|b| b.keyed),
            When::DocShown => self
                .detail
                .as_ref()
                .is_some_and(|d| matches!(d.doc.loaded(), Some(Some(_)))),
            When::HasTables => self
                .store
                .inspection
                .loaded()
                .is_some_and(|i| !i.objects.is_empty()),
            When::TaskMarked => self.marked_task().is_some(),
            When::TaskNamesDocument => self
                .marked_task()
                .and_then(|t| t.target.as_ref())
                .is_some_and(|t| t.rowid.is_some()),
            When::SpecPane => !self.ddl_pane,
            When::DdlPane => self.ddl_pane,
            When::QueryBusy => self.query.result.as_ref().is_some_and(QueryResult::busy),
            When::BackToEditor => {
                !self.query.left_by_esc && self.query.result.as_ref().is_some_and(|r| !r.busy())
            }
            When::HasHistory => !self.query.history.is_empty() || self.query.editor.lines() > 1,
            When::RowUnderCursor => match self.mode() {
                // Copying reads a row again: by its rowid, or a table's key.
                Mode::Browse => self.tables.browse.as_ref().is_some_and(|b| b.keyed),
                Mode::Documents => self.docs.rows.loaded().is_some_and(|r| !r.is_empty()),
                Mode::QueryResult => self.result_rows(),
                Mode::Record if self.tab == Tab::Tables => {
                    self.tables.browse.as_ref().is_some_and(|b| b.keyed)
                }
                Mode::Record => self.result_rows(),
                _ => false,
            },
            When::BlockedRows => matches!(self.dialog().map(|d| &d.phase),
                Some(Phase::Confirm(p)) if !p.blocked_rows.is_empty()),
            When::RowChangeable => self.row_changeable(),
            When::FixableFinding => self.finding_fixable(),
            When::CanUndo => self.can_undo(),
            When::ChecksRunning => self.store.checking.is_some(),
            When::Sorting => self.docs.list.building.is_some(),
            When::NotSortingBrowse => self
                .tables
                .browse
                .as_ref()
                .is_none_or(|b| b.sort.list.building.is_none()),
            When::RowBefore => self.row_before(),
            When::GridRows => match self.mode() {
                Mode::QueryResult => self.result_rows(),
                Mode::Documents => self.has_documents(),
                Mode::Browse => true,
                _ => false,
            },
        }
    }

    /// The keys that do something now, as the status line hints them.
    pub fn hints(&self) -> Vec<Hint> {
        let ctxs = self.mode().contexts();
        let mut hints = self.keys.hints(ctxs, |w| self.holds(w));
        // Before upstream's first snapshot is open little works (see
        // `while_first_snapshot`): no hint for the rest.
        if self.overview.first.is_some() {
            hints.retain(|h| {
                let ev = crossterm::event::KeyEvent::new(h.key.0, h.key.1);
                matches!(
                    self.keys.lookup(ctxs, &ev),
                    Some(Action::Help | Action::Quit | Action::Messages | Action::Cancel)
                )
            });
        }
        hints
    }

    /// Whether the binding of `action` in `ctx` does something now.
    pub(crate) fn works(&self, ctx: Ctx, action: Action) -> bool {
        self.keys
            .of(ctx)
            .find(|b| b.action == action)
            .is_some_and(|b| self.holds(b.when))
    }

    /// Whether the store has a documents table the grid can list.
    fn has_documents(&self) -> bool {
        self.store
            .inspection
            .loaded()
            .is_some_and(|i| i.live("documents").is_some())
    }

    fn result_rows(&self) -> bool {
        self.query
            .result
            .as_ref()
            .is_some_and(|r| r.page.loaded().is_some_and(|p| !p.rows.is_empty()))
    }
}
