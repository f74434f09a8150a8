//! `check` and `init` wait for another process's lock as long as the README
//! says (3 s), and say how long they waited when it outlasts that.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::time::{Duration, Instant};

/// Holds an exclusive lock on `p` (readers wait too) for `hold`, from
/// another thread, as another process would.
fn hold_lock(p: &std::path::Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let holder = open(p);
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        holder.execute_batch("ROLLBACK").unwrap();
    })
}

#[test]
fn check_waits_out_a_lock_of_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let held = hold_lock(&p, Duration::from_millis(1200));
    let start = Instant::now();
    bin().arg("check").arg(&p).assert().code(0);
    assert!(start.elapsed() >= Duration::from_millis(1000));
    held.join().unwrap();
}

#[test]
fn init_waits_out_a_lock_of_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 20);
    let held = hold_lock(&p, Duration::from_millis(1200));
    bin()
        .args(["init", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    held.join().unwrap();
}

#[test]
fn a_lock_held_longer_is_refused_saying_how_long_it_waited() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let held = hold_lock(&p, Duration::from_secs(5));
    let start = Instant::now();
    let out = printed(&["check", "--json"], &p, 2);
    let waited = start.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["error"]["kind"], "locked", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("waited 3 s"), "{message}");
    assert!(
        waited >= Duration::from_millis(2900) && waited < Duration::from_millis(4900),
        "{waited:?}"
    );
    held.join().unwrap();
}
