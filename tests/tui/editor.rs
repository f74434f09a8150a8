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

#[test]
fn a_statement_longer_than_the_editor_says_how_many_lines_are_off_screen() {
    let mut h = Harness::demo_with("l.sqlite", 10, "");
    h.resize(100, 24);
    h.key(KeyCode::Char(':'));
    let lines: Vec<String> = (1..=12).map(|i| format!("-- line {i}")).collect();
    h.paste(&format!("SELECT 1\n{}", lines.join("\n")));
    // The cursor at the end: the first lines are scrolled off the top.
    let drawn = editor_lines(&mut h);
    let shown = drawn.len();
    assert!(shown < 13, "the editor is shorter than the statement");
    let above = 13 - shown;
    assert!(
        drawn[0].ends_with(&format!("↑ {above} more lines")),
        "{drawn:?}"
    );
    assert!(drawn.iter().all(|l| !l.contains('↓')), "{drawn:?}");
    // At the top, the rest is off the bottom, and said there.
    for _ in 0..12 {
        h.key(KeyCode::Up);
    }
    let drawn = editor_lines(&mut h);
    assert!(drawn[0].starts_with("SELECT 1"), "{drawn:?}");
    assert!(!drawn[0].contains('↑'), "{drawn:?}");
    assert!(
        drawn[shown - 1].ends_with(&format!("↓ {above} more lines")),
        "{drawn:?}"
    );
}

#[test]
fn tabs_choices_sit_under_the_word_and_scroll_with_a_mark_of_the_rest() {
    let columns: Vec<String> = (1..=20).map(|i| format!("kol{i:02} INTEGER")).collect();
    let mut h = Harness::demo_with(
        "w.sqlite",
        10,
        &format!("CREATE TABLE wide({});", columns.join(", ")),
    );
    h.resize(100, 30);
    h.key(KeyCode::Char(':'));
    typed(&mut h, "SELECT kol");
    h.key(KeyCode::Tab);
    // Under the word: its first letter at the list's first letter.
    let b = h.render();
    let (x, y) = find(&b, "kol01");
    assert_eq!((x, y), (5 + "SELECT ".len() as u16, 3), "{}", h.text());
    let popup = h.text();
    assert!(popup.contains("↓ 12 more"), "{popup}");
    assert!(!popup.contains("kol09"), "eight at a time: {popup}");
    // Tab past the eighth scrolls the list; what is above is said.
    for _ in 0..9 {
        h.key(KeyCode::Tab);
    }
    let popup = h.text();
    assert_eq!(editor_lines(&mut h)[0], "SELECT kol09");
    assert!(popup.contains("kol09"), "{popup}");
    assert!(popup.contains("↑ 1"), "{popup}");
    assert!(popup.contains("↓ 11 more"), "{popup}");
    // Near the right edge, the list stays on the screen.
    h.key(KeyCode::Esc);
    typed(&mut h, &format!(", {}kol", " ".repeat(78)));
    h.key(KeyCode::Tab);
    let b = h.render();
    let (x, _) = find(&b, "kol01");
    assert!(x + 5 < 100, "on screen: {}", h.text());
    assert!(x > 50, "as far right as it fits: {}", h.text());
}
