//! The sorted lists of sorts no index gives (see `store::read::sorted`):
//! built on a thread of their own, kept for the browsing worker, which
//! reads a page from the one that serves it while the store is unchanged.

use super::messages::{Failure, Got, Reply};
use crate::store::cancel::Canceller;
use crate::store::inspection::catalog::LiveTable;
use crate::store::open::{DeadlineError, ReadStore, with_deadline};
use crate::store::read::documents::{DocRow, WindowAsk};
use crate::store::read::sorted::{self, ListAsk, SortedList};
use crate::store::read::tables::{self, Order, RowAnchor, TablePage};
use std::path::Path;

// A page by scan, until the list is ready, reads every row: a search's limit.
use super::searching::SCAN_LIMIT;

/// The sorted lists the browsing worker pages from: the newest few, one
/// per table (a new one for a table supersedes, and so drops, the old).
pub type Lists = std::sync::Arc<std::sync::Mutex<Vec<SortedList>>>;

/// How many tables keep a sorted list at once (Documents and a browsed table).
const LISTS_KEPT: usize = 2;

/// Builds a sorted list, saying how far it has got, and hands it to the
/// browsing worker; a stop leaves nothing (no reply: the app moved on).
pub fn sort_list(
    store: &Path,
    lists: &Lists,
    ticket: u64,
    ask: &ListAsk,
    cancel: &Canceller,
    send: &std::sync::Arc<dyn Fn(Reply) + Send + Sync>,
) {
    // A list made for the same rows, the store unchanged, serves again.
    if let Ok(held) = lists.lock()
        && let Some(l) = held.iter().find(|l| l.ask == *ask && !l.stale())
    {
        return send(Reply::Sorted {
            ticket,
            result: Ok(l.rows),
        });
    }
    let progress = send.clone();
    let result = sorted::build(store, ask, cancel, move |at| {
        progress(Reply::SortProgress { ticket, at })
    });
    if cancel.is_cancelled() {
        return;
    }
    let result = result.map(|list| {
        let rows = list.rows;
        if let Ok(mut held) = lists.lock() {
            held.retain(|l| !l.ask.table.eq_ignore_ascii_case(&ask.table));
            held.push(list);
            while held.len() > LISTS_KEPT {
                held.remove(0);
            }
        }
        rows
    });
    send(Reply::Sorted {
        ticket,
        result: result.map_err(Failure::from),
    });
}

/// A window read from the sorted list that serves its query, if one is
/// ready and the store unchanged since it was made (else the caller reads
/// the rows in order the slow way: never a row in a wrong order).
pub(super) fn listed_window(
    lists: &Lists,
    live: &LiveTable,
    ask: &WindowAsk<'_>,
) -> Option<Got<Vec<DocRow>>> {
    let held = lists.lock().ok()?;
    let list = held
        .iter()
        .find(|l| l.serves(&live.name, ask.query) && !l.stale())?;
    Some(
        list.window(ask.query, ask.anchor, ask.height)
            .map_err(|e| Failure::from(DeadlineError::Sqlite(e))),
    )
}

/// A browsed table's page in a column's order: from its sorted list once
/// that is ready (and the store unchanged since), else a scan with a top-N
/// sort.
pub(super) fn sorted_page(
    store: &mut ReadStore,
    lists: &Lists,
    table: &str,
    order: &Order,
    anchor: RowAnchor,
    height: usize,
) -> Got<TablePage> {
    let held = lists.lock();
    let list = held.as_ref().ok().and_then(|h| {
        h.iter()
            .find(|l| l.ask.table.eq_ignore_ascii_case(table) && !l.stale())
    });
    with_deadline(&mut store.conn, SCAN_LIMIT, |c| {
        tables::sorted_page(c, table, order, anchor, height, list)
    })
    .map_err(Failure::from)
}
