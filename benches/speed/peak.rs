//! A child's wall time and peak memory, measured alone: this binary runs
//! the command as its own child and reads `getrusage(RUSAGE_CHILDREN)`,
//! which then holds that one child only (the benchmark's other children
//! would lump in if it were read here).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The first argument that makes this binary the measuring wrapper:
/// `--peak-of FILE PROGRAM ARGS…`.
const FLAG: &str = "--peak-of";

/// `cmd` run under the wrapper (stdout and stderr to /dev/null): its wall
/// time and peak memory (KiB). `check` exits 1 when it finds something:
/// that is a result, not a failure.
pub(crate) fn measured(cmd: &Command) -> (Duration, u64) {
    let report = tempfile::NamedTempFile::new().expect("a temp file");
    let mut w = Command::new(std::env::current_exe().expect("this binary"));
    w.arg(FLAG).arg(report.path()).arg(cmd.get_program());
    w.args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        w.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => w.env(k, v),
            None => w.env_remove(k),
        };
    }
    let status = w
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the wrapper runs");
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{cmd:?} failed: {status}"
    );
    let said = std::fs::read_to_string(report.path()).expect("the wrapper's report");
    let mut f = said
        .split_whitespace()
        .map(|x| x.parse::<u64>().expect("a figure"));
    let (nanos, kib) = (f.next().expect("a time"), f.next().expect("a peak"));
    (Duration::from_nanos(nanos), kib)
}

/// When this binary was started as the wrapper: runs the command, writes
/// "NANOS KIB" to the report file, and exits with the command's code.
pub(crate) fn serve_if_asked() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let [flag, report, program, rest @ ..] = args.as_slice() else {
        return;
    };
    if flag != FLAG {
        return;
    }
    let t = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .status()
        .expect("the command runs");
    let took = t.elapsed();
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    write(Path::new(report), took, usage.max_rss());
    // A signal's death reads as a failure (exit code 128 + signal).
    std::process::exit(status.code().unwrap_or(128));
}

fn write(report: &Path, took: Duration, kib: i64) {
    std::fs::write(report, format!("{} {}", took.as_nanos(), kib.max(0))).expect("the report");
}
