//! The Query tab: the SQL editor and its history; the statement's result a
//! window at a time (the session keeps the statement, see
//! `store::read::query::session`), its count beside it; Esc stops what runs.
//! Its state changes here only; what it asks of the session (a run, a
//! window, a stop) or of the app it returns as an `Effect`.

use super::super::text::shown;
use super::editor::SqlEditor;
use super::results::{Completing, PlanView};
use super::{Clip, Effect, GridState, Load, QueryResult, QueryState, cursor};
use crate::store::StoreError;
use crate::store::read::complete::{self, Named};
use crate::store::read::query::session::{Cmd, Said};
use crate::tui::keys::Action;
use std::time::Duration;

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
            moving: false,
            grid: GridState::default(),
            record: None,
            took: None,
            count: Load::Loading,
            counted: 0,
            running: Some(0),
            stale: false,
        }
    }
}

/// A window of `height` rows from `start`; the app gives it its ticket.
fn window(start: u64, height: usize) -> Effect {
    Effect::AskQuery(Cmd::Window {
        ticket: 0,
        start,
        height,
    })
}

impl QueryState {
    /// The tab is shown: with no result yet, the SQL line has the keys.
    pub(super) fn shown(&mut self) {
        if self.result.is_none() {
            self.editing = true;
        }
    }

    /// An action on the tab, `page` rows drawn, the screen `width` wide.
    pub(super) fn update(&mut self, action: Action, page: usize, width: u16) -> Effect {
        if self.editing {
            return self.update_sql(action);
        }
        let left_by_esc = std::mem::take(&mut self.left_by_esc);
        let Some(r) = self.result.as_mut() else {
            if matches!(action, Action::Cancel | Action::Open) {
                self.editing = true;
            }
            return Effect::Done;
        };
        if r.grid.act(action, width) {
            return Effect::Done;
        }
        let half = (page / 2).max(1) as i64;
        match action {
            Action::Down => self.move_by(1, false, page),
            Action::Up => self.move_by(-1, false, page),
            Action::PageDown => self.move_by(page as i64, true, page),
            Action::PageUp => self.move_by(-(page as i64), true, page),
            Action::HalfPageDown => self.move_by(half, true, page),
            Action::HalfPageUp => self.move_by(-half, true, page),
            Action::Top => {
                r.at = 0;
                r.moving = false;
                window(0, page)
            }
            Action::Bottom => {
                r.at = u64::MAX;
                r.moving = false;
                // With the count known, the rows before the last page are
                // passed without being read; else each may be one of them.
                match r.total() {
                    Some(t) => window(t.saturating_sub(page as u64), page),
                    None => Effect::AskQuery(Cmd::End {
                        ticket: 0,
                        height: page,
                    }),
                }
            }
            // Esc stops what runs; else it goes back to the editor, unless
            // it just left it (a second Esc never puts the keys there).
            Action::Cancel if r.busy() => {
                self.left_by_esc = true;
                Effect::StopQuery
            }
            Action::Cancel if !left_by_esc => {
                self.editing = true;
                Effect::Done
            }
            Action::Open => {
                if r.page.loaded().is_some_and(|p| r.selected < p.rows.len()) {
                    r.record = Some(0);
                }
                Effect::Done
            }
            Action::Copy | Action::CopyRow => self.copy(action),
            Action::Export => Effect::OpenExport,
            Action::Frequencies => Effect::OpenFrequencies,
            _ => Effect::Done,
        }
    }

    /// The SQL editor: typing, lines, the history, completion, the plan,
    /// running, leaving.
    fn update_sql(&mut self, action: Action) -> Effect {
        if action != Action::Complete {
            // Esc over Tab's choices closes them, and only them.
            if self.completing.take().is_some() && action == Action::Cancel {
                return Effect::Done;
            }
        }
        let running = self.result.as_ref().is_some_and(QueryResult::busy);
        match action {
            Action::Type(c) => self.editor.type_char(c),
            Action::Edit(e) => self.editor.edit(e),
            Action::NewLine => self.editor.newline(),
            Action::HistoryPrev if self.editor.up() => {}
            Action::HistoryNext if self.editor.down() => {}
            Action::HistoryPrev | Action::HistoryNext => self.step_history(action),
            Action::Submit => return self.run(),
            Action::ExplainPlan => return self.explain(),
            Action::EditOutside => return Effect::EditOutside(self.editor.text()),
            Action::Cancel if running => return Effect::StopQuery,
            Action::Cancel if self.plan.is_some() => self.plan = None,
            Action::Cancel => {
                self.editing = false;
                self.left_by_esc = true;
            }
            _ => {}
        }
        Effect::Done
    }

    /// Tab: the word before the cursor completed from `names` (the store's
    /// tables and their columns). Several choices: their common start
    /// first, then each in turn as Tab is pressed again.
    pub(super) fn complete(&mut self, names: &[Named]) -> Effect {
        if let Some(c) = self.completing.as_mut() {
            let next = c.at.map_or(0, |i| (i + 1) % c.options.len());
            let with = c.options[next].clone();
            self.editor.replace_before(c.len, &with);
            c.at = Some(next);
            c.len = with.len();
            return Effect::Done;
        }
        let text = self.editor.text();
        let Some(found) = complete::complete(names, &text, self.editor.offset()) else {
            return Effect::Say("nothing to complete here".into());
        };
        if let [one] = found.options.as_slice() {
            self.editor.replace_before(found.word.len(), one);
            return Effect::Done;
        }
        // Their common start (maybe just the word typed), and the list:
        // Tab again takes each in turn.
        let common = complete::common_start(&found.word, &found.options);
        self.editor.replace_before(found.word.len(), &common);
        self.completing = Some(Completing {
            options: found.options,
            at: None,
            len: common.len(),
        });
        Effect::Done
    }

    /// Asks for the statement's plan.
    fn explain(&mut self) -> Effect {
        let sql = self.editor.text().trim().to_string();
        if sql.is_empty() {
            return Effect::Say("type a statement first".into());
        }
        Effect::Explain(sql)
    }

    /// The plan is asked for under `ticket`.
    pub(super) fn explaining(&mut self, ticket: u64) {
        self.plan = Some(PlanView {
            ticket,
            lines: Load::Loading,
        });
    }

    /// The plan asked for under `ticket`, or why there is none.
    pub(super) fn explained(&mut self, ticket: u64, result: Result<Vec<String>, String>) {
        if let Some(p) = self.plan.as_mut().filter(|p| p.ticket == ticket) {
            p.lines = match result {
                Ok(lines) => Load::Loaded(lines),
                Err(e) => Load::Failed(e),
            };
        }
    }

    /// The statement as `$EDITOR` left it.
    pub(super) fn edited_outside(&mut self, text: &str) {
        self.editor = SqlEditor::with(text.trim_end_matches('\n'));
        self.editing = true;
        self.completing = None;
    }

    /// `sql` in the editor, run: what a filter from the grid asks.
    pub(super) fn run_sql(&mut self, sql: String) -> Effect {
        self.editor = SqlEditor::with(&sql);
        self.editing = true;
        self.run()
    }

    /// Text pasted into the editor: at the cursor, its lines kept.
    pub(super) fn paste(&mut self, text: &str) {
        if self.editing {
            self.completing = None;
            self.editor.paste(text);
        }
    }

    fn step_history(&mut self, action: Action) {
        let n = self.history.len();
        let to = match (action, self.hist_at) {
            (Action::HistoryPrev, None) if n > 0 => Some(n - 1),
            (Action::HistoryPrev, Some(i)) => Some(i.saturating_sub(1)),
            (Action::HistoryNext, Some(i)) if i + 1 < n => Some(i + 1),
            (Action::HistoryNext, Some(_)) => None,
            _ => return,
        };
        if self.hist_at.is_none() {
            self.draft = self.editor.text();
        }
        self.hist_at = to;
        let text = to.map_or(self.draft.clone(), |i| self.history[i].clone());
        self.editor = SqlEditor::with(&text);
    }

    /// Asks to run the statement typed (see `ran`).
    fn run(&mut self) -> Effect {
        let sql = self.editor.text().trim().to_string();
        if sql.is_empty() {
            return Effect::Say("type a statement first (only reading is allowed)".into());
        }
        let remember = self.history.last() != Some(&sql);
        if remember {
            self.history.push(sql.clone());
        }
        self.hist_at = None;
        self.editing = false;
        self.plan = None;
        Effect::RunSql { sql, remember }
    }

    /// The statement runs under `ticket`: its result is what is read now.
    pub(super) fn ran(&mut self, sql: String, ticket: u64) {
        self.result = Some(QueryResult::new(sql, ticket));
    }

    /// The newest request to the session went out under `ticket`.
    pub(super) fn asked(&mut self, ticket: u64) {
        if let Some(r) = self.result.as_mut() {
            r.ticket = ticket;
            r.running = Some(0);
        }
    }

    /// Moves the cursor `by` rows; a row off the page asks for its window:
    /// the page moved as far (`scroll`), or just far enough to show it.
    fn move_by(&mut self, by: i64, scroll: bool, page: usize) -> Effect {
        let Some(r) = self.result.as_mut() else {
            return Effect::Done;
        };
        let (start, n) = r.span();
        if n == 0 {
            return Effect::Done;
        }
        let now = if r.moving {
            r.at
        } else {
            start + r.selected as u64
        };
        let mut to = now.saturating_add_signed(by);
        if let Some(t) = r.total() {
            to = to.min(t.saturating_sub(1));
        }
        if to >= start && to < start + n as u64 && !r.moving {
            r.selected = (to - start) as usize;
            r.at = to;
            return Effect::Done;
        }
        let ended = r.page.loaded().is_some_and(|p| p.total.is_some());
        if to > now && ended && n < page && !r.moving {
            // The page already shows the last rows.
            r.selected = n - 1;
            r.at = start + r.selected as u64;
            return Effect::Done;
        }
        r.at = to;
        r.moving = true;
        let from = if scroll {
            start.saturating_add_signed(by).min(to)
        } else if to < start {
            to
        } else {
            to + 1 - page.min(to as usize + 1) as u64
        };
        window(from, page)
    }

    /// A click on the result, `pick` saying which row of the page it hit
    /// (from the row selected and the rows there are): that row is
    /// selected, and the result has the keys.
    pub(super) fn click(&mut self, pick: impl Fn(usize, usize) -> Option<usize>) {
        if let Some(r) = self.result.as_mut() {
            let (start, n) = r.span();
            if let Some(i) = pick(r.selected, n) {
                r.selected = i;
                r.at = start + i as u64;
                self.editing = false;
            }
        }
    }

    /// The page size drawn changed: the window is read again at that size,
    /// the selected row still selected.
    pub(super) fn refit(&self, page: usize) -> Effect {
        // A page that failed is not asked for again by itself: the same
        // read would fail again, frame after frame.
        let Some(r) = self.result.as_ref().filter(|r| r.page.loaded().is_some()) else {
            return Effect::Done;
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
            return window(start, page);
        }
        Effect::Done
    }

    /// What the session said of the statement run under `run`.
    pub(super) fn on_reply(&mut self, run: u64, said: Said) -> Effect {
        let Some(r) = self.result.as_mut().filter(|r| r.run == run) else {
            return Effect::Done;
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
                let effect = self.on_reply(run, Said::Page { ticket, page });
                if let Some(r) = self.result.as_mut() {
                    r.running = running;
                }
                return effect;
            }
            Said::Page { ticket, page } if ticket == r.ticket => {
                r.running = None;
                r.moving = false;
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
                    return Effect::Say("stopped".into());
                }
                return Effect::Say(format!(
                    "stopped after passing {} rows; the rows read stay",
                    crate::tui::text::grouped(rows)
                ));
            }
            Said::Failed { ticket, error } if ticket == r.ticket || ticket == r.run => {
                return self.failed(run, ticket, error);
            }
            _ => {}
        }
        Effect::Done
    }

    /// The statement or a request for it failed: where SQLite stopped
    /// reading, the SQL line's cursor goes.
    fn failed(&mut self, run: u64, ticket: u64, error: StoreError) -> Effect {
        let line = error.to_string();
        let Some(r) = self.result.as_mut() else {
            return Effect::Done;
        };
        r.running = None;
        if let StoreError::Sql { at: Some(n), .. } = error {
            let mut editor = SqlEditor::with(&r.sql);
            editor.go_to_char(n);
            self.editor = editor;
        }
        if ticket == run {
            self.editing = true;
        }
        match &mut self.result {
            Some(r) if matches!(r.page, Load::Loading) || ticket == run => {
                r.page = Load::Failed(line);
                Effect::Done
            }
            _ => Effect::Say(line),
        }
    }

    /// The count of the statement run under `run`, and how long the
    /// statement took to run through.
    pub(super) fn on_count(&mut self, run: u64, result: Result<(u64, Duration), String>) {
        if let Some(r) = self.result.as_mut().filter(|r| r.run == run) {
            r.count = match result {
                Ok((n, took)) => {
                    r.took = Some(took);
                    Load::Loaded(n)
                }
                Err(e) => Load::Failed(e),
            };
        }
    }

    /// The count of the statement run under `run` has passed `rows` rows.
    pub(super) fn on_counting(&mut self, run: u64, rows: u64) {
        if let Some(r) = self.result.as_mut().filter(|r| r.run == run) {
            r.counted = r.counted.max(rows);
        }
    }

    /// `y`/`Y` on a result: the value or row as held (a statement has no
    /// rowid to read a value again by); a value cut here is not copied.
    fn copy(&self, action: Action) -> Effect {
        let Some(r) = self.result.as_ref() else {
            return Effect::Done;
        };
        let Some(row) = r.page.loaded().and_then(|p| p.rows.get(r.selected)) else {
            return Effect::Done;
        };
        let n = r.span().0 + r.selected as u64 + 1;
        let got = match action {
            Action::Copy => {
                let col = r.grid.col;
                let name = crate::text::cell(r.names.get(col).map_or("", String::as_str));
                row.get(col).map(|c| {
                    (
                        crate::store::values::cell_bytes(c),
                        format!("{name} of row {}", crate::tui::text::grouped(n)),
                    )
                })
            }
            _ => Some((
                crate::store::values::cells_json(&r.names, row),
                format!("row {} as JSON", crate::tui::text::grouped(n)),
            )),
        };
        match got {
            Some((Ok(bytes), what)) => Effect::Copy(Clip { bytes, what }),
            Some((Err(why), _)) => Effect::Say(format!("nothing copied: {why}")),
            None => Effect::Done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Effect, QueryState};
    use crate::store::read::query::session::Cmd;
    use crate::tui::keys::Action;

    fn typed(sql: &str) -> QueryState {
        let mut q = QueryState::default();
        q.shown();
        for c in sql.chars() {
            assert!(matches!(q.update(Action::Type(c), 10, 80), Effect::Done));
        }
        q
    }

    #[test]
    fn the_sql_line_asks_to_run_and_remembers_each_statement_once() {
        let mut q = typed(" SELECT 1 ");
        let Effect::RunSql { sql, remember } = q.update(Action::Submit, 10, 80) else {
            panic!("Enter runs the statement");
        };
        assert_eq!((sql.as_str(), remember), ("SELECT 1", true));
        assert!(!q.editing, "the result has the keys");
        q.ran(sql, 7);
        assert_eq!(q.result.as_ref().map(|r| r.run), Some(7));
        q.editing = true;
        let again = q.update(Action::Submit, 10, 80);
        assert!(matches!(
            again,
            Effect::RunSql {
                remember: false,
                ..
            }
        ));
        assert_eq!(q.history, ["SELECT 1"]);
        let mut empty = typed("  ");
        assert!(matches!(
            empty.update(Action::Submit, 10, 80),
            Effect::Say(_)
        ));
    }

    #[test]
    fn a_result_asks_its_session_for_windows_and_esc_stops_it() {
        let mut q = typed("SELECT 1");
        let Effect::RunSql { sql, .. } = q.update(Action::Submit, 10, 80) else {
            panic!("Enter runs the statement");
        };
        q.ran(sql, 1);
        // Counting: Esc stops, it does not leave for the SQL line.
        assert!(matches!(
            q.update(Action::Cancel, 10, 80),
            Effect::StopQuery
        ));
        assert!(!q.editing);
        let asked = q.update(Action::Bottom, 10, 80);
        assert!(matches!(
            asked,
            Effect::AskQuery(Cmd::End { height: 10, .. })
        ));
        q.asked(5);
        let r = q.result.as_ref().map(|r| (r.ticket, r.running));
        assert_eq!(r, Some((5, Some(0))));
        assert!(matches!(
            q.update(Action::Export, 10, 80),
            Effect::OpenExport
        ));
    }
}
