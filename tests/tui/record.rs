//! Enter on a row of a browsed table or a query's result shows it a column
//! a line: pretty JSON, NULL marked, the storage class, `[`/`]` to the rows
//! around it, `y`/`Y` as in the grid, Esc back (DESIGN §5).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;

#[test]
fn a_browsed_row_is_shown_a_column_a_line_and_steps_along_the_table() {
    let mut h = Harness::demo_with("r.sqlite", 20, "");
    let id = |n: i64| {
        scalar::<String>(
            &h.path,
            &format!("SELECT id FROM documents WHERE rowid = {n}"),
        )
    };
    let (first, second) = (id(1), id(2));
    // Tables: documents is the first table listed.
    h.key(KeyCode::Char('4'))
        .key(KeyCode::Enter)
        .key(KeyCode::Enter);
    let s = h.text();
    assert!(s.contains("documents rowid 1 · Esc back"), "{s}");
    assert!(s.contains(&first), "{s}");
    assert!(s.lines().any(|l| l.trim() == "∅ NULL"), "NULL marked: {s}");
    assert!(s.lines().any(|l| l.trim_start().starts_with("slug")), "{s}");
    h.key(KeyCode::Char(']'));
    let s = h.text();
    assert!(s.contains("documents rowid 2"), "{s}");
    assert!(s.contains(&second), "{s}");
    h.key(KeyCode::Char('['));
    assert!(h.text().contains("documents rowid 1"));
    h.key(KeyCode::Char('Y'));
    let clip = h.clip().expect("Y copies the row");
    let row: serde_json::Value = serde_json::from_slice(&clip.bytes).unwrap();
    assert_eq!(row["id"], first.as_str());
    h.key(KeyCode::Esc);
    let s = h.text();
    assert!(s.contains("col 1/23 id"), "back on the grid: {s}");
}

#[test]
fn a_query_row_shows_json_pretty_and_storage_classes() {
    let mut h = Harness::demo_with("q.sqlite", 5, "");
    h.key(KeyCode::Char(':'));
    h.paste(r#"SELECT 42 AS n, 1.5 AS x, NULL AS z, '{"a": [1, 2], "b": "c"}' AS j"#);
    h.key(KeyCode::Enter);
    h.wait_counts();
    h.key(KeyCode::Enter);
    let s = h.text();
    assert!(s.contains("row 1 of the result"), "{s}");
    assert!(s.lines().any(|l| l.trim() == "n  (integer)"), "{s}");
    assert!(s.lines().any(|l| l.trim() == "x  (real)"), "{s}");
    assert!(
        s.lines().any(|l| l.trim() == "\"b\": \"c\""),
        "pretty JSON: {s}"
    );
    assert!(s.lines().any(|l| l.trim() == "∅ NULL"), "{s}");
    // Esc goes back to the result, : to the SQL line.
    h.key(KeyCode::Esc);
    assert!(!h.text().contains("row 1 of the result"));
    assert!(h.text().contains("rows 1–1 · 1 row ·"), "{}", h.text());
    h.key(KeyCode::Char(':'));
    assert!(h.status().contains("run"), "{}", h.status());
}
