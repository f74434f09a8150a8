//! diff OLD NEW through the real binary: rows only on one side, rows
//! changed column by column, tables and columns on one side, exit codes.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::path::{Path, PathBuf};

fn demo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    bin()
        .args(["demo", "--docs", "300"])
        .arg(&p)
        .assert()
        .success();
    p
}

fn diff(a: &Path, b: &Path, extra: &[&str], code: i32) -> assert_cmd::assert::Assert {
    bin()
        .arg("diff")
        .arg(a)
        .arg(b)
        .args(extra)
        .assert()
        .code(code)
}

#[test]
fn a_store_and_its_copy_are_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(dir.path(), "a.sqlite");
    let b = dir.path().join("b.sqlite");
    std::fs::copy(&a, &b).unwrap();
    diff(&a, &b, &[], 0)
        .stdout_has("documents: same rows")
        .stdout_has("tasks: same rows")
        .stdout_has("same: every table");
    let out = diff(&a, &b, &["--json"], 0).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["same"], true);
    assert_eq!(v["tables"][0]["key"][0], "id");
}

#[test]
fn rows_only_in_one_store_and_changed_rows_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(dir.path(), "a.sqlite");
    let b = dir.path().join("b.sqlite");
    std::fs::copy(&a, &b).unwrap();
    let gone: String = scalar(&b, "SELECT id FROM documents WHERE rowid = 7");
    let moved: String = scalar(&b, "SELECT id FROM documents WHERE rowid = 9");
    exec(
        &b,
        "DELETE FROM documents WHERE rowid = 7;
         UPDATE documents SET title = 'new title', status = 'archived' WHERE rowid = 9;
         INSERT INTO documents (id, status, doc_type) VALUES ('brand-new', 'draft', 'note');
         DELETE FROM tasks WHERE rowid = 3;
         ALTER TABLE messages ADD COLUMN extra TEXT;
         CREATE TABLE only_new (a);",
    );
    diff(&a, &b, &[], 1)
        .stdout_has(
            "documents (by id): 1 only in old, 1 only in new, 1 changed (columns title, status)",
        )
        .stdout_has(&format!("only in old  id='{gone}'"))
        .stdout_has(&format!("changed      id='{moved}'"))
        .stdout_has("title: ")
        .stdout_has("→ 'new title'")
        .stdout_has("only in new  id='brand-new'")
        .stdout_has("tasks (by rowid): 1 only in old")
        .stdout_has("messages: column extra only in new")
        .stdout_has("only_new: only in new");
    let out = diff(&a, &b, &["--json", "--table", "documents"], 1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "only the table asked for");
    let d = &tables[0];
    assert_eq!(
        (
            d["only_old"].as_i64(),
            d["only_new"].as_i64(),
            d["changed"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let changed = d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "changed")
        .unwrap();
    assert_eq!(changed["key"]["id"], moved.as_str());
    let status = changed["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "status")
        .unwrap();
    assert_eq!(status["after"], "archived");
    // Reversed, the sides swap.
    diff(&b, &a, &["--table", "documents"], 1)
        .stdout_has("1 only in old, 1 only in new, 1 changed");
}

#[test]
fn a_store_and_its_backup_differ_by_what_a_change_did() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(dir.path(), "a.sqlite");
    let backup = dir.path().join("a.sqlite.bak");
    std::fs::copy(&a, &backup).unwrap();
    let n: i64 = scalar(&a, "SELECT count(*) FROM documents WHERE doc_type = 'note'");
    bin()
        .args([
            "exec",
            "--yes",
            "--sql",
            "UPDATE documents SET status = 'x' WHERE doc_type = 'note'",
        ])
        .arg(&a)
        .assert()
        .success();
    diff(&backup, &a, &[], 1).stdout_has(&format!(
        "0 only in old, 0 only in new, {n} changed (columns status)"
    ));
    bin().args(["undo", "--yes"]).arg(&a).assert().success();
    diff(&backup, &a, &[], 0);
}

#[test]
fn bad_input_exits_2_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo(dir.path(), "a.sqlite");
    let missing = dir.path().join("missing.sqlite");
    diff(&a, &missing, &[], 2).stderr_has("no store at");
    let out = diff(&a, &missing, &["--json"], 2)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["ok"], false);
    diff(&a, dir.path(), &[], 2).stderr_has("folder");
    diff(&a, &a, &["--table", "nope"], 2).stderr_has("no table nope in either store");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    diff(&a, &text, &[], 2);
}
