//! The app's snapshot of a DuckDB store (DESIGN §9): reused while the
//! source is unchanged, replaced whole when it changed, never written, and
//! a keeper that says when the source changed or is held, and retries.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{OutputHas, bin, duck, scalar};
use egregora_inspect::store::cancel::Canceller;
use egregora_inspect::store::duckdb::keeper::Keeper;
use egregora_inspect::store::duckdb::snapshot::{is_snapshot, snapshot, snapshot_path};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(20);
    while !ok() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_snapshot_is_reused_until_the_source_changes_then_replaced() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let before = duck::bytes(&db);
    let cancel = Canceller::new();
    let first = snapshot(&db, &cache, &mut |_| {}, &cancel).unwrap();
    assert_eq!(duck::bytes(&db), before, "the source is untouched");
    assert!(is_snapshot(&first.path));
    // Upstream's annotations in a snapshot are upstream's, not V2 leftovers.
    let out = common::printed(&["check", "--json"], &first.path, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["state"], "current", "{doc:#}");
    let annotations = doc["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "annotations")
        .unwrap();
    assert_eq!(annotations["kind"], "upstream");
    assert_eq!(
        scalar::<i64>(&first.path, "SELECT count(*) FROM documents"),
        6
    );
    let ino = std::fs::metadata(&first.path).unwrap().ino();
    let again = snapshot(&db, &cache, &mut |_| {}, &cancel).unwrap();
    assert_eq!(again, first, "reused while the source is unchanged");
    assert_eq!(std::fs::metadata(&first.path).unwrap().ino(), ino);

    duck::run(
        &shell,
        &db,
        "INSERT INTO documents (id, status, doc_type) VALUES ('new', 'draft', 'note');",
    );
    assert!(first.source_changed());
    let next = snapshot(&db, &cache, &mut |_| {}, &cancel).unwrap();
    assert_eq!(next.path, first.path, "one snapshot per source");
    assert_ne!(
        std::fs::metadata(&next.path).unwrap().ino(),
        ino,
        "replaced whole"
    );
    assert_eq!(
        scalar::<i64>(&next.path, "SELECT count(*) FROM documents"),
        7
    );
    let files = common::listing(&cache);
    assert_eq!(files.len(), 2, "the snapshot and its note: {files:?}");

    // A snapshot is never written here, even where init has work.
    common::exec(&next.path, "DROP INDEX idx_documents_slug");
    bin()
        .args(["init", "--yes"])
        .arg(&next.path)
        .assert()
        .code(2)
        .stderr_has("snapshot of upstream's DuckDB store");
    assert_eq!(
        scalar::<i64>(
            &next.path,
            "SELECT count(*) FROM sqlite_schema WHERE name = 'idx_documents_slug'"
        ),
        0
    );
}

#[test]
fn the_keeper_says_what_changed_retries_while_held_and_takes_the_new_snapshot() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let snap = snapshot(&db, &cache, &mut |_| {}, &Canceller::new()).unwrap();
    let keeper = Keeper::start(snap.clone(), cache.clone(), None);
    assert!(
        keeper
            .header()
            .starts_with("pipeline.duckdb · DuckDB 1.5.6 · snapshot "),
        "{}",
        keeper.header()
    );
    duck::run(
        &shell,
        &db,
        "INSERT INTO documents (id, status, doc_type) VALUES ('new', 'draft', 'note');",
    );
    wait_for("the change noticed", || {
        keeper.note().as_deref() == Some("the DuckDB file changed: r takes a new snapshot")
    });
    // The pipeline holds the file: the old snapshot stays, the keeper retries.
    let mut writer = Command::new(&shell)
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    keeper.refresh();
    wait_for("held by", || {
        keeper
            .note()
            .is_some_and(|n| n.starts_with("held by process ") && n.ends_with("(duckdb), retrying"))
    });
    assert_eq!(
        scalar::<i64>(&snap.path, "SELECT count(*) FROM documents"),
        6
    );
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", writer.id())])
        .status();
    let _ = writer.wait();
    wait_for("the new snapshot", || {
        keeper.note().is_none() && scalar::<i64>(&snap.path, "SELECT count(*) FROM documents") == 7
    });
}

#[test]
fn a_snapshot_s_partial_copy_left_by_a_killed_app_is_removed_by_the_next() {
    let Some(shell) = duck::shell() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let db = duck::store(&shell, dir.path(), "pipeline.duckdb", duck::ROWS);
    let name = snapshot_path(&db, &cache)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let gone = [
        cache.join(format!("{name}.new-999999999")),
        cache.join(format!(".{name}.new-999999999.importing-999999999")),
    ];
    for p in &gone {
        std::fs::write(p, b"partial").unwrap();
    }
    let snap = snapshot(&db, &cache, &mut |_| {}, &Canceller::new()).unwrap();
    for p in &gone {
        assert!(!p.exists(), "{} is removed", p.display());
    }
    assert!(snap.path.is_file());
}
