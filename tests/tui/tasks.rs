//! Tasks on the Overview: by status (failed in red) and by task_type;
//! Enter lists the failed ones newest first with their error and payload.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::exec;
use crate::harness::*;
use egregora_inspect::tui::keys::Action;
use ratatui::style::Color;

const TASKS: &str = "
    DELETE FROM tasks;
    INSERT INTO tasks VALUES
      ('f-old', 'enrich_url', 'failed', '{\"url\": \"https://old.example\"}', '2020-01-01T00:00:00Z', '2020-01-01T00:01:00Z', 'HTTP 404 old'),
      ('f-new', 'enrich_media', 'failed', '{\"media_id\": \"m-1\", \"sizes\": [1, 2]}', '2030-01-01T00:00:00Z', '2030-01-01T00:01:00Z', 'cannot decode m-1'),
      ('f-mid', 'generate_banner', 'failed', 'not json {', '2025-01-01T00:00:00Z', NULL, NULL),
      ('c-1', 'enrich_url', 'completed', '{}', '2029-01-01T00:00:00Z', '2029-01-01T00:00:01Z', NULL),
      ('p-1', 'update_profile', 'pending', '{}', '2029-02-01T00:00:00Z', NULL, NULL),
      ('p-2', 'update_profile', 'pending', '{}', '2029-03-01T00:00:00Z', NULL, NULL);";

#[test]
fn the_overview_counts_tasks_by_status_and_type_failed_in_red() {
    let mut h = Harness::demo_with("demo.sqlite", 300, TASKS);
    h.resize(120, 40);
    let text = h.text();
    assert!(
        text.contains("Tasks: 6 in all (Enter lists the 3 failed)"),
        "{text}"
    );
    assert!(
        text.contains("by status failed 3 · pending 2 · completed 1"),
        "{text}"
    );
    assert!(
        text.contains(
            "by type   enrich_url 2 · update_profile 2 · enrich_media 1 · generate_banner 1"
        ),
        "{text}"
    );
    let b = h.frame();
    let (x, y) = find(&b, "failed 3");
    assert_eq!(b[(x, y)].fg, Color::Red, "failed in red");
    let (x, y) = find(&b, "pending 2");
    assert_ne!(b[(x, y)].fg, Color::Red);
    assert!(h.text().contains("Enter  failed tasks"), "the hint");
}

#[test]
fn enter_lists_the_failed_tasks_newest_first_with_error_and_payload() {
    let mut h = Harness::demo_with("demo.sqlite", 300, TASKS);
    h.resize(120, 60);
    h.act(Action::Open);
    let title = h.overlay().expect("the tasks list");
    assert!(title.starts_with("Failed tasks"), "{title}");
    let text = h.text();
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in {text}"));
    assert!(at("task f-new") < at("task f-mid") && at("task f-mid") < at("task f-old"));
    assert!(!text.contains("task c-1") && !text.contains("task p-1"));
    assert!(
        text.contains("Failed tasks, newest first 1–3 of 3"),
        "{text}"
    );
    assert!(text.contains("cannot decode m-1"));
    // The payload as pretty JSON, one member a line; bad JSON as it is.
    assert!(text.contains("\"media_id\": \"m-1\","), "{text}");
    assert!(text.contains("not json {"));
    assert!(text.contains("∅ NULL"), "a NULL error is shown as NULL");
    h.act(Action::Cancel);
    assert_eq!(h.overlay(), None);
}

#[test]
fn the_list_pages_older_and_newer() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "DELETE FROM tasks;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
         INSERT INTO tasks SELECT printf('t-%03d', i), 'enrich_url', 'failed', '{}',
           printf('2024-01-01T00:%02d:%02dZ', i / 60, i % 60), NULL, 'e' || i FROM n;",
    );
    h.act(Action::Open);
    let title = |h: &mut Harness| {
        let t = h.text();
        t.lines()
            .find(|l| l.contains("Failed tasks"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(title(&mut h).contains("1–50 of 120"), "{}", title(&mut h));
    assert!(h.text().contains("task t-120"));
    h.act(Action::Older);
    assert!(title(&mut h).contains("51–100 of 120"));
    assert!(h.text().contains("task t-070"));
    h.act(Action::Older);
    assert!(title(&mut h).contains("101–120 of 120"));
    h.act(Action::Older);
    assert!(h.text().contains("no older tasks"));
    h.act(Action::Newer);
    assert!(title(&mut h).contains("51–100 of 120"));
    h.act(Action::Newer);
    assert!(title(&mut h).contains("1–50 of 120"));
    assert!(h.text().contains("task t-120"));
}

#[test]
fn a_task_finding_opens_its_tasks_and_esc_puts_it_down() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "INSERT INTO tasks VALUES ('odd-status', 'enrich_url', 'done', '{}', '2031-01-01', NULL, NULL);",
    );
    h.act(Action::DataChecks);
    h.pick_finding("task status");
    assert!(h.text().contains("Enter  its rows"));
    h.act(Action::Open);
    let title = h.overlay().expect("the tasks list");
    assert!(!title.starts_with("Failed tasks"), "its rows: {title}");
    let text = h.text();
    assert!(text.contains("task odd-status"), "{text}");
    assert!(text.contains("task status"), "{text}");
    h.act(Action::Cancel);
    h.act(Action::Back);
    assert!(h.text().contains("Enter  failed tasks"));
}

#[test]
fn the_overview_scrolls_to_the_finding_picked() {
    let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
    h.resize(120, 30);
    h.act(Action::DataChecks);
    let top: Vec<String> = h.lines()[1..4].to_vec();
    assert!(
        !h.text().contains("task type: 1 task(s)"),
        "off screen at first"
    );
    // The last finding, well below the first screen.
    let n = h.pick_finding("task type");
    assert!(n >= 8, "{n}");
    let text = h.text();
    assert!(text.contains("task type: 1 task(s)"), "{text}");
    assert_ne!(
        h.lines()[1..4],
        top[..],
        "the scroll follows: j/k go on from there"
    );
    h.act(Action::NextFinding);
    assert!(
        h.text().contains("post fields: 1 post document(s)"),
        "back to the first"
    );
    h.act(Action::Top);
    assert_eq!(
        h.lines()[1..4],
        top[..],
        "and scrolling is the user's again"
    );
}

#[test]
fn a_write_by_another_process_refreshes_the_counts_and_the_list() {
    let mut h = Harness::demo_with("demo.sqlite", 300, TASKS);
    h.resize(120, 60);
    h.act(Action::Open);
    assert!(h.text().contains("1–3 of 3"));
    exec(
        &h.path,
        "INSERT INTO tasks VALUES ('f-newest', 'enrich_url', 'failed', '{}', '2040-01-01', NULL, 'late');",
    );
    h.app.second();
    h.settle();
    let text = h.text();
    assert!(text.contains("1–4 of 4"), "{text}");
    assert!(text.contains("task f-newest"), "{text}");
    h.act(Action::Cancel);
    assert!(
        h.text()
            .contains("Tasks: 7 in all (Enter lists the 4 failed)")
    );
}

#[test]
fn y_and_capital_y_copy_the_marked_task_whole() {
    let mut h = Harness::demo_with("demo.sqlite", 300, TASKS);
    h.resize(120, 30);
    h.act(Action::Open);
    let text = h.text();
    assert!(text.contains("▶ "), "a task is marked:\n{text}");
    assert!(text.contains("copy ▶'s id"), "{text}");
    h.act(Action::Copy);
    let clip = h.clip().expect("copied");
    assert_eq!(clip.bytes, b"f-new", "the newest, marked first");
    // Scrolled into the next card, that one is marked.
    for _ in 0..12 {
        h.act(Action::Down);
    }
    h.act(Action::Copy);
    let clip = h.clip().expect("copied");
    assert_eq!(clip.bytes, b"f-mid", "{}", h.text());
    h.act(Action::CopyRow);
    let clip = h.clip().expect("copied");
    let row: serde_json::Value = serde_json::from_slice(&clip.bytes).unwrap();
    assert_eq!(row["task_id"], "f-mid");
    assert_eq!(row["payload"], "not json {");
}

#[test]
fn enter_opens_the_document_a_tasks_payload_names_and_back_returns() {
    let mut h = Harness::demo_with(
        "demo.sqlite",
        300,
        "DELETE FROM tasks;
         INSERT INTO documents (id, title, slug, status, doc_type) VALUES
           ('p-task', 'Tasked post', 'tasked', 'draft', 'post');
         INSERT INTO tasks VALUES
           ('t-new', 'enrich_url', 'failed', '{\"document_id\": \"p-task\"}', '2030-01-01T00:00:00Z', NULL, 'HTTP 404'),
           ('t-old', 'generate_banner', 'failed', '{\"post_slug\": \"no-such\"}', '2020-01-01T00:00:00Z', NULL, 'timed out');",
    );
    h.resize(120, 40);
    h.act(Action::Open);
    let text = h.text();
    assert!(
        text.contains("document_id p-task  → post 'Tasked post'"),
        "{text}"
    );
    assert!(
        text.contains("post_slug no-such  (not in documents)"),
        "{text}"
    );
    assert!(text.contains("Enter ▶'s document"), "{text}");
    h.act(Action::Open);
    assert_eq!(h.overlay(), None, "the list waits");
    assert_eq!(h.detail_rowid(), Some(301));
    assert!(h.head().starts_with("document post"), "{}", h.head());
    // [ and ] are the list's, not hinted here.
    assert!(!h.status().contains("next"), "{}", h.status());
    h.act(Action::Back);
    let title = h.overlay().expect("back to the tasks list");
    assert!(title.starts_with("Failed tasks"), "{title}");
    assert!(h.detail_rowid().is_none());
    // A task naming a document that is not there says so and stays.
    h.resize(120, 16);
    h.act(Action::Bottom);
    h.act(Action::Open);
    assert!(
        h.status().contains("post_slug no-such is not in documents"),
        "{}",
        h.status()
    );
    assert!(h.overlay().is_some());
}
