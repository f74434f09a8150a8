//! Live truth: locks held by another connection, writes to an open document
//! or a browsed table, and a store file replaced or removed, through the
//! real workers and the app's own once-a-second poll.
mod common;
#[path = "common/harness.rs"]
mod harness;
use common::*;
use crossterm::event::KeyCode;
use egregora_inspect::tui::tab::Tab;
use harness::*;

/// One second of the event loop: the poll and the retries it starts.
fn a_second(h: &mut Harness) {
    h.app.second();
    h.settle();
}

#[test]
fn a_lock_keeps_the_last_good_data_and_retries_until_it_is_gone() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2'));
    let before = h.text();
    assert!(before.contains("300 documents"), "{before}");
    let first_id = h.app.docs.rows.loaded().unwrap()[0].id.summary();

    let holder = open(&h.path);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    h.key(KeyCode::Char('r'));
    a_second(&mut h);
    let locked = h.text();
    assert!(
        locked.contains("locked by another process, retrying"),
        "{locked}"
    );
    assert!(!locked.contains("no documents table"), "{locked}");
    assert!(
        locked.contains(&first_id),
        "the rows stay on screen:\n{locked}"
    );
    assert!(
        locked.contains("300 documents"),
        "the count stays:\n{locked}"
    );
    h.key(KeyCode::Char('1'));
    let overview = h.text();
    assert!(!overview.contains("cannot open"), "{overview}");
    assert!(overview.contains("legacy-present"), "{overview}");

    holder
        .execute_batch("DELETE FROM documents WHERE rowid = 1; COMMIT")
        .unwrap();
    a_second(&mut h);
    h.key(KeyCode::Char('2'));
    let after = h.text();
    assert!(!after.contains("locked by another"), "{after}");
    assert!(
        after.contains("299 documents"),
        "the commit shows:\n{after}"
    );
    assert!(!after.contains(&first_id), "{after}");
}

#[test]
fn a_lock_at_start_waits_instead_of_saying_the_store_cannot_open() {
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo"]).arg(&p).assert().success();
    let holder = open(&p);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let mut h = Harness::open(dir, p);
    let screen = h.text();
    assert!(screen.contains("waiting"), "{screen}");
    assert!(!screen.contains("cannot open"), "{screen}");
    assert!(screen.contains("locked by another process"), "{screen}");
    holder.execute_batch("COMMIT").unwrap();
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains(" current "), "{screen}");
}

#[test]
fn an_open_document_shows_a_write_and_a_delete_by_another_process() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2')).key(KeyCode::Enter);
    let rowid = h.app.detail.as_ref().unwrap().rowid;
    exec(
        &h.path,
        &format!("UPDATE documents SET title = 'Changed elsewhere' WHERE rowid = {rowid}"),
    );
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains("Changed elsewhere"), "{screen}");
    exec(
        &h.path,
        &format!("DELETE FROM documents WHERE rowid = {rowid}"),
    );
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains("this document is gone"), "{screen}");
}

#[test]
fn a_browsed_table_shows_a_write_by_another_process() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('4'));
    let tasks = h
        .app
        .store
        .inspection
        .loaded()
        .unwrap()
        .objects
        .iter()
        .position(|o| o.name == "tasks")
        .unwrap();
    for _ in 0..tasks {
        h.key(KeyCode::Char('j'));
    }
    h.key(KeyCode::Enter);
    assert!(h.text().contains("tasks (read-only)"));
    exec(&h.path, "UPDATE tasks SET status = 'moved-on'");
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains("moved-on"), "{screen}");
}

#[test]
fn a_replaced_file_is_reopened_and_a_removed_one_is_said() {
    let mut h = Harness::demo();
    assert!(h.text().contains("legacy-present"));
    let other = h.path.with_file_name("other.sqlite");
    bin()
        .args(["demo", "--docs", "7"])
        .arg(&other)
        .assert()
        .success();
    std::fs::rename(&other, &h.path).unwrap();
    a_second(&mut h);
    assert_eq!(h.app.message, "the store file was replaced: reopened");
    let screen = h.text();
    assert!(
        screen.contains(" current "),
        "the new file's state:\n{screen}"
    );
    h.key(KeyCode::Char('2'));
    assert!(h.text().contains("7 documents"), "{}", h.text());

    std::fs::remove_file(&h.path).unwrap();
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains("the store file is gone"), "{screen}");
    assert!(
        screen.contains("7 documents"),
        "what was read stays:\n{screen}"
    );
    assert!(
        !screen.lines().last().unwrap_or_default().contains("init"),
        "no init hint on a gone file"
    );
    assert_eq!(h.app.tab, Tab::Documents);
}
