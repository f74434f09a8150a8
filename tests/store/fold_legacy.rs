//! fold-legacy: a V2 store's rows move into documents with nothing lost.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::demo::{V2_TABLES, V2_VIEW};
use std::path::{Path, PathBuf};

/// A V3 store that still holds the V2 tables, made as the V2 layout made
/// them, with rows in each: NULLs, invalid UTF-8, JSON arrays, a BLOB.
fn v2_store(dir: &Path) -> PathBuf {
    let p = current_store(dir);
    let c = open(&p);
    for (_, ddl) in V2_TABLES {
        c.execute_batch(ddl).unwrap();
    }
    c.execute_batch(V2_VIEW).unwrap();
    c.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
         INSERT INTO posts SELECT 'post-' || i, CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN CAST(x'48ff49' AS TEXT) ELSE 'body ' || i END,
           '2023-05-0' || (1 + i % 9) || 'T08:00:00Z', 'sum' || i, 'Title ' || i, 'slug-' || i, '2023-05-01', NULL,
           '[\"a1\",\"a2\"]', '[\"tag\"]', CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN 'published' ELSE 'draft' END FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
         INSERT INTO profiles SELECT 'profile-' || i, 'bio ' || i, NULL, NULL, 'subj-' || i, 'alias' || i, NULL, '[\"music\",\"books\"]' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
         INSERT INTO media SELECT 'media-' || i, NULL, NULL, NULL, 'f' || i || '.jpg', 'image/jpeg', 'image', 'ph' || i FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7)
         INSERT INTO journals SELECT 'journal-' || i, 'entry', NULL, NULL, 'J' || i, '2023-01-01', '2023-01-02' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 15)
         INSERT INTO annotations SELECT 'ann-' || i, 'note ' || i, NULL, NULL,
           CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN x'00ff' WHEN 2 THEN CAST(x'41fe' AS TEXT) WHEN 3 THEN i * 1000000007 ELSE 'post-' || i END,
           CASE WHEN i % 2 THEN 'post' ELSE 0.1 + i END, 'author-' || i FROM n;",
    )
    .unwrap();
    p
}

/// typeof and bytes of content, then title, tags and authors bytes.
type Got = (
    String,
    Option<Vec<u8>>,
    String,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
);

fn doc_counts(p: &Path) -> Vec<(String, i64)> {
    let c = open(p);
    let mut s = c
        .prepare("SELECT doc_type, count(*) FROM documents GROUP BY 1 ORDER BY 1")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn a_v2_store_becomes_a_current_v3_store_with_every_value_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = v2_store(dir.path());
    bin()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stdout_has("legacy-present");
    let posts = cells(
        &p,
        "posts",
        &[
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
        ],
    );
    let ann: Vec<(String, Vec<u8>, String)> = {
        let c = open(&p);
        let mut s = c.prepare("SELECT id, CAST(parent_id AS BLOB), typeof(parent_id) FROM annotations ORDER BY id").unwrap();
        s.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<Vec<u8>>>(1)?.unwrap_or_default(),
                r.get(2)?,
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    };

    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("now current")
        .stdout_has("backup: ");

    assert_eq!(
        doc_counts(&p),
        [
            ("annotation", 15),
            ("journal", 7),
            ("media", 9),
            ("post", 40),
            ("profile", 12)
        ]
        .map(|(a, b)| (a.to_string(), b))
    );
    // posts' own columns land in the same-named unified columns, byte for byte.
    let c = open(&p);
    for (_, row) in &posts {
        let id = String::from_utf8(row[0].1.clone().unwrap()).unwrap();
        let mut s = c
            .prepare("SELECT typeof(content), CAST(content AS BLOB), typeof(title), CAST(title AS BLOB), CAST(tags AS BLOB), CAST(authors AS BLOB) FROM documents WHERE id = ?1")
            .unwrap();
        let got: Got = s
            .query_row([&id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap();
        assert_eq!(
            (got.0.as_str(), got.1.clone()),
            (row[1].0.as_str(), row[1].1.clone()),
            "content of {id}"
        );
        assert_eq!(got.3, row[4].1, "title of {id}");
        assert_eq!(got.4, row[9].1, "tags of {id}");
        assert_eq!(got.5, row[8].1, "authors of {id}");
    }
    assert_eq!(
        scalar::<i64>(
            &p,
            "SELECT count(*) FROM documents WHERE doc_type = 'post' AND status = 'draft'"
        ),
        26,
        "NULL status became draft"
    );
    assert_eq!(
        scalar::<String>(&p, "SELECT phash FROM documents WHERE id = 'media-3'"),
        "ph3"
    );
    assert_eq!(
        scalar::<String>(&p, "SELECT interests FROM documents WHERE id = 'profile-2'"),
        "[\"music\",\"books\"]"
    );
    assert_eq!(
        scalar::<String>(
            &p,
            "SELECT window_end FROM documents WHERE id = 'journal-1'"
        ),
        "2023-01-02"
    );
    // annotations' columns go into extensions, reversibly.
    for (id, bytes, ty) in ann {
        let ext: serde_json::Value = serde_json::from_str(&scalar::<String>(
            &p,
            &format!("SELECT extensions FROM documents WHERE id = '{id}'"),
        ))
        .unwrap();
        let v = &ext["parent_id"];
        match ty.as_str() {
            "null" => assert!(v.is_null()),
            "integer" => assert_eq!(v.as_i64().unwrap().to_string().into_bytes(), bytes),
            "blob" => assert_eq!(v, &serde_json::json!({ "$hex": "00ff" })),
            "text" if bytes == b"A\xfe" => {
                assert_eq!(v, &serde_json::json!({ "$hex": "41fe", "$type": "text" }))
            }
            _ => assert_eq!(v.as_str().unwrap().as_bytes(), bytes),
        }
        assert_eq!(
            ext["author_id"].as_str().unwrap(),
            id.replace("ann", "author")
        );
        assert!(ext["parent_type"].is_string() || ext["parent_type"].is_f64());
    }
    assert!(objects(&p).iter().all(|o| {
        ![
            "posts",
            "profiles",
            "media",
            "journals",
            "annotations",
            "documents_view",
        ]
        .contains(&o.1.as_str())
    }));
    // V2 profiles had no title: each gets its alias (as upstream's profile
    // cache does), so nothing breaks the pipeline's rules after a fold.
    assert_eq!(
        scalar::<String>(
            &p,
            "SELECT title || '/' || alias FROM documents WHERE id = 'profile-2'"
        ),
        "alias2/alias2"
    );
    let v = check_json(&["check", "--json", "--data"], &p, 0);
    assert_eq!(v["state"], "current");
    let d = v["data_checks"].as_array().unwrap();
    assert!(d.is_empty(), "{d:?}");
}

#[test]
fn a_profile_without_title_gets_its_alias_and_the_plan_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "CREATE TABLE profiles (id TEXT PRIMARY KEY, title TEXT, subject_uuid TEXT, alias TEXT);
         INSERT INTO profiles VALUES ('p1', NULL, 'u1', 'Ana'), ('p2', '  ', 'u2', 'Bo'),
                                     ('p3', 'Kept', 'u3', 'Cy'), ('p4', NULL, 'u4', NULL);",
    );
    let out = printed(&["fold-legacy", "--dry-run", "--json"], &p, 0);
    let plan: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let notes = plan["notes"].to_string();
    assert!(
        notes.contains("2 profile(s) of profiles without a title get their alias as title"),
        "{notes}"
    );
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .success();
    let c = open(&p);
    let titles: Vec<Option<String>> = c
        .prepare("SELECT title FROM documents ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            Some("Ana".into()),
            Some("Bo".into()),
            Some("Kept".into()),
            None
        ]
    );
}

#[test]
fn keep_tables_keeps_them_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = v2_store(dir.path());
    let before = snapshot(&p);
    bin()
        .args(["fold-legacy", "--dry-run"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("Copy 40 row(s) of posts into documents as 'post'")
        .stdout_has("parent_id, parent_type, author_id into extensions")
        .stdout_has("DROP VIEW \"documents_view\"")
        .stdout_has("13 row(s) of posts with a NULL status get 'draft'")
        .stdout_has("dry run: nothing was written");
    assert_eq!(snapshot(&p), before);

    bin()
        .args(["fold-legacy", "--yes", "--keep-tables", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 83);
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM posts"), 40);
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents_view"), 83);
    assert_eq!(
        listing(dir.path()),
        ["v3.sqlite"],
        "no backup with --no-backup"
    );
    // The V2 rows are all in documents already, value for value: folding
    // again verifies them and drops the tables, copying nothing twice.
    bin()
        .args(["fold-legacy", "--dry-run"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("posts: its 40 row(s) are in documents already, value for value")
        .stdout_has("Verify: each of the 40 row(s) of posts is found again")
        .stdout_has("DROP TABLE \"posts\"")
        .stdout_lacks("Copy ");
    bin()
        .args(["fold-legacy", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 83);
    bin()
        .args(["check"])
        .arg(&p)
        .assert()
        .code(0)
        .stdout_has("state    current");
}

#[test]
fn a_half_folded_table_copies_only_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let p = v2_store(dir.path());
    bin()
        .args(["fold-legacy", "--yes", "--keep-tables", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    exec(&p, "DELETE FROM documents WHERE id IN ('post-3', 'post-4')");
    bin()
        .args(["fold-legacy", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("Copy 2 row(s) of posts into documents");
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 83);
    assert_eq!(
        scalar::<i64>(
            &p,
            "SELECT count(*) FROM sqlite_schema WHERE name = 'posts'"
        ),
        0
    );
}

#[test]
fn conflicting_and_missing_ids_stop_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let p = v2_store(dir.path());
    exec(
        &p,
        "INSERT INTO documents (id, status, doc_type) VALUES ('post-7', 'draft', 'note')",
    );
    let before = snapshot(&p);
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stdout_has("1 V2 id(s) are in documents already with other values: \"post-7\" (posts)");
    assert_eq!(snapshot(&p), before);

    exec(
        &p,
        "DELETE FROM documents WHERE id = 'post-7'; INSERT INTO media (id) VALUES ('post-3'), (NULL);",
    );
    let before = snapshot(&p);
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stdout_has("appear in more than one V2 table: \"post-3\" (posts+media)")
        .stdout_has("NULL id cannot become documents: 1 in media");
    assert_eq!(snapshot(&p), before);
}

#[test]
fn a_store_that_is_not_v3_needs_init_first() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 10);
    exec(&p, V2_TABLES[0].1);
    let before = snapshot(&p);
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stdout_has("run init first");
    assert_eq!(snapshot(&p), before);
    let current = current_store(dir.path());
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&current)
        .assert()
        .success()
        .stdout_has("nothing to do");
}

#[test]
fn existing_extensions_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "CREATE TABLE journals (id TEXT, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT, extensions TEXT, mood TEXT, doc_type TEXT);
         INSERT INTO journals VALUES ('j1', 'x', NULL, NULL, 't', '{\"weather\":\"rain\",\"mood\":\"old\"}', 'calm', 'diary'), ('j2', 'y', NULL, NULL, 't', 'not json', NULL, NULL);",
    );
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .success();
    let j1: serde_json::Value = serde_json::from_str(&scalar::<String>(
        &p,
        "SELECT extensions FROM documents WHERE id = 'j1'",
    ))
    .unwrap();
    assert_eq!(
        j1,
        serde_json::json!({ "weather": "rain", "mood": "old", "mood#2": "calm", "doc_type": "diary" })
    );
    let j2: serde_json::Value = serde_json::from_str(&scalar::<String>(
        &p,
        "SELECT extensions FROM documents WHERE id = 'j2'",
    ))
    .unwrap();
    assert_eq!(
        j2,
        serde_json::json!({ "$extensions": "not json", "mood": null, "doc_type": null })
    );
    assert_eq!(
        scalar::<String>(&p, "SELECT doc_type FROM documents WHERE id = 'j1'"),
        "journal"
    );
}

#[test]
fn a_value_that_would_change_fails_verification_and_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    // An integer title would become the text '42' in documents.title (TEXT):
    // not byte-identical, so the fold must not commit.
    exec(
        &p,
        "CREATE TABLE posts (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title); INSERT INTO posts VALUES ('p1', 'c', NULL, NULL, 42);",
    );
    let before = snapshot(&p);
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("verification failed, nothing was written: 1 row(s) of posts not found again in documents");
    assert_eq!(snapshot(&p), before);
    assert_eq!(
        listing(dir.path()),
        ["v3.sqlite"],
        "the backup of an unchanged store is removed"
    );
}

#[test]
fn init_then_fold_in_the_same_second_keep_both_backups() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 20);
    exec(&p, V2_TABLES[0].1);
    exec(&p, "INSERT INTO posts (id, title) VALUES ('v2-1', 'old')");
    bin().args(["init", "--yes"]).arg(&p).assert().success();
    bin()
        .args(["fold-legacy", "--yes"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("now current");
    let backups: Vec<String> = listing(dir.path())
        .into_iter()
        .filter(|f| f.contains(".bak-"))
        .collect();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert_eq!(
        columns(&dir.path().join(&backups[0]), "documents").len(),
        7,
        "the first backup is the store before init"
    );
}

/// Profiles folded before titles came from aliases (kept tables, titles
/// left NULL) are still the V2 rows, value for value: a fold verifies and
/// drops them rather than calling them different.
#[test]
fn profiles_folded_before_without_a_title_are_found_again() {
    let dir = tempfile::tempdir().unwrap();
    let p = v2_store(dir.path());
    bin()
        .args(["fold-legacy", "--yes", "--keep-tables", "--no-backup"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "UPDATE documents SET title = NULL WHERE doc_type = 'profile'",
    );
    bin()
        .args(["fold-legacy", "--yes", "--no-backup"])
        .arg(&p)
        .assert()
        .success()
        .stdout_has("now current");
    assert_eq!(scalar::<i64>(&p, "SELECT count(*) FROM documents"), 83);
}
