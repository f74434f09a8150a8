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

/// The rowid the record view shows.
fn shown_rowid(h: &mut Harness) -> i64 {
    let s = h.text();
    let at = s.find("documents rowid ").expect("a record shown") + "documents rowid ".len();
    s[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{s}"))
}

#[test]
fn keys_pressed_faster_than_pages_come_move_as_many_rows_once_they_come() {
    let mut h = Harness::demo_with("r.sqlite", 200, "");
    h.key(KeyCode::Char('4')).key(KeyCode::Enter);
    let page = h.rows().len() as i64;
    h.key(KeyCode::Enter);
    assert!(page > 5 && page < 100, "{page}");
    assert_eq!(shown_rowid(&mut h), 1);
    // Past the page's last row, then past the next page's too.
    let n = 2 * page + 3;
    for _ in 0..n {
        h.press(KeyCode::Char(']'));
    }
    h.settle();
    assert_eq!(shown_rowid(&mut h), 1 + n, "{n} presses, {n} rows on");
    // Back over the page's first row as fast.
    for _ in 0..page + 2 {
        h.press(KeyCode::Char('['));
    }
    h.settle();
    assert_eq!(shown_rowid(&mut h), 1 + n - (page + 2));
    // Past the table's last row it stops there.
    h.key(KeyCode::Esc)
        .key(KeyCode::Char('G'))
        .key(KeyCode::Enter);
    assert_eq!(shown_rowid(&mut h), 200);
    for _ in 0..page + 2 {
        h.press(KeyCode::Char('['));
    }
    for _ in 0..page + 9 {
        h.press(KeyCode::Char(']'));
    }
    h.settle();
    assert_eq!(shown_rowid(&mut h), 200, "{}", h.text());
    // A grid's `j` held as fast does the same.
    h.key(KeyCode::Esc).key(KeyCode::Char('g'));
    for _ in 0..page + 4 {
        h.press(KeyCode::Char('j'));
    }
    h.settle();
    h.key(KeyCode::Enter);
    assert_eq!(shown_rowid(&mut h), 1 + page + 4);
}

#[test]
fn a_query_rows_keys_pressed_faster_than_windows_come_move_as_many_rows() {
    let mut h = Harness::demo_with("q.sqlite", 200, "");
    h.key(KeyCode::Char(':'));
    h.paste("SELECT rowid AS r, id FROM documents ORDER BY rowid");
    h.key(KeyCode::Enter);
    h.wait_counts();
    let page = h.rows().len();
    assert!(page > 5 && page < 100, "{page}");
    h.key(KeyCode::Enter);
    assert!(h.text().contains("row 1 of the result"), "{}", h.text());
    let n = 2 * page + 3;
    for _ in 0..n {
        h.press(KeyCode::Char(']'));
    }
    h.settle();
    h.wait_counts();
    let s = h.text();
    assert!(
        s.contains(&format!("row {} of the result", 1 + n)),
        "{n}: {s}"
    );
    for _ in 0..page + 2 {
        h.press(KeyCode::Char('['));
    }
    h.settle();
    h.wait_counts();
    let s = h.text();
    assert!(
        s.contains(&format!("row {} of the result", 1 + n - (page + 2))),
        "{s}"
    );
}
