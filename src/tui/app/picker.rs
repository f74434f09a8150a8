//! `t`/`s` in Documents: a picker of every doc_type or status the store
//! holds, with its count (read on the scan worker); typing narrows it,
//! Space picks several, Enter keeps them (none: no filter).

use super::search::edit_request;
use super::{App, Effect, Load, Overlay, Picker, cursor};
use crate::store::read::filters::Picked;
use crate::tui::keys::Action;
use crate::tui::worker::{Failure, Request};
use tui_input::InputRequest;

/// The longest text the picker's filter takes, in characters.
const TYPED_CHARS: usize = 100;

impl App {
    pub(super) fn open_picker(&mut self, column: &'static str) {
        let picked = match column {
            "doc_type" => self.docs.query.doc_type.0.clone(),
            _ => self.docs.query.status.0.clone(),
        };
        let ticket = self.requests.ticket();
        self.overlay = Some(Overlay::Picker(Picker {
            column,
            values: Load::Loading,
            picked,
            input: tui_input::Input::default(),
            selected: 0,
            ticket,
        }));
        self.send(Request::Values { ticket, column });
    }

    /// The store was read again (a write, a lock let go): the picker's
    /// counts too, what it shows kept until they come.
    pub(super) fn reread_picker(&mut self) {
        let ticket = self.requests.ticket();
        if let Some(Overlay::Picker(p)) = &mut self.overlay {
            p.ticket = ticket;
            let column = p.column;
            self.send(Request::Values { ticket, column });
        }
    }

    pub(super) fn update_picker(&mut self, action: Action) {
        let page = self.top_page();
        if let Some(Overlay::Picker(p)) = &mut self.overlay {
            let effect = p.update(action, page);
            self.apply(effect);
        }
    }

    pub(super) fn on_values(
        &mut self,
        ticket: u64,
        result: Result<Vec<(Option<String>, u64)>, Failure>,
    ) {
        if let Some(Overlay::Picker(p)) = &mut self.overlay
            && p.ticket == ticket
        {
            p.values.settle(result);
        }
    }

    /// Text pasted into the picker's filter, one line of it.
    pub(super) fn paste_picker(&mut self, text: &str) {
        for c in crate::text::one_line(text).chars() {
            self.update_picker(Action::Type(c));
        }
    }

    /// Enter in a picker: Documents keeps what was picked, read afresh.
    pub(super) fn pick(&mut self, column: &'static str, picked: Picked) {
        self.overlay = None;
        let q = &mut self.docs.query;
        let filter = if column == "doc_type" {
            &mut q.doc_type
        } else {
            &mut q.status
        };
        if *filter != picked {
            *filter = picked;
            self.requery();
        }
    }
}

impl Picker {
    /// The values the typed text keeps (in the value, case folded; NULL
    /// as `NULL`), with their counts.
    pub fn shown(&self) -> Vec<&(Option<String>, u64)> {
        let typed = self.input.value().trim().to_lowercase();
        self.values
            .loaded()
            .map(|v| {
                v.iter()
                    .filter(|(value, _)| {
                        value
                            .as_deref()
                            .unwrap_or("NULL")
                            .to_lowercase()
                            .contains(&typed)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Moves, picks, types; Enter asks for what was picked, Esc closes.
    pub(crate) fn update(&mut self, action: Action, page: usize) -> Effect {
        let n = self.shown().len();
        if let Some(to) = cursor::step(action, self.selected, n, page) {
            self.selected = to;
            return Effect::Done;
        }
        let request = match action {
            Action::Toggle => {
                if let Some((value, _)) = self.shown().get(self.selected).copied() {
                    let value = value.clone();
                    match self.picked.iter().position(|v| *v == value) {
                        Some(i) => {
                            self.picked.remove(i);
                        }
                        None => self.picked.push(value),
                    }
                }
                return Effect::Done;
            }
            Action::Submit => return Effect::Pick(self.column, Picked(self.picked.clone())),
            Action::Cancel | Action::Quit => return Effect::Close,
            Action::Type(c) if self.input.value().chars().count() < TYPED_CHARS => {
                InputRequest::InsertChar(c)
            }
            Action::Edit(e) => edit_request(e),
            _ => return Effect::Done,
        };
        if self.input.handle(request).is_some_and(|r| r.value) {
            self.selected = 0;
        }
        Effect::Done
    }
}
