//! exec, fix and undo through the real binary: the preview, the refusals,
//! the undo file and what applying it gives back.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::path::{Path, PathBuf};

const TASK_COLUMNS: [&str; 7] = [
    "task_id",
    "task_type",
    "status",
    "payload",
    "created_at",
    "processed_at",
    "error",
];

fn demo(dir: &Path) -> PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "300"])
        .arg(&p)
        .assert()
        .success();
    p
}

/// Every value of documents and tasks, by rowid.
fn rows(p: &Path) -> (Vec<Row>, Vec<Row>) {
    (
        cells(p, "documents", &DOC_COLUMNS),
        cells(p, "tasks", &TASK_COLUMNS),
    )
}

fn undo_files(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|f| f.contains(".undo-"))
        .collect()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(out));
    })
}

#[test]
fn a_dry_run_shows_each_row_before_and_after_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let before = snapshot(&p);
    let n: i64 = scalar(
        &p,
        "SELECT count(*) FROM documents WHERE status <> 'archived'",
    );
    let sql = "UPDATE documents SET status = 'archived' WHERE status <> 'archived'";
    bin()
        .args(["exec", "--dry-run", "--sql", sql])
        .arg(&p)
        .assert()
        .success()
        .stdout_has(&format!("rows     {n}: documents {n} updated"))
        .stdout_has("status: 'draft' → 'archived'")
        .stdout_has("more row(s)")
        .stdout_has("dry run: nothing was written");
    let out = printed(&["exec", "--dry-run", "--json", "--sql", sql], &p, 0);
    let v = json(&out);
    assert_eq!(v["rows"], n);
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len() as i64, n, "every change");
    let first = &changes[0];
    assert_eq!(first["op"], "update");
    assert!(first["key"]["id"].is_string(), "{first}");
    assert_eq!(first["columns"][0]["column"], "status");
    assert_eq!(first["columns"][0]["after"], "archived");
    assert_eq!(snapshot(&p), before, "the store is exactly as before");
    assert_eq!(listing(dir.path()), ["s.sqlite"]);
}

#[test]
fn what_is_not_one_data_change_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let before = snapshot(&p);
    for (sql, says) in [
        ("DROP TABLE tasks", "DROP is not a data change"),
        ("CREATE TABLE x (a)", "CREATE is not"),
        ("ATTACH 'other.sqlite' AS o", "ATTACH is not"),
        ("PRAGMA user_version = 9", "PRAGMA is not"),
        ("VACUUM", "VACUUM is not"),
        ("BEGIN", "BEGIN is not"),
        ("SELECT * FROM documents", "SELECT is not"),
        (
            "DELETE FROM tasks; DELETE FROM documents",
            "several statements",
        ),
        ("DELETE FROM sqlite_master", "may not be modified"),
        ("UPDATE nowhere SET a = 1", "no such table"),
    ] {
        let out = bin()
            .args(["exec", "--yes", "--sql", sql])
            .arg(&p)
            .assert()
            .code(2)
            .stderr_has(says)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{sql}: one line: {err}");
        let out = printed(&["exec", "--yes", "--json", "--sql", sql], &p, 2);
        let v = json(&out);
        assert_eq!(v["ok"], false, "{sql}");
        assert!(v["error"]["kind"].is_string() && v["error"]["message"].is_string());
    }
    assert_eq!(snapshot(&p), before);
    assert_eq!(listing(dir.path()), ["s.sqlite"]);
}

#[test]
fn without_yes_it_asks_and_json_needs_yes() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let before = snapshot(&p);
    let sql = "DELETE FROM documents WHERE doc_type = 'note'";
    // No terminal to ask on: refused at once.
    bin()
        .args(["exec", "--sql", sql])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("pass --yes");
    let v = json(&printed(&["exec", "--json", "--sql", sql], &p, 2));
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("without --yes"),
        "{v}"
    );
    assert_eq!(snapshot(&p), before);
}

#[test]
fn a_committed_change_is_taken_back_by_undo_and_the_undo_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let original = rows(&p);
    let v = json(&printed(
        &[
            "exec",
            "--yes",
            "--json",
            "--sql",
            "UPDATE documents SET title = upper(title), tags = NULL WHERE doc_type = 'post'",
        ],
        &p,
        0,
    ));
    let n = v["rows"].as_i64().unwrap();
    assert!(n > 0);
    let undo = v["undo"].as_str().unwrap().to_string();
    assert!(Path::new(&undo).is_file(), "{undo}");
    let changed = rows(&p);
    assert!(changed != original);

    let list = json(&printed(&["undo", "--list", "--json"], &p, 0));
    assert_eq!(list[0]["command"], "exec");
    assert_eq!(list[0]["rows"], n);
    assert_eq!(list[0]["path"], undo.as_str());

    bin()
        .args(["undo", "--dry-run"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("change   undo")
        .stdout_has(&format!("documents {n} updated"));
    assert!(rows(&p) == changed, "a dry run writes nothing");

    bin()
        .args(["undo", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has(&format!("done: {n} row(s) changed"));
    assert!(rows(&p) == original, "every value as it was");
    // The applied file is spent; its own undo takes its place.
    let files = undo_files(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(!Path::new(&undo).exists() || files[0] != undo);

    bin().args(["undo", "--yes"]).arg(&p).assert().success();
    assert!(rows(&p) == changed, "the undo was itself undone");
}

#[test]
fn a_table_without_a_primary_key_is_recorded_by_rowid() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let original = rows(&p);
    let v = json(&printed(
        &[
            "exec",
            "--dry-run",
            "--json",
            "--sql",
            "UPDATE tasks SET task_type = 'probe' WHERE rowid IN (1, 2)",
        ],
        &p,
        0,
    ));
    assert_eq!(v["changes"][0]["key"]["rowid"], 1, "{v}");
    for sql in [
        "UPDATE tasks SET status = 'pending', error = NULL WHERE rowid % 3 = 0",
        "DELETE FROM tasks WHERE rowid % 5 = 0",
        "INSERT INTO tasks (task_id, status) VALUES ('new', 'pending')",
    ] {
        bin()
            .args(["exec", "--yes", "--sql", sql])
            .arg(&p)
            .assert()
            .success();
    }
    assert!(rows(&p) != original);
    for _ in 0..3 {
        bin().args(["undo", "--yes"]).arg(&p).assert().success();
        // Undoing an undo would go forward again: take the oldest back.
        let files = undo_files(dir.path());
        for f in files.iter().filter(|f| {
            let bytes = std::fs::read(dir.path().join(f)).unwrap();
            let head = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
            String::from_utf8_lossy(head).contains("\"command\":\"undo\"")
        }) {
            std::fs::remove_file(dir.path().join(f)).unwrap();
        }
    }
    assert!(rows(&p) == original, "every task row back, by rowid");
}

#[test]
fn a_row_changed_since_stops_the_undo_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    bin()
        .args([
            "exec",
            "--yes",
            "--sql",
            "UPDATE documents SET title = 'mine' WHERE rowid IN (5, 6)",
        ])
        .arg(&p)
        .assert()
        .success();
    let id: String = scalar(&p, "SELECT id FROM documents WHERE rowid = 6");
    exec(&p, "UPDATE documents SET title = 'theirs' WHERE rowid = 6");
    let before = snapshot(&p);
    let files = undo_files(dir.path());
    bin()
        .args(["undo", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("undo stopped, nothing was changed: 1 row(s) changed since")
        .stderr_has(&id);
    let v = json(&printed(&["undo", "--yes", "--json"], &p, 2));
    assert_eq!(v["error"]["kind"], "conflict");
    assert_eq!(snapshot(&p), before, "nothing changed");
    assert_eq!(undo_files(dir.path()), files, "the undo file stays");
}

#[test]
fn undo_with_nothing_to_undo_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    bin()
        .args(["undo", "--list"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("no undo files");
    bin()
        .args(["undo", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("nothing to undo");
    let bad = dir.path().join("s.sqlite.undo-bad");
    std::fs::write(&bad, b"garbage").unwrap();
    bin()
        .args(["undo", "--yes", "--file"])
        .arg(&bad)
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("not an undo file");
}

#[test]
fn fix_repairs_what_a_rule_can_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    exec(
        &p,
        "UPDATE documents SET title = CASE rowid % 2 WHEN 0 THEN NULL ELSE ' ' END, alias = 'alias ' || rowid
         WHERE rowid IN (SELECT rowid FROM documents WHERE doc_type = 'profile' LIMIT 4)",
    );
    let untitled = "SELECT count(*) FROM documents WHERE doc_type = 'profile'
                    AND (title IS NULL OR trim(title) = '') AND trim(coalesce(alias, '')) <> ''";
    let n: i64 = scalar(&p, untitled);
    assert!(n > 0, "the demo has profiles without a title");
    let before = snapshot(&p);
    // Findings that need a person remain: exit 1, listed.
    bin()
        .args(["fix", "--dry-run"])
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has(&format!("documents {n} updated"))
        .stdout_has("title: NULL → 'alias ")
        .stdout_has("left for a person");
    assert_eq!(snapshot(&p), before);
    let v = json(&printed(&["fix", "--yes", "--json"], &p, 1));
    assert_eq!(v["rows"], n);
    assert!(
        v["left"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "null-status")
    );
    assert_eq!(scalar::<i64>(&p, untitled), 0);
    assert_eq!(
        scalar::<i64>(
            &p,
            "SELECT count(*) FROM documents WHERE title = alias AND alias LIKE 'alias %'"
        ),
        n
    );
    // Undoable like any change.
    bin().args(["undo", "--yes"]).arg(&p).assert().success();
    assert_eq!(scalar::<i64>(&p, untitled), n);
    bin()
        .args(["fix", "--only", "invalid-json", "--dry-run"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("needs a person");
}

#[test]
fn fix_fills_null_doc_type_and_status_and_exits_0_when_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    exec(
        &p,
        "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT, doc_type TEXT, status TEXT);
         INSERT INTO documents VALUES ('a', 'A', NULL, 'draft'), ('b', 'B', 'note', NULL);",
    );
    bin()
        .args([
            "fix",
            "--yes",
            "--only",
            "null-doc-type",
            "--only",
            "null-status",
        ])
        .arg(&p)
        .assert()
        .code(0)
        .stdout_has("done: 2 row(s) changed");
    assert_eq!(
        scalar::<String>(
            &p,
            "SELECT doc_type || '/' || status FROM documents WHERE id = 'a'"
        ),
        "note/draft"
    );
    assert_eq!(
        scalar::<String>(
            &p,
            "SELECT doc_type || '/' || status FROM documents WHERE id = 'b'"
        ),
        "note/draft"
    );
}

#[test]
fn a_newer_store_a_read_only_one_and_a_locked_one_are_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let sql = "UPDATE documents SET status = 'draft'";
    exec(&p, "PRAGMA user_version = 4");
    let before = snapshot(&p);
    bin()
        .args(["exec", "--yes", "--sql", sql])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("newer store");
    exec(&p, "PRAGMA user_version = 3");
    let before3 = snapshot(&p);
    assert_ne!(before, before3);
    // Another process holds the write lock.
    let holder = open(&p);
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE tasks SET status = status;")
        .unwrap();
    bin()
        .args(["exec", "--yes", "--sql", sql])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("locked by another process");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(snapshot(&p), before3);
    assert_eq!(undo_files(dir.path()), Vec::<String>::new());
}

#[test]
fn a_recording_a_killed_process_left_is_removed_by_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let tmp = tempfile::tempdir().unwrap();
    // A process that is gone, as one killed with -9 mid-change would be.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let left = tmp
        .path()
        .join(format!("egregora-inspect-changes-{dead}-0"));
    let alive = tmp
        .path()
        .join(format!("egregora-inspect-changes-{}-0", std::process::id()));
    let other = tmp.path().join("egregora-inspect-changes-notes.txt");
    for f in [&left, &alive, &other] {
        std::fs::write(f, "x").unwrap();
    }
    bin()
        .env("TMPDIR", tmp.path())
        .args(["exec", "--dry-run", "--sql", "DELETE FROM tasks"])
        .arg(&p)
        .assert()
        .success();
    assert!(!left.exists(), "the dead process's recording is removed");
    assert!(alive.exists() && other.exists(), "nothing else is");
    assert_eq!(listing(tmp.path()).len(), 2, "and its own is gone too");
}

#[test]
fn deleted_documents_come_back_by_undo_at_their_rowids() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let original = rows(&p);
    bin()
        .args([
            "exec",
            "--yes",
            "--sql",
            "DELETE FROM documents WHERE rowid % 7 = 3 OR rowid > 290",
        ])
        .arg(&p)
        .assert()
        .success();
    let changed = rows(&p);
    assert!(changed.0.len() < original.0.len());
    bin().args(["undo", "--yes"]).arg(&p).assert().success();
    assert!(rows(&p) == original, "every row at its rowid, every value");
    bin().args(["undo", "--yes"]).arg(&p).assert().success();
    assert!(rows(&p) == changed, "the undo was itself undone");
}

#[test]
fn an_undo_file_of_the_first_format_is_still_applied_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let values = |p: &Path| {
        let mut v: Vec<_> = rows(p).0.into_iter().map(|(_, cells)| cells).collect();
        v.sort();
        v
    };
    let original = values(&p);
    let v = json(&printed(
        &[
            "exec",
            "--yes",
            "--json",
            "--sql",
            "DELETE FROM documents WHERE rowid % 3 = 0",
        ],
        &p,
        0,
    ));
    // What the format before rowids were kept wrote: the same change set,
    // without the records of where rows stood.
    let undo = PathBuf::from(v["undo"].as_str().unwrap());
    let bytes = std::fs::read(&undo).unwrap();
    let cut = bytes.iter().position(|b| *b == b'\n').unwrap();
    let head = String::from_utf8_lossy(&bytes[..cut]).replace("undo 2", "undo 1");
    let rest = &bytes[cut..];
    // Its header: 'T', 3 columns, their key flags, then the name.
    let name = b"sqlite_egregora_inspect_rowid";
    let at = rest
        .windows(name.len())
        .position(|w| w == name)
        .expect("where rows stood is kept");
    let keep = at - 5;
    assert_eq!(rest[keep], b'T');
    std::fs::write(&undo, [head.as_bytes(), &rest[..keep]].concat()).unwrap();
    bin().args(["undo", "--yes"]).arg(&p).assert().success();
    assert!(values(&p) == original, "every row back, by key");
}
