//! check: exit codes, JSON shape, data checks.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;

#[test]
fn json_shape_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let v = check_json(&["check", "--json"], &p, 0);
    assert_eq!(v["state"], "current");
    assert_eq!(v["ok"], true);
    assert_eq!(v["path"], p.to_str().unwrap());
    assert_eq!(v["file"]["user_version"], 3);
    assert!(v["file"]["page_size"].as_i64().unwrap() > 0);
    assert!(
        v["file"]["sqlite_version"]
            .as_str()
            .unwrap()
            .starts_with("3.")
    );
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["data_checks"], serde_json::Value::Null);
    let objs = v["objects"].as_array().unwrap();
    assert_eq!(objs.len(), 3);
    assert_eq!(
        objs[0],
        serde_json::json!({"name": "documents", "type": "table", "kind": "v3", "rows": 0})
    );
}

#[test]
fn missing_index_is_needs_init_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "DROP INDEX idx_documents_slug; CREATE TABLE settings (k TEXT); CREATE TABLE documents_temp (id TEXT);",
    );
    let v = check_json(&["check", "--json"], &p, 1);
    assert_eq!(v["state"], "needs-init");
    let f = &v["findings"].as_array().unwrap();
    let find = |code: &str| {
        f.iter()
            .find(|x| x["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {f:?}"))
    };
    assert_eq!(find("missing-index")["object"], "idx_documents_slug");
    assert_eq!(find("missing-index")["severity"], "error");
    assert_eq!(find("leftover-object")["object"], "documents_temp");
    let kinds: Vec<(&str, &str)> = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["kind"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("settings", "other")) && kinds.contains(&("documents_temp", "leftover"))
    );
}

#[test]
fn data_checks_name_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("data.sqlite");
    bin()
        .args(["demo", "--docs", "50"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "INSERT INTO documents (id, status, doc_type, tags) VALUES ('bad-json', 'draft', 'note', '[unclosed');
         INSERT INTO documents (id, status, doc_type, extensions) VALUES ('arr-ext', 'draft', 'note', '[1]');
         INSERT INTO documents (id, status, doc_type) VALUES ('odd-type', 'draft', 'recipe');
         INSERT INTO documents (id, status, doc_type, authors) VALUES ('blob-authors', 'draft', 'post', x'5b5d');",
    );
    bin().arg("check").arg(&p).assert().code(0);
    let v = check_json(&["check", "--json", "--data"], &p, 1);
    let d = v["data_checks"].as_array().unwrap();
    let msg = |code: &str, obj: &str| {
        d.iter()
            .find(|x| x["code"] == code && x["object"] == obj)
            .unwrap_or_else(|| panic!("{code} on {obj} in {d:?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(msg("invalid-json", "documents.tags").contains("'bad-json'"));
    assert!(msg("invalid-json", "documents.extensions").contains("'arr-ext'"));
    assert!(msg("invalid-json", "documents.authors").contains("'blob-authors'"));
    assert!(msg("unknown-doc-type", "documents.doc_type").contains("'recipe'"));
    let others: Vec<_> = d.iter().filter(|x| x.get("rule").is_none()).collect();
    assert_eq!(others.len(), 4, "nothing else flagged: {d:?}");

    let o = dir.path().join("old.sqlite");
    old_documents(&o, 40);
    exec(&o, "INSERT INTO documents (id) VALUES ('doc-3'), (NULL)");
    let v = check_json(&["check", "--json", "--data"], &o, 1);
    let codes: Vec<&str> = v["data_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"duplicate-id") && codes.contains(&"null-id"),
        "{codes:?}"
    );
}

#[test]
fn every_business_rule_is_checked_with_counts_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(
        &p,
        "INSERT INTO documents (id, title, slug, status, doc_type) VALUES
           ('post-ok', 'T', 't', 'draft', 'post'),
           ('post-no-slug', 'T', NULL, 'draft', 'post'),
           ('post-blank-title', '  ', 's', 'published', 'post'),
           ('post-live', 'T', 'u', 'live', 'post'),
           ('note-live', NULL, NULL, 'live', 'note');
         INSERT INTO documents (id, title, subject_uuid, status, doc_type) VALUES
           ('prof-ok', 'Ana', 'u-1', 'published', 'profile'),
           ('prof-no-uuid', 'Bo', NULL, 'published', 'profile');
         INSERT INTO documents (id, title, window_start, window_end, status, doc_type) VALUES
           ('jour-open', 'J', '2024-01-01T00:00:00Z', NULL, 'draft', 'journal');
         INSERT INTO documents (id, filename, media_type, status, doc_type) VALUES
           ('media-ok', 'a.jpg', 'image', 'draft', 'media'),
           ('media-pdf', 'a.pdf', 'document', 'draft', 'media'),
           ('media-none', NULL, NULL, 'draft', 'media');
         INSERT INTO tasks (task_id, task_type, status) VALUES
           ('t-ok', 'enrich_url', 'failed'),
           ('t-done', 'enrich_url', 'done'),
           ('t-odd', 'summarize', 'pending'),
           (NULL, 'enrich_url', NULL);",
    );
    bin().arg("check").arg(&p).assert().code(0);
    let v = check_json(&["check", "--json", "--data"], &p, 1);
    let d = v["data_checks"].as_array().unwrap();
    let rule = |name: &str| {
        d.iter()
            .find(|x| x["rule"] == name)
            .unwrap_or_else(|| panic!("{name} in {d:?}"))
    };
    let ids = |name: &str| -> Vec<String> {
        rule(name)["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect()
    };
    for (name, code, count, expect) in [
        (
            "post fields",
            "missing-field",
            2,
            vec!["post-no-slug", "post-blank-title"],
        ),
        ("post status", "invalid-status", 1, vec!["post-live"]),
        ("profile fields", "missing-field", 1, vec!["prof-no-uuid"]),
        ("journal fields", "missing-field", 1, vec!["jour-open"]),
        ("media fields", "missing-field", 1, vec!["media-none"]),
        (
            "media type",
            "invalid-media-type",
            2,
            vec!["media-pdf", "media-none"],
        ),
        ("task status", "invalid-task-status", 2, vec!["t-done"]),
        ("task type", "invalid-task-type", 1, vec!["t-odd"]),
    ] {
        let f = rule(name);
        assert_eq!(f["code"], code, "{name}");
        assert_eq!(f["severity"], "warning", "{name}");
        assert_eq!(f["count"], count, "{name}");
        assert_eq!(ids(name), expect, "{name}");
    }
    assert_eq!(d.len(), 8, "a note's status is no post's: {d:?}");
    // A task with no id is named by its rowid, in a field of its own.
    assert_eq!(
        rule("task status")["rowids_without_id"],
        serde_json::json!([4])
    );
    let text = String::from_utf8(printed(&["check", "--data"], &p, 1)).unwrap();
    assert!(
        text.contains("post fields: 2 post document(s) without title, slug or status: 'post-no-slug' (no slug), 'post-blank-title' (no title)"),
        "{text}"
    );
    assert!(text.contains("'media-pdf' = 'document'"), "{text}");
    assert!(
        text.contains("task type: 1 task(s) with a task_type outside"),
        "{text}"
    );
}

#[test]
fn the_demo_store_breaks_every_rule_a_little() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin().arg("demo").arg(&p).assert().success();
    bin().arg("check").arg(&p).assert().code(0);
    let v = check_json(&["check", "--json", "--data"], &p, 1);
    let d = v["data_checks"].as_array().unwrap();
    let rules: Vec<&str> = d.iter().filter_map(|x| x["rule"].as_str()).collect();
    assert_eq!(rules.len(), 8, "{d:?}");
    assert!(
        d.iter().all(|x| x.get("rule").is_some()),
        "only rules: {d:?}"
    );
    assert!(d.iter().all(|x| x["count"].as_u64().unwrap() >= 1));
    let types = scalar::<i64>(&p, "SELECT count(DISTINCT doc_type) FROM documents");
    assert_eq!(types, 12, "every doc_type of the pipeline");
}

#[test]
fn hostile_text_in_the_store_is_escaped_in_cli_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.sqlite");
    exec(&p, "CREATE TABLE \"x\x1b]52;c;aGk=\x07\" (a);");
    let a = bin().arg("check").arg(&p).assert().code(1);
    let out = &a.get_output().stdout;
    assert!(!out.contains(&0x1b) && !out.contains(&0x07));
    a.stdout_has("x\\x1b]52;c;aGk=\\x07");
}

#[test]
fn one_rule_for_ok_a_schema_warning_is_not_ok() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    exec(&p, "CREATE TABLE documents_temp (id TEXT);");
    let v = check_json(&["check", "--json"], &p, 1);
    assert_eq!(v["state"], "current");
    let worst = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(worst.contains(&"warning".to_string()), "{worst:?}");
    assert_eq!(v["ok"], false, "a warning is not ok, as exit 1 says");
    bin().arg("check").arg(&p).assert().code(1);
}

#[test]
fn every_data_finding_has_its_count_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("data.sqlite");
    bin()
        .args(["demo", "--docs", "20"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
         INSERT INTO documents (id, status, doc_type) SELECT 'odd-' || i, 'draft', 'recipe' FROM n;",
    );
    let v = check_json(&["check", "--json", "--data"], &p, 1);
    let d = v["data_checks"].as_array().unwrap();
    let odd = d.iter().find(|x| x["code"] == "unknown-doc-type").unwrap();
    assert_eq!(odd["count"], 25);
    let ids = odd["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 20, "up to 20 sample ids");
    assert!(
        ids.iter().all(|i| i.as_str().unwrap().starts_with("odd-")),
        "{ids:?}"
    );
}

#[test]
fn with_json_a_failure_is_json_on_stdout_too() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here.sqlite");
    for args in [
        vec!["check", "--json"],
        vec!["fold-legacy", "--json", "--dry-run"],
    ] {
        let a = bin().args(&args).arg(&missing).assert().code(2);
        let out = &a.get_output();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {:?}", out.stdout));
        assert_eq!(v["ok"], false, "{args:?}");
        assert_eq!(v["error"]["kind"], "not-found", "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("nothing-here")
        );
        assert!(!out.stderr.is_empty(), "and one line on stderr");
    }
    // init on a missing path plans a new store: that is no failure.
    let v = check_json(&["init", "--json", "--dry-run"], &missing, 0);
    assert_eq!(v["creates_file"], true, "{v}");
    assert!(!missing.exists(), "a dry run creates nothing");
    let folder = dir.path();
    let v = check_json(&["check", "--json"], folder, 2);
    assert_eq!(v["error"]["kind"], "not-a-store", "{v}");
}

#[test]
fn a_dry_run_with_json_prints_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.sqlite");
    old_documents(&p, 10);
    let before = std::fs::read(&p).unwrap();
    let v = check_json(&["init", "--dry-run", "--json"], &p, 0);
    assert_eq!(v["kind"], "init");
    assert_eq!(v["path"], p.to_str().unwrap());
    let steps = v["steps"].as_array().unwrap();
    assert!(steps.len() > 3, "{v}");
    assert!(
        steps
            .iter()
            .all(|s| s["title"].is_string() && s["sql"].is_string())
    );
    assert!(v["backup"].as_str().unwrap().contains(".bak-"), "{v}");
    assert!(v["notes"].is_array() && v["blockers"] == serde_json::json!([]));
    assert!(v["space"]["needed_bytes"].as_u64().unwrap() > 0, "{v}");
    assert!(v["space"]["free_bytes"].as_u64().is_some(), "{v}");
    assert_eq!(std::fs::read(&p).unwrap(), before, "nothing written");
}
