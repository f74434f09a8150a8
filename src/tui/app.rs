//! The app's state and `update`: actions and worker replies in, state and
//! requests out. No drawing and no I/O here.

use super::keys::{Action, Ctx};
use super::text::{Shown, doc_row, shown};
use super::worker::{Reply, Request};
use crate::store::apply::Progress;
use crate::store::cancel::Canceller;
use crate::store::cell::Cell;
use crate::store::documents::{Anchor, DocCounts, DocRow, Query};
use crate::store::finding::Finding;
use crate::store::inspect::{Inspection, RowCount, State};
use crate::store::plan::{Plan, PlanKind};
use crate::store::spec::ObjectClass;
use crate::store::spec::Spec;
use crate::store::tables::{RowAnchor, TablePage};
use std::cell::Cell as StdCell;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

mod dialog;
mod docs;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Documents,
    Schema,
    Tables,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Overview, Tab::Documents, Tab::Schema, Tab::Tables];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Documents => "Documents",
            Tab::Schema => "Schema",
            Tab::Tables => "Tables",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Which row to select once a window arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    Keep,
    First,
    Last,
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
    /// Search text being typed, when the search prompt is open.
    pub input: Option<String>,
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

#[derive(Debug)]
pub struct Dialog {
    pub kind: PlanKind,
    pub phase: Phase,
    pub scroll: u16,
}

/// A job the event loop hands to the worker.
#[derive(Debug)]
pub enum Outgoing {
    Read(Request),
    Apply { plan: Box<Plan>, cancel: Canceller },
}

#[derive(Debug)]
pub struct App {
    pub path: PathBuf,
    pub tab: Tab,
    pub inspection: Load<Arc<Inspection>>,
    /// Ok, or why the store cannot be written (actions unavailable).
    pub writable: Result<(), String>,
    pub charts: Load<Arc<DocCounts>>,
    pub docs: DocsState,
    pub detail: Option<DetailState>,
    pub tables: TablesState,
    pub counts: Vec<(String, RowCount)>,
    /// The data checks, once asked for (they scan every row).
    pub data: Option<Load<Vec<Finding>>>,
    pub dialog: Option<Dialog>,
    pub help: bool,
    pub scroll: u16,
    /// Rows a list shows, as the layout last drew it: the page size.
    pub page: StdCell<usize>,
    pub message: String,
    pub quit: bool,
    pub outbox: Vec<Outgoing>,
    /// The newest documents window asked for, shared with the worker.
    pub latest_window: Arc<AtomicU64>,
    next_ticket_no: u64,
}

impl App {
    pub fn new(path: PathBuf) -> App {
        let mut app = App {
            path,
            tab: Tab::Overview,
            inspection: Load::Loading,
            writable: Ok(()),
            charts: Load::Loading,
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
            counts: Vec::new(),
            data: None,
            dialog: None,
            help: false,
            scroll: 0,
            page: StdCell::new(20),
            message: String::new(),
            quit: false,
            outbox: Vec::new(),
            latest_window: Arc::new(AtomicU64::new(0)),
            next_ticket_no: 0,
        };
        app.send(Request::Inspect);
        app
    }

    fn send(&mut self, r: Request) {
        self.outbox.push(Outgoing::Read(r));
    }

    fn next_ticket(&mut self) -> u64 {
        self.next_ticket_no += 1;
        self.next_ticket_no
    }

    /// The key contexts in force, most specific first.
    pub fn contexts(&self) -> Vec<Ctx> {
        if self.dialog.is_some() {
            return vec![Ctx::Dialog];
        }
        let mut v = match self.tab {
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
        if self.help {
            // Any key closes the help; q still quits.
            self.help = false;
            if action == Action::Quit {
                self.quit = true;
            }
            return;
        }
        if self.dialog.is_some() {
            self.update_dialog(action);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = true,
            Action::NextTab => self.go(Tab::ALL[(self.tab.index() + 1) % 4]),
            Action::PrevTab => self.go(Tab::ALL[(self.tab.index() + 3) % 4]),
            Action::GoTab(i) => self.go(Tab::ALL[i.min(3)]),
            Action::Refresh => {
                self.refresh();
                self.message = "refreshed".into();
            }
            Action::Init => self.open_plan(PlanKind::Init),
            Action::DataChecks => {
                self.data = Some(Load::Loading);
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

    fn go(&mut self, tab: Tab) {
        self.tab = tab;
        self.scroll = 0;
        if tab == Tab::Tables {
            self.request_counts();
        }
    }

    fn scroll_by(&mut self, action: Action) {
        let page = self.page.get().max(1) as u16;
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
    pub fn refresh(&mut self) {
        // Results of a scan may no longer hold.
        self.data = None;
        self.send(Request::Inspect);
    }

    pub fn on_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Inspected { result, writable } => {
                let had_docs = self
                    .inspection
                    .loaded()
                    .is_some_and(|i| i.live("documents").is_some());
                if let Err(e) = &result {
                    self.message = e.clone();
                }
                self.inspection = result.into();
                self.writable = writable;
                self.counts.clear();
                if self
                    .inspection
                    .loaded()
                    .is_some_and(|i| i.live("documents").is_some())
                {
                    self.send(Request::Charts);
                    // Keep the place in the list across a refresh.
                    let anchor = match (had_docs, self.docs.rows.loaded().and_then(|r| r.first())) {
                        (true, Some(first)) => Anchor::From {
                            key: first.key.clone(),
                            inclusive: true,
                        },
                        _ => Anchor::Start,
                    };
                    self.request_window(anchor, Select::Keep);
                } else {
                    self.charts = Load::Failed("no documents table".into());
                    self.docs.rows = Load::Failed("the store has no documents table".into());
                }
                self.request_counts();
            }
            Reply::Charts(r) => self.charts = r.into(),
            Reply::Searching { ticket, found } if ticket == self.docs.ticket => {
                self.docs.searching = Some(found)
            }
            Reply::Window {
                ticket,
                result,
                done,
            } if ticket == self.docs.ticket => {
                self.docs.searching = if done {
                    None
                } else {
                    Some(result.as_ref().map_or(0, Vec::len))
                };
                match &result {
                    Ok(rows) => {
                        self.docs.selected = match self.docs.select_after {
                            Select::First => 0,
                            Select::Last => rows.len().saturating_sub(1),
                            Select::Keep => self.docs.selected.min(rows.len().saturating_sub(1)),
                        };
                    }
                    Err(e) => self.message = e.clone(),
                }
                self.docs.shown = result
                    .as_ref()
                    .map(|rows| rows.iter().map(doc_row).collect())
                    .unwrap_or_default();
                self.docs.rows = result.into();
            }
            Reply::Document { ticket, result } => {
                if let Some(d) = self.detail.as_mut().filter(|d| d.ticket == ticket) {
                    d.doc = result.into();
                }
            }
            Reply::Count { name, rows } => {
                if let Some(c) = self.counts.iter_mut().find(|c| c.0 == name) {
                    c.1 = rows;
                }
            }
            Reply::Browse { ticket, result } => {
                if let Some(b) = self.tables.browse.as_mut().filter(|b| b.ticket == ticket) {
                    if let Ok(p) = &result {
                        b.selected = b.selected.min(p.rows.len().saturating_sub(1));
                    }
                    b.shown = result
                        .as_ref()
                        .map(|p| {
                            p.rows
                                .iter()
                                .map(|(_, cells)| cells.iter().map(shown).collect())
                                .collect()
                        })
                        .unwrap_or_default();
                    b.page = result.into();
                }
            }
            Reply::DataChecks(r) => self.data = Some(r.into()),
            Reply::Plan(r) => {
                if let Some(d) = self.dialog.as_mut() {
                    d.phase = match r {
                        Ok(plan) if plan.steps.is_empty() && plan.blockers.is_empty() => {
                            Phase::Done(Ok("nothing to do".into()))
                        }
                        Ok(plan) => Phase::Confirm(Box::new(plan)),
                        Err(e) => Phase::Failed(e),
                    };
                }
            }
            Reply::Changed => {
                if !matches!(
                    self.dialog.as_ref().map(|d| &d.phase),
                    Some(Phase::Running { .. })
                ) {
                    self.message = "the store changed on disk: reloaded".into();
                    self.refresh();
                }
            }
            Reply::Progress(p) => {
                if let Some(Dialog {
                    phase: Phase::Running { progress, .. },
                    ..
                }) = self.dialog.as_mut()
                {
                    *progress = Some(p);
                }
            }
            Reply::Applied(r) => {
                self.message = match &r {
                    Ok(s) => s.clone(),
                    Err(e) => e.clone(),
                };
                if let Some(d) = self.dialog.as_mut() {
                    d.phase = Phase::Done(r);
                }
                self.refresh();
            }
            Reply::Window { .. } | Reply::Searching { .. } => {}
        }
    }

    /// Called after each draw: a resize changes the page size, and the
    /// documents window is fetched again at the new size.
    pub fn after_draw(&mut self) {
        let h = self.page.get().max(1);
        if h != self.docs.asked_height
            && let Some(first) = self.docs.rows.loaded().and_then(|r| r.first())
        {
            let key = first.key.clone();
            self.request_window(
                Anchor::From {
                    key,
                    inclusive: true,
                },
                Select::Keep,
            );
        }
    }

    /// A running plan may not be left by quitting: Ctrl-C cancels it first.
    pub fn running(&self) -> bool {
        matches!(
            self.dialog.as_ref().map(|d| &d.phase),
            Some(Phase::Running { .. })
        )
    }
}
