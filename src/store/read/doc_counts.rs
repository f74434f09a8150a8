//! Documents per doc_type, per status and per month: the Overview's charts,
//! and what tells a filtered page which index to walk.

use crate::store::inspection::catalog::{LiveTable, lossy};
use crate::store::spec::quote;
use rusqlite::Connection;

/// Below this many matching rows the filter's index is the better path.
pub const FILTER_INDEX_ROWS: u64 = 20_000;

/// Documents per value of `column` (doc_type or status), from its index.
pub(crate) fn counts_sql(live: &LiveTable, column: &str) -> String {
    let c = quote(column);
    format!(
        "SELECT {c}, count(*) FROM {} GROUP BY {c} ORDER BY 2 DESC",
        quote(&live.name)
    )
}

/// Documents per month of `created_at` (YYYY-MM), oldest first.
pub(crate) fn months_sql(live: &LiveTable) -> String {
    format!(
        "SELECT substr(created_at, 1, 7), count(*) FROM {} WHERE created_at IS NOT NULL GROUP BY 1 ORDER BY 1",
        quote(&live.name)
    )
}

fn counts(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            lossy(r, 0)?.unwrap_or_else(|| "NULL".into()),
            r.get::<_, i64>(1)? as u64,
        ))
    })?;
    rows.collect()
}

pub fn counts_by(
    conn: &Connection,
    live: &LiveTable,
    column: &str,
) -> rusqlite::Result<Vec<(String, u64)>> {
    if live.column(column).is_none() {
        return Ok(Vec::new());
    }
    counts(conn, &counts_sql(live, column))
}

pub fn counts_by_month(
    conn: &Connection,
    live: &LiveTable,
) -> rusqlite::Result<Vec<(String, u64)>> {
    if live.column("created_at").is_none() {
        return Ok(Vec::new());
    }
    counts(conn, &months_sql(live))
}

/// Documents per doc_type, per status and per month: the Overview's charts,
/// and what tells a page whether its filters match few rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocCounts {
    /// Every document.
    pub rows: u64,
    pub by_type: Vec<(String, u64)>,
    pub by_status: Vec<(String, u64)>,
    pub by_month: Vec<(String, u64)>,
}

/// Every value of `column` (doc_type or status) with its count, most first
/// then by value, NULL apart from any text: what a filter picker lists.
/// One pass over the column's index where it has one.
pub fn values_of(
    conn: &Connection,
    live: &LiveTable,
    column: &str,
) -> rusqlite::Result<Vec<(Option<String>, u64)>> {
    if live.column(column).is_none() {
        return Ok(Vec::new());
    }
    let c = quote(column);
    let sql = format!(
        "SELECT {c}, count(*) FROM {} GROUP BY {c} ORDER BY 2 DESC, 1",
        quote(&live.name)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((lossy(r, 0)?, r.get::<_, i64>(1)? as u64)))?;
    rows.collect()
}

impl DocCounts {
    /// Counts them (a scan of two indexes and of created_at).
    pub fn read(conn: &Connection, live: &LiveTable) -> rusqlite::Result<DocCounts> {
        let by_type = counts_by(conn, live, "doc_type")?;
        let by_status = counts_by(conn, live, "status")?;
        // An older table may lack doc_type, or status: the counts of either
        // sum to every row; without both, count them.
        let rows = match (live.column("doc_type"), live.column("status")) {
            (Some(_), _) => by_type.iter().map(|(_, n)| n).sum(),
            (None, Some(_)) => by_status.iter().map(|(_, n)| n).sum(),
            (None, None) => conn.query_row(
                &format!("SELECT count(*) FROM {}", quote(&live.name)),
                [],
                |r| r.get::<_, i64>(0),
            )? as u64,
        };
        Ok(DocCounts {
            rows,
            by_type,
            by_status,
            by_month: counts_by_month(conn, live)?,
        })
    }

    /// How many documents these filters select, when the counts tell (no
    /// search, at most one filter); None when they must be counted.
    pub fn matching(
        &self,
        types: &[Option<String>],
        statuses: &[Option<String>],
        search: bool,
    ) -> Option<u64> {
        if search {
            return None;
        }
        match (types.is_empty(), statuses.is_empty()) {
            (true, true) => Some(self.rows),
            (false, true) => Some(sum_of(&self.by_type, types)),
            (true, false) => Some(sum_of(&self.by_status, statuses)),
            (false, false) => None,
        }
    }

    /// Whether filters on these values match at most FILTER_INDEX_ROWS rows:
    /// then the filter's index drives the page.
    pub fn few_match(&self, types: &[Option<String>], statuses: &[Option<String>]) -> bool {
        [(&self.by_type, types), (&self.by_status, statuses)]
            .into_iter()
            .filter(|(_, picked)| !picked.is_empty())
            .map(|(list, picked)| sum_of(list, picked))
            .min()
            .is_some_and(|n| n <= FILTER_INDEX_ROWS)
    }
}

/// The rows of the values picked (NULL counted as the counts name it).
fn sum_of(list: &[(String, u64)], picked: &[Option<String>]) -> u64 {
    picked
        .iter()
        .map(|v| count_of(list, v.as_deref().unwrap_or("NULL")))
        .sum()
}

/// The count of `value` in a list of counts; 0 when it has none.
fn count_of(list: &[(String, u64)], value: &str) -> u64 {
    list.iter().find(|x| x.0 == value).map_or(0, |x| x.1)
}
