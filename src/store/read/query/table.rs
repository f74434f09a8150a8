//! Rows as an aligned table for a terminal, streamed: the widths come from
//! the header and the first rows, later rows are cut to them. Every value
//! is escaped (no byte of the store reaches the terminal raw). Numbers are
//! right-aligned, and so is the name of a column of numbers.

use crate::text;
use rusqlite::types::ValueRef;
use std::io::{self, Write};
use textwrap::core::display_width;

/// Rows read before the widths are fixed.
const SAMPLE: usize = 100;
/// No column is wider than this.
const WIDEST: usize = 40;
const GAP: &str = "  ";

pub struct TableWriter {
    names: Vec<String>,
    /// Rows waiting for the widths, already made into cells.
    waiting: Vec<Vec<Shown>>,
    widths: Option<Vec<usize>>,
}

/// A cell as written, and whether it is a number (right-aligned).
type Shown = (String, bool);

impl TableWriter {
    pub fn new(names: &[String]) -> TableWriter {
        TableWriter {
            names: names.iter().map(|n| text::cell(n)).collect(),
            waiting: Vec::new(),
            widths: None,
        }
    }

    /// Takes one row (its values in column order).
    pub fn row(&mut self, out: &mut dyn Write, values: &[ValueRef<'_>]) -> io::Result<()> {
        let cells: Vec<Shown> = values.iter().map(|v| shown(*v)).collect();
        match &self.widths {
            Some(w) => line(out, &cells, w),
            None => {
                self.waiting.push(cells);
                if self.waiting.len() >= SAMPLE {
                    self.flush(out)?;
                }
                Ok(())
            }
        }
    }

    /// Writes what waits (the header first, once): at the end, or when the
    /// sample is full.
    pub fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.widths.is_none() {
            let mut w: Vec<usize> = self.names.iter().map(|n| display_width(n)).collect();
            for row in &self.waiting {
                for (w, c) in w.iter_mut().zip(row) {
                    *w = (*w).max(display_width(&c.0));
                }
            }
            let w: Vec<usize> = w.into_iter().map(|x| x.clamp(1, WIDEST)).collect();
            // A column whose sampled values are numbers (NULLs aside).
            let numeric = |i: usize| {
                let mut values = self
                    .waiting
                    .iter()
                    .filter_map(|r| r.get(i))
                    .filter(|c| c.0 != NULL);
                values.clone().next().is_some() && values.all(|c| c.1)
            };
            let names: Vec<Shown> = (0..self.names.len())
                .map(|i| (self.names[i].clone(), numeric(i)))
                .collect();
            line(out, &names, &w)?;
            let rule: Vec<Shown> = w.iter().map(|&n| ("─".repeat(n), false)).collect();
            line(out, &rule, &w)?;
            self.widths = Some(w);
        }
        let w = self.widths.clone().unwrap_or_default();
        for row in std::mem::take(&mut self.waiting) {
            line(out, &row, &w)?;
        }
        Ok(())
    }
}

fn line(out: &mut dyn Write, cells: &[Shown], widths: &[usize]) -> io::Result<()> {
    let last = cells.len().saturating_sub(1);
    for (i, ((c, right), &w)) in cells.iter().zip(widths).enumerate() {
        let fitted = if *right && display_width(c) <= w {
            format!("{}{c}", " ".repeat(w - display_width(c)))
        } else {
            fit(c, w)
        };
        if i == last {
            out.write_all(fitted.trim_end().as_bytes())?;
        } else {
            write!(out, "{fitted}{GAP}")?;
        }
    }
    out.write_all(b"\n")
}

/// `s` cut or padded to `w` display cells.
fn fit(s: &str, w: usize) -> String {
    let width = display_width(s);
    if width <= w {
        return format!("{s}{}", " ".repeat(w - width));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    format!("{out}{}", " ".repeat(w.saturating_sub(used + 1)))
}

const NULL: &str = "∅";

/// One value in a table cell: NULL as ∅ (the text 'NULL' cannot pass for
/// it), a number (right-aligned), a BLOB as its size and first bytes, text
/// escaped on one line.
fn shown(v: ValueRef<'_>) -> Shown {
    let text = match v {
        ValueRef::Integer(i) => return (i.to_string(), true),
        ValueRef::Real(f) => return (f.to_string(), true),
        ValueRef::Null => NULL.into(),
        ValueRef::Text(b) => {
            // Only what can be seen is decoded: a huge value costs no more.
            let head = &b[..b.len().min(WIDEST * 4)];
            text::cell(&String::from_utf8_lossy(head))
                + if head.len() < b.len() { "…" } else { "" }
        }
        ValueRef::Blob(b) => {
            let hex: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
            let more = if b.len() > 8 { " …" } else { "" };
            format!("BLOB {} bytes: {}{more}", b.len(), hex.join(" "))
        }
    };
    (text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_hostile_text_is_escaped() {
        let names = ["id".to_string(), "title".to_string()];
        let mut t = TableWriter::new(&names);
        let mut out = Vec::new();
        t.row(
            &mut out,
            &[ValueRef::Integer(1), ValueRef::Text(b"a\x1b[2Jb")],
        )
        .unwrap();
        t.row(&mut out, &[ValueRef::Integer(22), ValueRef::Null])
            .unwrap();
        t.flush(&mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "id  title\n──  ─────────\n 1  a\\x1b[2Jb\n22  ∅\n");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
    }
}
