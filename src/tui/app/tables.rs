//! The Tables tab: lazy row counts, browsing a table.

use super::super::text::shown;
use super::{App, BrowseState, GridState, Load, Select, cursor};
use crate::store::inspection::inspect::RowCount;
use crate::store::read::tables::{RowAnchor, TablePage};
use crate::store::spec::ObjectClass;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::{Failure, Request};

impl App {
    /// Row counts, counted on the worker one by one: the legacy and leftover
    /// objects always (the Overview shows them), every object on the Tables tab.
    pub(super) fn request_counts(&mut self) {
        let Some(ins) = self.store.inspection.loaded().cloned() else {
            return;
        };
        let all = self.tab == Tab::Tables;
        for o in ins
            .objects
            .iter()
            .filter(|o| all || matches!(o.class, ObjectClass::Legacy | ObjectClass::Leftover))
        {
            let known = self.store.counts.iter().any(|(n, _)| n == &o.name);
            if !known {
                self.store.counts.push((o.name.clone(), o.rows.clone()));
                if o.rows == RowCount::NotCounted {
                    self.send(Request::Count {
                        name: o.name.clone(),
                    });
                }
            }
        }
    }

    /// The browsed page, read again from the same place (after a write by
    /// another process); it stays on screen until the new one comes.
    pub(super) fn reread_browse(&mut self) {
        if let Some(anchor) = self.tables.browse.as_ref().map(|b| b.anchor) {
            self.request_browse(anchor);
        }
    }

    /// The page at `anchor`, `select` picked in it once it comes.
    fn browse_to(&mut self, anchor: RowAnchor, select: Select) {
        if let Some(b) = self.tables.browse.as_mut() {
            b.select_after = select;
        }
        self.request_browse(anchor);
    }

    pub(super) fn request_browse(&mut self, anchor: RowAnchor) {
        let ticket = self.requests.ticket();
        let height = self.page();
        if let Some(b) = self.tables.browse.as_mut() {
            b.ticket = ticket;
            b.anchor = anchor;
            let (table, keyed) = (b.table.clone(), b.keyed);
            self.send(Request::Browse {
                ticket,
                table,
                keyed,
                anchor,
                height,
            });
        }
    }

    pub(super) fn update_tables(&mut self, action: Action) {
        let page = self.page();
        let room = self.size.0;
        if let Some(b) = self.tables.browse.as_mut() {
            if b.grid.act(action, room) {
                return;
            }
            let rows = b.page.loaded().map(|p| p.rows.as_slice()).unwrap_or(&[]);
            let (first, last) = (
                rows.first().and_then(|r| r.0),
                rows.last().and_then(|r| r.0),
            );
            let n = rows.len();
            let half = (page / 2).max(1);
            // The page half a page on: after the row before the half, or
            // before the row the half of a page up ends at.
            let half_down = rows.get(half.saturating_sub(1)).and_then(|r| r.0);
            let half_up = rows.get(n.saturating_sub(half)).and_then(|r| r.0);
            match action {
                Action::Back => self.tables.browse = None,
                Action::HalfPageDown if b.selected + half < n => b.selected += half,
                Action::HalfPageUp if b.selected >= half => b.selected -= half,
                Action::HalfPageDown if b.keyed && n >= page => {
                    if let Some(r) = half_down {
                        self.browse_to(RowAnchor::After(r), Select::Keep);
                    }
                }
                Action::HalfPageUp if b.keyed => {
                    if let Some(r) = half_up.filter(|_| n >= page).or(first) {
                        self.browse_to(RowAnchor::Before(r), Select::Keep);
                    }
                }
                Action::HalfPageDown => b.selected = n.saturating_sub(1),
                Action::HalfPageUp => b.selected = 0,
                Action::Copy | Action::CopyRow => self.copy_from_browse(action),
                Action::Export => self.open_export(),
                Action::EditCell => self.edit_cell(),
                Action::DeleteRow => self.delete_row(),
                Action::Frequencies => self.open_frequencies(),
                Action::Down if b.selected + 1 < n => b.selected += 1,
                Action::Up if b.selected > 0 => b.selected -= 1,
                // Past the page's last row, the row after it; past its
                // first, the row before it: one row on, not a page.
                Action::PageDown | Action::Down if b.keyed => {
                    if let Some(l) = last {
                        let select = if action == Action::Down {
                            Select::First
                        } else {
                            Select::Keep
                        };
                        self.browse_to(RowAnchor::After(l), select);
                    }
                }
                Action::PageUp | Action::Up if b.keyed => {
                    if let Some(f) = first {
                        let select = if action == Action::Up {
                            Select::Last
                        } else {
                            Select::Keep
                        };
                        self.browse_to(RowAnchor::Before(f), select);
                    }
                }
                Action::PageDown => b.selected = (b.selected + page).min(n.saturating_sub(1)),
                Action::PageUp => b.selected = b.selected.saturating_sub(page),
                Action::Top if b.keyed => self.browse_to(RowAnchor::Start, Select::First),
                Action::Bottom if b.keyed => self.browse_to(RowAnchor::End, Select::Last),
                Action::Top => b.selected = 0,
                Action::Bottom => b.selected = n.saturating_sub(1),
                _ => {}
            }
            return;
        }
        let n = self
            .store
            .inspection
            .loaded()
            .map(|i| i.objects.len())
            .unwrap_or(0);
        let t = &mut self.tables.selected;
        if let Some(to) = cursor::step(action, *t, n, page) {
            *t = to;
            return;
        }
        if action != Action::Open {
            return;
        }
        let Some(o) = self
            .store
            .inspection
            .loaded()
            .and_then(|i| i.objects.get(*t))
            .cloned()
        else {
            return;
        };
        self.tables.browse = Some(BrowseState {
            keyed: o.keyed,
            table: o.name,
            page: Load::Loading,
            shown: Vec::new(),
            selected: 0,
            ticket: 0,
            anchor: RowAnchor::Start,
            select_after: Select::First,
            grid: GridState::default(),
        });
        self.request_browse(RowAnchor::Start);
    }

    pub(super) fn on_browse(&mut self, ticket: u64, result: Result<TablePage, Failure>) {
        let Some(b) = self.tables.browse.as_mut().filter(|b| b.ticket == ticket) else {
            return;
        };
        match &result {
            Ok(p) => {
                let last = p.rows.len().saturating_sub(1);
                b.selected = match std::mem::replace(&mut b.select_after, Select::Keep) {
                    Select::First => 0,
                    Select::Last => last,
                    Select::Keep | Select::Row(_) => b.selected.min(last),
                };
                b.shown = p
                    .rows
                    .iter()
                    .map(|(_, cells)| cells.iter().map(shown).collect())
                    .collect();
                b.grid.fit(&p.columns, &b.shown);
            }
            // A lock keeps the page on screen, marked stale.
            Err(Failure::Locked) => {}
            Err(_) => b.shown.clear(),
        }
        b.page.settle(result);
    }
}
