//! A statement's rows, a window at a time, never the whole result: going
//! forward steps the statement on; going back before what is kept runs it
//! again; the end is reached by stepping through without keeping the rows
//! passed. Only the last `KEEP` rows read are held.

use super::QueryConn;
use crate::store::cell::{CELL_CHARS, Cell};
use crate::store::error::StoreError;
use rusqlite::{Row, Rows};

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Rows kept around the last window read: moving back within them reads
/// nothing again.
const KEEP: usize = 256;
/// A statement left open this long without a request is closed, so an open
/// read does not hold back another process's writes.
pub const IDLE: Duration = Duration::from_secs(2);
/// A window this many rows past the statement's place is read by running it
/// again with an OFFSET rather than by stepping on.
const FAR: u64 = 10_000;
/// How often stepping says how far it has got.
const REPORT: Duration = Duration::from_millis(150);

/// Rows of the result from row `start` (counted from 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub start: u64,
    pub rows: Vec<Vec<Cell>>,
    /// The number of rows in all, once stepping has met the end.
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// `height` rows from row `start` (fewer at the end: then the last ones).
    Window {
        ticket: u64,
        start: u64,
        height: usize,
    },
    /// The last `height` rows, stepping through to them.
    End { ticket: u64, height: usize },
}

impl Cmd {
    pub fn ticket(&self) -> u64 {
        match *self {
            Cmd::Window { ticket, .. } | Cmd::End { ticket, .. } => ticket,
        }
    }
}

/// What the session says back.
#[derive(Debug)]
pub enum Said {
    /// The statement's column names, before its first page.
    Columns(Vec<String>),
    Page {
        ticket: u64,
        page: Page,
    },
    /// The rows of the window read so far, while a slow statement runs.
    Partial {
        ticket: u64,
        page: Page,
    },
    /// Stepping on: this many rows passed so far.
    Passing {
        ticket: u64,
        rows: u64,
    },
    /// The user stopped the command after this many rows.
    Stopped {
        ticket: u64,
        rows: u64,
    },
    Failed {
        ticket: u64,
        error: StoreError,
    },
}

/// Why a running command is to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    /// A newer request made it moot: nobody wants its answer.
    Moot,
    /// The user stopped it.
    User,
}

/// What the next request is, once asked for.
pub enum Next {
    Cmd(Cmd),
    /// Nothing came for the idle time asked.
    Idle,
    /// No more requests will come.
    Closed,
}

/// How the session hears requests and answers them.
pub struct Control<'a> {
    /// The next request, waiting at most the time given (None: for ever).
    pub next: &'a mut dyn FnMut(Option<Duration>) -> Next,
    pub say: &'a mut dyn FnMut(Said),
    /// Whether the request with this ticket is to stop; asked often, also
    /// from inside SQLite while one step takes long.
    pub halt: Arc<dyn Fn(u64) -> Option<Halt> + Send + Sync>,
}

/// Watches `qc`'s steps: a request to halt the ticket in `current`
/// interrupts SQLite, also inside one long step.
fn watch(
    qc: &mut QueryConn,
    current: &Arc<AtomicU64>,
    ctl: &Control<'_>,
) -> Result<(), StoreError> {
    let (cur, halt) = (current.clone(), ctl.halt.clone());
    qc.conn
        .progress_handler(
            1000,
            Some(move || halt(cur.load(Ordering::Relaxed)).is_some()),
        )
        .map_err(|e| StoreError::Refused(format!("cannot watch the statement: {e}")))
}

/// Serves `sql` on `qc` until the requests end; `first` is the first request.
pub fn serve(qc: &mut QueryConn, sql: &str, first: Cmd, mut ctl: Control<'_>) {
    let current = Arc::new(AtomicU64::new(first.ticket()));
    let prepared = match watch(qc, &current, &ctl).and_then(|()| qc.prepare(sql)) {
        Ok(p) => p,
        Err(error) => {
            return (ctl.say)(Said::Failed {
                ticket: first.ticket(),
                error,
            });
        }
    };
    let width = prepared.names.len();
    (ctl.say)(Said::Columns(prepared.names.clone()));
    let text = prepared
        .stmt
        .expanded_sql()
        .unwrap_or_else(|| sql.to_string());
    let (mut stmt, cut) = match qc.cut(&text, width, false) {
        Some(s) => (s, true),
        None => (prepared.stmt, false),
    };
    let mut seek = qc.cut(&text, width, true);
    let can_seek = seek.is_some();
    let mut rows: Option<Rows<'_>> = None;
    let mut at = At::default();
    let mut cmd = first;
    loop {
        let ticket = cmd.ticket();
        current.store(ticket, Ordering::Relaxed);
        let (start, height) = match cmd {
            Cmd::Window { start, height, .. } => (start, height.max(1)),
            Cmd::End { height, .. } => (u64::MAX, height.max(1)),
        };
        // Before what is kept, beyond it once the statement was closed, or
        // far ahead when rows can be passed by OFFSET: run it again.
        let keep_from = start
            .saturating_add(height as u64)
            .saturating_sub(KEEP as u64);
        let far = can_seek && start != u64::MAX && start > at.pos + FAR;
        if start < at.kept_from() || far || (rows.is_none() && !at.holds(start, height)) {
            // The old rows must end before the statement runs again.
            #[allow(unused_assignments)]
            {
                rows = None;
            }
            at = At::default();
            let ran = match seek.as_mut() {
                Some(s) if start != u64::MAX && keep_from > 0 => {
                    at.pos = keep_from;
                    s.query([keep_from as i64])
                }
                _ => stmt.query([]),
            };
            rows = ran.map_err(|e| broke(e, 0)).map(Some).unwrap_or_else(|b| {
                answer(&mut ctl, ticket, Err(b));
                None
            });
        }
        if let Some(r) = rows.as_mut() {
            let stepped = step_window(r, &mut at, (start, height), (width, cut), ticket, &mut ctl);
            match stepped {
                // An OFFSET past the end: where the end is, only stepping
                // to it tells.
                Ok(()) if at.ended && at.kept.is_empty() && at.pos > 0 => {
                    rows = None;
                    at = At::default();
                    cmd = Cmd::End { ticket, height };
                    continue;
                }
                Ok(()) => answer(&mut ctl, ticket, Ok(at.page(start, height))),
                Err(b) => {
                    rows = None;
                    at = At::default();
                    answer(&mut ctl, ticket, Err(b));
                }
            }
        } else if at.holds(start, height) {
            answer(&mut ctl, ticket, Ok(at.page(start, height)));
        }
        cmd = loop {
            match (ctl.next)(rows.is_some().then_some(IDLE)) {
                Next::Cmd(c) => break c,
                Next::Idle => rows = None,
                Next::Closed => return,
            }
        };
    }
}

/// Steps `r` to the window of `height` rows at `start`, saying now and then
/// how far it has got (or the window's rows so far: a slow statement fills
/// the grid as they come); stops when the request is to halt.
fn step_window(
    r: &mut Rows<'_>,
    at: &mut At,
    (start, height): (u64, usize),
    (width, cut): (usize, bool),
    ticket: u64,
    ctl: &mut Control<'_>,
) -> Result<(), Broke> {
    let mut last = Instant::now();
    let (halt, say) = (&ctl.halt, &mut *ctl.say);
    let target = start.saturating_add(height as u64);
    at.step_to(r, target, height, width, cut, &mut |now: &At| {
        let n = now.pos;
        if n.is_multiple_of(1024) && halt(ticket).is_some() {
            return false;
        }
        if (n.is_multiple_of(64) || n > start) && last.elapsed() >= REPORT {
            last = Instant::now();
            if n > start && start != u64::MAX {
                say(Said::Partial {
                    ticket,
                    page: now.page(start, height),
                });
            } else {
                say(Said::Passing { ticket, rows: n });
            }
        }
        true
    })
}

/// Says how a request ended: its page, that the user stopped it, why it
/// failed; nothing when a newer request made it moot.
fn answer(ctl: &mut Control<'_>, ticket: u64, result: Result<Page, Broke>) {
    let said = match result {
        Ok(page) => Said::Page { ticket, page },
        Err(b) => match (ctl.halt)(ticket) {
            Some(Halt::Moot) => return,
            Some(Halt::User) => Said::Stopped {
                ticket,
                rows: b.passed,
            },
            None => Said::Failed {
                ticket,
                error: b.error,
            },
        },
    };
    (ctl.say)(said);
}

fn broke(e: rusqlite::Error, passed: u64) -> Broke {
    let error = if crate::store::error::is_busy(&e) {
        StoreError::Refused("another process holds a lock on the store; run it again".into())
    } else {
        StoreError::Sql {
            message: crate::store::error::sqlite_text(&e),
            at: None,
        }
    };
    Broke { error, passed }
}

/// A failed or stopped read, and how many rows it had passed.
struct Broke {
    error: StoreError,
    passed: u64,
}

/// Where the statement stands.
#[derive(Default)]
struct At {
    /// Rows stepped since the statement last began.
    pos: u64,
    /// The last rows read, ending at `pos`.
    kept: VecDeque<Vec<Cell>>,
    /// The statement has no more rows.
    ended: bool,
}

impl At {
    fn kept_from(&self) -> u64 {
        self.pos - self.kept.len() as u64
    }

    /// Whether the rows kept answer a window without stepping.
    fn holds(&self, start: u64, height: usize) -> bool {
        start >= self.kept_from() && (self.ended || start.saturating_add(height as u64) <= self.pos)
    }

    /// Steps until `target` rows have been passed or the rows end, keeping
    /// the last ones; `go_on` sees where it stands before each row.
    fn step_to(
        &mut self,
        rows: &mut Rows<'_>,
        target: u64,
        height: usize,
        width: usize,
        cut: bool,
        go_on: &mut dyn FnMut(&At) -> bool,
    ) -> Result<(), Broke> {
        let keep = KEEP.max(height);
        // Rows this far before the target are passed without being read.
        // (At the end, wherever it is, every row may be one of the last.)
        let read_from = match target {
            u64::MAX => 0,
            t => t.saturating_sub(keep as u64),
        };
        while !self.ended && self.pos < target {
            if !go_on(self) {
                return Err(Broke {
                    error: StoreError::Cancelled,
                    passed: self.pos,
                });
            }
            match rows.next() {
                Ok(Some(row)) => {
                    if self.pos >= read_from {
                        let cells = cells(row, width, cut).map_err(|e| broke(e, self.pos))?;
                        if self.kept.len() == keep {
                            self.kept.pop_front();
                        }
                        self.kept.push_back(cells);
                    } else if !self.kept.is_empty() {
                        self.kept.clear();
                    }
                    self.pos += 1;
                }
                Ok(None) => self.ended = true,
                Err(e) => return Err(broke(e, self.pos)),
            }
        }
        Ok(())
    }

    /// The rows of the window from `start`; past the end, the last ones.
    fn page(&self, start: u64, height: usize) -> Page {
        let from = self.kept_from();
        let end = self.pos;
        let start = start.min(end.saturating_sub(height as u64)).max(from);
        let skip = (start - from) as usize;
        Page {
            start,
            rows: self.kept.iter().skip(skip).take(height).cloned().collect(),
            total: self.ended.then_some(end),
        }
    }
}

/// One row's values, cut for the grid.
fn cells(row: &Row<'_>, width: usize, cut: bool) -> rusqlite::Result<Vec<Cell>> {
    (0..width)
        .map(|i| {
            if cut {
                Cell::at(row, 2 * i)
            } else {
                Ok(Cell::cut(row.get_ref(i)?, CELL_CHARS))
            }
        })
        .collect()
}
