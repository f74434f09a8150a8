//! `c` in Documents: which columns the grid shows, and in what order.

use super::{App, Chooser, Effect, Overlay, cursor};
use crate::store::read::documents::DEFAULT_COLUMNS;
use crate::tui::keys::Action;

impl App {
    pub(super) fn open_chooser(&mut self) {
        let Some(live) = self
            .store
            .inspection
            .loaded()
            .and_then(|i| i.live("documents"))
        else {
            return self.say("the store has no documents table");
        };
        let shown: Vec<String> = if self.docs.query.columns.is_empty() {
            DEFAULT_COLUMNS.map(String::from).to_vec()
        } else {
            self.docs.query.columns.clone()
        };
        let mut items: Vec<(String, bool)> = shown
            .iter()
            .filter(|c| live.column(c).is_some())
            .map(|c| (c.clone(), true))
            .collect();
        for c in live.columns.iter().filter(|c| c.hidden == 0) {
            if !items.iter().any(|(n, _)| n.eq_ignore_ascii_case(&c.name)) {
                items.push((c.name.clone(), false));
            }
        }
        self.overlay = Some(Overlay::Columns(Chooser { items, selected: 0 }));
    }

    pub(super) fn update_chooser(&mut self, action: Action) {
        if let Some(Overlay::Columns(ch)) = &mut self.overlay {
            let effect = ch.update(action);
            self.apply(effect);
        }
    }
}

impl Chooser {
    /// Moves, ticks; Enter asks for the columns ticked, Esc closes.
    pub(crate) fn update(&mut self, action: Action) -> Effect {
        // The chooser shows every column: a page is all of them.
        let n = self.items.len();
        if let Some(to) = cursor::step(action, self.selected, n, n) {
            self.selected = to;
            return Effect::Done;
        }
        match action {
            Action::Toggle => {
                if let Some(item) = self.items.get_mut(self.selected) {
                    item.1 = !item.1;
                }
                Effect::Done
            }
            Action::Submit => {
                let chosen: Vec<String> = self
                    .items
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(n, _)| n.clone())
                    .collect();
                if chosen.is_empty() {
                    Effect::Say("tick at least one column".into())
                } else {
                    Effect::Columns(chosen)
                }
            }
            Action::Cancel | Action::Quit => Effect::Close,
            _ => Effect::Done,
        }
    }
}
