//! The one list cursor: the row selected in a list of `len` rows, moved by
//! the list keys, where a page is the rows the view last drew (not a guess
//! from the terminal's height).

use crate::tui::keys::Action;

/// Where `action` moves a cursor at `selected` in a list of `len` rows
/// held whole, `page` rows drawn; None for an action that is no move.
pub(crate) fn step(action: Action, selected: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    let half = (page / 2).max(1);
    let to = match action {
        Action::Down => selected.saturating_add(1),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => selected.saturating_add(page.max(1)),
        Action::PageUp => selected.saturating_sub(page.max(1)),
        Action::HalfPageDown => selected.saturating_add(half),
        Action::HalfPageUp => selected.saturating_sub(half),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    };
    Some(to.min(last))
}

/// Where a window of `page` rows must start so that the row selected, at
/// `selected` in a window starting at `start`, stays selected: the same
/// start while it still fits, else the selected row first.
pub(crate) fn refit_start(start: u64, selected: usize, page: usize) -> u64 {
    if selected < page.max(1) {
        start
    } else {
        start + selected as u64
    }
}

#[cfg(test)]
mod tests {
    use super::{refit_start, step};
    use crate::tui::keys::Action;

    #[test]
    fn moves_stay_within_the_list_and_pages_are_what_was_drawn() {
        assert_eq!(step(Action::Down, 4, 5, 10), Some(4));
        assert_eq!(step(Action::PageDown, 0, 100, 7), Some(7));
        assert_eq!(step(Action::HalfPageUp, 10, 100, 7), Some(7));
        assert_eq!(step(Action::Bottom, 0, 0, 7), Some(0));
        assert_eq!(step(Action::Open, 3, 5, 7), None);
        assert_eq!(refit_start(100, 3, 9), 100);
        assert_eq!(refit_start(100, 25, 9), 125);
    }
}
