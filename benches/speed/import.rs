//! DESIGN §8: `import` of a 1,000,000-document upstream-shaped DuckDB store
//! against the sum of its halves measured alone: the duckdb shell writing
//! the same rows as JSON lines to /dev/null, and sqlite3 copying 1,000,000
//! documents into a fresh V3 store with one INSERT … SELECT. Peak memory
//! under 50 MB.

use super::{has_sqlite3, median, spread, store_dir, verdict};
use std::path::{Path, PathBuf};
use std::process::Command;

const DOCS: u64 = 1_000_000;

/// The duckdb binary the app runs (a Python wrapper seen through).
fn shell() -> Option<PathBuf> {
    egregora_inspect::store::duckdb::shell::Shell::find(Path::new("bench"))
        .ok()
        .map(|s| s.path)
}

/// The upstream store, made once by the shell from upstream's DDL and
/// cached beside the other benchmark stores.
fn cached_upstream(shell: &Path) -> PathBuf {
    let p = store_dir().join(format!("upstream-{DOCS}.duckdb"));
    if p.exists() {
        return p;
    }
    eprintln!("building a {DOCS}-document upstream DuckDB store (cached for later runs) …");
    let ddl = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pipeline-ddl.sql"),
    )
    .expect("upstream's DDL");
    // Posts, profiles, journals, media and notes in the pipeline's shape.
    let rows = format!(
        "INSERT INTO documents SELECT
           'doc-' || i, repeat('Lorem ipsum dolor sit amet. ', 1 + i % 20),
           TIMESTAMPTZ '2025-01-01 00:00:00+00' + INTERVAL (i) SECOND, md5(i::VARCHAR),
           CASE WHEN i % 5 IN (0, 1, 2) THEN 'Title ' || i END,
           CASE WHEN i % 5 = 0 THEN 'slug-' || i END,
           CASE WHEN i % 5 = 0 THEN DATE '2025-01-01' + (i % 365)::INTEGER END,
           NULL, ['a' || (i % 97), 'b'], ['tag' || (i % 13)],
           ['draft', 'published', 'archived'][1 + i % 3],
           CASE WHEN i % 5 = 1 THEN 'u' || i END, NULL, NULL,
           CASE WHEN i % 5 = 1 THEN [] END,
           CASE WHEN i % 5 = 3 THEN 'f' || i || '.png' END,
           CASE WHEN i % 5 = 3 THEN 'image/png' END,
           CASE WHEN i % 5 = 3 THEN 'image' END, NULL,
           CASE WHEN i % 5 = 2 THEN TIMESTAMPTZ '2025-01-01 00:00:00+00' END,
           CASE WHEN i % 5 = 2 THEN TIMESTAMPTZ '2025-01-08 00:00:00+00' END,
           ['post', 'profile', 'journal', 'media', 'note'][1 + i % 5], NULL
         FROM range({DOCS}) t(i);
         INSERT INTO tasks SELECT uuid(), 'enrich_url', 'completed', '{{}}', now(), now(), NULL FROM range(10000);
         INSERT INTO messages (event_id, text, ts) SELECT 'ev' || i, 'hello', now() FROM range(10000) t(i);"
    );
    // On stdin: the DDL starts with a comment the shell would read as an option.
    let out = Command::new(shell)
        .arg(&p)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            if let Some(mut input) = c.stdin.take() {
                input.write_all(format!("{ddl}\n{rows}").as_bytes())?;
            }
            c.wait_with_output()
        })
        .expect("the duckdb shell runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p
}

/// What `watched` saw of a command.
struct Watched {
    wall: Vec<std::time::Duration>,
    /// Its own peak memory and the largest of its children's (KiB).
    own: u64,
    shells: u64,
    /// CPU seconds of it and the children it waited for, as last read.
    cpu: f64,
}

/// CPU seconds (user and system) of `pid` and its waited-for children.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command's closing parenthesis: utime is the 14th of
    // the line, then stime, cutime, cstime.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|x| x.parse().ok())
        .collect();
    let hz = rustix::param::clock_ticks_per_second() as f64;
    (f.len() == 4 && hz > 0.0).then(|| f.iter().sum::<f64>() / hz)
}

/// Runs `cmd` (output to /dev/null): its wall time, peak memories from
/// /proc's high-water marks read while it runs (wait4's figure would lump
/// the duckdb shells in), and its CPU time: on a 2-core machine shared
/// with other work, the import (the shell and the copy side by side)
/// loses more to the load than its halves measured alone, and the CPU
/// seconds tell that apart from a slower import.
fn watched(cmd: &mut Command) -> Watched {
    let hwm = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    let t = std::time::Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let (mut own, mut shells, mut cpu) = (0, 0, 0.0);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        own = own.max(hwm(pid));
        cpu = cpu_seconds(pid).unwrap_or(cpu);
        let kids =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for k in kids.split_whitespace().filter_map(|k| k.parse().ok()) {
            shells = shells.max(hwm(k));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{cmd:?} failed");
    Watched {
        wall: vec![t.elapsed()],
        own,
        shells,
        cpu,
    }
}

pub(crate) fn run(bin: &Path) {
    let Some(shell) = shell() else {
        return verdict::skipped("import", "no duckdb shell: pip install duckdb-cli");
    };
    let source = cached_upstream(&shell);
    let dir = store_dir().join("import-runs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder for the runs");
    let dest = dir.join("imported.sqlite");
    let import = watched(
        Command::new(bin)
            .args(["import", "--yes"])
            .arg(&source)
            .arg(&dest),
    );
    println!("import of a {DOCS}-document upstream DuckDB store (1 run):");
    println!(
        "  egregora-inspect import: {}, peak memory {}; each duckdb shell it ran: at most {:.1} MB",
        spread(&import.wall),
        verdict::memory("import peak at 1M", import.own, 50.0),
        import.shells as f64 / 1024.0
    );
    // Half one: the shell printing the same columns, as the plan reads them.
    let plan = Command::new(bin)
        .args(["import", "--dry-run", "--json"])
        .arg(&source)
        .arg(dir.join("unused.sqlite"))
        .output()
        .expect("the plan");
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("plan JSON");
    let selects: Vec<String> = plan["tables"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["rows"].as_u64().unwrap_or(0) > 0)
        .map(|t| {
            // As import asks for them: each under a short name.
            let cols: Vec<String> = t["columns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["select"].as_str())
                .enumerate()
                .map(|(i, c)| format!("{c} AS c{i}"))
                .collect();
            format!(
                "SELECT {} FROM \"{}\";",
                cols.join(", "),
                t["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let read = watched(
        Command::new(&shell)
            .args(["-readonly", "-safe", "-jsonlines"])
            .arg(&source)
            .arg(selects.join(" ")),
    );
    println!(
        "  duckdb -jsonlines of the same rows to /dev/null: {}",
        spread(&read.wall)
    );
    if !has_sqlite3() {
        return verdict::skipped("import vs its halves", "sqlite3 is not installed");
    }
    // Half two: sqlite3 copying the imported documents into a fresh V3 store.
    let fresh = dir.join("fresh.sqlite");
    let create = Command::new(bin)
        .args(["init", "--yes"])
        .arg(&fresh)
        .output()
        .expect("init");
    assert!(create.status.success());
    let copy = watched(Command::new("sqlite3").arg(&fresh).arg(format!(
        "ATTACH '{}' AS s; INSERT INTO documents SELECT * FROM s.documents;",
        dest.display()
    )));
    println!(
        "  sqlite3 INSERT … SELECT of {DOCS} documents into a fresh V3 store: {}",
        spread(&copy.wall)
    );
    let halves = median(&read.wall) + median(&copy.wall);
    let r = median(&import.wall).as_secs_f64() / halves.as_secs_f64();
    println!(
        "  import / (shell + sqlite3): {}",
        verdict::ratio("import at 1M vs its halves", r, 1.5)
    );
    println!(
        "  CPU seconds: import {:.1} (its shells included), shell {:.1} + sqlite3 {:.1}: {:.2}x",
        import.cpu,
        read.cpu,
        copy.cpu,
        import.cpu / (read.cpu + copy.cpu).max(1e-9)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
