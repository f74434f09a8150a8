//! The grid's moves through the real workers: the column cursor, widths and
//! horizontal scrolling, the column chooser, both sort directions, copy,
//! export, half pages, `[`/`]`, clicks, and findings that open their rows.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::{KeyCode, MouseButton, MouseEventKind};
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;

fn docs() -> Harness {
    let mut h = Harness::demo();
    h.act(Action::GoTab(Tab::Documents));
    h
}

fn clip(h: &mut Harness) -> String {
    let c = h.clip().expect("something to copy");
    String::from_utf8(c.bytes).unwrap()
}

#[test]
fn the_column_cursor_scrolls_and_widths_follow_the_content() {
    let mut h = Harness::demo();
    // A browsed documents table shows whole ids, not 23 squeezed columns.
    h.act(Action::GoTab(Tab::Tables)).act(Action::Open);
    let screen = h.text();
    let id = scalar::<String>(&h.path, "SELECT id FROM documents WHERE rowid = 1");
    assert!(screen.contains(&id), "{screen}");
    assert!(screen.contains("col 1/23 id ▸"), "{screen}");
    for _ in 0..22 {
        h.act(Action::ColumnRight);
    }
    let end = h.text();
    assert!(end.contains("col 23/23 extensions ◂"), "{end}");
    // The key column stays on the left while the others scroll.
    let header = end.lines().nth(2).unwrap();
    assert!(header.starts_with("id "), "{header}");
    assert!(header.contains("extensions"), "{header}");
    assert!(
        !header.contains("slug"),
        "the middle scrolled away: {header}"
    );
    assert!(end.lines().nth(3).unwrap().starts_with(&id), "{end}");

    let mut h = docs();
    let w = h.widths()[0];
    assert_eq!(w, 36, "a UUID's width");
    h.act(Action::Narrow);
    assert_eq!(h.widths()[0], 32);
    // A value cut for its column ends in "…".
    let id = scalar::<String>(&h.path, "SELECT id FROM documents WHERE rowid = 1");
    let screen = h.text();
    let row = screen.lines().find(|l| l.starts_with(&id[..8])).unwrap();
    let cut: String = row.chars().take(32).collect();
    assert_eq!(cut, format!("{}…", &id[..31]), "{row}");
    h.act(Action::Widen).act(Action::Widen);
    assert_eq!(h.widths()[0], 40);
    h.act(Action::PageDown);
    assert_eq!(h.widths()[0], 40, "a set width stays");
}

#[test]
fn the_chooser_picks_the_columns_and_esc_changes_nothing() {
    // The last row's status is the widest: seen once, it sets the width.
    let mut h = Harness::demo_with(
        "wide.sqlite",
        300,
        "INSERT INTO documents (id, status, doc_type) VALUES ('last', 'a-status-wider-than-any-other', 'note')",
    );
    h.act(Action::GoTab(Tab::Documents));
    h.act(Action::Bottom).act(Action::Top);
    let widths = h.widths();
    h.act(Action::Columns);
    assert!(h.text().contains("[x] id"));
    // Down to the first unticked column (after the five shown), tick it.
    for _ in 0..5 {
        h.act(Action::Down);
    }
    let picked = h.popup_selected().expect("the chooser is open");
    let name = picked.strip_prefix("[ ] ").expect("not ticked").to_string();
    h.act(Action::Toggle)
        .act(Action::Up)
        .act(Action::Toggle)
        .act(Action::Submit);
    assert_eq!(h.overlay(), None);
    let names = |h: &mut Harness| -> Vec<String> { h.header().into_iter().map(|c| c.0).collect() };
    assert_eq!(
        names(&mut h),
        ["id", "doc_type", "status", "created_at", name.as_str()]
    );
    assert_eq!(
        h.widths()[..4],
        widths[..4],
        "the columns kept keep their widths"
    );
    h.act(Action::Columns)
        .act(Action::Toggle)
        .act(Action::Cancel);
    assert_eq!(names(&mut h).len(), 5, "Esc kept them");
    // Nothing ticked is refused.
    h.act(Action::Columns);
    for _ in 0..5 {
        h.act(Action::Toggle).act(Action::Down);
    }
    h.act(Action::Submit);
    let status = h.status();
    assert!(status.contains("at least one"), "{status}");
}

#[test]
fn newest_first_lists_created_at_descending_and_shows_it() {
    let mut h = docs();
    for _ in 0..3 {
        h.act(Action::ColumnRight);
    }
    h.act(Action::Sort).act(Action::SortReverse);
    let newest: String = scalar(
        &h.path,
        "SELECT created_at FROM documents ORDER BY created_at DESC, rowid DESC LIMIT 1",
    );
    let screen = h.text();
    assert!(screen.contains("sort created_at ↓"), "{screen}");
    assert_eq!(h.cells("created_at")[0], newest);
    h.act(Action::Bottom);
    let oldest: String = scalar(&h.path, "SELECT min(created_at) FROM documents");
    let last = h.cells("created_at").pop().unwrap();
    assert_eq!(last, oldest);
    // A slug sort shows the slug column, even when it was not chosen (the
    // store's query says which columns the grid reads).
    use egregora_inspect::store::read::documents::{Query, Sort};
    let by_slug = Query {
        sort: Sort::Slug,
        ..Query::default()
    };
    assert!(by_slug.grid_columns().contains(&"slug".to_string()));
}

#[test]
fn copy_reads_whole_values_and_rows() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "UPDATE documents SET content = (SELECT group_concat(content, ' ') FROM documents) WHERE rowid = 1",
    );
    h.act(Action::GoTab(Tab::Documents));
    let (id, content): (String, String) = {
        let c = open(&h.path);
        c.query_row(
            "SELECT id, content FROM documents WHERE rowid = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    h.act(Action::Copy);
    assert_eq!(clip(&mut h), id, "the id by default");
    // Only id and content shown, through the chooser.
    h.act(Action::Columns).act(Action::Down);
    for _ in 0..4 {
        h.act(Action::Toggle).act(Action::Down);
    }
    for _ in 0..30 {
        if h.popup_selected().as_deref() == Some("[ ] content") {
            break;
        }
        h.act(Action::Down);
    }
    h.act(Action::Toggle).act(Action::Submit);
    let names: Vec<String> = h.header().into_iter().map(|c| c.0).collect();
    assert_eq!(names, ["id", "content"]);
    h.act(Action::SortReverse).act(Action::SortReverse);
    h.act(Action::ColumnRight).act(Action::Copy);
    let copied = clip(&mut h);
    assert!(content.chars().count() > 200, "longer than a grid cell");
    assert_eq!(copied, content, "whole, not the grid's cut");
    h.act(Action::CopyRow);
    let row: serde_json::Value = serde_json::from_str(&clip(&mut h)).unwrap();
    assert_eq!(row.as_object().unwrap().len(), 23);
    assert_eq!(row["id"], id.as_str());
    // A NULL copies nothing and says so.
    exec(
        &h.path,
        "UPDATE documents SET content = NULL WHERE rowid = 1",
    );
    h.act(Action::Copy);
    assert!(h.clip().is_none());
    let status = h.status();
    assert!(status.contains("NULL"), "{status}");
    // In a document, y copies its id.
    h.act(Action::Open).act(Action::Copy);
    assert_eq!(clip(&mut h), id);
}

#[test]
fn export_writes_the_listed_documents_and_esc_or_a_clash_writes_nothing() {
    let mut h = docs();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("posts.ndjson");
    let t = "post";
    h.pick('t', &[t]);
    h.act(Action::Export);
    assert!(h.text().contains("documents.csv"));
    // Clear the name and type a new one.
    h.act(Action::Edit(
        egregora_inspect::tui::keys::Edit::DeleteToStart,
    ));
    for c in file.to_string_lossy().chars() {
        h.act(Action::Type(c));
    }
    h.act(Action::Submit);
    assert_eq!(h.overlay(), None, "the export ended");
    let status = h.status();
    assert!(status.contains(" exported "), "{status}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let n: i64 = scalar(
        &h.path,
        &format!("SELECT count(*) FROM documents WHERE doc_type = '{t}'"),
    );
    assert_eq!(lines.len() as i64, n);
    assert_eq!(lines[0].as_object().unwrap().len(), 5, "the columns shown");
    // Again to the same name: refused, the file kept.
    let before = std::fs::read(&file).unwrap();
    h.act(Action::Export);
    h.act(Action::Edit(
        egregora_inspect::tui::keys::Edit::DeleteToStart,
    ));
    for c in file.to_string_lossy().chars() {
        h.act(Action::Type(c));
    }
    h.act(Action::Submit);
    let status = h.status();
    assert!(status.contains("exists"), "{status}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // The dialog stays open with the name typed, to be mended.
    let screen = h.text();
    assert!(
        screen.contains(&*file.file_name().unwrap().to_string_lossy()),
        "{screen}"
    );
    assert!(screen.contains("Enter export"), "{screen}");
    // Esc while naming exports nothing.
    h.act(Action::Export);
    assert!(h.overlay().is_some_and(|t| t.starts_with("export")));
    h.act(Action::Cancel);
    assert_eq!(h.overlay(), None);
    assert!(!std::path::Path::new("documents.csv").exists());
}

#[test]
fn half_pages_and_the_next_document() {
    let mut h = docs();
    let page = h.page();
    let half = page / 2;
    h.act(Action::HalfPageDown);
    assert_eq!(h.selected_row(), Some(half));
    h.act(Action::HalfPageDown).act(Action::HalfPageDown);
    assert!(h.rowids()[0] > 1, "the window moved on");
    h.act(Action::HalfPageUp)
        .act(Action::HalfPageUp)
        .act(Action::HalfPageUp)
        .act(Action::HalfPageUp);
    assert_eq!(h.rowids()[0], 1);
    assert_eq!(h.selected_row(), Some(0));

    // ] past the window's last row reads the next window and opens it.
    h.act(Action::Bottom).act(Action::Top);
    for _ in 0..page - 1 {
        h.act(Action::Down);
    }
    h.act(Action::Open);
    let at = h.detail_rowid().expect("a document open");
    h.act(Action::NextDocument);
    assert_eq!(h.detail_rowid(), Some(at + 1));
    h.act(Action::PrevDocument).act(Action::PrevDocument);
    assert_eq!(h.detail_rowid(), Some(at - 1));
    assert!(h.text().contains(&format!("rowid {}", at - 1)));
    h.act(Action::Back)
        .act(Action::Top)
        .act(Action::Open)
        .act(Action::PrevDocument);
    assert_eq!(h.detail_rowid(), Some(1));
    let status = h.status();
    assert!(status.contains("no more documents"), "{status}");
}

fn click(h: &mut Harness, x: u16, y: u16) {
    h.mouse(MouseEventKind::Down(MouseButton::Left), x, y);
}

#[test]
fn a_click_selects_a_tab_or_a_row() {
    let mut h = Harness::demo();
    let screen = h.text();
    let line0 = screen.lines().next().unwrap();
    let x = line0.find("4 Tables").unwrap() as u16;
    click(&mut h, x, 0);
    assert_eq!(h.tab(), Tab::Tables);
    let x = line0.chars().take_while(|c| *c != '2').count() as u16;
    click(&mut h, x + 3, 0);
    assert_eq!(h.tab(), Tab::Documents);
    // Tab bar, header line, border, column titles: the 5th row is on line 8.
    click(&mut h, 10, 8);
    assert_eq!(h.selected_row(), Some(4));
    click(&mut h, 10, 2);
    assert_eq!(
        h.selected_row(),
        Some(4),
        "a click off the rows picks nothing"
    );
}

#[test]
fn a_finding_opens_the_rows_it_names() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "UPDATE documents SET tags = '[oops' WHERE rowid IN (7, 70, 170);
         UPDATE documents SET doc_type = 'recipe' WHERE rowid = 9;",
    );
    h.act(Action::DataChecks);
    let screen = h.text();
    assert!(screen.contains("lists its rows"), "{screen}");
    h.pick_finding("have tags that is not valid JSON");
    h.act(Action::Open);
    assert_eq!(h.tab(), Tab::Documents);
    assert_eq!(h.rowids(), [7, 70, 170]);
    let screen = h.text();
    assert!(screen.contains("the 3 rows named"), "{screen}");
    assert!(screen.contains("3 of 300 documents"), "{screen}");
    h.act(Action::Back);
    let page = h.page();
    assert_eq!(h.rows().len(), page);
}

#[test]
fn a_copy_under_a_lock_says_to_try_again() {
    let mut h = docs();
    let holder = open(&h.path);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    h.act(Action::Copy);
    assert!(h.clip().is_none());
    let said = h.said();
    assert!(said.contains("try again"), "{said}");
    assert!(!said.contains("retrying"), "{said}");
    holder.execute_batch("COMMIT").unwrap();
    h.act(Action::Copy);
    assert!(h.clip().is_some());
}

/// The title line of the document open: "document <type> (rowid N)".
fn open_title(h: &mut Harness) -> String {
    h.key(KeyCode::Enter);
    let title = h
        .text()
        .lines()
        .nth(1)
        .unwrap_or_default()
        .trim_end_matches(['─', ' '])
        .to_string();
    h.key(KeyCode::Esc);
    title
}

#[test]
fn a_resize_never_moves_the_selection_to_another_row() {
    for (query, moves, at_end) in [(false, 25, false), (true, 25, false), (false, 3, true)] {
        let mut h = Harness::demo();
        if at_end {
            // Near the end of the list: the window there is the last rows.
            h.key(KeyCode::Char('2')).key(KeyCode::Char('G'));
            for _ in 0..moves {
                h.key(KeyCode::Char('k'));
            }
        } else if query {
            // The Query tab's grid: its cursor as well.
            h.key(KeyCode::Char(':'));
            for c in "select id from documents".chars() {
                h.key(KeyCode::Char(c));
            }
            h.key(KeyCode::Enter);
        } else {
            h.key(KeyCode::Char('2'));
        }
        for _ in 0..if at_end { 0 } else { moves } {
            h.key(KeyCode::Char('j'));
        }
        let before = if query {
            selected_line(&mut h)
        } else {
            open_title(&mut h)
        };
        h.resize(70, 14);
        let small = if query {
            selected_line(&mut h)
        } else {
            open_title(&mut h)
        };
        h.resize(120, 36);
        let after = if query {
            selected_line(&mut h)
        } else {
            open_title(&mut h)
        };
        assert_eq!(small, before, "shrunk (query grid: {query})");
        assert_eq!(after, before, "and back (query grid: {query})");
    }
}

/// The selected row of the grid on screen: the line drawn reversed.
fn selected_line(h: &mut Harness) -> String {
    let b = h.render();
    (2..b.area.height)
        .find(|y| {
            (0..b.area.width).any(|x| {
                b[(x, *y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
        })
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

#[test]
fn a_browsed_table_ends_on_its_last_row_and_steps_one_row_back() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('4'));
    // The tables list starts on documents.
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('G'));
    let last: String = scalar(
        &h.path,
        "SELECT id FROM documents ORDER BY rowid DESC LIMIT 1",
    );
    let before_last: String = scalar(
        &h.path,
        "SELECT id FROM documents ORDER BY rowid DESC LIMIT 1 OFFSET 1",
    );
    assert!(selected_line(&mut h).starts_with(&last), "{}", h.text());
    h.key(KeyCode::Char('k'));
    assert!(
        selected_line(&mut h).starts_with(&before_last),
        "{}",
        h.text()
    );
    h.key(KeyCode::Char('g'));
    let first: String = scalar(&h.path, "SELECT id FROM documents ORDER BY rowid LIMIT 1");
    assert!(selected_line(&mut h).starts_with(&first), "{}", h.text());
}

#[test]
fn moving_past_either_end_of_a_browsed_table_keeps_its_rows() {
    let mut h = Harness::demo();
    h.key(KeyCode::Char('4')).key(KeyCode::Enter);
    let first: String = scalar(&h.path, "SELECT id FROM documents ORDER BY rowid LIMIT 1");
    let last: String = scalar(
        &h.path,
        "SELECT id FROM documents ORDER BY rowid DESC LIMIT 1",
    );
    for key in [KeyCode::Char('k'), KeyCode::PageUp] {
        h.key(key);
        assert!(
            selected_line(&mut h).starts_with(&first),
            "{key:?}: {}",
            h.text()
        );
    }
    h.key(KeyCode::Char('G'));
    for key in [KeyCode::Char('j'), KeyCode::PageDown, KeyCode::Char(' ')] {
        h.key(key);
        assert!(
            selected_line(&mut h).starts_with(&last),
            "{key:?}: {}",
            h.text()
        );
    }
    // The row view steps no further either.
    h.key(KeyCode::Enter).key(KeyCode::Char(']'));
    assert!(h.text().contains(&last), "{}", h.text());
}

#[test]
fn a_browsed_table_pins_its_primary_key_wherever_it_stands() {
    let mut h = Harness::demo_with(
        "pk.sqlite",
        5,
        "CREATE TABLE kv_notes(note TEXT, wide_a TEXT, wide_b TEXT, wide_c TEXT, \
         name TEXT PRIMARY KEY) WITHOUT ROWID; \
         INSERT INTO kv_notes VALUES \
         ('n1', printf('%.30c', 'a'), printf('%.30c', 'b'), printf('%.30c', 'c'), 'key-one');",
    );
    h.resize(80, 24);
    h.key(KeyCode::Char('4'));
    for _ in 0..30 {
        if h.marked().is_some_and(|m| m.starts_with("kv_notes")) {
            break;
        }
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::Enter);
    for _ in 0..4 {
        h.act(Action::ColumnRight);
    }
    let screen = h.text();
    let header = screen.lines().nth(2).unwrap();
    assert!(
        header.starts_with("name "),
        "the key stays on the left: {header}"
    );
    assert!(screen.contains("key-one"), "{screen}");
    assert!(!header.contains("wide_a"), "the others scrolled: {header}");
}
