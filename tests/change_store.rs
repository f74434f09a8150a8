//! The store API the app's plan dialog calls for a change: a preview read a
//! window at a time, and a commit held to it.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;
use egregora_inspect::store::StoreError;
use egregora_inspect::store::cancel::Canceller;
use egregora_inspect::store::change::{self, Op};

fn demo(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "200"])
        .arg(&p)
        .assert()
        .success();
    p
}

#[test]
fn a_preview_is_read_a_window_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let before = snapshot(&p);
    let preview = change::exec(
        &p,
        "UPDATE documents SET slug = 'x' || rowid WHERE rowid <= 30",
    )
    .unwrap();
    assert_eq!(preview.rows, 30);
    assert_eq!(preview.tables[0].table, "documents");
    assert_eq!(preview.tables[0].updated, 30);
    let all = preview.window(0, 100).unwrap();
    assert_eq!(all.len(), 30);
    let some = preview.window(10, 5).unwrap();
    assert_eq!(some, all[10..15].to_vec());
    let r = &all[0];
    assert_eq!(r.op, Op::Update);
    assert_eq!(r.key[0].0, "id");
    assert_eq!(r.columns.len(), 1);
    assert_eq!(r.columns[0].column, "slug");
    assert!(r.columns[0].before.is_some() && r.columns[0].after.is_some());
    drop(preview);
    assert_eq!(snapshot(&p), before, "a preview writes nothing");
    assert_eq!(listing(dir.path()), ["s.sqlite"]);
}

#[test]
fn a_store_changed_between_preview_and_confirm_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let preview = change::exec(
        &p,
        "UPDATE documents SET status = 'archived' WHERE doc_type = 'post'",
    )
    .unwrap();
    // Another process changes a row the preview showed.
    exec(
        &p,
        "UPDATE documents SET status = 'published' WHERE rowid = (SELECT min(rowid) FROM documents WHERE doc_type = 'post' AND status <> 'published')",
    );
    let between = snapshot(&p);
    let e = change::commit(&preview, &Canceller::new()).unwrap_err();
    assert!(matches!(e, StoreError::ChangedSincePreview), "{e}");
    assert!(
        e.to_string()
            .contains("the store changed since the preview"),
        "{e}"
    );
    assert_eq!(snapshot(&p), between, "nothing written");
    assert_eq!(listing(dir.path()), ["s.sqlite"], "no undo file");
    // The same preview made anew commits.
    let again = change::exec(
        &p,
        "UPDATE documents SET status = 'archived' WHERE doc_type = 'post'",
    )
    .unwrap();
    let done = change::commit(&again, &Canceller::new()).unwrap();
    assert_eq!(done.rows, again.rows);
    let undo = done.undo.unwrap();
    let files = change::undo_files(&p).unwrap();
    assert_eq!(files[0].path, undo);
    assert_eq!(files[0].header.rows, again.rows);
    assert_eq!(files[0].header.command, "exec");
}

#[test]
fn a_cell_is_edited_and_a_row_deleted_by_its_key_and_both_undone() {
    use change::{RowKey, Value};
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let id: String = scalar(&p, "SELECT id FROM documents WHERE rowid = 3");
    let key = RowKey::Columns(vec![("id".into(), Value::Text(id.clone().into_bytes()))]);
    let title = |p: &std::path::Path| {
        scalar::<Option<String>>(p, &format!("SELECT title FROM documents WHERE id = '{id}'"))
    };
    let was = title(&p);
    let preview = change::edit(&p, "documents", &key, "title", Some("it's new")).unwrap();
    assert_eq!(preview.rows, 1);
    let row = &preview.window(0, 1).unwrap()[0];
    assert_eq!(
        row.columns[0].after,
        Some(Value::Text(b"it's new".to_vec()))
    );
    change::commit(&preview, &Canceller::new()).unwrap();
    assert_eq!(title(&p).as_deref(), Some("it's new"));
    // A key sets NULL.
    let preview = change::edit(&p, "documents", &key, "title", None).unwrap();
    change::commit(&preview, &Canceller::new()).unwrap();
    assert_eq!(title(&p), None);
    // A JSON column takes JSON of its shape only.
    for bad in ["not json", "{\"a\": 1}"] {
        let e = change::edit(&p, "documents", &key, "tags", Some(bad)).unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{bad}: {e}");
    }
    change::edit(&p, "documents", &key, "tags", Some("[\"x\"]")).unwrap();
    // A task (no primary key) by rowid.
    let tasks: i64 = scalar(&p, "SELECT count(*) FROM tasks");
    let preview = change::delete(&p, "tasks", &RowKey::Rowid(2)).unwrap();
    assert_eq!(preview.rows, 1);
    change::commit(&preview, &Canceller::new()).unwrap();
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM tasks"), tasks - 1);
    // Each undone in turn, newest first.
    for _ in 0..3 {
        let u = change::undo(&p, None).unwrap();
        change::commit(&u, &Canceller::new()).unwrap();
        // Its own undo file is not wanted here: the next is the older change.
        let newest = change::undo_files(&p).unwrap().remove(0);
        assert_eq!(newest.header.command, "undo");
        std::fs::remove_file(newest.path).unwrap();
    }
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM tasks"), tasks);
    assert_eq!(title(&p), was);
}
