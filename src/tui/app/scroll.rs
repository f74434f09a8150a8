//! Pages of text (`?`, a plan, a document, Overview, Schema) scroll within
//! their lines, as the last frame measured them.

use super::{App, Overlay};
use crate::tui::keys::Action;
use crate::tui::tab::Tab;
impl App {
    /// Scrolls the page on top when `action` is a move and a page is on
    /// top; whether it did.
    pub(super) fn scrolls(&mut self, action: Action) -> bool {
        let page = is_scroll(action) && self.scrolled().is_some();
        if page {
            self.scroll_by(action);
        }
        page
    }

    /// The scroll of the view on top, if it is a scrolled page rather than
    /// a list of rows: the `?` list, a plan, a document, Overview, Schema.
    pub(super) fn scrolled(&mut self) -> Option<&mut u16> {
        match &mut self.overlay {
            Some(Overlay::Help { scroll } | Overlay::Messages { scroll }) => return Some(scroll),
            Some(Overlay::Plan(d)) => return Some(&mut d.scroll),
            Some(Overlay::Tasks(v)) => return Some(&mut v.scroll),
            Some(Overlay::Change(d)) => return Some(&mut d.scroll),
            Some(
                Overlay::Columns(_)
                | Overlay::Picker(_)
                | Overlay::Export(_)
                | Overlay::Frequencies(_)
                | Overlay::Edit(_),
            ) => {
                return None;
            }
            None => {}
        }
        match self.tab {
            Tab::Tables => self.tables.browse.as_mut().and_then(|b| b.record.as_mut()),
            Tab::Query if !self.query.editing => {
                self.query.result.as_mut().and_then(|r| r.record.as_mut())
            }
            Tab::Schema if self.ddl_pane => Some(&mut self.ddl_scroll),
            Tab::Overview | Tab::Schema => Some(&mut self.scroll),
            Tab::Documents if self.docs.input.is_none() => {
                self.detail.as_mut().map(|d| &mut d.scroll)
            }
            _ => None,
        }
    }

    /// Moves the page on top within its lines: it stops at its last line,
    /// and the end key jumps there.
    pub(super) fn scroll_by(&mut self, action: Action) {
        let page = self.top_page() as u16;
        let end = self.scroll_end;
        let Some(s) = self.scrolled() else { return };
        *s = match action {
            Action::Down => s.saturating_add(1),
            Action::Up => s.saturating_sub(1),
            Action::PageDown => s.saturating_add(page),
            Action::PageUp => s.saturating_sub(page),
            Action::HalfPageDown => s.saturating_add(page / 2),
            Action::HalfPageUp => s.saturating_sub(page / 2),
            Action::Top => 0,
            Action::Bottom => end,
            _ => *s,
        }
        .min(end);
    }
}

fn is_scroll(a: Action) -> bool {
    matches!(
        a,
        Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::Top
            | Action::Bottom
    )
}
