//! The Documents tab: windows of rows, filters, sort, search. The list
//! owns its update; opening a document, the chooser, an export or a
//! change it asks of the app.

use super::super::text::doc_row;
use super::copy::copy_request;
use super::state::Charts;
use super::{App, Cx, DocsState, Effect, Load, Select, cursor};
use crate::store::inspection::catalog::LiveTable;
use crate::store::read::documents::{Anchor, DocRow, Query, RowKey};
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Reply, Request};
use std::sync::atomic::Ordering;
use tui_input::Input;

// The line editor's keys, shared by every prompt.
pub(super) use super::search::edit_request;

impl App {
    /// Runs `f` on the list with what its update may use.
    fn with_docs<R>(&mut self, f: impl FnOnce(&mut DocsState, &Charts, &mut Cx<'_>) -> R) -> R {
        let mut cx = Cx::new(self.page(), self.size.0, &mut self.requests);
        f(&mut self.docs, &self.store.charts, &mut cx)
    }

    pub(super) fn update_docs(&mut self, action: Action) {
        match action {
            Action::Sort => return self.sort_docs(),
            Action::Back if self.stop_sort() => return,
            _ => {}
        }
        let effect = self.with_docs(|d, charts, cx| d.update(action, charts, cx));
        self.apply(effect);
    }

    /// An action while the search prompt is open.
    pub(super) fn update_input(&mut self, action: Action) {
        self.with_docs(|d, charts, cx| d.update_search(action, charts, cx));
    }

    /// The prompt's text, searched as it stands (typing has paused).
    pub(super) fn search_as_typed(&mut self) {
        self.with_docs(|d, charts, cx| d.search_as_typed(charts, cx));
    }

    pub(super) fn request_window(&mut self, anchor: Anchor, select: Select) {
        self.with_docs(|d, charts, cx| d.request_window(anchor, select, charts, cx));
    }

    pub(super) fn rewindow(&mut self) {
        self.with_docs(|d, charts, cx| d.rewindow(charts, cx));
    }

    pub(super) fn requery(&mut self) {
        self.with_docs(|d, charts, cx| d.requery(charts, cx));
    }

    pub(super) fn request_count(&mut self) {
        self.with_docs(|d, charts, cx| d.request_count(charts, cx));
    }

    /// After a resize: the window that fills the page drawn.
    pub(super) fn refit_window(&mut self) {
        self.with_docs(|d, charts, cx| d.refit(charts, cx));
    }

    /// Opens the document under the cursor.
    fn open_selected(&mut self) {
        if let Some(rowid) = self.docs.selected_row().map(|r| r.key.rowid.clone()) {
            self.show_document(rowid);
        }
    }

    /// `[`/`]` in a document: the previous or next one of the list, read
    /// in a new window when the list's window ends.
    pub(super) fn step_document(&mut self, dir: Action) {
        let n = self.docs.rows.loaded().map_or(0, Vec::len);
        let sel = self.docs.selected;
        let inside = match dir {
            Action::Down => sel + 1 < n,
            _ => sel > 0,
        };
        self.with_docs(|d, charts, cx| d.move_in_list(dir, charts, cx));
        if inside {
            self.open_selected();
        } else {
            self.docs.detail_follows = true;
        }
    }

    pub(super) fn on_docs_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Window {
                ticket,
                result,
                done,
            } if ticket == self.docs.ticket => {
                let live = self
                    .store
                    .inspection
                    .loaded()
                    .and_then(|i| i.live("documents"));
                let effect = self.docs.on_window(result, done, live);
                self.apply(effect);
                if done {
                    self.after_window();
                }
            }
            Reply::Document { ticket, result } => {
                if let Some(d) = self.detail.as_mut() {
                    d.on_document(ticket, result, &mut self.requests);
                }
            }
            Reply::Backlinks { ticket, result } => {
                if let Some(d) = self.detail.as_mut() {
                    d.on_backlinks(ticket, result);
                }
            }
            reply => self.docs.on_reply(reply),
        }
    }
}

impl DocsState {
    /// The row under the cursor.
    pub(crate) fn selected_row(&self) -> Option<&DocRow> {
        self.rows.loaded()?.get(self.selected)
    }

    pub(crate) fn request_window(
        &mut self,
        anchor: Anchor,
        select: Select,
        charts: &Charts,
        cx: &mut Cx<'_>,
    ) {
        let in_place = |a: &Anchor, rows: &Load<Vec<DocRow>>| match a {
            Anchor::From {
                key,
                inclusive: true,
            } => rows
                .loaded()
                .and_then(|r| r.first())
                .is_some_and(|f| f.key == *key),
            _ => false,
        };
        let anchor = if self.from_start && in_place(&anchor, &self.rows) {
            Anchor::Start
        } else {
            anchor
        };
        self.from_start = anchor == Anchor::Start;
        let ticket = cx.requests.ticket();
        self.ticket = ticket;
        self.select_after = select;
        self.asked_height = cx.page;
        self.searching = None;
        // A query still running for an older ticket is stopped.
        cx.requests.latest.window.store(ticket, Ordering::Relaxed);
        cx.requests.send(Request::Window {
            ticket,
            query: self.query.clone(),
            counts: charts.loaded().cloned(),
            anchor,
            height: cx.page,
        });
    }

    pub(crate) fn update(&mut self, action: Action, charts: &Charts, cx: &mut Cx<'_>) -> Effect {
        if self.grid.act(action, cx.width) {
            return Effect::Done;
        }
        match action {
            Action::Open => {
                return self
                    .selected_row()
                    .map_or(Effect::Done, |r| Effect::OpenDocument(r.key.rowid.clone()));
            }
            Action::FilterType => return Effect::OpenPicker("doc_type"),
            Action::FilterStatus => return Effect::OpenPicker("status"),
            Action::SortReverse => {
                self.query.desc = !self.query.desc;
                self.rewindow(charts, cx);
            }
            Action::Columns => return Effect::OpenChooser,
            Action::Copy | Action::CopyRow => self.copy(action, cx),
            Action::Export => return Effect::OpenExport,
            Action::EditCell => return Effect::EditCell,
            Action::DeleteRow => return Effect::DeleteRow,
            Action::Frequencies => return Effect::OpenFrequencies,
            Action::Search => {
                self.search_before = self.query.search.clone();
                self.input = Some(Input::new(self.query.search.clone().unwrap_or_default()))
            }
            Action::Back => {
                let cleared = Query {
                    sort: self.query.sort.clone(),
                    desc: self.query.desc,
                    columns: self.query.columns.clone(),
                    ..Query::default()
                };
                if self.query != cleared {
                    self.query = cleared;
                    self.requery(charts, cx);
                }
            }
            other => self.move_in_list(other, charts, cx),
        }
        Effect::Done
    }

    /// `y`/`Y`: the cell under the cursor, or the whole document.
    fn copy(&self, action: Action, cx: &mut Cx<'_>) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let column = self.grid.current().map(str::to_string);
        if let Some(r) = copy_request("documents", row.key.rowid.clone(), action, column) {
            cx.requests.send(r);
        }
    }

    /// A move of the list's cursor: within the window, or by asking for
    /// the window that holds the row moved to.
    pub(crate) fn move_in_list(&mut self, action: Action, charts: &Charts, cx: &mut Cx<'_>) {
        let rows: &[DocRow] = self.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let h = cx.page;
        let half = (h / 2).max(1);
        let sel = self.selected.min(rows.len().saturating_sub(1));
        let from = |i: usize, select| {
            rows.get(i).map(|r| {
                (
                    Anchor::From {
                        key: r.key.clone(),
                        inclusive: true,
                    },
                    select,
                )
            })
        };
        let before = |n: usize| {
            rows.first().map(|r| {
                (
                    Anchor::Before {
                        key: r.key.clone(),
                        n,
                    },
                    Select::Keep,
                )
            })
        };
        let full = rows.len() >= h && rows.len() > 1;
        let mut moved = None;
        let ask = match action {
            Action::Down if sel + 1 < rows.len() => {
                moved = Some(sel + 1);
                None
            }
            Action::Down if full => from(1, Select::Last),
            Action::Up if sel > 0 => {
                moved = Some(sel - 1);
                None
            }
            Action::Up => before(1).map(|(a, _)| (a, Select::First)),
            Action::HalfPageDown if sel + half < rows.len() => {
                moved = Some(sel + half);
                None
            }
            Action::HalfPageDown if full => from(half, Select::Keep),
            Action::HalfPageDown => {
                moved = Some(rows.len().saturating_sub(1));
                None
            }
            Action::HalfPageUp if sel >= half => {
                moved = Some(sel - half);
                None
            }
            Action::HalfPageUp => before(half),
            Action::PageDown => rows.last().map(|r| {
                (
                    Anchor::From {
                        key: r.key.clone(),
                        inclusive: false,
                    },
                    Select::Keep,
                )
            }),
            Action::PageUp => before(h),
            Action::Top => Some((Anchor::Start, Select::First)),
            Action::Bottom => Some((Anchor::End, Select::Last)),
            _ => None,
        };
        if let Some(to) = moved {
            self.selected = to;
        }
        if let Some((anchor, select)) = ask {
            self.request_window(anchor, select, charts, cx);
        }
    }

    /// The window read again from the start, the count unchanged (a new
    /// sort or columns select the same rows).
    pub(crate) fn rewindow(&mut self, charts: &Charts, cx: &mut Cx<'_>) {
        self.rows = Load::Loading;
        self.request_window(Anchor::Start, Select::First, charts, cx);
    }

    pub(crate) fn requery(&mut self, charts: &Charts, cx: &mut Cx<'_>) {
        self.rewindow(charts, cx);
        self.count = Load::Loading;
        self.request_count(charts, cx);
    }

    /// Counts what the filters and search select, on the scan worker. The
    /// store's counts answer most of them at once, so the count waits for
    /// them (their arrival asks again).
    pub(crate) fn request_count(&mut self, charts: &Charts, cx: &mut Cx<'_>) {
        let counts = match charts {
            Load::Loading => return,
            other => other.loaded().cloned(),
        };
        let ticket = cx.requests.ticket();
        self.count_ticket = ticket;
        self.count_so_far = None;
        // A count still running for an older query is stopped.
        cx.requests.latest.matching.store(ticket, Ordering::Relaxed);
        cx.requests.send(Request::Matching {
            ticket,
            query: self.query.clone(),
            counts,
        });
    }

    /// A search's progress, or a count, came.
    fn on_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Searching { ticket, found } if ticket == self.ticket => {
                self.searching = Some(found)
            }
            Reply::Matching {
                ticket,
                result,
                done,
            } if ticket == self.count_ticket => match (done, result) {
                (false, Ok(n)) => self.count_so_far = Some(n),
                (false, Err(_)) => {}
                (true, result) => {
                    self.count_so_far = None;
                    self.count.settle(result);
                }
            },
            _ => {}
        }
    }

    /// A window came (`live`: the documents table, to tell a missing
    /// column from a NULL).
    fn on_window(
        &mut self,
        result: Result<Vec<DocRow>, Failure>,
        done: bool,
        live: Option<&LiveTable>,
    ) -> Effect {
        // While a search scans, the store's count of matches so far is the
        // one counter; the rows shown are among them.
        self.searching = if done {
            None
        } else {
            let shown = result.as_ref().map_or(0, Vec::len);
            Some(self.searching.unwrap_or(0).max(shown))
        };
        let mut effect = Effect::Done;
        match &result {
            Ok(rows) => {
                let last = rows.len().saturating_sub(1);
                self.selected = match self.select_after {
                    Select::First => 0,
                    Select::Last => last,
                    Select::Keep => self.selected.min(last),
                    Select::Row(ref key) => rows
                        .iter()
                        .position(|r| r.key == *key)
                        .unwrap_or_else(|| self.selected.min(last)),
                };
                let names = self.query.grid_columns();
                let missing: Vec<bool> = names
                    .iter()
                    .map(|n| live.is_some_and(|l| l.column(n).is_none()))
                    .collect();
                self.shown = rows.iter().map(|r| doc_row(r, &missing)).collect();
                self.grid.fit(&names, &self.shown);
                // The id stays on the left while the others scroll.
                self.grid.pin = names.iter().position(|n| n == "id");
            }
            // A lock keeps the rows on screen, marked stale.
            Err(Failure::Locked) => {}
            Err(e) => {
                self.shown.clear();
                effect = Effect::Say(e.to_string());
            }
        }
        self.rows.settle(result);
        if std::mem::take(&mut self.detail_follows) {
            effect = Effect::FollowList;
        }
        effect
    }

    /// After a resize: the window is fetched again at the page size drawn,
    /// the selected row still selected (first, when it no longer fits
    /// below the window's first row).
    pub(crate) fn refit(&mut self, charts: &Charts, cx: &mut Cx<'_>) {
        if cx.page == self.asked_height {
            return;
        }
        let rows: &[DocRow] = self.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let sel = self.selected.min(rows.len().saturating_sub(1));
        let from = cursor::refit_start(0, sel, cx.page) as usize;
        let (Some(start), Some(selected)) = (rows.get(from), rows.get(sel)) else {
            return;
        };
        let anchor = Anchor::From {
            key: start.key.clone(),
            inclusive: true,
        };
        let select = Select::Row(selected.key.clone());
        self.request_window(anchor, select, charts, cx);
    }
}

impl App {
    /// The window `[`/`]` asked for came: the detail follows the list's
    /// cursor, unless it is already on its last (or first) document.
    pub(super) fn follow_list(&mut self) {
        let Some(was) = self.detail.as_ref().map(|d| d.rowid.clone()) else {
            return;
        };
        let now: Option<RowKey> = self.docs.selected_row().map(|r| r.key.rowid.clone());
        if now.as_ref() == Some(&was) {
            self.say("no more documents this way");
        } else {
            self.open_selected();
        }
    }
}
