//! Sorting Documents and a browsed table by any column. The store says how
//! a sort's pages are read (`Sort::path`); for a column no index orders,
//! the app asks for its sorted list once the first page (read by a scan,
//! as fast as `sqlite3`'s own `ORDER BY … LIMIT`) is on screen, shows how
//! far the list has got, stops it on Esc, and asks again when the filters
//! or the store change.

use super::state::{BrowseSort, Building, Requests, SortList};
use super::{App, Load, Select};
use crate::store::cancel::Canceller;
use crate::store::read::documents::{Anchor, Sort};
use crate::store::read::sort::SortPath;
use crate::store::read::sorted::ListAsk;
use crate::store::read::tables::{Order, RowAnchor};
use crate::tui::worker::{Failure, Job, Reply};

/// How a build ended, for the grid that asked.
enum Ended {
    Sorted(String, u64),
    Failed(String, String),
}

impl SortList {
    /// The store changed (or is read again): the list may no longer be in
    /// order; the next page asks for it again (the worker keeps a list the
    /// store has not changed under, and answers at once).
    pub(super) fn store_changed(&mut self) {
        if self.ready.take().is_some() {
            self.changed = true;
        }
        self.declined = None;
    }

    /// The store was read after a lock let go: a list the lock kept from
    /// being built is asked for again with the next page.
    pub(super) fn lock_gone(&mut self) {
        if std::mem::take(&mut self.locked_out) {
            self.declined = None;
        }
    }

    /// `o` changed the order from `before`: its list, if it needs one, may
    /// be asked for again, and Esc while it is built goes back to `before`.
    fn sorted_from(&mut self, before: (Sort, bool)) {
        self.before = Some(before);
        self.declined = None;
    }

    fn stop(&mut self) -> Option<Building> {
        let b = self.building.take()?;
        b.cancel.cancel();
        Some(b)
    }

    /// A page in the current order came: `want` is the list it needs (None:
    /// an index or the rowid gives the order), asked for unless it is
    /// ready, being built, or was stopped.
    fn want(&mut self, want: Option<ListAsk>, requests: &mut Requests) {
        let Some(want) = want else {
            self.stop();
            self.before = None;
            return;
        };
        let building = self.building.as_ref().map(|b| &b.ask);
        if self.ready.as_ref() == Some(&want)
            || self.declined.as_ref() == Some(&want)
            || building == Some(&want)
        {
            return;
        }
        let again = self.stop().is_some() || self.ready.take().is_some() || self.changed;
        self.changed = false;
        self.declined = None;
        let ticket = requests.ticket();
        let cancel = Canceller::new();
        self.building = Some(Building {
            ask: want.clone(),
            at: None,
            again,
            ticket,
            cancel: cancel.clone(),
            before: self.before.take(),
        });
        requests.outbox.push(Job::SortList {
            ticket,
            ask: want,
            cancel,
        });
    }

    /// A build's progress or end, if it is this list's.
    fn on_reply(&mut self, reply: &Reply) -> Option<Ended> {
        match reply {
            Reply::SortProgress { ticket, at } => {
                if let Some(b) = self.building.as_mut().filter(|b| b.ticket == *ticket) {
                    b.at = Some(*at);
                }
                None
            }
            Reply::Sorted { ticket, result }
                if self.building.as_ref().is_some_and(|b| b.ticket == *ticket) =>
            {
                let b = self.building.take()?;
                let column = crate::text::cell(&b.ask.column);
                Some(match result {
                    Ok(rows) => {
                        self.ready = Some(b.ask);
                        Ended::Sorted(column, *rows)
                    }
                    Err(why) => {
                        self.declined = Some(b.ask);
                        self.locked_out = *why == Failure::Locked;
                        Ended::Failed(column, why.to_string())
                    }
                })
            }
            _ => None,
        }
    }
}

/// Stopped by Esc: the column, and the order to go back to (None: the
/// list was asked for by a filter or a write, and the order stays).
fn stopped(list: &mut SortList) -> Option<(String, Option<(Sort, bool)>)> {
    let b = list.stop()?;
    let column = crate::text::cell(&b.ask.column);
    list.declined = Some(b.ask);
    Some((column, b.before))
}

fn stopped_note(column: &str, back: bool) -> String {
    if back {
        format!("sort by {column} stopped: back to the order before")
    } else {
        format!(
            "sort by {column} stopped: each page by {column} now sorts every row (o twice sorts again)"
        )
    }
}

impl BrowseSort {
    /// The order a page is asked in (None: by rowid, as it is stored).
    pub(super) fn asked(&self) -> Option<Order> {
        (self.order != Order::default()).then(|| self.order.clone())
    }
}

impl App {
    /// `o`: sort by the column under the cursor (again: back to inserted
    /// order). The first page comes at once; a column no index orders then
    /// gets its list.
    pub(super) fn sort_docs(&mut self) {
        let Some(name) = self.docs.grid.current().map(str::to_string) else {
            return;
        };
        let q = &mut self.docs.query;
        let before = (q.sort.clone(), q.desc);
        let by = Sort::by_column(&name);
        q.sort = if by == q.sort { Sort::Inserted } else { by };
        self.docs.list.sorted_from(before);
        self.rewindow();
    }

    /// A window of Documents came: its sorted list is asked for if needed.
    pub(super) fn after_window(&mut self) {
        let Some(live) = self
            .store
            .inspection
            .loaded()
            .and_then(|i| i.live("documents"))
        else {
            return;
        };
        let q = &self.docs.query;
        let want = (q.sort.path(live) == SortPath::List)
            .then(|| ListAsk::of(&live.name, q))
            .flatten();
        self.docs.list.want(want, &mut self.requests);
    }

    /// Esc while a list is built: it stops, and the order before `o`
    /// comes back (a list asked for by a filter or a write keeps its
    /// order, read by a scan a page at a time). False: nothing to stop.
    pub(super) fn stop_sort(&mut self) -> bool {
        let Some((column, before)) = stopped(&mut self.docs.list) else {
            return false;
        };
        if let Some((sort, desc)) = &before {
            self.docs.query.sort = sort.clone();
            self.docs.query.desc = *desc;
            self.rewindow();
        }
        self.say(stopped_note(&column, before.is_some()));
        true
    }

    /// `o` on a browsed table: by the column under the cursor, or (again)
    /// back to rowid order. Only a table paged by rowid has an order to
    /// page in; a view or a WITHOUT ROWID table shows its first rows.
    pub(super) fn sort_browse(&mut self, reverse: bool) {
        let Some(b) = self.tables.browse.as_mut() else {
            return;
        };
        if !b.keyed {
            return self.say(
                "only a table paged by rowid sorts: this view or WITHOUT ROWID table shows its first rows as stored",
            );
        }
        let was = b.sort.order.clone();
        if reverse {
            b.sort.order.desc = !b.sort.order.desc;
        } else if let Some(name) = b.grid.current() {
            let by = Sort::by_column(name);
            b.sort.order = if by == was.sort {
                Order::default()
            } else {
                Order {
                    sort: by,
                    desc: false,
                }
            };
        }
        b.sort.list.sorted_from((was.sort, was.desc));
        self.reread_browse_from(RowAnchor::Start);
    }

    /// A browsed page came: its sorted list is asked for if needed.
    pub(super) fn after_browse_page(&mut self) {
        let Some(b) = self.tables.browse.as_mut() else {
            return;
        };
        let Some(page) = b.page.loaded() else {
            return;
        };
        let want = (page.path == SortPath::List)
            .then(|| {
                let q = crate::store::read::documents::Query {
                    sort: b.sort.order.sort.clone(),
                    ..Default::default()
                };
                ListAsk::of(&b.table, &q)
            })
            .flatten();
        b.sort.list.want(want, &mut self.requests);
    }

    /// Esc on a browsed table while its list is built (see `stop_sort`).
    pub(super) fn stop_browse_sort(&mut self) -> bool {
        let Some(b) = self.tables.browse.as_mut() else {
            return false;
        };
        let Some((column, before)) = stopped(&mut b.sort.list) else {
            return false;
        };
        if let Some((sort, desc)) = &before {
            b.sort.order = Order {
                sort: sort.clone(),
                desc: *desc,
            };
            self.reread_browse_from(RowAnchor::Start);
        }
        self.say(stopped_note(&column, before.is_some()));
        true
    }

    /// The browsed table read from `anchor`, the first row selected.
    fn reread_browse_from(&mut self, anchor: RowAnchor) {
        let mut cx = super::Cx::new(self.page(), self.size.0, &mut self.requests);
        if let Some(b) = self.tables.browse.as_mut() {
            b.select_after = Select::First;
            b.request(anchor, &mut cx);
        }
    }

    pub(super) fn on_sort_reply(&mut self, reply: Reply) {
        if let Some(ended) = self.docs.list.on_reply(&reply) {
            if let Ended::Sorted(..) = ended {
                self.reread_in_place();
            }
            self.say_ended(ended);
            return;
        }
        let ended = self
            .tables
            .browse
            .as_mut()
            .and_then(|b| b.sort.list.on_reply(&reply));
        if let Some(ended) = ended {
            if let Ended::Sorted(..) = ended {
                self.reread_browse();
            }
            self.say_ended(ended);
        }
    }

    fn say_ended(&mut self, ended: Ended) {
        self.say(match ended {
            Ended::Sorted(column, rows) => {
                format!(
                    "sorted by {column}: {} rows",
                    crate::tui::text::grouped(rows)
                )
            }
            Ended::Failed(column, why) => {
                format!("cannot sort by {column}: {why}; each page sorts every row")
            }
        });
    }

    /// The window read again where it is, the selected row kept: the list
    /// is ready, so this one comes from it.
    fn reread_in_place(&mut self) {
        let rows = self.docs.rows.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let first = rows.first().map(|r| r.key.clone());
        let sel = rows.get(self.docs.selected).map(|r| r.key.clone());
        match (first, sel) {
            (Some(first), Some(sel)) => self.request_window(
                Anchor::From {
                    key: first,
                    inclusive: true,
                },
                Select::Row(sel),
            ),
            _ => {
                self.docs.rows = Load::Loading;
                self.request_window(Anchor::Start, Select::First);
            }
        }
    }
}
