//! A click: a tab's title, or a row of the list on screen.

use super::App;
use crate::tui::tab::Tab;
impl App {
    /// A click at column `x`, line `y`: a tab's title goes to it, a list's
    /// row is selected. Nothing under a dialog is picked.
    pub fn click(&mut self, x: u16, y: u16) {
        if self.too_small() || self.overlay.is_some() {
            return;
        }
        if let Some(&(_, _, tab)) = self
            .hits
            .tabs
            .iter()
            .find(|(a, b, _)| y == 0 && (*a..=*b).contains(&x))
        {
            return self.go(tab);
        }
        let Some(rows) = self.hits.rows.filter(|r| r.contains((x, y).into())) else {
            return;
        };
        let line = usize::from(y - rows.y);
        // The list draws its selection in view: past the first screen, the
        // selected row is the last one shown.
        let shown = usize::from(rows.height);
        let pick = |selected: usize, n: usize| {
            let first = (selected + 1).saturating_sub(shown);
            (first + line < n).then_some(first + line)
        };
        match self.tab {
            Tab::Documents if self.detail.is_none() && self.docs.input.is_none() => {
                let n = self.docs.rows.loaded().map_or(0, Vec::len);
                if let Some(i) = pick(self.docs.selected, n) {
                    self.docs.selected = i;
                }
            }
            Tab::Tables => match self.tables.browse.as_mut() {
                Some(b) => {
                    let n = b.page.loaded().map_or(0, |p| p.rows.len());
                    if let Some(i) = pick(b.selected, n) {
                        b.selected = i;
                    }
                }
                None => {
                    let n = self
                        .store
                        .inspection
                        .loaded()
                        .map_or(0, |i| i.objects.len());
                    if let Some(i) = pick(self.tables.selected, n) {
                        self.tables.selected = i;
                    }
                }
            },
            Tab::Query => self.query.click(pick),
            _ => {}
        }
    }
}
