//! Changes from the app (DESIGN §10): `E` edits the grid's cell, `D`
//! deletes its row, `x` fixes what the picked finding's rule repairs, `u`
//! takes the last change of this run back. Each is previewed (recorded and
//! rolled back) in the change dialog; only `y` there commits it.

use super::search::edit_request;
use super::{App, CellEditor, ChangeDialog, ChangePhase, Effect, Overlay};
use crate::store::change::{self, Committed, TableCount};
use crate::store::inspection::finding::Finding;
use crate::store::values::Editable;
use crate::text;
use crate::tui::keys::Action;
use crate::tui::mode::Mode;
use crate::tui::worker::{ChangeAsk, Failure, Job, Previewed, Reply, Request};
use tui_input::{Input, InputRequest};

/// The row and column under a grid's cursor, when a change can find the
/// row again (a table's rowid).
struct Target {
    table: String,
    rowid: i64,
    column: Option<String>,
}

impl App {
    /// The row under the cursor of Documents or a browsed table, by rowid.
    fn target(&self) -> Option<Target> {
        match self.mode() {
            Mode::Documents => {
                let row = self.docs.rows.loaded()?.get(self.docs.selected)?;
                Some(Target {
                    table: "documents".into(),
                    rowid: row.key.rowid.rowid()?,
                    column: self.docs.grid.current().map(str::to_string),
                })
            }
            Mode::Browse => {
                let b = self.tables.browse.as_ref()?;
                let rowid = b.page.loaded()?.rows.get(b.selected)?.0?;
                Some(Target {
                    table: b.table.clone(),
                    rowid,
                    column: b.grid.current().map(str::to_string),
                })
            }
            _ => None,
        }
    }

    /// Whether `E` and `D` can change the row under the cursor.
    pub(crate) fn row_changeable(&self) -> bool {
        self.store.writable.is_ok() && self.target().is_some()
    }

    /// Whether the picked finding is one `x` repairs.
    pub(crate) fn finding_fixable(&self) -> bool {
        self.store.writable.is_ok() && self.picked().is_some_and(change::repairs)
    }

    fn picked(&self) -> Option<&Finding> {
        let i = self.overview.finding?;
        self.store.data.as_ref()?.loaded()?.get(i)
    }

    /// Whether a change is being recorded for its preview (a large one
    /// may touch the file as it rolls back: no write to react to).
    pub(crate) fn previewing(&self) -> bool {
        matches!(&self.overlay, Some(Overlay::Change(d)) if matches!(d.phase, ChangePhase::Previewing))
    }

    /// Whether `u` has a change of this run to take back.
    pub(crate) fn can_undo(&self) -> bool {
        self.store.writable.is_ok() && self.undo.is_some()
    }

    /// Says why a change cannot be made here, if it cannot.
    fn refuses_change(&mut self, what: &str) -> bool {
        match self.store.writable.clone() {
            Err(why) => {
                self.say(format!("{what} is unavailable: {why}"));
                true
            }
            Ok(()) => false,
        }
    }

    /// `E`: the line editor on the cell under the cursor, once its whole
    /// value is read.
    pub(super) fn edit_cell(&mut self) {
        if self.refuses_change("edit") {
            return;
        }
        let Some(Target {
            table,
            rowid,
            column: Some(column),
        }) = self.target()
        else {
            return self.say("edit: this row has no rowid to find it by; change it with `exec`");
        };
        let ticket = self.requests.ticket();
        self.send(Request::EditValue {
            ticket,
            table: table.clone(),
            rowid: crate::store::read::documents::RowKey::Rowid(rowid),
            column: column.clone(),
        });
        self.overlay = Some(Overlay::Edit(CellEditor {
            table,
            rowid,
            column,
            input: None,
            null: false,
            error: None,
            ticket,
        }));
    }

    /// `D`: the row under the cursor deleted, previewed first.
    pub(super) fn delete_row(&mut self) {
        if self.refuses_change("delete") {
            return;
        }
        let Some(t) = self.target() else {
            return self.say("delete: this row has no rowid to find it by; change it with `exec`");
        };
        let title = format!("delete rowid {} of {}", t.rowid, text::cell(&t.table));
        self.preview_change(
            title,
            ChangeAsk::Delete {
                table: t.table,
                rowid: t.rowid,
            },
        );
    }

    /// `x`: what fix repairs of the picked finding's rule, previewed first.
    pub(super) fn fix_finding(&mut self) {
        if self.refuses_change("fix") {
            return;
        }
        let picked = self
            .picked()
            .map(|f| (f.code, f.rule.clone(), change::repairs(f)));
        match picked {
            Some((code, rule, true)) => {
                let rule = rule
                    .map(|r| format!(" ({})", text::cell(&r)))
                    .unwrap_or_default();
                self.preview_change(format!("fix {}{rule}", code.label()), ChangeAsk::Fix(code))
            }
            Some((code, _, false)) => self.say(format!(
                "fix: {} needs a person; Enter lists its rows",
                code.label()
            )),
            None => {}
        }
    }

    /// `u`: the last change of this run taken back, previewed first.
    pub(super) fn undo_last(&mut self) {
        if self.refuses_change("undo") {
            return;
        }
        if let Some(file) = self.undo.clone() {
            self.preview_change("undo the last change".into(), ChangeAsk::Undo(file));
        }
    }

    /// The change dialog opens while `ask` is previewed.
    pub(super) fn preview_change(&mut self, title: String, ask: ChangeAsk) {
        let ticket = self.requests.ticket();
        self.overlay = Some(Overlay::Change(ChangeDialog {
            title,
            ask: ask.clone(),
            phase: ChangePhase::Previewing,
            scroll: 0,
            ticket,
        }));
        self.requests.outbox.push(Job::Change { ticket, ask });
    }

    /// The store changed while a preview waits for a yes or no: it may no
    /// longer be the change that would be made, so it is made again.
    ///
    /// A row picked on screen (E, D) is found by its rowid, which another
    /// process may have given to another row meanwhile: that preview is
    /// not made again but ended, nothing written, and the row is picked
    /// again from the grid as it is now. So is an edit being typed.
    pub(super) fn repreview(&mut self) {
        let why = "the store changed on disk: nothing was written; pick the row again";
        match &mut self.overlay {
            Some(Overlay::Edit(_)) => {
                self.overlay = None;
                self.say(why);
            }
            Some(Overlay::Change(d))
                if matches!(d.phase, ChangePhase::Preview(_) | ChangePhase::Previewing) =>
            {
                if matches!(d.ask, ChangeAsk::Edit { .. } | ChangeAsk::Delete { .. }) {
                    d.phase = ChangePhase::Done(Err(why.into()));
                    return self.say(why);
                }
                let (title, ask) = (d.title.clone(), d.ask.clone());
                self.preview_change(title, ask);
                self.say("the store changed: the preview was made again");
            }
            _ => {}
        }
    }

    pub(super) fn update_edit(&mut self, action: Action) {
        if let Some(Overlay::Edit(e)) = &mut self.overlay {
            let effect = e.update(action);
            self.apply(effect);
        }
    }

    pub(super) fn update_change(&mut self, action: Action) {
        if let Some(Overlay::Change(d)) = &mut self.overlay {
            let effect = d.update(action);
            self.apply(effect);
        }
    }

    /// A change's value, preview or commit came back.
    pub(super) fn on_change_reply(&mut self, reply: Reply) {
        match reply {
            Reply::EditValue { ticket, result } => self.on_edit_value(ticket, result),
            Reply::ChangePreview { ticket, result } => self.on_preview(ticket, result),
            Reply::ChangeCommitted(result, stamp) => {
                // The app's own write is no news when the file is looked at.
                self.stamp = Some(stamp);
                self.on_committed(result)
            }
            _ => {}
        }
    }

    fn on_edit_value(&mut self, ticket: u64, result: Result<Editable, Failure>) {
        let Some(Overlay::Edit(e)) = &mut self.overlay else {
            return;
        };
        if e.ticket != ticket {
            return;
        }
        let why = match result {
            Ok(Editable::Null) => {
                e.null = true;
                e.input = Some(Input::default());
                return;
            }
            Ok(Editable::Text(t)) => {
                e.input = Some(Input::new(t));
                return;
            }
            Ok(Editable::Refused(why)) => why,
            Err(Failure::Locked) => {
                "another process holds a lock on the store; try again".to_string()
            }
            Err(e) => e.to_string(),
        };
        self.overlay = None;
        self.say(format!("edit: {why}"));
    }

    fn on_preview(&mut self, ticket: u64, result: Result<Previewed, String>) {
        let Some(Overlay::Change(d)) = &mut self.overlay else {
            return;
        };
        if d.ticket != ticket || !matches!(d.phase, ChangePhase::Previewing) {
            return;
        }
        if let Ok(p) = &result {
            self.stamp = Some(p.stamp);
        }
        let Some(Overlay::Change(d)) = &mut self.overlay else {
            return;
        };
        match result {
            Ok(p) if p.preview.rows == 0 && p.preview.left.is_empty() => {
                self.overlay = None;
                self.say("nothing to change: the store stays as it is");
            }
            Ok(p) => d.phase = ChangePhase::Preview(p),
            Err(e) => d.phase = ChangePhase::Done(Err(e)),
        }
    }

    fn on_committed(&mut self, result: Result<Committed, String>) {
        let said = match &result {
            Ok(c) => {
                if c.undo.is_some() {
                    self.undo = c.undo.clone();
                }
                committed(
                    c,
                    &self.keys.short(crate::tui::keys::Ctx::Global, Action::Undo),
                )
            }
            Err(e) => format!("not changed: {e}"),
        };
        self.say(said.clone());
        if let Some(Overlay::Change(d)) = &mut self.overlay {
            d.phase = ChangePhase::Done(result.map(|_| said));
        }
        // A statement's result was read before the change.
        if let Some(q) = self.query.result.as_mut() {
            q.stale = true;
        }
        self.refresh();
        self.reread_browse();
    }
}

/// What a committed change did, as the status line says it.
fn committed(c: &Committed, undo_key: &str) -> String {
    let rows = match c.rows {
        1 => "1 row".to_string(),
        n => format!("{} rows", crate::tui::text::grouped(n)),
    };
    let mut s = format!(
        "committed: {rows} changed ({})",
        TableCount::summary(&c.tables)
    );
    if let Some(u) = &c.undo {
        s.push_str(&format!(
            "; {undo_key} takes it back (undo file {})",
            text::cell(&u.to_string_lossy())
        ));
    }
    s
}

impl CellEditor {
    /// Typing edits the value; Ctrl-N makes it NULL; Enter previews the
    /// change when the value may be offered; Esc closes.
    pub(crate) fn update(&mut self, action: Action) -> Effect {
        let Some(input) = self.input.as_mut() else {
            // The value is still being read.
            return match action {
                Action::Cancel => Effect::Close,
                _ => Effect::Done,
            };
        };
        let request = match action {
            Action::Cancel => return Effect::Closed("not edited: nothing was written".into()),
            Action::SetNull => {
                self.null = true;
                self.error = None;
                *input = Input::default();
                return Effect::Done;
            }
            Action::Submit => return self.submit(),
            Action::Type(c) => InputRequest::InsertChar(c),
            Action::Edit(e) => edit_request(e),
            _ => return Effect::Done,
        };
        self.null = false;
        self.error = None;
        input.handle(request);
        Effect::Done
    }

    fn submit(&mut self) -> Effect {
        let value = match (&self.input, self.null) {
            (_, true) => None,
            (Some(i), false) => Some(i.value().to_string()),
            (None, false) => return Effect::Done,
        };
        if let Some(v) = &value
            && let Err(e) = change::check_value(&self.table, &self.column, v)
        {
            self.error = Some(e.to_string());
            return Effect::Done;
        }
        let title = format!(
            "edit {} of rowid {} in {}",
            text::cell(&self.column),
            self.rowid,
            text::cell(&self.table)
        );
        Effect::Preview(
            title,
            ChangeAsk::Edit {
                table: self.table.clone(),
                rowid: self.rowid,
                column: self.column.clone(),
                value,
            },
        )
    }
}

impl ChangeDialog {
    /// y commits a preview with rows; Esc closes, or cancels a commit;
    /// once it has ended, the keys of the screen under it close it and act.
    pub(crate) fn update(&mut self, action: Action) -> Effect {
        match (&self.phase, action) {
            (ChangePhase::Committing { cancel }, Action::Cancel | Action::Quit) => {
                cancel.cancel();
                Effect::Say("cancelling: rolling back".into())
            }
            (ChangePhase::Committing { .. }, _) => Effect::Done,
            (ChangePhase::Preview(p), Action::Confirm) if p.preview.rows > 0 => {
                let cancel = crate::store::cancel::Canceller::new();
                let job = Job::Commit {
                    preview: p.preview.clone(),
                    cancel: cancel.clone(),
                };
                self.phase = ChangePhase::Committing { cancel };
                Effect::Start(Box::new(job))
            }
            (ChangePhase::Preview(p), Action::Cancel) if p.preview.rows > 0 => {
                Effect::Closed("not applied: nothing was written".into())
            }
            (_, Action::Cancel) => Effect::Close,
            (ChangePhase::Preview(p), _) if p.preview.rows > 0 => Effect::Done,
            (_, action) => Effect::Pass(action),
        }
    }

    /// Whether it waits for a yes or no.
    pub(crate) fn confirms(&self) -> bool {
        matches!(&self.phase, ChangePhase::Preview(p) if p.preview.rows > 0)
    }
}
