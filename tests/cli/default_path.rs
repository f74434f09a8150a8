//! DESIGN §4: without PATH, `.egregora/pipeline.sqlite` when it exists, else
//! upstream's `.egregora/pipeline.duckdb` when that exists; said on stderr.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::duck;
use common::{OutputHas, bin};

#[test]
fn upstreams_duckdb_store_is_opened_when_there_is_no_sqlite_store() {
    let Some(shell) = duck::shell() else { return };
    let site = tempfile::tempdir().unwrap();
    let folder = site.path().join(".egregora");
    std::fs::create_dir(&folder).unwrap();
    duck::store(&shell, &folder, "pipeline.duckdb", duck::ROWS);
    bin()
        .current_dir(site.path())
        .arg("check")
        .assert()
        .code(0)
        .stderr_has("no PATH given: opened .egregora/pipeline.duckdb (upstream's DuckDB store")
        .stdout_has("pipeline.duckdb")
        .stdout_has("egregora's DuckDB store");
    // A command that writes names the store it refuses.
    bin()
        .current_dir(site.path())
        .args(["init", "--yes"])
        .assert()
        .code(2)
        .stderr_has("import makes a V3 copy");

    // With the SQLite store there too, that one is opened.
    bin()
        .current_dir(site.path())
        .args(["import", "--yes", ".egregora/pipeline.duckdb"])
        .assert()
        .success();
    bin()
        .current_dir(site.path())
        .arg("check")
        .assert()
        .stderr_has("opened .egregora/pipeline.sqlite (the SQLite store; .egregora/pipeline.duckdb is also there)")
        .stdout_has("SQLite");
}

#[test]
fn with_neither_the_sqlite_path_is_named() {
    let site = tempfile::tempdir().unwrap();
    bin()
        .current_dir(site.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr_has(".egregora/pipeline.sqlite");
}
