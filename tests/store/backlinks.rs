//! Backlinks (DESIGN §5): the documents whose `authors` name a profile, and
//! the annotations whose parent a document is, counted in full and listed
//! up to a limit, in key order.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{exec, scalar};
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::backlinks::{Backlinks, backlinks};
use egregora_inspect::store::read::documents::{LinkKind, RowKey};
use std::path::Path;

/// An empty V3 store with the rows of `sql`.
fn store(dir: &Path, sql: &str) -> std::path::PathBuf {
    let p = dir.join("s.sqlite");
    common::bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .success();
    exec(&p, sql);
    p
}

const ROWS: &str = "
    INSERT INTO documents (id, status, doc_type, title, subject_uuid) VALUES
      ('prof-1', 'draft', 'profile', 'Ada', 'u-1'),
      ('prof-2', 'draft', 'profile', 'Bob', 'u-10');
    INSERT INTO documents (id, status, doc_type, title, authors) VALUES
      ('post-a', 'published', 'post', 'A', '[\"u-1\"]'),
      ('post-b', 'draft', 'post', 'B', '[\"u-10\", \"u-1\"]'),
      ('post-c', 'draft', 'post', 'C', '[\"u-10\"]'),
      ('post-d', 'draft', 'post', 'D', 'not json u-1'),
      ('jour-e', 'draft', 'journal', 'E', '[\"u-1\"]'),
      ('post-f', 'draft', 'post', 'F', '[\"u-1\"]');
    INSERT INTO documents (id, status, doc_type, extensions, content) VALUES
      ('an-1', 'draft', 'annotation', '{\"parent_id\": \"post-a\"}', 'folded'),
      ('an-2', 'draft', 'annotation', NULL,
       '<!--\nannotation_id: an-2\nparent_type: post\nparent_id: post-a\n-->\nupstream''s header'),
      ('an-3', 'draft', 'annotation', NULL,
       '<!--\nannotation_id: an-3\nparent_type: message\nparent_id: post-a\n-->\na message of that id'),
      ('an-4', 'draft', 'annotation', '{\"parent_id\": \"post-ab\"}', 'another parent'),
      ('note-5', 'draft', 'note', '{\"parent_id\": \"post-a\"}', 'not an annotation');";

fn read(p: &Path, id: &str, first: usize) -> Backlinks {
    let rowid: i64 = scalar(p, &format!("SELECT rowid FROM documents WHERE id = '{id}'"));
    let mut s = open_read_only(p).unwrap();
    let ins = inspect(&mut s.conn, p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    backlinks(&s.conn, live, &RowKey::Rowid(rowid), first).unwrap()
}

fn ids(links: &[egregora_inspect::store::read::documents::Link]) -> Vec<&str> {
    links.iter().map(|l| l.key.as_str()).collect()
}

#[test]
fn a_profile_is_named_by_the_documents_whose_authors_hold_its_uuid() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path(), ROWS);
    let b = read(&p, "prof-1", 3);
    let named = b.named_by.expect("a profile is named");
    // Exact elements only: u-10 is not u-1, and text that is not JSON
    // names nobody.
    assert_eq!(named.total, 4);
    assert_eq!(
        named.by_type,
        vec![("post".to_string(), 3), ("journal".to_string(), 1)]
    );
    assert_eq!(
        ids(&named.first),
        ["post-a", "post-b", "jour-e"],
        "key order, the first 3"
    );
    assert!(named.first.iter().all(|l| l.kind == LinkKind::NamedBy));
    assert_eq!(named.first[0].label.as_deref(), Some("post 'A'"));
    let post_a: i64 = scalar(&p, "SELECT rowid FROM documents WHERE id = 'post-a'");
    assert_eq!(named.first[0].rowid, Some(RowKey::Rowid(post_a)));
    let bob = read(&p, "prof-2", 10).named_by.unwrap();
    assert_eq!(ids(&bob.first), ["post-b", "post-c"]);
    // A document that is no profile is named by nobody.
    assert!(read(&p, "post-a", 10).named_by.is_none());
}

#[test]
fn a_document_lists_the_annotations_whose_parent_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path(), ROWS);
    let b = read(&p, "post-a", 10);
    // Folded (extensions) and upstream's header; a message parent of the
    // same id, another parent, and a note are not.
    assert_eq!(b.annotations.total, 2);
    assert_eq!(ids(&b.annotations.first), ["an-1", "an-2"]);
    assert!(
        b.annotations
            .first
            .iter()
            .all(|l| l.kind == LinkKind::Annotation)
    );
    let one = read(&p, "post-a", 1);
    assert_eq!((one.annotations.total, one.annotations.first.len()), (2, 1));
    assert_eq!(read(&p, "post-c", 10).annotations.total, 0);
}

#[test]
fn an_older_table_without_the_columns_has_no_backlinks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    exec(
        &p,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT);
         INSERT INTO documents VALUES ('x', 'X');",
    );
    let b = read(&p, "x", 10);
    assert!(b.named_by.is_none());
    assert_eq!(b.annotations.total, 0);
}

#[test]
fn a_tasks_payload_names_a_document_by_id_or_post_slug() {
    use egregora_inspect::store::read::tasks::{
        PAGE, TaskAnchor, TaskSelection, link_documents, live_tasks, page, payload_names,
    };
    assert_eq!(
        payload_names(r#"{"url": "u", "document_id": "post-a"}"#),
        Some(("document_id", "id", "post-a".into()))
    );
    assert_eq!(
        payload_names(r#"{"post_slug": "s"}"#),
        Some(("post_slug", "slug", "s".into()))
    );
    assert_eq!(payload_names(r#"{"media_id": "m"}"#), None);
    assert_eq!(payload_names("not json"), None);
    let dir = tempfile::tempdir().unwrap();
    let p = store(
        dir.path(),
        &format!(
            "{ROWS}
            UPDATE documents SET slug = 'same' WHERE id IN ('jour-e', 'post-f');
            INSERT INTO tasks (task_id, status, payload, created_at) VALUES
              ('t1', 'failed', '{{\"document_id\": \"post-a\"}}', '2026-01-03'),
              ('t2', 'failed', '{{\"post_slug\": \"same\"}}', '2026-01-02'),
              ('t3', 'failed', '{{\"doc_id\": \"gone\"}}', '2026-01-01'),
              ('t4', 'failed', '{{\"url\": \"x\"}}', '2025-01-01');"
        ),
    );
    let rowid = |id: &str| {
        scalar::<i64>(
            &p,
            &format!("SELECT rowid FROM documents WHERE id = '{id}'"),
        )
    };
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let mut tasks = page(
        &s.conn,
        live_tasks(&ins).unwrap(),
        &TaskSelection::Failed,
        &TaskAnchor::Newest,
        PAGE,
    )
    .unwrap();
    link_documents(&s.conn, ins.live("documents").unwrap(), &mut tasks).unwrap();
    let t: Vec<_> = tasks.iter().map(|t| t.target.clone()).collect();
    let first = t[0].clone().unwrap();
    assert_eq!(first.rowid, Some(RowKey::Rowid(rowid("post-a"))));
    assert_eq!(first.label.as_deref(), Some("post 'A'"));
    let slug = t[1].clone().unwrap();
    assert_eq!(
        slug.rowid,
        Some(RowKey::Rowid(rowid("post-f"))),
        "a post first"
    );
    let gone = t[2].clone().unwrap();
    assert_eq!(
        (gone.field, gone.value.as_str(), gone.rowid),
        ("doc_id", "gone", None)
    );
    assert_eq!(t[3], None);
}
