//! A search shows the rows whose id or slug is the term at once, by index,
//! then pages and counts in one scan, with one counter.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::matching;
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{Anchor, Query, Sort, window};
use egregora_inspect::store::read::search::{News, search};

fn store(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "0"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO documents (id, status, doc_type, created_at, slug, title, content)
         SELECT printf('doc-%05d', i), 'draft', CASE i % 2 WHEN 0 THEN 'post' ELSE 'note' END,
                CASE WHEN i % 7 = 0 THEN NULL ELSE printf('2024-%02d', 1 + i % 12) END,
                'slug-' || (i % 500), 'title ' || i,
                CASE WHEN i % 3 = 0 THEN 'a Needle here' ELSE 'hay' END
         FROM n;",
    );
    p
}

#[test]
fn an_exact_id_or_slug_comes_first_by_index_then_one_scan_pages_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    for (term, sort, doc_type, exact) in [
        ("doc-02999", Sort::Inserted, None, vec!["doc-02999"]),
        (
            "slug-7",
            Sort::CreatedAt,
            None,
            vec!["doc-00007", "doc-00507", "doc-02007"],
        ),
        (
            "slug-7",
            Sort::Id,
            Some("note"),
            vec!["doc-00007", "doc-00507", "doc-01007"],
        ),
        ("needle", Sort::Slug, Some("post"), vec![]),
        ("nothing-matches", Sort::Inserted, None, vec![]),
    ] {
        let q = Query {
            search: Some(term.into()),
            sort,
            doc_type: doc_type.into(),
            ..Query::default()
        };
        let mut order = Vec::new();
        let mut counted = Vec::new();
        let found = search(&s.conn, live, &q, 3, &mut |n| match n {
            News::Exact(rows) => {
                assert!(counted.is_empty(), "exact rows before the scan");
                order.push(rows.iter().map(|r| r.id.summary()).collect::<Vec<_>>());
            }
            News::Page(_) => {}
            News::Matched(m) => counted.push(m),
        })
        .unwrap();
        let want_exact: Vec<String> = exact.iter().map(|s| s.to_string()).collect();
        if want_exact.is_empty() {
            assert!(order.is_empty(), "{term}: {order:?}");
        } else {
            assert_eq!(order, [want_exact], "{term}");
        }
        let page = window(&s.conn, live, &q, &Anchor::Start, 3).unwrap();
        assert_eq!(found.rows, page, "{term}: the first page, in order");
        let n = matching::count(&s.conn, live, &q, None, &mut |_| {}).unwrap();
        assert_eq!(found.matched, n, "{term}: the count");
        assert_eq!(counted.last().copied().unwrap_or(0), n, "{term}");
        assert!(
            counted.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1),
            "one counter, by one: {counted:?}"
        );
        // The exact rows count from the moment they are shown.
        assert!(
            counted.iter().all(|&c| c >= exact.len() as u64),
            "{term}: {counted:?}"
        );
    }
}

#[test]
fn a_term_matches_ascii_letters_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let q = |t: &str| Query {
        search: Some(t.into()),
        ..Query::default()
    };
    let a = search(&s.conn, live, &q("NEEDLE"), 5, &mut |_| {}).unwrap();
    let b = search(&s.conn, live, &q("needle"), 5, &mut |_| {}).unwrap();
    assert_eq!(a.matched, 1000);
    assert_eq!(a, b);
}
