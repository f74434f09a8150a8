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

/// The statuses `s` cycles through, in order: those the store holds (its
/// counts, once read), else the pipeline's own for posts.
pub fn status_choices(counts: Option<&DocCounts>) -> Vec<String> {
    let mut values: Vec<String> = counts
        .map(|c| c.by_status.iter().map(|s| s.0.clone()).collect())
        .unwrap_or_default();
    if values.is_empty() {
        values = ["draft", "published", "archived"]
            .map(String::from)
            .to_vec();
    }
    values.sort();
    values
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
        doc_type: Option<&str>,
        status: Option<&str>,
        search: bool,
    ) -> Option<u64> {
        if search {
            return None;
        }
        match (doc_type, status) {
            (None, None) => Some(self.rows),
            (Some(t), None) => Some(count_of(&self.by_type, t)),
            (None, Some(s)) => Some(count_of(&self.by_status, s)),
            (Some(_), Some(_)) => None,
        }
    }

    /// Whether filters on these values match at most FILTER_INDEX_ROWS rows:
    /// then the filter's index drives the page.
    pub fn few_match(&self, doc_type: Option<&str>, status: Option<&str>) -> bool {
        [
            doc_type.map(|v| count_of(&self.by_type, v)),
            status.map(|v| count_of(&self.by_status, v)),
        ]
        .into_iter()
        .flatten()
        .min()
        .is_some_and(|n| n <= FILTER_INDEX_ROWS)
    }
}

/// The count of `value` in a list of counts; 0 when it has none.
fn count_of(list: &[(String, u64)], value: &str) -> u64 {
    list.iter().find(|x| x.0 == value).map_or(0, |x| x.1)
}
