//! How many documents a query selects, counted row by row so a slow count
//! (a search over every row's content) can say how far it has got.

use crate::store::inspection::catalog::LiveTable;
use crate::store::read::doc_counts::DocCounts;
use crate::store::read::documents::{Query, filters};
use crate::store::spec::quote;
use rusqlite::{Connection, params_from_iter};

/// The count, from the store's counts when they tell, else counted; `seen`
/// hears the matches so far as the count goes on (it is called for every
/// match, so it should be cheap).
pub fn count(
    conn: &Connection,
    live: &LiveTable,
    q: &Query,
    counts: Option<&DocCounts>,
    seen: &mut dyn FnMut(u64),
) -> rusqlite::Result<u64> {
    // A list of rows or a search is not in the store's counts.
    let search =
        q.search.as_ref().is_some_and(|s| !s.is_empty()) || q.rowids.is_some() || q.value.is_some();
    if let Some(n) = counts.and_then(|c| c.matching(&q.doc_type, &q.status, search)) {
        return Ok(n);
    }
    let (terms, args) = filters(live, q, false);
    let mut sql = format!("SELECT 1 FROM {}", quote(&live.name));
    if !terms.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&terms.join(" AND "));
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut n = 0u64;
    while rows.next()?.is_some() {
        n += 1;
        seen(n);
    }
    Ok(n)
}
