//! A store with a hot journal (an interrupted write) is read from a private
//! copy of the file and its journal, rolled back in a temporary folder; the
//! file and its journal are left exactly as they were, and every report
//! says what is shown.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;

/// A store and its journal as a crash mid-write leaves them: the file
/// holds changed pages, the journal the originals.
fn crashed(dir: &std::path::Path) -> std::path::PathBuf {
    let src = dir.join("src.sqlite");
    bin()
        .args(["demo", "--docs", "2000"])
        .arg(&src)
        .assert()
        .success();
    let writer = open(&src);
    writer
        .execute_batch("PRAGMA cache_size = 1; BEGIN; UPDATE documents SET title = 'changed';")
        .unwrap();
    let p = dir.join("crashed.sqlite");
    std::fs::copy(&src, &p).unwrap();
    std::fs::copy(
        dir.join("src.sqlite-journal"),
        dir.join("crashed.sqlite-journal"),
    )
    .unwrap();
    writer.execute_batch("ROLLBACK").unwrap();
    p
}

#[test]
fn a_hot_journal_is_read_from_a_private_copy_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = crashed(dir.path());
    let tmp = tempfile::tempdir().unwrap();
    let before = snapshot(&p);
    assert_eq!(before.len(), 2, "the file and its journal");

    let out = bin()
        .env("TMPDIR", tmp.path())
        .args(["check", "--json"])
        .arg(&p)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["state"], "current", "{v}");
    assert_eq!(v["file"]["private_copy"], true, "{v}");
    assert_eq!(v["findings"][0]["code"], "hot-journal", "{v}");

    bin()
        .env("TMPDIR", tmp.path())
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("hot journal")
        .stdout_has("private copy");
    // What is read is the store as it was before the interrupted write.
    bin()
        .env("TMPDIR", tmp.path())
        .args(["query", "--format", "csv", "--sql"])
        .arg("SELECT count(*) AS n FROM documents WHERE title = 'changed'")
        .arg(&p)
        .assert()
        .success()
        .stdout_has("n\r\n0\r\n");
    bin()
        .env("TMPDIR", tmp.path())
        .args(["init", "--dry-run"])
        .arg(&p)
        .assert()
        .success();

    assert_eq!(
        snapshot(&p),
        before,
        "the file and its journal are untouched"
    );
    assert!(
        listing(tmp.path()).is_empty(),
        "no copy left behind: {:?}",
        listing(tmp.path())
    );
}
