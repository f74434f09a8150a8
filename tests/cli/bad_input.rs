//! Bad input: a one-line reason, exit 2, and the file exactly as it was.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// check and init both fail with exit 2, one line naming `why`, no change.
fn refused(p: &Path, why: &str) {
    let dir = p.parent().unwrap();
    let before = (snapshot(p), listing(dir));
    for args in [
        &["check"][..],
        &["check", "--json"],
        &["init", "--yes"],
        &["init", "--dry-run"],
    ] {
        let a = bin().args(args).arg(p).assert().code(2).stderr_has(why);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        let out = &a.get_output().stdout;
        if args.contains(&"--json") {
            // A script reading stdout gets JSON, failure or not.
            let v: serde_json::Value = serde_json::from_slice(out).expect("JSON on stdout");
            assert_eq!(v["ok"], false);
            assert!(v["error"]["message"].as_str().unwrap().contains(why), "{v}");
        } else {
            assert!(
                out.is_empty() || args[0] == "init",
                "nothing on stdout for {args:?}"
            );
        }
    }
    assert_eq!(
        (snapshot(p), listing(dir)),
        before,
        "{} untouched",
        p.display()
    );
}

#[test]
fn check_on_a_missing_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("absent.sqlite");
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("no store at");
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("folder");
    std::fs::create_dir(&p).unwrap();
    refused(&p, "is a folder, not a store");
}

#[test]
fn a_fifo_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &p,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
    let start = Instant::now();
    refused(&p, "is a FIFO");
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "id,title\n1,hello\n").unwrap();
    refused(&p, "is a text file, not a store");
}

#[test]
fn a_duckdb_file_is_named_with_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipeline.duckdb");
    let mut b = vec![0u8; 8192];
    b[8..12].copy_from_slice(b"DUCK");
    b[12..20].copy_from_slice(&64u64.to_le_bytes());
    std::fs::write(&p, &b).unwrap();
    // A header alone: check hands it to the duckdb shell, which finds it
    // damaged; init refuses it as upstream's store. Both name it.
    refused(&p, "egregora's DuckDB store (storage version 64)");
}

#[test]
fn a_truncated_store() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("whole.sqlite");
    bin()
        .args(["demo", "--docs", "200"])
        .arg(&src)
        .assert()
        .success();
    let bytes = std::fs::read(&src).unwrap();
    let p = dir.path().join("cut.sqlite");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    refused(&p, "truncated");
    let tiny = dir.path().join("tiny.sqlite");
    std::fs::write(&tiny, &bytes[..60]).unwrap();
    refused(&tiny, "truncated");
}

#[test]
fn a_store_whose_quick_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.sqlite");
    bin()
        .args(["demo", "--docs", "300"])
        .arg(&p)
        .assert()
        .success();
    // Overwrite the middle of the file (never page 1, which holds the schema).
    let mut bytes = std::fs::read(&p).unwrap();
    let mid = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[mid..mid + 4096 * 3] {
        *b = 0xab;
    }
    std::fs::write(&p, &bytes).unwrap();
    refused(&p, "damaged");
}

#[test]
fn memory_and_empty_paths_are_refused() {
    for raw in [":memory:", ""] {
        bin()
            .arg("check")
            .arg(raw)
            .assert()
            .code(2)
            .stderr_has("error: ");
        bin().args(["init", "--yes"]).arg(raw).assert().code(2);
    }
    bin()
        .arg("check")
        .arg(":memory:")
        .assert()
        .stderr_has("in-memory database");
}

#[test]
fn file_names_with_escape_sequences_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil\x1b]0;pwned\x07.sqlite");
    let a = bin().arg("check").arg(&p).assert().code(2);
    let err = &a.get_output().stderr;
    assert!(
        !err.contains(&0x1b) && !err.contains(&0x07),
        "no raw control bytes"
    );
    a.stderr_has("evil\\x1b]0;pwned\\x07.sqlite");
}

#[test]
fn a_locked_store_gives_up_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("locked.sqlite");
    old_documents(&p, 100);
    let before = snapshot(&p);
    // Another process's writer: this test process holds the write lock.
    let holder = open(&p);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let start = Instant::now();
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("is locked by another process");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "gave up in {:?}",
        start.elapsed()
    );
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(snapshot(&p), before);
    assert!(
        listing(dir.path()).iter().all(|f| !f.contains(".bak-")),
        "no backup left behind"
    );
}

#[test]
fn without_yes_and_without_a_terminal_init_refuses_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 20);
    let before = snapshot(&p);
    let start = Instant::now();
    // stdin is a pipe that stays open: a prompt would wait for ever.
    let mut cmd = std::process::Command::new(bin_path());
    cmd.args(["init"])
        .arg(&p)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let _stdin = child.stdin.take();
    let out = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "init waited for input"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(out.code(), Some(2));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        err.contains("no terminal") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(snapshot(&p), before);
}

/// Runs the binary as uid 65534 when this is root (root ignores file modes),
/// else as this user; from a world-readable folder either way.
fn as_unprivileged(bin_copy: &Path, args: &[&str], store: &Path) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(bin_copy);
    cmd.args(args)
        .arg(store)
        .stdin(std::process::Stdio::null())
        .current_dir(store.parent().unwrap());
    if rustix::process::geteuid().is_root() {
        cmd.uid(65534).gid(65534);
    }
    cmd.output().unwrap()
}

#[test]
fn a_read_only_store_refuses_init_and_still_checks() {
    let base = tempfile::Builder::new()
        .prefix("egregora-ro")
        .tempdir_in("/tmp")
        .unwrap();
    let dir = base.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = dir.join("egregora-inspect");
    std::fs::copy(bin_path(), &exe).unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = dir.join("ro.sqlite");
    old_documents(&p, 50);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    // The folder itself must not be writable to the runner either.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&p);

    let check = as_unprivileged(&exe, &["check"], &p);
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("needs-migration"));

    let init = as_unprivileged(&exe, &["init", "--yes"], &p);
    let err = String::from_utf8_lossy(&init.stderr);
    assert_eq!(init.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot be written") && err.contains("not writable"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    assert_eq!(snapshot(&p), before);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_plan_waits_for_a_running_reader_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("busy.sqlite");
    old_documents(&p, 500);
    // Another process's reader, mid-read for longer than the 3 s a writer
    // waits for the lock itself.
    let reader = open(&p);
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM documents;")
        .unwrap();
    let start = Instant::now();
    let child = std::process::Command::new(bin_path())
        .args(["init", "--yes", "--no-backup"])
        .arg(&p)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    reader.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        start.elapsed() >= Duration::from_secs(4),
        "it waited for the reader"
    );
    assert_eq!(columns(&p, "documents").len(), 24);
}

/// The check that runs beside a plan (the store may be damaged after the
/// plan was shown): the plan stops, the store keeps every byte, no backup.
#[test]
fn a_store_damaged_after_its_plan_was_made_is_not_written() {
    use egregora_inspect::store::apply::{ApplyOptions, apply};
    use egregora_inspect::store::cancel::Canceller;
    use egregora_inspect::store::inspection::inspect::{Counts, inspect};
    use egregora_inspect::store::open::open_read_only;
    use egregora_inspect::store::{StoreError, plan};

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 3000);
    // A table init never reads: only quick_check can see its damage.
    exec(
        &p,
        "CREATE TABLE attic (k INTEGER PRIMARY KEY, v TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
         INSERT INTO attic SELECT i, printf('%.200c', 'a') FROM n;",
    );
    let shown = {
        let mut s = open_read_only(&p).unwrap();
        let ins = inspect(&mut s.conn, &p, Counts::None).unwrap();
        plan::for_action(&s.conn, &ins, plan::PlanKind::Init).unwrap()
    };
    assert!(shown.blockers.is_empty() && !shown.steps.is_empty());
    let root: i64 = scalar(
        &p,
        "SELECT rootpage FROM sqlite_schema WHERE name = 'attic'",
    );
    let page: usize = scalar::<i64>(&p, "PRAGMA page_size") as usize;
    let mut bytes = std::fs::read(&p).unwrap();
    let at = (root as usize - 1) * page;
    bytes[at..at + page].fill(0xab);
    std::fs::write(&p, &bytes).unwrap();
    let before = (snapshot(&p), listing(dir.path()));

    for backup in [true, false] {
        let e = apply(
            &shown,
            ApplyOptions { backup },
            &Canceller::new(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(
            matches!(e, StoreError::Corrupt { .. }),
            "refused as damaged: {e}"
        );
        assert!(e.to_string().contains("quick_check"), "{e}");
        // Compared without printing: the bytes are megabytes.
        let after = (snapshot(&p), listing(dir.path()));
        assert!(
            after == before,
            "untouched (backup {backup}): {:?}",
            after.1
        );
    }
}

/// A reader that stops early (`| head -1`) ends the command quietly: no
/// panic, no error line, exit 141 as after SIGPIPE, never a verdict.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.sqlite");
    bin()
        .args(["demo", "--docs", "3000"])
        .arg(&p)
        .assert()
        .success();
    let ps = p.to_str().unwrap();
    let update = "UPDATE documents SET status = 'draft'";
    // Each prints far more than a pipe holds (the text preview of `exec`
    // shows its first rows only, so it could end before the reader goes).
    for args in [
        vec!["exec", ps, "--dry-run", "--json", "--sql", update],
        vec!["export", ps, "--format", "json"],
        vec!["query", ps, "--sql", "SELECT * FROM documents"],
    ] {
        let mut child = Command::new(bin_path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The pipe closes here, with most of the output unread.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty(), "{args:?}");
        // Cut short: no verdict (0 "same", 1 "different"), the code of a
        // tool SIGPIPE ended.
        assert_eq!(out.status.code(), Some(141), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
