//! The threads that talk to the store for the UI: one for what the user
//! waits on (pages, documents, plans), one for scans (counts, charts, data
//! checks), and the Query tab's own (`sessions`). Requests come in over a
//! channel; only the newest of each kind is served; replies go back to the
//! event loop. Plans, exports and counts of values run on threads of their
//! own so reads go on. `Worker::dispatch` is the one routing of a job.

use crate::store::identify::{FileChange, Stamp};
use crate::store::inspection::inspect::{self, Counts, Inspection};
use crate::store::open::{self, ReadStore, open_read_only, with_deadline};
use crate::store::plan::{self, Plan, PlanKind};
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{self, WindowAsk};
use crate::store::read::sort::SortPath;
use crate::store::read::tables;
use crate::store::read::tasks::{self, TaskCounts};
use crate::store::{StoreError, values};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use super::lists::{Lists, listed_window, sort_list, sorted_page};
use super::long::{
    apply_plan, commit_change, preview_change, run_checks, run_export, run_frequencies,
    take_snapshot,
};
pub use super::messages::{
    ChangeAsk, Failure, Job, LOCKED, Latest, PREVIEW_ROWS, Previewed, QueryJob, Reply, Request,
    Route,
};
use super::searching::{BROWSE_LIMIT, SCAN_LIMIT, matching, window};
use super::sessions::QueryThreads;

/// Serves requests against one store; `spawn` runs it on its own thread,
/// tests call `serve` directly.
pub struct Worker {
    path: PathBuf,
    store: Option<ReadStore>,
    inspection: Option<Arc<Inspection>>,
    /// Why the last inspection failed, if it did.
    unopened: Option<Failure>,
    version: Option<i64>,
    /// The file at the path when it was last opened.
    stamp: Option<Stamp>,
    /// The newest tickets the app has issued: a read for an older one is
    /// interrupted, its answer no longer wanted.
    latest: Arc<Latest>,
    /// Where replies sent before a request ends go (a search's first matches).
    notify: Notify,
    /// The sorted lists built for sorts no index gives.
    lists: Lists,
}

/// Where a worker's replies go.
pub type Notify = Arc<dyn Fn(Reply) + Send + Sync>;

/// The two worker threads: one for what the user waits on, one for scans.
pub struct Workers {
    browse: Sender<Job>,
    scan: Sender<Job>,
    watch: Sender<Job>,
    query: std::sync::Mutex<QueryThreads>,
}

impl Workers {
    /// Starts both on `path`; `send` carries their replies to the event loop.
    pub fn spawn(
        path: &Path,
        latest: &Arc<Latest>,
        send: impl Fn(Reply) + Send + Sync + Clone + 'static,
    ) -> Workers {
        let start = || {
            let (tx, rx) = mpsc::channel();
            spawn(path.to_path_buf(), rx, latest.clone(), send.clone());
            tx
        };
        Workers {
            browse: start(),
            scan: start(),
            watch: start(),
            query: std::sync::Mutex::new(QueryThreads::new(
                path,
                latest.clone(),
                Arc::new(send.clone()),
            )),
        }
    }

    pub fn send(&self, job: Job) {
        let to = match job.route() {
            Route::Scan => &self.scan,
            Route::Browse => &self.browse,
            Route::Watch => &self.watch,
            Route::Query => {
                if let (Job::Query(q), Ok(mut threads)) = (job, self.query.lock()) {
                    threads.handle(q);
                }
                return;
            }
        };
        // A worker that is gone has nothing left to say; the app goes on.
        let _ = to.send(job);
    }
}

fn spawn(
    path: PathBuf,
    jobs: Receiver<Job>,
    latest: Arc<Latest>,
    send: impl Fn(Reply) + Send + Sync + Clone + 'static,
) {
    std::thread::spawn(move || {
        let mut w = Worker::new(path, latest);
        let send: Notify = Arc::new(send);
        w.notify = send.clone();
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            batch.extend(jobs.try_iter());
            for job in newest_of_each_kind(batch) {
                w.dispatch(job, &send, &|long| {
                    std::thread::spawn(long);
                });
            }
        }
    });
}

/// Work that runs apart from the worker's reads (a plan, an export, a
/// count of values): a thread of its own in the app, in turn in tests.
pub type Long = Box<dyn FnOnce() + Send>;

impl Worker {
    /// What a worker does with a job, the one routing both the app's
    /// threads and the tests use: a read is served here and its reply
    /// sent; a plan, an export or a count of values goes to `run_long`.
    pub fn dispatch(&mut self, job: Job, send: &Notify, run_long: &dyn Fn(Long)) {
        match job {
            Job::Read(req) => {
                if let Some(reply) = self.serve(req) {
                    send(reply);
                }
            }
            // The Query tab's threads take these (see Workers::send).
            Job::Query(_) => {}
            Job::Frequencies {
                ticket,
                source,
                column,
                cancel,
            } => {
                let (send, store) = (send.clone(), self.path.clone());
                run_long(Box::new(move || {
                    run_frequencies(&store, ticket, &source, &column, &cancel, &*send)
                }));
            }
            Job::Apply { plan, cancel } => {
                let send = send.clone();
                run_long(Box::new(move || apply_plan(&plan, &cancel, &*send)));
            }
            Job::DataChecks { ticket, cancel } => {
                let (send, store) = (send.clone(), self.path.clone());
                let ins = self.inspection.clone();
                run_long(Box::new(move || {
                    run_checks(&store, ins, ticket, &cancel, &*send)
                }));
            }
            Job::Change { ticket, ask } => {
                let (send, store) = (send.clone(), self.path.clone());
                run_long(Box::new(move || {
                    preview_change(&store, ticket, &ask, &*send)
                }));
            }
            Job::Commit { preview, cancel } => {
                let send = send.clone();
                run_long(Box::new(move || commit_change(&preview, &cancel, &*send)));
            }
            Job::Snapshot {
                source,
                cache,
                cancel,
            } => {
                let send = send.clone();
                run_long(Box::new(move || {
                    take_snapshot(&source, &cache, &cancel, &*send)
                }));
            }
            Job::SortList {
                ticket,
                ask,
                cancel,
            } => {
                let (send, store, lists) = (send.clone(), self.path.clone(), self.lists.clone());
                run_long(Box::new(move || {
                    sort_list(&store, &lists, ticket, &ask, &cancel, &send)
                }));
            }
            Job::Export {
                source,
                path,
                format,
                cancel,
            } => {
                let (send, store) = (send.clone(), self.path.clone());
                run_long(Box::new(move || {
                    run_export(&store, &source, &path, format, &cancel, &*send)
                }));
            }
        }
    }
}

fn newest_of_each_kind(batch: Vec<Job>) -> Vec<Job> {
    let mut out: Vec<Job> = Vec::new();
    for job in batch {
        if let Job::Read(r) = &job {
            let kind = r.kind();
            out.retain(|j| !matches!(j, Job::Read(o) if o.kind() == kind));
        }
        out.push(job);
    }
    out
}

impl Worker {
    pub fn new(path: PathBuf, latest: Arc<Latest>) -> Worker {
        Worker {
            path,
            store: None,
            inspection: None,
            unopened: None,
            version: None,
            stamp: None,
            latest,
            notify: Arc::new(|_| {}),
            lists: Lists::default(),
        }
    }

    /// One request answered: the store as a whole here, reads of a table
    /// by `serve_table`, of documents by `serve_documents`.
    pub fn serve(&mut self, req: Request) -> Option<Reply> {
        match req {
            Request::Inspect => return Some(self.inspect()),
            Request::Poll => return self.poll(),
            Request::Watch { since } => {
                let now = Stamp::of(&self.path);
                let change = Stamp::change(since, now);
                return (change != FileChange::Same).then_some(Reply::Changed(change, now));
            }
            Request::Plan(kind) => return Some(Reply::Plan(self.plan(kind))),
            Request::Upstream { source } => return Some(upstream(&source)),
            Request::Explain { ticket, sql } => return Some(explain(&self.path, ticket, &sql)),
            _ => {}
        }
        // The scan worker does not see the refreshes: it reads the catalog
        // afresh for each chart, opens the store once, and again when the
        // file at the path was replaced (its connection reads the old one).
        let replaced = Stamp::change(self.stamp, Stamp::of(&self.path)) == FileChange::Replaced;
        if matches!(req, Request::Charts) || self.store.is_none() || replaced {
            self.inspect();
        }
        // A store that could not be opened says why (a lock is not a
        // missing table).
        if let Some(why) = self.unopened.clone() {
            return req.failed(why);
        }
        match req {
            Request::Charts
            | Request::Window { .. }
            | Request::Matching { .. }
            | Request::Backlinks { .. }
            | Request::Values { .. }
            | Request::Document { .. } => self.serve_documents(req),
            other => self.serve_table(other),
        }
    }

    /// Reads of a table, its rows or its counts.
    fn serve_table(&mut self, req: Request) -> Option<Reply> {
        let tasks = self
            .inspection
            .as_deref()
            .and_then(tasks::live_tasks)
            .cloned();
        let docs = self
            .inspection
            .as_ref()
            .and_then(|i| i.live("documents").cloned());
        let (Some(store), Some(_)) = (self.store.as_mut(), self.inspection.as_ref()) else {
            return req.failed("the store is not open".to_string().into());
        };
        let conn = &mut store.conn;
        let lists = &self.lists;
        let no_tasks = || Failure::Other("the store has no tasks table".into());
        Some(match req {
            Request::Count { name } => Reply::Count {
                rows: inspect::count_rows(conn, &name),
                name,
            },
            Request::Copy {
                table,
                rowid,
                column,
                what,
            } => Reply::Copied {
                what,
                result: with_deadline(conn, BROWSE_LIMIT, |c| {
                    values::copy(c, &table, &rowid, column.as_deref())
                })
                .map_err(Failure::from),
            },
            Request::EditValue {
                ticket,
                table,
                rowid,
                column,
            } => Reply::EditValue {
                ticket,
                result: with_deadline(conn, BROWSE_LIMIT, |c| {
                    values::editable(c, &table, &rowid, &column)
                })
                .map_err(Failure::from),
            },
            Request::TaskCounts => Reply::TaskCounts(match &tasks {
                None => Ok(None),
                Some(t) => with_deadline(conn, SCAN_LIMIT, |c| TaskCounts::read(c, t))
                    .map(|c| Some(Arc::new(c)))
                    .map_err(Failure::from),
            }),
            Request::Tasks {
                ticket,
                selection,
                anchor,
            } => Reply::Tasks {
                ticket,
                result: match &tasks {
                    None => Err(no_tasks()),
                    Some(t) => with_deadline(conn, SCAN_LIMIT, |c| {
                        let mut page = tasks::page(c, t, &selection, &anchor, tasks::PAGE)?;
                        if let Some(d) = &docs {
                            tasks::link_documents(c, d, &mut page)?;
                        }
                        Ok(page)
                    })
                    .map_err(Failure::from),
                },
            },
            Request::Browse {
                ticket,
                table,
                keyed,
                anchor,
                height,
                order: None,
            } => Reply::Browse {
                ticket,
                result: with_deadline(conn, BROWSE_LIMIT, |c| {
                    tables::page(c, &table, keyed, anchor, height)
                })
                .map_err(Failure::from),
            },
            // In a column's order: from its sorted list once that is ready
            // (and the store unchanged since), else a scan with a top-N sort.
            Request::Browse {
                ticket,
                table,
                anchor,
                height,
                order: Some(order),
                ..
            } => Reply::Browse {
                ticket,
                result: sorted_page(store, lists, &table, &order, anchor, height),
            },
            other => return other.failed("not a read".to_string().into()),
        })
    }

    /// Reads of `documents`: the charts, a window, a count, one document.
    fn serve_documents(&mut self, req: Request) -> Option<Reply> {
        let live = self
            .inspection
            .as_ref()
            .and_then(|i| i.live("documents").cloned());
        let Some(store) = self.store.as_mut() else {
            return req.failed("the store is not open".to_string().into());
        };
        let Some(live) = live else {
            return req.failed("the store has no documents table".to_string().into());
        };
        Some(match req {
            Request::Charts => Reply::Charts(
                with_deadline(&mut store.conn, SCAN_LIMIT, |c| DocCounts::read(c, &live))
                    .map(Arc::new)
                    .map_err(Failure::from),
            ),
            Request::Window {
                ticket,
                query,
                counts,
                anchor,
                height,
            } => {
                let ask = WindowAsk {
                    query: &query,
                    counts: counts.as_deref(),
                    anchor: &anchor,
                    height,
                };
                let listed = (query.sort.path(&live) == SortPath::List)
                    .then(|| listed_window(&self.lists, &live, &ask))
                    .flatten();
                let result = if let Some(rows) = listed {
                    rows
                } else if super::searching::scans(&ask) {
                    let (latest, notify) = (&self.latest, &self.notify);
                    super::searching::first_page(store, &live, ticket, &ask, latest, notify)?
                } else {
                    window(store, &live, ticket, ask, &self.latest)?
                };
                Reply::Window {
                    ticket,
                    result,
                    done: true,
                }
            }
            Request::Matching { ticket, query, .. }
                if let Some(n) = super::searching::counted(&self.latest, ticket, &query) =>
            {
                Reply::Matching {
                    ticket,
                    result: Ok(n?),
                    done: true,
                }
            }
            Request::Matching {
                ticket,
                query,
                counts,
            } => matching(
                store,
                &live,
                ticket,
                &query,
                counts,
                &self.latest,
                &self.notify,
            )?,
            Request::Backlinks {
                ticket,
                rowid,
                first,
            } => super::scans::backlinks(store, &live, ticket, &rowid, first, &self.latest)?,
            Request::Values { ticket, column } => {
                super::scans::values(store, &live, ticket, column)
            }
            Request::Document { ticket, rowid } => Reply::Document {
                ticket,
                result: with_deadline(&mut store.conn, BROWSE_LIMIT, |c| {
                    documents::document(c, &live, &rowid)
                })
                .map_err(Failure::from),
            },
            other => return other.failed("not a read".to_string().into()),
        })
    }

    /// Opens the store afresh (it may have been created or replaced) and
    /// inspects it.
    fn inspect(&mut self) -> Reply {
        self.store = None;
        self.inspection = None;
        self.stamp = Stamp::of(&self.path);
        let result = (|| -> Result<Arc<Inspection>, StoreError> {
            let mut store = open_read_only(&self.path)?;
            let ins = Arc::new(inspect::inspect(&mut store.conn, &self.path, Counts::None)?);
            self.version = open::data_version(&store.conn).ok();
            self.store = Some(store);
            self.inspection = Some(ins.clone());
            Ok(ins)
        })();
        let writable = self.writable();
        let result = result.map_err(Failure::from);
        self.unopened = result.as_ref().err().cloned();
        Reply::Inspected {
            result,
            writable,
            stamp: self.stamp,
        }
    }

    fn writable(&self) -> Result<(), String> {
        open::writable(&self.path)?;
        if let Some(why) = self.inspection.as_deref().and_then(plan::refuses_newer) {
            return Err(why);
        }
        Ok(())
    }

    /// Whether the store changed since it was read: the file at the path
    /// (replaced, removed, created, rewritten), then SQLite's own counter
    /// of commits by other connections.
    /// Commits by other connections, by SQLite's counter (the file itself
    /// is watched apart: `Request::Watch`).
    fn poll(&mut self) -> Option<Reply> {
        let store = self.store.as_ref()?;
        // A lock makes this fail: nothing is known to have changed yet.
        let v = open::data_version(&store.conn).ok()?;
        (Some(v) != self.version)
            .then(|| Reply::Changed(FileChange::Written, Stamp::of(&self.path)))
    }

    fn plan(&mut self, kind: PlanKind) -> Result<Plan, String> {
        let mut plan = plan::prepare(&self.path, kind).map_err(|e| e.to_string())?;
        // The app always writes a backup first.
        plan.weigh_space(true);
        Ok(plan)
    }
}

/// The plan of the Query tab's statement, on a connection with the
/// statement's own read-only rules.
fn explain(store: &Path, ticket: u64, sql: &str) -> Reply {
    let result = crate::store::read::query::open(store)
        .and_then(|qc| crate::store::read::query::plan::explain(&qc, sql));
    Reply::Explained {
        ticket,
        result: result.map_err(Failure::from),
    }
}

/// Upstream's DuckDB store judged from its catalog: no rows are read.
fn upstream(source: &Path) -> Reply {
    let cancel = crate::store::cancel::Canceller::new();
    let judged = crate::store::duckdb::DuckStore::open(source)
        .and_then(|s| crate::store::duckdb::inspect::inspect_duckdb(&s, false, &cancel));
    // Its own words: a held file names the process holding it.
    Reply::Upstream(
        judged
            .map(Arc::new)
            .map_err(|e| Failure::Other(e.to_string())),
    )
}
