//! Upstream's relations (DESIGN §9) in a store imported from upstream's
//! DuckDB store: an annotation's parent from extensions.parent_id, else from
//! upstream's content header; a message parent is a `messages` row; only
//! `failed` tasks count as failed.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{bin, duck, exec, scalar};
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{LinkKind, RowKey, document};
use egregora_inspect::store::read::tasks::{TaskCounts, live_tasks};

#[test]
fn an_annotations_parent_is_found_where_upstream_names_it() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", duck::ROWS);
    let p = dir.path().join("p.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&p)
        .assert()
        .success();
    // An annotation on a post named only by its header.
    exec(
        &p,
        "INSERT INTO documents (id, content, status, doc_type) VALUES
           ('an3', '<!--\nannotation_id: an3\nparent_type: post\nparent_id: hello-world\n-->\nx', 'draft', 'annotation')",
    );
    let rowid = |sql: &str| scalar::<i64>(&p, sql);
    let post = rowid("SELECT rowid FROM documents WHERE id = 'hello-world'");
    let message = rowid("SELECT rowid FROM messages WHERE event_id = 'ev1'");
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let parent = |id: &str| {
        let r = rowid(&format!("SELECT rowid FROM documents WHERE id = '{id}'"));
        let doc = document(&s.conn, live, &RowKey::Rowid(r)).unwrap().unwrap();
        let l = doc
            .links
            .iter()
            .find(|l| l.kind != LinkKind::Author)
            .cloned()
            .unwrap_or_else(|| panic!("{id} has a parent link: {:?}", doc.links));
        (l.kind, l.key, l.rowid, l.label)
    };
    assert_eq!(
        parent("an1"),
        (
            LinkKind::ParentMessage,
            "ev1".into(),
            Some(RowKey::Rowid(message)),
            Some("hi there".into())
        )
    );
    assert_eq!(parent("an2").0, LinkKind::Parent, "from extensions");
    assert_eq!(parent("an2").2, Some(RowKey::Rowid(post)));
    assert_eq!(parent("an3").0, LinkKind::Parent, "from the header");
    assert_eq!(parent("an3").2, Some(RowKey::Rowid(post)));
}

#[test]
fn a_superseded_task_with_an_error_is_not_failed() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", duck::ROWS);
    let p = dir.path().join("p.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&p)
        .assert()
        .success();
    assert_eq!(
        scalar::<i64>(&p, "SELECT count(*) FROM tasks WHERE error IS NOT NULL"),
        2
    );
    let mut s = open_read_only(&p).unwrap();
    let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
    let counts = TaskCounts::read(&s.conn, live_tasks(&ins).unwrap()).unwrap();
    assert_eq!((counts.total, counts.failed), (2, 1));
}
