//! `c` in Documents: which columns the grid shows, and in what order.

use super::{App, Chooser, Overlay, cursor};
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
        let Some(Overlay::Columns(ch)) = &mut self.overlay else {
            return;
        };
        // The chooser shows every column: a page is all of them.
        let n = ch.items.len();
        if let Some(to) = cursor::step(action, ch.selected, n, n) {
            ch.selected = to;
            return;
        }
        match action {
            Action::Toggle => {
                if let Some(item) = ch.items.get_mut(ch.selected) {
                    item.1 = !item.1;
                }
            }
            Action::Submit => {
                let chosen: Vec<String> = ch
                    .items
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(n, _)| n.clone())
                    .collect();
                if chosen.is_empty() {
                    return self.say("tick at least one column");
                }
                self.overlay = None;
                if chosen != self.docs.query.columns {
                    self.docs.query.columns = chosen;
                    self.rewindow();
                }
            }
            Action::Cancel | Action::Quit => self.overlay = None,
            _ => {}
        }
    }
}
