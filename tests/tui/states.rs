//! States that end and views that stop at their last line: what the screen
//! says is about the state it is in, through the real key routing.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEventKind};
use egregora_inspect::tui::event::handle_input;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;
use std::time::{Duration, Instant};

/// The status line: the screen's last row.
fn status(h: &mut Harness) -> String {
    h.text().lines().last().unwrap_or_default().to_string()
}

fn migrated_store() -> Harness {
    let dir = fixed_tempdir();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 30);
    Harness::open(dir, p)
}

#[test]
fn a_finished_plan_closes_with_enter_q_and_the_tab_keys() {
    let mut h = migrated_store();
    assert!(
        status(&mut h).contains("init"),
        "init is hinted while it has work"
    );
    h.key(KeyCode::Char('i'));
    assert!(status(&mut h).contains("run"));
    h.key(KeyCode::Char('y'));
    let done = h.text();
    assert!(done.contains("done: "), "{done}");
    let hints = status(&mut h);
    assert!(!hints.contains("run"), "no run hint once it ran: {hints}");
    assert!(hints.contains("close"), "{hints}");
    h.key(KeyCode::Char('y'));
    assert!(h.overlay().is_some(), "y runs nothing and closes nothing");
    h.key(KeyCode::Enter);
    assert_eq!(h.overlay(), None, "Enter closes it");
    assert!(
        !status(&mut h).contains("init"),
        "a current store hints no init"
    );

    // q closes a finished dialog rather than quitting the app.
    h.app.update(Action::FoldLegacy);
    h.key(KeyCode::Char('i'));
    assert_eq!(h.overlay(), None, "nothing to do opens no dialog");
    let status = status(&mut h);
    assert!(status.contains("nothing to do"), "{status}");
}

/// An older store whose documents hold an id twice: init is blocked.
fn id_twice() -> Harness {
    let dir = fixed_tempdir();
    let p = dir.path().join("dup.sqlite");
    old_documents(&p, 5);
    exec(
        &p,
        "INSERT INTO documents (id, title) SELECT id, 'again' FROM documents LIMIT 1",
    );
    Harness::open(dir, p)
}

#[test]
fn a_failed_or_blocked_dialog_closes_with_q_and_tab_keys_act() {
    let mut h = id_twice();
    h.key(KeyCode::Char('i'));
    let screen = h.text();
    assert!(screen.contains("blocked"), "{screen}");
    assert!(
        !status(&mut h).contains("run"),
        "a blocked plan hints no run"
    );
    h.key(KeyCode::Char('q'));
    assert!(h.overlay().is_none() && !h.quits(), "q closes it");
    h.key(KeyCode::Char('i'));
    assert!(h.overlay().is_some());
    h.key(KeyCode::Char('3'));
    assert_eq!(h.overlay(), None, "a tab key closes it…");
    assert_eq!(h.tab(), Tab::Schema, "…and goes to its tab");
    h.key(KeyCode::Char('i')).key(KeyCode::Tab);
    assert_eq!(h.tab(), Tab::Tables);
}

#[test]
fn messages_fade_and_never_cover_the_hints() {
    let mut h = migrated_store();
    h.key(KeyCode::Char('r'));
    assert!(status(&mut h).ends_with(" refreshed"));
    h.app.tick(Instant::now() + Duration::from_secs(1));
    let later = status(&mut h);
    assert!(later.ends_with(" refreshed"), "still there a second later");
    h.app.tick(Instant::now() + Duration::from_secs(6));
    let gone = status(&mut h);
    assert!(!gone.contains("refreshed"), "gone a few seconds later");

    h.resize(80, 24);
    let before = status(&mut h);
    h.app.update(Action::FoldLegacy); // says why it cannot run, at length
    let after = status(&mut h);
    let said = h.said();
    assert!(said.len() > 40, "{said}");
    // The first hints stay (the last may give way), and the keys and quit.
    for hint in ["i  init", "?  keys", "q  quit"] {
        assert!(
            before.contains(hint) && after.contains(hint),
            "{after:?} keeps {hint:?}"
        );
    }
    assert!(
        after.trim_end().ends_with('…'),
        "cut, not covering: {after:?}"
    );
}

#[test]
fn a_too_small_terminal_ignores_every_key_but_quit() {
    let mut h = migrated_store();
    h.resize(40, 8);
    for c in ['2', 'i', 'r', '?', 'F'] {
        h.key(KeyCode::Char(c));
    }
    assert!(status(&mut h).contains("Terminal too small") || h.text().contains("too small"));
    h.resize(120, 36);
    assert_eq!(h.tab(), Tab::Overview, "no tab change behind the message");
    assert_eq!(h.overlay(), None, "no dialog behind the message");
    assert!(!status(&mut h).contains("refreshed"), "no refresh either");
    h.resize(40, 8);
    h.key(KeyCode::Char('q'));
    assert!(h.quits(), "q still quits");
}

#[test]
fn help_fits_80_by_20_scrolls_with_the_wheel_and_j() {
    let mut h = migrated_store();
    h.resize(80, 20);
    h.key(KeyCode::Char('?'));
    let first = h.text();
    assert!(first.contains("keys (1–"), "{first}");
    h.mouse(MouseEventKind::ScrollDown, 40, 10);
    assert!(
        h.overlay().is_some(),
        "the wheel scrolls, it does not close"
    );
    assert_ne!(h.text(), first, "and it moved");
    h.key(KeyCode::Char('j'));
    assert!(h.overlay().is_some(), "j scrolls");
    h.key(KeyCode::End);
    let end = h.text();
    assert!(end.contains("the mouse wheel scrolls"), "{end}");
    // Its longest lines are whole at 80 columns, not cut at the frame.
    let mut seen = String::new();
    h.key(KeyCode::Char('g'));
    // Enough pages for the whole list (about 15 lines a page).
    for _ in 0..12 {
        seen.push_str(&h.text());
        h.key(KeyCode::PageDown);
    }
    for whole in [
        "quit (nothing else works until the terminal is larger)",
        "close it (so does any key not listed here)",
    ] {
        assert!(seen.contains(whole), "{whole:?} is cut:\n{seen}");
    }
}

#[test]
fn scrolled_pages_stop_at_their_last_line() {
    let mut h = migrated_store();
    for tab in ['1', '3'] {
        h.key(KeyCode::Char(tab));
        let top = h.text();
        h.key(KeyCode::Char('G'));
        let bottom = h.text();
        let body: Vec<&str> = bottom.lines().skip(1).collect();
        assert!(
            body.iter()
                .rev()
                .skip(1)
                .take(3)
                .any(|l| !l.trim().is_empty()),
            "G on tab {tab} shows the last lines, not a blank page:\n{bottom}"
        );
        h.key(KeyCode::PageDown);
        assert_eq!(h.text(), bottom, "PgDn past the end stays");
        h.key(KeyCode::PageUp);
        assert_ne!(h.text(), bottom, "PgUp comes straight back");
        h.key(KeyCode::Char('g'));
        assert_eq!(h.text(), top, "g is back at the top");
    }
}

#[test]
fn the_detail_jumps_to_its_end_and_stops_there() {
    let mut h = Harness::demo();
    h.resize(100, 16);
    h.key(KeyCode::Char('2')).key(KeyCode::Enter);
    let top = h.text();
    h.key(KeyCode::Char('G'));
    let bottom = h.text();
    assert_ne!(top, bottom, "G moves to the end");
    h.key(KeyCode::PageDown).key(KeyCode::Char('j'));
    assert_eq!(h.text(), bottom, "nothing below the last line");
    h.key(KeyCode::Char('k'));
    assert_ne!(h.text(), bottom, "k comes back at once");
}

#[test]
fn the_plan_dialog_scrolls_with_page_keys_within_its_lines() {
    let mut h = migrated_store();
    h.resize(80, 20);
    h.key(KeyCode::Char('i'));
    let top = h.text();
    h.key(KeyCode::PageDown);
    assert_ne!(h.text(), top, "PgDn scrolls the plan");
    h.key(KeyCode::Char('G'));
    let end = h.text();
    h.key(KeyCode::PageDown);
    assert_eq!(h.text(), end, "it stops at its last line");
    h.key(KeyCode::Char('g'));
    assert_eq!(h.text(), top, "g is back at the top");
    assert!(h.overlay().is_some(), "scrolling keeps it open");
}

#[test]
fn keys_pressed_with_ctrl_reach_the_app() {
    // Ctrl-c closes a plan waiting for an answer, writing nothing.
    let mut h = migrated_store();
    h.key(KeyCode::Char('i'));
    handle_input(
        &mut h.app,
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    h.settle();
    assert!(h.overlay().is_none() && !h.quits());
    let status = status(&mut h);
    assert!(
        status.ends_with(" not applied: nothing was written"),
        "{status}"
    );
}

#[test]
fn a_newer_store_says_so_and_hints_no_write() {
    let mut h = Harness::demo_with("newer.sqlite", 5, "PRAGMA user_version = 7");
    let screen = h.text();
    assert!(screen.contains(" newer (user_version 7) "), "{screen}");
    assert!(!screen.contains(" current "), "{screen}");
    let hints = status(&mut h);
    assert!(
        !hints.contains("init") && !hints.contains("fold"),
        "{hints}"
    );
}

#[test]
fn a_folder_says_why_on_every_tab() {
    let dir = fixed_tempdir();
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let mut h = Harness::open(dir, folder);
    h.key(KeyCode::Char('2'));
    let screen = h.text();
    assert!(!screen.contains("no documents table"), "{screen}");
    assert!(screen.contains("cannot open the store"), "{screen}");
    assert!(screen.contains("folder"), "{screen}");
}

#[test]
fn the_detail_marks_null_and_storage_classes_without_colour() {
    let mut h = Harness::demo_with(
        "classes.sqlite",
        1,
        "ALTER TABLE documents ADD COLUMN score;
         UPDATE documents SET title = 'NULL', summary = NULL, score = 42, phash = x'00ff'",
    );
    h.resize(100, 60);
    h.key(KeyCode::Char('2')).key(KeyCode::Enter);
    let mut screen = h.text();
    screen.push_str(&h.key(KeyCode::Char('G')).text());
    let after = |name: &str| {
        let lines: Vec<&str> = screen.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in\n{screen}"));
        (
            lines[i].trim_end().to_string(),
            lines[i + 1].trim().to_string(),
        )
    };
    assert_eq!(after("title"), ("title".into(), "NULL".into()));
    assert_eq!(after("summary"), ("summary".into(), "∅ NULL".into()));
    assert_eq!(after("score"), ("score  (integer)".into(), "42".into()));
    assert!(after("phash").0.ends_with("(blob)"), "{screen}");
}

#[test]
fn a_hint_names_a_key_that_does_it_here() {
    let mut h = migrated_store();
    h.key(KeyCode::Char('i')).key(KeyCode::Char('y'));
    let hints = status(&mut h);
    // q closes the finished dialog, so quitting is hinted by Ctrl-c.
    assert!(hints.contains("Ctrl-c  quit"), "{hints}");
    assert!(!hints.contains(" q  quit"), "{hints}");
}

#[test]
fn a_missing_store_offers_init_and_init_creates_it() {
    let dir = fixed_tempdir();
    let p = dir.path().join("new.sqlite");
    let mut h = Harness::open(dir, p.clone());
    let screen = h.text();
    assert!(screen.contains("init creates one there"), "{screen}");
    assert!(
        status(&mut h).contains("init"),
        "the key the screen speaks of is hinted: {}",
        status(&mut h)
    );
    h.key(KeyCode::Char('i'));
    assert!(status(&mut h).contains("run"), "{}", h.text());
    h.key(KeyCode::Char('y'));
    assert!(h.text().contains("done: "), "{}", h.text());
    h.key(KeyCode::Esc);
    assert!(h.text().contains(" current "), "{}", h.text());
    assert!(p.exists());
}

#[test]
fn a_blocked_plan_lists_the_rows_that_block_it_and_shows_no_empty_heading() {
    let mut h = id_twice();
    h.key(KeyCode::Char('i'));
    let screen = h.text();
    assert!(
        screen.contains("Nothing can run (7 steps planned) on"),
        "{screen}"
    );
    assert!(!screen.contains("0 step"), "{screen}");
    assert!(status(&mut h).contains("its rows"), "{}", status(&mut h));
    h.key(KeyCode::Enter);
    assert_eq!(h.overlay(), None);
    assert_eq!(h.tab(), Tab::Documents);
    let screen = h.text();
    assert!(
        screen.contains("again"),
        "the repeated id's rows:\n{screen}"
    );
    assert!(screen.contains("the 2 rows named"), "{screen}");
}

#[test]
fn an_empty_store_does_not_ask_for_a_scan_of_no_rows() {
    let dir = fixed_tempdir();
    let p = current_store(dir.path());
    let mut h = Harness::open(dir, p);
    let screen = h.text();
    assert!(
        screen.contains("Data checks: no documents or tasks to scan yet"),
        "{screen}"
    );
    assert!(!screen.contains("press d"), "{screen}");
}

#[test]
fn an_older_store_shows_a_missing_column_as_missing_not_null() {
    let mut h = migrated_store();
    h.key(KeyCode::Char('2'));
    let screen = h.text();
    let row = screen
        .lines()
        .find(|l| l.starts_with("doc-1 "))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("(no column)"), "{screen}");
    assert!(!row.contains('∅'), "not NULL:\n{screen}");
}

#[test]
fn documents_hints_only_what_works_there() {
    // No store: nothing to open, search, filter or sort.
    let dir = fixed_tempdir();
    let p = dir.path().join("none.sqlite");
    let mut h = Harness::open(dir, p);
    h.key(KeyCode::Char('2'));
    let hints = status(&mut h);
    for dead in [
        "open", "search", "type", "status", "sort", "columns", "export", "freq",
    ] {
        assert!(!hints.contains(&format!(" {dead} ")), "{dead} in {hints}");
    }
    assert!(hints.contains("init"), "{hints}");
    // Any column sorts: the hint stays on a column no index orders.
    let mut h = migrated_store();
    h.key(KeyCode::Char('i'))
        .key(KeyCode::Char('y'))
        .key(KeyCode::Esc);
    // The plan's message fades first: it would take a hint's room.
    h.app.tick(Instant::now() + Duration::from_secs(6));
    h.key(KeyCode::Char('2'));
    assert!(status(&mut h).contains("sort"), "{}", status(&mut h));
    h.key(KeyCode::Char('l'));
    assert!(status(&mut h).contains("sort"), "{}", status(&mut h));
}

#[test]
fn a_statement_read_before_a_plan_wrote_says_it_may_no_longer_hold() {
    let mut h = migrated_store();
    h.key(KeyCode::Char(':'));
    for c in "select count(*) from documents".chars() {
        h.key(KeyCode::Char(c));
    }
    h.key(KeyCode::Enter);
    h.wait_counts();
    h.key(KeyCode::Char('i'))
        .key(KeyCode::Char('y'))
        .key(KeyCode::Esc);
    let screen = h.text();
    assert!(
        screen.contains("the store changed since the statement ran"),
        "{screen}"
    );
}
