//! Every query shape the app runs on documents uses an index: no full scan
//! of the table, no sort of a large result, for every sort, filter and
//! direction. (The timings themselves live in the benchmark.)
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{
    Anchor, Query, Sort, explain, explain_others, window,
};

#[test]
fn every_window_query_uses_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--docs", "6000"])
        .arg(&p)
        .assert()
        .success();
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;
    let mid = window(conn, live, &Query::default(), &Anchor::Start, 1000)
        .unwrap()
        .pop()
        .unwrap();
    let mut checked = 0;
    let (mut sparse_plans, mut dense_plans) = (0, 0);
    for sort in Sort::ALL {
        for (doc_type, status) in [
            (None, None),
            (Some("post"), None),
            (None, Some("draft")),
            (Some("media"), Some("archived")),
            // Two filters that match nothing together, and many.
            (Some("profile"), Some("archived")),
            (Some("post"), Some("published")),
        ] {
            for filter_index in [false, true] {
                for (search, desc) in [None, Some("harvest")]
                    .into_iter()
                    .flat_map(|s| [(s, false), (s, true)])
                {
                    let q = Query {
                        doc_type: doc_type.into(),
                        status: status.into(),
                        search: search.map(String::from),
                        sort: sort.clone(),
                        filter_index,
                        desc,
                        ..Query::default()
                    };
                    // A key from the same sort, so the keyset comparison is real.
                    let key = window(
                        conn,
                        live,
                        &Query {
                            sort: sort.clone(),
                            ..Query::default()
                        },
                        &Anchor::From {
                            key: mid.key.clone(),
                            inclusive: true,
                        },
                        1,
                    )
                    .unwrap()[0]
                        .key
                        .clone();
                    for (k, back) in [
                        (None, false),
                        (None, true),
                        (Some(&key), false),
                        (Some(&key), true),
                    ] {
                        for plan in explain(conn, live, &q, k, back).unwrap() {
                            checked += 1;
                            let what = format!("{q:?} key={} back={back}: {plan}", k.is_some());
                            let filtered = doc_type.is_some() || status.is_some();
                            // Insertion order is the table's own order: a rowid
                            // scan with a LIMIT reads one page. Any other full
                            // scan of the table is a failure.
                            if sort != Sort::Inserted || filtered && search.is_none() {
                                assert!(
                                    !plan.split("; ").any(|l| l == "SCAN documents"),
                                    "full scan: {what}"
                                );
                            }
                            // Two filters that match few rows together: those
                            // rows are fetched by rowid, at most SPARSE_ROWS.
                            let sparse = plan.contains("json_each");
                            let both = doc_type.is_some() && status.is_some();
                            if both && !filter_index && search.is_none() && !sparse {
                                dense_plans += 1;
                            }
                            if sparse {
                                sparse_plans += 1;
                                assert!(
                                    plan.contains("rowid=?)")
                                        && doc_type.is_some()
                                        && status.is_some()
                                        && !filter_index,
                                    "by rowid: {what}"
                                );
                            }
                            // A large sort is only allowed when the filter is
                            // known to match few rows.
                            if !(sparse || filter_index && filtered) {
                                assert!(!plan.contains("TEMP B-TREE"), "sorts its result: {what}");
                            }
                            if sort != Sort::Inserted && !(filter_index && filtered) && !sparse {
                                assert!(
                                    plan.contains("USING INDEX")
                                        || plan.contains("USING COVERING INDEX"),
                                    "no index: {what}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 300, "{checked} plans checked");
    assert!(
        sparse_plans > 0 && dense_plans > 0,
        "both ways for two filters: {sparse_plans} by rowid, {dense_plans} by index walk"
    );
    for (name, plan) in explain_others(conn, live).unwrap() {
        assert!(
            plan.contains("COVERING INDEX") || plan.contains("INTEGER PRIMARY KEY"),
            "{name}: {plan}"
        );
    }
}

#[test]
fn a_set_of_values_walks_in_order_unless_few_match_and_selects_what_sql_selects() {
    use egregora_inspect::store::read::documents::Picked;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--docs", "3000"])
        .arg(&p)
        .assert()
        .success();
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;
    let set = |v: &[&str]| Picked(v.iter().map(|s| Some(s.to_string())).collect());
    for (types, statuses, sql) in [
        (
            set(&["post", "profile"]),
            Picked::default(),
            "doc_type IN ('post', 'profile')",
        ),
        (
            set(&["note", "media"]),
            set(&["draft", "archived"]),
            "doc_type IN ('note', 'media') AND status IN ('draft', 'archived')",
        ),
        (
            Picked(vec![None, Some("journal".into())]),
            Picked::default(),
            "doc_type = 'journal' OR doc_type IS NULL",
        ),
    ] {
        for sort in Sort::ALL {
            for filter_index in [false, true] {
                let q = Query {
                    doc_type: types.clone(),
                    status: statuses.clone(),
                    sort: sort.clone(),
                    filter_index,
                    ..Query::default()
                };
                for plan in explain(conn, live, &q, None, false).unwrap() {
                    let what = format!("{q:?}: {plan}");
                    let sparse = plan.contains("json_each");
                    if !filter_index && !sparse {
                        assert!(!plan.contains("TEMP B-TREE"), "sorts its result: {what}");
                    }
                    // (With NULL among the values SQLite may still walk
                    // the rows: its OR of an IN and an IS NULL is a guess.)
                    if filter_index && !types.contains(&None) {
                        assert!(
                            plan.contains("idx_documents_"),
                            "the filter's index: {what}"
                        );
                    }
                }
                let rows = window(conn, live, &q, &Anchor::Start, 3000).unwrap();
                let want: i64 = scalar(&p, &format!("SELECT count(*) FROM documents WHERE {sql}"));
                assert_eq!(rows.len() as i64, want, "{q:?}");
            }
        }
    }
}
