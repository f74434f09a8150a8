//! init starts a store, and leaves a current one alone.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;

fn assert_exactly_v3(p: &std::path::Path) {
    let cols = columns(p, "documents");
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, DOC_COLUMNS);
    assert!(cols.iter().all(|c| c.1 == "TEXT"));
    let id = &cols[0];
    assert!(id.2 && id.3, "id is NOT NULL PRIMARY KEY");
    for (name, _, notnull, pk) in &cols[1..] {
        assert_eq!(
            *notnull,
            name == "doc_type" || name == "status",
            "NOT NULL on {name}"
        );
        assert!(!pk);
    }
    assert_eq!(
        objects(p),
        [
            ("index", "idx_documents_created"),
            ("index", "idx_documents_slug"),
            ("index", "idx_documents_status"),
            ("index", "idx_documents_type"),
            ("index", "idx_messages_author"),
            ("index", "idx_messages_pk"),
            ("index", "idx_messages_thread"),
            ("index", "idx_messages_ts"),
            ("table", "documents"),
            ("table", "messages"),
            ("table", "tasks"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(scalar::<i64>(p, "PRAGMA user_version"), 3);
    assert_eq!(columns(p, "tasks").len(), 7);
    assert_eq!(columns(p, "messages").len(), 15);
    assert_eq!(
        scalar::<i64>(
            p,
            "SELECT \"unique\" FROM pragma_index_list('messages') WHERE name = 'idx_messages_pk'"
        ),
        1
    );
}

#[test]
fn init_on_a_missing_path_creates_exactly_the_v3_store() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("new/.egregora/pipeline.sqlite");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    assert_exactly_v3(&p);
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(0)
        .stdout_has("state    current");
}

#[test]
fn init_on_a_zero_byte_file_creates_exactly_the_v3_store() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.sqlite");
    std::fs::write(&p, b"").unwrap();
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("no-store");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    assert_exactly_v3(&p);
    assert_eq!(
        listing(dir.path()),
        ["empty.sqlite"],
        "no backup for a plan that rebuilds nothing"
    );
}

#[test]
fn init_on_a_current_store_is_an_empty_plan_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let before = snapshot(&p);
    bin()
        .args(["init", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("nothing to do");
    bin().args(["init"]).arg(&p).assert().success();
    assert_eq!(snapshot(&p), before);
    assert_eq!(listing(dir.path()), ["v3.sqlite"]);
}

#[test]
fn dry_run_on_a_missing_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sub/x.sqlite");
    bin()
        .args(["init", "--dry-run"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("CREATE TABLE documents");
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn demo_store_is_current_and_demo_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--docs", "500"])
        .arg(&p)
        .assert()
        .success();
    bin().arg("check").arg(&p).assert().code(0);
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 500);
    assert_eq!(
        scalar::<i64>(&p, "SELECT count(DISTINCT doc_type) FROM documents"),
        12
    );
    let before = snapshot(&p);
    bin()
        .args(["demo"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("already exists");
    assert_eq!(snapshot(&p), before);

    let l = dir.path().join("legacy.sqlite");
    bin().args(["demo", "--legacy"]).arg(&l).assert().success();
    let v = check_json(&["check", "--json"], &l, 1);
    assert_eq!(v["state"], "legacy-present");
    for t in [
        "posts",
        "profiles",
        "media",
        "journals",
        "annotations",
        "documents_view",
    ] {
        let o = v["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == t)
            .expect(t);
        assert_eq!(o["kind"], "legacy");
        assert!(o["rows"].as_u64().unwrap() > 0, "{t} has rows");
    }
}

#[test]
fn demo_without_a_path_writes_to_a_new_temporary_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(cwd.path())
        .env("TMPDIR", tmp.path())
        .args(["demo", "--docs", "5"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        !cwd.path().join(".egregora").exists(),
        "never the default store path"
    );
    let written = out
        .split(" to ")
        .nth(1)
        .and_then(|s| s.split(" in ").next())
        .map(std::path::PathBuf::from)
        .unwrap();
    assert!(written.starts_with(tmp.path()), "{out}");
    assert!(written.is_file(), "{out}");
    // A second run gets a folder of its own.
    bin()
        .current_dir(cwd.path())
        .env("TMPDIR", tmp.path())
        .args(["demo", "--docs", "5"])
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
}

#[test]
fn every_subcommand_explains_its_path() {
    for cmd in ["check", "init", "fold-legacy", "demo"] {
        bin()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout_has("[PATH]")
            .stdout_has("default:");
    }
}
