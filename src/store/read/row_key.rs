//! How a row is found again: by its rowid, or, in a WITHOUT ROWID table
//! (which has none), by its primary key.

use crate::store::inspection::catalog::LiveTable;
use crate::store::spec::quote;
use rusqlite::types::Value;
use rusqlite::{Connection, Row};

/// One row of a table, as it can be read again.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKey {
    Rowid(i64),
    /// The primary key's values, in the key's order.
    Primary(Vec<Value>),
}

impl RowKey {
    /// The rowid, in a table that has them.
    pub fn rowid(&self) -> Option<i64> {
        match self {
            RowKey::Rowid(r) => Some(*r),
            RowKey::Primary(_) => None,
        }
    }
}

impl std::fmt::Display for RowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowKey::Rowid(r) => write!(f, "rowid {r}"),
            RowKey::Primary(values) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Null => "NULL".to_string(),
                        Value::Integer(i) => i.to_string(),
                        Value::Real(x) => x.to_string(),
                        Value::Text(t) => format!("“{t}”"),
                        Value::Blob(b) => format!("{} bytes", b.len()),
                    })
                    .collect();
                write!(f, "key {}", shown.join(", "))
            }
        }
    }
}

/// The columns that find a row of one table: `rowid`, or the primary key's
/// (quoted) of a WITHOUT ROWID table.
#[derive(Debug, Clone)]
pub(crate) struct KeyColumns {
    /// Empty: the rowid.
    primary: Vec<String>,
}

impl KeyColumns {
    pub(crate) fn of(live: &LiveTable) -> Self {
        let mut pk: Vec<(u32, String)> = if live.without_rowid {
            live.columns
                .iter()
                .filter(|c| c.pk > 0)
                .map(|c| (c.pk, quote(&c.name)))
                .collect()
        } else {
            Vec::new()
        };
        pk.sort();
        Self {
            primary: pk.into_iter().map(|(_, n)| n).collect(),
        }
    }

    /// The key columns of `table`, read from the catalog (for a caller that
    /// has only the name).
    pub(crate) fn read(conn: &Connection, table: &str) -> rusqlite::Result<Self> {
        let live = crate::store::inspection::catalog::table_named(conn, table)?;
        Ok(Self::of(&live))
    }

    /// How many result columns `list` selects.
    pub(crate) fn width(&self) -> usize {
        self.primary.len().max(1)
    }

    /// The key columns, comma-separated (for SELECT, and inside a row value).
    pub(crate) fn list(&self) -> String {
        if self.primary.is_empty() {
            "rowid".into()
        } else {
            self.primary.join(", ")
        }
    }

    /// As many `?` as the key has columns, comma-separated.
    pub(crate) fn marks(&self) -> String {
        vec!["?"; self.width()].join(", ")
    }

    /// The ORDER BY terms of the key, in direction `dir`.
    pub(crate) fn order(&self, dir: &str) -> String {
        if self.primary.is_empty() {
            format!("rowid {dir}")
        } else {
            let terms: Vec<String> = self.primary.iter().map(|c| format!("{c} {dir}")).collect();
            terms.join(", ")
        }
    }

    /// The key compared with `cmp` to its values (bound by `args`).
    pub(crate) fn compare(&self, cmp: &str) -> String {
        if self.width() == 1 {
            format!("{} {cmp} ?", self.list())
        } else {
            format!("({}) {cmp} ({})", self.list(), self.marks())
        }
    }

    /// The values to bind for `key`; a key of the other kind (a table
    /// replaced by one keyed otherwise) binds NULLs, which match no row.
    pub(crate) fn args(&self, key: &RowKey) -> Vec<Value> {
        match key {
            RowKey::Rowid(r) if self.primary.is_empty() => vec![Value::Integer(*r)],
            RowKey::Primary(v) if v.len() == self.primary.len() => v.clone(),
            _ => vec![Value::Null; self.width()],
        }
    }

    /// The key read from `row`, starting at result column `at`.
    pub(crate) fn get(&self, row: &Row<'_>, at: usize) -> rusqlite::Result<RowKey> {
        if self.primary.is_empty() {
            return Ok(RowKey::Rowid(row.get(at)?));
        }
        (at..at + self.primary.len())
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
            .map(RowKey::Primary)
    }
}
