//! The app's state and `update`: actions and worker replies in, state and
//! requests out. No drawing and no I/O here; each feature's state and
//! updates live in a file of its own under `app/`.

use super::keymap::Keymap;
use super::keys::Action;
use super::mode::Mode;
use super::tab::Tab;
use super::worker::Request;
use crate::store::plan::PlanKind;
use crate::store::read::documents::Query;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod apply;
mod change;
mod columns;
mod copy;
mod cursor;
mod detail;
mod dialog;
mod docs;
mod editor;
mod effect;
mod export;
mod frequencies;
mod grid;
mod inbox;
mod launch;
mod live;
mod load;
mod message;
mod mouse;
mod overview;
mod picker;
mod query;
mod record;
mod results;
mod scroll;
mod search;
mod snapshot;
mod sorting;
mod state;
mod tables;
mod tasks;
mod when;

pub(crate) use effect::{Cx, Effect};
pub(crate) use grid::GAP as GRID_GAP;
pub use grid::GridState;
pub use load::Load;
pub(crate) use results::Completing;
pub use results::{QueryResult, QueryState};
pub(crate) use state::Select;
pub use state::{BrowseSort, Building, SortList};
pub use state::{
    BrowseState, CellEditor, ChangeDialog, ChangePhase, Checking, Chooser, Clip, DetailState,
    Dialog, DocsState, Drawn, ExportDialog, ExportPhase, FirstSnapshot, FreqView, Launch, Overlay,
    OverviewState, Phase, Picker, Requests, StoreView, TablesState, TasksView, Visited,
};

/// How long a status message stays: long enough to read, short enough
/// that it never speaks of a state long gone.
pub(crate) const MESSAGE_FOR: Duration = Duration::from_secs(5);

/// The message log keeps this many, the oldest dropped first.
const LOG_KEEPS: usize = 1000;

/// A search follows the prompt once typing pauses this long: each key
/// does not start a scan of its own.
pub(crate) const TYPING_PAUSE: Duration = Duration::from_millis(250);

/// The smallest terminal the layout fits; below it only quitting works.
pub(crate) const MIN_WIDTH: u16 = 60;
pub(crate) const MIN_HEIGHT: u16 = 12;

/// Rows of the screen that are not a list's rows (the tab bar, the status
/// line, a list's header line, border and column titles): the page size
/// before the first frame of a list says what it really is.
const CHROME_ROWS: u16 = 5;

#[derive(Debug)]
pub struct App {
    pub(crate) path: PathBuf,
    /// The DuckDB store `path` is a snapshot of, and its keeper.
    pub(crate) upstream: Option<crate::store::duckdb::keeper::Keeper>,
    /// The keys in force (the defaults, or the user's).
    pub(crate) keys: Keymap,
    pub(crate) tab: Tab,
    pub(crate) store: StoreView,
    pub(crate) overview: OverviewState,
    pub docs: DocsState,
    pub detail: Option<DetailState>,
    pub(crate) tables: TablesState,
    pub query: QueryState,
    pub(crate) overlay: Option<Overlay>,
    /// The scroll of the Overview and of the Schema tab's spec pane.
    pub(crate) scroll: u16,
    /// The Schema tab: the pane the list keys scroll (false: the spec
    /// beside the live tables; true: the live DDL), and the DDL's scroll.
    pub(crate) ddl_pane: bool,
    pub(crate) ddl_scroll: u16,
    /// The last scroll position of the scrolled view on screen (its last
    /// line at the bottom), as the last frame drew it.
    scroll_end: u16,
    /// Where the last frame drew the tabs and the list rows.
    hits: Drawn,
    /// The terminal's size (columns, rows).
    pub(crate) size: (u16, u16),
    /// The last message, and when it was said (it fades after MESSAGE_FOR).
    pub(crate) message: String,
    message_at: Option<Instant>,
    /// Every message of this run, whole, with when it was said (since the
    /// app started), oldest first; `M` shows them newest first.
    pub log: Vec<(Duration, String)>,
    started: Instant,
    /// A read met another process's lock: read again each second until
    /// one gets through.
    pub retrying: bool,
    /// The file at the path is gone (deleted or moved away): what is shown
    /// was read before.
    pub(crate) gone: bool,
    /// The file at the path as last read or looked at (None: not yet read;
    /// Some(None): no file there).
    stamp: Option<Option<crate::store::identify::Stamp>>,
    pub quit: bool,
    pub requests: Requests,
    /// The undo file of this run's last change: `u` takes it back.
    pub undo: Option<PathBuf>,
    /// Where to open, once the store is first read.
    pub launch: Option<Launch>,
    /// The file the statements run are added to (None: kept nowhere).
    pub history_file: Option<PathBuf>,
}

impl App {
    pub fn new(path: PathBuf) -> App {
        let mut app = App::unread(path);
        app.send(Request::Inspect);
        app
    }

    /// The app on `path`, nothing asked of the store yet.
    fn unread(path: PathBuf) -> App {
        App {
            path,
            upstream: None,
            keys: Keymap::default(),
            tab: Tab::Overview,
            overview: OverviewState::default(),
            store: StoreView {
                inspection: Load::Loading,
                missing: false,
                writable: Ok(()),
                charts: Load::Loading,
                counts: Vec::new(),
                data: None,
                checking: None,
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
                from_start: false,
                input: None,
                search_before: None,
                typed_at: None,
                searching: None,
                count: Load::Loading,
                count_so_far: None,
                count_ticket: 0,
                grid: GridState::default(),
                detail_follows: false,
                list: Default::default(),
            },
            detail: None,
            tables: TablesState::default(),
            query: QueryState::default(),
            overlay: None,
            scroll: 0,
            ddl_pane: false,
            ddl_scroll: 0,
            scroll_end: 0,
            hits: Drawn::default(),
            size: (80, 24),
            message: String::new(),
            message_at: None,
            log: Vec::new(),
            started: Instant::now(),
            retrying: false,
            gone: false,
            stamp: None,
            quit: false,
            requests: Requests {
                held: Some(Vec::new()),
                ..Requests::default()
            },
            undo: None,
            launch: None,
            history_file: None,
        }
    }

    /// The store the app is on (a DuckDB store's snapshot, once taken).
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn send(&mut self, r: Request) {
        self.requests.send(r);
    }

    /// Shows `text` in the status line for a few seconds.
    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.message = text.into();
        let now = Instant::now();
        self.message_at = Some(now);
        if self.log.len() >= LOG_KEEPS {
            self.log.remove(0);
        }
        self.log.push((
            now.saturating_duration_since(self.started),
            self.message.clone(),
        ));
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
        self.overview.reveal = false;
        self.hits = drawn;
        self.scroll_end = scroll_end;
        // A list drawn at another height than its window was asked for
        // (a resize) reads the window that fills it, the same row selected.
        match self.mode() {
            Mode::Documents => self.refit_window(),
            Mode::QueryResult => self.apply(self.query.refit(self.page())),
            _ => {}
        }
        if let Some(s) = self.scrolled() {
            *s = (*s).min(scroll_end);
        }
        let first_screen = !matches!(self.docs.rows, Load::Loading)
            || matches!(self.store.inspection, Load::Failed(_));
        if first_screen && let Some(held) = self.requests.held.take() {
            self.requests.outbox.extend(held);
        }
    }

    /// The page size of the list on screen: the rows the last frame drew
    /// of it, a popup over it or not (before a list was drawn, a guess
    /// from the terminal's height). A window read under a popup fills the
    /// list it is for.
    pub fn page(&self) -> usize {
        self.or_guess(self.hits.rows.map(|r| r.height as usize))
    }

    /// The page size of what is on top: a popup's own rows while one is
    /// open, else the list's.
    pub(crate) fn top_page(&self) -> usize {
        match self.overlay {
            Some(_) => self.or_guess(self.hits.popup_rows),
            None => self.page(),
        }
    }

    fn or_guess(&self, drawn: Option<usize>) -> usize {
        match drawn {
            Some(rows) if rows > 0 => rows,
            _ => self.size.1.saturating_sub(CHROME_ROWS).max(1) as usize,
        }
    }

    /// The terminal has this size now; once a frame shows how many rows a
    /// list has, it fetches a window that fills it (see `drawn`).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.follow_columns();
    }

    /// Each grid scrolls its columns so the cursor's column is drawn whole:
    /// after a resize, and after rows that widened a column came.
    pub(super) fn follow_columns(&mut self) {
        let width = self.size.0;
        let browsed = self.tables.browse.as_mut().map(|b| &mut b.grid);
        let result = self.query.result.as_mut().map(|r| &mut r.grid);
        for grid in [Some(&mut self.docs.grid), browsed, result]
            .into_iter()
            .flatten()
        {
            grid.follow(width);
        }
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

    /// The one answer to "where am I": every key context, dispatch and hint
    /// comes from it.
    pub fn mode(&self) -> Mode {
        if self.too_small() {
            return Mode::TooSmall;
        }
        match &self.overlay {
            Some(Overlay::Plan(d)) => {
                return match d.phase {
                    Phase::Confirm(ref p) if p.blockers.is_empty() => Mode::PlanConfirm,
                    Phase::Confirm(ref p) if !p.blocked_rows.is_empty() => Mode::PlanBlocked,
                    Phase::Running { .. } => Mode::PlanRunning,
                    _ => Mode::PlanEnded,
                };
            }
            Some(Overlay::Change(d)) => {
                return match d.phase {
                    _ if d.confirms() => Mode::PlanConfirm,
                    ChangePhase::Committing { .. } => Mode::PlanRunning,
                    _ => Mode::PlanEnded,
                };
            }
            Some(Overlay::Edit(_)) => return Mode::CellEdit,
            Some(Overlay::Help { .. }) => return Mode::Help,
            Some(Overlay::Messages { .. }) => return Mode::Messages,
            Some(Overlay::Columns(_)) => return Mode::Chooser,
            Some(Overlay::Picker(_)) => return Mode::Picker,
            Some(Overlay::Frequencies(_)) => return Mode::Frequencies,
            Some(Overlay::Tasks(_)) => return Mode::Tasks,
            Some(Overlay::Export(d)) => {
                return match d.phase {
                    ExportPhase::Naming => Mode::ExportNaming,
                    ExportPhase::Running { .. } => Mode::Exporting,
                };
            }
            None => {}
        }
        match self.tab {
            Tab::Documents if self.docs.input.is_some() => Mode::Search,
            Tab::Documents if self.detail.is_some() => Mode::Detail,
            Tab::Documents => Mode::Documents,
            Tab::Tables
                if self
                    .tables
                    .browse
                    .as_ref()
                    .is_some_and(|b| b.record.is_some()) =>
            {
                Mode::Record
            }
            Tab::Tables if self.tables.browse.is_some() => Mode::Browse,
            Tab::Tables => Mode::Tables,
            Tab::Overview if self.overview.finding.is_some() => Mode::Finding,
            Tab::Overview => Mode::Overview,
            Tab::Schema => Mode::Schema,
            Tab::Query if self.query.editing => Mode::Sql,
            Tab::Query
                if self
                    .query
                    .result
                    .as_ref()
                    .is_some_and(|r| r.record.is_some()) =>
            {
                Mode::Record
            }
            Tab::Query => Mode::QueryResult,
        }
    }

    /// An action, routed by the current mode to the feature it concerns.
    pub fn update(&mut self, action: Action) {
        let mode = self.mode();
        if mode == Mode::TooSmall {
            // Nothing else can be seen, so nothing else may act.
            if action == Action::Quit {
                self.quit = true;
                self.stop_first_snapshot();
            }
            return;
        }
        if self.while_first_snapshot(action)
            || self.back_to_document(action)
            || self.scrolls(action)
        {
            return;
        }
        match mode {
            Mode::TooSmall => {}
            Mode::Help => self.update_help(action),
            Mode::Messages => self.apply(match action {
                Action::Quit => Effect::Quit,
                _ => Effect::Close,
            }),
            Mode::PlanConfirm | Mode::PlanRunning | Mode::PlanBlocked | Mode::PlanEnded => {
                if matches!(self.overlay, Some(Overlay::Change(_))) {
                    self.update_change(action)
                } else {
                    self.update_dialog(action)
                }
            }
            Mode::CellEdit => self.update_edit(action),
            Mode::Chooser => self.update_chooser(action),
            Mode::Picker => self.update_picker(action),
            Mode::ExportNaming | Mode::Exporting => self.update_export(action),
            Mode::Frequencies => self.update_frequencies(action),
            Mode::Tasks => self.update_tasks(action),
            Mode::Search => self.update_input(action),
            Mode::Sql => self.update_query(action),
            Mode::Detail if !self.update_global(action) => self.update_detail(action),
            Mode::Documents if !self.update_global(action) => self.update_docs(action),
            Mode::Browse | Mode::Tables if !self.update_global(action) => {
                self.update_tables(action)
            }
            Mode::Finding | Mode::Overview if !self.update_global(action) => {
                self.update_overview(action)
            }
            Mode::QueryResult if !self.update_global(action) => self.update_query(action),
            Mode::Record if !self.update_global(action) => self.update_record(action),
            Mode::Schema if !self.update_global(action) => {
                // ←/→ (h/l) pick the pane the list keys scroll.
                match action {
                    Action::ColumnLeft => self.ddl_pane = false,
                    Action::ColumnRight => self.ddl_pane = true,
                    _ => {}
                }
            }
            Mode::Schema
            | Mode::Detail
            | Mode::Documents
            | Mode::Browse
            | Mode::Tables
            | Mode::Finding
            | Mode::Overview
            | Mode::Record
            | Mode::QueryResult => {}
        }
    }

    /// The keys of `Ctx::Global`; false when `action` is not one of them.
    fn update_global(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Messages => self.overlay = Some(Overlay::Messages { scroll: 0 }),
            Action::NextTab => self.go(self.tab.cycle(1)),
            Action::PrevTab => self.go(self.tab.cycle(-1)),
            Action::GoTab(t) => self.go(t),
            Action::Refresh => {
                if let Some(k) = &self.upstream {
                    k.refresh();
                }
                self.refresh();
                self.say(if self.retrying {
                    "still locked by another process: reading again once it lets go"
                } else {
                    "refreshed"
                });
            }
            Action::Init => self.open_plan(PlanKind::Init),
            Action::DataChecks => self.start_checks(),
            Action::FoldLegacy => self.open_plan(PlanKind::FoldLegacy { keep_tables: false }),
            Action::Sql => {
                self.go(Tab::Query);
                self.query.editing = true;
            }
            Action::Undo => self.undo_last(),
            _ => return false,
        }
        true
    }

    /// Keys the `?` list does not scroll with close it (see Ctx::Help);
    /// q quits.
    fn update_help(&mut self, action: Action) {
        self.apply(match action {
            Action::Quit => Effect::Quit,
            _ => Effect::Close,
        });
    }

    fn go(&mut self, tab: Tab) {
        self.tab = tab;
        self.scroll = 0;
        self.ddl_scroll = 0;
        if tab == Tab::Tables {
            self.request_counts();
        }
        if tab == Tab::Query {
            self.query.shown();
        }
    }

    pub(super) fn update_query(&mut self, action: Action) {
        let effect = match action {
            Action::Complete if self.query.editing => {
                let names = self.store.inspection.loaded().map(|i| i.names());
                self.query.complete(&names.unwrap_or_default())
            }
            _ => self.query.update(action, self.page(), self.size.0),
        };
        self.apply(effect);
    }
}
