//! Read-only browsing of any table or view, a page at a time.

use crate::store::cell::{CELL_CHARS, Cell, cut_sql};
use crate::store::inspection::catalog::{self, LiveTable};
use crate::store::read::documents::{self, Anchor, Key, Query, RowKey, Sort};
use crate::store::read::sort::SortPath;
use crate::store::read::sorted::SortedList;
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
    /// How pages in the order asked for are read: `List` wants a sorted list.
    pub path: SortPath,
    /// The column that names a row: the primary key's first column, where
    /// the table has one (the grid keeps it in view).
    pub key: Option<usize>,
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
        "SELECT name, pk FROM pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3) ORDER BY cid",
    )?;
    let described: Vec<(String, i64)> = cols_stmt
        .query_map([name], |r| {
            Ok((catalog::lossy(r, 0)?.unwrap_or_default(), r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let key = described.iter().position(|(_, pk)| *pk == 1);
    let columns: Vec<String> = described.into_iter().map(|(c, _)| c).collect();
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
        path: SortPath::Rowid,
        key,
    })
}

/// The order a browsed table is read in, other than by rowid: a column,
/// either way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Order {
    pub sort: Sort,
    pub desc: bool,
}

impl Order {
    /// The query that pages `live` in this order: every column shown, no
    /// filter (the same keyset pages, or sorted list, as Documents').
    pub fn query(&self, live: &LiveTable) -> Query {
        Query {
            sort: self.sort.clone(),
            desc: self.desc,
            columns: live
                .columns
                .iter()
                .filter(|c| matches!(c.hidden, 0 | 2 | 3))
                .map(|c| c.name.clone())
                .collect(),
            ..Query::default()
        }
    }
}

/// One page of a table paged by rowid, in `order`: from `list` when it is
/// that order's sorted list, else by keyset (on the column's index, or a
/// scan with a top-N sort). A row anchor's place in the order is its
/// rowid's sort value, read back.
pub(crate) fn sorted_page(
    conn: &Connection,
    name: &str,
    order: &Order,
    anchor: RowAnchor,
    limit: usize,
    list: Option<&SortedList>,
) -> rusqlite::Result<TablePage> {
    let live = catalog::table_named(conn, name)?;
    let q = order.query(&live);
    let key = |rowid: i64| -> rusqlite::Result<Key> {
        let value = match order.sort.column().and_then(|c| live.column(c)) {
            Some(c) => conn
                .query_row(
                    &format!(
                        "SELECT {} FROM {} WHERE rowid = ?1",
                        quote(&c.name),
                        quote(name)
                    ),
                    [rowid],
                    |r| r.get(0),
                )
                .or_else(|e| match e {
                    // A row gone since: its place is lost, the start stands in.
                    rusqlite::Error::QueryReturnedNoRows => Ok(rusqlite::types::Value::Null),
                    e => Err(e),
                })?,
            None => rusqlite::types::Value::Integer(rowid),
        };
        Ok(Key {
            value,
            rowid: RowKey::Rowid(rowid),
        })
    };
    let anchor_row = anchor;
    let anchor = match anchor {
        RowAnchor::Start => Anchor::Start,
        RowAnchor::End => Anchor::End,
        RowAnchor::After(r) => Anchor::From {
            key: key(r)?,
            inclusive: false,
        },
        RowAnchor::Before(r) => Anchor::Before {
            key: key(r)?,
            n: limit,
        },
    };
    let mut rows = match list.filter(|l| l.serves(&live.name, &q)) {
        Some(l) => l.window(&q, &anchor, limit)?,
        None => documents::window(conn, &live, &q, &anchor, limit)?,
    };
    // A window near an end is filled from the other side, as a pager's;
    // a page after (before) a row holds only the rows past it, as `page`'s
    // do, so the app can tell it is at an end.
    let at = |r: i64| rows.iter().position(|x| x.key.rowid == RowKey::Rowid(r));
    match anchor_row {
        RowAnchor::After(r) => {
            if let Some(i) = at(r) {
                rows.drain(..=i);
            }
        }
        RowAnchor::Before(r) => {
            if let Some(i) = at(r) {
                rows.truncate(i);
            }
        }
        RowAnchor::Start | RowAnchor::End => {}
    }
    let columns = q.grid_columns();
    let pk = live.columns.iter().find(|c| c.pk == 1);
    let key = pk.and_then(|k| columns.iter().position(|c| *c == k.name));
    Ok(TablePage {
        columns,
        key,
        rows: rows
            .into_iter()
            .map(|r| (r.key.rowid.rowid(), r.cells))
            .collect(),
        keyed: true,
        path: order.sort.path(&live),
    })
}
