//! One document in full (every column, values cut at DETAIL_CHARS), and the
//! query plans of the reads the app makes of `documents` besides its pages.

use super::catalog::LiveTable;
use super::cell::{Cell, DETAIL_CHARS, cut_sql};
use super::doc_counts::{counts_sql, months_sql};
use super::spec::quote;
use rusqlite::Connection;

/// The plans of the other reads the app makes of `documents`: the counts
/// behind the charts, and one document by rowid.
pub fn explain_others(
    conn: &Connection,
    live: &LiveTable,
) -> rusqlite::Result<Vec<(String, String)>> {
    let shapes = [
        ("counts by doc_type", counts_sql(live, "doc_type")),
        ("counts by status", counts_sql(live, "status")),
        ("counts by month", months_sql(live)),
        ("one document", document_sql(live).replace("?1", "1")),
    ];
    shapes
        .into_iter()
        .map(|(name, sql)| {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let lines = stmt
                .query_map([], |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((name.to_string(), lines.join("; ")))
        })
        .collect()
}

/// Every column of one document, values cut at DETAIL_CHARS.
fn document_sql(live: &LiveTable) -> String {
    let cols: Vec<String> = live
        .columns
        .iter()
        .map(|c| cut_sql(&quote(&c.name), DETAIL_CHARS))
        .collect();
    format!(
        "SELECT {} FROM {} WHERE rowid = ?1",
        cols.join(", "),
        quote(&live.name)
    )
}

pub fn document(
    conn: &Connection,
    live: &LiveTable,
    rowid: i64,
) -> rusqlite::Result<Option<Vec<(String, Cell)>>> {
    let sql = document_sql(live);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([rowid])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(live.columns.len());
    for (i, c) in live.columns.iter().enumerate() {
        out.push((c.name.clone(), Cell::at(r, 2 * i)?));
    }
    Ok(Some(out))
}
