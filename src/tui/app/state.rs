//! The state of each feature, of the requests and of the last frame:
//! plain data the app keeps, filled by its features.

use super::grid::GridState;
use super::load::Load;
use crate::store::apply::Progress;
use crate::store::cancel::Canceller;
use crate::store::duckdb::import::ImportProgress;
use crate::store::duckdb::inspect::DuckInspection;
use crate::store::inspection::checks::Scanned;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::inspect::{Inspection, RowCount};
use crate::store::plan::{Plan, PlanKind};
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{DocRow, DocView, Key, Query, RowKey, Sort};
use crate::store::read::export::Source;
use crate::store::read::frequencies::Frequencies;
use crate::store::read::sorted::{ListAsk, Sorting};
use crate::store::read::tables::{Order, RowAnchor, TablePage};
use crate::store::read::tasks::TaskCounts;
use crate::store::read::tasks::{Task, TaskAnchor, TaskSelection};
use crate::tui::tab::Tab;
use crate::tui::text::Shown;
use crate::tui::worker::{ChangeAsk, Previewed};
use crate::tui::worker::{Job, Latest, Request};
use std::sync::Arc;
use std::time::Instant;

/// The column chooser: every column of `documents`, ticked when shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Chooser {
    pub items: Vec<(String, bool)>,
    pub selected: usize,
}

/// `t`/`s` in Documents: every value of the column with its count, to pick
/// one or several; what is typed narrows the list.
#[derive(Debug)]
pub struct Picker {
    /// `doc_type` or `status`.
    pub column: &'static str,
    pub values: Load<Vec<(Option<String>, u64)>>,
    /// The values picked, in the order picked.
    pub picked: Vec<Option<String>>,
    pub input: tui_input::Input,
    /// The row under the cursor, among those the typed text keeps.
    pub selected: usize,
    pub(super) ticket: u64,
}

/// What the event loop puts on the clipboard, and how the status line
/// names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub bytes: Vec<u8>,
    pub what: String,
}

#[derive(Debug)]
pub enum ExportPhase {
    Naming,
    Running {
        /// Rows written so far, and in all when known.
        rows: u64,
        total: Option<u64>,
        cancel: Canceller,
    },
}

#[derive(Debug)]
pub struct ExportDialog {
    /// What is exported, as the dialog names it.
    pub what: String,
    pub source: Source,
    pub input: tui_input::Input,
    pub phase: ExportPhase,
}

/// `f`: a column's values by frequency, over the grid it was asked from.
#[derive(Debug)]
pub struct FreqView {
    pub column: String,
    /// The grid it was asked from (its tab).
    pub from: Tab,
    pub ticket: u64,
    pub result: Load<Frequencies>,
    /// Groups read so far while it counts.
    pub groups: u64,
    pub selected: usize,
    pub cancel: Canceller,
}

/// Where the last frame drew what a click can pick.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Drawn {
    /// The last scroll position of the scrolled page on top (0 for lists).
    pub scroll_end: u16,
    /// Each tab's title: its first and last column on the top line.
    pub tabs: Vec<(u16, u16, Tab)>,
    /// The rows of the list on screen, one line each.
    pub rows: Option<ratatui::layout::Rect>,
    /// How many rows the list of a popup over it has room for.
    pub popup_rows: Option<usize>,
    /// The task the tasks list marks (the one its view starts in).
    pub task: Option<usize>,
    /// The Overview drew from this line to show the finding just picked.
    pub scrolled_to: Option<u16>,
}

/// A list of tasks, newest first, a page at a time.
#[derive(Debug)]
pub struct TasksView {
    pub title: String,
    pub selection: TaskSelection,
    pub page: Load<Vec<Task>>,
    /// Where the page was read from, and how many newer tasks come before it.
    pub anchor: TaskAnchor,
    pub before: u64,
    pub scroll: u16,
    pub ticket: u64,
}

/// The store's counts of documents, when known: the store picks a
/// window's path and a count's answer from them.
pub(crate) type Charts = Load<Arc<DocCounts>>;

/// Which row to select once a window arrives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Select {
    Keep,
    First,
    Last,
    /// The row with this key, wherever the window puts it (a resize keeps
    /// the row selected, not its place on screen).
    Row(Key),
}

/// Where the app opens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Launch {
    pub tab: Option<Tab>,
    /// Browse this table (the Tables tab).
    pub table: Option<String>,
    /// Run this statement (the Query tab).
    pub sql: Option<String>,
    /// Search Documents for this.
    pub search: Option<String>,
}

/// The data checks running.
#[derive(Debug)]
pub struct Checking {
    pub(super) ticket: u64,
    /// How far the pass over a table has got, once it said.
    pub at: Option<Scanned>,
    pub(super) cancel: Canceller,
}

/// What the app knows of the store as a whole.
#[derive(Debug)]
pub struct StoreView {
    pub inspection: Load<Arc<Inspection>>,
    /// There is no store at the path: init creates one there.
    pub missing: bool,
    /// Ok, or why the store cannot be written (actions unavailable).
    pub writable: Result<(), String>,
    pub charts: Load<Arc<DocCounts>>,
    /// Row counts of tables and views, as they arrive.
    pub counts: Vec<(String, RowCount)>,
    /// The data checks, once asked for (they scan every row).
    pub data: Option<Load<Vec<Finding>>>,
    /// While the data checks run: how far they have got, and their stop.
    pub checking: Option<Checking>,
    /// The tasks by status and type; None when there is no tasks table.
    pub tasks: Load<Option<Arc<TaskCounts>>>,
}

/// The Overview's own state (its update is in `app/overview.rs`).
#[derive(Debug, Default)]
pub struct OverviewState {
    /// The data finding picked (Enter lists its rows).
    pub finding: Option<usize>,
    /// It scrolls to show the finding just picked.
    pub reveal: bool,
    /// Upstream's DuckDB store while its first snapshot is taken.
    pub first: Option<FirstSnapshot>,
    /// The tasks list left for the document a task names: Back from that
    /// document comes back to it.
    pub(super) tasks_left: Option<TasksView>,
}

/// Upstream's DuckDB store before its first snapshot is open: what its
/// catalog says, and how far the copy is.
#[derive(Debug)]
pub struct FirstSnapshot {
    pub source: std::path::PathBuf,
    pub(super) cache: std::path::PathBuf,
    pub catalog: Load<Arc<DuckInspection>>,
    pub progress: Option<ImportProgress>,
    /// The file is held, or why no snapshot was taken.
    pub note: Option<String>,
    /// The copy runs (false once it stopped or failed).
    pub running: bool,
    pub(super) cancel: Canceller,
}

#[derive(Debug)]
pub struct DocsState {
    pub query: Query,
    pub rows: Load<Vec<DocRow>>,
    /// The rows as the grid shows them, made once per window.
    pub shown: Vec<Vec<Shown>>,
    pub selected: usize,
    /// The height of the window last asked for.
    pub(super) asked_height: usize,
    pub(super) ticket: u64,
    /// The window was read from the list's start: read again in place,
    /// it starts there still, so a row that moved before its first row
    /// (another process's write) shows.
    pub(super) from_start: bool,
    pub(super) select_after: Select,
    /// The search prompt, while it is open, and the search it started from
    /// (Esc goes back to it).
    pub input: Option<tui_input::Input>,
    pub(super) search_before: Option<String>,
    /// When the prompt's text last changed, until the search follows it.
    pub(super) typed_at: Option<Instant>,
    /// While a search scans: the matches found so far.
    pub searching: Option<usize>,
    /// How many documents the filters and search select.
    pub count: Load<u64>,
    /// While they are counted: how many so far.
    pub count_so_far: Option<u64>,
    pub count_ticket: u64,
    pub grid: GridState,
    /// The detail follows the list's cursor once the window asked for comes
    /// (`[`/`]` past the window's edge).
    pub(super) detail_follows: bool,
    /// The sorted list of a sort no index gives.
    pub list: SortList,
}

#[derive(Debug)]
pub struct DetailState {
    pub rowid: RowKey,
    pub doc: Load<Option<DocView>>,
    pub scroll: u16,
    /// The link picked (an author, the parent, then the backlinks): Enter
    /// follows it.
    pub link: Option<usize>,
    /// What points at it, read on the scan worker once it came.
    pub backlinks: Load<crate::store::read::backlinks::Backlinks>,
    pub(super) back_ticket: u64,
    /// The documents left by following links, the last most recent:
    /// Backspace/Esc goes back along them.
    pub path: Vec<Visited>,
    pub(super) ticket: u64,
    /// The columns' lines as last drawn, and the width they were wrapped
    /// to: a value of 256 K characters is wrapped once per width, not once
    /// per frame. Emptied when the document is read again.
    pub wrapped: std::cell::RefCell<Option<(usize, Vec<ratatui::text::Line<'static>>)>>,
}

/// A document left by following a link, as it was.
#[derive(Debug, Clone)]
pub struct Visited {
    pub rowid: RowKey,
    pub scroll: u16,
    pub link: Option<usize>,
}

#[derive(Debug)]
pub struct BrowseState {
    pub table: String,
    pub keyed: bool,
    pub page: Load<TablePage>,
    /// The page's cells as the grid shows them, made once per page.
    pub shown: Vec<Vec<Shown>>,
    pub selected: usize,
    pub(super) ticket: u64,
    /// Where the page on screen was read from.
    pub(super) anchor: RowAnchor,
    /// Where the page asked for last is read from, and whether it was
    /// asked for by a move (not a reread).
    pub(super) asked: RowAnchor,
    pub(super) moving: bool,
    /// While a move's page is on its way, the rows stepped since (down
    /// positive): taken once it comes, so N presses move N rows however
    /// fast they come.
    pub(super) carry: Option<i64>,
    /// Which row to select once the page asked for comes.
    pub(super) select_after: Select,
    pub grid: GridState,
    /// The row under the cursor shown a column a line, scrolled this far.
    pub(crate) record: Option<u16>,
    /// The order it is read in, and its sorted list.
    pub sort: BrowseSort,
}

#[derive(Debug, Default)]
pub struct TablesState {
    pub selected: usize,
    pub browse: Option<BrowseState>,
    /// The browse was opened by a document's link: Back goes back to it.
    pub(super) from_document: bool,
}

#[derive(Debug)]
pub enum Phase {
    Loading,
    Failed(String),
    Confirm(Box<Plan>),
    Running {
        plan: Box<Plan>,
        progress: Option<Progress>,
        cancel: Canceller,
    },
    Done(Result<String, String>),
}

/// A plan on screen: confirmation as data, the dialog holds the plan.
#[derive(Debug)]
pub struct Dialog {
    pub kind: PlanKind,
    pub phase: Phase,
    pub scroll: u16,
}

/// What covers the tabs; one at a time.
#[derive(Debug)]
pub enum Overlay {
    /// The `?` list of keys, scrolled this far.
    Help {
        scroll: u16,
    },
    /// `M`: this run's messages, scrolled this far.
    Messages {
        scroll: u16,
    },
    Plan(Dialog),
    /// `c`: the columns Documents shows.
    Columns(Chooser),
    /// `t`/`s`: the doc_types or statuses Documents keeps.
    Picker(Picker),
    /// `e`: an export, named then running.
    Export(ExportDialog),
    /// `f`: a column's values by frequency.
    Frequencies(FreqView),
    /// Tasks, newest first: the failed ones, or those a finding names.
    Tasks(TasksView),
    /// `E`: the line editor on one cell.
    Edit(CellEditor),
    /// A change previewed, committing, or ended.
    Change(ChangeDialog),
}

/// `E`: one cell's value typed, before its change is previewed.
#[derive(Debug)]
pub struct CellEditor {
    pub table: String,
    pub rowid: i64,
    pub column: String,
    /// What is typed; None while the whole value is read.
    pub input: Option<tui_input::Input>,
    /// The value is NULL (until something is typed).
    pub null: bool,
    /// Why the value typed cannot be offered (JSON that is not).
    pub error: Option<String>,
    pub(super) ticket: u64,
}

#[derive(Debug)]
pub enum ChangePhase {
    /// The change is recorded and rolled back.
    Previewing,
    /// Shown, waiting for a yes or no.
    Preview(Previewed),
    Committing {
        cancel: Canceller,
    },
    /// Committed (what it did), or failed or refused (why).
    Done(Result<String, String>),
}

/// A change on screen: what it is, its preview, then its outcome.
#[derive(Debug)]
pub struct ChangeDialog {
    /// What the change is, as the dialog's title names it.
    pub title: String,
    /// What was asked: the store changing makes its preview again.
    pub(super) ask: ChangeAsk,
    pub phase: ChangePhase,
    pub scroll: u16,
    pub(super) ticket: u64,
}

/// What the app asks of the workers, and the tickets that tell an answer
/// still wanted from a stale one.
#[derive(Debug, Default)]
pub struct Requests {
    pub outbox: Vec<Job>,
    /// Scans asked for before the first screen was drawn: on a 2-core
    /// machine they would compete with it, so they wait for it.
    pub(super) held: Option<Vec<Job>>,
    /// The newest window and count asked for, shared with the workers.
    pub latest: Arc<Latest>,
    pub(super) next_ticket: u64,
    /// What to put on the clipboard (the event loop does).
    pub clip: Option<Clip>,
    /// Statements run, for the event loop to add to the history file.
    pub history: Vec<String>,
    /// A statement to edit in `$VISUAL`/`$EDITOR` (the event loop does).
    pub outside: Option<String>,
}

impl Requests {
    pub(super) fn send(&mut self, r: Request) {
        let job = Job::Read(r);
        match self.held.as_mut() {
            Some(held) if job.is_scan() => held.push(job),
            _ => self.outbox.push(job),
        }
    }

    pub(super) fn ticket(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }
}

/// Where the sorted list of one grid's sort stands.
#[derive(Debug, Default)]
pub struct SortList {
    /// The list being built, while it is.
    pub building: Option<Building>,
    /// The list the browsing worker holds for the rows shown.
    pub(super) ready: Option<ListAsk>,
    /// A list the user stopped: not asked for again by itself.
    pub(super) declined: Option<ListAsk>,
    /// The list failed on another process's lock: asked for again once
    /// the store is read after the lock.
    pub(super) locked_out: bool,
    /// The order before `o`, while its list is yet to be asked for.
    pub(super) before: Option<(Sort, bool)>,
    /// The store changed under a ready list: the next one is a rebuild.
    pub(super) changed: bool,
}

#[derive(Debug)]
pub struct Building {
    pub ask: ListAsk,
    /// How far it has got, once it says.
    pub at: Option<Sorting>,
    /// Built again because the store changed (or the filters did).
    pub again: bool,
    pub(super) ticket: u64,
    pub(super) cancel: Canceller,
    /// The order Esc goes back to: the one before `o`.
    pub(super) before: Option<(Sort, bool)>,
}

/// A browsed table's order and its sorted list.
#[derive(Debug, Default)]
pub struct BrowseSort {
    pub order: Order,
    pub list: SortList,
}
