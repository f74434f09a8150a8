//! Small things the store and the command line must say truly: the order
//! of data findings, one quote style, a refusal's kind, a note only where
//! it holds, numbers aligned as numbers.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;

#[test]
fn data_findings_come_errors_first_with_one_quote_style() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "DROP INDEX idx_documents_type;
         CREATE TABLE d2 AS SELECT * FROM documents;
         INSERT INTO documents (id, status, doc_type, title, slug) VALUES
           ('post-a', 'live', 'post', 'T', 's');",
    );
    // A duplicate id (an error) needs a table without the primary key.
    let sql: String = scalar(&p, "SELECT sql FROM sqlite_schema WHERE name = 'documents'");
    let loose = sql.replace("NOT NULL PRIMARY KEY", "NOT NULL");
    exec(
        &p,
        &format!(
            "ALTER TABLE documents RENAME TO old_docs; {loose};
             INSERT INTO documents SELECT * FROM old_docs; DROP TABLE old_docs; DROP TABLE d2;
             INSERT INTO documents (id, status, doc_type, title, slug) VALUES ('dup', 'draft', 'note', 'x', 'y'), ('dup', 'draft', 'note', 'x', 'y');"
        ),
    );
    let out = printed(&["check", "--json", "--data"], &p, 1);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let d = v["data_checks"].as_array().unwrap();
    let severities: Vec<&str> = d.iter().map(|f| f["severity"].as_str().unwrap()).collect();
    assert_eq!(severities.first(), Some(&"error"), "{severities:?}");
    let mut sorted = severities.clone();
    sorted.sort_by_key(|s| match *s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    });
    assert_eq!(severities, sorted);
    let text = String::from_utf8(printed(&["check", "--data"], &p, 1)).unwrap();
    assert!(text.contains("'dup' (2×)"), "{text}");
    assert!(text.contains("'post-a'"), "{text}");
    assert!(!text.contains("\"dup\""), "one quote style: {text}");
}

#[test]
fn init_json_without_yes_is_refused_as_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 5);
    let before = snapshot(&p);
    let out = printed(&["init", "--json"], &p, 2);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["error"]["kind"], "refused", "{v}");
    assert_eq!(snapshot(&p), before);
}

#[test]
fn the_check_clauses_note_only_where_a_check_clause_is() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    // source_checksum holds the letters CHECK, and a string does too.
    exec(
        &p,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, source_checksum TEXT, title TEXT DEFAULT 'unchecked');
         INSERT INTO documents (id) VALUES ('a');",
    );
    let plan = String::from_utf8(printed(&["init", "--dry-run"], &p, 0)).unwrap();
    assert!(!plan.contains("CHECK"), "{plan}");
    let q = dir.path().join("checked.sqlite");
    exec(
        &q,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, n INTEGER CHECK (n > 0));
         INSERT INTO documents (id, n) VALUES ('a', 1);",
    );
    let plan = String::from_utf8(printed(&["init", "--dry-run"], &q, 0)).unwrap();
    assert!(
        plan.contains("CHECK clauses are not carried over"),
        "{plan}"
    );
}

#[test]
fn query_tables_right_align_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let out = printed(
        &[
            "query",
            "--sql",
            "SELECT 'a' AS name, 5 AS n UNION ALL SELECT 'bb', 12345 UNION ALL SELECT 'c', 1.5",
        ],
        &p,
        0,
    );
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "name      n", "{text}");
    assert_eq!(lines[2], "a         5", "{text}");
    assert_eq!(lines[3], "bb    12345", "{text}");
    assert_eq!(lines[4], "c       1.5", "{text}");
}

#[test]
fn missing_columns_are_the_problem_not_the_shift_they_cause() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 3);
    let v: serde_json::Value =
        serde_json::from_slice(&printed(&["check", "--json"], &p, 1)).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "missing-column", "{codes:?}");
    assert!(!codes.contains(&"column-order"), "{codes:?}");
    // Columns truly out of order: one finding naming them.
    let q = dir.path().join("swapped.sqlite");
    exec(
        &q,
        "CREATE TABLE documents (content TEXT, id TEXT NOT NULL PRIMARY KEY, created_at TEXT)",
    );
    let v: serde_json::Value =
        serde_json::from_slice(&printed(&["check", "--json"], &q, 1)).unwrap();
    let order: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "column-order")
        .collect();
    assert_eq!(order.len(), 1, "{order:?}");
    let m = order[0]["message"].as_str().unwrap();
    assert!(m.contains("id") && m.contains("content"), "{m}");
}

#[test]
fn a_blocked_plan_names_the_rows_that_block_it() {
    use egregora_inspect::store::inspection::inspect::{Counts, inspect};
    use egregora_inspect::store::open::open_read_only;
    use egregora_inspect::store::plan::{PlanKind, for_action};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dups.sqlite");
    old_documents(&p, 6);
    exec(
        &p,
        "INSERT INTO documents (rowid, id) VALUES (101, 'doc-2'), (102, NULL), (103, 'doc-5')",
    );
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let plan = for_action(&s.conn, &ins, PlanKind::Init).unwrap();
    assert_eq!(plan.blockers.len(), 2, "{:?}", plan.blockers);
    // doc-2 is rowid 6, doc-5 rowid 15 (old_documents keys i * 3).
    assert_eq!(plan.blocked_rows, [6, 15, 101, 102, 103]);
}

#[test]
fn a_value_filter_on_null_says_is_null() {
    use egregora_inspect::store::cell::Cell;
    use egregora_inspect::store::read::filters::ValueFilter;
    let f = |value: Cell, element: bool| ValueFilter {
        column: "title".into(),
        value,
        element,
    };
    assert_eq!(f(Cell::Null, false).label(), "title IS NULL");
    assert_eq!(f(Cell::Integer(3), false).label(), "title = 3");
    assert_eq!(f(Cell::Null, true).label(), "title ∋ NULL");
}
