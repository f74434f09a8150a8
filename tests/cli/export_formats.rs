//! One rule for an export's format: a known extension picks it; any other
//! name is refused, naming the choices, and no file is written.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::read::export::Format;
use std::path::Path;

#[test]
fn a_known_extension_picks_the_format_and_any_other_is_refused() {
    for (name, format) in [
        ("a.csv", Format::Csv),
        ("a.JSON", Format::Json),
        ("a.ndjson", Format::Ndjson),
        ("a.jsonl", Format::Ndjson),
        ("a.txt", Format::Table),
    ] {
        assert_eq!(Format::for_file(Path::new(name)).unwrap(), format, "{name}");
    }
    for name in ["a.parquet", "a", "a.csv.gz", ".csv"] {
        let e = Format::for_file(Path::new(name)).unwrap_err().to_string();
        assert!(e.contains(".csv, .json, .ndjson"), "{name}: {e}");
    }
}

#[test]
fn export_to_an_unknown_extension_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    bin()
        .args(["demo", "--docs", "20"])
        .arg(&p)
        .assert()
        .success();
    for name in ["out.parquet", "out"] {
        let o = dir.path().join(name);
        let out = bin()
            .arg("export")
            .arg(&p)
            .arg("-o")
            .arg(&o)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(".csv, .json, .ndjson"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!o.exists(), "{name} written");
    }
    let o = dir.path().join("out.txt");
    bin()
        .arg("export")
        .arg(&p)
        .arg("-o")
        .arg(&o)
        .args(["--columns", "id,status"])
        .assert()
        .success();
    let table = std::fs::read_to_string(&o).unwrap();
    assert!(table.starts_with("id"), "{table}");
    assert!(
        table.lines().nth(1).unwrap().starts_with("──"),
        "a table: {table}"
    );
    let o = dir.path().join("out.jsonl");
    bin()
        .arg("export")
        .arg(&p)
        .arg("-o")
        .arg(&o)
        .assert()
        .success();
    let lines = std::fs::read_to_string(&o).unwrap();
    assert_eq!(lines.lines().count(), 20);
    assert!(lines.lines().all(|l| l.starts_with('{')));
}

#[test]
fn an_unknown_format_name_is_one_line_naming_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    bin()
        .args(["demo", "--docs", "5"])
        .arg(&p)
        .assert()
        .success();
    for cmd in [["export", "--format"], ["query", "--format"]] {
        let out = bin()
            .args(cmd)
            .arg("xml")
            .args(
                ["--sql", "SELECT 1"]
                    .iter()
                    .take(if cmd[0] == "query" { 2 } else { 0 }),
            )
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("csv, json, ndjson, table"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}
