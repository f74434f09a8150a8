//! What the app draws on a small terminal and after a resize: counts
//! grouped the same way everywhere, the lines that matter kept whole at 80
//! columns (a cut says `…`), the column cursor's column always drawn.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use egregora_inspect::tui::app::App;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;
use egregora_inspect::tui::worker::Reply;

/// `n` failed tasks, one a minute.
fn failed_tasks(n: u32) -> String {
    format!(
        "DELETE FROM tasks;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO tasks SELECT printf('t-%04d', i), 'enrich_url', 'failed', '{{}}',
           printf('2024-01-%02dT%02d:%02d:00Z', 1 + i / 1440, (i / 60) % 24, i % 60), NULL, 'e' || i FROM n;"
    )
}

/// Every run of four digits or more in `line` that is not inside a word,
/// a date or an id: a count drawn without its thousands grouped.
fn bare_counts(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || "()·:,/".contains(c))
        .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_count_drawn_groups_its_thousands() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        2_000,
        &format!(
            "{}
             CREATE TABLE posts (id TEXT, title TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
             INSERT INTO posts SELECT 'p' || i, 't' FROM n;",
            failed_tasks(1_200)
        ),
    );
    h.resize(160, 50);
    h.wait_counts();
    let overview = h.text();
    for want in [
        "Tasks: 1,200 in all (Enter lists the 1,200 failed)",
        "failed 1,200",
        "posts            1,500 rows",
        "Documents per doc_type (2,000 in all)",
    ] {
        assert!(overview.contains(want), "{want:?} in {overview}");
    }
    let facts = overview
        .lines()
        .find(|l| l.contains(" bytes · SQLite"))
        .unwrap();
    assert!(bare_counts(facts).is_empty(), "{facts}");

    h.act(Action::Open);
    let tasks = h.overlay().expect("the tasks list");
    assert!(tasks.contains("1–50 of 1,200"), "{tasks}");
    h.act(Action::Cancel);

    h.act(Action::GoTab(Tab::Documents));
    let head = h.head();
    assert!(head.ends_with(" · 2,000 documents"), "{head}");
    h.pick('t', &["post"]);
    let head = h.head();
    let posts: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE doc_type = 'post'",
    );
    assert!(head.contains(" of 2,000 documents"), "{head}");
    assert!(head.contains(&format!(" · {}", grouped(posts))), "{head}");
    h.act(Action::Back);

    // A column's frequencies: rows, non-null, distinct and each count.
    while h.column().as_deref() != Some("id") {
        h.act(Action::ColumnLeft);
    }
    h.act(Action::Frequencies);
    let freq = h.text();
    assert!(
        freq.contains("rows 2,000 · non-null 2,000 · distinct 2,000"),
        "{freq}"
    );
    h.act(Action::Cancel);

    h.act(Action::GoTab(Tab::Tables));
    let tables = h.text();
    let row = |name: &str| {
        tables
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {tables}"))
            .to_string()
    };
    assert!(row("documents").trim_end().ends_with("2,000"), "{tables}");
    assert!(row("tasks").trim_end().ends_with("1,200"), "{tables}");

    h.key(crossterm::event::KeyCode::Char(':'));
    h.paste("SELECT rowid FROM documents");
    h.key(crossterm::event::KeyCode::Enter);
    h.wait_counts();
    h.act(Action::Bottom);
    h.wait_counts();
    let screen = h.text();
    let title = screen.lines().find(|l| l.contains(" rows ")).unwrap();
    assert!(title.contains("2,000 rows"), "{screen}");
    assert!(bare_counts(title).is_empty(), "{title}");
}

/// A store of `docs` documents whose titles no index orders, opened at
/// 80×24 on Documents with the cursor on `title`; a sort's build waits.
fn narrow_docs(docs: u64) -> Harness {
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--docs", &docs.to_string()])
        .arg(&p)
        .assert()
        .success();
    let mut h = Harness::with_app(dir, App::new(p), true);
    h.resize(80, 24);
    h.act(Action::GoTab(Tab::Documents));
    while h.column().as_deref() != Some("title") {
        h.act(Action::ColumnRight);
    }
    h
}

#[test]
fn at_80_columns_a_sort_in_progress_leaves_the_filters_and_count_on_the_line() {
    // Part way through the build, as it reports.
    let part_way = |r: &Reply| matches!(r, Reply::SortProgress { at, .. } if at.rows >= 1_000);
    let mut h = narrow_docs(20_000);
    h.act(Action::Sort);
    h.run_held_until(part_way);
    let head = h.head();
    assert!(head.starts_with("sort title ↑ · sorting"), "{head}");
    assert!(
        head.ends_with(" · type all · status all · 20,000 documents"),
        "{head}"
    );
    assert!(bare_counts(&head).is_empty(), "{head}");
    assert!(head.chars().count() <= 80, "{head}");

    // A filter leaves less room: the filter and the count stay whole, and
    // the status line still says a sort is being built.
    let mut h = narrow_docs(20_000);
    h.pick('t', &["post"]);
    h.act(Action::Sort);
    h.run_held_until(part_way);
    let head = h.head();
    let posts: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE doc_type = 'post'",
    );
    let count = format!(
        " · doc_type ∈ post · status all · {} of 20,000 documents",
        grouped(posts)
    );
    assert!(head.starts_with("sort title ↑"), "{head}");
    assert!(head.ends_with(&count), "{head}");
    assert!(h.status().contains("stop sort"), "{}", h.status());

    // Filters longer than the line: they are cut, never the count's
    // figures (its word goes first), and the sort still says it is running.
    let mut h = narrow_docs(20_000);
    h.pick('t', &["post", "annotation"]);
    h.pick('s', &["published"]);
    h.act(Action::Sort);
    h.run_held_until(part_way);
    let head = h.head();
    let shown: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE doc_type IN ('post', 'annotation') \
         AND status = 'published'",
    );
    assert!(head.starts_with("sort title ↑ · sorting"), "{head}");
    assert!(head.contains('…'), "the filters are cut: {head}");
    assert!(
        head.ends_with(&format!(" · {} of 20,000", grouped(shown))),
        "{head}"
    );
    assert!(head.chars().count() <= 80, "{head}");
}

#[test]
fn at_80_columns_the_tasks_box_keeps_its_keys() {
    let mut h = Harness::demo_with("demo.sqlite", 300, &failed_tasks(120));
    h.resize(80, 24);
    h.act(Action::Open);
    h.act(Action::Older);
    let text = h.text();
    let top = h.overlay().expect("the tasks list");
    assert!(top.contains("Failed tasks"), "{text}");
    assert!(top.contains("51–100 of 120"), "{text}");
    for key in ["] older", "[ newer", "Esc close"] {
        assert!(text.contains(key), "{key:?} in {text}");
    }
}

/// 1234567 as the app draws it.
fn grouped(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn after_a_resize_the_column_cursor_s_column_is_drawn() {
    let mut h = Harness::demo();
    h.resize(200, 60);
    h.act(Action::GoTab(Tab::Documents));
    // Documents shows five columns: the cursor on the last, all drawn.
    for _ in 0..4 {
        h.act(Action::ColumnRight);
    }
    let wide = h.column().expect("the cursor's column drawn");
    assert!(
        h.text().contains(&format!("col 5/5 {wide} ")),
        "{}",
        h.text()
    );
    h.resize(80, 24);
    assert_eq!(h.column(), Some(wide.clone()), "{}", h.text());
    assert!(
        h.text().contains(&format!("col 5/5 {wide} ◂")),
        "{}",
        h.text()
    );
    // A browsed table, far to the right, the same way.
    h.resize(200, 60);
    h.act(Action::GoTab(Tab::Tables)).act(Action::Open);
    for _ in 0..14 {
        h.act(Action::ColumnRight);
    }
    let wide = h.column().expect("the cursor's column drawn");
    h.resize(80, 24);
    assert_eq!(h.column(), Some(wide.clone()), "{}", h.text());
    // Back to the wide screen: nothing moves the cursor off its column.
    h.resize(200, 60);
    assert_eq!(h.column(), Some(wide), "{}", h.text());
}

#[test]
fn rows_that_widen_a_column_never_cut_the_cursor_s_column() {
    // The rows at the end have a status far wider than the first page's.
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "UPDATE documents SET status = 'published-and-then-some-more' WHERE rowid > 250",
    );
    h.resize(80, 24);
    h.act(Action::GoTab(Tab::Documents));
    while h.column().as_deref() != Some("created_at") {
        h.act(Action::ColumnRight);
    }
    let header: Vec<String> = h.header().into_iter().map(|(n, _)| n).collect();
    assert!(header.contains(&"status".to_string()), "{header:?}");
    h.act(Action::Bottom);
    assert_eq!(h.column().as_deref(), Some("created_at"), "{}", h.text());
    let cells = h.cells("created_at");
    assert!(
        cells.iter().all(|c| !c.ends_with('…')),
        "the cursor's column whole: {}",
        h.text()
    );
}

#[test]
fn at_80_columns_a_result_s_status_gives_way_to_the_column_s_place() {
    let mut h = Harness::demo_with("demo.sqlite", 3_000, "");
    h.resize(80, 24);
    let name = "a_column_whose_name_is_long_enough_to_crowd_the_line";
    h.key(crossterm::event::KeyCode::Char(':'));
    h.paste(&format!("SELECT rowid AS {name} FROM documents"));
    h.key(crossterm::event::KeyCode::Enter);
    h.wait_counts();
    h.act(Action::Bottom);
    h.wait_counts();
    let screen = h.text();
    let title = screen
        .lines()
        .find(|l| l.contains(" rows "))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(title.starts_with(" rows 2,"), "{title}");
    assert!(title.contains('…'), "the status cut says so: {title}");
    assert!(title.ends_with(&format!(" col 1/1 {name} ")), "{title}");
}
