//! A row of a browsed table or of a query's result shown a column a line
//! (Enter on the grid): `[`/`]` step to the rows before and after, `y`/`Y`
//! copy as in the grid, Esc goes back to it.

use super::App;
use crate::tui::keys::Action;
use crate::tui::tab::Tab;

impl App {
    pub(super) fn update_record(&mut self, action: Action) {
        // The grid's own moves and copies, on the row shown.
        let on_grid = match action {
            Action::Back => return self.set_record(None),
            Action::PrevDocument => Action::Up,
            Action::NextDocument => Action::Down,
            Action::Copy | Action::CopyRow => action,
            _ => return,
        };
        match self.tab {
            Tab::Tables => self.update_tables(on_grid),
            Tab::Query => self.update_query(on_grid),
            _ => return,
        }
        if on_grid != action {
            self.set_record(Some(0));
        }
    }

    /// Whether the row shown has rows before it (a page read from the
    /// table's start has none before its first).
    pub(crate) fn row_before(&self) -> bool {
        match self.tab {
            Tab::Tables => self.tables.browse.as_ref().is_some_and(|b| {
                b.selected > 0 || b.anchor != crate::store::read::tables::RowAnchor::Start
            }),
            Tab::Query => self
                .query
                .result
                .as_ref()
                .is_some_and(|r| r.selected > 0 || r.page.loaded().is_some_and(|p| p.start > 0)),
            _ => false,
        }
    }

    /// The record view of the grid on screen: shown (scrolled) or not.
    fn set_record(&mut self, to: Option<u16>) {
        match self.tab {
            Tab::Tables => {
                if let Some(b) = self.tables.browse.as_mut() {
                    b.record = to;
                }
            }
            Tab::Query => {
                if let Some(r) = self.query.result.as_mut() {
                    r.record = to;
                }
            }
            _ => {}
        }
    }
}
