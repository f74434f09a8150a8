//! A search's first page, read by the store's one scan that both pages and
//! counts (`store::read::search`): the exact id or slug at once, the page
//! as it fills, one counter. The count request, on the scan thread, waits
//! for that scan's count instead of reading every row a second time beside
//! it (on 2 cores, two scans take twice as long). Also the other reads of
//! documents with a deadline and a stop: a window, a count.

use super::messages::{Failure, Got, Latest, Reply};
use crate::store::inspection::catalog::LiveTable;
use crate::store::matching;
use crate::store::open::{self, DeadlineError, ReadStore};
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{self, Anchor, DocRow, Query, WindowAsk};
use crate::store::read::search::{self, News};
use crate::store::read::sort::SortPath;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Browsing queries are stopped after this long: a runaway view cannot hang.
pub(super) const BROWSE_LIMIT: Duration = Duration::from_secs(5);
/// Scans (a search, the charts) may take longer than a page.
pub(super) const SCAN_LIMIT: Duration = Duration::from_secs(60);
/// How often a scanning search reports.
const SEARCH_REPORT: Duration = Duration::from_millis(150);

/// Whether this window is read by the one scan.
pub(super) fn scans(ask: &WindowAsk<'_>) -> bool {
    search::pages_and_counts(ask.query) && *ask.anchor == Anchor::Start
}

/// How long a count waits for a search's scan to begin beside it.
const SCAN_BEGINS: Duration = Duration::from_millis(300);

/// The count of `q` from the search's own scan on the other thread: waits
/// while that scan runs. None: count it here (no such scan, or it was
/// stopped); Some(None): this count is moot (a newer one was asked for).
pub(super) fn counted(latest: &Latest, ticket: u64, q: &Query) -> Option<Option<u64>> {
    if !search::pages_and_counts(q) {
        return None;
    }
    let asked = Instant::now();
    loop {
        if latest.matching.load(Ordering::Relaxed) > ticket {
            return Some(None);
        }
        {
            let mut h = latest.search.lock().ok()?;
            if h.counted.as_ref().is_some_and(|(c, _)| c == q) {
                return h.counted.take().map(|(_, n)| Some(n));
            }
            let running = h.running.as_ref() == Some(q);
            if !running && asked.elapsed() >= SCAN_BEGINS {
                return None;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The first page of a search (None: a newer request stopped it); its
/// count, when the scan runs to the end, is handed to the count request.
pub(super) fn first_page(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    ask: &WindowAsk<'_>,
    latest: &Arc<Latest>,
    notify: &Arc<dyn Fn(Reply) + Send + Sync>,
) -> Option<Got<Vec<DocRow>>> {
    let handoff = |running: Option<Query>, counted: Option<(Query, u64)>| {
        if let Ok(mut h) = latest.search.lock() {
            h.running = running;
            if counted.is_some() {
                h.counted = counted;
            }
        }
    };
    handoff(Some(ask.query.clone()), None);
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
            handoff(None, Some((ask.query.clone(), found.matched)));
            Some(Ok(found.rows))
        }
        Err(e) => {
            handoff(None, None);
            match e {
                DeadlineError::Stopped => None,
                DeadlineError::TimedOut(_) => Some(Err(super::messages::Failure::Other(format!(
                    "stopped after {} s; narrow the search or the filters",
                    SCAN_LIMIT.as_secs()
                )))),
                e => Some(Err(e.into())),
            }
        }
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

/// One window of documents, stopped by its deadline or when a newer window is
/// asked for (then None: nobody wants the answer). A search from the start
/// reports its first matches as it finds them, and how many so far while it
/// scans.
pub(super) fn window(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    ask: WindowAsk<'_>,
    latest: &Arc<Latest>,
) -> Option<Got<Vec<DocRow>>> {
    // A search from a key reads rows until a page is full, and a sort no
    // index gives (before its list is ready) sorts every row: scans too.
    let limit = if ask.query.search.is_some() || ask.query.sort.path(live) == SortPath::List {
        SCAN_LIMIT
    } else {
        BROWSE_LIMIT
    };
    let latest = latest.clone();
    let stop = move || latest.window.load(Ordering::Relaxed) > ticket;
    let result = documents::watched_window(&mut store.conn, live, &ask, limit, stop, &mut |_| {});
    match result {
        Ok(rows) => Some(Ok(rows)),
        Err(DeadlineError::Stopped) => None,
        Err(DeadlineError::TimedOut(_)) => Some(Err(Failure::Other(format!(
            "stopped after {} s; narrow the search or the filters",
            limit.as_secs()
        )))),
        Err(e) => Some(Err(e.into())),
    }
}

/// Counts the documents a query selects, reporting the count so far while
/// it goes; stopped when a newer count is asked for (then None).
pub(super) fn matching(
    store: &mut ReadStore,
    live: &LiveTable,
    ticket: u64,
    query: &Query,
    counts: Option<Arc<DocCounts>>,
    latest: &Arc<Latest>,
    notify: &Arc<dyn Fn(Reply) + Send + Sync>,
) -> Option<Reply> {
    let so_far = Arc::new(AtomicU64::new(0));
    let (latest_h, so_far_h, notify_h) = (latest.clone(), so_far.clone(), notify.clone());
    let stop = reporting_stop(
        ticket,
        move || latest_h.matching.load(Ordering::Relaxed),
        move || {
            notify_h(Reply::Matching {
                ticket,
                result: Ok(so_far_h.load(Ordering::Relaxed)),
                done: false,
            })
        },
    );
    let result = open::with_watch(&mut store.conn, SCAN_LIMIT, stop, |c| {
        matching::count(c, live, query, counts.as_deref(), &mut |n| {
            so_far.store(n, Ordering::Relaxed)
        })
    });
    let result = match result {
        Err(DeadlineError::Stopped) => return None,
        Err(DeadlineError::TimedOut(_)) => Err(Failure::Other(format!(
            "≥ {} (stopped counting after {} s)",
            so_far.load(Ordering::Relaxed),
            SCAN_LIMIT.as_secs()
        ))),
        r => r.map_err(Failure::from),
    };
    Some(Reply::Matching {
        ticket,
        result,
        done: true,
    })
}
