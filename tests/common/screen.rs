//! Readers of the screen the harness draws: the tab marked, the status
//! line, a popup's title and lines, the list's rows, cells and selection.
//! What a screen test checks is what the user sees, not the app's fields.
#![allow(dead_code)]

use crate::common::open;
use crate::harness::Harness;
use crossterm::event::KeyCode;
use egregora_inspect::tui::app::Clip;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use strum::IntoEnumIterator;

/// Each reader draws a fresh frame with the real views.
impl Harness {
    /// The screen's lines, as drawn now, trailing blanks cut.
    pub fn lines(&mut self) -> Vec<String> {
        let b = self.render();
        (0..b.area.height)
            .map(|y| line_of(&b, y, 0, b.area.width).trim_end().to_string())
            .collect()
    }

    /// The tab whose title the tab bar marks.
    pub fn tab(&mut self) -> Tab {
        let b = self.render();
        let marked: String = (0..b.area.width)
            .filter(|&x| reversed(&b, x, 0))
            .map(|x| b[(x, 0)].symbol().to_string())
            .collect();
        let n: usize = marked
            .trim()
            .split(' ')
            .next()
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("no tab marked: {marked:?}"));
        Tab::iter().nth(n - 1).expect("a tab's number")
    }

    /// The line under the tab bar: the Documents filters, the SQL line.
    pub fn head(&mut self) -> String {
        self.lines().swap_remove(1)
    }

    /// The status line: the keys that work now, then the last message.
    pub fn status(&mut self) -> String {
        self.lines().pop().unwrap_or_default()
    }

    /// The title of the popup over the tabs (a dialog, `?`, a chooser…),
    /// when one is open: only popups draw a box all round.
    pub fn overlay(&mut self) -> Option<String> {
        self.lines().into_iter().find_map(|line| {
            let from = line.find('┌')? + '┌'.len_utf8();
            let to = from + line[from..].find('┐')?;
            Some(line[from..to].trim_matches('─').trim().to_string())
        })
    }

    /// Where the text cursor stands, when one is shown.
    pub fn cursor(&mut self) -> Option<(u16, u16)> {
        self.render();
        self.cursor
    }

    /// How many rows the list on screen has room for (its page).
    pub fn page(&mut self) -> usize {
        self.render();
        self.drawn.rows.map_or(0, |r| r.height as usize)
    }

    /// The rows of the list on screen (Documents, a table, a result), as
    /// drawn: none when no list is drawn.
    pub fn rows(&mut self) -> Vec<String> {
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        (r.y..r.y + r.height)
            .map(|y| line_of(&b, y, r.x, r.width).trim_end().to_string())
            .take_while(|l| !l.is_empty())
            .collect()
    }

    /// Which of `rows` is drawn selected.
    pub fn selected_row(&mut self) -> Option<usize> {
        let b = self.render();
        let r = self.drawn.rows?;
        (r.y..r.y + r.height).position(|y| (r.x..r.x + r.width).all(|x| reversed(&b, x, y)))
    }

    /// The grid's column titles as drawn, each with its first column.
    pub fn header(&mut self) -> Vec<(String, u16)> {
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        let y = r.y - 1;
        let bold = |x: u16| b[(x, y)].modifier.contains(Modifier::BOLD);
        let mut out = Vec::new();
        for x in r.x..r.x + r.width {
            if bold(x) && (x == r.x || !bold(x - 1)) {
                let end = (x..r.x + r.width)
                    .find(|&e| !bold(e))
                    .unwrap_or(r.x + r.width);
                out.push((line_of(&b, y, x, end - x).trim().to_string(), x));
            }
        }
        out
    }

    /// The widths the grid draws its columns at, but the last (which
    /// takes the room left).
    pub fn widths(&mut self) -> Vec<u16> {
        let starts: Vec<u16> = self.header().iter().map(|(_, x)| *x).collect();
        // Columns stand one cell apart.
        starts.windows(2).map(|w| w[1] - w[0] - 1).collect()
    }

    /// The line a popup's list draws selected, from its left border on.
    pub fn popup_selected(&mut self) -> Option<String> {
        let b = self.render();
        (1..b.area.height).find_map(|y| {
            let x =
                (1..b.area.width).find(|&x| b[(x - 1, y)].symbol() == "│" && reversed(&b, x, y))?;
            let end = (x..b.area.width).find(|&e| !reversed(&b, e, y))?;
            Some(line_of(&b, y, x, end - x).trim().to_string())
        })
    }

    /// The column the grid's cursor is on (its title underlined).
    pub fn column(&mut self) -> Option<String> {
        let b = self.render();
        let y = self.drawn.rows?.y - 1;
        let header = self.header();
        header
            .into_iter()
            .find(|(_, x)| b[(*x, y)].modifier.contains(Modifier::UNDERLINED))
            .map(|(name, _)| name)
    }

    /// The cells of column `name`, row by row, as drawn.
    pub fn cells(&mut self, name: &str) -> Vec<String> {
        let header = self.header();
        let Some(i) = header.iter().position(|(n, _)| n == name) else {
            panic!("no column {name:?} drawn: {header:?}");
        };
        let rows = self.rows().len() as u16;
        let b = self.render();
        let Some(r) = self.drawn.rows else {
            return Vec::new();
        };
        let from = header[i].1;
        let to = header.get(i + 1).map_or(r.x + r.width, |(_, x)| *x);
        (r.y..r.y + rows)
            .map(|y| line_of(&b, y, from, to - from).trim().to_string())
            .collect()
    }

    /// The cell of column `name` in the row drawn selected.
    pub fn selected(&mut self, name: &str) -> Option<String> {
        let at = self.selected_row()?;
        self.cells(name).into_iter().nth(at)
    }

    /// The selected row's first cell: its key as drawn.
    pub fn selected_key(&mut self) -> Option<String> {
        let first = self.header().into_iter().next()?.0;
        self.selected(&first)
    }

    /// The rowids of the documents Documents lists, by the ids drawn.
    pub fn rowids(&mut self) -> Vec<i64> {
        let c = open(&self.path);
        self.cells("id")
            .iter()
            .map(|id| {
                c.query_row("SELECT rowid FROM documents WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap_or_else(|e| panic!("{id:?} drawn: {e}"))
            })
            .collect()
    }

    /// The rowid of the document the detail shows, from its title.
    pub fn detail_rowid(&mut self) -> Option<i64> {
        let head = self.head();
        let at = head.strip_prefix("document ")?.find("(rowid ")? + "document (rowid ".len();
        let digits: String = head[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }

    /// The newest message whole, as `M`'s log shows it (the status line
    /// cuts a long one); the log is closed again.
    pub fn said(&mut self) -> String {
        self.key(KeyCode::Char('M'));
        let lines = self.lines();
        let top = lines
            .iter()
            .position(|l| l.contains("messages of this run"))
            .expect("the log opens");
        let inner = |l: &String| {
            let from = l.find('│').map_or(0, |i| i + '│'.len_utf8());
            let to = l.rfind('│').filter(|&i| i >= from).unwrap_or(l.len());
            l[from..to].trim().to_string()
        };
        let mut said = Vec::new();
        for l in lines[top + 1..].iter().map(inner) {
            // Each message starts with its time: "0:00:01  ".
            let timed = l.len() > 9 && l.as_bytes()[1] == b':' && l.as_bytes()[4] == b':';
            if l.contains('└') || (timed && !said.is_empty()) {
                break;
            }
            said.push(if timed { l[9..].to_string() } else { l });
        }
        self.key(KeyCode::Esc);
        said.join(" ").trim().to_string()
    }

    /// The line drawn marked (reversed) under the tab bar: the finding
    /// picked, a list's selected row, a popup's pick; its marked text.
    pub fn marked(&mut self) -> Option<String> {
        let b = self.render();
        (1..b.area.height).find_map(|y| {
            let x = (0..b.area.width).find(|&x| reversed(&b, x, y))?;
            let end = (x..b.area.width)
                .find(|&e| !reversed(&b, e, y))
                .unwrap_or(b.area.width);
            Some(line_of(&b, y, x, end - x).trim().to_string())
        })
    }

    /// The lines inside the popup on top, between its borders.
    pub fn popup_lines(&mut self) -> Vec<String> {
        let lines = self.lines();
        let Some(top) = lines
            .iter()
            .position(|l| l.contains('┌') && l.contains('┐'))
        else {
            return Vec::new();
        };
        lines[top + 1..]
            .iter()
            .take_while(|l| !l.contains('└'))
            .map(|l| {
                let from = l.find('│').map_or(0, |i| i + '│'.len_utf8());
                let to = l.rfind('│').filter(|&i| i >= from).unwrap_or(l.len());
                l[from..to].trim().to_string()
            })
            .collect()
    }

    /// Picks the Overview's data finding whose line holds `what` (n, as
    /// the user does, until it is marked); how many n it took.
    pub fn pick_finding(&mut self, what: &str) -> usize {
        for n in 1..=30 {
            self.act(Action::NextFinding);
            if self.marked().is_some_and(|m| m.contains(what)) {
                return n;
            }
        }
        panic!("no finding {what:?}:\n{}", self.text());
    }

    /// What the app put on the clipboard, taken as the event loop takes it.
    pub fn clip(&mut self) -> Option<Clip> {
        self.app.requests.clip.take()
    }

    /// Whether the app asked to quit (the event loop then ends).
    pub fn quits(&self) -> bool {
        self.app.quit
    }
}

/// The text of line `y` of `b`, `width` cells from column `x`.
fn line_of(b: &Buffer, y: u16, x: u16, width: u16) -> String {
    (x..x + width).map(|x| b[(x, y)].symbol()).collect()
}

fn reversed(b: &Buffer, x: u16, y: u16) -> bool {
    b[(x, y)].modifier.contains(Modifier::REVERSED)
}

impl Harness {
    /// The picker's rows as drawn: (picked, value, count), in order.
    pub fn picker_rows(&mut self) -> Vec<(bool, String, String)> {
        self.lines()
            .iter()
            .filter_map(|l| {
                let (on, rest) = match (l.find("[x] "), l.find("[ ] ")) {
                    (Some(i), _) => (true, &l[i + 4..]),
                    (None, Some(i)) => (false, &l[i + 4..]),
                    _ => return None,
                };
                let rest = rest.trim_end_matches('│').trim_end();
                let mut parts = rest.splitn(2, "  ");
                let value = parts.next()?.trim().to_string();
                let count = parts.next()?.trim().split("  ").next()?.to_string();
                Some((on, value, count))
            })
            .collect()
    }

    /// `key` (`t`, `s`) opens the picker; each of `values` is narrowed to,
    /// moved to and picked with Space; Enter applies.
    pub fn pick(&mut self, key: char, values: &[&str]) -> &mut Self {
        self.key(KeyCode::Char(key));
        for v in values {
            for c in v.chars() {
                self.key(KeyCode::Char(c));
            }
            let at = self
                .picker_rows()
                .iter()
                .position(|r| r.1 == *v)
                .unwrap_or_else(|| panic!("{v} in the picker: {:?}", self.picker_rows()));
            for _ in 0..at {
                self.key(KeyCode::Down);
            }
            self.key(KeyCode::Char(' '));
            for _ in v.chars() {
                self.key(KeyCode::Backspace);
            }
        }
        self.key(KeyCode::Enter)
    }
}
