//! The store API the app's plan dialog calls for a change: a preview read a
//! window at a time, and a commit held to it.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
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

/// Every row of `table` by its key, each value with its type.
fn by_key(p: &std::path::Path, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let c = open(p);
    let mut s = c
        .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
        .unwrap();
    let n = s.column_count();
    s.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Commits the newest undo file's change, and drops its own undo file.
fn undo_newest(p: &std::path::Path) {
    let u = change::undo(p, None).unwrap();
    change::commit(&u, &Canceller::new()).unwrap();
    let newest = change::undo_files(p).unwrap().remove(0);
    assert_eq!(newest.header.command, "undo");
    std::fs::remove_file(newest.path).unwrap();
}

#[test]
fn a_large_change_one_that_changes_keys_and_a_replace_are_committed_and_undone_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    bin()
        .args(["demo", "--docs", "3000"])
        .arg(&p)
        .assert()
        .success();
    let original = by_key(&p, "documents");
    let count =
        |sql: &str| scalar::<i64>(&p, &format!("SELECT count(*) FROM documents WHERE {sql}"));

    let not_draft = count("status <> 'draft'") as u64;
    let preview = change::exec(&p, "UPDATE documents SET status = 'draft'").unwrap();
    assert_eq!(preview.rows, not_draft);
    assert_eq!(preview.tables[0].updated, not_draft);
    let first = &preview.window(0, 1).unwrap()[0];
    assert_eq!(first.key[0].0, "id");
    assert_eq!(first.columns.len(), 1, "only the column that changed");
    assert_eq!(first.columns[0].column, "status");
    let done = change::commit(&preview, &Canceller::new()).unwrap();
    assert_eq!(done.rows, not_draft);
    assert_eq!(count("status <> 'draft'"), 0);

    // A changed key is a row deleted and one inserted, as the session says.
    let moved = count("rowid % 5 = 0") as u64;
    let preview = change::exec(
        &p,
        "UPDATE documents SET id = id || '-moved', title = NULL WHERE rowid % 5 = 0",
    )
    .unwrap();
    let t = &preview.tables[0];
    assert_eq!((t.inserted, t.updated, t.deleted), (moved, 0, moved));
    change::commit(&preview, &Canceller::new()).unwrap();

    // REPLACE puts a new row in the place of one with the same key: an update.
    let replaced = count("rowid % 7 = 1") as u64;
    let preview = change::exec(
        &p,
        "REPLACE INTO documents (id, status, doc_type, title)
         SELECT id, 'published', doc_type, 'replaced' FROM documents WHERE rowid % 7 = 1",
    )
    .unwrap();
    let t = &preview.tables[0];
    assert_eq!((t.inserted, t.updated, t.deleted), (0, replaced, 0));
    change::commit(&preview, &Canceller::new()).unwrap();
    assert!(by_key(&p, "documents") != original);

    for _ in 0..3 {
        undo_newest(&p);
    }
    assert!(by_key(&p, "documents") == original, "every row as it was");
    assert!(change::undo_files(&p).unwrap().is_empty());
}

#[test]
fn a_without_rowid_table_is_recorded_by_its_key_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let sql: String = scalar(&p, "SELECT sql FROM sqlite_schema WHERE name = 'documents'");
    exec(
        &p,
        &format!(
            "DROP TABLE documents; {sql} WITHOUT ROWID;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
             INSERT INTO documents (id, status, doc_type, title)
             SELECT printf('id-%02d', i), 'draft', 'post', 'title ' || i FROM n;"
        ),
    );
    let original = by_key(&p, "documents");
    let preview = change::exec(
        &p,
        "UPDATE documents SET status = 'published', title = upper(title) WHERE id < 'id-11'",
    )
    .unwrap();
    assert_eq!(preview.rows, 10);
    let row = &preview.window(3, 1).unwrap()[0];
    assert_eq!(row.key[0].0, "id");
    assert_eq!(row.columns.len(), 2);
    change::commit(&preview, &Canceller::new()).unwrap();
    let preview = change::exec(&p, "DELETE FROM documents WHERE id > 'id-40'").unwrap();
    assert_eq!(preview.tables[0].deleted, 10);
    change::commit(&preview, &Canceller::new()).unwrap();
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 40);
    undo_newest(&p);
    undo_newest(&p);
    assert!(by_key(&p, "documents") == original);
}

#[test]
fn a_recording_left_by_a_killed_process_with_the_same_pid_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    // What `kill -9` of an earlier process with this pid would have left.
    let stale: Vec<std::path::PathBuf> = (0..300)
        .map(|n| {
            std::env::temp_dir().join(format!(
                "egregora-inspect-changes-{}-{n}",
                std::process::id()
            ))
        })
        .filter(|f| std::fs::File::create_new(f).is_ok())
        .collect();
    for f in &stale {
        std::fs::write(f, "stale").unwrap();
    }
    let preview = change::exec(&p, "UPDATE documents SET title = 'x' WHERE rowid < 4");
    let kept = stale
        .iter()
        .filter(|f| std::fs::read(f).is_ok_and(|b| b == b"stale"))
        .count();
    for f in &stale {
        let _ = std::fs::remove_file(f);
    }
    assert_eq!(preview.unwrap().rows, 3);
    assert_eq!(kept, stale.len(), "never written into or removed");
}

#[test]
fn a_deleted_document_comes_back_at_its_rowid_and_a_redo_keeps_the_new_rows_rowids() {
    use change::{RowKey, Value};
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let all = |p: &std::path::Path| cells(p, "documents", &DOC_COLUMNS);
    let original = all(&p);
    // The app's D on a row in the middle, as the plan dialog commits it.
    let id: String = scalar(&p, "SELECT id FROM documents WHERE rowid = 7");
    let key = RowKey::Columns(vec![("id".into(), Value::Text(id.into_bytes()))]);
    let preview = change::delete(&p, "documents", &key).unwrap();
    change::commit(&preview, &Canceller::new()).unwrap();
    // Rows added after it take fresh rowids, never its own.
    exec(
        &p,
        "INSERT INTO documents (id, status, doc_type) VALUES ('later', 'draft', 'note')",
    );
    let later = all(&p);
    let u = change::undo(&p, None).unwrap();
    change::commit(&u, &Canceller::new()).unwrap();
    let mut want = original.clone();
    want.push(later.last().unwrap().clone());
    assert!(
        all(&p) == want,
        "the row is back at rowid 7, every value as it was"
    );

    // Changed keys, rows deleted at the end and rows inserted: undone
    // whole, rowids too.
    exec(&p, "DELETE FROM documents WHERE id = 'later'");
    for sql in [
        "UPDATE documents SET id = id || '-moved' WHERE rowid % 9 = 0",
        "DELETE FROM documents WHERE rowid > 190 OR rowid % 11 = 0",
    ] {
        change::commit(&change::exec(&p, sql).unwrap(), &Canceller::new()).unwrap();
    }
    undo_newest(&p);
    undo_newest(&p);
    assert!(all(&p) == original, "every rowid and value as it was");

    // The undo of an undo puts back the changed rows' rowids.
    let sql = "DELETE FROM documents WHERE rowid % 4 = 0;";
    change::commit(&change::exec(&p, sql).unwrap(), &Canceller::new()).unwrap();
    let sql = "INSERT INTO documents (id, status, doc_type) VALUES ('n1', 'draft', 'note')";
    change::commit(&change::exec(&p, sql).unwrap(), &Canceller::new()).unwrap();
    let changed = all(&p);
    let undo = |p: &std::path::Path| {
        change::commit(&change::undo(p, None).unwrap(), &Canceller::new()).unwrap()
    };
    undo(&p);
    undo(&p);
    assert!(all(&p) == changed, "n1 inserted again at its rowid");
}

#[test]
fn an_undo_whose_rowid_another_row_took_since_is_refused_naming_it() {
    use change::{RowKey, Value};
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let id: String = scalar(&p, "SELECT id FROM documents ORDER BY rowid DESC LIMIT 1");
    let key = RowKey::Columns(vec![("id".into(), Value::Text(id.clone().into_bytes()))]);
    let preview = change::delete(&p, "documents", &key).unwrap();
    change::commit(&preview, &Canceller::new()).unwrap();
    // The next row inserted takes the freed rowid (the largest plus one).
    exec(
        &p,
        "INSERT INTO documents (id, status, doc_type) VALUES ('theirs', 'draft', 'note')",
    );
    let before = snapshot(&p);
    let e = change::undo(&p, None).unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    assert!(e.to_string().contains(&id), "{e}");
    assert!(e.to_string().contains("rowid"), "{e}");
    assert_eq!(snapshot(&p), before, "nothing changed");
}
