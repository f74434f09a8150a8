//! `check` on upstream's DuckDB store (DESIGN §9), made by the duckdb shell
//! from upstream's own DDL: its shape through the type map, upstream's
//! tables as upstream's, the data checks with SQLite's codes, and one clean
//! line for each way the file cannot be read.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::duck;
use common::{OutputHas, bin};
use serde_json::Value;
use std::process::{Command, Stdio};

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("check --json prints JSON")
}

#[test]
fn a_fresh_upstream_store_is_current_with_its_tables_listed_as_upstreams() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let before = duck::bytes(&db);
    let out = bin()
        .args(["check", "--json"])
        .arg(&db)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc = json(&out);
    assert_eq!(doc["state"], "current", "{doc:#}");
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["file"]["format"], "duckdb");
    assert_eq!(doc["file"]["storage_version"], 64);
    let class = |name: &str| {
        doc["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| (o["kind"].clone(), o["rows"].clone()))
    };
    assert_eq!(class("annotations"), Some(("upstream".into(), 1.into())));
    assert_eq!(class("asset_cache"), Some(("upstream".into(), 1.into())));
    assert_eq!(class("documents"), Some(("v3".into(), 6.into())));
    let findings = doc["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["code"] != "legacy-object" && f["code"] != "type-mismatch"),
        "{findings:#?}"
    );
    bin()
        .arg("check")
        .arg(&db)
        .assert()
        .code(0)
        .stdout_has("egregora's DuckDB store (written by DuckDB 1.5.6, storage version 64)")
        .stdout_has("annotations")
        .stdout_lacks("legacy");
    assert_eq!(
        duck::bytes(&db),
        before,
        "check never writes the DuckDB file"
    );
}

#[test]
fn a_missing_column_or_index_is_a_finding() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(
        &shell,
        dir.path(),
        "old.duckdb",
        "DROP INDEX idx_documents_slug; DROP INDEX idx_messages_pk; DROP INDEX idx_messages_ts;
         DROP INDEX idx_messages_thread; DROP INDEX idx_messages_author;
         ALTER TABLE messages DROP COLUMN pii_flags;",
    );
    let doc = json(&common::printed(&["check", "--json"], &db, 1));
    let codes: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["object"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(codes.contains(&("missing-index".into(), "idx_documents_slug".into())));
    assert!(codes.contains(&("missing-column".into(), "messages.pii_flags".into())));
    assert_eq!(doc["state"], "needs-init");
}

#[test]
fn data_checks_give_the_codes_counts_and_ids_of_sqlite() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Rows upstream's CHECKs let through: a media document without
    // media_type, a doc_type outside the set, a note without status.
    let db = duck::store(
        &shell,
        dir.path(),
        "p.duckdb",
        &format!(
            "{}
            INSERT INTO documents (id, filename, status, doc_type) VALUES ('m2', 'x.bin', 'published', 'media');
            INSERT INTO documents (id, status, doc_type) VALUES ('w1', 'draft', 'weird');
            INSERT INTO documents (id, doc_type) VALUES ('n1', 'note');",
            duck::ROWS
        ),
    );
    let doc = json(&common::printed(&["check", "--json", "--data"], &db, 1));
    let data = doc["data_checks"].as_array().unwrap();
    let find = |code: &str| {
        data.iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code}: {data:#?}"))
    };
    let media = find("invalid-media-type");
    assert_eq!(media["count"], 1);
    assert_eq!(media["ids"], serde_json::json!(["m2"]));
    assert!(
        media["message"]
            .as_str()
            .unwrap()
            .contains("upstream's CHECK lets it pass")
    );
    assert_eq!(find("unknown-doc-type")["ids"], serde_json::json!(["w1"]));
    assert_eq!(find("null-status")["ids"], serde_json::json!(["n1"]));
    assert_eq!(find("null-status")["severity"], "error");

    // The same rows in SQLite (import keeps every value but fills the
    // NULL status, as init does) give the same findings.
    let copy = dir.path().join("p.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&copy)
        .assert()
        .success();
    let sqlite = json(&common::printed(&["check", "--json", "--data"], &copy, 1));
    for code in ["invalid-media-type", "unknown-doc-type"] {
        let s = sqlite["data_checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .unwrap();
        let d = find(code);
        assert_eq!(
            (&s["count"], &s["ids"], &s["rule"]),
            (&d["count"], &d["ids"], &d["rule"])
        );
    }
}

#[test]
fn an_empty_documents_beside_full_upstream_tables_is_said_as_such() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(
        &shell,
        dir.path(),
        "p.duckdb",
        "INSERT INTO messages (event_id, text) VALUES ('e1', 'hi'), ('e2', 'yo');
         INSERT INTO tasks (task_id, task_type, status) VALUES (uuid(), 'enrich_url', 'pending');
         CREATE TABLE annotations_new AS SELECT * FROM annotations;",
    );
    let out = common::printed(&["check"], &db, 1);
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("documents is empty beside messages (2 rows), tasks (1 rows)"),
        "{text}"
    );
    assert!(!text.contains("no-store"), "{text}");
    assert!(
        text.contains("leftover table annotations_new"),
        "annotations_new is a leftover: {text}"
    );
}

#[test]
fn without_a_shell_one_line_says_how_to_get_one() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", "");
    let out = bin()
        .env("PATH", "")
        .env_remove("EGREGORA_INSPECT_DUCKDB")
        .args(["check", "--json"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr_has("pip install duckdb-cli")
        .get_output()
        .clone();
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    assert_eq!(json(&out.stdout)["error"]["kind"], "no-duckdb-shell");
    bin()
        .env("EGREGORA_INSPECT_DUCKDB", dir.path().join("no-such-shell"))
        .arg("check")
        .arg(&db)
        .assert()
        .code(2)
        .stderr_has("EGREGORA_INSPECT_DUCKDB names ")
        .stderr_has("which is not an executable file");
}

#[test]
fn a_file_held_by_a_writer_names_its_process_never_corrupt() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", duck::ROWS);
    // A shell waiting on its input holds the file read-write, as the
    // pipeline does while it runs.
    let mut writer = Command::new(&shell)
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let out = bin()
        .args(["check", "--json"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr_has("is held by process ")
        .stderr_has("(duckdb)")
        .get_output()
        .clone();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", writer.id())])
        .status();
    let _ = writer.wait();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("corrupt"), "{err}");
    assert_eq!(json(&out.stdout)["error"]["kind"], "held");
}

#[test]
fn a_file_newer_than_the_shell_names_both_versions() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", "");
    // Storage version 69 (a DuckDB 2 file), the header's checksum redone.
    let mut b = std::fs::read(&db).unwrap();
    b[12..20].copy_from_slice(&69u64.to_le_bytes());
    b[52..58].copy_from_slice(b"v2.0.0");
    let mut sum: u64 = 5381;
    for w in b[8..4096].chunks(8) {
        sum ^= u64::from_le_bytes(w.try_into().unwrap()).wrapping_mul(0xbf58476d1ce4e5b9);
    }
    b[0..8].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(&db, b).unwrap();
    bin()
        .arg("check")
        .arg(&db)
        .assert()
        .code(2)
        .stderr_has("written by DuckDB v2.0.0 (storage version 69)")
        .stderr_has("duckdb shell here (v1.5.6, which reads storage versions 64 to 68)");
}

#[test]
fn a_leftover_wal_is_read_and_never_replayed_into_the_file() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", "");
    // A writer that stops without a checkpoint leaves its rows in the .wal.
    duck::run(
        &shell,
        &db,
        "PRAGMA disable_checkpoint_on_shutdown; SET checkpoint_threshold = '1GB';
         INSERT INTO documents (id, status, doc_type) VALUES ('in-wal', 'draft', 'note');",
    );
    let before = duck::bytes(&db);
    assert!(!before[1].is_empty(), "the test leaves a .wal");
    bin()
        .arg("check")
        .arg(&db)
        .assert()
        .code(0)
        .stdout_has("a leftover .wal beside it is read")
        .stdout_has("1 rows");
    assert_eq!(duck::bytes(&db), before, "neither file changed");
}

use std::os::unix::process::CommandExt;

#[test]
fn data_checks_read_a_table_keyed_by_an_integer_in_any_order() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    // An integer key is SQLite's rowid in the scratch copy: its rows take
    // their keys' rowids, out of order, and are still compared one by one.
    let db = dir.path().join("keyed.duckdb");
    duck::run(
        &shell,
        &db,
        "CREATE TABLE documents (id VARCHAR PRIMARY KEY, status VARCHAR, doc_type VARCHAR);
         INSERT INTO documents VALUES ('d1', 'draft', 'note');
         CREATE TABLE tasks (task_id BIGINT PRIMARY KEY, task_type VARCHAR, status VARCHAR, error VARCHAR);
         INSERT INTO tasks VALUES (9, 'enrich_url', 'failed', 'timeout'), (3, 'enrich_url', 'completed', NULL),
           (-5, 'enrich_url', 'failed', 'it''s, gone');",
    );
    let out = bin()
        .args(["check", "--json", "--data"])
        .arg(&db)
        .output()
        .unwrap();
    let doc = json(&out.stdout);
    assert_ne!(out.status.code(), Some(2), "{doc:#}");
    let tasks = doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "tasks")
        .map(|o| o["rows"].clone());
    assert_eq!(tasks, Some(3.into()), "{doc:#}");
    assert!(doc["data_checks"].is_array(), "{doc:#}");
}
