//! Carrying out what a feature's update asked for (see `effect`).

use super::App;
use super::effect::Effect;
use crate::tui::worker::Request;

impl App {
    /// The statement back from `$EDITOR`, or why it is not.
    pub fn edited_outside(&mut self, got: anyhow::Result<String>) {
        match got {
            Ok(sql) => {
                self.query.edited_outside(&sql);
                self.say("the statement as edited (Enter runs it)");
            }
            Err(e) => self.say(format!("{e:#}")),
        }
    }

    /// Carries out what a feature's update asked for.
    pub(super) fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Done => {}
            Effect::Close => self.overlay = None,
            Effect::Closed(why) => {
                self.overlay = None;
                self.say(why);
            }
            Effect::Pass(action) => {
                self.overlay = None;
                self.update(action);
            }
            Effect::ListRows(rows) => {
                self.overlay = None;
                self.list_rows(rows);
            }
            Effect::Say(text) => self.say(text),
            Effect::Quit => self.quit = true,
            Effect::Columns(chosen) => {
                self.overlay = None;
                if chosen != self.docs.query.columns {
                    self.docs.query.columns = chosen;
                    self.rewindow();
                }
            }
            Effect::Filter(from, filter) => {
                self.overlay = None;
                self.filter_by_value(from, filter);
            }
            Effect::Preview(title, ask) => self.preview_change(title, ask),
            Effect::OpenExport => self.open_export(),
            Effect::OpenFrequencies => self.open_frequencies(),
            Effect::EditCell => self.edit_cell(),
            Effect::FixFinding => self.fix_finding(),
            Effect::StopChecks => self.stop_checks(),
            Effect::OpenMessage { key, row } => self.open_message(&key, &row),
            Effect::CloseDetail => self.close_detail(),
            Effect::OpenDocument(rowid) => self.show_document(rowid),
            Effect::FollowList => self.follow_list(),
            Effect::OpenChooser => self.open_chooser(),
            Effect::OpenPicker(column) => self.open_picker(column),
            Effect::Pick(column, picked) => self.pick(column, picked),
            Effect::StepDocument(dir) => self.step_document(dir),
            Effect::DeleteRow => self.delete_row(),
            Effect::Tasks(anchor) => self.request_tasks(anchor),
            Effect::OpenTasks(selection, title) => self.open_tasks(selection, title),
            Effect::Snapshot(snap, cache) => self.open_snapshot(*snap, cache),
            Effect::Start(job) => {
                self.message.clear();
                self.requests.outbox.push(*job);
            }
            Effect::RunSql { sql, remember } => {
                self.message.clear();
                if remember {
                    self.requests.history.push(sql.clone());
                }
                let ticket = self.requests.run_query(sql.clone(), self.page());
                self.query.ran(sql, ticket);
            }
            Effect::AskQuery(cmd) => {
                let ticket = self.requests.ask_query(cmd);
                self.query.asked(ticket);
            }
            Effect::Explain(sql) => {
                let ticket = self.requests.ticket();
                self.requests.send(Request::Explain { ticket, sql });
                self.query.explaining(ticket);
            }
            Effect::EditOutside(sql) => self.requests.outside = Some(sql),
            Effect::StopQuery => {
                self.requests.stop_query();
                self.say("stopping");
            }
            Effect::Copy(clip) => self.requests.clip = Some(clip),
        }
    }
}
