//! `EXPLAIN QUERY PLAN` of the user's statement, drawn as SQLite's own
//! shell draws it: a tree of `|--` and `` `-- `` branches.

use super::{QueryConn, body};
use crate::store::error::{Result, StoreError};

/// The plan of `sql` as lines of a tree, "QUERY PLAN" first. The statement
/// must pass the same rules as running it; it is prepared, never run.
pub fn explain(qc: &QueryConn, sql: &str) -> Result<Vec<String>> {
    let p = qc.prepare(sql)?;
    if p.stmt.is_explain() != 0 {
        return Err(StoreError::Refused(
            "the statement is an EXPLAIN already: run it with Enter".into(),
        ));
    }
    drop(p);
    let failed = |e: rusqlite::Error| StoreError::Sql {
        message: crate::store::error::sqlite_text(&e),
        at: None,
    };
    let mut stmt = qc
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN\n{}", body(sql)))
        .map_err(failed)?;
    let nodes = stmt
        .query_map([], |r| {
            Ok(Node {
                id: r.get(0)?,
                parent: r.get(1)?,
                detail: r.get(3)?,
            })
        })
        .map_err(failed)?
        .collect::<rusqlite::Result<Vec<Node>>>()
        .map_err(failed)?;
    Ok(tree(&nodes))
}

struct Node {
    id: i64,
    parent: i64,
    detail: String,
}

/// The rows of a plan (each naming its parent) as the shell's tree.
fn tree(nodes: &[Node]) -> Vec<String> {
    let mut out = vec!["QUERY PLAN".to_string()];
    branch(nodes, 0, "", &mut out);
    out
}

fn branch(nodes: &[Node], parent: i64, prefix: &str, out: &mut Vec<String>) {
    let children: Vec<&Node> = nodes.iter().filter(|n| n.parent == parent).collect();
    for (i, n) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        out.push(format!(
            "{prefix}{}{}",
            if last { "`--" } else { "|--" },
            crate::text::cell(&n.detail)
        ));
        // A plan's ids only grow, so a node is never its own ancestor.
        if n.id > parent {
            branch(
                nodes,
                n.id,
                &format!("{prefix}{}", if last { "   " } else { "|  " }),
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::open;
    use super::explain;
    use crate::store::StoreError;

    #[test]
    fn a_plan_is_drawn_as_the_shells_tree_and_writes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t(a, b); CREATE INDEX t_a ON t(a); CREATE TABLE u(x);")
            .unwrap();
        drop(c);
        let qc = open(&path).unwrap();
        let lines = explain(&qc, "SELECT * FROM t WHERE a = 1 ORDER BY b; -- why").unwrap();
        assert_eq!(lines[0], "QUERY PLAN");
        assert!(
            lines[1].starts_with("|--SEARCH t USING INDEX t_a"),
            "{lines:?}"
        );
        assert_eq!(lines[2], "`--USE TEMP B-TREE FOR ORDER BY");
        let nested = explain(
            &qc,
            "SELECT * FROM t WHERE a IN (SELECT x FROM u)\n-- a comment ends at its line\n",
        )
        .unwrap();
        assert!(
            nested
                .iter()
                .any(|l| l.starts_with("   `--") || l.starts_with("|  ")),
            "a subquery is a branch of its own: {nested:?}"
        );
        let refused = explain(&qc, "DELETE FROM t").unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{refused}");
        let again = explain(&qc, "EXPLAIN SELECT 1").unwrap_err();
        assert!(again.to_string().contains("EXPLAIN already"), "{again}");
        let bad = explain(&qc, "SELECT nosuch FROM t").unwrap_err();
        assert!(bad.to_string().contains("no such column"), "{bad}");
    }
}
