//! Keyset paging walks every row exactly once, in order, for every sort and
//! filter, with NULL and repeated sort values.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::cell::Cell;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{
    Anchor, DocRow, Picked, Query, SPARSE_ROWS, Sort, window,
};

fn ids(rows: &[DocRow]) -> Vec<String> {
    rows.iter().map(|r| r.id.summary()).collect()
}

/// A V3 store in `dir` whose documents are the rows `insert` writes.
fn store_with(dir: &std::path::Path, insert: &str) -> std::path::PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "0"])
        .arg(&p)
        .assert()
        .success();
    exec(&p, insert);
    p
}

/// The column a sort orders by, for the reference query.
fn sort_column(sort: &Sort) -> &str {
    sort.column().unwrap_or("rowid")
}

#[test]
fn walking_pages_forward_and_back_visits_every_row_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = store_with(
        dir.path(),
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 237)
         INSERT INTO documents (id, status, doc_type, created_at, slug, title, content, summary)
         SELECT printf('id-%03d', (i * 37) % 241), CASE i % 3 WHEN 0 THEN 'draft' ELSE 'published' END,
                CASE i % 4 WHEN 0 THEN 'post' WHEN 1 THEN 'note' ELSE 'media' END,
                CASE WHEN i % 5 = 0 THEN NULL ELSE '2024-0' || (1 + i % 3) END,
                CASE WHEN i % 6 = 0 THEN NULL ELSE 'slug-' || (i % 9) END,
                'title ' || i, CASE WHEN i % 10 = 0 THEN 'the needle here' ELSE 'hay' END,
                CASE WHEN i % 8 = 0 THEN NULL ELSE 'sum ' || (i % 5) END
         FROM n;",
    );
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::Flagged).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;

    // The indexed sorts, and a column no index orders (each page a scan).
    let shapes = Sort::ALL
        .into_iter()
        .chain([Sort::Column("title".into()), Sort::Column("summary".into())])
        .flat_map(|s| [(s.clone(), false), (s, true)])
        .flat_map(|(s, f)| [(s.clone(), f, false), (s, f, true)]);
    for (sort, filter_index, desc) in shapes {
        for (doc_type, status, search) in [
            (None, None, None),
            (Some("post"), None, None),
            (None, Some("draft"), None),
            (Some("media"), Some("published"), None),
            (Some("post"), Some("draft"), None),
            (None, None, Some("NEEDLE")),
        ] {
            let q = Query {
                doc_type: doc_type.into(),
                status: status.into(),
                search: search.map(String::from),
                sort: sort.clone(),
                filter_index,
                desc,
                ..Query::default()
            };
            let col = sort_column(&sort);
            let dir = if desc { "DESC" } else { "ASC" };
            let mut conds = vec!["1".to_string()];
            if let Some(t) = doc_type {
                conds.push(format!("doc_type = '{t}'"));
            }
            if let Some(s) = status {
                conds.push(format!("status = '{s}'"));
            }
            if search.is_some() {
                conds.push("content LIKE '%needle%'".into());
            }
            let c = open(&p);
            let mut st = c
                .prepare(&format!(
                    "SELECT id FROM documents WHERE {} ORDER BY {col} {dir}, rowid {dir}",
                    conds.join(" AND ")
                ))
                .unwrap();
            let expected: Vec<String> = st
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert!(!expected.is_empty());

            let h = 7;
            let mut seen = Vec::new();
            let mut page = window(conn, live, &q, &Anchor::Start, h).unwrap();
            // Bounded, so a page that skips rows fails instead of spinning.
            for _ in 0..=expected.len() {
                let last = page.last().unwrap().key.clone();
                let fresh: Vec<String> = ids(&page)
                    .into_iter()
                    .skip_while(|id| seen.contains(id))
                    .collect();
                seen.extend(fresh);
                if seen.len() >= expected.len() {
                    break;
                }
                page = window(
                    conn,
                    live,
                    &q,
                    &Anchor::From {
                        key: last,
                        inclusive: false,
                    },
                    h,
                )
                .unwrap();
            }
            assert_eq!(seen, expected, "forward walk, {q:?}");

            let end = window(conn, live, &q, &Anchor::End, h).unwrap();
            assert_eq!(
                ids(&end),
                expected[expected.len().saturating_sub(h)..],
                "end window, {q:?}"
            );
            // Back one page at a time from the end reaches the start.
            let mut back = end;
            let mut steps = 0;
            while ids(&back)[0] != expected[0] {
                back = window(
                    conn,
                    live,
                    &q,
                    &Anchor::Before {
                        key: back[0].key.clone(),
                        n: h,
                    },
                    h,
                )
                .unwrap();
                let at = expected.iter().position(|e| *e == ids(&back)[0]).unwrap();
                assert_eq!(
                    ids(&back),
                    expected[at..(at + h).min(expected.len())],
                    "window before, {q:?}"
                );
                steps += 1;
                assert!(steps < 100);
            }
        }
    }
}

#[test]
fn cells_are_cut_in_sql_and_keep_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd.sqlite");
    old_documents(&p, 10);
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::Flagged).unwrap();
    let live = ins.live("documents").unwrap();
    let rows = window(&store.conn, live, &Query::default(), &Anchor::Start, 10).unwrap();
    assert_eq!(rows.len(), 10);
    // rowid 3 is doc-1: invalid UTF-8 content; doc-2 a BLOB; doc-4 huge.
    let q = Query {
        search: Some("doc-".into()),
        ..Query::default()
    };
    assert_eq!(
        window(&store.conn, live, &q, &Anchor::Start, 20)
            .unwrap()
            .len(),
        10
    );
    let doc = |rowid| {
        egregora_inspect::store::read::documents::document(
            &store.conn,
            live,
            &egregora_inspect::store::read::documents::RowKey::Rowid(rowid),
        )
        .unwrap()
        .unwrap()
    };
    let content = |d: &egregora_inspect::store::read::documents::DocView| {
        d.columns
            .iter()
            .find(|c| c.0 == "content")
            .unwrap()
            .1
            .clone()
    };
    assert!(matches!(content(&doc(3)), Cell::Text { invalid: true, .. }));
    assert!(matches!(content(&doc(6)), Cell::Blob { len: 3, .. }));
    match content(&doc(12)) {
        Cell::Text { text, cut_from, .. } => {
            assert_eq!(
                text.len(),
                egregora_inspect::store::cell::DETAIL_CHARS as usize
            );
            assert_eq!(cut_from, Some(2_000_000));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(content(&doc(15)), Cell::Null);
}

/// Two filters that match many rows together, few, or none: every sort
/// gives the rows in order at the start, from a key, and at the end.
#[test]
fn two_filters_page_alike_whether_they_match_many_few_or_none() {
    let dir = tempfile::tempdir().unwrap();
    // post+published: 2/3 of the rows; note+draft: every 97th; none is a
    // media+archived.
    let p = store_with(
        dir.path(),
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2400)
         INSERT INTO documents (id, status, doc_type, created_at, slug, title)
         SELECT printf('id-%05d', (i * 7919) % 10007),
                CASE WHEN i % 97 = 0 THEN 'draft' WHEN i % 3 = 0 THEN 'archived' ELSE 'published' END,
                CASE WHEN i % 97 = 0 THEN 'note' WHEN i % 3 = 0 THEN 'media' ELSE 'post' END,
                CASE WHEN i % 11 = 0 THEN NULL ELSE printf('2024-%02d-%02d', 1 + i % 12, 1 + i % 28) END,
                CASE WHEN i % 13 = 0 THEN NULL ELSE 'slug-' || (i % 50) END,
                'title ' || i
         FROM n;
         UPDATE documents SET status = 'published' WHERE doc_type = 'media' AND rowid % 2 = 0;",
    );
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;
    let c = open(&p);
    let mut sizes = Vec::new();
    for (t, st) in [("post", "published"), ("note", "draft"), ("media", "draft")] {
        for sort in Sort::ALL {
            let col = sort_column(&sort);
            let expected: Vec<String> = c
                .prepare(&format!(
                    "SELECT id FROM documents WHERE doc_type = ?1 AND status = ?2 ORDER BY {col}, rowid"
                ))
                .unwrap()
                .query_map([t, st], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let q = Query {
                doc_type: Picked::one(t),
                status: Picked::one(st),
                search: None,
                sort: sort.clone(),
                ..Query::default()
            };
            let h = 20;
            let first = window(conn, live, &q, &Anchor::Start, h).unwrap();
            assert_eq!(ids(&first), expected[..h.min(expected.len())], "{q:?}");
            let end = window(conn, live, &q, &Anchor::End, h).unwrap();
            assert_eq!(
                ids(&end),
                expected[expected.len().saturating_sub(h)..],
                "{q:?}"
            );
            if expected.len() > h + 2 {
                // Room for a whole window after the key.
                let mid = (expected.len() - h) / 2;
                let at = window(conn, live, &q, &Anchor::Start, mid + 1).unwrap();
                let key = at[mid].key.clone();
                let from = window(
                    conn,
                    live,
                    &q,
                    &Anchor::From {
                        key,
                        inclusive: false,
                    },
                    h,
                )
                .unwrap();
                assert_eq!(
                    ids(&from),
                    expected[mid + 1..mid + 1 + h],
                    "from the middle, {q:?}"
                );
            }
        }
        sizes.push(
            c.query_row(
                "SELECT count(*) FROM documents WHERE doc_type = ?1 AND status = ?2",
                [t, st],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as usize,
        );
    }
    assert!(sizes[0] > SPARSE_ROWS, "many: {sizes:?}");
    assert!(sizes[1] > 20 && sizes[1] <= SPARSE_ROWS, "few: {sizes:?}");
    assert_eq!(sizes[2], 0, "none: {sizes:?}");
}

/// The grid reads the columns chosen, in their order, with the sort column
/// first (after the id) when it is not among them; a list of rowids (a finding's
/// rows) selects exactly those rows.
#[test]
fn chosen_columns_and_a_list_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = store_with(
        dir.path(),
        "INSERT INTO documents (id, status, doc_type, slug, title, phash)
         VALUES ('a', 'draft', 'post', 's-a', 'A', 'h1'), ('b', 'draft', 'note', 's-b', 'B', NULL),
                ('c', 'published', 'post', 's-c', 'C', 'h3');",
    );
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let q = Query {
        columns: vec!["phash".into(), "title".into(), "nope".into()],
        sort: Sort::Slug,
        desc: true,
        ..Query::default()
    };
    assert_eq!(q.grid_columns(), ["slug", "phash", "title", "nope"]);
    let rows = window(&store.conn, live, &q, &Anchor::Start, 10).unwrap();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.cells.iter().map(Cell::summary).collect())
        .collect();
    assert_eq!(
        cells,
        [
            ["s-c", "h3", "C", "NULL"],
            ["s-b", "NULL", "B", "NULL"],
            ["s-a", "h1", "A", "NULL"]
        ]
    );
    let only = Query {
        rowids: Some(vec![1, 3, 99]),
        doc_type: Picked::one("post"),
        ..Query::default()
    };
    assert_eq!(
        ids(&window(&store.conn, live, &only, &Anchor::Start, 10).unwrap()),
        ["a", "c"]
    );
    let n = egregora_inspect::store::matching::count(&store.conn, live, &only, None, &mut |_| {});
    assert_eq!(n.unwrap(), 2);
}
