//! The app's state and `update`: actions and worker replies in, state and
//! requests out. No drawing and no I/O here; each feature's state and
//! updates live in a file of its own under `app/`.

use super::keys::{self, Action, Ctx};
use super::tab::Tab;
use super::text::Shown;
use super::worker::{Job, Reply, Request};
use crate::store::apply::Progress;
use crate::store::cancel::Canceller;
use crate::store::cell::Cell;
use crate::store::doc_counts::DocCounts;
use crate::store::documents::{DocRow, Query};
use crate::store::finding::Finding;
use crate::store::inspect::{Inspection, RowCount};
use crate::store::plan::{Plan, PlanKind};
use crate::store::tables::TablePage;
use ratatui::layout::{Constraint, Rect};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

mod dialog;
mod docs;
mod overview;
mod tables;

/// Data that arrives from the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    Failed(String),
}

impl<T> Load<T> {
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Load::Loaded(t) => Some(t),
            _ => None,
        }
    }
}

impl<T> From<Result<T, String>> for Load<T> {
    fn from(r: Result<T, String>) -> Self {
        match r {
            Ok(t) => Load::Loaded(t),
            Err(e) => Load::Failed(e),
        }
    }
}

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
}

#[derive(Debug)]
pub struct DocsState {
    pub query: Query,
    pub rows: Load<Vec<DocRow>>,
    /// The rows as the grid shows them, made once per window.
    pub shown: Vec<[Shown; 5]>,
    pub selected: usize,
    /// The height of the window last asked for.
    asked_height: usize,
    ticket: u64,
    select_after: Select,
    /// The search prompt, while it is open.
    pub input: Option<tui_input::Input>,
    /// While a search scans: the matches found so far.
    pub searching: Option<usize>,
}

#[derive(Debug)]
pub struct DetailState {
    pub rowid: i64,
    pub doc: Load<Option<Vec<(String, Cell)>>>,
    pub scroll: u16,
    ticket: u64,
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
}

/// What the app asks of the workers, and the tickets that tell an answer
/// still wanted from a stale one.
#[derive(Debug, Default)]
pub struct Requests {
    pub outbox: Vec<Job>,
    /// Scans asked for before the first screen was drawn: on a 2-core
    /// machine they would compete with it, so they wait for it.
    held: Option<Vec<Job>>,
    /// The newest documents window asked for, shared with the worker.
    pub latest_window: Arc<AtomicU64>,
    next_ticket: u64,
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

/// Rows of the screen that are not a list's rows: the tab bar, the status
/// line, and a list's header line, border and column titles.
const CHROME_ROWS: u16 = 5;

#[derive(Debug)]
pub struct App {
    pub path: PathBuf,
    pub tab: Tab,
    pub store: StoreView,
    pub docs: DocsState,
    pub detail: Option<DetailState>,
    pub tables: TablesState,
    pub overlay: Option<Overlay>,
    /// The scroll of the Overview and Schema tabs.
    pub scroll: u16,
    /// The terminal's size (columns, rows).
    pub size: (u16, u16),
    pub message: String,
    pub quit: bool,
    pub requests: Requests,
}

impl App {
    pub fn new(path: PathBuf) -> App {
        let mut app = App {
            path,
            tab: Tab::Overview,
            store: StoreView {
                inspection: Load::Loading,
                writable: Ok(()),
                charts: Load::Loading,
                counts: Vec::new(),
                data: None,
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
                searching: None,
            },
            detail: None,
            tables: TablesState::default(),
            overlay: None,
            scroll: 0,
            size: (80, 24),
            message: String::new(),
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

    /// Called after each frame: once the first screen of the store is drawn
    /// (the documents window, or the reason there is none), the scans held
    /// until then go out.
    pub fn drawn(&mut self) {
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

    /// The key contexts in force, most specific first.
    pub(crate) fn contexts(&self) -> Vec<Ctx> {
        match &self.overlay {
            Some(Overlay::Plan(_)) => return vec![Ctx::Dialog],
            Some(Overlay::Help { .. }) => return vec![Ctx::Help, Ctx::Scroll],
            None => {}
        }
        let mut v = match self.tab {
            Tab::Documents if self.docs.input.is_some() => return vec![Ctx::Input],
            Tab::Documents if self.detail.is_some() => vec![Ctx::Detail, Ctx::Scroll],
            Tab::Documents => vec![Ctx::Documents, Ctx::Scroll],
            Tab::Tables if self.tables.browse.is_some() => vec![Ctx::Browse, Ctx::Scroll],
            Tab::Tables => vec![Ctx::Tables, Ctx::Scroll],
            Tab::Overview | Tab::Schema => vec![Ctx::Scroll],
        };
        v.push(Ctx::Global);
        v
    }

    pub fn update(&mut self, action: Action) {
        match &self.overlay {
            Some(Overlay::Help { scroll }) => return self.update_help(*scroll, action),
            Some(Overlay::Plan(_)) => return self.update_dialog(action),
            None => {}
        }
        if self.docs.input.is_some() && self.tab == Tab::Documents {
            return self.update_input(action);
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::NextTab => self.go(self.tab.cycle(1)),
            Action::PrevTab => self.go(self.tab.cycle(-1)),
            Action::GoTab(t) => self.go(t),
            Action::Refresh => {
                self.refresh();
                self.message = "refreshed".into();
            }
            Action::Init => self.open_plan(PlanKind::Init),
            Action::DataChecks => {
                self.store.data = Some(Load::Loading);
                self.go(Tab::Overview);
                self.send(Request::DataChecks);
            }
            Action::FoldLegacy => self.open_plan(PlanKind::FoldLegacy),
            _ => match self.tab {
                Tab::Documents => self.update_docs(action),
                Tab::Tables => self.update_tables(action),
                Tab::Overview | Tab::Schema => self.scroll_by(action),
            },
        }
    }

    /// Where the `?` list is drawn in a terminal of `size`.
    pub(crate) fn help_area(size: Rect) -> Rect {
        size.centered(Constraint::Percentage(70), Constraint::Percentage(90))
    }

    /// Scrolls the `?` list within its lines; any other key closes it (see
    /// Ctx::Help), q quits.
    fn update_help(&mut self, scroll: u16, action: Action) {
        let shown = Self::help_area(Rect::new(0, 0, self.size.0, self.size.1))
            .height
            .saturating_sub(2);
        let last = (keys::listing_len() as u16).saturating_sub(shown);
        let page = shown.max(1);
        let scroll = match action {
            Action::Down => scroll.saturating_add(1),
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(page),
            Action::PageUp => scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => {
                self.overlay = None;
                return;
            }
        };
        self.overlay = Some(Overlay::Help {
            scroll: scroll.min(last),
        });
    }

    fn go(&mut self, tab: Tab) {
        self.tab = tab;
        self.scroll = 0;
        if tab == Tab::Tables {
            self.request_counts();
        }
    }

    fn scroll_by(&mut self, action: Action) {
        let page = self.page() as u16;
        self.scroll = match action {
            Action::Down => self.scroll.saturating_add(1),
            Action::Up => self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll.saturating_add(page),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => u16::MAX / 2,
            _ => self.scroll,
        };
    }

    /// Reads everything again: after a write, a refresh key, or a change by
    /// another process.
    pub(crate) fn refresh(&mut self) {
        // Results of a scan may no longer hold.
        self.store.data = None;
        self.send(Request::Inspect);
    }

    /// A worker's answer, handed to the feature that asked.
    pub fn on_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Inspected { .. }
            | Reply::Charts(_)
            | Reply::Count { .. }
            | Reply::DataChecks(_)
            | Reply::Changed => self.on_store_reply(reply),
            Reply::Window { .. } | Reply::Searching { .. } | Reply::Document { .. } => {
                self.on_docs_reply(reply)
            }
            Reply::Browse { ticket, result } => self.on_browse(ticket, result),
            Reply::Plan(_) | Reply::Progress(_) | Reply::Applied(_) => self.on_plan_reply(reply),
        }
    }

    /// A running plan may not be left by quitting: Ctrl-C cancels it first.
    pub(crate) fn running(&self) -> bool {
        matches!(self.dialog().map(|d| &d.phase), Some(Phase::Running { .. }))
    }
}
