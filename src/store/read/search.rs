//! A search of the Documents grid: the rows whose id or slug is the term
//! itself first, by index, at once; then one scan that both pages and
//! counts (the substring match needs every row read, so it is read once).
//!
//! The match is SQLite's LIKE: case-insensitive for ASCII letters only.

use crate::store::inspection::catalog::LiveTable;
use crate::store::read::documents::{Anchor, DocRow, Query, SPARSE_ROWS, Shape, doc_row, window};
use crate::store::spec::quote;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// What a search says while it runs.
#[derive(Debug)]
pub enum News<'a> {
    /// The rows whose id or slug is the term itself, found by index before
    /// the scan begins, in sort order.
    Exact(&'a [DocRow]),
    /// The first page's rows the scan has found so far, in sort order.
    Page(&'a [DocRow]),
    /// How many rows match so far: the one counter of a search (the exact
    /// rows among them from the start, as they are shown).
    Matched(u64),
}

/// Whether a count of `q` is made by the scan that pages it (a search):
/// then the count is to be asked after the page, of the same connection.
pub fn pages_and_counts(q: &Query) -> bool {
    q.search.as_ref().is_some_and(|s| !s.is_empty())
}

/// What a search found: the first page, and how many rows match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Searched {
    pub rows: Vec<DocRow>,
    pub matched: u64,
}

/// The first `height` rows `q` (with a search) selects and how many it
/// selects, in one pass over the rows; `news` hears of the exact matches,
/// the page as it fills and the count as it grows.
pub fn search(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    height: usize,
    news: &mut dyn FnMut(News<'_>),
) -> rusqlite::Result<Searched> {
    let exact = exact(conn, live, q, height)?;
    if !exact.is_empty() {
        news(News::Exact(&exact));
    }
    // The exact rows the scan has not reached yet: counted already.
    let mut ahead: Vec<_> = exact.iter().map(|r| r.key.rowid.clone()).collect();
    let shape = Shape::new(conn, live, q)?;
    let mut rows: Vec<DocRow> = Vec::with_capacity(height);
    let mut matched = 0u64;
    if !ahead.is_empty() {
        news(News::Matched(ahead.len() as u64));
    }
    for st in shape.statements(None, false, false) {
        let mut stmt = conn.prepare_cached(&st.sql)?;
        let mut args = st.args;
        // No LIMIT: the rows past the page are counted, not read.
        args.push(Value::Integer(-1));
        let mut found = stmt.query(params_from_iter(args))?;
        while let Some(r) = found.next()? {
            matched += 1;
            if !ahead.is_empty() {
                let key = st.keys.get(r, 0)?;
                ahead.retain(|k| *k != key);
            }
            if rows.len() < height {
                rows.push(doc_row(&st.keys, r)?);
                news(News::Page(&rows));
            }
            news(News::Matched(matched + ahead.len() as u64));
        }
    }
    Ok(Searched { rows, matched })
}

/// The rows whose id or slug is the search term itself (and that every
/// other filter keeps), in sort order: each column read by its index. None
/// where a column has no index to read it by (then only the scan finds it).
pub fn exact(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    height: usize,
) -> rusqlite::Result<Vec<DocRow>> {
    let Some(term) = q.search.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    let cols: Vec<&str> = ["id", "slug"]
        .into_iter()
        .filter(|c| live.column(c).is_some() && live.leads_index(c))
        .collect();
    if live.without_rowid || cols.is_empty() {
        return Ok(Vec::new());
    }
    let t = quote(&live.name);
    let parts: Vec<String> = cols
        .iter()
        .map(|c| format!("SELECT rowid FROM {t} WHERE {} = ?1", quote(c)))
        .collect();
    let sql = format!("{} LIMIT ?2", parts.join(" UNION "));
    let cap = i64::try_from(SPARSE_ROWS).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut ids = stmt
        .query_map(rusqlite::params![term, cap], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    if let Some(only) = &q.rowids {
        ids.retain(|r| only.contains(r));
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let few = Query {
        rowids: Some(ids),
        ..q.clone()
    };
    window(conn, live, &few, &Anchor::Start, height)
}
