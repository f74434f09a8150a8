//! `completions SHELL` and `man` through the real binary: every command is
//! in what they print, the shells and groff accept it, bad input is one line.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use std::io::Read;
use std::process::{Command, Stdio};

/// The commands the binary itself lists in `--help`, so a command added
/// later is checked too without touching this test.
fn commands() -> Vec<String> {
    let out = bin()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    let list: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .expect("--help lists commands")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect();
    for c in ["check", "init", "fold-legacy", "export", "query", "demo"] {
        assert!(list.iter().any(|l| l == c), "{c} missing from {list:?}");
    }
    list
}

fn completion(shell: &str) -> String {
    let out = bin()
        .args(["completions", shell])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A tool the test needs: there, or a reason printed (and a failure on CI).
fn tool(name: &str) -> bool {
    let here = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed (.ci/run installs it)"
        );
        eprintln!("skipped: {name} is not installed (apt-get install {name})");
    }
    here
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let commands = commands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = completion(shell);
        for c in &commands {
            assert!(script.contains(c.as_str()), "{shell} lacks {c}:\n{script}");
        }
        // Flags of the commands too, not only their names.
        for flag in ["dry-run", "keep-tables", "no-backup", "sql"] {
            assert!(script.contains(flag), "{shell} lacks --{flag}");
        }
    }
}

#[test]
fn bash_accepts_the_script_and_it_completes_commands_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("egregora-inspect.bash");
    let script = completion("bash");
    std::fs::write(&file, &script).unwrap();
    // The function the script registers for the command.
    let function = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("complete -F "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the script registers a function")
        .to_string();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Ask the completion function itself, as bash does on Tab.
    let ask = |words: &str, cword: usize| -> String {
        let script = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             {function} egregora-inspect \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        let out = Command::new("bash").args(["-c", &script]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = ask("egregora-inspect ''", 1);
    for c in commands() {
        assert!(first.lines().any(|l| l == c), "Tab offers no {c}:\n{first}");
    }
    let flags = ask("egregora-inspect fold-legacy --", 2);
    assert!(flags.lines().any(|l| l == "--keep-tables"), "{flags}");
    let shells = ask("egregora-inspect completions ''", 2);
    assert!(shells.lines().any(|l| l == "powershell"), "{shells}");
}

#[test]
fn zsh_and_fish_accept_their_scripts() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, check) in [("zsh", ["-n"]), ("fish", ["--no-execute"])] {
        if !tool(shell) {
            continue;
        }
        let file = dir.path().join(format!("completion.{shell}"));
        std::fs::write(&file, completion(shell)).unwrap();
        let out = Command::new(shell).args(check).arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "{shell} {check:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // fish answers what Tab would offer without a terminal.
    if tool("fish") {
        let file = dir.path().join("completion.fish");
        let ask = format!(
            "source {}; complete -C 'egregora-inspect fold-legacy --k'",
            file.display()
        );
        let out = Command::new("fish").args(["-c", &ask]).output().unwrap();
        let offered = String::from_utf8_lossy(&out.stdout);
        assert!(offered.starts_with("--keep-tables"), "{offered}");
    }
}

#[test]
fn an_unknown_shell_is_one_clean_line_and_exit_2() {
    let out = bin()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    bin().arg("completions").assert().code(2);
}

#[test]
fn a_reader_that_stops_early_is_no_panic() {
    for args in [&["completions", "bash"][..], &["man"][..]] {
        // A pipe whose reader is gone before the writer starts: closed
        // under its first write however fast the machine.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = Command::new(bin_path())
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // Cut short, as a tool SIGPIPE ended (README, exit codes).
        assert_eq!(status.code(), Some(141), "{args:?}: {err}");
    }
}

fn man_page() -> String {
    let out = bin().arg("man").assert().success().get_output().clone();
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn man_is_roff_with_every_command_and_its_flags() {
    let page = man_page();
    assert!(
        page.lines().filter(|l| l.starts_with(".TH ")).count() == 1,
        "one title: {}",
        &page[..page.len().min(300)]
    );
    assert!(page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"));
    for c in commands() {
        assert!(
            page.contains(&format!("egregora\\-inspect {}", c.replace('-', "\\-"))),
            "the page has no section for {c}"
        );
    }
    // Each command's own flags are in this one page, with their help.
    assert!(page.contains("keep\\-tables"));
    assert!(page.contains("Keep the V2 tables"));
}

#[test]
fn groff_renders_the_page_without_a_warning() {
    if !tool("groff") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("egregora-inspect.1");
    std::fs::write(&file, man_page()).unwrap();
    let out = Command::new("groff")
        // -P-cbou: plain text, no bold or underline escapes to strip.
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.trim().is_empty(),
        "groff: {err}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // groff writes a dash as a Unicode hyphen or minus; spaces vary.
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if matches!(c, '‐' | '−') { '-' } else { c })
        .collect();
    for c in commands() {
        assert!(
            plain.contains(&format!("egregora-inspect{c}")),
            "the rendered page lacks {c}"
        );
    }
}

#[test]
fn a_failed_write_is_one_line_and_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        assert!(std::env::var_os("CI").is_none(), "/dev/full is missing");
        eprintln!("skipped: no /dev/full here");
        return;
    };
    for args in [&["completions", "zsh"][..], &["man"][..]] {
        let out = Command::new(bin_path())
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("cannot write"), "{err}");
    }
}
