//! The Query tab's SQL editor: several lines, on `ratatui_textarea`, driven
//! by the key table's actions (never by raw keys) so remapped keys hold.

use crate::tui::keys::Edit;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, DataCursor, TextArea};

/// The longest statement the editor takes, in characters.
pub(crate) const SQL_CHARS: usize = 100_000;

#[derive(Debug, Clone)]
pub struct SqlEditor {
    pub(crate) area: TextArea<'static>,
}

impl Default for SqlEditor {
    fn default() -> Self {
        SqlEditor::with("")
    }
}

impl SqlEditor {
    /// An editor holding `text`, the cursor at its end.
    pub(crate) fn with(text: &str) -> SqlEditor {
        let mut area = TextArea::new(
            crate::text::sql_text(text)
                .split('\n')
                .map(String::from)
                .collect(),
        );
        // The terminal's own cursor shows where typing goes, as in the
        // other prompts; the view styles the text.
        area.set_cursor_style(Style::default());
        area.set_cursor_line_style(Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        SqlEditor { area }
    }

    /// The statement, its lines joined by newlines.
    pub(crate) fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub(crate) fn lines(&self) -> usize {
        self.area.lines().len()
    }

    fn chars(&self) -> usize {
        self.area
            .lines()
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum()
    }

    /// Types `c` (a character that draws nothing is not typed).
    pub(crate) fn type_char(&mut self, c: char) {
        if self.chars() < SQL_CHARS && !crate::text::is_hostile(c) {
            self.area.insert_char(c);
        }
    }

    pub(crate) fn newline(&mut self) {
        if self.chars() < SQL_CHARS {
            self.area.insert_newline();
        }
    }

    /// Pasted text at the cursor, its newlines kept (so a `--` comment ends
    /// where it ended), cut to what the editor still takes.
    pub(crate) fn paste(&mut self, text: &str) {
        let room = SQL_CHARS.saturating_sub(self.chars());
        let pasted: String = crate::text::sql_text(text).chars().take(room).collect();
        self.area.insert_str(pasted);
    }

    pub(crate) fn edit(&mut self, e: Edit) {
        let a = &mut self.area;
        match e {
            Edit::Left => a.move_cursor(CursorMove::Back),
            Edit::Right => a.move_cursor(CursorMove::Forward),
            Edit::WordLeft => a.move_cursor(CursorMove::WordBack),
            Edit::WordRight => a.move_cursor(CursorMove::WordForward),
            Edit::Home => a.move_cursor(CursorMove::Head),
            Edit::End => a.move_cursor(CursorMove::End),
            Edit::Backspace => {
                a.delete_char();
            }
            Edit::Delete => {
                a.delete_next_char();
            }
            Edit::DeleteWord => {
                a.delete_word();
            }
            Edit::DeleteToStart => {
                a.delete_line_by_head();
            }
            Edit::DeleteToEnd => {
                a.delete_line_by_end();
            }
        }
    }

    /// Up a line; false on the first line (then ↑ recalls the history).
    pub(crate) fn up(&mut self) -> bool {
        let DataCursor(row, _) = self.area.cursor();
        self.area.move_cursor(CursorMove::Up);
        row > 0
    }

    /// Down a line; false on the last line.
    pub(crate) fn down(&mut self) -> bool {
        let DataCursor(row, _) = self.area.cursor();
        self.area.move_cursor(CursorMove::Down);
        row + 1 < self.lines()
    }

    /// The cursor's place as a byte offset in `text()`.
    pub(crate) fn offset(&self) -> usize {
        let DataCursor(row, col) = self.area.cursor();
        let lines = self.area.lines();
        let before: usize = lines[..row.min(lines.len())]
            .iter()
            .map(|l| l.len() + 1)
            .sum();
        let line = lines.get(row).map_or("", String::as_str);
        before + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// The cursor on character `n` (from 1) of the statement, where SQLite
    /// stopped reading it.
    pub(crate) fn go_to_char(&mut self, n: usize) {
        let mut left = n.saturating_sub(1);
        for (row, line) in self.area.lines().iter().enumerate() {
            let len = line.chars().count();
            if left <= len {
                let (r, c) = (clamp_u16(row), clamp_u16(left));
                self.area.move_cursor(CursorMove::Jump(r, c));
                return;
            }
            left -= len + 1;
        }
    }

    /// How many characters the `len` bytes before the cursor hold.
    pub(crate) fn chars_before(&self, len: usize) -> u16 {
        let text = self.text();
        let at = self.offset();
        let chars = text
            .get(at.saturating_sub(len)..at)
            .map_or(0, |s| s.chars().count());
        clamp_u16(chars)
    }

    /// The `len` bytes before the cursor become `with`.
    pub(crate) fn replace_before(&mut self, len: usize, with: &str) {
        let text = self.text();
        let at = self.offset();
        let from = at.saturating_sub(len);
        let chars = text.get(from..at).map_or(0, |s| s.chars().count());
        for _ in 0..chars {
            self.area.delete_char();
        }
        self.area.insert_str(with);
    }
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::SqlEditor;
    use crate::tui::keys::Edit;

    #[test]
    fn a_paste_keeps_its_lines_and_the_cursor_finds_sqlites_offset() {
        let mut e = SqlEditor::default();
        e.paste("SELECT 1 -- one\r\n, 2\t-- two\n\u{1b}[31m");
        assert_eq!(e.text(), "SELECT 1 -- one\n, 2    -- two\n [31m");
        assert_eq!(e.lines(), 3);
        e.go_to_char(18);
        assert_eq!(e.area.cursor(), (1, 1));
        assert_eq!(&e.text()[e.offset()..e.offset() + 2], " 2");
        assert!(e.up(), "from the second line");
        assert!(!e.up(), "the first line: ↑ is the history's");
        e.edit(Edit::End);
        e.newline();
        e.type_char('x');
        assert_eq!(e.text(), "SELECT 1 -- one\nx\n, 2    -- two\n [31m");
        e.replace_before(1, "max(");
        assert_eq!(e.text(), "SELECT 1 -- one\nmax(\n, 2    -- two\n [31m");
    }
}
