//! Scans the app's views ask for beside their pages, on the scan worker:
//! a document's backlinks (stopped when a newer one is asked for), a
//! filter picker's values.

use super::messages::{Failure, Latest, Reply};
use super::searching::SCAN_LIMIT;
use crate::store::inspection::catalog::LiveTable;
use crate::store::open::{self, DeadlineError, ReadStore};
use crate::store::read::backlinks;
use crate::store::read::documents::RowKey;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// What points at the document at `rowid`; None when a newer request (or
/// the detail closing) stopped the scan: nobody wants the answer.
pub(super) fn backlinks(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    rowid: &RowKey,
    first: usize,
    latest: &Arc<Latest>,
) -> Option<Reply> {
    let latest = latest.clone();
    let stop = move || latest.backlinks.load(Ordering::Relaxed) > ticket;
    let result = open::with_watch(&mut store.conn, SCAN_LIMIT, stop, |c| {
        backlinks::backlinks(c, live, rowid, first)
    });
    let result = match result {
        Err(DeadlineError::Stopped) => return None,
        Err(DeadlineError::TimedOut(_)) => Err(Failure::Other(format!(
            "not counted: stopped after {} s",
            SCAN_LIMIT.as_secs()
        ))),
        r => r.map_err(Failure::from),
    };
    Some(Reply::Backlinks { ticket, result })
}

/// Every value of `column` with its count, for a filter picker: a GROUP
/// BY the column's index answers.
pub(super) fn values(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    column: &'static str,
) -> Reply {
    let result = open::with_deadline(&mut store.conn, SCAN_LIMIT, |c| {
        crate::store::read::doc_counts::values_of(c, live, column)
    });
    Reply::Values {
        ticket,
        result: result.map_err(Failure::from),
    }
}
