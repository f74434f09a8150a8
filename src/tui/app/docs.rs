//! The Documents tab: windows of rows, the detail view, filters, sort, search.

use super::super::keys::Edit;
use super::super::text::doc_row;
use super::{App, Load, Select, cursor};
use crate::store::read::doc_counts::status_choices;
use crate::store::read::documents::{Anchor, DocRow, Query};
use crate::store::spec::Spec;
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Reply, Request};
use std::sync::atomic::Ordering;
use tui_input::{Input, InputRequest};

/// The longest search the prompt takes, in characters.
const SEARCH_CHARS: usize = 200;

impl App {
    pub(super) fn request_window(&mut self, anchor: Anchor, select: Select) {
        let ticket = self.requests.ticket();
        self.docs.ticket = ticket;
        self.docs.select_after = select;
        let height = self.page();
        self.docs.asked_height = height;
        self.docs.searching = None;
        // A query still running for an older ticket is stopped.
        self.requests.latest.window.store(ticket, Ordering::Relaxed);
        self.send(Request::Window {
            ticket,
            query: self.docs.query.clone(),
            counts: self.store.charts.loaded().cloned(),
            anchor,
            height,
        });
    }

    pub(super) fn update_docs(&mut self, action: Action) {
        if self.detail.is_some() {
            return self.update_detail(action);
        }
        if self.docs.grid.act(action, self.size.0) {
            return;
        }
        match action {
            Action::Open => self.open_selected(),
            Action::FilterType => {
                let values: Vec<String> = Spec::v3().doc_types.clone();
                self.docs.query.doc_type = cycle(&values, self.docs.query.doc_type.take());
                self.requery();
            }
            Action::FilterStatus => {
                let values = status_choices(self.store.charts.loaded().map(|c| &**c));
                self.docs.query.status = cycle(&values, self.docs.query.status.take());
                self.requery();
            }
            Action::Sort => self.sort_by_cursor(),
            Action::SortReverse => {
                self.docs.query.desc = !self.docs.query.desc;
                self.rewindow();
            }
            Action::Columns => self.open_chooser(),
            Action::Copy | Action::CopyRow => self.copy_from_docs(action),
            Action::Export => self.open_export(),
            Action::EditCell => self.edit_cell(),
            Action::DeleteRow => self.delete_row(),
            Action::Frequencies => self.open_frequencies(),
            Action::Search => {
                self.docs.search_before = self.docs.query.search.clone();
                self.docs.input = Some(Input::new(
                    self.docs.query.search.clone().unwrap_or_default(),
                ))
            }
            Action::Back => {
                let cleared = Query {
                    sort: self.docs.query.sort,
                    desc: self.docs.query.desc,
                    columns: self.docs.query.columns.clone(),
                    ..Query::default()
                };
                if self.docs.query != cleared {
                    self.docs.query = cleared;
                    self.requery();
                }
            }
            other => self.move_in_list(other),
        }
    }

    /// A move of the list's cursor: within the window, or by asking for
    /// the window that holds the row moved to.
    fn move_in_list(&mut self, action: Action) {
        let rows: &[DocRow] = self.docs.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let h = self.page();
        let half = (h / 2).max(1);
        let sel = self.docs.selected.min(rows.len().saturating_sub(1));
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
        let ask = match action {
            Action::Down if sel + 1 < rows.len() => {
                self.docs.selected = sel + 1;
                None
            }
            Action::Down if full => from(1, Select::Last),
            Action::Up if sel > 0 => {
                self.docs.selected = sel - 1;
                None
            }
            Action::Up => before(1).map(|(a, _)| (a, Select::First)),
            Action::HalfPageDown if sel + half < rows.len() => {
                self.docs.selected = sel + half;
                None
            }
            Action::HalfPageDown if full => from(half, Select::Keep),
            Action::HalfPageDown => {
                self.docs.selected = rows.len().saturating_sub(1);
                None
            }
            Action::HalfPageUp if sel >= half => {
                self.docs.selected = sel - half;
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
        if let Some((anchor, select)) = ask {
            self.request_window(anchor, select);
        }
    }

    /// Opens the document under the cursor.
    fn open_selected(&mut self) {
        let rows: &[DocRow] = self.docs.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let Some(row) = rows.get(self.docs.selected) else {
            return;
        };
        let rowid = row.key.rowid.clone();
        self.show_document(rowid);
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
        self.move_in_list(dir);
        if inside {
            self.open_selected();
        } else {
            self.docs.detail_follows = true;
        }
    }

    /// `o`: sort by the column under the cursor when an index can give its
    /// order; on the column already sorted by, back to inserted order.
    fn sort_by_cursor(&mut self) {
        let Some(name) = self.docs.grid.current().map(str::to_string) else {
            return;
        };
        let q = &mut self.docs.query;
        match crate::store::read::documents::Sort::by_column(&name) {
            Some(s) if s == q.sort => q.sort = Default::default(),
            Some(s) => q.sort = s,
            None => {
                let sortable: Vec<&str> = crate::store::read::documents::Sort::ALL
                    .iter()
                    .filter_map(|s| s.column())
                    .collect();
                return self.say(format!(
                    "cannot sort by {}: pages are read in an index's order ({}) or as inserted",
                    crate::text::cell(&name),
                    sortable.join(", ")
                ));
            }
        }
        self.rewindow();
    }

    /// The window read again from the start, the count unchanged (a new
    /// sort or columns select the same rows).
    pub(super) fn rewindow(&mut self) {
        self.docs.rows = Load::Loading;
        self.request_window(Anchor::Start, Select::First);
    }

    pub(super) fn requery(&mut self) {
        self.docs.rows = Load::Loading;
        self.request_window(Anchor::Start, Select::First);
        self.docs.count = Load::Loading;
        self.request_count();
    }

    /// Counts what the filters and search select, on the scan worker. The
    /// store's counts answer most of them at once, so the count waits for
    /// them (their arrival asks again).
    pub(super) fn request_count(&mut self) {
        let counts = match &self.store.charts {
            Load::Loading => return,
            other => other.loaded().cloned(),
        };
        let ticket = self.requests.ticket();
        self.docs.count_ticket = ticket;
        self.docs.count_so_far = None;
        // A count still running for an older query is stopped.
        self.requests
            .latest
            .matching
            .store(ticket, Ordering::Relaxed);
        self.send(Request::Matching {
            ticket,
            query: self.docs.query.clone(),
            counts,
        });
    }

    /// An action while the search prompt is open: the list follows what
    /// is typed (once typing pauses, see App::tick); Enter keeps it, Esc
    /// goes back to the search from before.
    pub(super) fn update_input(&mut self, action: Action) {
        let Some(input) = self.docs.input.as_mut() else {
            return;
        };
        let request = match action {
            Action::Submit => {
                let typed = typed(input.value());
                self.docs.input = None;
                self.docs.typed_at = None;
                if typed != self.docs.query.search {
                    self.docs.query.search = typed;
                    self.requery();
                }
                return;
            }
            Action::Cancel => {
                self.docs.input = None;
                self.docs.typed_at = None;
                let before = self.docs.search_before.take();
                if before != self.docs.query.search {
                    self.docs.query.search = before;
                    self.requery();
                }
                return;
            }
            Action::Type(c) if input.value().chars().count() < SEARCH_CHARS => {
                InputRequest::InsertChar(c)
            }
            Action::Edit(e) => edit_request(e),
            _ => return,
        };
        if input.handle(request).is_some_and(|r| r.value) {
            self.docs.typed_at = Some(std::time::Instant::now());
        }
    }

    /// The prompt's text, searched as it stands (typing has paused).
    pub(super) fn search_as_typed(&mut self) {
        self.docs.typed_at = None;
        let Some(input) = &self.docs.input else {
            return;
        };
        let typed = typed(input.value());
        if typed != self.docs.query.search {
            self.docs.query.search = typed;
            self.requery();
        }
    }

    pub(super) fn on_docs_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Searching { ticket, found } if ticket == self.docs.ticket => {
                self.docs.searching = Some(found)
            }
            Reply::Window {
                ticket,
                result,
                done,
            } if ticket == self.docs.ticket => self.on_window(result, done),
            Reply::Matching {
                ticket,
                result,
                done,
            } if ticket == self.docs.count_ticket => match (done, result) {
                (false, Ok(n)) => self.docs.count_so_far = Some(n),
                (false, Err(_)) => {}
                (true, result) => {
                    self.docs.count_so_far = None;
                    self.docs.count.settle(result);
                }
            },
            Reply::Document { ticket, result } => {
                if let Some(d) = self.detail.as_mut() {
                    d.on_document(ticket, result);
                }
            }
            _ => {}
        }
    }

    fn on_window(&mut self, result: Result<Vec<DocRow>, Failure>, done: bool) {
        // While a search scans, the store's count of matches so far is the
        // one counter; the rows shown are among them.
        self.docs.searching = if done {
            None
        } else {
            let shown = result.as_ref().map_or(0, Vec::len);
            Some(self.docs.searching.unwrap_or(0).max(shown))
        };
        match &result {
            Ok(rows) => {
                self.docs.selected = match self.docs.select_after {
                    Select::First => 0,
                    Select::Last => rows.len().saturating_sub(1),
                    Select::Keep => self.docs.selected.min(rows.len().saturating_sub(1)),
                    Select::Row(ref key) => rows
                        .iter()
                        .position(|r| r.key == *key)
                        .unwrap_or_else(|| self.docs.selected.min(rows.len().saturating_sub(1))),
                };
            }
            // A lock keeps the rows on screen, marked stale.
            Err(Failure::Locked) => {}
            Err(e) => self.say(e.to_string()),
        }
        if let Ok(rows) = &result {
            let names = self.docs.query.grid_columns();
            let live = self
                .store
                .inspection
                .loaded()
                .and_then(|i| i.live("documents"));
            let missing: Vec<bool> = names
                .iter()
                .map(|n| live.is_some_and(|l| l.column(n).is_none()))
                .collect();
            self.docs.shown = rows.iter().map(|r| doc_row(r, &missing)).collect();
            self.docs.grid.fit(&names, &self.docs.shown);
        } else if !matches!(result, Err(Failure::Locked)) {
            self.docs.shown.clear();
        }
        self.docs.rows.settle(result);
        if std::mem::take(&mut self.docs.detail_follows) && self.detail.is_some() {
            let was = self.detail.as_ref().map(|d| d.rowid.clone());
            let now = self
                .docs
                .rows
                .loaded()
                .and_then(|r| r.get(self.docs.selected));
            if now.map(|r| &r.key.rowid) == was.as_ref() {
                self.say("no more documents this way");
            } else {
                self.open_selected();
            }
        }
    }

    /// After a resize: the window is fetched again at the page size drawn,
    /// the selected row still selected (first, when it no longer fits
    /// below the window's first row).
    pub(super) fn refit_window(&mut self) {
        let page = self.page();
        if page == self.docs.asked_height {
            return;
        }
        let rows: &[DocRow] = self.docs.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let sel = self.docs.selected.min(rows.len().saturating_sub(1));
        let from = cursor::refit_start(0, sel, page) as usize;
        let (Some(start), Some(selected)) = (rows.get(from), rows.get(sel)) else {
            return;
        };
        let anchor = Anchor::From {
            key: start.key.clone(),
            inclusive: true,
        };
        self.request_window(anchor, Select::Row(selected.key.clone()));
    }
}

/// The line editor's request for an edit.
pub(super) fn edit_request(e: Edit) -> InputRequest {
    match e {
        Edit::Left => InputRequest::GoToPrevChar,
        Edit::Right => InputRequest::GoToNextChar,
        Edit::WordLeft => InputRequest::GoToPrevWord,
        Edit::WordRight => InputRequest::GoToNextWord,
        Edit::Home => InputRequest::GoToStart,
        Edit::End => InputRequest::GoToEnd,
        Edit::Backspace => InputRequest::DeletePrevChar,
        Edit::Delete => InputRequest::DeleteNextChar,
        Edit::DeleteWord => InputRequest::DeletePrevWord,
        Edit::DeleteToStart => InputRequest::DeleteFromStart,
        Edit::DeleteToEnd => InputRequest::DeleteTillEnd,
    }
}

/// A search as typed: trimmed, none when empty.
fn typed(value: &str) -> Option<String> {
    let t = value.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The next value after `current` in `values`, then none (all), then the first.
fn cycle(values: &[String], current: Option<String>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(c) => values
            .iter()
            .position(|v| *v == c)
            .and_then(|i| values.get(i + 1))
            .cloned(),
    }
}
