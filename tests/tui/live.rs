//! Live truth: locks held by another connection, writes to an open document
//! or a browsed table, and a store file replaced or removed, through the
//! real workers and the app's own once-a-second poll.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;
use egregora_inspect::tui::tab::Tab;

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
    let first_id = h.cells("id")[0].clone();

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
    // Second after second of retrying, it still waits, on every tab.
    for _ in 0..3 {
        let screen = h.text();
        assert!(screen.contains("waiting"), "{screen}");
        assert!(!screen.contains("cannot open"), "{screen}");
        assert!(screen.contains("locked by another process"), "{screen}");
        a_second(&mut h);
    }
    for tab in ['3', '4'] {
        h.key(KeyCode::Char(tab));
        let screen = h.text();
        assert!(screen.contains("waiting: the store is locked"), "{screen}");
    }
    h.key(KeyCode::Char('r'));
    let status = h.text().lines().last().unwrap_or_default().to_string();
    assert!(status.contains("still locked"), "{status}");
    h.key(KeyCode::Char('1'));
    holder.execute_batch("COMMIT").unwrap();
    a_second(&mut h);
    let screen = h.text();
    assert!(screen.contains(" current "), "{screen}");
}

#[test]
fn an_open_document_shows_a_write_and_a_delete_by_another_process() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2')).key(KeyCode::Enter);
    let rowid = h.detail_rowid().expect("a document open");
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
    for _ in 0..30 {
        if h.marked().is_some_and(|m| m.contains("tasks ")) {
            break;
        }
        h.key(KeyCode::Char('j'));
    }
    h.key(KeyCode::Enter);
    assert!(h.text().lines().nth(1).unwrap().starts_with("tasks─"));
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
    let status = h.text().lines().last().unwrap_or_default().to_string();
    assert!(
        status.ends_with(" the store file was replaced: reopened"),
        "{status}"
    );
    let screen = h.text();
    assert!(
        screen.contains(" current "),
        "the new file's state:\n{screen}"
    );
    // Every section reads the new file, the tasks too (read by the scan
    // worker, which opened the old one).
    let tasks: i64 = scalar(&h.path, "SELECT count(*) FROM tasks");
    assert!(
        screen.contains(&format!("Tasks: {tasks} in all")),
        "the new file's tasks:\n{screen}"
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
    assert_eq!(h.tab(), Tab::Documents);
}

/// The value of a Documents filter (`type`, `status`) as its header shows it.
fn filter(h: &mut Harness, name: &str) -> String {
    let head = header(h);
    let prefix = format!("{name} ∈ ");
    head.split(" · ")
        .find_map(|f| f.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {name} in {head}"))
        .to_string()
}

/// The Documents header's count.
fn header(h: &mut Harness) -> String {
    h.text()
        .lines()
        .nth(1)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

#[test]
fn the_count_is_of_what_the_filters_and_search_select() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2'));
    assert!(
        header(&mut h).ends_with("· 300 documents"),
        "{}",
        header(&mut h)
    );
    h.pick('t', &["post"]);
    let t = filter(&mut h, "doc_type");
    assert_eq!(t, "post");
    let posts: i64 = scalar(
        &h.path,
        &format!("SELECT count(*) FROM documents WHERE doc_type = '{t}'"),
    );
    assert!(
        header(&mut h).ends_with(&format!("· {posts} of 300 documents")),
        "{}",
        header(&mut h)
    );
    h.pick('s', &["draft"]);
    let status = filter(&mut h, "status");
    let both: i64 = scalar(
        &h.path,
        &format!("SELECT count(*) FROM documents WHERE doc_type = '{t}' AND status = '{status}'"),
    );
    assert!(
        header(&mut h).ends_with(&format!("· {both} of 300 documents")),
        "{}",
        header(&mut h)
    );
    h.key(KeyCode::Esc).key(KeyCode::Char('/'));
    for c in "harvest".chars() {
        h.key(KeyCode::Char(c));
    }
    h.key(KeyCode::Enter);
    let found: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE id LIKE '%harvest%' OR slug LIKE '%harvest%' OR title LIKE '%harvest%' OR content LIKE '%harvest%'",
    );
    assert!(found > 0 && found < 300);
    assert!(
        header(&mut h).ends_with(&format!("· {found} of 300 documents")),
        "{}",
        header(&mut h)
    );
}

#[test]
fn a_count_under_way_says_how_far_it_got() {
    use egregora_inspect::tui::worker::Reply;
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2'));
    h.app.docs.query.search = Some("x".into());
    h.key(KeyCode::Char('/')).key(KeyCode::Enter);
    let ticket = h.app.docs.count_ticket;
    h.app.docs.count = egregora_inspect::tui::app::Load::Loading;
    h.app.on_reply(Reply::Matching {
        ticket,
        result: Ok(42),
        done: false,
    });
    assert!(
        header(&mut h).ends_with("≥ 42 so far, counting…"),
        "{}",
        header(&mut h)
    );
    h.app.on_reply(Reply::Matching {
        ticket: ticket - 1,
        result: Ok(7),
        done: true,
    });
    assert!(
        header(&mut h).ends_with("≥ 42 so far, counting…"),
        "an old count is ignored"
    );
    h.app.on_reply(Reply::Matching {
        ticket,
        result: Ok(50),
        done: true,
    });
    assert!(
        header(&mut h).ends_with("· 50 of 300 documents"),
        "{}",
        header(&mut h)
    );
}

#[test]
fn an_older_table_without_doc_type_counts_its_rows() {
    let dir = fixed_tempdir();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 12);
    let mut h = Harness::open(dir, p);
    h.key(KeyCode::Char('2'));
    assert!(
        header(&mut h).ends_with("· 12 documents"),
        "{}",
        header(&mut h)
    );
}

#[test]
fn the_list_follows_the_search_as_it_is_typed() {
    use std::time::{Duration, Instant};
    let mut h = Harness::demo();
    h.key(KeyCode::Char('2')).key(KeyCode::Char('/'));
    for c in "harv".chars() {
        h.key(KeyCode::Char(c));
    }
    assert!(
        header(&mut h).ends_with("search: harv▏ · 300 documents"),
        "not on every key…: {}",
        header(&mut h)
    );
    h.app.tick(Instant::now() + Duration::from_secs(1));
    h.settle();
    assert!(
        header(&mut h).contains(" of 300 documents"),
        "…but once typing pauses: {}",
        header(&mut h)
    );
    assert!(
        header(&mut h).contains("search: harv▏"),
        "the prompt stays open"
    );
    let shown = h.rows().len();
    let found: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE id LIKE '%harv%' OR slug LIKE '%harv%' OR title LIKE '%harv%' OR content LIKE '%harv%'",
    );
    assert_eq!(
        shown as i64,
        found.min(h.page() as i64),
        "the list holds the matches"
    );
    assert!(
        header(&mut h).contains(" of 300 documents"),
        "{}",
        header(&mut h)
    );
    let screen = h.text();
    assert!(screen.contains("harv"), "{screen}");
    h.key(KeyCode::Esc);
    assert!(
        !header(&mut h).contains("search"),
        "Esc goes back to no search"
    );
    assert!(
        header(&mut h).ends_with("· 300 documents"),
        "{}",
        header(&mut h)
    );

    h.key(KeyCode::Char('/'))
        .key(KeyCode::Char('z'))
        .key(KeyCode::Enter);
    assert!(
        header(&mut h).contains("search “z”"),
        "Enter searches at once: {}",
        header(&mut h)
    );
}

#[test]
fn a_plan_on_screen_is_computed_again_when_another_process_writes() {
    let dir = fixed_tempdir();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 5);
    let mut h = Harness::open(dir, p.clone());
    h.key(KeyCode::Char('i'));
    let before = h.text();
    assert!(before.contains("5 row"), "{before}");
    exec(
        &p,
        "INSERT INTO documents (id, title) VALUES ('late', 'written meanwhile')",
    );
    a_second(&mut h);
    let after = h.text();
    assert!(
        h.app
            .log
            .iter()
            .any(|(_, m)| m.contains("the plan was computed again")),
        "{:?}",
        h.app.log
    );
    assert!(
        after.contains("6 row"),
        "the new plan counts the new row:\n{after}"
    );
    assert!(
        h.text().lines().last().unwrap_or_default().contains("run"),
        "and waits for a yes again"
    );
}

#[test]
fn a_lock_never_loses_the_data_checks_already_read() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('d'));
    let found = h.text();
    assert!(found.contains("data warning"), "{found}");
    let holder = open(&h.path);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    h.app.retrying = true;
    for _ in 0..3 {
        a_second(&mut h);
    }
    let locked = h.text();
    assert!(
        locked.contains("data warning"),
        "kept while locked:\n{locked}"
    );
    holder.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_refresh_under_a_popup_keeps_the_full_page_of_the_list_below() {
    for popup in ['f', 't', 'c', '?', 'M'] {
        let mut h = Harness::demo();
        h.key(KeyCode::Char('2'));
        let page = h.page();
        assert!(page > 10, "{page}");
        assert_eq!(h.rows().len(), page);
        h.key(KeyCode::Char(popup));
        assert!(h.overlay().is_some(), "{popup}: {}", h.text());
        // Another process writes: the list under the popup is read again.
        exec(
            &h.path,
            "UPDATE documents SET title = 'changed' WHERE rowid = 2",
        );
        a_second(&mut h);
        // Every row of the list beside the popup is drawn: the window read
        // was the list's page, not the popup's.
        let rows = h.rows();
        assert_eq!(rows.len(), page, "{popup}");
        assert!(
            rows.iter().all(|r| !r[..6].trim().is_empty()),
            "{popup}: rows under the popup are missing:\n{}",
            h.text()
        );
        h.key(KeyCode::Esc);
        assert!(h.overlay().is_none(), "{popup}: {}", h.text());
        let rows = h.rows();
        assert_eq!(rows.len(), page, "{popup}: a full page:\n{}", h.text());
    }
}
