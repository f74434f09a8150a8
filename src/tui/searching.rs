//! A search's first page, read by the store's one scan that both pages and
//! counts (`store::read::search`): the exact id or slug at once, the page
//! as it fills, one counter; the count it ends with answers the count
//! request that follows it on the same thread, so the rows are read once.

use super::messages::{Got, Latest, Reply};
use crate::store::inspection::catalog::LiveTable;
use crate::store::open::{self, DeadlineError, ReadStore};
use crate::store::read::documents::{Anchor, DocRow, Query, WindowAsk};
use crate::store::read::search::{self, News};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Scans (a search, the charts) may take longer than a page.
pub(super) const SCAN_LIMIT: Duration = Duration::from_secs(60);
/// How often a scanning search reports.
const SEARCH_REPORT: Duration = Duration::from_millis(150);

/// A search's count, for the store as it was (its data_version).
#[derive(Debug)]
pub(super) struct Counted {
    query: Query,
    version: i64,
    matched: u64,
}

/// Whether this window is read by the one scan.
pub(super) fn scans(ask: &WindowAsk<'_>) -> bool {
    search::pages_and_counts(ask.query) && *ask.anchor == Anchor::Start
}

/// The count of `q` the last search made, if the store has not changed.
/// (`now`: the store's data_version now).
pub(super) fn counted(last: &Option<Counted>, now: Option<i64>, q: &Query) -> Option<u64> {
    let c = last.as_ref()?;
    (c.query == *q && Some(c.version) == now).then_some(c.matched)
}

/// The first page of a search (None: a newer request stopped it), and its
/// count when the scan ran to the end.
pub(super) fn first_page(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    ask: &WindowAsk<'_>,
    latest: &Arc<Latest>,
    notify: &Arc<dyn Fn(Reply) + Send + Sync>,
) -> Option<(Got<Vec<DocRow>>, Option<Counted>)> {
    let matched = Arc::new(AtomicU64::new(0));
    let (latest_h, matched_h, notify_h) = (latest.clone(), matched.clone(), notify.clone());
    let stop = reporting_stop(
        ticket,
        move || latest_h.window.load(Ordering::Relaxed),
        move || {
            let found = matched_h.load(Ordering::Relaxed);
            notify_h(Reply::Searching {
                ticket,
                found: usize::try_from(found).unwrap_or(usize::MAX),
            });
        },
    );
    let version = open::data_version(&store.conn).ok();
    let (height, mut exact, mut last_sent) = (ask.height, Vec::new(), Instant::now());
    let send = |rows: Vec<DocRow>| {
        notify(Reply::Window {
            ticket,
            result: Ok(rows),
            done: false,
        })
    };
    let result = open::with_watch(&mut store.conn, SCAN_LIMIT, stop, |c| {
        search::search(c, live, ask.query, height, &mut |news| match news {
            News::Exact(rows) => {
                exact = rows.to_vec();
                send(exact.clone());
            }
            News::Page(rows) if rows.len() == height || last_sent.elapsed() >= SEARCH_REPORT => {
                last_sent = Instant::now();
                // The exact rows stay in view until the scan reaches them.
                let mut shown = rows.to_vec();
                if rows.len() < height {
                    let missing = exact
                        .iter()
                        .filter(|e| !rows.iter().any(|r| r.key == e.key));
                    shown.extend(missing.cloned());
                }
                send(shown);
            }
            News::Page(_) => {}
            News::Matched(n) => matched.store(n, Ordering::Relaxed),
        })
    });
    match result {
        Ok(found) => {
            let counted = version.map(|version| Counted {
                query: ask.query.clone(),
                version,
                matched: found.matched,
            });
            Some((Ok(found.rows), counted))
        }
        Err(DeadlineError::Stopped) => None,
        Err(DeadlineError::TimedOut(_)) => Some((
            Err(super::messages::Failure::Other(format!(
                "stopped after {} s; narrow the search or the filters",
                SCAN_LIMIT.as_secs()
            ))),
            None,
        )),
        Err(e) => Some((Err(e.into()), None)),
    }
}

/// The stop check of a read that reports while it runs (see
/// `open::with_watch`): `report` every SEARCH_REPORT, and stop once the
/// app has asked for a newer read than `ticket`.
pub(super) fn reporting_stop(
    ticket: u64,
    newest: impl Fn() -> u64 + Send + 'static,
    mut report: impl FnMut() + Send + 'static,
) -> impl FnMut() -> bool + Send + 'static {
    let mut last = Instant::now();
    move || {
        if last.elapsed() >= SEARCH_REPORT {
            last = Instant::now();
            report();
        }
        newest() > ticket
    }
}
