//! The real binary in a real terminal: launching where you mean to be
//! (`--tab`, `--table`, `--sql`, `--search`), and the data checks showing
//! how far they have got and stopping on Esc.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::tmux::Tmux;
use crate::common::*;

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
        "rows 1–12 · 12 rows",
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

#[test]
fn the_data_checks_say_how_far_they_have_got_and_stop_on_esc() {
    if !tmux_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    demo_300k(dir.path());
    let t = Tmux::start(dir.path());
    t.type_line(&format!("{} big.sqlite", bin_path().display()));
    t.wait_for("press d to scan");
    t.send(&["d"]);
    let s = t.wait_for("of 300,000 rows scanned");
    assert!(s.contains("Esc stops"), "{s}");
    assert!(s.contains("Esc  stop"), "hinted: {s}");
    t.send(&["Escape"]);
    let s = t.wait_for("data checks stopped");
    assert!(
        s.contains("press d to scan"),
        "nothing half-found is shown: {s}"
    );
    // Run again to its end, it lists what it found.
    t.send(&["d"]);
    let s = t.wait_for("n picks a finding");
    assert!(!s.contains("rows scanned"), "{s}");
    t.send(&["q"]);
}
