//! The app on upstream's DuckDB store before its first snapshot (DESIGN
//! §9): up at once, the Overview showing the catalog (the file, its DuckDB
//! version, the tables and their rows, the shape) and the copy's progress,
//! the other tabs waiting for it; then every tab on the snapshot. Quitting
//! stops the copy and leaves no snapshot behind. Driven through the real
//! workers' routing, the copy held back until the test lets it run.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use crate::harness;
use common::duck;
use crossterm::event::KeyCode;
use egregora_inspect::tui::app::App;
use harness::*;

/// The app on a fresh upstream store, its copy held back.
fn taking() -> Option<(Harness, std::path::PathBuf)> {
    let shell = duck::shell()?;
    let dir = fixed_tempdir();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let app = App::taking_snapshot(db, cache.clone());
    Some((Harness::with_app(dir, app, true), cache))
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn the_overview_shows_the_catalog_while_the_first_snapshot_is_taken() {
    let Some((mut h, cache)) = taking() else {
        return;
    };
    let s = h.text();
    assert!(
        s.contains("pipeline.duckdb · DuckDB 1.5.6 · taking the first snapshot"),
        "{s}"
    );
    assert!(s.contains("taking the first snapshot"), "{s}");
    assert!(
        s.contains("egregora's DuckDB store (written by DuckDB 1.5.6, storage version"),
        "{s}"
    );
    assert!(s.contains("starting the copy"), "{s}");
    assert!(s.contains("current"), "the shape against the spec: {s}");
    // Every table with its rows, upstream's as upstream's.
    let line = |name: &str| {
        s.lines()
            .find(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("{name} listed: {s}"))
            .to_string()
    };
    assert!(line("documents").contains("6 rows"), "{s}");
    assert!(line("annotations").contains("1 rows"), "{s}");
    assert!(line("annotations").contains("upstream"), "{s}");
    assert!(line("git_refs").contains("upstream"), "{s}");
    // The tabs that need rows wait for it, and say so.
    h.key(KeyCode::Char('2'));
    let s = h.text();
    assert!(s.contains("waiting for the snapshot"), "{s}");
    let hints = h.text().lines().last().unwrap().to_string();
    assert!(hints.contains("quit") && !hints.contains("sql"), "{hints}");
    h.key(KeyCode::Char('/'));
    assert!(h.text().contains("every tab works once it is open"));
    assert!(listing(&cache).is_empty(), "nothing copied yet");
    // The copy runs: every tab works on the snapshot.
    h.run_held();
    let s = h.text();
    assert!(s.contains("6 documents"), "{s}");
    assert!(s.contains("hello-world"), "{s}");
    assert!(!s.contains("waiting for the snapshot"), "{s}");
    h.key(KeyCode::Char('1'));
    let s = h.text();
    assert!(
        s.contains("pipeline.duckdb · DuckDB 1.5.6 · snapshot "),
        "{s}"
    );
    assert!(s.contains("never written here"), "{s}");
    assert!(listing(&cache).iter().any(|n| n.ends_with(".sqlite")));
}

#[test]
fn quitting_before_the_first_snapshot_stops_it_and_leaves_nothing() {
    let Some((mut h, cache)) = taking() else {
        return;
    };
    assert!(h.app.running(), "a copy is running");
    h.key(KeyCode::Char('q'));
    assert!(h.app.quit);
    assert!(h.app.running(), "the app waits for the copy to stop");
    h.run_held();
    assert!(!h.app.running(), "the copy stopped");
    assert_eq!(
        listing(&cache),
        Vec::<String>::new(),
        "no snapshot, no partial copy"
    );
}

#[test]
fn a_message_parent_opens_its_row_of_messages_and_back_comes_back() {
    let Some(shell) = duck::shell() else { return };
    let dir = fixed_tempdir();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let p = dir.path().join("pipeline.sqlite");
    common::bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&p)
        .assert()
        .success();
    // A second message before it, so the row opened is not just the first.
    common::exec(
        &p,
        "INSERT INTO messages (event_id, text) VALUES ('ev0', 'an earlier message');
         UPDATE messages SET rowid = rowid + 10 WHERE event_id = 'ev1';",
    );
    let mut h = Harness::open(dir, p);
    h.key(KeyCode::Char('2'));
    // an1, the fifth document, annotates message ev1.
    for _ in 0..4 {
        h.key(KeyCode::Char('j'));
    }
    h.key(KeyCode::Enter);
    let s = h.text();
    assert!(s.contains("A note on a message"), "{s}");
    h.key(KeyCode::Char('n')).key(KeyCode::Enter);
    let s = h.text();
    assert!(s.contains("messages"), "{s}");
    let row = s
        .lines()
        .find(|l| l.contains("hi there"))
        .unwrap_or_else(|| panic!("the message's row is shown: {s}"));
    assert!(row.contains("ev1"), "{s}");
    assert!(
        !s.contains("an earlier message"),
        "the browse starts at the message's row: {s}"
    );
    // Backspace comes back to the annotation, as from any link.
    h.key(KeyCode::Backspace);
    let s = h.text();
    assert!(s.contains("A note on a message"), "{s}");
    // And from there back to the list, as ever.
    h.key(KeyCode::Backspace);
    assert!(h.text().contains("6 documents"));
}

#[test]
fn a_first_snapshot_that_failed_is_taken_again_with_r() {
    let Some(shell) = duck::shell() else {
        return;
    };
    let dir = fixed_tempdir();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    // A file where the snapshots' folder should be: the copy cannot start.
    let cache = dir.path().join("cache");
    std::fs::write(&cache, "not a folder").unwrap();
    let app = App::taking_snapshot(db, cache.clone());
    let mut h = Harness::with_app(dir, app, true);
    h.run_held();
    let s = h.text();
    assert!(s.contains("no snapshot was taken"), "{s}");
    assert!(s.contains("r tries again"), "{s}");
    std::fs::remove_file(&cache).unwrap();
    std::fs::create_dir_all(&cache).unwrap();
    h.key(KeyCode::Char('r'));
    h.run_held();
    let s = h.text();
    assert!(
        s.contains("DuckDB 1.5.6 · snapshot "),
        "the snapshot is open: {s}"
    );
    assert!(!listing(&cache).is_empty(), "kept in the folder");
}
