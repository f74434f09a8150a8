//! A grid's columns: the column cursor, widths from the content (or set by
//! the user), and horizontal scrolling. Shared by Documents, a browsed table
//! and (later) a query result.

use super::super::keys::Action;
use super::super::text::Shown;

/// A column is never drawn narrower than this, nor wider (from its content)
/// than WIDEST; the user may widen it further with `>`.
pub(crate) const NARROWEST: u16 = 3;
const WIDEST: u16 = 40;
/// How much `<` and `>` change a width.
const STEP: u16 = 4;
/// Between two columns.
pub(crate) const GAP: u16 = 1;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct GridState {
    /// The columns' names, as the rows carry them.
    pub names: Vec<String>,
    /// The column under the cursor.
    pub col: usize,
    /// The first column drawn after the pinned one.
    pub offset: usize,
    /// The column that stays on the left while the others scroll (the
    /// row's key), if any.
    pub pin: Option<usize>,
    /// Widths from the content seen since the columns last changed, so
    /// paging does not make the columns jump.
    natural: Vec<u16>,
    /// Widths the user set with `<`/`>`, by column name.
    set: Vec<(String, u16)>,
}

impl GridState {
    /// New rows have come: the widths grow to fit them. Other columns than
    /// before start the widths (and the cursor, if it is out of them) afresh.
    pub(crate) fn fit(&mut self, names: &[String], rows: &[Vec<Shown>]) {
        if self.names != names {
            // A column shown before keeps the width it had grown to: a
            // change of columns (`c`) moves no other column's edge.
            let before = |n: &String| {
                self.names
                    .iter()
                    .position(|o| o == n)
                    .and_then(|i| self.natural.get(i).copied())
            };
            self.natural = names
                .iter()
                .map(|n| before(n).unwrap_or_else(|| clamp(width(n))))
                .collect();
            self.names = names.to_vec();
            self.col = self.col.min(names.len().saturating_sub(1));
            self.offset = self.offset.min(self.col);
        }
        for row in rows {
            for (w, cell) in self.natural.iter_mut().zip(row) {
                *w = (*w).max(clamp(width(&cell.text)));
            }
        }
    }

    /// The width of each column, as drawn.
    pub fn widths(&self) -> Vec<u16> {
        self.names
            .iter()
            .zip(&self.natural)
            .map(|(name, &w)| {
                self.set
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(w, |&(_, s)| s)
            })
            .collect()
    }

    /// The name of the column under the cursor.
    pub fn current(&self) -> Option<&str> {
        self.names.get(self.col).map(String::as_str)
    }

    /// Moves the cursor `by` columns, scrolling so it stays in `room`.
    pub(crate) fn step(&mut self, by: isize, room: u16) {
        let last = self.names.len().saturating_sub(1);
        self.col = self.col.saturating_add_signed(by).min(last);
        self.follow(room);
    }

    /// Makes the current column `by` steps wider (or narrower).
    pub(crate) fn widen(&mut self, by: i16, room: u16) {
        let Some(name) = self.current().map(str::to_string) else {
            return;
        };
        let now = self.widths().get(self.col).copied().unwrap_or(NARROWEST);
        let w = now
            .saturating_add_signed(by.saturating_mul(STEP as i16))
            .clamp(NARROWEST, room.max(NARROWEST));
        self.set.retain(|(n, _)| *n != name);
        self.set.push((name, w));
        self.follow(room);
    }

    /// A move of the column cursor or a width, in a grid `room` wide;
    /// false for any other action.
    pub(crate) fn act(&mut self, action: Action, room: u16) -> bool {
        match action {
            Action::ColumnLeft => self.step(-1, room),
            Action::ColumnRight => self.step(1, room),
            Action::Narrow => self.widen(-1, room),
            Action::Widen => self.widen(1, room),
            _ => return false,
        }
        true
    }

    /// The pinned column, when there is one among the columns.
    fn pinned(&self) -> Option<usize> {
        self.pin.filter(|&p| p < self.names.len())
    }

    /// The columns drawn in `room`, in order: the pinned one, then from
    /// `offset` as many as begin in it (the last may be cut).
    pub fn visible(&self, room: u16) -> Vec<usize> {
        let widths = self.widths();
        let pinned = self.pinned();
        let mut cols: Vec<usize> = pinned.into_iter().collect();
        let mut used: u16 = pinned.map_or(0, |p| widths[p] + GAP);
        let mut i = self.offset;
        while i < widths.len() && used < room {
            if Some(i) != pinned {
                used = used.saturating_add(widths[i] + GAP);
                cols.push(i);
            }
            i += 1;
        }
        if cols.is_empty() && !widths.is_empty() {
            cols.push(self.offset.min(widths.len() - 1));
        }
        cols
    }

    /// Whether columns are off screen to the left, and to the right.
    pub fn hidden(&self, room: u16) -> (bool, bool) {
        let shown = self.visible(room);
        let first = (0..self.names.len()).find(|&i| Some(i) != self.pinned());
        let left = first.is_some_and(|f| !shown.contains(&f));
        let right = shown
            .iter()
            .max()
            .is_some_and(|&m| m + 1 < self.names.len());
        (left, right)
    }

    /// Scrolls so the cursor's column is whole in `room` beside the pinned
    /// one (or first, when it is wider than the room): after each move,
    /// and after a resize, which changes the room under the cursor.
    pub(crate) fn follow(&mut self, room: u16) {
        let widths = self.widths();
        let pinned = self.pinned();
        if Some(self.col) == pinned {
            return;
        }
        let room = room.saturating_sub(pinned.map_or(0, |p| widths[p] + GAP));
        if self.col < self.offset {
            self.offset = self.col;
        }
        let fits = |from: usize, to: usize| {
            (from..=to)
                .filter(|&i| Some(i) != pinned)
                .map(|i| widths[i] + GAP)
                .sum::<u16>()
                <= room + GAP
        };
        while self.offset < self.col && !fits(self.offset, self.col) {
            self.offset += 1;
        }
    }
}

/// How many cells `s` takes on a terminal.
fn width(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}

fn clamp(w: usize) -> u16 {
    u16::try_from(w)
        .unwrap_or(u16::MAX)
        .clamp(NARROWEST, WIDEST)
}

#[cfg(test)]
mod tests {
    use super::{GridState, NARROWEST, WIDEST};
    use crate::tui::text::{Kind, Shown};

    fn cell(s: &str) -> Shown {
        Shown {
            text: s.into(),
            kind: Kind::Text,
        }
    }

    fn grid(names: &[&str], rows: &[&[&str]]) -> GridState {
        let mut g = GridState::default();
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<Shown>> = rows
            .iter()
            .map(|r| r.iter().map(|c| cell(c)).collect())
            .collect();
        g.fit(&names, &rows);
        g
    }

    #[test]
    fn widths_come_from_the_content_within_bounds_and_only_grow() {
        let long = "x".repeat(100);
        let mut g = grid(&["id", "title", "n"], &[&["abc", &long, ""]]);
        assert_eq!(g.widths(), [3, WIDEST, NARROWEST]);
        let names = g.names.clone();
        g.fit(&names, &[vec![cell("abcdef"), cell("t"), cell("1")]]);
        assert_eq!(g.widths(), [6, WIDEST, NARROWEST], "paging never narrows");
        g.fit(&["other".to_string()], &[]);
        assert_eq!(g.widths(), [5], "new columns start afresh");
    }

    #[test]
    fn the_cursor_scrolls_the_columns_and_widths_can_be_set() {
        let mut g = grid(
            &["a", "b", "c", "d"],
            &[&["aaaaaaaaa", "bbbbbbbbb", "ccccccccc", "ddddddddd"]],
        );
        // 10 columns each with the gap: 25 fit two whole, a third cut.
        assert_eq!(g.visible(25), [0, 1, 2]);
        g.step(2, 25);
        assert_eq!((g.col, g.offset), (2, 1), "c is whole");
        g.step(5, 25);
        assert_eq!((g.col, g.offset), (3, 2), "stops at the last");
        g.step(-3, 25);
        assert_eq!((g.col, g.offset), (0, 0));
        g.widen(1, 25);
        assert_eq!(g.widths()[0], 13);
        g.widen(-9, 25);
        assert_eq!(g.widths()[0], NARROWEST);
        g.widen(50, 25);
        assert_eq!(g.widths()[0], 25, "no wider than the room");
    }

    #[test]
    fn a_pinned_column_stays_while_the_others_scroll() {
        let mut g = grid(
            &["id", "b", "c", "d"],
            &[&["iiiiiiiii", "bbbbbbbbb", "ccccccccc", "ddddddddd"]],
        );
        g.pin = Some(0);
        g.step(3, 25);
        assert_eq!(g.visible(25), [0, 3], "id, then the cursor's column");
        assert_eq!(g.hidden(25), (true, false));
        g.step(-1, 25);
        assert_eq!(g.visible(25), [0, 2, 3]);
        g.step(-2, 25);
        assert_eq!(
            (g.col, g.visible(25)),
            (0, vec![0, 2, 3]),
            "on the pin, nothing scrolls"
        );
        g.step(1, 25);
        assert_eq!(g.visible(25), [0, 1, 2]);
    }
}
