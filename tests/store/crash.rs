//! kill -9 of init at several moments of a large rebuild: afterwards the
//! store is whole, wholly old or wholly new, with every row.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const ROWS: u64 = 120_000;

/// The plan's page cache in these runs, in KiB: far smaller than the
/// stores, so pages spill to the file before COMMIT and a kill leaves a
/// journal to roll back, as on a store larger than the usual cache.
const CACHE_KIB: &str = "1024";

/// Runs the binary with `args` and the store, waits for a progress line
/// containing `moment`, and kills the process with SIGKILL there. Returns
/// whether the moment was reached.
fn kill_at(p: &std::path::Path, args: &[&str], moment: &str) -> bool {
    let mut child = Command::new(bin_path())
        .env("EGREGORA_INSPECT_WRITE_CACHE_KIB", CACHE_KIB)
        .args(args)
        .arg(p)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let reader = BufReader::new(child.stderr.take().unwrap());
    let mut reached = false;
    for line in reader.lines() {
        if line.unwrap().contains(moment) {
            reached = true;
            child.kill().unwrap(); // SIGKILL
            break;
        }
    }
    child.wait().unwrap();
    reached
}

/// Whether a kill left a journal with content beside `p`: a write to roll back.
fn journal_left(p: &std::path::Path) -> bool {
    let mut j = p.as_os_str().to_owned();
    j.push("-journal");
    std::fs::metadata(std::path::PathBuf::from(j)).is_ok_and(|m| m.len() > 0)
}

#[test]
fn kill_9_during_the_rebuild_leaves_the_store_whole() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine.sqlite");
    old_documents(&pristine, ROWS);
    exec(&pristine, "ALTER TABLE documents ADD COLUMN pad TEXT");
    let old_ids: i64 = scalar(&pristine, "SELECT count(DISTINCT id) FROM documents");
    assert_eq!(old_ids as u64, ROWS);

    let moments = [
        ("backup to ", true),
        ("step 1/", false),
        ("(50000/", false),
        ("(100000/", false),
        ("Create index idx_documents_slug", false),
        ("Drop the old", false),
        ("Rename documents_new", false),
        ("Create index idx_documents_status", false),
        ("Verify: documents holds", false),
        ("Committing", false),
    ];
    let mut saw_old = 0;
    let mut hot = 0;
    for (moment, backup) in moments {
        let p = dir.path().join("run.sqlite");
        std::fs::copy(&pristine, &p).unwrap();
        let args: &[&str] = if backup {
            &["init", "--yes"]
        } else {
            &["init", "--yes", "--no-backup"]
        };
        assert!(kill_at(&p, args, moment), "the run reached {moment:?}");
        hot += usize::from(journal_left(&p));
        // A read-write open rolls the hot journal back, as SQLite does.
        assert_eq!(
            scalar::<String>(&p, "PRAGMA integrity_check"),
            "ok",
            "after a kill at {moment:?}"
        );
        let names: Vec<String> = columns(&p, "documents").into_iter().map(|c| c.0).collect();
        let is_new = names.len() == 25;
        assert!(
            is_new || names.len() == 8,
            "documents is wholly old or wholly new at {moment:?}: {names:?}"
        );
        assert_eq!(
            scalar::<i64>(&p, "SELECT count(*) FROM documents") as u64,
            ROWS,
            "every row at {moment:?}"
        );
        assert_eq!(
            scalar::<i64>(
                &p,
                "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'documents_new%'"
            ),
            0
        );
        if !is_new {
            saw_old += 1;
            // Still the old store: init can run again and finish.
            bin()
                .args(["init", "--yes", "--no-backup"])
                .arg(&p)
                .assert()
                .success();
            assert_eq!(
                scalar::<i64>(&p, "SELECT count(*) FROM documents") as u64,
                ROWS
            );
        }
        for f in listing(dir.path()) {
            if f != "pristine.sqlite" {
                std::fs::remove_file(dir.path().join(f)).unwrap();
            }
        }
    }
    assert!(saw_old > 0, "at least one kill landed before the commit");
    assert!(
        hot > 0,
        "at least one kill left a journal that had to be rolled back"
    );
}

#[test]
fn sigterm_cancels_a_running_rebuild_and_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 200_000);
    let before = snapshot(&p);
    let mut child = Command::new(bin_path())
        .args(["init", "--yes"])
        .arg(&p)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 && !line.contains("(50000/") {
        line.clear();
    }
    assert!(line.contains("(50000/"), "the copy started");
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{rest}");
    assert!(
        rest.contains("cancelled: the store was rolled back"),
        "{rest}"
    );
    assert_eq!(snapshot(&p), before, "exactly as before");
    assert_eq!(
        listing(dir.path()),
        ["old.sqlite"],
        "no backup or journal left"
    );
}

#[test]
fn kill_9_during_a_fold_leaves_the_store_old_or_folded() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine.sqlite");
    bin()
        .args(["demo", "--docs", "1000"])
        .arg(&pristine)
        .assert()
        .success();
    let c = open(&pristine);
    for (_, ddl) in egregora_inspect::store::demo::V2_TABLES {
        c.execute_batch(ddl).unwrap();
    }
    c.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
         INSERT INTO posts (id, content, title, status) SELECT 'p' || i, printf('%.*c', 100, 'x'), 't' || i, 'draft' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
         INSERT INTO annotations (id, content, parent_id) SELECT 'a' || i, 'note', 'p' || i FROM n;",
    )
    .unwrap();
    drop(c);
    // The posts outgrow the small cache: pages spill before COMMIT, so some
    // kill leaves a journal to roll back.
    let mut hot = 0;
    for moment in ["step 1/", "step 2/", "Verify: each", "Drop the V2"] {
        let p = dir.path().join("run.sqlite");
        std::fs::copy(&pristine, &p).unwrap();
        assert!(
            kill_at(&p, &["fold-legacy", "--yes", "--no-backup"], moment),
            "reached {moment:?}"
        );
        hot += usize::from(journal_left(&p));
        assert_eq!(scalar::<String>(&p, "PRAGMA integrity_check"), "ok");
        let docs: i64 = scalar(&p, "SELECT count(*) FROM documents");
        let legacy: i64 = scalar(
            &p,
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('posts', 'annotations')",
        );
        let whole_old = docs == 1000
            && legacy == 2
            && scalar::<i64>(&p, "SELECT count(*) FROM posts") == 30_000;
        let whole_new = docs == 61_000 && legacy == 0;
        assert!(
            whole_old || whole_new,
            "old or folded after a kill at {moment:?}: {docs} documents, {legacy} V2 tables"
        );
        std::fs::remove_file(&p).unwrap();
    }
    assert!(
        hot > 0,
        "at least one kill left a journal that had to be rolled back"
    );
}

/// Files beside `p` that are undo files in place (not a `.tmp` being written).
fn undo_files(dir: &std::path::Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|f| f.contains(".undo-") && !f.ends_with(".tmp"))
        .collect()
}

#[test]
fn kill_9_during_an_exec_leaves_the_store_old_or_new_and_its_undo_file_absent_or_whole() {
    const DOCS: i64 = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine.sqlite");
    bin()
        .args(["demo", "--docs", "100"])
        .arg(&pristine)
        .assert()
        .success();
    exec(
        &pristine,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO documents (id, title, status, doc_type) SELECT 'k' || i, 'title ' || i, 'draft', 'note' FROM n;",
            DOCS - 100
        ),
    );
    let sql = "UPDATE documents SET status = 'killed'";
    let killed = |p: &std::path::Path| {
        scalar::<i64>(p, "SELECT count(*) FROM documents WHERE status = 'killed'")
    };
    // How long a whole run takes here, to kill at fractions of it.
    let work = tempfile::tempdir().unwrap();
    let p = work.path().join("s.sqlite");
    std::fs::copy(&pristine, &p).unwrap();
    let start = std::time::Instant::now();
    bin()
        .args(["exec", "--yes", "--sql", sql])
        .arg(&p)
        .assert()
        .success();
    let whole = start.elapsed();
    assert_eq!(killed(&p), DOCS);
    assert_eq!(undo_files(work.path()).len(), 1);

    let (mut old, mut new) = (0, 0);
    // Where the killed runs keep their recordings.
    let recordings = tempfile::tempdir().unwrap();
    // The last ones land after the commit even on a busy machine.
    for tenth in [0u32, 2, 4, 6, 8, 9, 13, 20, 40] {
        let work = tempfile::tempdir().unwrap();
        let p = work.path().join("s.sqlite");
        std::fs::copy(&pristine, &p).unwrap();
        let mut child = Command::new(bin_path())
            .env("TMPDIR", recordings.path())
            .args(["exec", "--yes", "--sql", sql])
            .arg(&p)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * tenth / 10);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(scalar::<String>(&p, "PRAGMA integrity_check"), "ok");
        let n = killed(&p);
        assert!(
            n == 0 || n == DOCS,
            "old or new after a kill at {tenth}/10: {n} rows changed"
        );
        let files = undo_files(work.path());
        if n == 0 {
            old += 1;
            assert!(
                files.is_empty(),
                "no undo file for a change that did not commit: {files:?}"
            );
            continue;
        }
        new += 1;
        // A committed change may have lost its undo file (killed between
        // the commit and the rename), never holds half of one.
        if !files.is_empty() {
            assert_eq!(files.len(), 1);
            let out = bin()
                .args(["undo", "--list", "--json"])
                .arg(&p)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            let list: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(list[0]["rows"], DOCS, "the undo file is whole");
            bin().args(["undo", "--yes"]).arg(&p).assert().success();
            assert_eq!(killed(&p), 0, "and takes the change back");
        }
    }
    assert!(old > 0, "some kill landed before the commit");
    assert!(new > 0, "some run committed");
    // The next change removes what the killed ones left.
    let p = work.path().join("s.sqlite");
    bin()
        .env("TMPDIR", recordings.path())
        .args(["exec", "--dry-run", "--sql", sql])
        .arg(&p)
        .assert()
        .success();
    assert_eq!(listing(recordings.path()), Vec::<String>::new());
}
