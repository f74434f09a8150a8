//! DESIGN §10 in the app: `E` edits a cell, `D` deletes a row, `x` fixes
//! the picked finding, `u` takes the last change back; each is previewed
//! first and only `y` commits. Driven through the real key routing and
//! workers; what is written is read back from the file.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use egregora_inspect::tui::event::handle_input;

/// The status line: the screen's last row.
fn status(h: &mut Harness) -> String {
    h.text().lines().last().unwrap_or_default().to_string()
}

fn ctrl(h: &mut Harness, c: char) {
    handle_input(
        &mut h.app,
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
    h.settle();
}

fn typed(h: &mut Harness, s: &str) {
    for c in s.chars() {
        h.key(KeyCode::Char(c));
    }
}

/// The demo's first document's title, read from the file.
fn first_title(h: &Harness) -> Option<String> {
    scalar(&h.path, "SELECT title FROM documents WHERE rowid = 2")
}

/// Documents, the cursor on the second row's `title` (the demo's first row
/// has none).
fn on_a_title(h: &mut Harness) {
    // Room for every hint of a row under the cursor (any column sorts, so
    // `o sort` is one of them).
    h.resize(132, 36);
    h.key(KeyCode::Char('2')).key(KeyCode::Char('j'));
    for _ in 0..4 {
        h.key(KeyCode::Char('l'));
    }
    assert!(h.text().contains("col 5/5 title"), "{}", h.text());
}

fn undo_files(h: &Harness) -> Vec<String> {
    listing(h.path.parent().unwrap())
        .into_iter()
        .filter(|f| f.contains(".undo-"))
        .collect()
}

#[test]
fn e_edits_a_cell_after_its_preview_and_u_takes_it_back() {
    let mut h = Harness::demo();
    let before = first_title(&h).unwrap();
    on_a_title(&mut h);
    assert!(
        status(&mut h).contains("edit"),
        "E is hinted on a row: {}",
        status(&mut h)
    );
    h.key(KeyCode::Char('E'));
    let editor = h.text();
    assert!(
        editor.contains(&before),
        "the editor starts from the value: {editor}"
    );
    ctrl(&mut h, 'u');
    typed(&mut h, "A title set here");
    h.key(KeyCode::Enter);
    let preview = h.text();
    assert!(preview.contains("1 row changes"), "{preview}");
    assert!(
        preview.contains(&format!("'{before}' → 'A title set here'")),
        "{preview}"
    );
    assert_eq!(first_title(&h).unwrap(), before, "a preview writes nothing");
    assert!(undo_files(&h).is_empty());

    h.key(KeyCode::Char('y'));
    assert!(
        h.text().contains("committed: 1 row changed"),
        "{}",
        h.text()
    );
    assert_eq!(first_title(&h).unwrap(), "A title set here");
    assert_eq!(undo_files(&h).len(), 1, "its undo file is written");

    h.key(KeyCode::Esc);
    assert!(
        h.text().contains("A title set here"),
        "the grid shows the new value"
    );
    h.key(KeyCode::Char('u'));
    let undo = h.text();
    assert!(
        undo.contains(&format!("'A title set here' → '{before}'")),
        "{undo}"
    );
    assert_eq!(first_title(&h).unwrap(), "A title set here");
    h.key(KeyCode::Char('y'));
    assert_eq!(first_title(&h).unwrap(), before, "u took it back");
}

#[test]
fn a_preview_closed_with_n_writes_nothing() {
    let mut h = Harness::demo();
    let bytes = snapshot(&h.path);
    on_a_title(&mut h);
    h.key(KeyCode::Char('E'));
    typed(&mut h, " more");
    h.key(KeyCode::Enter);
    assert!(h.text().contains("1 row changes"));
    h.key(KeyCode::Char('n'));
    assert!(status(&mut h).contains("nothing was written"));
    assert_eq!(snapshot(&h.path), bytes, "the file is as it was");
    assert!(undo_files(&h).is_empty());
    assert!(!status(&mut h).contains("undo"), "nothing to take back");
}

#[test]
fn ctrl_n_makes_the_value_null() {
    let mut h = Harness::demo();
    on_a_title(&mut h);
    h.key(KeyCode::Char('E'));
    ctrl(&mut h, 'n');
    assert!(h.text().contains("NULL▏"), "{}", h.text());
    h.key(KeyCode::Enter);
    assert!(h.text().contains("→ NULL"), "{}", h.text());
    h.key(KeyCode::Char('y'));
    assert_eq!(first_title(&h), None);
}

#[test]
fn a_json_column_takes_only_json_before_anything_is_previewed() {
    let mut h = Harness::demo();
    // The documents table browsed: every column, extensions among them.
    let cols = columns(&h.path, "documents");
    let at = cols.iter().position(|c| c.0 == "extensions").unwrap();
    h.key(KeyCode::Char('4')).key(KeyCode::Enter);
    for _ in 0..at {
        h.key(KeyCode::Char('l'));
    }
    assert!(h.text().contains("extensions"), "{}", h.text());
    h.key(KeyCode::Char('E'));
    ctrl(&mut h, 'u');
    typed(&mut h, "not json");
    h.key(KeyCode::Enter);
    let screen = h.text();
    assert!(
        screen.contains("holds JSON, and this is not JSON"),
        "{screen}"
    );
    assert!(!screen.contains("row changes"), "no preview: {screen}");
    ctrl(&mut h, 'u');
    typed(&mut h, "[1]");
    h.key(KeyCode::Enter);
    assert!(h.text().contains("JSON object"), "{}", h.text());
    ctrl(&mut h, 'u');
    typed(&mut h, r#"{"k": 1}"#);
    h.key(KeyCode::Enter);
    assert!(h.text().contains("1 row changes"), "{}", h.text());
}

#[test]
fn d_deletes_a_row_of_a_browsed_table_and_u_brings_it_back() {
    let mut h = Harness::demo();
    let count = |h: &Harness| scalar::<i64>(&h.path, "SELECT count(*) FROM tasks");
    let n = count(&h);
    let tasks = objects(&h.path)
        .iter()
        .filter(|(kind, _)| kind == "table")
        .position(|(_, name)| name == "tasks")
        .unwrap();
    h.key(KeyCode::Char('4'));
    // The tables list is sorted as drawn: find tasks' line.
    let list = h.text();
    let line = list
        .lines()
        .skip(3)
        .position(|l| l.starts_with("tasks "))
        .unwrap_or(tasks);
    for _ in 0..line {
        h.key(KeyCode::Char('j'));
    }
    h.key(KeyCode::Enter);
    assert!(h.text().contains("task_id"), "{}", h.text());
    h.key(KeyCode::Char('D'));
    let preview = h.text();
    assert!(preview.contains("tasks delete rowid 1"), "{preview}");
    assert!(preview.contains("→ (none)"), "{preview}");
    assert_eq!(count(&h), n, "a preview deletes nothing");
    h.key(KeyCode::Char('y'));
    assert_eq!(count(&h), n - 1);
    h.key(KeyCode::Esc)
        .key(KeyCode::Char('u'))
        .key(KeyCode::Char('y'));
    assert_eq!(count(&h), n, "the row is back");
}

#[test]
fn x_fixes_what_the_picked_findings_rule_repairs() {
    let mut h = Harness::demo_with(
        "fix.sqlite",
        200,
        "UPDATE documents SET title = NULL WHERE doc_type = 'profile' AND alias IS NOT NULL",
    );
    let untitled = |h: &Harness| {
        scalar::<i64>(
            &h.path,
            "SELECT count(*) FROM documents WHERE doc_type = 'profile' AND title IS NULL",
        )
    };
    let n = untitled(&h);
    assert!(n > 0);
    h.key(KeyCode::Char('d'));
    let mut found = false;
    for _ in 0..20 {
        h.key(KeyCode::Char('n'));
        if status(&mut h).contains("x  fix") {
            found = true;
            break;
        }
    }
    assert!(found, "a fixable finding offers x: {}", h.text());
    h.key(KeyCode::Char('x'));
    let preview = h.text();
    assert!(preview.contains(&format!("{n} rows change")), "{preview}");
    assert!(preview.contains("title  NULL → '"), "{preview}");
    h.key(KeyCode::Char('y'));
    assert_eq!(untitled(&h), 0);
}

#[test]
fn a_store_changed_between_preview_and_yes_is_refused_with_nothing_written() {
    let mut h = Harness::demo();
    on_a_title(&mut h);
    h.key(KeyCode::Char('E'));
    typed(&mut h, "!");
    h.key(KeyCode::Enter);
    assert!(h.text().contains("1 row changes"));
    exec(
        &h.path,
        "UPDATE documents SET title = 'another writer' WHERE rowid = 2",
    );
    h.key(KeyCode::Char('y'));
    let screen = h.text();
    assert!(screen.contains("changed since the preview"), "{screen}");
    assert_eq!(first_title(&h).unwrap(), "another writer");
    assert!(undo_files(&h).is_empty());
}

#[test]
fn a_row_preview_ends_when_the_store_changes_under_it_and_never_follows_the_rowid() {
    let mut h = Harness::demo();
    let n = |h: &Harness| scalar::<i64>(&h.path, "SELECT count(*) FROM documents");
    let last: i64 = scalar(&h.path, "SELECT max(rowid) FROM documents");
    h.key(KeyCode::Char('2')).key(KeyCode::Char('G'));
    h.key(KeyCode::Char('D'));
    assert!(
        h.text().contains(&format!("delete rowid {last}")),
        "{}",
        h.text()
    );
    // Another process deletes that row, and a new one takes its rowid.
    exec(
        &h.path,
        &format!(
            "DELETE FROM documents WHERE rowid = {last};
             INSERT INTO documents (rowid, id, doc_type, status, title)
               VALUES ({last}, 'from-the-pipeline', 'post', 'draft', 'Brand new');"
        ),
    );
    let before = n(&h);
    // The once-a-second look sees the commit.
    h.app.second();
    h.settle();
    let screen = h.text();
    assert!(screen.contains("pick the row again"), "{screen}");
    assert!(
        !screen.contains("delete id 'from-the-pipeline'"),
        "never previewed: {screen}"
    );
    h.key(KeyCode::Char('y'));
    assert_eq!(n(&h), before, "nothing deleted");
    assert!(undo_files(&h).is_empty());
}

#[test]
fn no_change_is_offered_on_a_newer_store() {
    let mut h = Harness::demo_with("newer.sqlite", 20, "PRAGMA user_version = 4");
    h.key(KeyCode::Char('2'));
    assert!(!status(&mut h).contains("edit"), "{}", status(&mut h));
    let bytes = snapshot(&h.path);
    h.key(KeyCode::Char('E')).key(KeyCode::Char('D'));
    assert!(status(&mut h).contains("unavailable"), "{}", status(&mut h));
    assert_eq!(snapshot(&h.path), bytes);
}

#[test]
fn the_query_tab_says_where_writes_are_made() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char(':'));
    typed(&mut h, "update documents set title = 'x'");
    h.key(KeyCode::Enter);
    h.wait_counts();
    let screen = h.text();
    assert!(screen.contains("exec"), "{screen}");
    assert!(screen.contains("E"), "{screen}");
}

#[test]
fn a_paste_reaches_the_cell_editor_and_the_search_line() {
    let mut h = Harness::demo();
    on_a_title(&mut h);
    h.key(KeyCode::Char('E'));
    ctrl(&mut h, 'u');
    h.paste("two\nlines\u{1b}");
    h.key(KeyCode::Enter);
    let preview = h.text();
    assert!(preview.contains("→ 'two↵lines'"), "{preview}");
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Char('/'));
    h.paste("harbour");
    h.key(KeyCode::Enter);
    assert!(h.text().contains("search “harbour”"), "{}", h.text());
}
