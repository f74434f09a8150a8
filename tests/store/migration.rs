//! init rebuilds an older documents table with every row kept, and refuses
//! what it must not touch.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::path::Path;

const OLD_COLS: [&str; 7] = [
    "id",
    "content",
    "created_at",
    "title",
    "slug",
    "tags",
    "legacy_score",
];

fn backups(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|f| f.contains(".bak-"))
        .collect()
}

#[test]
fn older_documents_is_rebuilt_with_every_row_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 3000);
    let before = cells(&p, "documents", &OLD_COLS);
    assert_eq!(before.len(), 3000);

    let v = check_json(&["check", "--json"], &p, 1);
    assert_eq!(v["state"], "needs-migration");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for c in [
        "missing-column",
        "missing-primary-key",
        "not-null-mismatch",
        "extra-column",
        "missing-table",
        "missing-index",
    ] {
        assert!(codes.contains(&c), "finding {c} in {codes:?}");
    }

    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("backup: ");

    let cols = columns(&p, "documents");
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(&names[..23], DOC_COLUMNS);
    assert_eq!(
        names[23], "legacy_score",
        "the extra column comes after the spec's"
    );
    assert_eq!(cols[23].1, "INTEGER");
    assert_eq!(
        cells(&p, "documents", &OLD_COLS),
        before,
        "every value and rowid kept byte for byte"
    );
    assert_eq!(
        scalar::<i64>(
            &p,
            "SELECT count(*) FROM documents WHERE doc_type = 'note' AND status = 'draft'"
        ),
        3000
    );
    assert_eq!(scalar::<String>(&p, "PRAGMA integrity_check"), "ok");
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(0)
        .stdout_has("state    current");

    let b = backups(dir.path());
    assert_eq!(b.len(), 1, "one backup: {b:?}");
    let bp = dir.path().join(&b[0]);
    assert_eq!(
        cells(&bp, "documents", &OLD_COLS),
        before,
        "the backup holds the old store"
    );
    assert_eq!(columns(&bp, "documents").len(), 7);
}

#[test]
fn dry_run_prints_the_rebuild_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 100);
    let before = snapshot(&p);
    bin()
        .args(["init", "--dry-run"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("CREATE TABLE documents_new")
        .stdout_has("INSERT INTO documents_new (rowid, id,")
        .stdout_has("Copy 100 row(s)")
        .stdout_has("100 row(s) get 'note'")
        .stdout_has("dry run: nothing was written");
    assert_eq!(snapshot(&p), before);
    assert_eq!(listing(dir.path()), ["old.sqlite"]);
}

#[test]
fn no_backup_skips_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 50);
    bin()
        .args(["init", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    assert!(backups(dir.path()).is_empty());
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 50);
}

#[test]
fn duplicate_and_null_ids_stop_the_plan_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dups.sqlite");
    old_documents(&p, 200);
    exec(
        &p,
        "INSERT INTO documents (rowid, id) VALUES (10001, 'doc-7'), (10002, 'doc-9'), (10003, NULL)",
    );
    let before = snapshot(&p);
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stdout_has("\"doc-7\" (2×)")
        .stdout_has("\"doc-9\" (2×)")
        .stdout_has("rowid 10003")
        .stderr_has("the plan cannot run");
    assert_eq!(snapshot(&p), before);
    assert_eq!(listing(dir.path()), ["dups.sqlite"]);
}

#[test]
fn child_table_view_and_trigger_survive_the_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deps.sqlite");
    exec(
        &p,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, content TEXT, title TEXT);
         CREATE TABLE comments (cid INTEGER PRIMARY KEY, doc_id TEXT REFERENCES documents(id) ON DELETE CASCADE, body TEXT);
         CREATE TABLE audit (doc_id TEXT, at TEXT);
         CREATE INDEX my_title_idx ON documents(title);
         CREATE VIEW titled AS SELECT id, title FROM documents WHERE title IS NOT NULL;
         CREATE TRIGGER doc_audit AFTER UPDATE ON documents BEGIN INSERT INTO audit VALUES (new.id, 'now'); END;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
         INSERT INTO documents SELECT 'd' || i, 'c' || i, CASE WHEN i % 2 THEN 't' || i END FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
         INSERT INTO comments (doc_id, body) SELECT 'd' || (1 + i % 500), 'b' || i FROM n;",
    );
    let comments = cells(&p, "comments", &["cid", "doc_id", "body"]);
    bin().args(["init", "--yes"]).arg(&p).assert().success();

    assert_eq!(
        cells(&p, "comments", &["cid", "doc_id", "body"]),
        comments,
        "no cascade deleted a child row"
    );
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM titled"), 250);
    let names: Vec<String> = objects(&p).into_iter().map(|o| o.1).collect();
    assert!(
        names.contains(&"my_title_idx".to_string()) && names.contains(&"doc_audit".to_string())
    );
    let c = open(&p);
    c.execute_batch("PRAGMA foreign_keys = ON; UPDATE documents SET title = 'x' WHERE id = 'd2'")
        .unwrap();
    assert_eq!(
        c.query_row("SELECT count(*) FROM audit WHERE doc_id = 'd2'", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap(),
        1
    );
    assert!(
        c.execute("INSERT INTO comments (doc_id) VALUES ('nope')", [])
            .is_err(),
        "the foreign key still holds"
    );
    c.execute("DELETE FROM documents WHERE id = 'd1'", [])
        .unwrap();
    assert_eq!(
        c.query_row(
            "SELECT count(*) FROM comments WHERE doc_id = 'd1'",
            [],
            |r| r.get::<_, i64>(0)
        )
        .unwrap(),
        0
    );
}

fn v3_with_documents_named(p: &Path, name: &str) {
    let q = |s: &str| format!("\"{s}\"");
    let defs: Vec<String> = DOC_COLUMNS
        .iter()
        .map(|c| match *c {
            "id" => "id TEXT NOT NULL PRIMARY KEY".to_string(),
            "status" | "doc_type" => format!("{c} TEXT NOT NULL"),
            c => format!("{c} TEXT"),
        })
        .collect();
    exec(
        p,
        &format!("CREATE TABLE {} ({});", q(name), defs.join(", ")),
    );
    // The rest of the store as init makes it.
    bin().args(["init", "--yes"]).arg(p).assert().success();
}

#[test]
fn a_table_spelled_documents_differently_is_the_documents_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("case.sqlite");
    v3_with_documents_named(&p, "Documents");
    let v = check_json(&["check", "--json"], &p, 0);
    assert_eq!(v["state"], "current");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "name-case" && f["object"] == "Documents")
    );
    let before = snapshot(&p);
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("nothing to do");
    assert_eq!(snapshot(&p), before);
    assert!(objects(&p).contains(&("table".into(), "Documents".into())));
}

#[test]
fn documents_as_a_view_is_reported_and_never_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("view.sqlite");
    exec(
        &p,
        "CREATE TABLE posts (id TEXT, content TEXT); CREATE VIEW documents AS SELECT id, content FROM posts;",
    );
    let before = snapshot(&p);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("not-a-table")
        .stdout_has("documents is a view");
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("documents is a view, not a table");
    assert_eq!(snapshot(&p), before);
}

#[test]
fn a_newer_store_is_read_but_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(&p, "PRAGMA user_version = 4; DROP TABLE tasks;");
    let before = snapshot(&p);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("newer-store")
        .stdout_has("user_version is 4");
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("newer than V3");
    assert_eq!(snapshot(&p), before);
}

#[test]
fn legacy_objects_are_flagged_with_counts_and_init_leaves_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("legacy.sqlite");
    bin()
        .args(["demo", "--legacy", "--docs", "100"])
        .arg(&p)
        .assert()
        .success();
    exec(&p, "DROP TABLE tasks; DROP INDEX idx_documents_slug;");
    let posts = cells(&p, "posts", &["id", "content", "title"]);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("needs-init")
        .stdout_has("legacy V2 table posts (10 rows)");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    assert_eq!(cells(&p, "posts", &["id", "content", "title"]), posts);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("state    legacy-present")
        .stdout_has("legacy V2 view documents_view (50 rows)");
}

#[test]
fn missing_columns_of_side_tables_are_added() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "DROP TABLE tasks; CREATE TABLE tasks (task_id TEXT, status TEXT, extra_field TEXT); INSERT INTO tasks VALUES ('t1', 'done', 'x');",
    );
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("needs-init")
        .stdout_has("column tasks.payload is missing");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    let names: Vec<String> = columns(&p, "tasks").into_iter().map(|c| c.0).collect();
    assert_eq!(
        names,
        [
            "task_id",
            "status",
            "extra_field",
            "task_type",
            "payload",
            "created_at",
            "processed_at",
            "error"
        ]
    );
    assert_eq!(scalar::<String>(&p, "SELECT extra_field FROM tasks"), "x");
    bin().arg("check").arg(&p).assert().code(0);
}

#[test]
fn an_older_documents_that_has_the_spec_indexes_is_rebuilt_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nearly.sqlite");
    bin()
        .args(["demo", "--docs", "300"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "ALTER TABLE documents DROP COLUMN extensions; CREATE INDEX mine ON documents(title);",
    );
    let before = cells(&p, "documents", &["id", "content", "slug", "doc_type"]);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("needs-migration");
    bin()
        .args(["init", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("Drop the old index idx_documents_slug");
    assert_eq!(
        cells(&p, "documents", &["id", "content", "slug", "doc_type"]),
        before
    );
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(0)
        .stdout_has("state    current");
    let sql: String = scalar(
        &p,
        "SELECT group_concat(sql, ' | ') FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'documents'",
    );
    assert!(
        sql.contains("idx_documents_slug ON \"documents\"(slug)")
            && sql.contains("mine ON documents(title)"),
        "{sql}"
    );
    assert!(!sql.contains("documents_new"), "{sql}");
}

/// The step titles of `init --dry-run`, in order.
fn plan_titles(p: &Path) -> Vec<String> {
    let out = bin()
        .args(["init", "--dry-run"])
        .arg(p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (n, title) = l.trim_start().split_once(". ")?;
            n.parse::<u32>().ok().map(|_| title.to_string())
        })
        .collect()
}

#[test]
fn the_slug_index_is_sorted_after_the_copy_and_the_others_filled_during_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 10);
    let titles = plan_titles(&p);
    let at = |prefix: &str| {
        titles
            .iter()
            .position(|t| t.starts_with(prefix))
            .unwrap_or_else(|| panic!("a step {prefix:?} in {titles:#?}"))
    };
    let copy = at("Copy ");
    let drop = at("Drop the old documents");
    for during in [
        "idx_documents_type",
        "idx_documents_created",
        "idx_documents_status",
    ] {
        assert!(at(&format!("Create index {during}")) < copy, "{titles:#?}");
    }
    let slug = at("Create index idx_documents_slug");
    assert!(copy < slug && slug < drop, "{titles:#?}");
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Create index idx_documents_"))
            .count(),
        4
    );
}
