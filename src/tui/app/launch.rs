//! Where the app opens (`--tab`, `--table`, `--sql`, `--search`): once the
//! store is first read, the keys a user would press to get there are
//! pressed, so a launch lands exactly where those keys would.

use super::App;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;

impl App {
    /// Carries out the launch asked for, once: after the store's first read
    /// (a table is found among its objects).
    pub(super) fn land(&mut self) {
        let Some(l) = self.launch.take() else {
            return;
        };
        if let Some(tab) = l.tab {
            self.go(tab);
        }
        if let Some(name) = &l.table {
            self.go(Tab::Tables);
            let at = self.store.inspection.loaded().and_then(|i| {
                i.objects
                    .iter()
                    .position(|o| o.name.eq_ignore_ascii_case(name))
            });
            match at {
                Some(i) => {
                    self.tables.selected = i;
                    self.update(Action::Open);
                }
                None => self.say(format!(
                    "--table: no table or view {} in this store",
                    crate::text::cell(name)
                )),
            }
        }
        if let Some(word) = &l.search {
            self.go(Tab::Documents);
            self.update(Action::Search);
            self.type_text(word);
            self.update(Action::Submit);
        }
        if let Some(sql) = &l.sql {
            self.update(Action::Sql);
            self.type_text(sql);
            self.update(Action::Submit);
        }
    }

    /// `text` typed into the prompt open, a key at a time (a newline as a
    /// space: the prompts are one line).
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            self.update(Action::Type(c));
        }
    }
}
