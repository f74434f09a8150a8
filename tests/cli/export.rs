//! `export` through the real binary: the Documents tab's rows in its order,
//! CSV by RFC 4180, JSON values that survive a round trip, refusals; and
//! the config file through `--print-config`.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{Anchor, Picked, Query, Sort, window};

fn demo(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "400"])
        .arg(&p)
        .assert()
        .success();
    p
}

fn stdout(args: &[&str], store: &std::path::Path) -> String {
    let out = bin().arg("export").arg(store).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_rows_are_the_documents_tabs_in_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let got = stdout(
        &[
            "--format",
            "ndjson",
            "--type",
            "post",
            "--type",
            "note",
            "--status",
            "published",
            "--search",
            "the",
            "--sort",
            "created_at:desc",
            "--columns",
            "id,created_at",
        ],
        &p,
    );
    let ids: Vec<String> = got
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // The same selection, one type at a time, walked as the tab walks it.
    let mut store = open_read_only(&p).unwrap();
    let ins = inspect(&mut store.conn, &p, Counts::None).unwrap();
    let live = ins.live("documents").unwrap();
    let q = Query {
        status: Picked::one("published"),
        search: Some("the".into()),
        sort: Sort::CreatedAt,
        desc: true,
        ..Query::default()
    };
    let all = window(&store.conn, live, &q, &Anchor::Start, 10_000).unwrap();
    let want: Vec<String> = all
        .iter()
        .filter(|r| {
            let t = r.cells[1].summary();
            t == "post" || t == "note"
        })
        .map(|r| r.id.summary())
        .collect();
    assert!(want.len() > 10, "{}", want.len());
    assert_eq!(ids, want);
}

#[test]
fn csv_and_json_carry_the_data_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    exec(
        &p,
        "UPDATE documents SET title = 'a \"quoted\", comma' || char(10) || 'line', content = x'00ff1b' WHERE rowid = 1;
         UPDATE documents SET content = CAST(x'c328' AS TEXT), summary = 1.5 WHERE rowid = 2;
         UPDATE documents SET summary = NULL WHERE rowid = 4;",
    );
    let csv_text = stdout(&["--columns", "id,title,summary"], &p);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 400);
    assert_eq!(&rows[0][1], "a \"quoted\", comma\nline");
    assert_eq!(&rows[1][2], "1.5");
    assert!(csv_text.contains("\r\n"), "CRLF line ends");

    let json = stdout(&["--format", "json", "--columns", "id,content,summary"], &p);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 400);
    assert_eq!(v[0]["content"], serde_json::json!({"$hex": "00ff1b"}));
    assert_eq!(v[1]["content"], serde_json::json!({"$hex": "c328"}));
    // A TEXT column keeps 1.5 as text: exported as stored.
    assert_eq!(v[1]["summary"], "1.5");
    assert!(v[3]["summary"].is_null());
    let store_before = snapshot(&p);
    let out = dir.path().join("all.json");
    bin()
        .arg("export")
        .arg(&p)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let all: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        all[0].as_object().unwrap().len(),
        23,
        "every column by default"
    );
    assert_eq!(snapshot(&p), store_before, "the store is untouched");
}

#[test]
fn any_column_sorts_either_way_nulls_first_and_ties_by_rowid() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    // Ties and NULLs in a column no index orders.
    exec(
        &p,
        "UPDATE documents SET title = NULL WHERE rowid % 9 = 0;
         UPDATE documents SET title = 'same' WHERE rowid % 9 = 1;",
    );
    let before = snapshot(&p);
    for (arg, dir) in [
        ("title:desc", "DESC"),
        ("title", "ASC"),
        ("TITLE:asc", "ASC"),
    ] {
        let got: Vec<String> = stdout(
            &["--format", "ndjson", "--sort", arg, "--columns", "id"],
            &p,
        )
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
        let c = open(&p);
        let want: Vec<String> = c
            .prepare(&format!(
                "SELECT id FROM documents ORDER BY title {dir}, rowid {dir}"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(got.len(), 400);
        assert_eq!(got, want, "{arg}");
    }
    assert_eq!(snapshot(&p), before, "the store is untouched");
}

#[test]
fn bad_requests_are_refused_in_one_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = demo(dir.path());
    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, "mine").unwrap();
    for (args, says) in [
        (vec!["--columns", "id,nope"], "documents has no column nope"),
        (
            vec!["--sort", "nope:desc"],
            "cannot sort by nope: documents has no such column (it has id, content,",
        ),
        (vec!["--sort", "id:up"], "asc or desc"),
        (vec!["--format", "xml"], "csv, json, ndjson, table"),
        (vec!["-o", kept.to_str().unwrap()], "never replaces a file"),
    ] {
        let out = bin().arg("export").arg(&p).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "mine");
    let missing = bin()
        .arg("export")
        .arg(dir.path().join("none.sqlite"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn the_config_file_remaps_keys_and_a_bad_one_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("egregora-inspect");
    std::fs::create_dir_all(&conf).unwrap();
    let print = || {
        bin()
            .arg("--print-config")
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap()
    };
    let out = print();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no config file at"), "{text}");
    assert!(text.contains("sort = [\"o\"]"), "{text}");
    std::fs::write(
        conf.join("config.toml"),
        "theme = \"light\"\n[keys]\nsort = [\"S\"]\ncopy = \"ctrl-y\"\n",
    )
    .unwrap();
    let out = print();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("theme = \"light\""), "{text}");
    assert!(
        text.contains("sort = [\"S\"]") && text.contains("copy = [\"ctrl-y\"]"),
        "{text}"
    );

    std::fs::write(conf.join("config.toml"), "[keys]\nsort = \"q\"\n").unwrap();
    for args in [vec!["--print-config"], vec!["some.sqlite"]] {
        let out = bin()
            .args(&args)
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("key q is bound to both sort and quit"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}
