//! `t`/`s` open a picker of every value present (unknown ones and NULL
//! included, with counts): typing narrows it, Space picks several, Enter
//! applies (none: all), Esc changes nothing.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;

/// A demo store whose documents table, rebuilt without its NOT NULLs,
/// holds a NULL doc_type and an unknown one.
fn odd_types() -> Harness {
    Harness::demo_with(
        "demo.sqlite",
        300,
        "CREATE TABLE d2 AS SELECT * FROM documents; DROP TABLE documents;
         ALTER TABLE d2 RENAME TO documents;
         CREATE INDEX idx_documents_type ON documents(doc_type);
         CREATE INDEX idx_documents_status ON documents(status);
         INSERT INTO documents (id, doc_type, status) VALUES
           ('odd-1', NULL, 'draft'), ('odd-2', NULL, NULL), ('odd-3', 'recipe', 'draft');",
    )
}

fn count(h: &Harness, filter: &str) -> i64 {
    scalar(
        &h.path,
        &format!("SELECT count(*) FROM documents WHERE {filter}"),
    )
}

#[test]
fn the_picker_lists_every_value_with_its_count_and_picks_several() {
    let mut h = odd_types();
    h.resize(120, 40);
    h.key(KeyCode::Char('2')).key(KeyCode::Char('t'));
    let title = h.overlay().expect("the picker");
    assert!(title.starts_with("doc_type: Space picks"), "{title}");
    let rows = h.picker_rows();
    let groups: i64 = scalar(
        &h.path,
        "SELECT count(DISTINCT coalesce(doc_type, '∅')) FROM documents",
    );
    assert_eq!(rows.len() as i64, groups, "every value: {rows:?}");
    let posts = count(&h, "doc_type = 'post'");
    assert_eq!(
        rows[0],
        (false, "post".into(), posts.to_string()),
        "most first"
    );
    assert!(
        rows.contains(&(false, "∅ NULL".into(), "2".into())),
        "{rows:?}"
    );
    assert!(h.text().contains("recipe") && h.text().contains("unknown type"));

    // Typing narrows; NULL is found by its name.
    for c in "nul".chars() {
        h.key(KeyCode::Char(c));
    }
    assert_eq!(
        h.picker_rows(),
        [(false, "∅ NULL".to_string(), "2".to_string())]
    );
    h.key(KeyCode::Char(' '));
    for _ in 0..3 {
        h.key(KeyCode::Backspace);
    }
    assert_eq!(h.picker_rows().len() as i64, groups, "all again");
    // The first row (post) picked too; Enter applies both.
    h.key(KeyCode::Char(' ')).key(KeyCode::Enter);
    assert_eq!(h.overlay(), None);
    let head = h.head();
    assert!(head.contains("doc_type ∈ ∅ NULL, post ·"), "{head}");
    let both = count(&h, "doc_type = 'post' OR doc_type IS NULL");
    let all = count(&h, "1");
    assert!(
        head.ends_with(&format!("· {both} of {all} documents")),
        "{head}"
    );
    let types = h.cells("doc_type");
    assert!(
        !types.is_empty() && types.iter().all(|t| t == "post" || t.contains("NULL")),
        "{types:?}"
    );

    // Open again: the picks are ticked; Esc changes nothing.
    h.key(KeyCode::Char('t'));
    let ticked: Vec<String> = h
        .picker_rows()
        .into_iter()
        .filter(|r| r.0)
        .map(|r| r.1)
        .collect();
    assert_eq!(ticked, ["post", "∅ NULL"]);
    h.key(KeyCode::Char(' ')).key(KeyCode::Esc);
    assert!(
        h.head().contains("doc_type ∈ ∅ NULL, post ·"),
        "{}",
        h.head()
    );
    // Unpicking all of them is no filter.
    h.key(KeyCode::Char('t')).key(KeyCode::Char(' '));
    for _ in 0..groups {
        if h.picker_rows().iter().any(|r| r.1 == "∅ NULL" && r.0) {
            break;
        }
        h.key(KeyCode::Down);
    }
    let at = h
        .picker_rows()
        .iter()
        .position(|r| r.1 == "∅ NULL")
        .unwrap();
    let mut rows = h.picker_rows();
    rows.retain(|r| r.0);
    assert_eq!(rows.len(), 1, "post put back: {rows:?}");
    // Down to NULL from the top, and put it back.
    h.key(KeyCode::Char('u')); // typed, then cleared: the cursor goes to the top
    h.key(KeyCode::Backspace);
    for _ in 0..at {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Char(' ')).key(KeyCode::Enter);
    let head = h.head();
    assert!(head.contains("type all ·"), "{head}");
    assert!(head.ends_with(&format!("· {all} documents")), "{head}");
}

#[test]
fn the_status_picker_filters_with_the_type_and_shows_at_80_by_24() {
    let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
    h.resize(80, 24);
    h.key(KeyCode::Char('2')).pick('t', &["post"]);
    h.key(KeyCode::Char('s'));
    insta::assert_snapshot!("status_picker", h.text());
    h.key(KeyCode::Esc);
    h.pick('s', &["draft", "archived"]);
    let head = h.head();
    assert!(head.contains("status ∈ draft, archived"), "{head}");
    let n = count(&h, "doc_type = 'post' AND status IN ('draft', 'archived')");
    assert!(head.contains(&format!("· {n} of 300")), "{head}");
}

#[test]
fn a_write_by_another_process_counts_the_picker_again() {
    let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
    h.resize(120, 40);
    h.key(KeyCode::Char('2')).key(KeyCode::Char('t'));
    let notes = count(&h, "doc_type = 'note'");
    assert!(
        h.picker_rows()
            .contains(&(false, "note".into(), notes.to_string()))
    );
    exec(
        &h.path,
        "INSERT INTO documents (id, doc_type, status) VALUES ('w-1', 'note', 'draft'), ('w-2', 'recipe', 'draft')",
    );
    h.app.second();
    h.settle();
    let rows = h.picker_rows();
    assert!(
        rows.contains(&(false, "note".into(), (notes + 1).to_string())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(false, "recipe".into(), "1".into())),
        "{rows:?}"
    );
    assert!(h.overlay().is_some(), "still open");
}

#[test]
fn many_values_picked_leave_the_count_on_the_header() {
    let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
    h.resize(100, 24);
    h.key(KeyCode::Char('2'))
        .pick('t', &["post", "note", "media", "journal", "profile"]);
    let head = h.head();
    assert!(head.contains("doc_type ∈ post, note, media +2 ·"), "{head}");
    let n = count(
        &h,
        "doc_type IN ('post', 'note', 'media', 'journal', 'profile')",
    );
    assert!(head.ends_with(&format!("· {n} of 300 documents")), "{head}");
}
