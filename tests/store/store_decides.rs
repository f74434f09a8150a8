//! The decisions the app asks the store for, checked on real files: the
//! Schema tab's marks, whether a table pages by rowid, which path a filtered
//! page takes, and a statement stopped by its caller.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::inspection::compare::{Mark, Presence};
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::{DeadlineError, open_read_only, with_deadline, with_watch};
use egregora_inspect::store::read::doc_counts::{DocCounts, FILTER_INDEX_ROWS};
use egregora_inspect::store::read::filters::Picked;
use std::time::Duration;

#[test]
fn the_schema_marks_follow_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 3);
    exec(&p, "CREATE TABLE tasks (task_id TEXT, task_type INTEGER)");
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let tables = ins.side_by_side();
    let docs = tables.iter().find(|t| t.name == "documents").unwrap();
    assert_eq!(docs.presence, Presence::Table("documents".into()));
    let mark = |name: &str| docs.columns.iter().find(|c| c.name == name).unwrap().mark;
    assert_eq!(mark("doc_type"), Mark::Missing);
    assert_eq!(mark("legacy_score"), Mark::Extra);
    // id is there but neither NOT NULL nor the primary key.
    assert_eq!(mark("id"), Mark::Differs);
    // title stands at 4, the spec puts it at 5: a missing column before it
    // shifts it, which is that column's finding, not a difference of title.
    assert_eq!(mark("title"), Mark::Same);
    assert!(
        docs.columns
            .iter()
            .find(|c| c.name == "title")
            .unwrap()
            .live
            .ends_with("@4")
    );
    assert!(docs.indexes.iter().all(|i| i.mark == Mark::Missing));
    let tasks = tables.iter().find(|t| t.name == "tasks").unwrap();
    let t = |name: &str| tasks.columns.iter().find(|c| c.name == name).unwrap().mark;
    assert_eq!(t("task_id"), Mark::Same);
    assert_eq!(t("task_type"), Mark::Differs);
    assert_eq!(t("status"), Mark::Missing);
    let messages = tables.iter().find(|t| t.name == "messages").unwrap();
    assert_eq!(messages.presence, Presence::Missing);

    // A current store: every mark is Same.
    let cur = current_store(dir.path());
    let mut s = open_read_only(&cur).unwrap();
    let ins = inspect(&mut s.conn, &cur, Counts::None).unwrap();
    for t in ins.side_by_side() {
        assert!(t.columns.iter().all(|c| c.mark == Mark::Same), "{}", t.name);
        assert!(t.indexes.iter().all(|i| i.mark == Mark::Same), "{}", t.name);
    }
}

#[test]
fn only_tables_with_rowids_are_keyed() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
         CREATE TABLE quoted (x, \"WITHOUT ROWID\");
         CREATE VIEW posts_v AS SELECT id FROM documents;",
    );
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let keyed = |n: &str| ins.object(n).unwrap().keyed;
    assert!(keyed("documents"));
    assert!(!keyed("kv"));
    assert!(
        keyed("quoted"),
        "a column named WITHOUT ROWID is not the clause"
    );
    assert!(!keyed("posts_v"));
}

#[test]
fn a_filter_matching_few_rows_takes_its_index() {
    let counts = DocCounts {
        rows: 900_050,
        by_type: vec![("post".into(), 900_000), ("profile".into(), 50)],
        by_status: vec![("draft".into(), FILTER_INDEX_ROWS + 1)],
        by_month: vec![],
    };
    let p = |v: Option<&str>| Picked::from(v);
    assert!(counts.few_match(&p(Some("profile")), &p(None)));
    assert!(counts.few_match(&p(Some("profile")), &p(Some("draft"))));
    assert!(!counts.few_match(&p(Some("post")), &p(None)));
    assert!(!counts.few_match(&p(None), &p(Some("draft"))));
    assert!(!counts.few_match(&p(None), &p(None)));
    let many = Picked(vec![Some("profile".into()), Some("post".into())]);
    assert!(!counts.few_match(&many, &p(None)), "a set matches its sum");
    assert!(
        counts.few_match(&p(Some("no-such-type")), &p(None)),
        "a value with no rows matches few"
    );
}

#[test]
fn the_counts_answer_a_filter_but_not_a_search_or_two_filters() {
    let counts = DocCounts {
        rows: 900_050,
        by_type: vec![("post".into(), 900_000), ("profile".into(), 50)],
        by_status: vec![("draft".into(), 7)],
        by_month: vec![],
    };
    let one = |v: &str| Picked::one(v);
    let none = Picked::default();
    assert_eq!(counts.matching(&none, &none, false), Some(900_050));
    assert_eq!(counts.matching(&one("profile"), &none, false), Some(50));
    assert_eq!(counts.matching(&none, &one("draft"), false), Some(7));
    assert_eq!(counts.matching(&one("nothing"), &none, false), Some(0));
    let both = Picked(vec![Some("post".into()), Some("profile".into())]);
    assert_eq!(
        counts.matching(&both, &none, false),
        Some(900_050),
        "a set sums"
    );
    assert_eq!(counts.matching(&one("post"), &one("draft"), false), None);
    assert_eq!(
        counts.matching(&none, &none, true),
        None,
        "a search is counted"
    );
}

#[test]
fn a_statement_stopped_by_its_caller_says_so_and_a_deadline_says_it_timed_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let mut s = open_read_only(&p).unwrap();
    let endless =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
    let run = |c: &rusqlite::Connection| c.query_row(endless, [], |r| r.get::<_, i64>(0));
    let mut calls = 0;
    let stopped = with_watch(
        &mut s.conn,
        Duration::from_secs(60),
        move || {
            calls += 1;
            calls > 3
        },
        run,
    );
    assert!(
        matches!(stopped, Err(DeadlineError::Stopped)),
        "{stopped:?}"
    );
    let timed = with_deadline(&mut s.conn, Duration::from_millis(50), run);
    assert!(
        matches!(timed, Err(DeadlineError::TimedOut(_))),
        "{timed:?}"
    );
}

#[test]
fn a_value_picked_in_documents_becomes_the_filter_the_store_names() {
    use egregora_inspect::store::cell::Cell;
    use egregora_inspect::store::read::filters::{DocFilter, ValueFilter};
    let text = |s: &str| Cell::Text {
        text: s.into(),
        invalid: false,
        cut_from: None,
    };
    let pick = |column: &str, value: Cell, element| ValueFilter {
        column: column.into(),
        value,
        element,
    };
    assert_eq!(
        pick("doc_type", text("post"), false).doc_filter(),
        DocFilter::Type("post".into())
    );
    assert_eq!(
        pick("status", text("draft"), false).doc_filter(),
        DocFilter::Status("draft".into())
    );
    // A NULL status is no status filter (it has no text): a value filter.
    let null = pick("status", Cell::Null, false);
    assert_eq!(null.clone().doc_filter(), DocFilter::Value(null));
    let tag = pick("tags", text("sport"), true);
    assert_eq!(tag.clone().doc_filter(), DocFilter::Value(tag));
}

#[test]
fn a_picker_lists_every_value_the_store_holds_null_apart_and_a_view_says_its_scope() {
    use egregora_inspect::store::read::doc_counts::values_of;
    use egregora_inspect::store::read::tables::scope;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    // An older documents table, which lets doc_type and status be NULL.
    exec(
        &p,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, doc_type TEXT, status TEXT);
         CREATE INDEX idx_documents_type ON documents(doc_type);
         INSERT INTO documents VALUES ('a', 'post', 'zz-odd'), ('b', 'post', NULL),
           ('c', NULL, 'NULL'), ('d', 'recipe', 'draft'), ('e', 'post', 'draft');",
    );
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let some = |v: &str, n: u64| (Some(v.to_string()), n);
    assert_eq!(
        values_of(&s.conn, live, "doc_type").unwrap(),
        [some("post", 3), (None, 1), some("recipe", 1)],
        "most first, then by value, NULL first among equals"
    );
    assert_eq!(
        values_of(&s.conn, live, "status").unwrap(),
        [
            some("draft", 2),
            (None, 1),
            some("NULL", 1),
            some("zz-odd", 1)
        ],
        "a NULL is not the text 'NULL'"
    );
    assert!(values_of(&s.conn, live, "no_such").unwrap().is_empty());
    // The doc_type index answers it without reading the table.
    let plan: String = s
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT doc_type, count(*) FROM documents GROUP BY doc_type",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("COVERING INDEX idx_documents_type"), "{plan}");
    assert_eq!(scope(true), None);
    assert_eq!(scope(false).as_deref(), Some("first 1000 rows"));
}

#[test]
fn an_export_is_offered_a_name_no_file_has() {
    use egregora_inspect::store::read::export::free_name;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(free_name(dir.path(), "documents", "csv"), "documents.csv");
    std::fs::write(dir.path().join("documents.csv"), "x").unwrap();
    std::fs::write(dir.path().join("documents-2.csv"), "x").unwrap();
    assert_eq!(free_name(dir.path(), "documents", "csv"), "documents-3.csv");
}
