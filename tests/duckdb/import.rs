//! `import SOURCE.duckdb [DEST]` (DESIGN §9): a new V3 store holding every
//! row of every table in the V3 conventions, the source and its .wal
//! untouched, nothing left behind when refused or stopped.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::duck;
use common::{OutputHas, bin, listing, scalar};
use rusqlite::types::Value;
use std::io::Read;
use std::process::Stdio;

fn row(path: &std::path::Path, sql: &str) -> Vec<Value> {
    let c = common::open(path);
    let mut s = c.prepare(sql).unwrap();
    let n = s.column_count();
    s.query_row([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn every_row_arrives_in_the_v3_conventions_and_the_source_is_untouched() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let before = duck::bytes(&db);
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .assert()
        .success()
        .stdout_has("verified value for value");
    let dest = dir.path().join("pipeline.sqlite");
    assert_eq!(scalar::<i64>(&dest, "PRAGMA user_version"), 3);
    // Pages of 8 KiB, where a documents row is most of a KiB.
    assert_eq!(scalar::<i64>(&dest, "PRAGMA page_size"), 8192);
    assert_eq!(
        row(
            &dest,
            "SELECT created_at, date, authors, tags, interests, extensions, status, doc_type FROM documents WHERE id = 'hello-world'"
        ),
        vec![
            text("2026-01-02T01:04:05.123456Z"),
            text("2026-01-02"),
            text(r#"["a1b2c3d4","e5f6"]"#),
            text(r#"["tag one"]"#),
            Value::Null,
            Value::Null,
            text("published"),
            text("post"),
        ]
    );
    assert_eq!(
        row(
            &dest,
            "SELECT window_end, extensions FROM documents WHERE id IN ('j1', 'an2') ORDER BY id DESC"
        ),
        vec![text("2026-01-07T23:59:59.500000Z"), Value::Null]
    );
    assert_eq!(
        row(&dest, "SELECT extensions FROM documents WHERE id = 'an2'"),
        vec![text(r#"{"parent_id": "hello-world"}"#)]
    );
    assert_eq!(
        row(
            &dest,
            "SELECT task_id, payload, processed_at FROM tasks ORDER BY task_id LIMIT 1"
        ),
        vec![
            text("00000000-0000-4000-8000-000000000001"),
            text(r#"{"url": "https://x"}"#),
            Value::Null
        ]
    );
    assert_eq!(
        row(&dest, "SELECT attrs, ts FROM messages"),
        vec![
            text(r#"{"k": [1, 2]}"#),
            text("2026-01-01T10:00:00.000000Z")
        ]
    );
    assert_eq!(
        row(&dest, "SELECT content, metadata FROM asset_cache"),
        vec![Value::Blob(vec![0, 0xff, 0x10]), text(r#"{"w": 3}"#)]
    );
    assert_eq!(
        row(&dest, "SELECT is_tag, is_remote FROM git_refs"),
        vec![Value::Integer(0), Value::Integer(1)]
    );
    assert_eq!(
        row(&dest, "SELECT rating, comparisons FROM elo_ratings"),
        vec![Value::Real(1512.5), Value::Integer(3)]
    );
    for (table, n) in [
        ("documents", 6),
        ("tasks", 2),
        ("messages", 1),
        ("annotations", 1),
        ("comparison_history", 0),
    ] {
        assert_eq!(
            scalar::<i64>(&dest, &format!("SELECT count(*) FROM {table}")),
            n,
            "{table}"
        );
    }
    // The V3 tables are whole: no error about their shape or indexes.
    let out = common::printed(&["check", "--json"], &dest, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let errors: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        duck::bytes(&db),
        before,
        "the source and its .wal are untouched"
    );
}

#[test]
fn the_plan_comes_first_and_nothing_is_written_without_a_yes() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", duck::ROWS);
    let files = listing(dir.path());
    bin()
        .args(["import", "--dry-run"])
        .arg(&db)
        .assert()
        .success()
        .stdout_has("documents                    6 rows  in the spec's shape")
        .stdout_has("asset_cache                  1 rows  with its own columns")
        .stdout_has("space: about")
        .stdout_has("dry run: nothing was written");
    let out = common::printed(&["import", "--dry-run", "--json"], &db, 0);
    let plan: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(plan["tables"][0]["name"], "documents");
    assert_eq!(plan["tables"][0]["rows"], 6);
    assert!(plan["dest"].as_str().unwrap().ends_with("p.sqlite"));
    let out = bin()
        .args(["import", "--json"])
        .arg(&db)
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let err: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(err["ok"], false);
    assert_eq!(listing(dir.path()), files, "nothing written");
}

#[test]
fn an_existing_dest_or_a_non_duckdb_source_is_refused() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "p.duckdb", "");
    let dest = dir.path().join("taken.sqlite");
    std::fs::write(&dest, b"keep me").unwrap();
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&dest)
        .assert()
        .code(2)
        .stderr_has("exists: import writes a new store and never over a file");
    assert_eq!(std::fs::read(&dest).unwrap(), b"keep me");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(dir.path().join("no/such/folder.sqlite"))
        .assert()
        .code(2)
        .stderr_has("its folder does not exist");
    bin()
        .args(["import", "--yes"])
        .arg(&dest)
        .assert()
        .code(2)
        .stderr_has("not a DuckDB store");
}

#[test]
fn sigterm_stops_the_import_and_removes_the_partial_store() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(
        &shell,
        dir.path(),
        "big.duckdb",
        "INSERT INTO documents (id, content, status, doc_type, tags)
           SELECT 'd' || i, repeat('x', 200), 'draft', 'note', ['a', 'b'] FROM range(400000) t(i);",
    );
    let before = duck::bytes(&db);
    let files = listing(dir.path());
    let mut child = std::process::Command::new(common::bin_path())
        .args(["import", "--yes"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the copy to start, then stop it as a terminal's kill would.
    let mut err = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains("copying documents") {
        let n = err.read(&mut buf).unwrap();
        assert!(n > 0, "import ended before copying");
        seen.extend_from_slice(&buf[..n]);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    err.read_to_end(&mut seen).unwrap();
    let status = child.wait().unwrap();
    let said = String::from_utf8_lossy(&seen);
    assert_eq!(status.code(), Some(2), "{said}");
    assert!(said.contains("cancelled: no store was written"), "{said}");
    assert_eq!(listing(dir.path()), files, "no DEST, no partial file");
    assert_eq!(duck::bytes(&db), before);
    // No shell was left reading it: a writer can open it again.
    duck::run(&shell, &db, "SELECT 1;");
}

#[test]
fn an_imported_store_knows_its_upstream_tables() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let dest = dir.path().join("copy.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&dest)
        .assert()
        .success();
    // Not a snapshot (no sidecar): the store itself says where it came from.
    assert!(!egregora_inspect::store::duckdb::snapshot::is_snapshot(
        &dest
    ));
    let doc = common::check_json(&["check", "--json"], &dest, 0);
    assert_eq!(doc["state"], "current", "{doc:#}");
    let kind = |name: &str| {
        doc["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| o["kind"].clone())
    };
    assert_eq!(kind("annotations"), Some("upstream".into()), "{doc:#}");
    assert_eq!(kind("git_refs"), Some("upstream".into()), "{doc:#}");
    let legacy: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"] == "annotations")
        .collect();
    assert!(legacy.is_empty(), "{legacy:#?}");
    // The same table in a store init made is V2's leftover, as before.
    let plain = dir.path().join("plain.sqlite");
    bin()
        .arg("init")
        .arg("--yes")
        .arg(&plain)
        .assert()
        .success();
    common::exec(&plain, "CREATE TABLE annotations (id TEXT)");
    let doc = common::check_json(&["check", "--json"], &plain, 1);
    let found = doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "annotations")
        .map(|o| o["kind"].clone());
    assert_eq!(found, Some("legacy".into()), "{doc:#}");
}

#[test]
fn a_partial_store_left_by_a_killed_import_is_removed_by_the_next() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    // One left by a process that is gone, one by a process still running.
    let mut live = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let stale = dir.path().join(".pipeline.sqlite.importing-999999999");
    let held = dir
        .path()
        .join(format!(".pipeline.sqlite.importing-{}", live.id()));
    let other = dir.path().join(".other.sqlite.importing-999999999");
    for p in [&stale, &held, &other] {
        std::fs::write(p, b"partial").unwrap();
    }
    bin().args(["import", "--yes"]).arg(&db).assert().success();
    assert!(!stale.exists(), "a gone process's partial store is removed");
    assert!(held.exists(), "a running import's partial store is kept");
    assert!(
        other.exists(),
        "another DEST's partial store is not this import's to judge"
    );
    live.kill().unwrap();
    live.wait().unwrap();
}

#[test]
fn text_of_every_shape_arrives_whole_across_blocks_and_shell_runs() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Past one run of the shell (50,000 rows) and many blocks of output:
    // quotes, separators, newlines and `NULL` as text, NULL, and bytes.
    let db = duck::store(
        &shell,
        dir.path(),
        "p.duckdb",
        "INSERT INTO documents (id, content, title, summary, status, doc_type)
           SELECT 'd' || i, 'it''s, ' || i || E'\\n''line two'' ' || repeat('é', i % 50),
                  CASE WHEN i % 3 = 0 THEN 'NULL' END, CASE WHEN i % 7 = 0 THEN '' END,
                  'draft', 'note' FROM range(60000) t(i);
         CREATE TABLE \"it's \"\"odd\"\"\" (n BIGINT, r DOUBLE, b BLOB, t VARCHAR);
         INSERT INTO \"it's \"\"odd\"\"\" VALUES (-9223372036854775808, 0.1::DOUBLE + 0.2::DOUBLE, '\\xAB\\x27'::BLOB, ''''),
           (9223372036854775807, -1e300, ''::BLOB, ','), (NULL, NULL, NULL, NULL);",
    );
    let dest = dir.path().join("copy.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&dest)
        .assert()
        .success()
        .stdout_has("60003 rows");
    assert_eq!(
        row(
            &dest,
            "SELECT count(*), sum(content = 'it''s, ' || substr(id, 2) || char(10) || '''line two'' ' \
             || substr(replace(hex(zeroblob(50)), '00', 'é'), 1, CAST(substr(id, 2) AS INTEGER) % 50)), \
             sum(title IS NULL), sum(title = 'NULL'), sum(summary = ''), sum(summary IS NULL) FROM documents"
        ),
        [60000, 60000, 40000, 20000, 8572, 51428].map(Value::Integer)
    );
    let odd = |rowid: i64| {
        row(
            &dest,
            &format!(
                "SELECT n, r = 0.1 + 0.2 OR r = -1e300, typeof(b), hex(b), t \
                 FROM \"it's \"\"odd\"\"\" WHERE rowid = {rowid}"
            ),
        )
    };
    for (rowid, want) in [
        (
            1,
            [
                Value::Integer(i64::MIN),
                Value::Integer(1),
                text("blob"),
                text("AB27"),
                text("'"),
            ],
        ),
        (
            2,
            [
                Value::Integer(i64::MAX),
                Value::Integer(1),
                text("blob"),
                text(""),
                text(","),
            ],
        ),
        (
            3,
            [
                Value::Null,
                Value::Null,
                text("null"),
                text(""),
                Value::Null,
            ],
        ),
    ] {
        assert_eq!(odd(rowid), want, "row {rowid}");
    }
}

#[test]
fn a_value_sqlite_would_store_otherwise_stops_the_import_and_leaves_no_store() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A title that is a DOUBLE: the V3 column is TEXT, and SQLite would
    // keep 1.5 as '1.5', another value than the source's.
    let db = dir.path().join("odd.duckdb");
    duck::run(
        &shell,
        &db,
        "CREATE TABLE documents (id VARCHAR PRIMARY KEY, title DOUBLE, status VARCHAR, doc_type VARCHAR);
         INSERT INTO documents SELECT 'd' || i, CASE WHEN i = 777 THEN 1.5 END, 'draft', 'note' FROM range(1000) t(i);",
    );
    let dest = dir.path().join("copy.sqlite");
    bin()
        .args(["import", "--yes"])
        .arg(&db)
        .arg(&dest)
        .assert()
        .code(2)
        .stderr_has("a row of documents in the new store differs from the source");
    assert!(!dest.exists(), "no store was written");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "nothing but the source: {left:?}");
}
