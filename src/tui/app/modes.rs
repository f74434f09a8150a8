//! Which keys are in force and which of them do something now: the key
//! contexts of the current state, and whether an action works in it (its
//! hint is shown only then).

use super::*;

impl App {
    /// Whether `action` does something in the current state (its hint is
    /// shown only then).
    pub(crate) fn works(&self, action: Action) -> bool {
        match action {
            Action::Init => self.plan_may_run(PlanKind::Init),
            Action::FoldLegacy => self.plan_may_run(PlanKind::FoldLegacy { keep_tables: false }),
            Action::NextFinding | Action::PrevFinding => self.data_findings() > 0,
            Action::Open if self.tab == Tab::Overview => {
                self.store.finding.is_some() || self.failed_tasks() > 0
            }
            Action::Newer => matches!(&self.overlay, Some(Overlay::Tasks(v)) if v.before > 0),
            Action::Older => {
                matches!(&self.overlay, Some(Overlay::Tasks(v)) if v.page.loaded().is_some_and(|p| p.len() >= crate::store::read::tasks::PAGE))
            }
            Action::Open if self.detail.is_some() => self.link_picked(),
            Action::NextLink | Action::PrevLink => self.links_count() > 0,
            // Copying reads a row again by its rowid.
            Action::Cancel if self.tab == Tab::Query && !self.query.editing => {
                self.query.result.as_ref().is_some_and(QueryResult::busy)
            }
            Action::HistoryPrev => !self.query.history.is_empty(),
            Action::Copy | Action::CopyRow | Action::Export | Action::Frequencies
                if self.tab == Tab::Query =>
            {
                self.query
                    .result
                    .as_ref()
                    .is_some_and(|r| r.page.loaded().is_some_and(|p| !p.rows.is_empty()))
            }
            Action::Copy | Action::CopyRow => match self.tab {
                Tab::Tables => self.tables.browse.as_ref().is_some_and(|b| b.keyed),
                Tab::Documents => {
                    self.detail.is_some() || self.docs.rows.loaded().is_some_and(|r| !r.is_empty())
                }
                _ => false,
            },
            _ => true,
        }
    }

    /// The key contexts in force, most specific first.
    pub(crate) fn contexts(&self) -> Vec<Ctx> {
        if self.too_small() {
            return vec![Ctx::TooSmall];
        }
        match &self.overlay {
            Some(Overlay::Plan(d)) => {
                return match d.phase {
                    Phase::Confirm(ref p) if p.blockers.is_empty() => {
                        vec![Ctx::Confirm, Ctx::Scroll]
                    }
                    Phase::Running { .. } => vec![Ctx::Running, Ctx::Scroll],
                    _ => vec![Ctx::Ended, Ctx::Scroll, Ctx::Global],
                };
            }
            Some(Overlay::Help { .. }) => return vec![Ctx::Help, Ctx::Scroll],
            Some(Overlay::Columns(_)) => return vec![Ctx::Chooser],
            Some(Overlay::Frequencies(_)) => return vec![Ctx::Frequencies, Ctx::Scroll],
            Some(Overlay::Tasks(_)) => return vec![Ctx::Tasks, Ctx::Scroll],
            Some(Overlay::Export(d)) => {
                return match d.phase {
                    ExportPhase::Naming => vec![Ctx::ExportPath, Ctx::Input],
                    ExportPhase::Running { .. } => vec![Ctx::Exporting],
                };
            }
            None => {}
        }
        let mut v = match self.tab {
            Tab::Documents if self.docs.input.is_some() => return vec![Ctx::Search, Ctx::Input],
            Tab::Documents if self.detail.is_some() => vec![Ctx::Detail, Ctx::Scroll],
            Tab::Documents => vec![Ctx::Documents, Ctx::Grid, Ctx::Scroll],
            Tab::Tables if self.tables.browse.is_some() => {
                vec![Ctx::Browse, Ctx::Grid, Ctx::Scroll]
            }
            Tab::Tables => vec![Ctx::Tables, Ctx::Scroll],
            Tab::Overview if self.store.finding.is_some() => vec![Ctx::Finding, Ctx::Scroll],
            Tab::Overview => vec![Ctx::Overview, Ctx::Scroll],
            Tab::Schema => vec![Ctx::Scroll],
            Tab::Query if self.query.editing => return vec![Ctx::Sql, Ctx::Input],
            Tab::Query => vec![Ctx::QueryGrid, Ctx::Grid, Ctx::Scroll],
        };
        v.push(Ctx::Global);
        v
    }
}
