//! Helpers shared by the integration tests: real files in temp folders and
//! the real binary.
#![allow(dead_code)]

pub mod duck;
pub mod tmux;

use assert_cmd::Command;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub fn bin() -> Command {
    let mut c = Command::cargo_bin("egregora-inspect").expect("binary built");
    c.timeout(std::time::Duration::from_secs(60));
    c
}

pub fn bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_egregora-inspect"))
}

/// Every byte of the file and of any journal or WAL beside it.
pub fn snapshot(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        // Only regular files: reading a FIFO would block the test.
        if !std::fs::metadata(&p).is_ok_and(|m| m.is_file()) {
            continue;
        }
        if let Ok(b) = std::fs::read(&p) {
            out.push((suffix.to_string(), b));
        }
    }
    out
}

/// Files in `dir`, sorted: catches a stray backup, journal or new store.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

pub fn open(path: &Path) -> Connection {
    Connection::open(path).expect("open test store")
}

pub fn exec(path: &Path, sql: &str) {
    open(path).execute_batch(sql).expect("test SQL runs");
}

pub fn scalar<T: rusqlite::types::FromSql>(path: &Path, sql: &str) -> T {
    open(path)
        .query_row(sql, [], |r| r.get(0))
        .expect("test query runs")
}

/// (type, name) of every schema object but SQLite's own.
pub fn objects(path: &Path) -> Vec<(String, String)> {
    let c = open(path);
    let mut s = c
        .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// (name, declared type, notnull, pk) of each column, in order.
pub fn columns(path: &Path, table: &str) -> Vec<(String, String, bool, bool)> {
    let c = open(path);
    let mut s = c
        .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
        .unwrap();
    s.query_map([table], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, i64>(2)? != 0,
            r.get::<_, i64>(3)? > 0,
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

/// What the binary prints on stdout for `args` then `path`, exiting `code`.
pub fn printed(args: &[&str], path: &Path, code: i32) -> Vec<u8> {
    bin()
        .args(args)
        .arg(path)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone()
}

/// `args` then `path` run, exiting `code`, its stdout read as one JSON
/// document (`check --json`, a plan's `--dry-run --json`).
pub fn check_json(args: &[&str], path: &Path, code: i32) -> serde_json::Value {
    serde_json::from_slice(&printed(args, path, code)).expect("one JSON document on stdout")
}

/// A complete V3 store, made by the binary itself.
pub fn current_store(dir: &Path) -> PathBuf {
    let p = dir.join("v3.sqlite");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    p
}

/// The spec's documents columns, restated here on purpose: the tests check
/// the asset, so they must not read it.
pub const DOC_COLUMNS: [&str; 23] = [
    "id",
    "content",
    "created_at",
    "source_checksum",
    "title",
    "slug",
    "date",
    "summary",
    "authors",
    "tags",
    "status",
    "subject_uuid",
    "alias",
    "avatar_url",
    "interests",
    "filename",
    "mime_type",
    "media_type",
    "phash",
    "window_start",
    "window_end",
    "doc_type",
    "extensions",
];

/// An older documents table: no doc_type/status, no primary key, an extra
/// column, and `rows` rows with odd values (invalid UTF-8, a BLOB, NULLs,
/// one huge text).
pub fn old_documents(path: &Path, rows: u64) {
    exec(
        path,
        &format!(
            "CREATE TABLE documents (id TEXT, content TEXT, created_at TEXT, title TEXT, slug TEXT, tags TEXT, legacy_score INTEGER);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO documents (rowid, id, content, created_at, title, slug, tags, legacy_score)
             SELECT i * 3, 'doc-' || i,
               CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN CAST(x'41ff42fe' AS TEXT) WHEN 2 THEN x'00ff10' ELSE 'text ' || i END,
               CASE WHEN i % 7 = 0 THEN NULL ELSE '2024-01-' || printf('%02d', 1 + i % 28) || 'T10:00:00Z' END,
               CASE i % 3 WHEN 0 THEN '' WHEN 1 THEN 'Title ' || i ELSE NULL END,
               'slug-' || i,
               CASE i % 4 WHEN 0 THEN '[\"a\",\"b\"]' WHEN 1 THEN 'not json' ELSE NULL END,
               CASE WHEN i % 2 = 0 THEN i ELSE NULL END
             FROM n;
             UPDATE documents SET content = printf('%.*c', 2000000, 'x') WHERE id = 'doc-4';"
        ),
    );
}

/// A row as stored: its rowid, and each value's storage class and bytes.
pub type Row = (i64, Vec<(String, Option<Vec<u8>>)>);

/// (rowid, typeof, bytes) of every value of `cols`, in rowid order.
pub fn cells(path: &Path, table: &str, cols: &[&str]) -> Vec<Row> {
    let c = open(path);
    let sel: Vec<String> = cols
        .iter()
        .map(|c| format!("typeof(\"{c}\"), CAST(\"{c}\" AS BLOB)"))
        .collect();
    let mut s = c
        .prepare(&format!(
            "SELECT rowid, {} FROM \"{table}\" ORDER BY rowid",
            sel.join(", ")
        ))
        .unwrap();
    s.query_map([], |r| {
        let mut v = Vec::new();
        for i in 0..cols.len() {
            v.push((
                r.get::<_, String>(1 + 2 * i)?,
                r.get::<_, Option<Vec<u8>>>(2 + 2 * i)?,
            ));
        }
        Ok((r.get(0)?, v))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

/// Substring checks on a command's output, with the output in the message.
pub trait OutputHas: Sized {
    fn stdout_has(self, s: &str) -> Self;
    fn stdout_lacks(self, s: &str) -> Self;
    fn stderr_has(self, s: &str) -> Self;
}

impl OutputHas for assert_cmd::assert::Assert {
    fn stdout_has(self, s: &str) -> Self {
        let out = String::from_utf8_lossy(&self.get_output().stdout).into_owned();
        assert!(out.contains(s), "stdout lacks {s:?}:\n{out}");
        self
    }
    fn stdout_lacks(self, s: &str) -> Self {
        let out = String::from_utf8_lossy(&self.get_output().stdout).into_owned();
        assert!(!out.contains(s), "stdout has {s:?}:\n{out}");
        self
    }
    fn stderr_has(self, s: &str) -> Self {
        let err = String::from_utf8_lossy(&self.get_output().stderr).into_owned();
        assert!(err.contains(s), "stderr lacks {s:?}:\n{err}");
        self
    }
}

/// `big.sqlite` in `dir`: 300,000 documents, the demo's 1,000 each 300
/// times under new ids (made in SQL: the demo's own writer is slower in a
/// debug build).
pub fn demo_300k(dir: &Path) -> PathBuf {
    let big = dir.join("big.sqlite");
    bin()
        .args(["demo", "--docs", "1000"])
        .arg(&big)
        .assert()
        .success();
    let cols: Vec<String> = columns(&big, "documents")
        .into_iter()
        .map(|c| format!("\"{}\"", c.0))
        .filter(|c| c != "\"id\"")
        .collect();
    exec(
        &big,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
             INSERT INTO documents (id, {c}) SELECT id || '-' || i, {c} FROM documents, n",
            c = cols.join(", ")
        ),
    );
    big
}
