//! "The first few, then how many": how a blocker or a finding names the rows
//! it is about without reading them all into memory.

use crate::store::inspection::catalog::lossy;
use crate::store::spec::quote;
use rusqlite::{Connection, Params, Row, Statement};

/// How many a message names before it only counts.
pub(crate) const NAME_AT_MOST: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sample {
    pub names: Vec<String>,
    pub count: u64,
}

impl Sample {
    /// Runs `stmt`, naming the first `at_most` rows with `name` and counting
    /// every row.
    pub(crate) fn collect<P: Params>(
        stmt: &mut Statement<'_>,
        params: P,
        at_most: usize,
        mut name: impl FnMut(&Row<'_>) -> rusqlite::Result<String>,
    ) -> rusqlite::Result<Sample> {
        let mut rows = stmt.query(params)?;
        let mut s = Sample::default();
        while let Some(r) = rows.next()? {
            s.count += 1;
            if s.names.len() < at_most {
                s.names.push(name(r)?);
            }
        }
        Ok(s)
    }

    /// Values of `cols` (SQL) that occur more than once in `table`, each
    /// named with how often.
    pub(crate) fn duplicates(
        conn: &Connection,
        table: &str,
        cols: &str,
    ) -> rusqlite::Result<Sample> {
        let mut stmt = conn.prepare(&format!(
            "SELECT {cols}, count(*) FROM {} WHERE ({cols}) IS NOT NULL GROUP BY {cols} HAVING count(*) > 1",
            quote(table)
        ))?;
        Sample::collect(&mut stmt, [], NAME_AT_MOST, |r| {
            let v = lossy(r, 0)?.unwrap_or_default();
            Ok(format!("{v:?} ({}×)", r.get::<_, i64>(1)?))
        })
    }

    /// Adds the rows of another sample.
    pub(crate) fn extend(&mut self, other: Sample, at_most: usize) {
        self.count += other.count;
        let room = at_most.saturating_sub(self.names.len());
        self.names.extend(other.names.into_iter().take(room));
    }

    /// `a, b, c and 7 more`.
    pub(crate) fn listed(&self) -> String {
        let shown = self.names.len() as u64;
        let mut s = self.names.join(", ");
        if self.count > shown {
            s.push_str(&format!(" and {} more", self.count - shown));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_few_and_counts_the_rest() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn
            .prepare(
                "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 8) SELECT v FROM n",
            )
            .unwrap();
        let s = Sample::collect(&mut stmt, [], 3, |r| Ok(r.get::<_, i64>(0)?.to_string())).unwrap();
        assert_eq!(s.count, 8);
        assert_eq!(s.listed(), "1, 2, 3 and 5 more");
        let mut all = Sample::default();
        all.extend(s.clone(), 4);
        all.extend(s, 4);
        assert_eq!((all.names.len(), all.count), (4, 16));
        assert_eq!(
            Sample {
                names: vec!["a".into()],
                count: 1
            }
            .listed(),
            "a"
        );
    }
}
