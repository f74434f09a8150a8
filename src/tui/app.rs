//! The app's state and `update`: actions and worker replies in, state and
//! requests out. No drawing and no I/O here; each feature's state and
//! updates live in a file of its own under `app/`.

use super::keymap::Keymap;
use super::keys::{Action, Ctx};
use super::tab::Tab;
use super::text::Shown;
use super::worker::{Failure, Job, Latest, Reply, Request};
use crate::store::apply::Progress;
use crate::store::cancel::Canceller;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::inspect::{Inspection, RowCount};
use crate::store::plan::{Plan, PlanKind};
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{DocRow, DocView, Query};
use crate::store::read::tables::{RowAnchor, TablePage};
use crate::store::read::tasks::TaskCounts;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod columns;
mod copy;
mod detail;
mod dialog;
mod docs;
mod export;
mod frequencies;
mod grid;
mod load;
mod modes;
mod mouse;
mod overview;
mod query;
mod results;
mod scroll;
mod state;
mod tables;
mod tasks;

pub(crate) use grid::GAP as GRID_GAP;
pub use grid::GridState;
pub use load::Load;
pub use results::{QueryResult, QueryState};
pub use state::{Chooser, Clip, Drawn, ExportDialog, ExportPhase, FreqView, TasksView};

/// Which row to select once a window arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Select {
    Keep,
    First,
    Last,
}

/// What the app knows of the store as a whole.
#[derive(Debug)]
pub struct StoreView {
    pub inspection: Load<Arc<Inspection>>,
    /// Ok, or why the store cannot be written (actions unavailable).
    pub writable: Result<(), String>,
    pub charts: Load<Arc<DocCounts>>,
    /// Row counts of tables and views, as they arrive.
    pub counts: Vec<(String, RowCount)>,
    /// The data checks, once asked for (they scan every row).
    pub data: Option<Load<Vec<Finding>>>,
    /// The data finding picked on the Overview (Enter lists its rows).
    pub finding: Option<usize>,
    /// The Overview scrolls to show the finding just picked.
    pub reveal: bool,
    /// The tasks by status and type; None when there is no tasks table.
    pub tasks: Load<Option<Arc<TaskCounts>>>,
}

#[derive(Debug)]
pub struct DocsState {
    pub query: Query,
    pub rows: Load<Vec<DocRow>>,
    /// The rows as the grid shows them, made once per window.
    pub shown: Vec<Vec<Shown>>,
    pub selected: usize,
    /// The height of the window last asked for.
    asked_height: usize,
    ticket: u64,
    select_after: Select,
    /// The search prompt, while it is open, and the search it started from
    /// (Esc goes back to it).
    pub input: Option<tui_input::Input>,
    search_before: Option<String>,
    /// When the prompt's text last changed, until the search follows it.
    typed_at: Option<Instant>,
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
    detail_follows: bool,
}

#[derive(Debug)]
pub struct DetailState {
    pub rowid: i64,
    pub doc: Load<Option<DocView>>,
    pub scroll: u16,
    /// The link picked (an author, the parent): Enter follows it.
    pub link: Option<usize>,
    /// The documents left by following links, the last most recent:
    /// Backspace/Esc goes back along them.
    pub path: Vec<Visited>,
    ticket: u64,
}

/// A document left by following a link, as it was.
#[derive(Debug, Clone, Copy)]
pub struct Visited {
    pub rowid: i64,
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
    ticket: u64,
    /// Where the page on screen was read from.
    anchor: RowAnchor,
    pub grid: GridState,
}

#[derive(Debug, Default)]
pub struct TablesState {
    pub selected: usize,
    pub browse: Option<BrowseState>,
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
    Plan(Dialog),
    /// `c`: the columns Documents shows.
    Columns(Chooser),
    /// `e`: an export, named then running.
    Export(ExportDialog),
    /// `f`: a column's values by frequency.
    Frequencies(FreqView),
    /// Tasks, newest first: the failed ones, or those a finding names.
    Tasks(TasksView),
}

/// What the app asks of the workers, and the tickets that tell an answer
/// still wanted from a stale one.
#[derive(Debug, Default)]
pub struct Requests {
    pub outbox: Vec<Job>,
    /// Scans asked for before the first screen was drawn: on a 2-core
    /// machine they would compete with it, so they wait for it.
    held: Option<Vec<Job>>,
    /// The newest window and count asked for, shared with the workers.
    pub latest: Arc<Latest>,
    next_ticket: u64,
    /// What to put on the clipboard (the event loop does).
    pub clip: Option<Clip>,
    /// Statements run, for the event loop to add to the history file.
    pub history: Vec<String>,
}

impl Requests {
    fn send(&mut self, r: Request) {
        let job = Job::Read(r);
        match self.held.as_mut() {
            Some(held) if job.is_scan() => held.push(job),
            _ => self.outbox.push(job),
        }
    }

    fn ticket(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }
}

/// How long a status message stays: long enough to read, short enough
/// that it never speaks of a state long gone.
pub(crate) const MESSAGE_FOR: Duration = Duration::from_secs(5);

/// A search follows the prompt once typing pauses this long: each key
/// does not start a scan of its own.
pub(crate) const TYPING_PAUSE: Duration = Duration::from_millis(250);

/// The smallest terminal the layout fits; below it only quitting works.
pub(crate) const MIN_WIDTH: u16 = 60;
pub(crate) const MIN_HEIGHT: u16 = 12;

/// Rows of the screen that are not a list's rows: the tab bar, the status
/// line, and a list's header line, border and column titles.
const CHROME_ROWS: u16 = 5;

#[derive(Debug)]
pub struct App {
    pub path: PathBuf,
    /// The DuckDB store `path` is a snapshot of, and its keeper.
    pub upstream: Option<crate::store::duckdb::keeper::Keeper>,
    /// The keys in force (the defaults, or the user's).
    pub keys: Keymap,
    pub tab: Tab,
    pub store: StoreView,
    pub docs: DocsState,
    pub detail: Option<DetailState>,
    pub tables: TablesState,
    pub query: QueryState,
    pub overlay: Option<Overlay>,
    /// The scroll of the Overview and Schema tabs.
    pub scroll: u16,
    /// The last scroll position of the scrolled view on screen (its last
    /// line at the bottom), as the last frame drew it.
    scroll_end: u16,
    /// Where the last frame drew the tabs and the list rows.
    hits: Drawn,
    /// The terminal's size (columns, rows).
    pub size: (u16, u16),
    /// The last message, and when it was said (it fades after MESSAGE_FOR).
    pub message: String,
    message_at: Option<Instant>,
    /// A read met another process's lock: read again each second until
    /// one gets through.
    pub retrying: bool,
    /// The file at the path is gone (deleted or moved away): what is shown
    /// was read before.
    pub gone: bool,
    pub quit: bool,
    pub requests: Requests,
}

impl App {
    pub fn new(path: PathBuf) -> App {
        let mut app = App {
            path,
            upstream: None,
            keys: Keymap::default(),
            tab: Tab::Overview,
            store: StoreView {
                inspection: Load::Loading,
                writable: Ok(()),
                charts: Load::Loading,
                counts: Vec::new(),
                data: None,
                finding: None,
                reveal: false,
                tasks: Load::Loading,
            },
            docs: DocsState {
                query: Query::default(),
                rows: Load::Loading,
                shown: Vec::new(),
                selected: 0,
                asked_height: 0,
                ticket: 0,
                select_after: Select::First,
                input: None,
                search_before: None,
                typed_at: None,
                searching: None,
                count: Load::Loading,
                count_so_far: None,
                count_ticket: 0,
                grid: GridState::default(),
                detail_follows: false,
            },
            detail: None,
            tables: TablesState::default(),
            query: QueryState::default(),
            overlay: None,
            scroll: 0,
            scroll_end: 0,
            hits: Drawn::default(),
            size: (80, 24),
            message: String::new(),
            message_at: None,
            retrying: false,
            gone: false,
            quit: false,
            requests: Requests {
                held: Some(Vec::new()),
                ..Requests::default()
            },
        };
        app.send(Request::Inspect);
        app
    }

    fn send(&mut self, r: Request) {
        self.requests.send(r);
    }

    /// Shows `text` in the status line for a few seconds.
    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.message = text.into();
        self.message_at = Some(Instant::now());
    }

    /// Time passes: what was typed in the search prompt is searched once
    /// typing pauses; an old message fades.
    pub fn tick(&mut self, now: Instant) {
        if self
            .docs
            .typed_at
            .is_some_and(|at| now.saturating_duration_since(at) >= TYPING_PAUSE)
        {
            self.search_as_typed();
        }
        if self
            .message_at
            .is_some_and(|at| now.saturating_duration_since(at) >= MESSAGE_FOR)
        {
            self.message.clear();
            self.message_at = None;
        }
    }

    /// When `tick` next has something to do.
    pub fn next_tick(&self) -> Option<Instant> {
        let typed = self.docs.typed_at.map(|at| at + TYPING_PAUSE);
        let faded = self.message_at.map(|at| at + MESSAGE_FOR);
        typed.into_iter().chain(faded).min()
    }

    /// Called after each frame with the last scroll position of the
    /// scrolled view drawn: its scroll stays within its lines. Once the
    /// first screen of the store is drawn (the documents window, or the
    /// reason there is none), the scans held until then go out.
    pub fn drawn(&mut self, drawn: Drawn) {
        let scroll_end = drawn.scroll_end;
        if let Some(at) = drawn.scrolled_to {
            self.scroll = at;
        }
        self.store.reveal = false;
        self.hits = drawn;
        self.scroll_end = scroll_end;
        if let Some(s) = self.scrolled() {
            *s = (*s).min(scroll_end);
        }
        let first_screen = !matches!(self.docs.rows, Load::Loading)
            || matches!(self.store.inspection, Load::Failed(_));
        if first_screen && let Some(held) = self.requests.held.take() {
            self.requests.outbox.extend(held);
        }
    }

    /// Rows a list shows at the current terminal size: the page size.
    pub fn page(&self) -> usize {
        self.size.1.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    /// The terminal has this size now; a list fetches a window that fills it.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.refit_window();
        self.refit_query();
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        match &self.overlay {
            Some(Overlay::Plan(d)) => Some(d),
            _ => None,
        }
    }

    fn dialog_mut(&mut self) -> Option<&mut Dialog> {
        match &mut self.overlay {
            Some(Overlay::Plan(d)) => Some(d),
            _ => None,
        }
    }

    /// Whether the terminal is too small for the layout.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    pub fn update(&mut self, action: Action) {
        if self.too_small() {
            // Nothing else can be seen, so nothing else may act.
            self.quit |= action == Action::Quit;
            return;
        }
        if self.scrolls(action) {
            return;
        }
        match &self.overlay {
            Some(Overlay::Help { .. }) => return self.update_help(action),
            Some(Overlay::Plan(_)) => return self.update_dialog(action),
            Some(Overlay::Columns(_)) => return self.update_chooser(action),
            Some(Overlay::Export(_)) => return self.update_export(action),
            Some(Overlay::Frequencies(_)) => return self.update_frequencies(action),
            Some(Overlay::Tasks(_)) => return self.update_tasks(action),
            None => {}
        }
        if self.docs.input.is_some() && self.tab == Tab::Documents {
            return self.update_input(action);
        }
        if self.query.editing && self.tab == Tab::Query {
            return self.update_query(action);
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::NextTab => self.go(self.tab.cycle(1)),
            Action::PrevTab => self.go(self.tab.cycle(-1)),
            Action::GoTab(t) => self.go(t),
            Action::Refresh => {
                if let Some(k) = &self.upstream {
                    k.refresh();
                }
                self.refresh();
                self.say("refreshed");
            }
            Action::Init => self.open_plan(PlanKind::Init),
            Action::DataChecks => {
                self.store.data = Some(Load::Loading);
                self.go(Tab::Overview);
                self.send(Request::DataChecks);
            }
            Action::FoldLegacy => self.open_plan(PlanKind::FoldLegacy),
            Action::Sql => self.edit_sql(),
            _ => match self.tab {
                Tab::Documents => self.update_docs(action),
                Tab::Tables => self.update_tables(action),
                Tab::Overview => self.update_overview(action),
                Tab::Query => self.update_query(action),
                Tab::Schema => {}
            },
        }
    }

    /// Keys the `?` list does not scroll with close it (see Ctx::Help);
    /// q quits.
    fn update_help(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            _ => self.overlay = None,
        }
    }

    fn go(&mut self, tab: Tab) {
        self.tab = tab;
        self.scroll = 0;
        if tab == Tab::Tables {
            self.request_counts();
        }
        if tab == Tab::Query && self.query.result.is_none() {
            self.query.editing = true;
        }
    }

    /// Reads everything again: after a write, a refresh key, or a change by
    /// another process. What is on screen stays until the new data comes.
    pub(crate) fn refresh(&mut self) {
        // Results of a scan may no longer hold.
        self.store.data = None;
        self.store.finding = None;
        self.retrying = false;
        self.send(Request::Inspect);
    }

    /// Once a second: ask whether the store changed, and read again what a
    /// lock kept from being read.
    pub fn second(&mut self) {
        self.requests.outbox.push(Job::Read(Request::Poll));
        if self.retrying && !self.running() {
            self.refresh();
        }
    }

    /// Why what is on screen may not be so any more, if it may not.
    pub fn stale_note(&self) -> Option<&str> {
        if self.gone {
            return Some("the store file is gone: shown as read before");
        }
        let browse = self.tables.browse.as_ref().and_then(|b| b.page.stale());
        let detail = self.detail.as_ref().and_then(|d| d.doc.stale());
        let result = self
            .query
            .result
            .as_ref()
            .filter(|r| r.stale && self.tab == Tab::Query)
            .map(|_| "the store changed since the statement ran (: then Enter runs it again)");
        self.store
            .inspection
            .stale()
            .or(self.docs.rows.stale())
            .or(self.store.charts.stale())
            .or(detail)
            .or(browse)
            .or(result)
            .or(self.retrying.then_some(super::worker::LOCKED))
    }

    /// A worker's answer, handed to the feature that asked.
    pub fn on_reply(&mut self, reply: Reply) {
        if reply.locked() {
            self.retrying = true;
        }
        match reply {
            Reply::Inspected { .. }
            | Reply::Charts(_)
            | Reply::Count { .. }
            | Reply::DataChecks(_)
            | Reply::TaskCounts(_)
            | Reply::Changed(_) => self.on_store_reply(reply),
            Reply::Tasks { ticket, result } => self.on_tasks(ticket, result),
            Reply::Window { .. }
            | Reply::Searching { .. }
            | Reply::Document { .. }
            | Reply::Matching { .. } => self.on_docs_reply(reply),
            Reply::Browse { ticket, result } => self.on_browse(ticket, result),
            Reply::Plan(_) | Reply::Progress(_) | Reply::Applied(_) => self.on_plan_reply(reply),
            Reply::Copied { what, result } => self.on_copied(what, result),
            Reply::Query { run, said } => self.on_query_reply(run, said),
            Reply::FreqProgress { .. } | Reply::Frequencies { .. } => self.on_frequencies(reply),
            Reply::QueryCount { run, result } => self.on_query_count(run, result),
            Reply::ExportProgress { .. } | Reply::Exported(_) => self.on_export_reply(reply),
        }
    }

    /// A running plan or export may not be left by quitting: Ctrl-C
    /// stops it first.
    pub(crate) fn running(&self) -> bool {
        matches!(self.dialog().map(|d| &d.phase), Some(Phase::Running { .. }))
            || matches!(
                &self.overlay,
                Some(Overlay::Export(ExportDialog {
                    phase: ExportPhase::Running { .. },
                    ..
                }))
            )
    }
}
