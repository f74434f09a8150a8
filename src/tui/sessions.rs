//! The Query tab's threads: the statement's session (it keeps the statement
//! open between requests, see `store::read::query::session`) and its count. Each
//! runs on a connection of its own under the read-only guard; the browse
//! and scan workers go on meanwhile.

use super::messages::{Latest, QueryJob, Reply};
use crate::store::read::query::session::{Cmd, Control, Halt, Next, Said};
use crate::store::read::query::{self, session};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};

pub(crate) type Send = Arc<dyn Fn(Reply) + std::marker::Send + Sync>;

/// The session of the newest statement; how many of its requests are not
/// yet answered, and how many counts run (a test waits for them).
pub struct QueryThreads {
    store: PathBuf,
    latest: Arc<Latest>,
    send: Send,
    session: Option<Sender<Cmd>>,
    pub pending: Arc<AtomicUsize>,
    pub counting: Arc<AtomicUsize>,
}

impl QueryThreads {
    pub fn new(store: &Path, latest: Arc<Latest>, send: Send) -> QueryThreads {
        QueryThreads {
            store: store.to_path_buf(),
            latest,
            send,
            session: None,
            pending: Arc::new(AtomicUsize::new(0)),
            counting: Arc::new(AtomicUsize::new(0)),
        }
    }

    pub fn handle(&mut self, job: QueryJob) {
        match job {
            QueryJob::Run {
                ticket,
                sql,
                height,
            } => {
                // The old session ends once its requests stop coming: its
                // sender goes here.
                let (tx, rx) = mpsc::channel();
                self.session = Some(tx);
                self.pending.fetch_add(1, Ordering::SeqCst);
                self.counting.fetch_add(1, Ordering::SeqCst);
                let first = Cmd::Window {
                    ticket,
                    start: 0,
                    height,
                };
                let (store, latest, send, pending) = self.parts();
                let text = sql.clone();
                std::thread::spawn(move || {
                    run_session(&store, &text, ticket, first, rx, latest, send, &pending)
                });
                let (store, latest, send, _) = self.parts();
                let counting = self.counting.clone();
                std::thread::spawn(move || {
                    count(&store, &sql, ticket, &latest, &send);
                    counting.fetch_sub(1, Ordering::SeqCst);
                });
            }
            QueryJob::Cmd(cmd) => {
                self.pending.fetch_add(1, Ordering::SeqCst);
                let sent = self.session.as_ref().is_some_and(|s| s.send(cmd).is_ok());
                if !sent {
                    self.pending.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }
    }

    fn parts(&self) -> (PathBuf, Arc<Latest>, Send, Arc<AtomicUsize>) {
        (
            self.store.clone(),
            self.latest.clone(),
            self.send.clone(),
            self.pending.clone(),
        )
    }
}

/// Whether the request `ticket` is to stop: the user stopped it, or a newer
/// request came.
fn halt(latest: &Latest, ticket: u64) -> Option<Halt> {
    if latest.query_stop.load(Ordering::SeqCst) >= ticket {
        Some(Halt::User)
    } else if latest.query.load(Ordering::SeqCst) > ticket {
        Some(Halt::Moot)
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn run_session(
    store: &Path,
    sql: &str,
    run: u64,
    first: Cmd,
    rx: Receiver<Cmd>,
    latest: Arc<Latest>,
    send: Send,
    pending: &AtomicUsize,
) {
    let say_to = send.clone();
    let mut say = move |said: Said| say_to(Reply::Query { run, said });
    let done = || pending.fetch_sub(1, Ordering::SeqCst);
    match query::open(store) {
        Err(error) => say(Said::Failed { ticket: run, error }),
        Ok(mut qc) => {
            // The request in hand, answered once the next is asked for.
            let mut holding = true;
            let mut next = |idle: Option<std::time::Duration>| {
                if std::mem::take(&mut holding) {
                    done();
                }
                let got = match idle {
                    Some(d) => rx
                        .recv_timeout(d)
                        .map_err(|e| e == RecvTimeoutError::Timeout),
                    None => rx.recv().map_err(|_| false),
                };
                match got {
                    Ok(cmd) => {
                        holding = true;
                        Next::Cmd(cmd)
                    }
                    Err(true) => Next::Idle,
                    Err(false) => Next::Closed,
                }
            };
            let l = latest.clone();
            session::serve(
                &mut qc,
                sql,
                first,
                Control {
                    next: &mut next,
                    say: &mut say,
                    halt: Arc::new(move |t| halt(&l, t)),
                },
            );
            if !holding {
                return drain(&rx, pending);
            }
        }
    }
    done();
    drain(&rx, pending);
}

/// Requests sent to a session that has ended are not answered.
fn drain(rx: &Receiver<Cmd>, pending: &AtomicUsize) {
    for _ in rx.try_iter() {
        pending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How often a count says how far it has got.
const COUNT_TOLD_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Counts the rows of `sql`; stopped by the user or by a newer statement.
fn count(store: &Path, sql: &str, run: u64, latest: &Arc<Latest>, send: &Send) {
    let l = latest.clone();
    let stop = move || {
        l.query_stop.load(Ordering::SeqCst) >= run || l.query_run.load(Ordering::SeqCst) > run
    };
    let began = std::time::Instant::now();
    // How far it has got, a few times a second: more would flood the UI.
    let told = std::sync::Mutex::new(began);
    let tell = send.clone();
    let seen = move |rows: u64| {
        let Ok(mut last) = told.lock() else { return };
        if rows > 0 && last.elapsed() >= COUNT_TOLD_EVERY {
            *last = std::time::Instant::now();
            tell(Reply::QueryCounting { run, rows });
        }
    };
    let result = query::count(store, sql, stop, seen).map(|n| (n, began.elapsed()));
    if latest.query_run.load(Ordering::SeqCst) > run {
        return;
    }
    send(Reply::QueryCount {
        run,
        result: result.map_err(|e| e.to_string()),
    });
}
