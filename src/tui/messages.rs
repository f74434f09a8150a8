//! What the app and the store workers say to each other: requests, replies,
//! the jobs the app hands over, and the tickets that make an old read moot.

use crate::store::StoreError;
use crate::store::apply::Progress;
use crate::store::cancel::Canceller;
use crate::store::change::{Committed, Preview, RowChange};
use crate::store::duckdb::import::ImportProgress;
use crate::store::duckdb::inspect::DuckInspection;
use crate::store::duckdb::snapshot::Snapshot;
use crate::store::identify::{FileChange, Stamp};
use crate::store::inspection::checks::Scanned;
use crate::store::inspection::finding::Code;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::inspect::{Inspection, RowCount};
use crate::store::open::DeadlineError;
use crate::store::plan::{Plan, PlanKind};
use crate::store::read::backlinks::Backlinks;
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{Anchor, DocRow, DocView, Query, RowKey};
use crate::store::read::export::{Format, Source};
use crate::store::read::frequencies::{FreqSource, Frequencies};
use crate::store::read::query::session::{Cmd, Said};
use crate::store::read::sorted::{ListAsk, Sorting};
use crate::store::read::tables::{Order, RowAnchor, TablePage};
use crate::store::read::tasks::{Task, TaskAnchor, TaskCounts, TaskSelection};
use crate::store::values::{Copied, Editable};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Inspect,
    Charts,
    Window {
        ticket: u64,
        query: Query,
        /// The counts behind the charts, when known: the store picks the
        /// query's path from them.
        counts: Option<Arc<DocCounts>>,
        anchor: Anchor,
        height: usize,
    },
    Document {
        ticket: u64,
        rowid: RowKey,
    },
    /// What points at the document at `rowid`, the first `first` of each
    /// kind listed (a scan: on the scan worker).
    Backlinks {
        ticket: u64,
        rowid: RowKey,
        first: usize,
    },
    /// Every value of `column` (doc_type, status) with its count, for a
    /// filter picker (on the scan worker).
    Values {
        ticket: u64,
        column: &'static str,
    },
    Count {
        name: String,
    },
    /// How many documents a query selects (see `store::matching`).
    Matching {
        ticket: u64,
        query: Query,
        counts: Option<Arc<DocCounts>>,
    },
    Browse {
        ticket: u64,
        table: String,
        keyed: bool,
        anchor: RowAnchor,
        height: usize,
        /// A column's order (None: by rowid).
        order: Option<Order>,
    },
    Plan(PlanKind),
    /// Whether another process committed: SQLite's counter on the reading
    /// connection.
    Poll,
    /// Whether the file at the path is another one than `since` (replaced,
    /// moved away, back, rewritten): a stat, on a thread of its own.
    Watch {
        since: Option<Stamp>,
    },
    /// The tasks by status and by task_type.
    TaskCounts,
    /// A page of tasks, newest first.
    Tasks {
        ticket: u64,
        selection: TaskSelection,
        anchor: TaskAnchor,
    },
    /// A whole value (`column`) or row (None) to copy; `what` names it in
    /// the status line.
    Copy {
        table: String,
        rowid: RowKey,
        column: Option<String>,
        what: String,
    },
    /// The whole value of a cell, for `E`'s line editor.
    EditValue {
        ticket: u64,
        table: String,
        rowid: RowKey,
        column: String,
    },
    /// `EXPLAIN QUERY PLAN` of the Query tab's statement.
    Explain {
        ticket: u64,
        sql: String,
    },
    /// What the catalog of upstream's DuckDB store says (the app on it
    /// before its first snapshot is taken).
    Upstream {
        source: std::path::PathBuf,
    },
}

impl Request {
    /// Scans (counts, charts) go to a worker of their own, so they never
    /// hold up a page, a document or a plan.
    pub(crate) fn is_scan(&self) -> bool {
        matches!(
            self,
            Request::Charts
                | Request::Count { .. }
                | Request::TaskCounts
                | Request::Matching { .. }
                | Request::Backlinks { .. }
                | Request::Values { .. }
        )
    }

    /// The reply that says this read could not be made, and why.
    pub(crate) fn failed(self, why: Failure) -> Option<Reply> {
        Some(match self {
            Request::Charts => Reply::Charts(Err(why)),
            Request::Window { ticket, .. } => Reply::Window {
                ticket,
                result: Err(why),
                done: true,
            },
            Request::Document { ticket, .. } => Reply::Document {
                ticket,
                result: Err(why),
            },
            Request::Backlinks { ticket, .. } => Reply::Backlinks {
                ticket,
                result: Err(why),
            },
            Request::Values { ticket, .. } => Reply::Values {
                ticket,
                result: Err(why),
            },
            Request::Count { name } => Reply::Count {
                name,
                rows: RowCount::Failed(why.to_string()),
            },
            Request::Matching { ticket, .. } => Reply::Matching {
                ticket,
                result: Err(why),
                done: true,
            },
            Request::Browse { ticket, .. } => Reply::Browse {
                ticket,
                result: Err(why),
            },
            Request::TaskCounts => Reply::TaskCounts(Err(why)),
            Request::Tasks { ticket, .. } => Reply::Tasks {
                ticket,
                result: Err(why),
            },
            Request::Copy { what, .. } => Reply::Copied {
                what,
                result: Err(why),
            },
            Request::EditValue { ticket, .. } => Reply::EditValue {
                ticket,
                result: Err(why),
            },
            Request::Upstream { .. } => Reply::Upstream(Err(why)),
            Request::Explain { ticket, .. } => Reply::Explained {
                ticket,
                result: Err(why),
            },
            Request::Inspect | Request::Poll | Request::Watch { .. } | Request::Plan(_) => {
                return None;
            }
        })
    }

    /// Requests of the same kind replace each other while queued.
    pub(crate) fn kind(&self) -> Kind<'_> {
        match self {
            Request::Count { name } => Kind::Count(name),
            other => Kind::Other(std::mem::discriminant(other)),
        }
    }
}

/// What makes two queued requests the same kind: a table's row count is
/// per table; any other request is one of a kind.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    Count(&'a str),
    Other(std::mem::Discriminant<Request>),
}

/// Why a read gave nothing: another process's lock (the same read works
/// later, so the app keeps what it had and retries), or a reason to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Locked,
    /// No store at the path (init creates one there).
    Missing(String),
    Other(String),
}

/// What the screen says while a lock holds the store.
pub const LOCKED: &str = "locked by another process, retrying";

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Locked => f.write_str(LOCKED),
            Failure::Missing(why) | Failure::Other(why) => f.write_str(why),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            e if e.is_locked() => Failure::Locked,
            StoreError::NotFound(_) => Failure::Missing(e.to_string()),
            e => Failure::Other(e.to_string()),
        }
    }
}

impl From<DeadlineError> for Failure {
    fn from(e: DeadlineError) -> Self {
        if e.is_locked() {
            Failure::Locked
        } else {
            Failure::Other(e.to_string())
        }
    }
}

impl From<String> for Failure {
    fn from(why: String) -> Self {
        Failure::Other(why)
    }
}

pub(crate) type Got<T> = Result<T, Failure>;

#[derive(Debug)]
pub enum Reply {
    Inspected {
        result: Got<Arc<Inspection>>,
        writable: Result<(), String>,
        /// The file as it was when it was read.
        stamp: Option<Stamp>,
    },
    Charts(Got<Arc<DocCounts>>),
    /// A window of documents; `done` is false for the first matches of a
    /// search still scanning.
    Window {
        ticket: u64,
        result: Got<Vec<DocRow>>,
        done: bool,
    },
    /// A search is still scanning: this many matches so far.
    Searching {
        ticket: u64,
        found: usize,
    },
    Document {
        ticket: u64,
        result: Got<Option<DocView>>,
    },
    Backlinks {
        ticket: u64,
        result: Got<Backlinks>,
    },
    /// A column's values and counts, for a filter picker.
    Values {
        ticket: u64,
        result: Got<Vec<(Option<String>, u64)>>,
    },
    Count {
        name: String,
        rows: RowCount,
    },
    /// Documents a query selects: so far (`done` false) or in all.
    Matching {
        ticket: u64,
        result: Got<u64>,
        done: bool,
    },
    Browse {
        ticket: u64,
        result: Got<TablePage>,
    },
    Plan(Result<Plan, String>),
    /// The data checks have got this far.
    Checking {
        ticket: u64,
        at: Scanned,
    },
    DataChecks {
        ticket: u64,
        result: Got<Vec<Finding>>,
    },
    /// None: the store has no tasks table.
    TaskCounts(Got<Option<Arc<TaskCounts>>>),
    Tasks {
        ticket: u64,
        result: Got<Vec<Task>>,
    },
    Copied {
        what: String,
        result: Got<Copied>,
    },
    /// A cell's whole value for the line editor.
    EditValue {
        ticket: u64,
        result: Got<Editable>,
    },
    /// A change as it would be (its first rows beside it), or why not.
    ChangePreview {
        ticket: u64,
        result: Result<Previewed, String>,
    },
    /// A change committed, or why not (nothing was written).
    /// The file as the commit left it (the app's own write).
    ChangeCommitted(Result<Committed, String>, Option<Stamp>),
    /// An export has written this many rows (of `total`, when known).
    ExportProgress {
        rows: u64,
        total: Option<u64>,
    },
    /// An export ended: the rows written and the file, or why not.
    Exported(Result<(u64, std::path::PathBuf), String>),
    /// What the session of the statement `run` says (see `store::read::query::session`).
    Query {
        run: u64,
        said: Said,
    },
    /// How many rows the statement `run` gives and how long it took to
    /// run through, or why it is not known.
    QueryCount {
        run: u64,
        result: Result<(u64, std::time::Duration), String>,
    },
    /// The count of the statement `run` has passed this many rows so far.
    QueryCounting {
        run: u64,
        rows: u64,
    },
    /// The plan of a statement: SQLite's tree, a line each.
    Explained {
        ticket: u64,
        result: Got<Vec<String>>,
    },
    /// A column's frequencies: the groups read so far (`done` false), then
    /// the result.
    FreqProgress {
        ticket: u64,
        groups: u64,
    },
    Frequencies {
        ticket: u64,
        result: Result<Frequencies, String>,
    },
    /// The store changed under the app: another process wrote it, or the
    /// file at the path was replaced, removed or created.
    /// The store changed, and the file as it is now.
    Changed(FileChange, Option<Stamp>),
    Progress(Progress),
    /// A plan finished: Ok(summary) or Err(reason).
    Applied(Result<String, String>),
    /// Upstream's DuckDB store judged from its catalog (shape, row counts).
    Upstream(Got<Arc<DuckInspection>>),
    /// The first snapshot of upstream's store, as it is taken.
    Snapshot(Taking),
    /// A sorted list is being built: this far.
    SortProgress {
        ticket: u64,
        at: Sorting,
    },
    /// A sorted list is ready (its rows), or why not.
    Sorted {
        ticket: u64,
        result: Got<u64>,
    },
}

/// Where the first snapshot of upstream's DuckDB store stands.
#[derive(Debug)]
pub enum Taking {
    Progress(ImportProgress),
    /// The pipeline holds the file: tried again shortly.
    Held(String),
    /// Taken, or why not (`Err(None)`: stopped).
    Taken(Result<Box<Snapshot>, Option<String>>),
}

impl Reply {
    /// Whether the read met another process's lock.
    pub fn locked(&self) -> bool {
        let f = match self {
            Reply::Inspected { result, .. } => result.as_ref().err(),
            Reply::Charts(r) => r.as_ref().err(),
            Reply::Window { result, .. } => result.as_ref().err(),
            Reply::Document { result, .. } => result.as_ref().err(),
            Reply::Backlinks { result, .. } => result.as_ref().err(),
            Reply::Values { result, .. } => result.as_ref().err(),
            Reply::Browse { result, .. } => result.as_ref().err(),
            Reply::DataChecks { result, .. } => result.as_ref().err(),
            Reply::TaskCounts(r) => r.as_ref().err(),
            Reply::Tasks { result, .. } => result.as_ref().err(),
            _ => None,
        };
        f == Some(&Failure::Locked)
    }
}

/// The newest tickets of the reads a newer one makes moot, shared by the
/// app and the workers.
#[derive(Debug, Default)]
pub struct Latest {
    pub window: AtomicU64,
    pub matching: AtomicU64,
    /// The newest backlinks asked for: a newer ticket (one is taken when
    /// the detail closes) stops an older scan.
    pub backlinks: AtomicU64,
    /// The newest request to a query session, and the newest statement:
    /// an older request is moot, an older statement's count too.
    pub query: AtomicU64,
    pub query_run: AtomicU64,
    /// Requests up to this ticket were stopped by the user.
    pub query_stop: AtomicU64,
    /// A search's scan, which pages and counts, hands its count to the
    /// count request running beside it (see `searching`).
    pub search: std::sync::Mutex<SearchHandoff>,
}

/// The search whose scan runs, and the last count such a scan made.
#[derive(Debug, Default)]
pub struct SearchHandoff {
    pub running: Option<Query>,
    pub counted: Option<(Query, u64)>,
}

/// What the app hands a worker.
#[derive(Debug)]
pub enum Job {
    Read(Request),
    /// Run a confirmed plan (on a thread of its own, so reads go on).
    Apply {
        plan: Box<Plan>,
        cancel: Canceller,
    },
    /// A column's frequencies (on a thread of its own).
    Frequencies {
        ticket: u64,
        source: FreqSource,
        column: String,
        cancel: Canceller,
    },
    /// The data checks (on a thread of its own: they scan every row),
    /// reporting how far they have got.
    DataChecks {
        ticket: u64,
        cancel: Canceller,
    },
    /// The Query tab's statement (on threads of its own).
    Query(QueryJob),
    /// Preview a change (on a thread of its own): its rows are recorded
    /// and rolled back.
    Change {
        ticket: u64,
        ask: ChangeAsk,
    },
    /// Commit the change previewed, if it is still the same change.
    Commit {
        preview: Arc<Preview>,
        cancel: Canceller,
    },
    /// The first snapshot of upstream's DuckDB store (on a thread of its
    /// own), into `cache`.
    Snapshot {
        source: std::path::PathBuf,
        cache: std::path::PathBuf,
        cancel: Canceller,
    },
    /// Build the sorted list of a sort no index gives (on a thread of its
    /// own); the browsing worker then reads pages from it.
    SortList {
        ticket: u64,
        ask: ListAsk,
        cancel: Canceller,
    },
    /// Export to a file (on a thread of its own).
    Export {
        source: Source,
        path: std::path::PathBuf,
        format: Format,
        cancel: Canceller,
    },
}

/// A change the app asks the store to preview (DESIGN §10).
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeAsk {
    /// `E`: one cell set (None: NULL), in a row found by its rowid.
    Edit {
        table: String,
        rowid: i64,
        column: String,
        value: Option<String>,
    },
    /// `D`: one row deleted.
    Delete { table: String, rowid: i64 },
    /// `x`: what fix repairs of the finding's rule.
    Fix(Code),
    /// `u`: an undo file applied.
    Undo(std::path::PathBuf),
}

/// How many changed rows a preview brings to the dialog; the rest are
/// counted, and `exec --dry-run --json` lists every one.
pub const PREVIEW_ROWS: usize = 200;

/// A preview, and its first PREVIEW_ROWS rows read from it.
#[derive(Debug)]
pub struct Previewed {
    pub preview: Arc<Preview>,
    pub rows: Vec<RowChange>,
    /// The file as the preview left it: a large change rolled back may have
    /// touched it (its mtime), and the app must not take that for a write.
    pub stamp: Option<Stamp>,
}

/// What the app asks of the Query tab's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryJob {
    /// Run `sql` in a session of its own (its first window of `height`
    /// rows), and count its rows beside it.
    Run {
        ticket: u64,
        sql: String,
        height: usize,
    },
    /// A request to the running session.
    Cmd(Cmd),
}

/// Which of the app's threads takes a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The Query tab's threads.
    Query,
    /// The scanning worker: counts, charts, data checks, so they never hold
    /// up a page, a document or a plan.
    Scan,
    /// The browsing worker: what the user waits on.
    Browse,
    /// The watcher: the once-a-second look at the file, on a thread of its
    /// own so it never waits behind a long read.
    Watch,
}

impl Job {
    pub fn route(&self) -> Route {
        match self {
            Job::Query(_) => Route::Query,
            Job::Read(Request::Watch { .. }) => Route::Watch,
            Job::Read(r) if r.is_scan() => Route::Scan,
            _ => Route::Browse,
        }
    }

    pub fn is_scan(&self) -> bool {
        self.route() == Route::Scan
    }
}
