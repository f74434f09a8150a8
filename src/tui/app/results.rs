//! The Query tab's state: plain data its feature (`query.rs`) fills; and
//! what the app sends the tab's session for it.

use super::super::text::Shown;
use super::editor::SqlEditor;
use super::grid::GridState;
use super::load::Load;
use super::state::Requests;
use crate::store::read::query::session::{Cmd, Page};
use crate::tui::messages::QueryJob;
use crate::tui::worker::Job;
use std::sync::atomic::Ordering;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct QueryState {
    pub(crate) editor: SqlEditor,
    /// The SQL editor has the keys (else the result has).
    pub(crate) editing: bool,
    /// Esc just left the editor for the result: a second Esc (as people
    /// press it) does not come back, so the tab keys work after it.
    pub(crate) left_by_esc: bool,
    /// Tab's choices, while Tab is pressed again and again.
    pub(crate) completing: Option<Completing>,
    /// The statement's `EXPLAIN QUERY PLAN`, shown in place of the result.
    pub(crate) plan: Option<PlanView>,
    /// Statements run, oldest first.
    pub(crate) history: Vec<String>,
    /// Where ↑/↓ stand in the history, and what was typed before.
    pub(super) hist_at: Option<usize>,
    pub(super) draft: String,
    pub result: Option<QueryResult>,
}

/// What Tab offered: the choices, the one in the statement now (None:
/// their common start), and how many bytes it took before the cursor.
#[derive(Debug, Clone)]
pub(crate) struct Completing {
    pub(crate) options: Vec<String>,
    pub(crate) at: Option<usize>,
    pub(crate) len: usize,
}

/// A statement's plan as asked under `ticket`: SQLite's tree, or why not.
#[derive(Debug)]
pub(crate) struct PlanView {
    pub(crate) ticket: u64,
    pub(crate) lines: Load<Vec<String>>,
}

/// A statement run, as far as it has been read.
#[derive(Debug)]
pub struct QueryResult {
    pub(crate) sql: String,
    /// The statement's ticket, and the newest request's.
    pub(crate) run: u64,
    pub(super) ticket: u64,
    pub(crate) names: Vec<String>,
    pub page: Load<Page>,
    /// The page's cells as the grid shows them.
    pub(crate) shown: Vec<Vec<Shown>>,
    pub(crate) selected: usize,
    /// The row (from 0) the cursor is to be on once the page comes.
    pub(super) at: u64,
    /// A step's window is on its way: the next step counts from `at`, so
    /// N presses move N rows however fast they come.
    pub(super) moving: bool,
    pub(crate) grid: GridState,
    pub(crate) count: Load<u64>,
    /// While it counts: the rows the count has passed so far.
    pub(crate) counted: u64,
    /// While a request runs: the rows passed so far.
    pub(crate) running: Option<u64>,
    /// The store was written since the statement ran.
    pub(crate) stale: bool,
    /// The row under the cursor shown a column a line, scrolled this far.
    pub(crate) record: Option<u16>,
    /// How long the statement took to run through, once counted.
    pub(crate) took: Option<Duration>,
}

impl QueryState {
    /// The statement whose result is shown, when the editor now holds
    /// another (edited, recalled, or its plan shown): the result says so.
    pub(crate) fn result_of_earlier(&self) -> Option<&str> {
        let r = self.result.as_ref()?;
        (r.sql != self.editor.text().trim()).then_some(r.sql.as_str())
    }
}

impl QueryResult {
    /// The first row of the page on screen, and how many it has.
    pub(super) fn span(&self) -> (u64, usize) {
        self.page
            .loaded()
            .map_or((0, 0), |p| (p.start, p.rows.len()))
    }

    /// Whether something runs for the statement: a read or its count.
    pub fn busy(&self) -> bool {
        self.running.is_some() || matches!(self.count, Load::Loading)
    }

    /// The rows in all, when known.
    pub fn total(&self) -> Option<u64> {
        self.page
            .loaded()
            .and_then(|p| p.total)
            .or(self.count.loaded().copied())
    }
}

impl Requests {
    /// Runs `sql` in a session of its own, its first window `height` rows;
    /// returns its ticket (a statement run before is moot from now on).
    pub(super) fn run_query(&mut self, sql: String, height: usize) -> u64 {
        let ticket = self.ticket();
        self.latest.query.store(ticket, Ordering::SeqCst);
        self.latest.query_run.store(ticket, Ordering::SeqCst);
        self.outbox.push(Job::Query(QueryJob::Run {
            ticket,
            sql,
            height,
        }));
        ticket
    }

    /// Sends `cmd` to the session under a new ticket, returned (an older
    /// request still running is moot).
    pub(super) fn ask_query(&mut self, cmd: Cmd) -> u64 {
        let ticket = self.ticket();
        self.latest.query.store(ticket, Ordering::SeqCst);
        let cmd = match cmd {
            Cmd::Window { start, height, .. } => Cmd::Window {
                ticket,
                start,
                height,
            },
            Cmd::End { height, .. } => Cmd::End { ticket, height },
        };
        self.outbox.push(Job::Query(QueryJob::Cmd(cmd)));
        ticket
    }

    /// What runs for the statement stops (its reading and its count).
    pub(super) fn stop_query(&self) {
        let newest = self.latest.query.load(Ordering::SeqCst);
        self.latest.query_stop.store(newest, Ordering::SeqCst);
    }
}
