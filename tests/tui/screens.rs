//! Screens through ratatui's TestBackend, driven by the real worker on real
//! stores; snapshots with insta, styles by cell.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;
use egregora_inspect::tui::app::App;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;
use egregora_inspect::tui::worker::{Job, Worker};
use ratatui::style::Color;
use std::path::Path;
use strum::IntoEnumIterator;

#[test]
fn masking_keeps_every_line_as_wide_as_it_was() {
    let dir = Path::new("/tmp/egi-abcdefghij");
    let screen = "│ /tmp/egi-abcdefghij/demo.sqlite  532480 bytes · SQLite 3.50.4 · 130 pages │\n";
    let masked = mask(screen, dir);
    assert_eq!(
        masked,
        "│ [TMP--------------]/demo.sqlite  ###### bytes · SQLite #.##.# · ### pages │\n"
    );
    assert_eq!(masked.chars().count(), screen.chars().count());
}

#[test]
fn overview_snapshot_and_styles() {
    let mut h = Harness::demo();
    insta::assert_snapshot!("overview", h.text());
    let b = h.render();
    let (x, y) = find(&b, " legacy-present ");
    assert_eq!(
        b[(x + 1, y)].bg,
        Color::Magenta,
        "the state badge is coloured"
    );
    let (x, y) = find(&b, "⚠ table posts");
    assert_eq!(
        b[(x + 2, y)].fg,
        Color::Yellow,
        "legacy objects in the warning colour"
    );
}

#[test]
fn documents_detail_and_search() {
    let mut h = Harness::demo();
    h.act(Action::GoTab(Tab::Documents));
    insta::assert_snapshot!("documents", h.text());
    h.act(Action::Down).act(Action::Down).act(Action::Open);
    insta::assert_snapshot!("detail", h.text());
    assert_eq!(h.detail_rowid(), Some(3));
    h.act(Action::Back);
    assert_eq!(h.detail_rowid(), None);
    h.pick('t', &["post"]);
    assert!(h.head().contains("doc_type ∈ post ·"), "{}", h.head());
    let types = h.cells("doc_type");
    assert!(!types.is_empty() && types.iter().all(|t| t == "post"));
    h.act(Action::Search);
    for c in "harvest".chars() {
        h.key(KeyCode::Char(c));
    }
    h.key(KeyCode::Enter);
    assert!(!h.rows().is_empty());
    assert!(h.head().contains("search “harvest”"), "{}", h.head());
    h.act(Action::Back);
    let head = h.head();
    assert!(!head.contains("search"), "{head}");
    assert!(head.contains("type all ·"), "{head}");
}

#[test]
fn paging_moves_by_the_drawn_page_and_reaches_the_end() {
    let mut h = Harness::demo();
    h.act(Action::GoTab(Tab::Documents));
    let page = h.page();
    assert_eq!(h.rows().len(), page, "the window is one drawn page");
    let first = h.rowids()[0];
    h.act(Action::PageDown);
    assert_eq!(h.rowids()[0], first + page as i64);
    h.act(Action::Bottom);
    let rows = h.rowids();
    assert_eq!(rows.last(), Some(&300));
    assert_eq!(h.selected_row(), Some(rows.len() - 1));
    h.act(Action::Down);
    assert_eq!(h.rowids().last(), Some(&300), "no row past the end");
    h.act(Action::Top);
    assert_eq!(h.rowids()[0], 1);
    h.act(Action::Up);
    assert_eq!(h.selected_row(), Some(0));
    for _ in 0..page {
        h.act(Action::Down);
    }
    assert_eq!(
        h.rowids()[0],
        2,
        "a line down past the bottom scrolls by one"
    );
    // o sorts by the column under the cursor; again, back to inserted order.
    let sort = |h: &mut Harness| {
        let head = h.head();
        let by = head.strip_prefix("sort ").expect("the sort shown");
        by.split(' ').next().unwrap_or_default().to_string()
    };
    h.act(Action::Sort);
    assert_eq!(sort(&mut h), "id");
    for _ in 0..3 {
        h.act(Action::ColumnRight);
    }
    assert_eq!(h.column().as_deref(), Some("created_at"));
    h.act(Action::Sort);
    assert_eq!(sort(&mut h), "created_at");
    let first = h.cells("created_at")[0].clone();
    h.act(Action::SortReverse);
    let newest = h.cells("created_at")[0].clone();
    assert!(newest > first, "newest first: {newest:?} after {first:?}");
    h.act(Action::Sort);
    assert_eq!(sort(&mut h), "inserted");
    // Any column sorts: one no index orders as well.
    h.act(Action::ColumnRight).act(Action::Sort);
    assert_eq!(sort(&mut h), "title");
    let titles = h.cells("title");
    let mut sorted = titles.clone();
    // Still newest (last) first: `o` keeps the direction.
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(titles, sorted);
    // A resize fetches a window of the new page size.
    h.resize(120, 50);
    h.settle();
    let page = h.page();
    assert!(page > 30, "{page}");
    assert_eq!(h.rows().len(), page);
}

#[test]
fn schema_tables_help_and_small_terminal() {
    let mut h = Harness::demo();
    h.act(Action::GoTab(Tab::Schema));
    insta::assert_snapshot!("schema", h.text());
    h.act(Action::GoTab(Tab::Tables));
    insta::assert_snapshot!("tables", h.text());
    h.act(Action::Down).act(Action::Open);
    let title = h.text().lines().nth(1).unwrap_or_default().to_string();
    assert!(
        title.starts_with("tasks─"),
        "a writable table's rows change: {title}"
    );
    h.act(Action::Back).act(Action::Help);
    insta::assert_snapshot!("help", h.text());
    assert!(
        !h.text().contains("scrolls lists and pages"),
        "a long list is cut…"
    );
    h.key(KeyCode::Char('G'));
    let bottom = h.text();
    assert!(
        bottom.contains("scrolls lists and pages"),
        "…and G shows its end"
    );
    h.key(KeyCode::Char('j'));
    assert_eq!(h.text(), bottom, "it does not scroll past its end");
    h.key(KeyCode::Char('k'));
    assert_ne!(h.text(), bottom, "and comes back at once");
    h.key(KeyCode::Char('x'));
    assert_eq!(h.overlay(), None, "any other key closes the help");
    h.resize(40, 8);
    insta::assert_snapshot!("too_small", h.text());
    h.resize(120, 36);
    assert!(h.text().contains("1 Overview"), "the layout comes back");
}

#[test]
fn plan_dialog_confirm_and_cancel() {
    let dir = fixed_tempdir();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 30);
    let mut h = Harness::open(dir, p.clone());
    assert!(h.text().contains(" needs-migration "));
    h.act(Action::Init);
    insta::assert_snapshot!("plan_dialog", h.text());
    assert!(h.overlay().is_some_and(|t| t.starts_with("init")));
    h.act(Action::Cancel);
    assert_eq!(h.overlay(), None);
    assert!(h.status().ends_with(" not applied: nothing was written"));
    assert_eq!(columns(&p, "documents").len(), 7);
    h.act(Action::Init).act(Action::Confirm);
    let done = h.text();
    assert!(
        done.contains("done: 17 step(s) applied; the store is now current; backup at"),
        "{done}"
    );
    let backup = std::fs::read_dir(p.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("old.sqlite.bak-")
        });
    assert!(backup, "the summary's backup was written");
    h.act(Action::Cancel);
    assert!(h.text().contains(" current "));
    assert_eq!(columns(&p, "documents").len(), 24);
}

#[test]
fn actions_are_unavailable_on_a_newer_store() {
    let dir = fixed_tempdir();
    let p = current_store(dir.path());
    exec(&p, "PRAGMA user_version = 4");
    let mut h = Harness::open(dir, p);
    h.act(Action::Init);
    assert_eq!(h.overlay(), None);
    let screen = h.text();
    assert!(
        screen.contains("init is unavailable: user_version 4 is newer than V3"),
        "{screen}"
    );
}

#[test]
fn a_missing_store_says_so_and_init_creates_it() {
    let dir = fixed_tempdir();
    let p = dir.path().join("sub/new.sqlite");
    let mut h = Harness::open(dir, p.clone());
    assert!(h.text().contains("no store at"));
    h.act(Action::Init).act(Action::Confirm).act(Action::Cancel);
    assert!(h.text().contains(" current "), "{}", h.text());
    assert!(p.exists());
}

#[test]
fn every_size_renders_without_panic() {
    let mut h = Harness::demo();
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 5),
        (10, 3),
        (59, 11),
        (60, 12),
        (61, 13),
        (80, 24),
        (120, 40),
        (200, 60),
        (300, 100),
    ];
    for tab in Tab::iter() {
        h.act(Action::GoTab(tab));
        for s in sizes {
            h.resize(s.0, s.1);
            h.render();
        }
    }
    h.act(Action::GoTab(Tab::Documents)).act(Action::Open);
    for s in sizes {
        h.resize(s.0, s.1);
        h.render();
    }
    h.act(Action::Back).act(Action::Help);
    for s in sizes {
        h.resize(s.0, s.1);
        h.render();
    }
}

fn hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn no_control_or_bidi_character_reaches_a_cell() {
    let dir = fixed_tempdir();
    let p = dir.path().join("evil.sqlite");
    bin()
        .args(["demo", "--docs", "0"])
        .arg(&p)
        .assert()
        .success();
    let evil = [
        "\x1b]0;pwned\x07",
        "\x1b]52;c;cHduZWQ=\x07",
        "\x1b[2J\x1b[H",
        "a\rb",
        "\u{9b}31m",
        "\u{202e}abc\u{2066}",
        "nul\0x",
        "tab\there\nnewline",
        "\x7f\x08",
    ];
    let c = open(&p);
    for (i, e) in evil.iter().enumerate() {
        c.execute(
            "INSERT INTO documents (id, status, doc_type, title, content, tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![format!("id{i}{e}"), e, e, e, e, format!("[\"{}\"]", e.escape_default()), e],
        )
        .unwrap();
    }
    c.execute("INSERT INTO documents (id, status, doc_type, title) VALUES ('bad-utf8', 'x', 'note', CAST(x'ff1b5b33316d' AS TEXT))", []).unwrap();
    drop(c);
    let mut h = Harness::open(dir, p);
    let check = |h: &mut Harness, what: &str| {
        let b = h.render();
        for cell in b.content() {
            assert!(
                !cell.symbol().chars().any(hostile),
                "{what}: cell holds {:?}",
                cell.symbol()
            );
        }
    };
    check(&mut h, "overview");
    h.act(Action::GoTab(Tab::Documents));
    check(&mut h, "documents");
    assert!(
        h.text().contains("\\x1b]0;pwned\\x07"),
        "escapes are shown visibly"
    );
    for i in 0..=evil.len() {
        if i > 0 {
            h.act(Action::Down);
        }
        h.act(Action::Open);
        check(&mut h, "detail");
        h.act(Action::Back);
    }
    h.act(Action::GoTab(Tab::Tables)).act(Action::Open);
    check(&mut h, "browse");
}

#[test]
fn quit_from_anywhere_and_tabs_cycle() {
    let mut h = Harness::demo();
    h.act(Action::NextTab);
    assert_eq!(h.tab(), Tab::Documents);
    h.act(Action::PrevTab).act(Action::PrevTab);
    assert_eq!(h.tab(), Tab::Query);
    // Query opens on its SQL line, where q is typed: Esc leaves it.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('q'));
    assert!(h.quits());
    let _ = Path::new("");
}

#[test]
fn a_write_by_another_process_is_noticed_and_reloaded() {
    use egregora_inspect::tui::worker::Request;
    let mut h = Harness::demo();
    assert!(
        h.browse.serve(Request::Poll).is_none(),
        "nothing changed yet"
    );
    exec(&h.path.clone(), "DROP TABLE posts");
    let reply = h.browse.serve(Request::Poll).expect("the change is seen");
    h.app.on_reply(reply);
    h.settle();
    let status = h.status();
    assert!(
        status.ends_with(" the store changed on disk: reloaded"),
        "{status}"
    );
    assert!(!h.text().contains("⚠ table posts"));
}

#[test]
fn the_mouse_wheel_scrolls() {
    use crossterm::event::MouseEventKind;
    let mut h = Harness::demo();
    h.act(Action::GoTab(Tab::Documents));
    h.mouse(MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(h.selected_row(), Some(3));
    h.mouse(MouseEventKind::ScrollUp, 10, 10);
    assert_eq!(h.selected_row(), Some(0));
}

#[test]
fn a_file_that_is_not_a_store_says_what_it_is() {
    let dir = fixed_tempdir();
    let p = dir.path().join("pipeline.duckdb");
    let mut b = vec![0u8; 4096];
    b[8..12].copy_from_slice(b"DUCK");
    b[12..20].copy_from_slice(&64u64.to_le_bytes());
    std::fs::write(&p, &b).unwrap();
    let mut h = Harness::open(dir, p.clone());
    assert!(
        h.text()
            .contains("is egregora's DuckDB store (storage version 64)"),
        "{}",
        h.text()
    );
    h.act(Action::Init);
    assert!(h.overlay().is_some(), "the plan's dialog");
    let dialog = h.text();
    assert!(
        dialog.contains("DuckDB"),
        "the plan says why it cannot be made: {dialog}"
    );
    assert_eq!(std::fs::read(&p).unwrap(), b, "nothing written");
}

#[test]
fn data_checks_run_on_demand_and_name_bad_rows() {
    let mut h = Harness::demo_with(
        "bad.sqlite",
        50,
        "INSERT INTO documents (id, status, doc_type, tags) VALUES ('broken-tags', 'draft', 'recipe', '[oops');",
    );
    let text = h.text();
    assert!(text.contains("press d to scan the rows"));
    assert!(text.contains(" current  "), "{text}");
    h.act(Action::GoTab(Tab::Documents)).act(Action::DataChecks);
    assert_eq!(h.tab(), Tab::Overview, "the results show on the Overview");
    let text = h.text();
    assert!(text.contains("Data checks"), "{text}");
    // The badge says what the checks found (DESIGN §2: one rule for ok),
    // never a plain `current` beside them.
    assert!(text.contains(" current · 9 data warnings "), "{text}");
    let b = h.render();
    let (x, y) = find(&b, " current · 9");
    assert_ne!(
        b[(x + 1, y)].bg,
        ratatui::style::Color::Green,
        "not the green of ok"
    );
    assert!(text.contains("'broken-tags' = '[oops'"), "{text}");
    assert!(text.contains("doc_type outside"), "{text}");
    h.act(Action::Refresh);
    assert!(
        h.text().contains("press d to scan the rows"),
        "a refresh forgets results that may be stale"
    );
}

#[test]
fn scans_wait_until_the_first_screen_is_drawn() {
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo", "--legacy"]).arg(&p).assert().success();
    let mut app = App::new(p.clone());
    app.resize(120, 36);
    let mut worker = Worker::new(p, app.requests.latest.clone());
    let serve = |app: &mut App, worker: &mut Worker| {
        let jobs: Vec<Job> = app.requests.outbox.drain(..).collect();
        let scans = jobs.iter().filter(|j| j.is_scan()).count();
        for job in jobs {
            if let Job::Read(r) = job
                && let Some(reply) = worker.serve(r)
            {
                app.on_reply(reply);
            }
        }
        scans
    };
    assert_eq!(serve(&mut app, &mut worker), 0, "the inspection first");
    app.drawn(Default::default());
    assert_eq!(
        serve(&mut app, &mut worker),
        0,
        "then the first page, alone, though the charts and counts are wanted"
    );
    assert!(app.docs.rows.loaded().is_some());
    assert!(app.requests.outbox.is_empty());
    app.drawn(Default::default());
    assert!(
        serve(&mut app, &mut worker) >= 2,
        "once it is drawn, the charts and the legacy counts go out"
    );
}

#[test]
fn the_message_log_keeps_every_message_whole_newest_first() {
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo", "--legacy"]).arg(&p).assert().success();
    // A sort's list waits (see `run_held`), so Esc can stop it.
    let mut h = Harness::with_app(dir, egregora_inspect::tui::app::App::new(p), true);
    h.key(KeyCode::Char('r'));
    // A message longer than the status line has room for: a sort by a
    // column no index orders, stopped while its list is built.
    h.key(KeyCode::Char('2'));
    for _ in 0..4 {
        h.key(KeyCode::Char('l'));
    }
    h.key(KeyCode::Char('o'));
    h.key(KeyCode::Esc);
    // On a narrow terminal the status line cuts it: the log shows what was cut.
    h.resize(60, 24);
    let status = h.status();
    let cut = status
        .rfind('…')
        .unwrap_or_else(|| panic!("the message cut: {status}"));
    let shown: String = status[..cut].chars().rev().take(12).collect();
    let shown: String = shown.chars().rev().collect();
    h.resize(120, 36);
    h.key(KeyCode::Char('M'));
    let screen = h.text();
    assert!(screen.contains("messages of this run"), "{screen}");
    let first = screen.find("refreshed").expect("the first message");
    let last = screen.find(&shown).expect("the newest message");
    assert!(last < first, "newest first:\n{screen}");
    let after = screen[last + shown.len()..].chars().next();
    assert!(after.is_some_and(|c| c != '…'), "whole:\n{screen}");
    h.key(KeyCode::Esc);
    assert!(!h.text().contains("messages of this run"));
}

#[test]
fn the_schema_panes_scroll_each_on_its_own() {
    let mut h = Harness::demo();
    h.resize(120, 20);
    h.key(KeyCode::Char('3'));
    let first = h.text();
    assert!(first.contains("spec beside live ◂ scrolling"), "{first}");
    h.key(KeyCode::Char('l'));
    h.key(KeyCode::Char('G'));
    let screen = h.text();
    assert!(screen.contains("live DDL ◂ scrolling"), "{screen}");
    // The spec pane has not moved: its first lines are still there.
    let spec_top = first.lines().nth(2).unwrap_or_default()[..40].to_string();
    assert!(screen.contains(&spec_top), "{spec_top:?} in\n{screen}");
    // The DDL did: its last statement is on screen now, not before.
    let last_ddl = screen
        .lines()
        .rev()
        .find(|l| l.contains("CREATE"))
        .unwrap_or_default();
    assert!(!first.contains(last_ddl), "{screen}");
    h.key(KeyCode::Char('h')).key(KeyCode::Char('G'));
    assert!(h.text().contains("spec beside live ◂ scrolling"));
}

#[test]
fn the_overview_charts_show_every_doc_type_and_never_overlap() {
    let mut h = Harness::demo_with(
        "charts.sqlite",
        300,
        "INSERT INTO documents (id, status, doc_type) VALUES ('x1', 'draft', 'recipe')",
    );
    for (w, hh) in [(120, 40), (200, 60)] {
        h.resize(w, hh);
        let screen = h.text();
        let lines: Vec<&str> = screen.lines().collect();
        let top = lines
            .iter()
            .position(|l| l.starts_with("Documents per doc_type"))
            .unwrap_or_else(|| panic!("{screen}"));
        // Thirteen doc_types, each on a line of its own, none left out.
        for t in ["post", "annotation", "media", "recipe", "enrichment_media"] {
            assert!(
                lines[top..].iter().any(|l| l.starts_with(&format!("{t} "))),
                "{t} at {w}x{hh}:\n{screen}"
            );
        }
        // The month chart has an edge of its own left of its labels.
        assert!(lines[top].contains("┌Documents per month"), "{screen}");
        let edge = lines[top].chars().take_while(|c| *c != '┌').count();
        for l in &lines[top + 1..top + 10] {
            assert_eq!(l.chars().nth(edge), Some('│'), "{l:?}\n{screen}");
        }
    }
    // One month: one label, not the same month three times.
    let mut h = Harness::demo_with(
        "one-month.sqlite",
        50,
        "UPDATE documents SET created_at = '2024-01-15T00:00:00Z'",
    );
    h.resize(120, 40);
    let screen = h.text();
    assert_eq!(screen.matches("2024-01").count(), 1, "{screen}");
}
