//! Store values made ready for the terminal once, when they arrive: escaped
//! (see `crate::text`) and classified for their style, so drawing a frame
//! only borrows them.

use super::theme::theme;
use crate::store::cell::Cell;
use crate::store::read::documents::DocRow;
use crate::text;
use ratatui::style::Style;
use ratatui::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Text,
    /// Text that was not UTF-8, shown lossily.
    Invalid,
    Number,
    Blob,
    /// A column the table does not have (an older store): not a NULL.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub kind: Kind,
}

impl Shown {
    /// The value as a grid cell, borrowed: nothing is allocated per frame.
    pub fn span(&self) -> Span<'_> {
        let style = match self.kind {
            Kind::Null => theme().null,
            Kind::Blob => theme().blob,
            Kind::Invalid => theme().invalid,
            Kind::Number => theme().number,
            Kind::Text => Style::default(),
            Kind::Missing => theme().dim,
        };
        Span::styled(self.text.as_str(), style)
    }
}

/// One value as a grid cell: one line, control characters escaped, NULL as
/// ∅ (so the text 'NULL' cannot pass for it, with or without colour).
pub(crate) fn shown(c: &Cell) -> Shown {
    match c {
        Cell::Null => Shown {
            text: "∅".into(),
            kind: Kind::Null,
        },
        Cell::Text {
            text: t, invalid, ..
        } => Shown {
            text: text::cell(t),
            kind: if *invalid { Kind::Invalid } else { Kind::Text },
        },
        Cell::Blob { .. } => Shown {
            text: text::cell(&c.summary()),
            kind: Kind::Blob,
        },
        other => Shown {
            text: other.summary(),
            kind: Kind::Number,
        },
    }
}

/// The grid's cells of a document row (its query's grid columns).
/// A row of the Documents grid; `missing[i]` says the table has no
/// column `i`, which is shown as such, never as a NULL.
pub(crate) fn doc_row(r: &DocRow, missing: &[bool]) -> Vec<Shown> {
    r.cells
        .iter()
        .enumerate()
        .map(|(i, c)| match missing.get(i) {
            Some(true) => Shown {
                text: "(no column)".into(),
                kind: Kind::Missing,
            },
            _ => shown(c),
        })
        .collect()
}

/// 1234567 as "1,234,567" (-1234 as "-1,234"): every count the app draws
/// goes through here, so all read alike.
pub(crate) fn grouped(n: impl std::fmt::Display) -> String {
    let shown = n.to_string();
    let (sign, digits) = match shown.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", shown.as_str()),
    };
    let mut out = sign.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Cell, Kind, Shown, grouped, shown};

    #[test]
    fn counts_group_their_thousands_signed_or_not() {
        assert_eq!(grouped(0u64), "0");
        assert_eq!(grouped(999u64), "999");
        assert_eq!(grouped(1_000usize), "1,000");
        assert_eq!(grouped(1_234_567u64), "1,234,567");
        assert_eq!(grouped(-1_234i64), "-1,234");
        assert_eq!(grouped(-12i64), "-12");
    }

    #[test]
    fn values_are_escaped_and_classified() {
        let t = |s: &str, invalid| Cell::Text {
            text: s.into(),
            invalid,
            cut_from: None,
        };
        assert_eq!(
            shown(&t("a\x1b]0;x\x07\tb", false)),
            Shown {
                text: "a\\x1b]0;x\\x07⇥b".into(),
                kind: Kind::Text
            }
        );
        assert_eq!(shown(&t("\u{fffd}x", true)).kind, Kind::Invalid);
        assert_eq!(
            shown(&Cell::Null),
            Shown {
                text: "∅".into(),
                kind: Kind::Null
            }
        );
        assert_eq!(
            shown(&Cell::Blob {
                len: 3,
                head: vec![0, 0xff, 0x1b]
            })
            .text,
            "BLOB 3 bytes: 00 ff 1b"
        );
        assert_eq!(shown(&Cell::Integer(-4)).kind, Kind::Number);
    }
}
