//! One stored value as the app shows it: cut in SQL so a huge value never
//! loads whole, read as `ValueRef` so NULL, numbers, invalid UTF-8 and BLOBs
//! stay what they are.

use rusqlite::Row;
use rusqlite::types::ValueRef;

/// Grid cells are cut to this many characters in SQL.
pub(crate) const CELL_CHARS: i64 = 200;
/// The detail view loads at most this many characters of one value.
pub const DETAIL_CHARS: i64 = 256 * 1024;

/// Two result columns for the value of `col` (SQL): cut to `chars` (text in
/// characters, a BLOB in bytes), then its full length; read with `Cell::at`.
pub(crate) fn cut_sql(col: &str, chars: i64) -> String {
    format!(
        "CASE WHEN typeof({col}) IN ('text','blob') THEN substr({col}, 1, {chars}) ELSE {col} END, length({col})"
    )
}

/// A value as stored, made safe to show: never loaded whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    /// Text, decoded lossily; `invalid` when it was not UTF-8; `chars` is the
    /// full length when the text was cut.
    Text {
        text: String,
        invalid: bool,
        cut_from: Option<i64>,
    },
    Blob {
        len: i64,
        head: Vec<u8>,
    },
}

impl Cell {
    /// The value at result column `i` of a query made with `cut_sql`, and
    /// its full length at `i + 1`.
    pub(crate) fn at(row: &Row<'_>, i: usize) -> rusqlite::Result<Cell> {
        Ok(Cell::read(
            row.get_ref(i)?,
            row.get::<_, Option<i64>>(i + 1)?,
        ))
    }

    /// A value read whole by SQLite (a statement that cannot cut it in SQL),
    /// kept only up to `chars` characters (a BLOB: bytes).
    pub(crate) fn cut(v: ValueRef<'_>, chars: i64) -> Cell {
        let n = usize::try_from(chars).unwrap_or(0);
        match v {
            ValueRef::Text(b) => {
                let lossy = String::from_utf8_lossy(b);
                let total = lossy.chars().count();
                let text: String = lossy.chars().take(n).collect();
                Cell::Text {
                    invalid: matches!(lossy, std::borrow::Cow::Owned(_)),
                    cut_from: (total > n).then_some(total as i64),
                    text,
                }
            }
            ValueRef::Blob(b) => Cell::Blob {
                len: b.len() as i64,
                head: b[..b.len().min(n)].to_vec(),
            },
            other => Cell::read(other, None),
        }
    }

    /// A value read with its full `length()`, after a `substr` cut.
    fn read(v: ValueRef<'_>, full_len: Option<i64>) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(b) => {
                let lossy = String::from_utf8_lossy(b);
                let invalid = matches!(lossy, std::borrow::Cow::Owned(_));
                let shown = lossy.chars().count() as i64;
                Cell::Text {
                    text: lossy.into_owned(),
                    invalid,
                    cut_from: full_len.filter(|&n| n > shown),
                }
            }
            ValueRef::Blob(b) => Cell::Blob {
                len: full_len.unwrap_or(b.len() as i64),
                head: b.to_vec(),
            },
        }
    }

    /// One line for a grid cell or a status line (to be escaped by the caller).
    pub fn summary(&self) -> String {
        match self {
            Cell::Null => "NULL".into(),
            Cell::Integer(i) => i.to_string(),
            Cell::Real(f) => f.to_string(),
            Cell::Text { text, .. } => text.clone(),
            Cell::Blob { len, head } => {
                let hex: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
                format!(
                    "BLOB {len} bytes: {}{}",
                    hex.join(" "),
                    if *len > 8 { " …" } else { "" }
                )
            }
        }
    }
}
