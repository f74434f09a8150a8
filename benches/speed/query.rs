//! The Query tab beside the Documents tab (first screen from launch, peak
//! memory paging the result) in tmux, and the `query` command beside
//! `sqlite3 -json`. DESIGN §8: `SELECT * FROM documents` at 1,000,000 shows
//! its first screen within 2x of the Documents tab, with a peak memory
//! within 1.2x of the same on 1,000; the command within 1.2x of sqlite3 in
//! wall time, under 30 MB.

use crate::tmux::Tmux;
use crate::{Stores, has_sqlite3, measured_runs, nth_id, peak_kib, ratio, spread, verdict};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SQL: &str = "SELECT * FROM documents";

pub(crate) fn run(bin: &Path, s: &Stores) {
    screen(bin, s);
    println!();
    command(bin, &s.large);
    println!();
    completion(&s.large);
}

/// Tab in the SQL editor answers within one frame (DESIGN §8): the
/// slowest of many completions on the 1,000,000-document store's catalog.
fn completion(large: &Path) {
    use egregora_inspect::store::inspection::inspect::{Counts, inspect};
    use egregora_inspect::store::read::complete::complete;
    let mut s = egregora_inspect::store::open::open_read_only(large).expect("open");
    let names = inspect(&mut s.conn, large, Counts::None)
        .expect("inspect")
        .names();
    let statements = [
        "SELECT d.ti",
        "SELECT * FROM doc",
        "SELECT id, st FROM documents WHERE doc_type = 'post' AND s",
        "SELECT count(*) FROM documents d JOIN tasks t ON t.",
        "sel",
    ];
    let mut worst = Duration::ZERO;
    for _ in 0..200 {
        for sql in statements {
            let t = std::time::Instant::now();
            let got = complete(&names, sql, sql.len());
            worst = worst.max(t.elapsed());
            assert!(got.is_some(), "{sql}");
        }
    }
    println!(
        "SQL editor completion, slowest of 1,000 at 1M: {}",
        crate::verdict::under("completion", worst, Duration::from_millis(16))
    );
}

fn screen(bin: &Path, s: &Stores) {
    let t = Tmux::start(&std::env::temp_dir());
    std::thread::sleep(Duration::from_millis(300));
    let state = std::env::temp_dir().join("egregora-inspect-bench-state");
    let app = |path: &Path| {
        format!(
            "XDG_STATE_HOME={} {} {}",
            state.display(),
            bin.display(),
            path.display()
        )
    };
    println!("Query tab, {SQL} (real binary in tmux, 120×40):");
    let mut peaks = Vec::new();
    for (label, path) in [("1k", &s.small), ("1M", &s.large)] {
        let needle = nth_id(path, 29);
        let launch = |then: &[&str]| -> Vec<Duration> {
            (0..7)
                .map(|_| {
                    let d = t.launch_until(&app(path), &needle, then);
                    t.keys(&["C-c"]);
                    t.wait_within("$ ", Duration::from_secs(120));
                    d
                })
                .collect()
        };
        let docs = launch(&["2"]);
        let query = launch(&[":", SQL, "Enter"]);
        let r = ratio(&query, &docs);
        let said = if label == "1M" {
            verdict::ratio("Query tab first screen/Documents tab at 1M", r, 2.0)
        } else {
            format!("{r:.2}x (no target at this size)")
        };
        println!(
            "  {label}: first screen {} against Documents {}: {said}",
            spread(&query),
            spread(&docs),
        );
        // Paging through the result the way a person would.
        t.launch_until(&app(path), &needle, &[":", SQL, "Enter"]);
        let pid = t.app_pid();
        let script: &[&[&str]] = &[
            &["PageDown"; 20],
            &["G"],
            &["k"; 5],
            &["PageUp"; 3],
            &["g"],
            &["l"; 10],
        ];
        for step in script {
            t.keys(step);
            std::thread::sleep(Duration::from_millis(500));
        }
        std::thread::sleep(Duration::from_secs(3));
        let hwm = peak_kib(pid);
        t.keys(&["C-c"]);
        t.wait_within("$ ", Duration::from_secs(120));
        peaks.push(hwm);
        println!(
            "  {label}: peak memory paging the result {:.1} MB",
            hwm as f64 / 1024.0
        );
    }
    if let [s, l] = peaks[..] {
        let r = l as f64 / s.max(1) as f64;
        println!(
            "  peak memory 1M/1k: {}",
            verdict::ratio("Query tab peak memory 1M/1k", r, 1.2)
        );
    }
}

/// `query --format ndjson` to /dev/null beside `sqlite3 -json`.
pub(crate) fn command(bin: &Path, large: &Path) {
    let runs = 3;
    let (times, peak) = measured_runs(runs, || {
        let mut c = Command::new(bin);
        c.arg("query")
            .arg(large)
            .args(["--sql", SQL, "--format", "ndjson"]);
        c
    });
    println!("query --format ndjson '{SQL}' at 1,000,000, to /dev/null ({runs} runs):");
    println!(
        "  egregora-inspect: {}, peak memory {}",
        spread(&times),
        verdict::memory("query command peak memory", peak, 30.0)
    );
    if !has_sqlite3() {
        return verdict::skipped("query against sqlite3 -json", "sqlite3 is not installed");
    }
    let (theirs, _) = measured_runs(runs, || {
        let mut c = Command::new("sqlite3");
        c.arg("-json").arg(large).arg(SQL);
        c
    });
    println!(
        "  sqlite3 -json: {}; query/sqlite3 {}",
        spread(&theirs),
        verdict::ratio("query/sqlite3 -json", ratio(&times, &theirs), 1.2)
    );
}
