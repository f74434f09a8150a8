//! The Query tab's SQL editor through the real key routing and workers:
//! several lines, pastes that keep their lines, completion from the
//! store's catalog, the run's count and time, and the statement's plan.
use crate::harness::*;
use crossterm::event::{KeyCode, KeyModifiers};
use egregora_inspect::tui::tab::Tab;

fn typed(h: &mut Harness, text: &str) {
    for c in text.chars() {
        h.key(KeyCode::Char(c));
    }
}

/// The editor's lines as drawn: the rows above the result's rule.
fn editor_lines(h: &mut Harness) -> Vec<String> {
    h.lines()
        .into_iter()
        .skip(1)
        .take_while(|l| l.starts_with("SQL›") || l.starts_with("   ┆"))
        .map(|l| l.chars().skip(5).collect::<String>().trim_end().to_string())
        .collect()
}

#[test]
fn a_paste_keeps_its_lines_so_a_comment_ends_where_it_ended() {
    let mut h = Harness::demo_with("e.sqlite", 50, "");
    h.resize(100, 24);
    h.key(KeyCode::Char(':'));
    assert_eq!(h.tab(), Tab::Query);
    h.paste("SELECT count(*) AS n -- how many\r\nFROM documents");
    assert_eq!(
        editor_lines(&mut h),
        ["SELECT count(*) AS n -- how many", "FROM documents"]
    );
    // Alt-Enter adds a line; Enter runs the whole statement.
    h.chord(KeyCode::Enter, KeyModifiers::ALT);
    typed(&mut h, "WHERE rowid <= 20");
    assert_eq!(editor_lines(&mut h).len(), 3);
    h.key(KeyCode::Enter);
    h.wait_counts();
    assert_eq!(h.cells("n"), ["20"], "{}", h.text());
    // ↑ moves up a line before it recalls the history.
    h.key(KeyCode::Char(':'));
    h.key(KeyCode::Up);
    let (_, row) = h.cursor().expect("the editor has the keys");
    assert_eq!(row, 2, "the cursor is on the second line");
}

#[test]
fn each_run_says_its_rows_and_how_long_it_took() {
    let mut h = Harness::demo_with("t.sqlite", 1500, "");
    h.resize(100, 24);
    h.key(KeyCode::Char(':'));
    h.paste("SELECT id FROM documents");
    h.key(KeyCode::Enter);
    h.wait_counts();
    let head = h.lines()[2].clone();
    let took = head
        .split("1,500 rows · ")
        .nth(1)
        .unwrap_or_else(|| panic!("no count and time: {head}"));
    let took = took.strip_prefix("< ").unwrap_or(took);
    let number: String = took
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    assert!(!number.is_empty(), "{head}");
    let unit = &took[number.len()..];
    assert!(unit.starts_with(" ms") || unit.starts_with(" s"), "{head}");
}

#[test]
fn tab_completes_from_the_stores_own_catalog() {
    let mut h = Harness::demo_with(
        "c.sqlite",
        20,
        "CREATE TABLE zebra_notes(stripe_count INTEGER);",
    );
    h.resize(100, 24);
    h.key(KeyCode::Char(':'));
    typed(&mut h, "SELECT * FROM zeb");
    h.key(KeyCode::Tab);
    assert_eq!(editor_lines(&mut h), ["SELECT * FROM zebra_notes"]);
    // A column of the table named comes first, before the keywords.
    h.key(KeyCode::Home);
    typed(&mut h, "SELECT stri");
    h.key(KeyCode::Tab);
    assert_eq!(
        editor_lines(&mut h),
        ["SELECT stripe_countSELECT * FROM zebra_notes"],
        "one choice is taken at once"
    );
    // Several choices: the list shows, and Tab again takes each in turn.
    h.key(KeyCode::Home);
    h.act(egregora_inspect::tui::keys::Action::Edit(
        egregora_inspect::tui::keys::Edit::DeleteToEnd,
    ));
    typed(&mut h, "SELECT s");
    h.key(KeyCode::Tab);
    let first = editor_lines(&mut h)[0].clone();
    let popup = h.text();
    assert!(popup.contains(" · Tab "), "the choices are listed: {popup}");
    h.key(KeyCode::Tab);
    let second = editor_lines(&mut h)[0].clone();
    assert_ne!(first, second, "Tab again takes the next choice");
    assert!(second.starts_with("SELECT s"), "{second}");
    // Esc closes the choices and leaves the editor open; any other key
    // ends the choosing too.
    h.key(KeyCode::Esc);
    assert!(!h.text().contains(" · Tab "));
    assert!(h.cursor().is_some(), "still editing");
    typed(&mut h, ", s");
    h.key(KeyCode::Tab);
    assert!(h.text().contains(" · Tab "));
    h.key(KeyCode::Char(' '));
    assert!(!h.text().contains(" · Tab "));
}

#[test]
fn ctrl_x_shows_the_plan_as_sqlites_tree_and_esc_closes_it() {
    let mut h = Harness::demo_with("p.sqlite", 20, "");
    h.resize(100, 24);
    h.key(KeyCode::Char(':'));
    h.paste("SELECT * FROM documents\nORDER BY title");
    h.chord(KeyCode::Char('x'), KeyModifiers::CONTROL);
    let screen = h.text();
    assert!(screen.contains("QUERY PLAN"), "{screen}");
    assert!(screen.contains("|--SCAN documents"), "{screen}");
    assert!(
        screen.contains("`--USE TEMP B-TREE FOR ORDER BY"),
        "{screen}"
    );
    // Esc closes the plan; the editor keeps the keys.
    h.key(KeyCode::Esc);
    assert!(!h.text().contains("QUERY PLAN"));
    assert!(h.cursor().is_some(), "still editing");
    // A write's plan is refused as running it would be.
    for _ in 0.."SELECT * FROM documents\nORDER BY title".len() {
        h.key(KeyCode::Backspace);
    }
    assert_eq!(editor_lines(&mut h), [""]);
    h.paste("DELETE FROM documents");
    h.chord(KeyCode::Char('x'), KeyModifiers::CONTROL);
    let screen = h.text();
    assert!(screen.contains("refused"), "{screen}");
}
