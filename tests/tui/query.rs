//! The Query tab through the real app and its real threads: the SQL line,
//! a result read a window at a time, its count, Esc, errors, refusals,
//! copy and export of a result, hostile text.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::KeyCode;
use egregora_inspect::store::cell::Cell;
use egregora_inspect::tui::app::Load;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;

/// `:`, the statement typed key by key, Enter.
fn run(h: &mut Harness, sql: &str) {
    h.key(KeyCode::Char(':'));
    assert_eq!(h.tab(), Tab::Query);
    // Whatever was on the line goes (Ctrl-u), then the statement.
    h.act(Action::Edit(egregora_inspect::tui::keys::Edit::End));
    h.act(Action::Edit(
        egregora_inspect::tui::keys::Edit::DeleteToStart,
    ));
    h.paste(sql);
    h.key(KeyCode::Enter);
}

/// The first column of the result's rows, as drawn.
fn first_ints(h: &mut Harness) -> Vec<i64> {
    let first = h.header().first().expect("a result drawn").0.clone();
    h.cells(&first)
        .iter()
        .map(|c| c.parse().unwrap_or_else(|_| panic!("{c:?}")))
        .collect()
}

#[test]
fn a_result_is_read_a_window_at_a_time_and_counted() {
    let mut h = Harness::demo_with("q.sqlite", 3000, "");
    h.resize(100, 20);
    run(
        &mut h,
        "SELECT rowid, id FROM documents ORDER BY rowid DESC",
    );
    let page = h.page();
    assert_eq!(first_ints(&mut h)[..2], [3000, 2999]);
    assert_eq!(h.cursor(), None, "the result has the keys");
    h.wait_counts();
    let screen = h.text();
    assert!(
        screen.contains(&format!("rows 1–{page} · 3,000 rows")),
        "{screen}"
    );
    // Down past the page steps the statement on; the page never grows.
    for _ in 0..page + 2 {
        h.act(Action::Down);
    }
    let screen = h.text();
    assert!(
        screen.contains(&format!("rows 4–{} · 3,000 rows", page + 3)),
        "{screen}"
    );
    assert_eq!(first_ints(&mut h).len(), page, "only a window is held");
    // The end, then back to the start (run again).
    h.act(Action::Bottom);
    assert_eq!(*first_ints(&mut h).last().unwrap(), 1);
    assert!(
        h.text()
            .contains(&format!("rows 2,{:03}–3,000 · 3,000 rows", 1001 - page))
    );
    h.act(Action::PageUp);
    assert_eq!(first_ints(&mut h)[0], 2 * page as i64);
    h.act(Action::Top);
    assert_eq!(first_ints(&mut h)[0], 3000);
    // The grid's own moves work on it.
    h.act(Action::ColumnRight);
    assert!(h.text().contains("col 2/2 id"));
}

#[test]
fn writes_are_refused_and_the_store_is_unchanged() {
    let mut h = Harness::demo_with("w.sqlite", 50, "");
    let before = snapshot(&h.path);
    for (sql, why) in [
        (
            "DELETE FROM documents",
            "refused: DELETE from documents writes",
        ),
        ("ATTACH '/tmp/x.sqlite' AS x", "refused: ATTACH and DETACH"),
        (
            "PRAGMA user_version = 4",
            "refused: PRAGMA user_version may change",
        ),
    ] {
        run(&mut h, sql);
        let screen = h.text();
        assert!(screen.contains(why), "{sql}:\n{screen}");
        assert!(h.cursor().is_some(), "back on the SQL line to mend it");
    }
    assert!(snapshot(&h.path) == before, "not a byte changed");
}

#[test]
fn an_error_is_one_escaped_line_and_the_cursor_goes_where_it_stopped() {
    let mut h = Harness::demo_with("e.sqlite", 10, "");
    h.key(KeyCode::Char(':'));
    for c in "SELECT id FORM documents".chars() {
        h.key(KeyCode::Char(c));
    }
    h.key(KeyCode::Enter);
    let screen = h.text();
    assert!(
        screen.contains("near \"documents\": syntax error (at character 16)"),
        "{screen}"
    );
    // The cursor on the SQL line (after its 5-cell prompt).
    assert_eq!(h.cursor(), Some((5 + 15, 1)), "before the 16th character");
    // A control character typed or pasted never reaches the editor; a
    // pasted newline is a new line.
    h.act(Action::Type('\u{1b}'));
    h.paste("\u{202e}x\ny");
    assert_eq!(h.head(), "SQL› SELECT id FORM  x");
    assert_eq!(h.lines()[2].trim_end(), "   ┆ ydocuments");
}

#[test]
fn esc_stops_a_count_that_never_ends() {
    let mut h = Harness::demo_with("r.sqlite", 10, "");
    run(
        &mut h,
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n",
    );
    // The first rows come; the count runs on.
    assert_eq!(first_ints(&mut h)[..3], [1, 2, 3]);
    let screen = h.text();
    assert!(screen.contains("counting…"), "{screen}");
    assert!(screen.contains("Esc  stop"), "the hint says how: {screen}");
    h.key(KeyCode::Esc);
    h.wait_counts();
    let screen = h.text();
    assert!(screen.contains("count stopped"), "{screen}");
    assert!(!screen.contains("Esc  stop"), "{screen}");
    // A second Esc, as people press it, stays on the result.
    h.key(KeyCode::Esc);
    assert_eq!(h.cursor(), None, "still on the result");
    // The rows stay and can still be browsed.
    h.act(Action::PageDown);
    assert_eq!(first_ints(&mut h)[0], 1 + h.page() as i64);
}

/// The figure of "≥ N rows so far" in the result's header.
fn so_far(h: &mut Harness) -> Option<u64> {
    let screen = h.text();
    let at = screen.find("≥ ")? + "≥ ".len();
    let digits: String = screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[test]
fn the_figure_so_far_grows_as_a_long_count_steps() {
    let mut h = Harness::demo_with("g.sqlite", 10, "");
    run(
        &mut h,
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n",
    );
    let page = h.page() as u64;
    assert_eq!(so_far(&mut h), Some(page), "the rows read, at first");
    // The statement never ends: the count's own progress moves the figure.
    let mut figures = vec![page];
    let began = std::time::Instant::now();
    let until = began + std::time::Duration::from_secs(20);
    while figures.len() < 4 && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let now = so_far(h.take_replies()).expect("still counting");
        if Some(&now) != figures.last() {
            figures.push(now);
        }
    }
    // A few times a second, not at every step: three moves take most of a
    // second though the figure is looked at every 50 ms.
    let took = began.elapsed();
    assert!(
        took >= std::time::Duration::from_millis(500),
        "{figures:?} in {took:?}"
    );
    assert!(h.counting(), "it grew before the count ended");
    assert!(figures.len() >= 4, "it grew: {figures:?}");
    assert!(figures.windows(2).all(|w| w[0] < w[1]), "{figures:?}");
    assert!(h.text().contains("rows so far · counting…"));
    // Stopped, it says how far it got.
    h.key(KeyCode::Esc);
    h.wait_counts();
    let screen = h.text();
    assert!(screen.contains("count stopped"), "{screen}");
    assert!(so_far(&mut h) >= figures.last().copied(), "{screen}");
}

#[test]
fn history_recalls_statements_and_values_copy_and_export() {
    let mut h = Harness::demo_with("c.sqlite", 10, "");
    run(&mut h, "SELECT 1 AS a");
    run(
        &mut h,
        "SELECT 'x' || char(27) || '[2J' AS t, printf('%.*c', 500, 'y') AS big, 7 AS n",
    );
    // The value escaped on screen, whole in the copy.
    let screen = h.text();
    assert!(screen.contains("x\\x1b[2J"), "{screen}");
    h.act(Action::Copy);
    let clip = h.clip().expect("copied");
    assert_eq!(clip.bytes, b"x\x1b[2J");
    h.act(Action::ColumnRight).act(Action::Copy);
    assert!(h.clip().is_none(), "a cut value is not copied");
    assert!(h.text().contains("cut here"));
    h.act(Action::ColumnRight).act(Action::CopyRow);
    assert!(h.clip().is_none(), "nor a row holding one");
    // Export: the whole values, from the statement.
    let out = h.path.parent().unwrap().join("result.ndjson");
    h.act(Action::Export);
    for _ in 0..40 {
        h.act(Action::Edit(egregora_inspect::tui::keys::Edit::Backspace));
    }
    for c in out.to_string_lossy().chars() {
        h.act(Action::Type(c));
    }
    h.key(KeyCode::Enter);
    let text = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(v["big"].as_str().unwrap().len(), 500);
    assert_eq!(v["n"], 7);
    // ↑ recalls the statements run, newest first; ↓ comes back to what
    // was on the line.
    h.key(KeyCode::Char(':'));
    h.act(Action::Edit(egregora_inspect::tui::keys::Edit::End));
    h.act(Action::Edit(
        egregora_inspect::tui::keys::Edit::DeleteToStart,
    ));
    h.act(Action::Type('z'));
    h.act(Action::HistoryPrev);
    assert!(h.head().starts_with("SQL› SELECT 'x'"));
    h.act(Action::HistoryPrev);
    assert_eq!(h.head(), "SQL› SELECT 1 AS a");
    h.act(Action::HistoryNext).act(Action::HistoryNext);
    assert_eq!(h.head(), "SQL› z", "back to what was typed");
    assert_eq!(h.app.requests.history.len(), 2, "both for the file");
}

#[test]
fn a_wide_result_and_a_huge_value_are_read_cut() {
    let mut h = Harness::demo_with("x.sqlite", 10, "");
    let cols: Vec<String> = (0..1500).map(|i| format!("{i} AS c{i}")).collect();
    run(&mut h, &format!("SELECT {}", cols.join(", ")));
    assert!(h.text().contains("col 1/1500 c0"));
    run(
        &mut h,
        "SELECT zeroblob(100000000) AS b, printf('%.*c', 5000000, 'z') AS t",
    );
    let r = h.app.query.result.as_ref().unwrap();
    let row = &r.page.loaded().unwrap().rows[0];
    assert!(matches!(&row[0], Cell::Blob { len: 100_000_000, head } if head.len() <= 200));
    assert!(
        matches!(&row[1], Cell::Text { text, cut_from: Some(5_000_000), .. } if text.len() == 200)
    );
    assert!(matches!(r.page, Load::Loaded(_)));
}

/// The frequencies popup's values and counts, most frequent first, as drawn.
fn freq(h: &mut Harness) -> Vec<(String, u64)> {
    let title = h.overlay().expect("the frequencies are open");
    assert!(title.contains("by frequency"), "{title}");
    h.popup_lines()
        .iter()
        // A value's line ends with its bar.
        .filter_map(|l| {
            let (rest, bar) = l.rsplit_once(' ')?;
            if !bar.chars().all(|c| c == '█') {
                return None;
            }
            let mut words: Vec<&str> = rest.split_whitespace().collect();
            words.pop(); // the share
            let count = words.pop()?.parse().ok()?;
            Some((words.join(" "), count))
        })
        .collect()
}

#[test]
fn frequencies_count_a_column_and_enter_filters_the_grid() {
    let mut h = Harness::demo_with("f.sqlite", 400, "");
    h.act(Action::GoTab(Tab::Documents));
    // The cursor on doc_type (the grid's second column).
    for _ in 0..5 {
        if h.column().as_deref() == Some("doc_type") {
            break;
        }
        h.act(Action::ColumnRight);
    }
    assert_eq!(h.column().as_deref(), Some("doc_type"), "{:?}", h.header());
    h.key(KeyCode::Char('f'));
    let f = freq(&mut h);
    let by_sql: i64 = scalar(
        &h.path,
        "SELECT count(*) FROM documents WHERE doc_type = \
         (SELECT doc_type FROM documents GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)",
    );
    assert_eq!(f[0].1 as i64, by_sql, "most frequent first");
    let screen = h.text();
    assert!(screen.contains("doc_type: values by frequency"), "{screen}");
    assert!(screen.contains("rows 400"), "{screen}");
    assert!(screen.contains('█'), "a bar: {screen}");
    // Enter filters the list as `t` does.
    h.act(Action::Down).key(KeyCode::Enter);
    assert_eq!(h.overlay(), None);
    let picked = f[1].0.clone();
    let head = h.head();
    assert!(head.contains(&format!("doc_type ∈ {picked} ·")), "{head}");
    let listed = format!("· {} of 400 documents", f[1].1);
    assert!(head.contains(&listed), "{head}");

    // tags counts, per element, the documents holding it; a pick lists them.
    run(&mut h, "SELECT id, tags FROM documents");
    h.act(Action::ColumnRight).key(KeyCode::Char('f'));
    let f = freq(&mut h);
    assert!(h.text().contains("with elements"));
    let holding: i64 = scalar(
        &h.path,
        &format!(
            "SELECT count(*) FROM documents WHERE EXISTS
               (SELECT 1 FROM json_each(documents.tags) j WHERE j.value = '{}')",
            f[0].0
        ),
    );
    assert_eq!(f[0].1 as i64, holding, "rows, a repeat counted once");
    assert!(h.text().contains("tags: elements by frequency"));
    // On a result, Enter writes the filter on the SQL line and runs it.
    h.key(KeyCode::Enter);
    let sql = h.head();
    assert!(
        sql.contains("WHERE EXISTS (SELECT 1 FROM json_each"),
        "{sql}"
    );
    h.wait_counts();
    let tag = f[0].0.clone();
    let docs: i64 = scalar(
        &h.path,
        &format!(
            "SELECT count(*) FROM documents WHERE EXISTS \
             (SELECT 1 FROM json_each(documents.tags) WHERE value = '{tag}')"
        ),
    );
    let screen = h.text();
    assert!(
        screen.contains(&format!("· {docs} row")),
        "the documents holding it: {screen}"
    );
    // Esc closes a count and stops it.
    h.key(KeyCode::Char('f'));
    assert!(h.overlay().is_some());
    h.key(KeyCode::Esc);
    assert_eq!(h.overlay(), None);
}

#[test]
fn esc_leaves_the_sql_line_and_the_tab_keys_then_work_on_the_result() {
    let mut h = Harness::demo_with("e.sqlite", 10, "");
    run(&mut h, "SELECT id FROM documents");
    // Back in the editor, then out of it: twice Esc, as people do.
    h.key(KeyCode::Char(':'));
    h.key(KeyCode::Esc).key(KeyCode::Esc);
    h.key(KeyCode::Char('2'));
    assert_eq!(h.tab(), Tab::Documents, "2 switched the tab");
    // From a result reached otherwise, Esc goes back to the editor.
    h.act(Action::GoTab(Tab::Query));
    h.key(KeyCode::Char('j'));
    assert_eq!(h.cursor(), None, "the result has the keys");
    assert!(h.status().contains("editor"), "{}", h.status());
    h.key(KeyCode::Esc);
    assert!(h.cursor().is_some(), "back in the editor");
    h.act(Action::GoTab(Tab::Query));
    assert_eq!(
        h.head(),
        "SQL› SELECT id FROM documents",
        "nothing was typed in the SQL line"
    );
}

#[test]
fn numbers_line_up_by_their_last_digit() {
    let mut h = Harness::demo_with("n.sqlite", 5, "");
    run(
        &mut h,
        "SELECT 'x' AS t, 5 AS num UNION ALL SELECT 'y', 12345",
    );
    let screen = h.text();
    let end = |first: &str| {
        let l = screen
            .lines()
            .find(|l| l.starts_with(first))
            .unwrap_or_else(|| panic!("{first} in\n{screen}"));
        l.trim_end().chars().count()
    };
    assert_eq!(end("x "), end("y "), "right-aligned:\n{screen}");
}

#[test]
fn a_result_at_its_end_fills_the_page_again_after_a_resize() {
    let mut h = Harness::demo();
    run(&mut h, "SELECT id FROM documents");
    h.wait_counts();
    h.key(KeyCode::Char('G'));
    h.resize(70, 14);
    h.resize(120, 36);
    let rows_shown = |h: &mut Harness| {
        let ids: Vec<String> = scalar_ids(&h.path);
        let screen = h.text();
        screen
            .lines()
            .filter(|l| ids.iter().any(|id| l.starts_with(id.as_str())))
            .count()
    };
    let page = h.page();
    assert_eq!(rows_shown(&mut h), page, "{}", h.text());
}

fn scalar_ids(p: &std::path::Path) -> Vec<String> {
    let c = open(p);
    let mut s = c.prepare("SELECT id FROM documents").unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn after_a_failed_statement_one_esc_leaves_the_sql_line() {
    for sql in [
        "SELECT id FORM documents",
        "SELECT * FROM nosuch",
        "SELECT json_extract(content, '$[') FROM documents",
    ] {
        let mut h = Harness::demo_with("f.sqlite", 10, "");
        run(&mut h, sql);
        h.wait_counts();
        assert!(h.status().contains("leave"), "{sql}: {}", h.status());
        h.key(KeyCode::Esc);
        h.wait_counts();
        assert!(
            !h.status().contains("leave"),
            "{sql}: one Esc left the line: {}",
            h.status()
        );
        h.key(KeyCode::Char('2'));
        assert_eq!(h.tab(), Tab::Documents, "{sql}");
    }
}

#[test]
fn a_result_under_another_statement_says_which_it_belongs_to() {
    let mut h = Harness::demo_with("s.sqlite", 10, "");
    run(&mut h, "SELECT 41 + 1 AS answer");
    h.wait_counts();
    assert_eq!(h.cells("answer"), ["42"]);
    assert!(!h.text().contains("earlier statement"));
    // Back in the editor, the statement changed: the rows stay, marked as
    // another statement's.
    h.key(KeyCode::Char(':'));
    assert!(!h.text().contains("earlier statement"), "not yet changed");
    h.key(KeyCode::Char('0'));
    let screen = h.text();
    assert!(
        screen.contains("result of an earlier statement: SELECT 41 + 1 AS answer ·"),
        "{screen}"
    );
    assert_eq!(h.cells("answer"), ["42"], "the rows stay");
    // Its plan, then Esc: the earlier result is back, still marked.
    h.chord(KeyCode::Char('x'), crossterm::event::KeyModifiers::CONTROL);
    assert!(h.text().contains("QUERY PLAN"));
    h.key(KeyCode::Esc);
    assert!(h.text().contains("result of an earlier statement"));
    // Esc leaves the editor for the result: still said while browsing it.
    h.key(KeyCode::Esc);
    assert_eq!(h.cursor(), None, "the result has the keys");
    assert!(h.text().contains("result of an earlier statement"));
    // The statement as it was: no mark. Run the new one: its own result.
    h.key(KeyCode::Char(':'));
    h.key(KeyCode::Backspace);
    assert!(!h.text().contains("earlier statement"));
    h.key(KeyCode::Char('0'));
    h.key(KeyCode::Enter);
    h.wait_counts();
    let screen = h.text();
    assert!(!screen.contains("earlier statement"), "{screen}");
    assert_eq!(h.cells("answer0"), ["42"], "a column named anew");
    // A long statement is cut, on one line, in the mark.
    run(&mut h, "SELECT 1 AS a,\n  2 AS b, 3 AS c, 4 AS d, 5 AS e");
    h.wait_counts();
    h.key(KeyCode::Char(':'));
    h.key(KeyCode::Char('x'));
    let screen = h.text();
    assert!(
        screen.contains("result of an earlier statement: SELECT 1 AS a, 2 AS b, 3 AS c, 4… ·"),
        "{screen}"
    );
}
