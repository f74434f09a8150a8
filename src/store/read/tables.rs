//! Read-only browsing of any table or view, a page at a time.

use crate::store::cell::{CELL_CHARS, Cell, cut_sql};
use crate::store::inspection::catalog;
use crate::store::spec::quote;
use rusqlite::Connection;

/// Views and WITHOUT ROWID tables have no rowid to page by: they show this
/// many rows from the start.
pub(crate) const UNKEYED_ROWS: usize = 1000;

/// What browsing a table shows of it: all its rows a page at a time when it
/// pages by rowid, else the first UNKEYED_ROWS (said beside its name).
pub fn scope(keyed: bool) -> Option<String> {
    (!keyed).then(|| format!("first {UNKEYED_ROWS} rows"))
}

#[derive(Debug, Clone, PartialEq)]
pub struct TablePage {
    pub columns: Vec<String>,
    /// (rowid, cells); rowid is None for views and WITHOUT ROWID tables.
    pub rows: Vec<(Option<i64>, Vec<Cell>)>,
    pub keyed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAnchor {
    Start,
    End,
    After(i64),
    Before(i64),
}

/// One page of `name`. `is_table` and `without_rowid` come from the catalog.
pub(crate) fn page(
    conn: &Connection,
    name: &str,
    keyed: bool,
    anchor: RowAnchor,
    limit: usize,
) -> rusqlite::Result<TablePage> {
    let mut cols_stmt = conn.prepare(
        "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3) ORDER BY cid",
    )?;
    let columns: Vec<String> = cols_stmt
        .query_map([name], |r| {
            catalog::lossy(r, 0).map(Option::unwrap_or_default)
        })?
        .collect::<rusqlite::Result<_>>()?;
    let cut: Vec<String> = columns
        .iter()
        .map(|c| cut_sql(&quote(c), CELL_CHARS))
        .collect();
    let t = quote(name);
    let sel = if cut.is_empty() {
        "NULL, NULL".to_string()
    } else {
        cut.join(", ")
    };
    let (sql, arg, reverse) = if keyed {
        match anchor {
            RowAnchor::Start => (
                format!("SELECT rowid, {sel} FROM {t} ORDER BY rowid LIMIT {limit}"),
                None,
                false,
            ),
            RowAnchor::End => (
                format!("SELECT rowid, {sel} FROM {t} ORDER BY rowid DESC LIMIT {limit}"),
                None,
                true,
            ),
            RowAnchor::After(r) => (
                format!(
                    "SELECT rowid, {sel} FROM {t} WHERE rowid > ?1 ORDER BY rowid LIMIT {limit}"
                ),
                Some(r),
                false,
            ),
            RowAnchor::Before(r) => (
                format!(
                    "SELECT rowid, {sel} FROM {t} WHERE rowid < ?1 ORDER BY rowid DESC LIMIT {limit}"
                ),
                Some(r),
                true,
            ),
        }
    } else {
        (
            format!("SELECT NULL, {sel} FROM {t} LIMIT {UNKEYED_ROWS}"),
            None,
            false,
        )
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = match arg {
        Some(a) => stmt.query([a])?,
        None => stmt.query([])?,
    };
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            cells.push(Cell::at(r, 1 + 2 * i)?);
        }
        out.push((r.get::<_, Option<i64>>(0)?, cells));
    }
    if reverse {
        out.reverse();
    }
    Ok(TablePage {
        columns,
        rows: out,
        keyed,
    })
}
