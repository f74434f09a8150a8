//! Paged, filtered, sorted reads of `documents` by keyset (never OFFSET), and
//! one document in full. Cells are cut in SQL so a huge value never loads
//! whole for the grid.

use crate::store::cell::{CELL_CHARS, Cell, cut_sql};
use crate::store::inspection::catalog::LiveTable;
use crate::store::read::doc_counts::DocCounts;
pub use crate::store::read::document::{DocView, Link, LinkKind, document, explain_others};
pub use crate::store::read::filters::Picked;
pub use crate::store::read::filters::SPARSE_ROWS;
use crate::store::read::filters::{FilterSet, ValueFilter, col, sparse_rowids};
use crate::store::read::row_key::KeyColumns;
pub use crate::store::read::row_key::RowKey;
pub use crate::store::read::sort::Sort;
use crate::store::read::sort::SortPath;
use crate::store::spec::quote;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// The columns the grid shows when none are chosen.
pub const DEFAULT_COLUMNS: [&str; 5] = ["id", "doc_type", "status", "created_at", "title"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// The doc_types and statuses kept (none: all).
    pub doc_type: Picked,
    pub status: Picked,
    /// Matched (case-insensitively, as a substring) in id, slug, title, content.
    pub search: Option<String>,
    pub sort: Sort,
    /// Let the filters' indexes drive the query (`window_with` decides it from
    /// the counts; tests and `explain` may force it). Right when few rows match
    /// (then sorting them is cheap); otherwise walking the sort's index and
    /// checking the filters is far faster, and SQLite, without statistics on
    /// a read-only store, cannot tell the two cases apart.
    pub filter_index: bool,
    /// Newest first: the sort reversed (read by the same index, backwards).
    pub desc: bool,
    /// The columns to show, in order; empty means DEFAULT_COLUMNS.
    pub columns: Vec<String>,
    /// Only these rows (the rows a data-check finding names).
    pub rowids: Option<Vec<i64>>,
    /// Only rows with this value (picked among a column's frequencies).
    pub value: Option<ValueFilter>,
}

impl Query {
    /// The grid's columns: the chosen ones, and the sort column after the
    /// id when it is not among them (the order shown is the order used).
    pub fn grid_columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = if self.columns.is_empty() {
            DEFAULT_COLUMNS.map(String::from).to_vec()
        } else {
            self.columns.clone()
        };
        if let Some(c) = self.sort.column()
            && !cols.iter().any(|x| x.eq_ignore_ascii_case(c))
        {
            let at = usize::from(cols.first().is_some_and(|x| x == "id")).min(cols.len());
            cols.insert(at, c.to_string());
        }
        cols
    }

    /// The sort as the screen says it: `created_at ↓` when reversed.
    pub fn sort_label(&self) -> String {
        let arrow = if self.desc { "↓" } else { "↑" };
        format!("{} {arrow}", self.sort.label())
    }
}

/// Where a row stands in the sort order: its sort value, then its rowid
/// (or, in a WITHOUT ROWID table, its primary key).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub value: Value,
    pub rowid: RowKey,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocRow {
    pub key: Key,
    pub id: Cell,
    /// The values of `Query::grid_columns`, in order, cut for the grid.
    pub cells: Vec<Cell>,
}

/// Where a window of rows starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor {
    Start,
    End,
    /// From this key, including it or not.
    From {
        key: Key,
        inclusive: bool,
    },
    /// `n` rows before this key, then onwards.
    Before {
        key: Key,
        n: usize,
    },
}

struct Sql {
    keys: KeyColumns,
    select: String,
    from: String,
    filters: Vec<String>,
    args: Vec<Value>,
    sort: Option<String>,
}

fn base(live: &LiveTable, q: &Query, only: Option<&str>) -> Sql {
    let cut = |c: &str| cut_sql(&col(live, c), CELL_CHARS);
    let sort = q.sort.column().map(|c| col(live, c));
    let keys = KeyColumns::of(live);
    // In insertion order the key is the order; the sort value is unused.
    let inserted = if live.without_rowid { "NULL" } else { "rowid" };
    let mut select = format!(
        "{}, {}, {}",
        keys.list(),
        sort.clone().unwrap_or_else(|| inserted.into()),
        cut("id"),
    );
    for c in q.grid_columns() {
        select.push_str(", ");
        select.push_str(&cut(&c));
    }
    let mut terms = Vec::new();
    let mut args = Vec::new();
    if let Some(list) = only {
        // The few rows are fetched by rowid and sorted; every other filter
        // stays as a check.
        terms.push("rowid IN (SELECT value FROM json_each(?))".to_string());
        args.push(Value::Text(list.to_string()));
    }
    // Several values of one filter come out of its index value by value,
    // not in rowid order: unless few rows match, the rowid walk is the
    // faster path, as for a sort's own index.
    let several = q.doc_type.len() > 1 || q.status.len() > 1;
    let hint = (q.sort.column().is_some() || several) && !q.filter_index
        || only.is_some()
        || q.rowids.is_some();
    let (f, a) = filters(live, q, hint);
    terms.extend(f);
    args.extend(a);
    Sql {
        keys,
        select,
        from: quote(&live.name),
        filters: terms,
        args,
        sort,
    }
}

/// What a page selects of a row of `q` (its key, sort value, id and
/// cells, as `doc_row` reads them), for a caller that finds the rows itself.
pub(crate) fn row_select(live: &LiveTable, q: &Query) -> String {
    base(live, q, None).select
}

/// The WHERE terms of `q`'s filters and search, and their arguments;
/// `hint` keeps SQLite off the filters' indexes (a unary +).
pub(crate) fn filters(live: &LiveTable, q: &Query, hint: bool) -> (Vec<String>, Vec<Value>) {
    let set = FilterSet {
        types: &q.doc_type,
        statuses: &q.status,
        search: q.search.as_deref(),
        rowids: q.rowids.as_deref(),
        value: q.value.as_ref(),
    };
    set.terms(live, hint)
}

/// One statement of a keyset step; its LIMIT is bound last. Its rows start
/// with the key's columns.
pub(crate) struct Stmt {
    pub(crate) sql: String,
    pub(crate) args: Vec<Value>,
    pub(crate) keys: KeyColumns,
}

/// The statements of one keyset step, in the order they are run: rows
/// strictly after (or before) `key`, or from the start (end) when `key` is
/// None, in sort order (reversed when `back`).
fn statements(
    live: &LiveTable,
    q: &Query,
    only: Option<&str>,
    key: Option<&Key>,
    inclusive: bool,
    back: bool,
) -> Vec<Stmt> {
    let s = base(live, q, only);
    // Reversed, the display's forward is the index's backward.
    let back = back != q.desc;
    let (cmp, dir) = match (back, inclusive) {
        (false, false) => (">", "ASC"),
        (false, true) => (">=", "ASC"),
        (true, false) => ("<", "DESC"),
        (true, true) => ("<=", "DESC"),
    };
    let make = |filters: Vec<String>, args: Vec<Value>, order: String| {
        let sql = format!(
            "SELECT {} FROM {}{} ORDER BY {order} LIMIT ?",
            s.select,
            s.from,
            if filters.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", filters.join(" AND "))
            }
        );
        Stmt {
            sql,
            args,
            keys: s.keys.clone(),
        }
    };
    let keys = &s.keys;
    let Some(c) = &s.sort else {
        let mut filters = s.filters.clone();
        let mut args = s.args.clone();
        if let Some(k) = key {
            filters.push(keys.compare(cmp));
            args.extend(keys.args(&k.rowid));
        }
        return vec![make(filters, args, keys.order(dir))];
    };
    if q.sort.path(live) == SortPath::List {
        // No index gives the order: one scan with a top-N sort, as
        // `ORDER BY col LIMIT n` is (segments would each scan every row).
        let mut filters = s.filters.clone();
        let mut args = s.args.clone();
        if let Some(k) = key {
            filters.push(past_key(c, keys, cmp, k, &mut args));
        }
        return vec![make(
            filters,
            args,
            format!("{c} {dir}, {}", keys.order(dir)),
        )];
    }
    // NULL sort values come first (SQLite's order); a row-value comparison
    // never matches them, so they are a segment of their own.
    let key_null = key.is_some_and(|k| k.value == Value::Null);
    let segments: Vec<(bool, Option<&Key>)> = match (key, !back) {
        (None, true) => vec![(true, None), (false, None)],
        (None, false) => vec![(false, None), (true, None)],
        (Some(k), true) if key_null => vec![(true, Some(k)), (false, None)],
        (Some(k), true) => vec![(false, Some(k))],
        (Some(k), false) if key_null => vec![(true, Some(k))],
        (Some(k), false) => vec![(false, Some(k)), (true, None)],
    };
    // A NOT NULL sort column has no NULL segment (and SQLite would plan
    // `IS NULL` on it as a scan).
    let can_be_null = q
        .sort
        .column()
        .and_then(|n| live.column(n))
        .is_none_or(|c| !c.not_null);
    segments
        .into_iter()
        .filter(|(null_seg, _)| can_be_null || !null_seg)
        .map(|(null_seg, k)| {
            let mut filters = s.filters.clone();
            let mut args = s.args.clone();
            if null_seg {
                filters.push(format!("{c} IS NULL"));
                if let Some(k) = k {
                    filters.push(keys.compare(cmp));
                    args.extend(keys.args(&k.rowid));
                }
                make(filters, args, keys.order(dir))
            } else {
                match k {
                    Some(k) => {
                        filters.push(format!(
                            "({c}, {}) {cmp} (?, {})",
                            keys.list(),
                            keys.marks()
                        ));
                        args.push(k.value.clone());
                        args.extend(keys.args(&k.rowid));
                    }
                    None => filters.push(format!("{c} IS NOT NULL")),
                }
                make(filters, args, format!("{c} {dir}, {}", keys.order(dir)))
            }
        })
        .collect()
}

/// The rows past `k` in the order of column `c` then the key, NULLs first:
/// `cmp` is `>`/`>=` forward, `<`/`<=` backward (the key's own compare).
fn past_key(c: &str, keys: &KeyColumns, cmp: &str, k: &Key, args: &mut Vec<Value>) -> String {
    let on_key = keys.compare(cmp);
    let forward = cmp.starts_with('>');
    let key_args = keys.args(&k.rowid);
    if k.value == Value::Null {
        args.extend(key_args);
        return if forward {
            format!("({c} IS NOT NULL OR {on_key})")
        } else {
            format!("({c} IS NULL AND {on_key})")
        };
    }
    let strict = if forward { ">" } else { "<" };
    args.push(k.value.clone());
    args.push(k.value.clone());
    args.extend(key_args);
    let nulls = if forward { "" } else { " OR {c} IS NULL" };
    format!(
        "({c} {strict} ? OR ({c} = ? AND {on_key}){})",
        nulls.replace("{c}", c)
    )
}

/// What one window reads from: the query, and the rowids it is limited to
/// when two filters match few rows together.
pub(crate) struct Shape<'a> {
    live: &'a LiveTable,
    q: &'a Query,
    only: Option<String>,
}

impl<'a> Shape<'a> {
    pub(crate) fn new(
        conn: &Connection,
        live: &'a LiveTable,
        q: &'a Query,
    ) -> rusqlite::Result<Self> {
        Ok(Self {
            live,
            q,
            only: if q.filter_index
                || q.search.as_ref().is_some_and(|s| !s.is_empty())
                || q.rowids.is_some()
            {
                None
            } else {
                sparse_rowids(conn, live, &q.doc_type, &q.status)?
            },
        })
    }

    pub(crate) fn statements(&self, key: Option<&Key>, inclusive: bool, back: bool) -> Vec<Stmt> {
        statements(
            self.live,
            self.q,
            self.only.as_deref(),
            key,
            inclusive,
            back,
        )
    }
}

fn step(
    conn: &Connection,
    shape: &Shape<'_>,
    key: Option<&Key>,
    inclusive: bool,
    back: bool,
    limit: usize,
    on_row: &mut dyn FnMut(&DocRow),
) -> rusqlite::Result<Vec<DocRow>> {
    let mut out = Vec::new();
    for st in shape.statements(key, inclusive, back) {
        if out.len() >= limit {
            break;
        }
        run(conn, st, limit - out.len(), &mut out, on_row)?;
    }
    Ok(out)
}

fn run(
    conn: &Connection,
    st: Stmt,
    limit: usize,
    out: &mut Vec<DocRow>,
    on_row: &mut dyn FnMut(&DocRow),
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&st.sql)?;
    let mut args = st.args;
    args.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        out.push(doc_row(&st.keys, r)?);
        if let Some(row) = out.last() {
            on_row(row);
        }
    }
    Ok(())
}

/// One row of a keyset statement: the key, the sort value, the id (two
/// columns), then the cells.
pub(crate) fn doc_row(keys: &KeyColumns, r: &rusqlite::Row<'_>) -> rusqlite::Result<DocRow> {
    let w = keys.width();
    let n = (r.as_ref().column_count() - w - 3) / 2;
    let mut cells = Vec::with_capacity(n);
    for i in 0..n {
        cells.push(Cell::at(r, w + 3 + 2 * i)?);
    }
    Ok(DocRow {
        key: Key {
            value: r.get::<_, Value>(w)?,
            rowid: keys.get(r, 0)?,
        },
        id: Cell::at(r, w + 1)?,
        cells,
    })
}

/// The query plans (`EXPLAIN QUERY PLAN` details, one string per statement)
/// of one keyset step: what tests and the benchmark check for index use.
pub fn explain(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    key: Option<&Key>,
    back: bool,
) -> rusqlite::Result<Vec<String>> {
    Shape::new(conn, live, q)?
        .statements(key, false, back)
        .into_iter()
        .map(|st| {
            let mut args = st.args;
            args.push(Value::Integer(50));
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", st.sql))?;
            let lines = stmt
                .query_map(params_from_iter(args), |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(lines.join("; "))
        })
        .collect()
}

/// What one window asks for.
pub struct WindowAsk<'a> {
    pub query: &'a Query,
    /// The counts behind the charts, when known (see `window_with`).
    pub counts: Option<&'a DocCounts>,
    pub anchor: &'a Anchor,
    pub height: usize,
}

/// `window_with` under a deadline and a caller's `stop` check (see
/// `open::with_watch`): the app's reads, which a newer one makes moot.
pub fn watched_window(
    conn: &mut Connection,
    live: &LiveTable,
    ask: &WindowAsk<'_>,
    limit: std::time::Duration,
    stop: impl FnMut() -> bool + Send + 'static,
    on_row: &mut dyn FnMut(&DocRow),
) -> Result<Vec<DocRow>, crate::store::open::DeadlineError> {
    crate::store::open::with_watch(conn, limit, stop, |c| {
        window_with(
            c, live, ask.query, ask.counts, ask.anchor, ask.height, on_row,
        )
    })
}

/// A full window of `height` rows at `anchor` (fewer only when the table has
/// fewer), in sort order.
pub fn window(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    anchor: &Anchor,
    height: usize,
) -> rusqlite::Result<Vec<DocRow>> {
    window_with(conn, live, q, None, anchor, height, &mut |_| {})
}

/// `window`, with the store's counts (when known) to pick the filter's
/// index where the filters match few rows, calling `on_row` for each row as
/// SQLite finds it, so a slow search can show its first matches. From
/// `Start` the rows come in their final order.
pub fn window_with(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    counts: Option<&DocCounts>,
    anchor: &Anchor,
    height: usize,
    on_row: &mut dyn FnMut(&DocRow),
) -> rusqlite::Result<Vec<DocRow>> {
    let routed;
    let q = match counts {
        Some(c) if !q.filter_index && c.few_match(&q.doc_type, &q.status) => {
            routed = Query {
                filter_index: true,
                ..q.clone()
            };
            &routed
        }
        _ => q,
    };
    let shape = Shape::new(conn, live, q)?;
    window_in(conn, &shape, anchor, height.max(1), on_row)
}

fn window_in(
    conn: &Connection,
    shape: &Shape<'_>,
    anchor: &Anchor,
    height: usize,
    on_row: &mut dyn FnMut(&DocRow),
) -> rusqlite::Result<Vec<DocRow>> {
    match anchor {
        Anchor::Start => step(conn, shape, None, false, false, height, on_row),
        Anchor::End => {
            let mut rows = step(conn, shape, None, false, true, height, on_row)?;
            rows.reverse();
            Ok(rows)
        }
        Anchor::From { key, inclusive } => {
            let mut rows = step(conn, shape, Some(key), *inclusive, false, height, on_row)?;
            if rows.len() < height {
                // Near the end: fill the window from before, as a pager does.
                let first = rows
                    .first()
                    .map(|r| r.key.clone())
                    .unwrap_or_else(|| key.clone());
                let incl = rows.is_empty() && !inclusive;
                let mut before = step(
                    conn,
                    shape,
                    Some(&first),
                    incl,
                    true,
                    height - rows.len(),
                    on_row,
                )?;
                before.reverse();
                before.extend(rows);
                rows = before;
            }
            Ok(rows)
        }
        Anchor::Before { key, n } => {
            let before = step(conn, shape, Some(key), false, true, *n, &mut |_| {})?;
            match before.last() {
                Some(first) => window_in(
                    conn,
                    shape,
                    &Anchor::From {
                        key: first.key.clone(),
                        inclusive: true,
                    },
                    height,
                    &mut |_| {},
                ),
                None => step(conn, shape, None, false, false, height, on_row),
            }
        }
    }
}
