//! The Tables tab: lazy row counts, the list of tables, and a table
//! browsed a page at a time. The list and the browsed table own their
//! update; what reaches beyond them comes back as an `Effect`.

use super::super::text::shown;
use super::copy::copy_request;
use super::{App, BrowseState, Cx, Effect, GridState, Load, Select, TablesState, cursor};
use crate::store::inspection::inspect::{RowCount, SchemaObject};
use crate::store::read::documents::RowKey;
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

    /// The browsed page, read again from the same place (after a write);
    /// it stays on screen until the new one comes.
    pub(super) fn reread_browse(&mut self) {
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        if let Some(b) = self.tables.browse.as_mut() {
            b.request(b.anchor, &mut cx);
        }
    }

    pub(super) fn update_tables(&mut self, action: Action) {
        if self
            .tables
            .browse
            .as_ref()
            .is_some_and(|b| b.record.is_none())
        {
            match action {
                Action::Sort => return self.sort_browse(false),
                Action::SortReverse => return self.sort_browse(true),
                Action::Back if self.stop_browse_sort() => return,
                _ => {}
            }
        }
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        let objects = self
            .store
            .inspection
            .loaded()
            .map_or(&[][..], |i| i.objects.as_slice());
        let effect = self.tables.update(action, objects, &mut cx);
        self.apply(effect);
    }
}

impl TablesState {
    /// The list's keys, or the browsed table's while one is open.
    pub(crate) fn update(
        &mut self,
        action: Action,
        objects: &[SchemaObject],
        cx: &mut Cx<'_>,
    ) -> Effect {
        if let Some(b) = self.browse.as_mut() {
            if action == Action::Back {
                self.browse = None;
                return Effect::Done;
            }
            return b.update(action, cx);
        }
        if let Some(to) = cursor::step(action, self.selected, objects.len(), cx.page) {
            self.selected = to;
            return Effect::Done;
        }
        if action != Action::Open {
            return Effect::Done;
        }
        if let Some(o) = objects.get(self.selected) {
            self.browse(&o.name, o.keyed, RowAnchor::Start, cx);
        }
        Effect::Done
    }

    /// Browses `table` from `anchor`.
    pub(crate) fn browse(&mut self, table: &str, keyed: bool, anchor: RowAnchor, cx: &mut Cx<'_>) {
        let b = self.browse.insert(BrowseState {
            keyed,
            table: table.to_string(),
            page: Load::Loading,
            shown: Vec::new(),
            selected: 0,
            ticket: 0,
            anchor,
            asked: anchor,
            moving: false,
            carry: None,
            select_after: Select::First,
            grid: GridState::default(),
            record: None,
            sort: Default::default(),
        });
        b.request(anchor, cx);
    }
}

impl BrowseState {
    /// The page at `anchor`, read on the worker.
    pub(crate) fn request(&mut self, anchor: RowAnchor, cx: &mut Cx<'_>) {
        let ticket = cx.requests.ticket();
        self.ticket = ticket;
        self.asked = anchor;
        self.moving = false;
        self.carry = None;
        cx.requests.send(Request::Browse {
            ticket,
            table: self.table.clone(),
            keyed: self.keyed,
            anchor,
            height: cx.page,
            order: self.sort.asked(),
        });
    }

    /// The page at `anchor`, `select` picked in it once it comes.
    fn browse_to(&mut self, anchor: RowAnchor, select: Select, cx: &mut Cx<'_>) {
        self.select_after = select;
        self.request(anchor, cx);
        self.moving = true;
        self.carry = Some(0);
    }

    /// The rowid of the row under the cursor.
    pub(crate) fn selected_rowid(&self) -> Option<i64> {
        self.page.loaded()?.rows.get(self.selected)?.0
    }

    pub(crate) fn update(&mut self, action: Action, cx: &mut Cx<'_>) -> Effect {
        if self.grid.act(action, cx.width) {
            return Effect::Done;
        }
        match action {
            Action::Copy | Action::CopyRow => return self.copy(action, cx),
            Action::Export => return Effect::OpenExport,
            Action::Frequencies => return Effect::OpenFrequencies,
            Action::EditCell => return Effect::EditCell,
            Action::DeleteRow => return Effect::DeleteRow,
            Action::Open => {
                if self
                    .page
                    .loaded()
                    .is_some_and(|p| self.selected < p.rows.len())
                {
                    self.record = Some(0);
                }
                return Effect::Done;
            }
            _ => {}
        }
        // A row step while a move's page is on its way waits for it.
        if let Some(c) = self.carry.as_mut() {
            match action {
                Action::Down => *c += 1,
                Action::Up => *c -= 1,
                _ => {}
            }
            if matches!(action, Action::Down | Action::Up) {
                return Effect::Done;
            }
        }
        let page = cx.page;
        let rows = self.page.loaded().map(|p| p.rows.as_slice()).unwrap_or(&[]);
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
        let keyed = self.keyed;
        let ask = match action {
            Action::HalfPageDown if self.selected + half < n => {
                self.selected += half;
                None
            }
            Action::HalfPageUp if self.selected >= half => {
                self.selected -= half;
                None
            }
            Action::HalfPageDown if keyed && n >= page => {
                half_down.map(|r| (RowAnchor::After(r), Select::Keep))
            }
            Action::HalfPageUp if keyed => half_up
                .filter(|_| n >= page)
                .or(first)
                .map(|r| (RowAnchor::Before(r), Select::Keep)),
            Action::HalfPageDown => {
                self.selected = n.saturating_sub(1);
                None
            }
            Action::HalfPageUp => {
                self.selected = 0;
                None
            }
            Action::Down if self.selected + 1 < n => {
                self.selected += 1;
                None
            }
            Action::Up if self.selected > 0 => {
                self.selected -= 1;
                None
            }
            // Past the page's last row, the row after it; past its first,
            // the row before it: one row on, not a page.
            Action::PageDown | Action::Down if keyed => last.map(|l| {
                let select = if action == Action::Down {
                    Select::First
                } else {
                    Select::Keep
                };
                (RowAnchor::After(l), select)
            }),
            Action::PageUp | Action::Up if keyed => first.map(|f| {
                let select = if action == Action::Up {
                    Select::Last
                } else {
                    Select::Keep
                };
                (RowAnchor::Before(f), select)
            }),
            Action::PageDown => {
                self.selected = (self.selected + page).min(n.saturating_sub(1));
                None
            }
            Action::PageUp => {
                self.selected = self.selected.saturating_sub(page);
                None
            }
            Action::Top if keyed => Some((RowAnchor::Start, Select::First)),
            Action::Bottom if keyed => Some((RowAnchor::End, Select::Last)),
            Action::Top => {
                self.selected = 0;
                None
            }
            Action::Bottom => {
                self.selected = n.saturating_sub(1);
                None
            }
            _ => None,
        };
        if let Some((anchor, select)) = ask {
            self.browse_to(anchor, select, cx);
        }
        Effect::Done
    }

    /// `y`/`Y`: the cell or the row, read again by its rowid. A view has
    /// no rowid to read a value again by.
    fn copy(&self, action: Action, cx: &mut Cx<'_>) -> Effect {
        let Some(rowid) = self.selected_rowid() else {
            return if self.keyed {
                Effect::Done
            } else {
                Effect::Say(
                    "this view or table has no rowid to read a value by: e exports it".into(),
                )
            };
        };
        let column = self.grid.current().map(str::to_string);
        if let Some(r) = copy_request(&self.table, RowKey::Rowid(rowid), action, column) {
            cx.requests.send(r);
        }
        Effect::Done
    }

    /// A page came: the row asked for is selected, and the rows stepped
    /// while it came are stepped (past its edge, from the next page).
    pub(crate) fn on_page(
        &mut self,
        ticket: u64,
        result: Result<TablePage, Failure>,
        cx: &mut Cx<'_>,
    ) {
        if self.ticket != ticket {
            return;
        }
        let mut carry = self.carry.take().unwrap_or(0);
        // Past the first or last row there is nothing: the page on screen
        // stays, its row still selected.
        let past_an_end = self.moving
            && result.as_ref().is_ok_and(|p| p.rows.is_empty())
            && self.page.loaded().is_some_and(|p| !p.rows.is_empty());
        if past_an_end {
            self.select_after = Select::Keep;
            return;
        }
        self.anchor = self.asked;
        match &result {
            Ok(p) => {
                let last = p.rows.len().saturating_sub(1);
                self.selected = match std::mem::replace(&mut self.select_after, Select::Keep) {
                    Select::First => 0,
                    Select::Last => last,
                    Select::Keep | Select::Row(_) => self.selected.min(last),
                };
                let room = if carry > 0 {
                    last - self.selected
                } else {
                    self.selected
                };
                let steps = carry.unsigned_abs().min(room as u64) as usize;
                if carry > 0 {
                    self.selected += steps;
                } else {
                    self.selected -= steps;
                }
                carry -= carry.signum() * steps as i64;
                self.shown = p
                    .rows
                    .iter()
                    .map(|(_, cells)| cells.iter().map(shown).collect())
                    .collect();
                self.grid.fit(&p.columns, &self.shown);
                // The key column (the primary key, else the first)
                // stays on the left while the others scroll.
                self.grid.pin = Some(p.key.unwrap_or(0));
            }
            // A lock keeps the page on screen, marked stale.
            Err(Failure::Locked) => carry = 0,
            Err(_) => {
                carry = 0;
                self.shown.clear();
            }
        }
        self.page.settle(result);
        if carry != 0 {
            let step = if carry > 0 { Action::Down } else { Action::Up };
            self.update(step, cx);
            if let Some(c) = self.carry.as_mut() {
                *c = carry - carry.signum();
            }
        }
    }
}
