//! `query` through the real binary: read-only by construction, streamed in
//! every format, clean errors, and a runaway statement stopped by a signal.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn demo(docs: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    bin()
        .args(["demo", "--docs", &docs.to_string()])
        .arg(&p)
        .assert()
        .success();
    (dir, p)
}

fn query(p: &std::path::Path, sql: &str, format: &str) -> assert_cmd::assert::Assert {
    bin()
        .arg("query")
        .arg(p)
        .args(["--sql", sql, "--format", format])
        .assert()
}

/// What a statement that runs prints, as text.
fn printed(p: &std::path::Path, sql: &str, format: &str) -> String {
    let out = query(p, sql, format).success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// What a statement that fails says on stderr.
fn refused(p: &std::path::Path, sql: &str) -> String {
    let err = query(p, sql, "csv").code(2).get_output().stderr.clone();
    String::from_utf8(err).unwrap()
}

#[test]
fn writes_attach_and_setting_pragmas_are_refused_and_the_file_is_unchanged() {
    let (dir, p) = demo(40);
    let before = snapshot(&p);
    let files = listing(dir.path());
    let outside = dir.path().join("copy.sqlite");
    for (sql, why) in [
        ("DELETE FROM documents", "DELETE from documents writes"),
        (
            "UPDATE documents SET title = 'x'",
            "UPDATE of documents writes",
        ),
        (
            "INSERT INTO tasks (task_id) VALUES ('t')",
            "INSERT into tasks writes",
        ),
        ("DROP TABLE messages", "changes the schema"),
        ("CREATE INDEX i ON documents(title)", "changes the schema"),
        (
            &format!("ATTACH '{}' AS x", outside.display()),
            "ATTACH and DETACH",
        ),
        ("PRAGMA user_version = 9", "PRAGMA user_version may change"),
        ("PRAGMA query_only = OFF", "PRAGMA query_only may change"),
        ("SELECT load_extension('/tmp/x.so')", "loading an extension"),
        (&format!("VACUUM INTO '{}'", outside.display()), "refused"),
        ("BEGIN IMMEDIATE", "each statement reads on its own"),
    ] {
        let out = query(&p, sql, "csv").code(2).get_output().clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{sql}: {err}");
        assert_eq!(err.lines().count(), 1, "{sql}: one line: {err}");
        assert!(out.stdout.is_empty(), "{sql}: nothing on stdout");
    }
    assert!(snapshot(&p) == before, "the store's bytes are unchanged");
    assert_eq!(listing(dir.path()), files, "no file was made");
}

#[test]
fn rows_stream_in_every_format_with_the_value_rules() {
    let (_dir, p) = demo(5);
    let sql = "SELECT 1 AS i, 2.5 AS r, NULL AS n, 'a,\"b\"' AS t, x'00ff' AS b, \
               CAST(x'c328' AS TEXT) AS bad";
    assert_eq!(
        printed(&p, sql, "ndjson"),
        "{\"i\":1,\"r\":2.5,\"n\":null,\"t\":\"a,\\\"b\\\"\",\"b\":{\"$hex\":\"00ff\"},\"bad\":{\"$hex\":\"c328\"}}\n"
    );
    let v: serde_json::Value = serde_json::from_str(&printed(&p, sql, "json")).unwrap();
    assert_eq!(v[0]["r"], 2.5);
    assert_eq!(
        printed(&p, "SELECT 'a,\"b\"' AS t, NULL AS n", "csv"),
        "t,n\r\n\"a,\"\"b\"\"\",\r\n"
    );
    // A table escapes what would drive the terminal.
    let s = printed(
        &p,
        "SELECT 'x' || char(27) || ']0;owned' || char(7) AS t",
        "table",
    );
    assert!(s.contains("x\\x1b]0;owned\\x07"), "{s}");
    assert!(!s.contains('\x1b'));
    // stdin, and the count of the demo's documents.
    let out = bin()
        .arg("query")
        .arg(&p)
        .args(["--sql", "-", "--format", "csv"])
        .write_stdin("SELECT count(*) AS n FROM documents;\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), "n\r\n5\r\n");
}

#[test]
fn sql_errors_are_one_escaped_line_with_the_position() {
    let (_dir, p) = demo(5);
    assert_eq!(
        refused(&p, "SELECT id FORM documents"),
        "error: near \"documents\": syntax error (at character 16)\n"
    );
    let err = refused(&p, "SELECT \"\x1b[31m\" FROM nowhere");
    assert!(err.contains("no such table: nowhere"), "{err}");
    assert!(!err.contains('\x1b'), "escaped: {err}");
    assert!(refused(&p, "SELECT 1; SELECT 2").contains("one statement at a time"));
    // More columns than SQLite allows in a result is its own clean error.
    let cols = vec!["1"; 40_000].join(", ");
    let err = refused(&p, &format!("SELECT {cols}"));
    assert!(err.contains("too many columns"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn a_runaway_statement_stops_on_sigint_or_sigterm() {
    let (_dir, p) = demo(5);
    use rustix::process::{Pid, Signal, kill_process};
    for signal in [Signal::INT, Signal::TERM] {
        let mut child = std::process::Command::new(bin_path())
            .arg("query")
            .arg(&p)
            .args([
                "--sql",
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) \
                 SELECT count(*) FROM n",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        assert!(child.try_wait().unwrap().is_none(), "still running");
        let sent = Instant::now();
        kill_process(Pid::from_raw(child.id() as i32).unwrap(), signal).unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(sent.elapsed() < Duration::from_secs(10), "stopped at once");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(2));
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(
            err,
            "error: query stopped; the store was only read and is unchanged\n"
        );
    }
}
