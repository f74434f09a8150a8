//! Launching where you mean to be: `--tab`, `--table`, `--sql`, `--search`
//! open the real binary in a real terminal already there.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::tmux::Tmux;
use common::*;

fn tmux_or_skip() -> bool {
    if Tmux::available() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "CI installs tmux");
    eprintln!("skipped: no tmux");
    false
}

fn demo(dir: &std::path::Path) {
    bin()
        .args(["demo"])
        .arg(dir.join("demo.sqlite"))
        .assert()
        .success();
}

/// The app started with `flags` on the demo store, once `needle` shows.
fn launched(flags: &str, needle: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let t = Tmux::start(dir.path());
    t.type_line(&format!("{} demo.sqlite {flags}", bin_path().display()));
    let s = t.wait_for(needle);
    t.send(&["q"]);
    s
}

#[test]
fn each_flag_opens_the_app_where_it_says() {
    if !tmux_or_skip() {
        return;
    }
    let s = launched("--tab schema", "live DDL");
    assert!(s.contains("spec beside live"), "{s}");

    let s = launched("--table tasks", "task_id");
    assert!(s.lines().nth(1).unwrap().starts_with("tasks"), "{s}");

    let s = launched(
        "--sql \"select doc_type, count(*) as n from documents group by 1\"",
        "rows 1–12 of 12",
    );
    assert!(s.contains("SQL› select doc_type"), "{s}");
    assert!(s.contains("annotation        45"), "{s}");

    let s = launched("--search harbour", "of 300 documents");
    assert!(s.contains("search “harbour” ·"), "{s}");

    let s = launched("--table nosuch", "no table or view nosuch");
    assert!(s.contains("no table or view nosuch"), "{s}");
}

#[test]
fn launch_flags_that_disagree_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let out = bin()
        .args(["--table", "tasks", "--sql", "select 1"])
        .arg(dir.path().join("demo.sqlite"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("cannot be used with"), "{err}");
    bin().args(["--tab", "nowhere"]).assert().code(2);
}
