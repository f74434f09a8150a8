//! Documents sorted by any column. The store says how a sort's pages are
//! read (`Sort::path`); for a column no index orders, the app asks for its
//! sorted list once the first page (read by a scan, as fast as `sqlite3`'s
//! own `ORDER BY … LIMIT`) is on screen, shows how far the list has got,
//! stops it on Esc, and asks again when the filters or the store change.

use super::{App, Load, Select};
use crate::store::cancel::Canceller;
use crate::store::read::documents::{Anchor, Sort};
use crate::store::read::sort::SortPath;
use crate::store::read::sorted::{ListAsk, Sorting};
use crate::tui::worker::{Job, Reply};

/// Where the sorted list of the Documents sort stands.
#[derive(Debug, Default)]
pub struct SortList {
    /// The list being built, while it is.
    pub building: Option<Building>,
    /// The list the browsing worker holds for the rows shown.
    pub(super) ready: Option<ListAsk>,
    /// A list the user stopped: not asked for again by itself.
    pub(super) declined: Option<ListAsk>,
    /// The order before `o`, while its list is yet to be asked for.
    pub(super) before: Option<(Sort, bool)>,
    /// The store changed under a ready list: the next one is a rebuild.
    changed: bool,
}

#[derive(Debug)]
pub struct Building {
    pub ask: ListAsk,
    /// How far it has got, once it says.
    pub at: Option<Sorting>,
    /// Built again because the store changed (or the filters did).
    pub again: bool,
    ticket: u64,
    cancel: Canceller,
    /// The order Esc goes back to: the one before `o`.
    before: Option<(Sort, bool)>,
}

impl SortList {
    /// The store changed (or is read again): the list may no longer be in
    /// order; the next page asks for it again (the worker keeps a list the
    /// store has not changed under).
    pub(super) fn store_changed(&mut self) {
        if self.ready.take().is_some() {
            self.changed = true;
        }
        self.declined = None;
    }

    fn stop(&mut self) -> Option<Building> {
        let b = self.building.take()?;
        b.cancel.cancel();
        Some(b)
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
        self.docs.list.before = Some(before);
        self.docs.list.declined = None;
        self.rewindow();
    }

    /// A window of the current query came: the sorted list it needs is
    /// asked for, unless it is ready, being built, or was stopped.
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
        let list = &mut self.docs.list;
        let Some(want) = want else {
            list.stop();
            list.before = None;
            return;
        };
        let building = list.building.as_ref().map(|b| &b.ask);
        if list.ready.as_ref() == Some(&want)
            || list.declined.as_ref() == Some(&want)
            || building == Some(&want)
        {
            return;
        }
        let again = list.stop().is_some() || list.ready.is_some() || list.changed;
        list.changed = false;
        list.ready = None;
        list.declined = None;
        let ticket = self.requests.ticket();
        let cancel = Canceller::new();
        self.docs.list.building = Some(Building {
            ask: want.clone(),
            at: None,
            again,
            ticket,
            cancel: cancel.clone(),
            before: self.docs.list.before.take(),
        });
        self.requests.outbox.push(Job::SortList {
            ticket,
            ask: want,
            cancel,
        });
    }

    /// Esc while a list is built: it stops, and the order before `o`
    /// comes back (a list asked for by a filter or a write keeps its
    /// order, read by a scan a page at a time). False: nothing to stop.
    pub(super) fn stop_sort(&mut self) -> bool {
        let Some(b) = self.docs.list.stop() else {
            return false;
        };
        let column = crate::text::cell(&b.ask.column);
        self.docs.list.declined = Some(b.ask);
        match b.before {
            Some((sort, desc)) => {
                self.docs.query.sort = sort;
                self.docs.query.desc = desc;
                self.rewindow();
                self.say(format!(
                    "sort by {column} stopped: back to the order before"
                ));
            }
            None => self.say(format!(
                "sort by {column} stopped: each page by {column} now sorts every row (o twice sorts again)"
            )),
        }
        true
    }

    pub(super) fn on_sort_reply(&mut self, reply: Reply) {
        let list = &mut self.docs.list;
        match reply {
            Reply::SortProgress { ticket, at } => {
                if let Some(b) = list.building.as_mut().filter(|b| b.ticket == ticket) {
                    b.at = Some(at);
                }
            }
            Reply::Sorted { ticket, result }
                if list.building.as_ref().is_some_and(|b| b.ticket == ticket) =>
            {
                let Some(b) = list.building.take() else {
                    return;
                };
                let column = crate::text::cell(&b.ask.column);
                match result {
                    Ok(rows) => {
                        list.ready = Some(b.ask);
                        self.say(format!("sorted by {column}: {rows} rows"));
                        self.reread_in_place();
                    }
                    Err(why) => {
                        list.declined = Some(b.ask);
                        self.say(format!(
                            "cannot sort by {column}: {why}; each page sorts every row"
                        ));
                    }
                }
            }
            _ => {}
        }
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
