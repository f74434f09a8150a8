//! The tasks list: the failed tasks, or the tasks a data finding names,
//! newest first, a page at a time.

use super::{App, Effect, Load, Overlay, TasksView};
use crate::store::read::documents::RowKey;
use crate::store::read::tasks::{PAGE, Task, TaskAnchor, TaskSelection};
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
use crate::tui::worker::{Failure, Request};

impl App {
    pub(super) fn open_tasks(&mut self, selection: TaskSelection, title: String) {
        self.overlay = Some(Overlay::Tasks(TasksView {
            title,
            selection,
            page: Load::Loading,
            anchor: TaskAnchor::Newest,
            before: 0,
            scroll: 0,
            ticket: 0,
        }));
        self.request_tasks(TaskAnchor::Newest);
    }

    pub(super) fn request_tasks(&mut self, anchor: TaskAnchor) {
        let ticket = self.requests.ticket();
        let Some(Overlay::Tasks(v)) = &mut self.overlay else {
            return;
        };
        v.ticket = ticket;
        v.anchor = anchor.clone();
        let selection = v.selection.clone();
        self.send(Request::Tasks {
            ticket,
            selection,
            anchor,
        });
    }

    /// The list read again from where it stands (the store changed).
    pub(super) fn reread_tasks(&mut self) {
        if let Some(Overlay::Tasks(v)) = &self.overlay {
            let anchor = v.anchor.clone();
            self.request_tasks(anchor);
        }
    }

    pub(super) fn update_tasks(&mut self, action: Action) {
        if matches!(action, Action::Copy | Action::CopyRow) {
            return self.copy_task(action);
        }
        if action == Action::Open {
            return self.open_task_document();
        }
        if let Some(Overlay::Tasks(v)) = &mut self.overlay {
            let effect = v.update(action);
            self.apply(effect);
        }
    }

    /// The task the list marks (▶), as the last frame drew it.
    pub(super) fn marked_task(&self) -> Option<&Task> {
        let Some(Overlay::Tasks(v)) = &self.overlay else {
            return None;
        };
        v.page.loaded()?.get(self.hits.task?)
    }

    /// y / Y: the marked task's id, or the task as JSON, read again whole.
    fn copy_task(&mut self, action: Action) {
        let Some(rowid) = self.marked_task().map(|t| t.key.rowid) else {
            return;
        };
        let Some(table) = self
            .store
            .inspection
            .loaded()
            .and_then(|i| crate::store::read::tasks::live_tasks(i))
            .map(|t| t.name.clone())
        else {
            return;
        };
        let column = (action == Action::Copy).then(|| "task_id".to_string());
        self.ask_copy(&table, RowKey::Rowid(rowid), action, column);
    }

    /// Enter: the document the marked task names, in the detail; the list
    /// waits for Back.
    fn open_task_document(&mut self) {
        let Some(target) = self.marked_task().and_then(|t| t.target.clone()) else {
            return self.say("the marked task's payload names no document");
        };
        let Some(rowid) = target.rowid else {
            return self.say(format!(
                "{} {} is not in documents",
                target.field,
                crate::text::cell(&target.value)
            ));
        };
        let Some(Overlay::Tasks(v)) = self.overlay.take() else {
            return;
        };
        self.go(Tab::Documents);
        self.show_document(rowid);
        self.overview.tasks_left = Some(v);
    }

    /// Back from the document a task named: the tasks list, as it was.
    /// False when the detail was not opened from it.
    pub(super) fn back_to_tasks(&mut self) -> bool {
        let Some(v) = self.overview.tasks_left.take() else {
            return false;
        };
        self.go(Tab::Overview);
        self.overlay = Some(Overlay::Tasks(v));
        true
    }

    pub(super) fn on_tasks(&mut self, ticket: u64, result: Result<Vec<Task>, Failure>) {
        let Some(Overlay::Tasks(v)) = &mut self.overlay else {
            return;
        };
        if v.ticket != ticket {
            return;
        }
        if let Ok(rows) = &result {
            if matches!(v.anchor, TaskAnchor::Before(_)) {
                v.before = v.before.saturating_sub(rows.len() as u64);
            }
            v.scroll = 0;
        }
        v.page.settle(result);
    }
}

impl TasksView {
    /// `]`/`[` ask for the older or newer page; Esc closes.
    pub(crate) fn update(&mut self, action: Action) -> Effect {
        let rows = self.page.loaded().map(Vec::as_slice).unwrap_or(&[]);
        let (first, last, n) = (rows.first(), rows.last(), rows.len());
        let anchor = match action {
            Action::Cancel | Action::Back | Action::Quit => return Effect::Close,
            Action::Older if n >= PAGE => last.map(|t| {
                self.before += n as u64;
                TaskAnchor::After(t.key.clone())
            }),
            Action::Older => return Effect::Say("no older tasks".into()),
            Action::Newer if self.before == 0 => return Effect::Say("no newer tasks".into()),
            Action::Newer if self.before <= PAGE as u64 => {
                self.before = 0;
                Some(TaskAnchor::Newest)
            }
            Action::Newer => first.map(|t| TaskAnchor::Before(t.key.clone())),
            _ => None,
        };
        anchor.map_or(Effect::Done, Effect::Tasks)
    }
}
