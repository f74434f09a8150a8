//! The app on upstream's DuckDB store in a real terminal (tmux): its
//! snapshot opened read-only with every tab, the header naming the source,
//! no writes offered, a change noticed and `r` taking a new snapshot.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::tmux::Tmux;
use common::{bin_path, duck};

#[test]
fn the_app_opens_a_snapshot_says_what_changed_and_takes_a_new_one() {
    let Some(shell) = duck::shell() else { return };
    if !Tmux::available() {
        assert!(std::env::var_os("CI").is_none(), "CI installs tmux");
        return eprintln!("skipped: no tmux");
    }
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join(".egregora")).unwrap();
    let db = duck::store(
        &shell,
        &site.join(".egregora"),
        "pipeline.duckdb",
        duck::ROWS,
    );
    let before = duck::bytes(&db);
    let t = Tmux::start(&site);
    t.type_line(&format!(
        "XDG_CACHE_HOME={} {}",
        dir.path().join("cache").display(),
        bin_path().display()
    ));
    t.wait_for("pipeline.duckdb · DuckDB 1.5.6 · snapshot ");
    t.wait_for(" current ");
    t.wait_for("never written here");
    t.send(&["i"]);
    t.wait_for("init is unavailable");
    t.send(&["2"]);
    t.wait_for("6 documents");
    assert_eq!(duck::bytes(&db), before, "the source is untouched");
    duck::run(
        &shell,
        &db,
        "INSERT INTO documents (id, status, doc_type) VALUES ('later', 'draft', 'note');",
    );
    t.wait_for("the DuckDB file changed: r takes a new snapshot");
    t.send(&["r"]);
    t.wait_for("7 documents");
    t.send(&["q"]);
}

#[test]
fn the_app_is_up_at_once_on_a_large_store_and_quitting_stops_the_copy() {
    let Some(shell) = duck::shell() else { return };
    if !Tmux::available() {
        assert!(std::env::var_os("CI").is_none(), "CI installs tmux");
        return eprintln!("skipped: no tmux");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = duck::store(
        &shell,
        dir.path(),
        "big.duckdb",
        "INSERT INTO documents (id, content, status, doc_type, tags)
           SELECT 'd' || i, repeat('x', 200), 'draft', 'note', ['a', 'b'] FROM range(400000) t(i);",
    );
    let before = duck::bytes(&db);
    let cache = dir.path().join("cache");
    let t = Tmux::start(dir.path());
    t.type_line(&format!(
        "XDG_CACHE_HOME={} {} big.duckdb; echo exited-$?",
        cache.display(),
        bin_path().display()
    ));
    // The catalog first, then the copy's progress, on the first screen.
    let s = t.wait_for("copying documents");
    assert!(
        s.contains("big.duckdb · DuckDB 1.5.6 · taking the first snapshot"),
        "{s}"
    );
    assert!(s.contains("400,000 rows"), "{s}");
    t.send(&["2"]);
    t.wait_for("waiting for the snapshot");
    t.send(&["q"]);
    t.wait_for("exited-0");
    let left: Vec<_> = std::fs::read_dir(cache.join("egregora-inspect/snapshots"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no snapshot, no partial copy: {left:?}");
    assert_eq!(duck::bytes(&db), before, "the source is untouched");
}
