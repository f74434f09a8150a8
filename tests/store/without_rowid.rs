//! A WITHOUT ROWID `documents` (a legal V3 shape) pages, sorts, searches,
//! opens, copies and exports by its primary key; no message shows our SQL.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{
    Anchor, DocRow, Query, RowKey, Sort, document, window,
};
use egregora_inspect::store::values::{Copied, copy};

fn ids(rows: &[DocRow]) -> Vec<String> {
    rows.iter().map(|r| r.id.summary()).collect()
}

/// A current V3 store whose `documents` is WITHOUT ROWID, with 40 rows
/// (ids out of insertion order, repeated and NULL created_at), two
/// profiles and an annotation pointing at a post.
fn keyed_store(dir: &std::path::Path) -> std::path::PathBuf {
    let p = current_store(dir);
    let sql: String = scalar(&p, "SELECT sql FROM sqlite_schema WHERE name = 'documents'");
    exec(
        &p,
        &format!(
            "DROP TABLE documents; {sql} WITHOUT ROWID;
             CREATE INDEX idx_documents_type ON documents(doc_type);
             CREATE INDEX idx_documents_slug ON documents(slug);
             CREATE INDEX idx_documents_created ON documents(created_at);
             CREATE INDEX idx_documents_status ON documents(status);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
             INSERT INTO documents (id, status, doc_type, created_at, slug, title, content)
             SELECT printf('id-%02d', (i * 7) % 41), 'draft', 'post',
                    CASE WHEN i % 4 = 0 THEN NULL ELSE '2024-0' || (1 + i % 3) END,
                    'slug-' || i, 'title ' || i,
                    CASE WHEN i % 5 = 0 THEN 'the needle' ELSE 'hay' END
             FROM n;
             INSERT INTO documents (id, status, doc_type, subject_uuid, alias, title)
             VALUES ('p1', 'draft', 'profile', 'u1', 'Ana', 'Ana');
             INSERT INTO documents (id, status, doc_type, authors, extensions, title)
             VALUES ('z-ann', 'draft', 'annotation', '[\"u1\"]', '{{\"parent_id\": \"id-07\"}}', 'note');"
        ),
    );
    p
}

#[test]
fn pages_sorts_and_searches_by_the_primary_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = keyed_store(dir.path());
    bin().arg("check").arg(&p).assert().code(0);
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;
    let c = open(&p);
    for (sort, col) in [
        (Sort::Inserted, "id"),
        (Sort::CreatedAt, "created_at"),
        (Sort::Id, "id"),
        (Sort::Slug, "slug"),
    ] {
        for (desc, search) in [(false, None), (true, None), (false, Some("NEEDLE"))] {
            let q = Query {
                sort: sort.clone(),
                desc,
                search: search.map(String::from),
                ..Query::default()
            };
            let dir = if desc { "DESC" } else { "ASC" };
            let filter = if search.is_some() {
                "WHERE content LIKE '%needle%'"
            } else {
                ""
            };
            let expected: Vec<String> = c
                .prepare(&format!(
                    "SELECT id FROM documents {filter} ORDER BY {col} {dir}, id {dir}"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let h = 6;
            let mut seen = ids(&window(conn, live, &q, &Anchor::Start, h).unwrap());
            for _ in 0..expected.len() {
                if seen.len() >= expected.len() {
                    break;
                }
                let last = window(conn, live, &q, &Anchor::Start, seen.len()).unwrap();
                let key = last.last().unwrap().key.clone();
                let next = window(
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
                let fresh: Vec<String> = ids(&next)
                    .into_iter()
                    .filter(|id| !seen.contains(id))
                    .collect();
                assert!(!fresh.is_empty(), "stuck at {seen:?}, {q:?}");
                seen.extend(fresh);
            }
            assert_eq!(seen, expected, "{q:?}");
            let end = window(conn, live, &q, &Anchor::End, h).unwrap();
            assert_eq!(
                ids(&end),
                expected[expected.len().saturating_sub(h)..],
                "{q:?}"
            );
            let before = window(
                conn,
                live,
                &q,
                &Anchor::Before {
                    key: end[0].key.clone(),
                    n: 2,
                },
                h,
            )
            .unwrap();
            let at = expected.len().saturating_sub(h + 2);
            assert_eq!(ids(&before), expected[at..at + h], "{q:?}");
        }
    }
}

#[test]
fn opens_follows_links_and_copies_by_the_primary_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = keyed_store(dir.path());
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let conn = &store.conn;
    let q = Query {
        search: Some("z-ann".into()),
        ..Query::default()
    };
    let row = window(conn, live, &q, &Anchor::Start, 5).unwrap().remove(0);
    assert_eq!(
        row.key.rowid,
        RowKey::Primary(vec!["z-ann".to_string().into()])
    );
    let doc = document(conn, live, &row.key.rowid).unwrap().unwrap();
    let title = doc.columns.iter().find(|c| c.0 == "title").unwrap();
    assert_eq!(title.1.summary(), "note");
    assert_eq!(doc.links.len(), 2, "{:?}", doc.links);
    for l in &doc.links {
        let target = l.rowid.as_ref().expect("the link is found");
        let d = document(conn, live, target).unwrap().unwrap();
        assert!(d.columns.iter().any(|c| c.1.summary() == l.key), "{l:?}");
    }
    match copy(conn, "documents", &row.key.rowid, Some("extensions")).unwrap() {
        Copied::Bytes { bytes, .. } => assert_eq!(bytes, b"{\"parent_id\": \"id-07\"}"),
        other => panic!("{other:?}"),
    }
    match copy(conn, "documents", &row.key.rowid, None).unwrap() {
        Copied::Bytes { bytes, .. } => {
            assert!(
                String::from_utf8(bytes)
                    .unwrap()
                    .contains("\"id\":\"z-ann\"")
            )
        }
        other => panic!("{other:?}"),
    }
    let gone = RowKey::Primary(vec!["nope".to_string().into()]);
    assert!(document(conn, live, &gone).unwrap().is_none());
}

#[test]
fn exports_in_primary_key_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = keyed_store(dir.path());
    let out = bin()
        .args(["export", "--columns", "id", "--format", "csv"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines.len(), 42);
    assert_eq!(lines, sorted, "by the key");
    bin()
        .args(["export", "--search", "needle", "--sort", "created_at:desc"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("id-");
}

#[test]
fn a_read_that_fails_never_shows_our_sql() {
    let dir = tempfile::tempdir().unwrap();
    let p = keyed_store(dir.path());
    // SQLite's own text of a failed statement carries the statement.
    let e = egregora_inspect::store::StoreError::sqlite(
        &p,
        "cannot read",
        open(&p)
            .prepare("SELECT rowid, no_such_col FROM documents")
            .unwrap_err(),
    );
    let shown = e.to_string();
    assert!(shown.contains("no such column"), "{shown}");
    assert!(!shown.contains("SELECT"), "{shown}");
}

/// A column no index orders: the sorted list holds the primary keys, and
/// its pages come in the column's order, ties by the key.
#[test]
fn a_sorted_list_holds_the_primary_keys() {
    use egregora_inspect::store::cancel::Canceller;
    use egregora_inspect::store::read::sorted::{ListAsk, build};
    let dir = tempfile::tempdir().unwrap();
    let p = keyed_store(dir.path());
    exec(&p, "UPDATE documents SET title = 'same' WHERE id > 'id-30'");
    for desc in [false, true] {
        let q = Query {
            sort: Sort::by_column("title"),
            desc,
            ..Query::default()
        };
        let list = build(
            &p,
            &ListAsk::of("documents", &q).unwrap(),
            &Canceller::new(),
            |_| {},
        )
        .unwrap();
        let dir = if desc { "DESC" } else { "ASC" };
        let want: Vec<String> = open(&p)
            .prepare(&format!(
                "SELECT id FROM documents ORDER BY title {dir}, id {dir}"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut got = Vec::new();
        let mut page = list.window(&q, &Anchor::Start, 6).unwrap();
        while !page.is_empty() && got.len() < want.len() {
            got.extend(ids(&page));
            let key = page.last().unwrap().key.clone();
            assert!(matches!(key.rowid, RowKey::Primary(_)));
            page = list
                .window(
                    &q,
                    &Anchor::From {
                        key,
                        inclusive: false,
                    },
                    6,
                )
                .unwrap();
            page.retain(|r| !got.contains(&r.id.summary()));
        }
        assert_eq!(got, want, "desc={desc}");
    }
}
