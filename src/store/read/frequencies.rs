//! A column's values by frequency, counted by SQL's own GROUP BY in one
//! pass: the most frequent values, and the rows, non-NULL values, distinct
//! values, least and greatest value, all from the groups as they come (in
//! the column's order), so nothing but the top values is held. The JSON
//! array columns count their elements.

use crate::store::cell::{CELL_CHARS, Cell, cut_sql};
use crate::store::error::{Result, StoreError};
use crate::store::read::export::{DocSelection, documents_from};
use crate::store::read::query::QueryConn;
use crate::store::spec::quote;
use rusqlite::params_from_iter;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The most frequent values kept.
pub const TOP: usize = 500;

/// Columns that hold a JSON array: their elements are counted.
pub const ARRAY_COLUMNS: &[&str] = &["tags", "authors", "interests"];

/// Where the column's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum FreqSource {
    /// The documents the Documents tab selects.
    Documents(DocSelection),
    Table(String),
    /// The user's statement; its columns are taken by position (`index`
    /// of `width`), as names may repeat.
    Query {
        sql: String,
        index: usize,
        width: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Freq {
    pub value: Cell,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frequencies {
    pub column: String,
    /// The column's JSON array elements were counted, not its values.
    pub elements: bool,
    pub rows: u64,
    /// Rows whose value is not NULL (for elements: rows with any).
    pub non_null: u64,
    /// Distinct values (elements) other than NULL.
    pub distinct: u64,
    pub min: Option<Cell>,
    pub max: Option<Cell>,
    /// The most frequent, most first (ties in the column's order).
    pub top: Vec<Freq>,
}

/// Counts `column`'s values in `source`; `progress` hears the groups read
/// so far and stops the count by returning false (`StoreError::Cancelled`).
pub fn frequencies(
    qc: &QueryConn,
    source: &FreqSource,
    column: &str,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Frequencies> {
    let elements = ARRAY_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(column));
    let (from, col, args) = match source {
        FreqSource::Documents(sel) => {
            let (from, args) = documents_from(qc.conn(), sel)?;
            (from, quote(column), args)
        }
        FreqSource::Table(t) => (quote(t), quote(column), Vec::new()),
        FreqSource::Query { sql, index, width } => {
            // The statement is checked on its own first: its own errors.
            drop(qc.prepare(sql)?);
            let names: Vec<String> = (0..*width).map(|i| format!("c{i}")).collect();
            let body = crate::store::read::query::body(sql);
            (
                format!(
                    "(WITH q({}) AS (\n{body}\n) SELECT * FROM q)",
                    names.join(", ")
                ),
                format!("c{index}"),
                Vec::new(),
            )
        }
    };
    let failed = |e: rusqlite::Error| match e {
        e if crate::store::error::is_interrupted(&e) => StoreError::Cancelled,
        e if crate::store::error::is_busy(&e) => StoreError::locked(&qc.path),
        e => StoreError::Sql {
            message: crate::store::error::sqlite_text(&e),
            at: None,
        },
    };
    if !elements {
        let sql = format!(
            "SELECT {}, count(*) FROM {from} GROUP BY {col}",
            cut_sql(&col, CELL_CHARS)
        );
        return groups(qc, &sql, &args, column, false, &failed, progress);
    }
    // Elements: the rows with any (each array's first element names its
    // row once), and the rows in all, counted apart (cheaply, by an index
    // where there is one). A value that is not JSON stops json_each: only
    // then is each value checked first, which costs a second parse.
    let rows: i64 = qc
        .conn()
        .query_row(
            &format!("SELECT count(*) FROM {from}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )
        .map_err(failed)?;
    // Rows per element: an element counts where it first stands in its row
    // (the first element always does; only later ones look back).
    let sql = |each: &str| {
        format!(
            "SELECT {}, count(*), sum(j.key = 0) FROM {from} AS s, json_each({each}) AS j \
             WHERE j.key = 0 OR NOT EXISTS \
               (SELECT 1 FROM json_each({each}) AS k WHERE k.key < j.key AND k.value IS j.value) \
             GROUP BY j.value",
            cut_sql("j.value", CELL_CHARS)
        )
    };
    let fast = groups(
        qc,
        &sql(&format!("s.{col}")),
        &args,
        column,
        true,
        &failed,
        progress,
    );
    let mut f = match fast {
        Err(StoreError::Sql { message, .. }) if message.contains("malformed JSON") => {
            let checked = format!("CASE WHEN json_valid(s.{col}) THEN s.{col} END");
            groups(qc, &sql(&checked), &args, column, true, &failed, progress)?
        }
        other => other?,
    };
    f.rows = u64::try_from(rows).unwrap_or(0);
    Ok(f)
}

/// Reads the groups of `sql` (a value, its count, and for elements the rows
/// they begin), keeping the TOP most frequent.
fn groups(
    qc: &QueryConn,
    sql: &str,
    args: &[rusqlite::types::Value],
    column: &str,
    elements: bool,
    failed: &dyn Fn(rusqlite::Error) -> StoreError,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<Frequencies> {
    let mut stmt = qc.conn().prepare(sql).map_err(failed)?;
    let mut rows = stmt.query(params_from_iter(args.iter())).map_err(failed)?;
    let mut f = Frequencies {
        column: column.to_string(),
        elements,
        rows: 0,
        non_null: 0,
        distinct: 0,
        min: None,
        max: None,
        top: Vec::new(),
    };
    // The TOP most frequent so far; the least of them on top to leave first.
    let mut heap: BinaryHeap<Reverse<(u64, Reverse<u64>)>> = BinaryHeap::new();
    let mut kept: Vec<Option<Cell>> = Vec::new();
    let mut groups = 0u64;
    let mut null_rows = 0u64;
    while let Some(r) = rows.next().map_err(failed)? {
        let value = Cell::at(r, 0).map_err(failed)?;
        let n = |i| {
            r.get::<_, Option<i64>>(i)
                .map(|v| v.unwrap_or(0).max(0) as u64)
        };
        let count = n(2).map_err(failed)?;
        if elements {
            f.non_null += n(3).map_err(failed)?;
        } else {
            f.rows += count;
            if value == Cell::Null {
                null_rows += count;
            }
        }
        if count > 0 {
            if value != Cell::Null {
                f.distinct += 1;
                if f.min.is_none() {
                    f.min = Some(value.clone());
                }
                f.max = Some(value.clone());
            }
            // Ties keep the first in the column's order.
            heap.push(Reverse((count, Reverse(kept.len() as u64))));
            kept.push(Some(value));
            if heap.len() > TOP
                && let Some(Reverse((_, Reverse(i)))) = heap.pop()
            {
                kept[i as usize] = None;
            }
        } else {
            kept.push(None);
        }
        groups += 1;
        if groups.is_multiple_of(1024) && !progress(groups) {
            return Err(StoreError::Cancelled);
        }
        // Only the values still among the most frequent are kept.
        if kept.len() > 4 * TOP {
            compact(&mut heap, &mut kept);
        }
    }
    if !elements {
        f.non_null = f.rows.saturating_sub(null_rows);
    }
    let mut top: Vec<(u64, u64)> = heap
        .into_iter()
        .map(|Reverse((c, Reverse(i)))| (c, i))
        .collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    f.top = top
        .into_iter()
        .filter_map(|(count, i)| {
            kept.get_mut(i as usize)
                .and_then(Option::take)
                .map(|value| Freq { value, count })
        })
        .collect();
    Ok(f)
}

/// Renumbers the kept values so the list of them stays small.
fn compact(heap: &mut BinaryHeap<Reverse<(u64, Reverse<u64>)>>, kept: &mut Vec<Option<Cell>>) {
    let mut entries: Vec<(u64, u64)> = std::mem::take(heap)
        .into_iter()
        .map(|Reverse((c, Reverse(i)))| (c, i))
        .collect();
    entries.sort_by_key(|e| e.1);
    let mut fresh = Vec::with_capacity(entries.len());
    for (c, i) in entries {
        if let Some(v) = kept.get_mut(i as usize).and_then(Option::take) {
            heap.push(Reverse((c, Reverse(fresh.len() as u64))));
            fresh.push(Some(v));
        }
    }
    *kept = fresh;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn store() -> QueryConn {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE documents (id TEXT, doc_type TEXT, status TEXT, tags TEXT);
             INSERT INTO documents VALUES
               ('a', 'post', 'draft', '[\"x\", \"y\"]'),
               ('b', 'post', NULL, '[\"x\"]'),
               ('c', 'note', 'draft', '[]'),
               ('d', 'media', 'draft', NULL),
               ('e', 'post', 'published', 'not json');",
        )
        .unwrap();
        QueryConn::guard(c, std::path::Path::new(":memory:")).unwrap()
    }

    fn text(c: &Cell) -> String {
        c.summary()
    }

    fn top(f: &Frequencies) -> Vec<(String, u64)> {
        f.top.iter().map(|x| (text(&x.value), x.count)).collect()
    }

    #[test]
    fn values_are_counted_most_frequent_first_with_the_column_facts() {
        let qc = store();
        let all = FreqSource::Documents(DocSelection::default());
        let f = frequencies(&qc, &all, "doc_type", &mut |_| true).unwrap();
        assert_eq!(
            top(&f),
            [("post".into(), 3), ("media".into(), 1), ("note".into(), 1)]
        );
        assert_eq!((f.rows, f.non_null, f.distinct), (5, 5, 3));
        assert_eq!(
            (text(f.min.as_ref().unwrap()), text(f.max.as_ref().unwrap())),
            ("media".into(), "post".into())
        );
        let f = frequencies(&qc, &all, "status", &mut |_| true).unwrap();
        assert_eq!((f.rows, f.non_null, f.distinct), (5, 4, 2));
        assert_eq!(top(&f)[0], ("draft".into(), 3));
        // A filtered selection, and a statement's column by position.
        let posts = FreqSource::Documents(DocSelection {
            types: vec![Some("post".into())],
            ..DocSelection::default()
        });
        let f = frequencies(&qc, &posts, "status", &mut |_| true).unwrap();
        assert_eq!(f.rows, 3);
        let q = FreqSource::Query {
            sql: "SELECT id, status AS id FROM documents;".into(),
            index: 1,
            width: 2,
        };
        let f = frequencies(&qc, &q, "id", &mut |_| true).unwrap();
        assert_eq!(top(&f)[0], ("draft".into(), 3));
    }

    #[test]
    fn array_columns_count_their_elements() {
        let qc = store();
        let all = FreqSource::Documents(DocSelection::default());
        let f = frequencies(&qc, &all, "tags", &mut |_| true).unwrap();
        assert!(f.elements);
        assert_eq!(top(&f), [("x".into(), 2), ("y".into(), 1)]);
        // Five rows, two with elements ('not json', '[]' and NULL have
        // none); 'not json' made it check each value first.
        assert_eq!((f.rows, f.non_null, f.distinct), (5, 2, 2));
    }

    #[test]
    fn an_element_counts_the_rows_that_hold_it() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE documents (id TEXT, tags TEXT);
             INSERT INTO documents VALUES ('a', '[\"x\", \"y\", \"x\"]'), ('b', '[\"x\"]'),
               ('c', '[\"y\", \"y\"]');",
        )
        .unwrap();
        let qc = QueryConn::guard(c, std::path::Path::new(":memory:")).unwrap();
        let all = FreqSource::Documents(DocSelection::default());
        let f = frequencies(&qc, &all, "tags", &mut |_| true).unwrap();
        assert_eq!(top(&f), [("x".into(), 2), ("y".into(), 2)]);
        assert_eq!((f.rows, f.non_null, f.distinct), (3, 3, 2));
    }

    #[test]
    fn only_the_top_values_are_kept_and_a_stop_stops() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (v);
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
             INSERT INTO t SELECT CASE WHEN i % 10 = 0 THEN 'common' ELSE i END FROM n;",
        )
        .unwrap();
        let qc = QueryConn::guard(c, std::path::Path::new(":memory:")).unwrap();
        let f = frequencies(&qc, &FreqSource::Table("t".into()), "v", &mut |_| true).unwrap();
        assert_eq!(f.top.len(), TOP);
        assert_eq!(top(&f)[0], ("common".into(), 2000));
        assert_eq!(f.distinct, 18_001);
        assert_eq!(top(&f)[1], ("1".into(), 1), "ties in the column's order");
        let e =
            frequencies(&qc, &FreqSource::Table("t".into()), "v", &mut |n| n < 2048).unwrap_err();
        assert!(matches!(e, StoreError::Cancelled));
    }
}
