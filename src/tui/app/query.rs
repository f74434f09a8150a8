//! The Query tab: the SQL line and its history; the statement's result a
//! window at a time (the session keeps the statement, see
//! `store::read::query::session`), its count beside it; Esc stops what runs.

use super::super::text::shown;
use super::{App, Clip, GridState, Load, QueryResult, cursor};
use crate::store::StoreError;
use crate::store::read::query::session::{Cmd, Said};
use crate::tui::keys::Action;
use crate::tui::messages::QueryJob;
use crate::tui::tab::Tab;
use crate::tui::worker::Job;
use std::sync::atomic::Ordering;
use tui_input::{Input, InputRequest};

impl QueryResult {
    /// A result just asked for: nothing read yet, counting.
    pub(super) fn new(sql: String, run: u64) -> QueryResult {
        QueryResult {
            sql,
            run,
            ticket: run,
            names: Vec::new(),
            page: Load::Loading,
            shown: Vec::new(),
            selected: 0,
            at: 0,
            grid: GridState::default(),
            count: Load::Loading,
            running: Some(0),
            stale: false,
        }
    }
}

/// The longest statement the SQL line takes, in characters.
const SQL_CHARS: usize = 100_000;

impl App {
    /// `:`: the Query tab, the SQL line in hand.
    pub(super) fn edit_sql(&mut self) {
        self.go(Tab::Query);
        self.query.editing = true;
    }

    pub(super) fn update_query(&mut self, action: Action) {
        if self.query.editing {
            return self.update_sql(action);
        }
        let page = self.page();
        let room = self.size.0;
        let Some(r) = self.query.result.as_mut() else {
            if matches!(action, Action::Cancel | Action::Open) {
                self.query.editing = true;
            }
            return;
        };
        if r.grid.act(action, room) {
            return;
        }
        let half = (page / 2).max(1) as i64;
        match action {
            Action::Down => self.move_query(1, false),
            Action::Up => self.move_query(-1, false),
            Action::PageDown => self.move_query(page as i64, true),
            Action::PageUp => self.move_query(-(page as i64), true),
            Action::HalfPageDown => self.move_query(half, true),
            Action::HalfPageUp => self.move_query(-half, true),
            Action::Top => {
                r.at = 0;
                self.ask_query(Cmd::Window {
                    ticket: 0,
                    start: 0,
                    height: page,
                });
            }
            Action::Bottom => {
                r.at = u64::MAX;
                // With the count known, the rows before the last page are
                // passed without being read; else each may be one of them.
                let cmd = match r.total() {
                    Some(t) => Cmd::Window {
                        ticket: 0,
                        start: t.saturating_sub(page as u64),
                        height: page,
                    },
                    None => Cmd::End {
                        ticket: 0,
                        height: page,
                    },
                };
                self.ask_query(cmd);
            }
            // Esc stops what runs and nothing else: the SQL line is `:` or
            // Enter away, so a second Esc never puts the keys in it.
            Action::Cancel if r.busy() => self.stop_query(),
            Action::Copy | Action::CopyRow => self.copy_from_query(action),
            Action::Export => self.open_export(),
            Action::Frequencies => self.open_frequencies(),
            _ => {}
        }
    }

    /// The SQL line: typing, the history, running, leaving.
    fn update_sql(&mut self, action: Action) {
        let running = self.query.result.as_ref().is_some_and(QueryResult::busy);
        let q = &mut self.query;
        match action {
            Action::Type(c)
                if q.input.value().chars().count() < SQL_CHARS && !crate::text::is_hostile(c) =>
            {
                q.input.handle(InputRequest::InsertChar(c));
            }
            Action::Edit(e) => {
                q.input.handle(super::docs::edit_request(e));
            }
            Action::HistoryPrev | Action::HistoryNext => self.step_history(action),
            Action::Submit => self.run_query(),
            Action::Cancel if running => self.stop_query(),
            Action::Cancel => q.editing = false,
            _ => {}
        }
    }

    /// Text pasted into the SQL line: on one line, at the cursor.
    pub fn paste(&mut self, text: &str) {
        if self.tab != Tab::Query || !self.query.editing || self.overlay.is_some() {
            return;
        }
        let input = &self.query.input;
        let value = input.value();
        let room = SQL_CHARS.saturating_sub(value.chars().count());
        let pasted: String = crate::tui::history::one_line(text)
            .chars()
            .take(room)
            .collect();
        let at = value
            .char_indices()
            .nth(input.cursor())
            .map_or(value.len(), |(i, _)| i);
        let cursor = input.cursor() + pasted.chars().count();
        let joined = format!("{}{pasted}{}", &value[..at], &value[at..]);
        self.query.input = Input::new(joined).with_cursor(cursor);
    }

    fn step_history(&mut self, action: Action) {
        let q = &mut self.query;
        let n = q.history.len();
        let to = match (action, q.hist_at) {
            (Action::HistoryPrev, None) if n > 0 => Some(n - 1),
            (Action::HistoryPrev, Some(i)) => Some(i.saturating_sub(1)),
            (Action::HistoryNext, Some(i)) if i + 1 < n => Some(i + 1),
            (Action::HistoryNext, Some(_)) => None,
            _ => return,
        };
        if q.hist_at.is_none() {
            q.draft = q.input.value().to_string();
        }
        q.hist_at = to;
        let text = to.map_or(q.draft.clone(), |i| q.history[i].clone());
        q.input = Input::new(text);
    }

    /// Runs the statement typed: a session of its own, a count beside it.
    fn run_query(&mut self) {
        let sql = self.query.input.value().trim().to_string();
        if sql.is_empty() {
            return self.say("type a statement first (only reading is allowed)");
        }
        let ticket = self.requests.ticket();
        let latest = &self.requests.latest;
        latest.query.store(ticket, Ordering::SeqCst);
        latest.query_run.store(ticket, Ordering::SeqCst);
        let height = self.page();
        let q = &mut self.query;
        if q.history.last() != Some(&sql) {
            q.history.push(sql.clone());
            self.requests.history.push(sql.clone());
        }
        q.hist_at = None;
        q.editing = false;
        q.result = Some(QueryResult::new(sql.clone(), ticket));
        self.message.clear();
        self.requests.outbox.push(Job::Query(QueryJob::Run {
            ticket,
            sql,
            height,
        }));
    }

    /// Moves the cursor `by` rows; a row off the page asks for its window:
    /// the page moved as far (`scroll`), or just far enough to show it.
    fn move_query(&mut self, by: i64, scroll: bool) {
        let page = self.page();
        let Some(r) = self.query.result.as_mut() else {
            return;
        };
        let (start, n) = r.span();
        if n == 0 {
            return;
        }
        let now = start + r.selected as u64;
        let mut to = now.saturating_add_signed(by);
        if let Some(t) = r.total() {
            to = to.min(t.saturating_sub(1));
        }
        if to >= start && to < start + n as u64 {
            r.selected = (to - start) as usize;
            r.at = to;
            return;
        }
        let ended = r.page.loaded().is_some_and(|p| p.total.is_some());
        if to > now && ended && n < page {
            // The page already shows the last rows.
            r.selected = n - 1;
            return;
        }
        r.at = to;
        let from = if scroll {
            start.saturating_add_signed(by).min(to)
        } else if to < start {
            to
        } else {
            to + 1 - page.min(to as usize + 1) as u64
        };
        self.ask_query(Cmd::Window {
            ticket: 0,
            start: from,
            height: page,
        });
    }

    /// Sends `cmd` to the session under a new ticket (an older request
    /// still running is moot).
    fn ask_query(&mut self, cmd: Cmd) {
        let ticket = self.requests.ticket();
        self.requests.latest.query.store(ticket, Ordering::SeqCst);
        let cmd = match cmd {
            Cmd::Window { start, height, .. } => Cmd::Window {
                ticket,
                start,
                height,
            },
            Cmd::End { height, .. } => Cmd::End { ticket, height },
        };
        if let Some(r) = self.query.result.as_mut() {
            r.ticket = ticket;
            r.running = Some(0);
        }
        self.requests.outbox.push(Job::Query(QueryJob::Cmd(cmd)));
    }

    /// Esc: what runs for the statement stops (its reading and its count).
    fn stop_query(&mut self) {
        let newest = self.requests.latest.query.load(Ordering::SeqCst);
        self.requests
            .latest
            .query_stop
            .store(newest, Ordering::SeqCst);
        self.say("stopping");
    }

    /// The page size drawn changed: the window is read again at that size,
    /// the selected row still selected.
    pub(super) fn refit_query(&mut self) {
        let page = self.page();
        let Some(r) = self.query.result.as_ref() else {
            return;
        };
        let (start, n) = r.span();
        let total = r.page.loaded().and_then(|p| p.total);
        // A window that no longer fills the page: read on, or at the end
        // of the rows, start earlier so the last page is full again.
        let short = n < page && total.is_none_or(|t| start + (n as u64) < t || start > 0);
        if (n > page || short) && r.running.is_none() {
            let start = match total {
                Some(t) if n < page => start.min(t.saturating_sub(page as u64)),
                _ => cursor::refit_start(start, r.selected, page),
            };
            self.ask_query(Cmd::Window {
                ticket: 0,
                start,
                height: page,
            });
        }
    }

    pub(super) fn on_query_reply(&mut self, run: u64, said: Said) {
        let Some(r) = self.query.result.as_mut().filter(|r| r.run == run) else {
            return;
        };
        match said {
            Said::Columns(names) => r.names = names,
            Said::Passing { ticket, rows } if ticket == r.ticket => r.running = Some(rows),
            // Only while the page on screen has fewer rows: a page shown
            // stays until the whole next one comes.
            Said::Partial { ticket, page }
                if ticket == r.ticket
                    && (!matches!(r.page, Load::Loaded(_)) || r.shown.len() < page.rows.len()) =>
            {
                let running = r.running;
                self.on_query_reply(run, Said::Page { ticket, page });
                if let Some(r) = self.query.result.as_mut() {
                    r.running = running;
                }
            }
            Said::Page { ticket, page } if ticket == r.ticket => {
                r.running = None;
                let n = page.rows.len();
                let at =
                    r.at.clamp(page.start, page.start + n.saturating_sub(1) as u64);
                r.selected = (at - page.start) as usize;
                r.at = at;
                r.shown = page
                    .rows
                    .iter()
                    .map(|row| row.iter().map(shown).collect())
                    .collect();
                r.grid.fit(&r.names, &r.shown);
                if let Some(t) = page.total {
                    r.count = Load::Loaded(t);
                }
                r.page = Load::Loaded(page);
            }
            Said::Stopped { ticket, rows } if ticket == r.ticket => {
                r.running = None;
                if matches!(r.page, Load::Loading) {
                    r.page = Load::Failed("stopped before a row came (: to edit the statement, Enter to run it again)".into());
                    self.say("stopped");
                } else {
                    self.say(format!(
                        "stopped after passing {rows} rows; the rows read stay"
                    ));
                }
            }
            Said::Failed { ticket, error } if ticket == r.ticket || ticket == r.run => {
                r.running = None;
                let line = error.to_string();
                if let StoreError::Sql { at: Some(n), .. } = error {
                    // The cursor goes where SQLite stopped reading.
                    let mut input = Input::new(r.sql.clone());
                    input.handle(InputRequest::GoToStart);
                    for _ in 1..n {
                        input.handle(InputRequest::GoToNextChar);
                    }
                    self.query.input = input;
                }
                if ticket == run {
                    self.query.editing = true;
                }
                match &mut self.query.result {
                    Some(r) if matches!(r.page, Load::Loading) || ticket == run => {
                        r.page = Load::Failed(line);
                    }
                    _ => self.say(line),
                }
            }
            _ => {}
        }
    }

    pub(super) fn on_query_count(&mut self, run: u64, result: Result<u64, String>) {
        if let Some(r) = self.query.result.as_mut().filter(|r| r.run == run) {
            r.count = match result {
                Ok(n) => Load::Loaded(n),
                Err(e) => Load::Failed(e),
            };
        }
    }

    /// `y`/`Y` on a result: the value or row as held (a statement has no
    /// rowid to read a value again by); a value cut here is not copied.
    fn copy_from_query(&mut self, action: Action) {
        let Some(r) = self.query.result.as_ref() else {
            return;
        };
        let Some(row) = r.page.loaded().and_then(|p| p.rows.get(r.selected)) else {
            return;
        };
        let n = r.span().0 + r.selected as u64 + 1;
        let got = match action {
            Action::Copy => {
                let col = r.grid.col;
                let name = crate::text::cell(r.names.get(col).map_or("", String::as_str));
                row.get(col).map(|c| {
                    (
                        crate::store::values::cell_bytes(c),
                        format!("{name} of row {n}"),
                    )
                })
            }
            _ => Some((
                crate::store::values::cells_json(&r.names, row),
                format!("row {n} as JSON"),
            )),
        };
        match got {
            Some((Ok(bytes), what)) => self.requests.clip = Some(Clip { bytes, what }),
            Some((Err(why), _)) => self.say(format!("nothing copied: {why}")),
            None => {}
        }
    }
}
