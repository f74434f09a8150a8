//! Sort by any column in Documents, through the real key routing and the
//! browsing worker's own dispatch: a column no index orders gets its sorted
//! list (built on a thread of its own in the app, in turn here), pages in
//! order both ways, Esc stops a build, a write by another process sorts again.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;
use egregora_inspect::tui::app::App;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;

/// 300 documents whose titles have NULLs and ties (no index on title).
const TIES: &str = "UPDATE documents SET title = NULL WHERE rowid % 7 = 0;
                    UPDATE documents SET title = 'same' WHERE rowid % 7 = 1;";

/// The harness on a fresh demo store; `hold` keeps a list's build waiting
/// for `run_held`.
fn app(hold: bool) -> Harness {
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--docs", "300"])
        .arg(&p)
        .assert()
        .success();
    exec(&p, TIES);
    let mut h = Harness::with_app(dir, App::new(p), hold);
    h.act(Action::GoTab(Tab::Documents));
    while h.column().as_deref() != Some("title") {
        h.act(Action::ColumnRight);
    }
    h
}

fn ids_by_title(h: &Harness, dir: &str) -> Vec<String> {
    let c = open(&h.path);
    c.prepare(&format!(
        "SELECT id FROM documents ORDER BY title {dir}, rowid {dir}"
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

#[test]
fn o_sorts_by_a_column_no_index_orders_and_pages_come_in_order_both_ways() {
    let mut h = app(false);
    h.act(Action::Sort);
    let head = h.head();
    assert!(head.starts_with("sort title ↑"), "{head}");
    let said = h.said();
    assert!(said.contains("sorted by title: 300 rows"), "{said}");
    let up = ids_by_title(&h, "ASC");
    let page = h.page();
    assert_eq!(
        h.cells("id"),
        up[..page].to_vec(),
        "NULLs first, ties by rowid"
    );
    h.act(Action::PageDown);
    assert_eq!(h.cells("id"), up[page..2 * page].to_vec());
    h.act(Action::Bottom);
    assert_eq!(h.cells("id").last(), up.last());
    h.act(Action::SortReverse);
    let down = ids_by_title(&h, "DESC");
    assert!(h.head().starts_with("sort title ↓"), "{}", h.head());
    assert_eq!(h.cells("id"), down[..page].to_vec());
    h.act(Action::PageDown).act(Action::PageUp);
    assert_eq!(h.cells("id"), down[..page].to_vec());
    // Filters still apply: a list of their rows only.
    h.pick('t', &["post"]);
    let kind = "post".to_string();
    let c = open(&h.path);
    let want: Vec<String> = c
        .prepare("SELECT id FROM documents WHERE doc_type = ?1 ORDER BY title DESC, rowid DESC")
        .unwrap()
        .query_map([&kind], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let shown = h.cells("id");
    assert_eq!(
        shown,
        want[..shown.len().min(want.len())].to_vec(),
        "type {kind}"
    );
    // Again on the same column: back to inserted order.
    h.act(Action::Sort);
    assert!(h.head().starts_with("sort inserted"), "{}", h.head());
}

#[test]
fn esc_stops_a_list_being_built_and_the_order_before_comes_back() {
    let mut h = app(true);
    let before = h.cells("id");
    h.act(Action::Sort);
    // The first page is on screen, in order, while the list waits.
    let head = h.head();
    assert!(
        head.contains("sort title ↑") && head.contains("sorting"),
        "{head}"
    );
    let up = ids_by_title(&h, "ASC");
    assert_eq!(h.cells("id"), up[..h.page()].to_vec());
    let status = h.status();
    assert!(status.contains("Esc  stop sort"), "{status}");
    h.key(KeyCode::Esc);
    let head = h.head();
    assert!(
        head.starts_with("sort inserted ↑") && !head.contains("sorting"),
        "{head}"
    );
    assert_eq!(h.cells("id"), before, "the order before");
    let said = h.said();
    assert!(said.contains("sort by title stopped"), "{said}");
    let status = h.status();
    assert!(!status.contains("stop sort"), "{status}");
    // The build, stopped, says nothing and changes nothing.
    h.run_held();
    assert!(h.head().starts_with("sort inserted ↑"));
    assert_eq!(h.cells("id"), before);
}

#[test]
fn a_write_by_another_process_sorts_again_and_never_shows_a_wrong_order() {
    let mut h = app(true);
    h.act(Action::Sort).run_held();
    assert!(h.said().contains("sorted by title"));
    let last = ids_by_title(&h, "ASC").pop().unwrap();
    // Another process moves the last row to the front.
    exec(
        &h.path,
        &format!("UPDATE documents SET title = NULL WHERE id = '{last}'"),
    );
    h.app.second();
    h.settle();
    let head = h.head();
    assert!(head.contains("sorting again"), "{head}");
    let up = ids_by_title(&h, "ASC");
    assert_eq!(
        h.cells("id"),
        up[..h.page()].to_vec(),
        "in order while it sorts again"
    );
    h.run_held();
    assert!(!h.head().contains("sorting"), "{}", h.head());
    assert_eq!(h.cells("id"), up[..h.page()].to_vec());
    h.act(Action::PageDown);
    assert_eq!(h.cells("id"), up[h.page()..2 * h.page()].to_vec());
}

#[test]
fn a_browsed_table_sorts_by_any_column_both_ways_and_esc_stops_its_build() {
    let mut h = app(true);
    h.act(Action::GoTab(Tab::Tables)).act(Action::Open);
    let by_rowid = h.cells("id");
    while h.column().as_deref() != Some("title") {
        h.act(Action::ColumnRight);
    }
    assert!(h.status().contains("o  sort"), "{}", h.status());
    h.act(Action::Sort);
    let up = ids_by_title(&h, "ASC");
    let page = h.page();
    let title = h.lines()[1].clone();
    assert!(
        title.contains("sort title ↑") && title.contains("sorting"),
        "{title}"
    );
    assert!(
        !h.status().contains("back"),
        "Esc stops the sort now: {}",
        h.status()
    );
    assert_eq!(
        h.cells("id"),
        up[..page].to_vec(),
        "in order before the list"
    );
    h.key(KeyCode::Esc);
    assert_eq!(h.cells("id"), by_rowid, "Esc: the order before");
    assert!(!h.lines()[1].contains("sort title"), "{}", h.lines()[1]);
    h.run_held();
    // Again, the list built this time.
    h.act(Action::Sort).run_held();
    assert!(
        h.said().contains("sorted by title: 300 rows"),
        "{}",
        h.said()
    );
    assert!(!h.lines()[1].contains("sorting"), "{}", h.lines()[1]);
    assert_eq!(h.cells("id"), up[..page].to_vec());
    h.act(Action::PageDown);
    assert_eq!(h.cells("id"), up[page..2 * page].to_vec());
    h.act(Action::PageUp).act(Action::Up);
    assert_eq!(
        h.cells("id"),
        up[..page].to_vec(),
        "nothing before the first row"
    );
    assert_eq!(h.selected_row(), Some(0));
    h.act(Action::Bottom);
    assert_eq!(h.cells("id").last(), up.last());
    h.act(Action::Down);
    assert_eq!(
        h.cells("id").last(),
        up.last(),
        "nothing after the last row"
    );
    h.act(Action::SortReverse);
    let down = ids_by_title(&h, "DESC");
    assert!(h.lines()[1].contains("sort title ↓"), "{}", h.lines()[1]);
    assert_eq!(h.cells("id"), down[..page].to_vec());
    // Esc with nothing building: back to the tables.
    h.key(KeyCode::Esc);
    let status = h.status();
    assert!(status.contains("browse"), "the tables list: {status}");
}

/// The real binary in tmux on 300,000 documents: a sort by a column no
/// index orders says how far its list has got, Esc stops it (the order
/// before comes back), and run to its end its pages are in order.
#[test]
fn the_real_binary_sorts_by_title_with_progress_and_stops_on_esc() {
    use crate::common::tmux::Tmux;
    if !Tmux::available() {
        assert!(std::env::var_os("CI").is_none(), "CI installs tmux");
        eprintln!("skipped: no tmux");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let big = demo_300k(dir.path());
    let t = Tmux::start(dir.path());
    t.type_line(&format!("{} big.sqlite", bin_path().display()));
    t.wait_for("press d to scan");
    t.send(&["2"]);
    t.wait_for("300,000 documents");
    t.send(&["l", "l", "l", "l", "o"]);
    let s = t.wait_for("sorting");
    assert!(s.contains("sort title ↑"), "{s}");
    assert!(s.contains("(Esc stops)"), "{s}");
    t.send(&["Escape"]);
    let s = t.wait_for("sort by title stopped");
    assert!(s.contains("sort inserted ↑"), "{s}");
    t.send(&["o"]);
    let s = t.wait_within(
        "sorted by title: 300,000 rows",
        std::time::Duration::from_secs(60),
    );
    let first: String = scalar(
        &big,
        "SELECT id FROM documents ORDER BY title, rowid LIMIT 1",
    );
    assert!(s.contains(&first), "{s}");
    t.send(&["G"]);
    let last: String = scalar(
        &big,
        "SELECT id FROM documents ORDER BY title DESC, rowid DESC LIMIT 1",
    );
    t.wait_for(&last);
    t.send(&["q"]);
}

#[test]
fn a_row_another_process_moves_to_the_top_shows_at_the_top() {
    let mut h = app(true);
    h.act(Action::Sort).run_held();
    h.act(Action::SortReverse).run_held();
    assert!(h.head().starts_with("sort title ↓"), "{}", h.head());
    let last = ids_by_title(&h, "DESC").pop().unwrap();
    // Another process gives the last row the title that sorts first.
    exec(
        &h.path,
        &format!("UPDATE documents SET title = 'zzzz' WHERE id = '{last}'"),
    );
    h.app.second();
    h.settle();
    h.run_held();
    let down = ids_by_title(&h, "DESC");
    assert_eq!(down[0], last);
    assert_eq!(
        h.cells("id"),
        down[..h.page()].to_vec(),
        "the top of the list, read again from its start"
    );
}

#[test]
fn a_sort_a_lock_kept_from_its_list_builds_it_once_the_lock_lets_go() {
    let mut h = app(true);
    let holder = open(&h.path);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    h.act(Action::Sort).run_held();
    assert!(h.said().contains("cannot sort by title"), "{}", h.said());
    holder.execute_batch("COMMIT").unwrap();
    // The app reads the store again once a second while a lock held it.
    h.app.second();
    h.settle();
    h.run_held();
    assert!(h.said().contains("sorted by title"), "{}", h.said());
    let up = ids_by_title(&h, "ASC");
    assert_eq!(h.cells("id"), up[..h.page()].to_vec());
}
