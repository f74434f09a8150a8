//! The real binary in a real terminal (tmux): open a store with legacy
//! tables, init it from the dialog, browse hostile documents, quit, and find
//! the terminal as it was.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::tmux::Tmux;
use crate::common::*;
use std::time::{Duration, Instant};

/// Starts tmux with what these tests look for: an OSC 52 that got through
/// would create a buffer, a title escape would rename the pane.
fn tmux(dir: &std::path::Path) -> Tmux {
    let t = Tmux::start(dir);
    t.run(&["set-option", "-g", "set-clipboard", "on"]);
    t.run(&["set-option", "-g", "allow-rename", "on"]);
    t
}

/// Confirms the plan in the open dialog, waits for it to finish, and closes
/// the dialog.
fn run_plan(t: &Tmux) {
    t.send(&["y"]);
    t.wait_for("done:");
    t.send(&["Escape"]);
    t.wait_gone("Esc close");
}

#[test]
fn init_from_the_app_then_browse_and_quit_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("store.sqlite");
    old_documents(&p, 50);
    exec(
        &p,
        "CREATE TABLE posts (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT); INSERT INTO posts (id) VALUES ('p1'), ('p2'), ('p3');",
    );
    let c = open(&p);
    c.execute(
        "UPDATE documents SET title = ?1 WHERE id = 'doc-1'",
        ["\x1b]0;pwned-title\x07 evil"],
    )
    .unwrap();
    c.execute(
        "UPDATE documents SET title = ?1, content = ?1 WHERE id = 'doc-2'",
        ["\x1b]52;c;cHduZWQ=\x07 clip"],
    )
    .unwrap();
    drop(c);

    let t = tmux(dir.path());
    let title_before = t.format("#{pane_title}");
    t.type_line(&format!("{} store.sqlite", bin_path().display()));
    t.wait_for(" needs-migration ");
    // The count comes from the scan worker, once the first screen is drawn.
    let s = t.wait_for("3 rows");
    assert!(
        s.contains("⚠ table posts            3 rows"),
        "legacy flagged with its rows:\n{s}"
    );
    assert_eq!(t.format("#{alternate_on}"), "1");

    t.send(&["i"]);
    let s = t.wait_for("steps on");
    assert!(
        s.contains("Copy 50 row(s)") && s.contains("backup first:"),
        "{s}"
    );
    run_plan(&t);
    let s = t.wait_for(" legacy-present ");
    assert!(
        s.contains("extra column documents.legacy_score (kept") && !s.contains("error "),
        "documents is V3 now:\n{s}"
    );
    assert_eq!(columns(&p, "documents").len(), 24);

    t.send(&["F"]);
    let s = t.wait_for("steps on");
    assert!(
        s.contains("fold-legacy") && s.contains("Copy 3 row(s) of posts into documents as 'post'"),
        "{s}"
    );
    run_plan(&t);
    let s = t.wait_for(" current ");
    assert!(
        !s.contains("⚠") && !s.contains("Legacy V2 objects"),
        "no legacy object is left:\n{s}"
    );
    assert_eq!(
        scalar::<i64>(&p, "SELECT count(*) FROM documents WHERE doc_type = 'post'"),
        3
    );

    t.send(&["2"]);
    let s = t.wait_for("doc-1");
    assert!(
        s.contains("\\x1b]0;pwned-title\\x07 evil"),
        "the escape is shown, not run:\n{s}"
    );
    t.send(&["j", "Enter"]);
    t.wait_for("rowid 6");
    t.send(&["Escape"]);
    t.wait_gone("rowid 6");
    t.send(&["G", "g"]);
    assert_ne!(t.format("#{pane_title}"), "pwned-title");
    assert_eq!(t.format("#{pane_title}"), title_before);
    let buffers = t.run(&["list-buffers"]);
    assert!(
        String::from_utf8_lossy(&buffers.stdout).trim().is_empty(),
        "no clipboard buffer was set"
    );

    t.send(&["q"]);
    let start = Instant::now();
    while t.format("#{alternate_on}") != "0" {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the alternate screen is left"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t.type_line("stty -a > stty.txt; echo stty-$((40 + 2))");
    t.wait_for("stty-42");
    let stty = std::fs::read_to_string(dir.path().join("stty.txt")).unwrap();
    let words: Vec<&str> = stty
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    assert!(
        words.contains(&"echo") && words.contains(&"icanon"),
        "echo and icanon are back: {stty}"
    );
    assert!(
        !words.contains(&"-echo") && !words.contains(&"-icanon"),
        "{stty}"
    );
}

#[test]
fn without_a_terminal_the_app_says_so_and_prints_no_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let p = current_store(dir.path());
    let a = bin()
        .arg(&p)
        .assert()
        .code(2)
        .stderr_has("needs a terminal")
        .stderr_has("check");
    let out = a.get_output();
    assert!(
        !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
        "no escape sequences"
    );
}

#[test]
fn a_running_plan_is_cancelled_from_the_app_and_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.sqlite");
    old_documents(&p, 400_000);
    let before = snapshot(&p);
    let t = tmux(dir.path());
    t.type_line(&format!(
        "{} big.sqlite; echo app-$((6 * 7))",
        bin_path().display()
    ));
    t.wait_for(" needs-migration ");
    t.send(&["i"]);
    t.wait_for("steps on");
    t.send(&["y"]);
    t.wait_for("/400,000 rows)");
    t.send(&["Escape"]);
    let s = t.wait_for("cancelled");
    assert!(s.contains("rolled back"), "{s}");
    t.send(&["Escape", "q"]);
    t.wait_for("app-42");
    assert_eq!(snapshot(&p), before, "the store is exactly as before");
    assert_eq!(
        listing(dir.path()),
        ["big.sqlite"],
        "no backup, no journal left"
    );
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for sig in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let p = current_store(dir.path());
        let t = tmux(dir.path());
        t.type_line(&format!(
            "{} {}; echo exited-$?",
            bin_path().display(),
            p.display()
        ));
        t.wait_for(" current ");
        assert_eq!(t.format("#{alternate_on}"), "1");
        let app = t.app_pid().expect("the app runs");
        let signal = if sig == "TERM" {
            rustix::process::Signal::TERM
        } else {
            rustix::process::Signal::HUP
        };
        let pid = rustix::process::Pid::from_raw(app).unwrap();
        rustix::process::kill_process(pid, signal).expect("the app got the signal");
        // The app leaves cleanly on either signal (the echoed command line
        // shows `exited-$?`, so only the output matches this).
        t.wait_for("exited-0");
        assert_eq!(t.format("#{alternate_on}"), "0", "SIG{sig}: main screen");
        t.type_line("stty -a > stty.txt; echo stty-$((40 + 2))");
        t.wait_for("stty-42");
        let stty = std::fs::read_to_string(dir.path().join("stty.txt")).unwrap();
        let words: Vec<&str> = stty
            .split(|c: char| c.is_whitespace() || c == ';')
            .collect();
        assert!(
            words.contains(&"echo") && words.contains(&"icanon"),
            "SIG{sig}: {stty}"
        );
    }
}

/// `y` inside tmux copies through tmux itself (its buffer, with tmux's
/// default settings): the value arrives whole, escapes and all, as data,
/// and nothing of it reaches the terminal.
#[test]
fn copy_goes_through_tmux_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    bin()
        .args(["demo", "--docs", "40"])
        .arg(&p)
        .assert()
        .success();
    let hostile = "\x1b]0;pwned\x07 a \"title\"";
    open(&p)
        .execute("UPDATE documents SET title = ?1 WHERE rowid = 1", [hostile])
        .unwrap();
    let id: String = scalar(&p, "SELECT id FROM documents WHERE rowid = 1");
    let t = Tmux::start(dir.path());
    t.run(&["set-option", "-g", "allow-rename", "on"]);
    let title_before = t.format("#{pane_title}");
    t.type_line(&format!("{} s.sqlite", bin_path().display()));
    t.wait_for("Documents per month");
    t.send(&["2"]);
    t.wait_for("col 1/5 id");
    t.send(&["y"]);
    t.wait_for("copied id of rowid 1: 36 bytes (tmux buffer)");
    let buffer = |t: &Tmux| String::from_utf8(t.run(&["show-buffer"]).stdout).unwrap();
    assert_eq!(buffer(&t), id);
    t.send(&["l", "l", "l", "l"]);
    t.wait_for("col 5/5 title");
    t.send(&["y"]);
    t.wait_for("copied title of rowid 1");
    assert_eq!(buffer(&t), hostile, "whole, as stored");
    assert_eq!(t.format("#{pane_title}"), title_before, "never printed");
    t.send(&["Y"]);
    t.wait_for("copied rowid 1 as JSON");
    let row: serde_json::Value = serde_json::from_str(&buffer(&t)).unwrap();
    assert_eq!(row["title"], hostile);
    t.send(&["q"]);
    t.wait_for("$ ");
}

#[test]
fn the_query_tab_in_a_real_terminal_history_paste_editor_and_esc() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("q.sqlite");
    bin()
        .args(["demo", "--docs", "200"])
        .arg(&p)
        .assert()
        .success();
    let state = dir.path().join("state");
    // The "editor" puts a statement of its own in the file it is given.
    let stmt = dir.path().join("stmt.sql");
    std::fs::write(
        &stmt,
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n\n",
    )
    .unwrap();
    let t = tmux(dir.path());
    let app = format!(
        "XDG_STATE_HOME={} EDITOR='cp {}' {} q.sqlite",
        state.display(),
        stmt.display(),
        bin_path().display()
    );
    t.type_line(&app);
    t.wait_for("Overview");
    // `:` from the Overview; the statement arrives as a paste (its newline
    // is a new line, no Enter), then Enter runs it.
    t.send(&[":"]);
    t.wait_for("SQL›");
    t.run(&[
        "set-buffer",
        "SELECT doc_type, count(*) AS n\nFROM documents GROUP BY 1",
    ]);
    t.run(&["paste-buffer", "-p", "-t", "s"]);
    t.wait_for("SQL› SELECT doc_type, count(*) AS n");
    t.wait_for("   ┆ FROM documents GROUP BY 1");
    t.send(&["Enter"]);
    t.wait_for("rows 1–");
    // Ctrl-E hands the statement to $EDITOR and reads back what it left:
    // a statement that never ends. Esc stops it, the app answers at once.
    t.send(&[":", "C-e"]);
    t.wait_for("SQL› WITH RECURSIVE n(x)");
    t.send(&["Enter"]);
    t.wait_for("(Esc stops)");
    t.send(&["Escape"]);
    t.wait_for("stopped before a row came");
    t.send(&["q"]);
    t.wait_for("$ ");
    let history = std::fs::read_to_string(state.join("egregora-inspect/history")).unwrap();
    assert_eq!(
        history.lines().collect::<Vec<_>>(),
        [
            "\"SELECT doc_type, count(*) AS n\\nFROM documents GROUP BY 1\"",
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        ]
    );
    // Another run recalls them with ↑.
    t.type_line(&app);
    t.wait_for("Overview");
    t.send(&[":", "Up", "Up"]);
    t.wait_for("SQL› SELECT doc_type, count(*) AS n");
    t.wait_for("   ┆ FROM documents GROUP BY 1");
    t.send(&["Escape", "q"]);
    t.wait_for("$ ");
}
