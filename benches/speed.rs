//! `cargo bench`: the figures of DESIGN §8 on a 1,000- and a 1,000,000-document
//! demo store (built once, cached under target/bench-stores), measured in the
//! same run so the ratios hold on a noisy machine. Not a test: it reports.

use egregora_inspect::store::apply::{ApplyOptions, apply};
use egregora_inspect::store::cancel::Canceller;
use egregora_inspect::store::demo::{DemoOptions, write_demo};
use egregora_inspect::store::identify::identify;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::plan;
use egregora_inspect::store::read::doc_counts::{self, DocCounts};
use egregora_inspect::store::read::documents::{self, Anchor, Query, Sort};
use egregora_inspect::store::read::tasks::{self, TaskAnchor, TaskCounts, TaskSelection};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The tests' own tmux driver (not every helper is used here).
#[path = "../tests/common/tmux.rs"]
#[allow(dead_code)]
mod tmux;
use tmux::Tmux;
#[path = "speed/import.rs"]
mod import;

const PAGE: usize = 50;
const RUNS: usize = 15;

struct Figure {
    name: String,
    small: Vec<Duration>,
    large: Vec<Duration>,
    /// Target for the large store, if the design sets one.
    limit: Option<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

fn ms(d: Duration) -> String {
    let m = d.as_secs_f64() * 1000.0;
    if m >= 100.0 {
        format!("{m:.0} ms")
    } else if m >= 1.0 {
        format!("{m:.2} ms")
    } else {
        format!("{:.0} µs", m * 1000.0)
    }
}

fn spread(v: &[Duration]) -> String {
    let (lo, hi) = (
        v.iter().min().copied().unwrap_or_default(),
        v.iter().max().copied().unwrap_or_default(),
    );
    format!("{} ({}–{})", ms(median(v)), ms(lo), ms(hi))
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

fn store_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("bench-stores");
    std::fs::create_dir_all(&d).expect("target/bench-stores can be created");
    d
}

fn cached_demo(docs: u64) -> PathBuf {
    let p = store_dir().join(format!("demo-{docs}-v2.sqlite"));
    if !p.exists() {
        eprintln!("building a {docs}-document demo store (cached for later runs) …");
        let t = Instant::now();
        write_demo(
            &p,
            DemoOptions {
                docs,
                legacy: false,
            },
        )
        .expect("demo store written");
        eprintln!("  {:.1} s", t.elapsed().as_secs_f64());
    }
    p
}

/// The large store with documents in an older shape (no doc_type, status).
fn cached_old(large: &Path) -> PathBuf {
    let p = store_dir().join("old-1000000-v2.sqlite");
    if !p.exists() {
        eprintln!("building the older-shape 1,000,000-row documents (cached) …");
        let tmp = p.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let c = rusqlite::Connection::open(&tmp).expect("open");
        let cols = "id, content, created_at, source_checksum, title, slug, date, summary, authors, tags, subject_uuid, alias, avatar_url, interests, filename, mime_type, media_type, phash, window_start, window_end, extensions";
        c.execute("ATTACH ?1 AS src", [large.to_str().expect("utf-8 path")])
            .expect("attach");
        c.execute_batch(&format!(
            "PRAGMA journal_mode = OFF; BEGIN;
             CREATE TABLE documents (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT, slug TEXT, date TEXT, summary TEXT, authors TEXT, tags TEXT, subject_uuid TEXT, alias TEXT, avatar_url TEXT, interests TEXT, filename TEXT, mime_type TEXT, media_type TEXT, phash TEXT, window_start TEXT, window_end TEXT, extensions TEXT);
             INSERT INTO documents (rowid, {cols}) SELECT rowid, {cols} FROM src.documents;
             COMMIT; DETACH src; PRAGMA journal_mode = DELETE;"
        ))
        .expect("old shape written");
        drop(c);
        std::fs::rename(&tmp, &p).expect("rename");
    }
    p
}

/// The interactive figures on one store, each over RUNS runs.
fn interactive(path: &Path) -> Vec<(String, Vec<Duration>)> {
    let mut out = Vec::new();
    out.push((
        "open + identify + inspect".to_string(),
        time(RUNS, || {
            let _ = identify(path).expect("identify");
            let mut s = open_read_only(path).expect("open");
            inspect(&mut s.conn, path, Counts::None).expect("inspect")
        }),
    ));
    let mut s = open_read_only(path).expect("open");
    let ins = inspect(&mut s.conn, path, Counts::None).expect("inspect");
    let live = ins.live("documents").expect("documents").clone();
    let conn = &s.conn;
    // The app knows these counts (they feed the charts); the store picks a
    // query's path from them.
    let counts = DocCounts::read(conn, &live).expect("counts");
    let q = |sort: Sort, t: Option<&str>, st: Option<&str>, search: Option<&str>| Query {
        doc_type: t.map(String::from),
        status: st.map(String::from),
        search: search.map(String::from),
        sort,
        ..Query::default()
    };
    let page = |query: &Query, anchor: &Anchor| {
        documents::window_with(conn, &live, query, Some(&counts), anchor, PAGE, &mut |_| {})
            .expect("window")
    };
    for sort in Sort::ALL {
        let query = q(sort, None, None, None);
        out.push((
            format!("first page, sort {}", sort.label()),
            time(RUNS, || page(&query, &Anchor::Start)),
        ));
    }
    // In the demo every profile is published: profile+archived matches
    // nothing, the worst case for two filters: their rowids are intersected
    // on the two filter indexes before any row is read.
    for (t, st) in [
        (Some("post"), None),
        (Some("profile"), None),
        (None, Some("draft")),
        (Some("media"), Some("archived")),
        (Some("profile"), Some("archived")),
    ] {
        for sort in [Sort::Inserted, Sort::CreatedAt] {
            let query = q(sort, t, st, None);
            let empty = if t == Some("profile") && st.is_some() {
                " (matches nothing)"
            } else {
                ""
            };
            let label = format!(
                "first page, {}{}{}, sort {}{empty}",
                t.map(|t| format!("type={t}")).unwrap_or_default(),
                if t.is_some() && st.is_some() { " " } else { "" },
                st.map(|s| format!("status={s}")).unwrap_or_default(),
                sort.label()
            );
            out.push((label, time(RUNS, || page(&query, &Anchor::Start))));
        }
    }
    for sort in [Sort::Inserted, Sort::CreatedAt, Sort::Slug] {
        let query = q(sort, None, None, None);
        out.push((
            format!("20 page-downs, sort {}", sort.label()),
            time(RUNS, || {
                let mut rows = page(&query, &Anchor::Start);
                for _ in 0..20 {
                    let key = rows.last().expect("a row").key.clone();
                    rows = page(
                        &query,
                        &Anchor::From {
                            key,
                            inclusive: false,
                        },
                    );
                }
                rows
            }),
        ));
        out.push((
            format!("jump to end, sort {}", sort.label()),
            time(RUNS, || page(&query, &Anchor::End)),
        ));
    }
    // Newest first: the same index, read backwards.
    let newest = Query {
        desc: true,
        ..q(Sort::CreatedAt, None, None, None)
    };
    out.push((
        "first page, sort created_at desc".into(),
        time(RUNS, || page(&newest, &Anchor::Start)),
    ));
    out.push((
        "jump to end, sort created_at desc".into(),
        time(RUNS, || page(&newest, &Anchor::End)),
    ));
    let mid = page(&q(Sort::Inserted, None, None, None), &Anchor::Start)[PAGE / 2]
        .key
        .rowid;
    out.push((
        "detail of one document".into(),
        time(RUNS, || documents::document(conn, &live, mid).expect("doc")),
    ));
    let common = q(Sort::Inserted, None, None, Some("harvest"));
    out.push((
        "search: first 50 matches of a common word".into(),
        time(RUNS, || page(&common, &Anchor::Start)),
    ));
    let none = q(Sort::Inserted, None, None, Some("zqxjv"));
    out.push((
        "search: a word that matches nothing (whole scan)".into(),
        time(3, || page(&none, &Anchor::Start)),
    ));
    out.push((
        "counts: documents per doc_type".into(),
        time(5, || {
            doc_counts::counts_by(conn, &live, "doc_type").expect("counts")
        }),
    ));
    out.push((
        "counts: documents per status".into(),
        time(5, || {
            doc_counts::counts_by(conn, &live, "status").expect("counts")
        }),
    ));
    out.push((
        "chart: documents per month".into(),
        time(5, || {
            doc_counts::counts_by_month(conn, &live).expect("counts")
        }),
    ));
    out
}

fn limit_for(name: &str) -> Option<Duration> {
    let filter = name.starts_with("first page, type")
        || name.starts_with("first page, status")
        || name.ends_with(" desc");
    let interactive = filter || name.starts_with("jump to end") || name.starts_with("detail");
    if name.starts_with("20 page-downs") {
        return Some(Duration::from_millis(50 * 20));
    }
    interactive.then_some(Duration::from_millis(50))
}

/// A copy of `old` at `to`, on disk before the clock starts, so the
/// writeback of the copy does not land inside the timed run.
fn fresh_copy(old: &Path, to: &Path) {
    std::fs::copy(old, to).expect("copy");
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .expect("sync the copy");
}

/// init's rebuild of the older-shape 1M documents against the same
/// INSERT … SELECT through plain rusqlite.
fn rebuild(old: &Path) -> (Vec<Duration>, Vec<Duration>, Vec<(String, Duration)>) {
    let dir = tempfile::tempdir_in(store_dir()).expect("temp dir");
    let work = dir.path().join("run.sqlite");
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    let mut steps = Vec::new();
    let spec = egregora_inspect::store::spec::Spec::v3().documents();
    for _ in 0..3 {
        fresh_copy(old, &work);
        let mut s = open_read_only(&work).expect("open");
        let t = Instant::now();
        let ins = inspect(&mut s.conn, &work, Counts::None).expect("inspect");
        let p = plan::for_action(&s.conn, &ins, plan::PlanKind::Init, false).expect("plan");
        drop(s);
        // When each step starts, to show where the time goes.
        let mut marks: Vec<(String, Instant)> = vec![(
            "planning under the lock (quick_check runs beside the steps)".into(),
            Instant::now(),
        )];
        apply(
            &p,
            ApplyOptions { backup: false },
            &Canceller::new(),
            &mut |pr| {
                if pr.done == 0 && marks.last().is_none_or(|m| m.0 != pr.title) {
                    marks.push((pr.title.clone(), Instant::now()));
                }
            },
        )
        .expect("init runs");
        ours.push(t.elapsed());
        marks.push(("end".into(), Instant::now()));
        steps = marks
            .windows(2)
            .map(|w| (w[0].0.clone(), w[1].1 - w[0].1))
            .collect();

        fresh_copy(old, &work);
        let t = Instant::now();
        let c = rusqlite::Connection::open(&work).expect("open");
        let cols: Vec<&str> = spec.columns.iter().map(|c| c.name.as_str()).collect();
        let exprs: Vec<String> = cols
            .iter()
            .map(|c| match *c {
                "status" => "'draft'".to_string(),
                "doc_type" => "'note'".to_string(),
                c => c.to_string(),
            })
            .collect();
        c.execute_batch(&format!(
            "BEGIN; {}; INSERT INTO documents_new (rowid, {}) SELECT rowid, {} FROM documents; COMMIT;",
            spec.create_sql("documents_new", &[]),
            cols.join(", "),
            exprs.join(", ")
        ))
        .expect("floor runs");
        floor.push(t.elapsed());
    }
    (ours, floor, steps)
}

/// The id of the `n`th document in insertion order.
fn nth_id(path: &Path, n: usize) -> String {
    let mut s = open_read_only(path).expect("open");
    let ins = inspect(&mut s.conn, path, Counts::None).expect("inspect");
    let rows = documents::window(
        &s.conn,
        ins.live("documents").expect("documents"),
        &Query::default(),
        &Anchor::Start,
        n + 1,
    )
    .expect("window");
    rows[n].id.summary()
}

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_egregora-inspect"));
    let small = cached_demo(1_000);
    let large = cached_demo(1_000_000);
    let old = cached_old(&large);
    println!("egregora-inspect benchmark: {RUNS} runs per figure, median (min–max)");
    println!(
        "small: {} documents, {} MB; large: {} documents, {} MB\n",
        1_000,
        mb(&small),
        1_000_000,
        mb(&large)
    );

    // `cargo bench --bench speed -- init` runs only the named parts.
    let parts: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |part: &str| parts.is_empty() || parts.iter().any(|p| p == part);
    if wanted("pages") {
        pages(&small, &large);
    }
    if wanted("search") {
        search(&large);
    }
    if wanted("terminal") {
        println!();
        if Tmux::available() {
            real_terminal(&bin, &small, &large);
        } else {
            println!(
                "launch and memory: skipped (tmux is not installed: apt-get install tmux sqlite3)"
            );
        }
    }
    if wanted("export") {
        println!();
        export(&bin, &large);
    }
    if wanted("query") {
        println!();
        query(&bin, &small, &large);
    }
    if wanted("init") {
        println!();
        init(&old);
    }
    if wanted("checks") {
        println!();
        checks(&bin, &small, &large);
    }
    if wanted("import") {
        import::import(&bin);
    }
}

/// The data checks (every rule among them) beside one `SELECT count(*)` in
/// `sqlite3`; a document's links and the tasks, read in the process.
fn checks(bin: &Path, small: &Path, large: &Path) {
    let runs = 3;
    let check = |p: &Path| {
        measured_runs(runs, || {
            let mut c = Command::new(bin);
            c.args(["check", "--data", "--json"]).arg(p);
            c
        })
    };
    let (small_t, _) = check(small);
    let (large_t, peak) = check(large);
    println!("data checks (`check --data`, every rule), {runs} runs:");
    println!(
        "  1k: {}   1M: {}, peak {} MB",
        spread(&small_t),
        spread(&large_t),
        peak / 1024
    );
    if has_sqlite3() {
        let sql = |q: &str| {
            let q = q.to_string();
            measured_runs(runs, move || {
                let mut c = Command::new("sqlite3");
                c.arg(large).arg(&q);
                c
            })
            .0
        };
        let count = sql("SELECT count(*) FROM documents");
        let scan = sql("SELECT count(*) FROM documents NOT INDEXED WHERE doc_type IS NOT NULL");
        let r = |base: &[Duration]| median(&large_t).as_secs_f64() / median(base).as_secs_f64();
        println!(
            "  sqlite3 `SELECT count(*) FROM documents`: {}  -> {:.2}x",
            spread(&count),
            r(&count)
        );
        println!(
            "  sqlite3 one table scan (count(*) NOT INDEXED WHERE doc_type IS NOT NULL): {}  -> {:.2}x",
            spread(&scan),
            r(&scan)
        );
    } else {
        println!("  sqlite3: skipped (not installed: apt-get install sqlite3)");
    }

    let mut s = open_read_only(large).expect("open");
    let ins = inspect(&mut s.conn, large, Counts::None).expect("inspect");
    let live = ins.live("documents").expect("documents").clone();
    let conn = &s.conn;
    let first = |doc_type: &str| -> i64 {
        conn.query_row(
            "SELECT rowid FROM documents WHERE doc_type = ?1 AND rowid > 500000 ORDER BY rowid LIMIT 1",
            [doc_type],
            |r| r.get(0),
        )
        .expect("a document of that type")
    };
    for (what, rowid) in [
        ("a post (its authors' profiles)", first("post")),
        ("an annotation (its parent)", first("annotation")),
    ] {
        let t = time(RUNS, || {
            documents::document(conn, &live, rowid).expect("doc")
        });
        println!("  detail of {what}, 1M: {}", spread(&t));
    }
    let tasks = tasks::live_tasks(&ins).expect("tasks");
    let t = time(RUNS, || TaskCounts::read(conn, tasks).expect("counts"));
    println!(
        "  tasks by status and type ({} tasks): {}",
        TaskCounts::read(conn, tasks).map(|c| c.total).unwrap_or(0),
        spread(&t)
    );
    let t = time(RUNS, || {
        tasks::page(
            conn,
            tasks,
            &TaskSelection::Failed,
            &TaskAnchor::Newest,
            tasks::PAGE,
        )
        .expect("page")
    });
    println!("  the newest 50 failed tasks: {}", spread(&t));
}

/// The Query tab beside the Documents tab (first screen, peak memory), the
/// `query` command beside `sqlite3 -json`, and frequencies beside the same
/// GROUP BY in `sqlite3`.
fn query(bin: &Path, small: &Path, large: &Path) {
    let sqlite3 = has_sqlite3();
    if Tmux::available() {
        query_screen(bin, small, large);
    } else {
        println!("Query tab: skipped (tmux is not installed: apt-get install tmux sqlite3)");
    }
    // The command, to /dev/null.
    let runs = 3;
    let sql = "SELECT * FROM documents";
    let (times, peak) = measured_runs(runs, || {
        let mut c = Command::new(bin);
        c.arg("query")
            .arg(large)
            .args(["--sql", sql, "--format", "ndjson"]);
        c
    });
    println!("\nquery --format ndjson '{sql}' at 1,000,000, to /dev/null ({runs} runs):");
    println!(
        "  egregora-inspect: {}, peak memory {:.1} MB (target < 30 MB) {}",
        spread(&times),
        peak as f64 / 1024.0,
        if peak < 30 * 1024 { "ok" } else { "MISSED" }
    );
    if sqlite3 {
        let (theirs, _) = measured_runs(runs, || {
            let mut c = Command::new("sqlite3");
            c.arg("-json").arg(large).arg(sql);
            c
        });
        let r = median(&times).as_secs_f64() / median(&theirs).as_secs_f64();
        println!(
            "  sqlite3 -json: {}; query/sqlite3 {r:.2}x (target ≤ 1.2x) {}",
            spread(&theirs),
            if r <= 1.2 { "ok" } else { "MISSED" }
        );
    }
    // Frequencies: the app's count (opening included) against the same
    // GROUP BY run by the sqlite3 shell.
    use egregora_inspect::store::read::export::DocSelection;
    use egregora_inspect::store::read::frequencies::{FreqSource, frequencies};
    println!("\nfrequencies at 1,000,000 ({runs} runs):");
    for (column, same, limit) in [
        (
            "doc_type",
            "SELECT doc_type, count(*) FROM documents GROUP BY doc_type ORDER BY 2 DESC",
            1.2,
        ),
        (
            "tags",
            "SELECT j.value, count(*) FROM documents, json_each(documents.tags) j \
             GROUP BY j.value ORDER BY 2 DESC",
            1.5,
        ),
    ] {
        let ours = time(runs, || {
            let qc = egregora_inspect::store::read::query::open(large).expect("open");
            let all = FreqSource::Documents(DocSelection::default());
            frequencies(&qc, &all, column, &mut |_| true).expect("frequencies")
        });
        let line = format!("  {column}: {}", spread(&ours));
        if !sqlite3 {
            println!("{line}; sqlite3: not installed");
            continue;
        }
        let (theirs, _) = measured_runs(runs, || {
            let mut c = Command::new("sqlite3");
            c.arg(large).arg(same);
            c
        });
        let r = median(&ours).as_secs_f64() / median(&theirs).as_secs_f64();
        println!(
            "{line}; sqlite3 '{same}': {}; {r:.2}x (target ≤ {limit}x) {}",
            spread(&theirs),
            if r <= limit { "ok" } else { "MISSED" }
        );
    }
}

/// In tmux: the first screen of `SELECT * FROM documents` in the Query tab
/// against the Documents tab's first screen, from launch, at both sizes;
/// then the peak memory of paging through that result at both sizes.
fn query_screen(bin: &Path, small: &Path, large: &Path) {
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
    let sql = "SELECT * FROM documents";
    println!("Query tab, {sql} (real binary in tmux, 120×40):");
    let mut peaks = Vec::new();
    for (label, path) in [("1k", small), ("1M", large)] {
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
        let query = launch(&[":", sql, "Enter"]);
        let r = median(&query).as_secs_f64() / median(&docs).as_secs_f64();
        println!(
            "  {label}: first screen {} against Documents {}: {r:.2}x (target ≤ 2x) {}",
            spread(&query),
            spread(&docs),
            if r <= 2.0 { "ok" } else { "MISSED" }
        );
        // Paging through the result the way a person would.
        t.launch_until(&app(path), &needle, &[":", sql, "Enter"]);
        let pid = t.app_pid().map(|p| p.to_string()).unwrap_or_default();
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
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let hwm: u64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0);
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
            "  peak memory 1M/1k: {r:.2}x (target ≤ 1.2x) {}",
            if r <= 1.2 { "ok" } else { "MISSED" }
        );
    }
}

/// Whether the `sqlite3` shell is here to compare with.
fn has_sqlite3() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `runs` runs of the command `make` gives: their wall times, and the
/// highest peak memory among them (KiB).
fn measured_runs(runs: usize, make: impl Fn() -> Command) -> (Vec<Duration>, u64) {
    let all: Vec<(Duration, u64)> = (0..runs).map(|_| run_measured(&mut make())).collect();
    (
        all.iter().map(|r| r.0).collect(),
        all.iter().map(|r| r.1).max().unwrap_or(0),
    )
}

/// Runs `cmd` with stdout to /dev/null; its wall time and peak memory
/// (the child's own `ru_maxrss`, through wait4).
fn run_measured(cmd: &mut Command) -> (Duration, u64) {
    let t = Instant::now();
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = i32::try_from(child.id()).expect("pid");
    let mut status = 0;
    // wait4 reaps it; the handle is not waited on again.
    std::mem::forget(child);
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointers are to live locals; pid is our own child.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    // `check` exits 1 when it finds something: that is a result, not a failure.
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{cmd:?} failed"
    );
    (t.elapsed(), u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

/// `export --format ndjson` of every document against `sqlite3 -json` on
/// the same rows: wall time and peak memory.
fn export(bin: &Path, large: &Path) {
    let sqlite3 = has_sqlite3();
    let runs = 3;
    let (times, peak) = measured_runs(runs, || {
        let mut c = Command::new(bin);
        c.arg("export").arg(large).args(["--format", "ndjson"]);
        c
    });
    println!("export --format ndjson of 1,000,000 documents, to /dev/null ({runs} runs):");
    println!(
        "  egregora-inspect: {}, peak memory {:.1} MB (target < 30 MB) {}",
        spread(&times),
        peak as f64 / 1024.0,
        if peak < 30 * 1024 { "ok" } else { "MISSED" }
    );
    if !sqlite3 {
        return println!("  sqlite3 -json: not installed");
    }
    let (t2, p2) = measured_runs(runs, || {
        let mut c = Command::new("sqlite3");
        c.arg("-json").arg(large).arg("SELECT * FROM documents");
        c
    });
    let r = median(&times).as_secs_f64() / median(&t2).as_secs_f64();
    println!(
        "  sqlite3 -json 'SELECT * FROM documents': {}, peak memory {:.1} MB",
        spread(&t2),
        p2 as f64 / 1024.0
    );
    println!(
        "  wall time export/sqlite3: {r:.2}x (target ≤ 1.2x) {}",
        if r <= 1.2 { "ok" } else { "MISSED" }
    );
}

fn pages(small: &Path, large: &Path) {
    let s = interactive(small);
    let l = interactive(large);
    let figures: Vec<Figure> = s
        .into_iter()
        .zip(l)
        .map(|((name, small), (_, large))| Figure {
            limit: limit_for(&name),
            name,
            small,
            large,
        })
        .collect();
    println!(
        "{:<62} {:>24} {:>24} {:>8}  target (1M)",
        "figure", "1k documents", "1M documents", "1M/1k"
    );
    for f in &figures {
        let ratio = median(&f.large).as_secs_f64() / median(&f.small).as_secs_f64().max(1e-9);
        let target = match f.limit {
            Some(l) => format!(
                "< {} {}",
                ms(l),
                if median(&f.large) < l { "ok" } else { "MISSED" }
            ),
            None => String::new(),
        };
        println!(
            "{:<62} {:>24} {:>24} {:>7.2}x  {}",
            f.name,
            spread(&f.small),
            spread(&f.large),
            ratio,
            target
        );
    }
}

fn search(large: &Path) {
    let (first, page) = search_responsiveness(large);
    println!("\nsearching 1M documents for a word that matches nothing, through the app's worker:");
    println!("  until it reports \"no match so far\": {}", spread(&first));
    println!(
        "  a new page asked for while it scans (the scan stops): {}",
        spread(&page)
    );
}

fn init(old: &Path) {
    let (ours, floor, steps) = rebuild(old);
    let ratio = median(&ours).as_secs_f64() / median(&floor).as_secs_f64();
    println!(
        "init rebuild of an older 1,000,000-row documents (no backup): {}",
        spread(&ours)
    );
    println!(
        "  floor, the same INSERT … SELECT through plain rusqlite:       {}",
        spread(&floor)
    );
    println!(
        "  init/floor: {ratio:.2}x (target ≤ 1.5x) {}",
        if ratio <= 1.5 { "ok" } else { "MISSED" }
    );
    println!("  where the time went in the last run:");
    for (title, d) in steps.iter().filter(|(_, d)| d.as_millis() >= 20) {
        println!("    {:>8}  {title}", ms(*d));
    }
}

/// A search for a word that matches nothing, through the app's own worker:
/// how soon it says "no match so far", and how soon a new page (which stops
/// the scan) arrives while it scans.
fn search_responsiveness(path: &Path) -> (Vec<Duration>, Vec<Duration>) {
    use egregora_inspect::tui::worker::Latest;
    use egregora_inspect::tui::worker::{Job, Reply, Request, Workers};
    use std::sync::atomic::Ordering;
    use std::sync::{Arc, mpsc};
    let (tx, replies) = mpsc::channel();
    let latest = Arc::new(Latest::default());
    let workers = Workers::spawn(path, &latest, move |r| {
        let _ = tx.send(r);
    });
    let send = |r: Request| workers.send(Job::Read(r));
    send(Request::Inspect);
    while !matches!(replies.recv().expect("reply"), Reply::Inspected { .. }) {}
    let (mut first_report, mut new_page) = (Vec::new(), Vec::new());
    let mut ticket = 0;
    for _ in 0..7 {
        ticket += 1;
        let search = ticket;
        latest.window.store(search, Ordering::Relaxed);
        let t = Instant::now();
        let query = Query {
            search: Some("zqxjv".into()),
            ..Query::default()
        };
        send(Request::Window {
            counts: None,
            ticket: search,
            query,
            anchor: Anchor::Start,
            height: PAGE,
        });
        loop {
            match replies.recv().expect("reply") {
                Reply::Searching {
                    ticket: k,
                    found: 0,
                } if k == search => break,
                Reply::Window { ticket: k, .. } if k == search => {
                    panic!("the scan ended before it reported")
                }
                _ => {}
            }
        }
        first_report.push(t.elapsed());
        ticket += 1;
        let page = ticket;
        latest.window.store(page, Ordering::Relaxed);
        let t = Instant::now();
        send(Request::Window {
            counts: None,
            ticket: page,
            query: Query::default(),
            anchor: Anchor::Start,
            height: PAGE,
        });
        loop {
            if let Reply::Window { ticket: k, .. } = replies.recv().expect("reply")
                && k == page
            {
                break;
            }
        }
        new_page.push(t.elapsed());
    }
    (first_report, new_page)
}

fn mb(p: &Path) -> u64 {
    std::fs::metadata(p)
        .map(|m| m.len() / 1_000_000)
        .unwrap_or(0)
}

/// The real binary in a real terminal: launch to the first screen of
/// documents (against the sqlite3 shell printing the same 50 rows), and
/// peak memory while browsing the large store.
fn real_terminal(bin: &Path, small: &Path, large: &Path) {
    let t = Tmux::start(&std::env::temp_dir());
    std::thread::sleep(Duration::from_millis(300));
    let sqlite3 = has_sqlite3();
    let mut rows = Vec::new();
    for (label, path) in [("1k", small), ("1M", large)] {
        // The 30th row is on the first screen of a 40-line terminal.
        let needle = nth_id(path, 29);
        // The app opens on Overview; the '2' typed right behind the command
        // waits in the terminal and shows the documents at once.
        let app: Vec<Duration> = (0..7)
            .map(|_| {
                let d = t.launch_until(
                    &format!("{} {}", bin.display(), path.display()),
                    &needle,
                    &["2"],
                );
                t.keys(&["q"]);
                t.wait_within("$ ", Duration::from_secs(120));
                d
            })
            .collect();
        let shell = sqlite3.then(|| {
            (0..7)
                .map(|_| {
                    t.launch_until(&format!("sqlite3 {} 'SELECT id, doc_type, status, created_at, title FROM documents LIMIT 50'", path.display()), &needle, &[])
                })
                .collect::<Vec<_>>()
        });
        rows.push((label, app, shell));
    }
    println!("launch to the first screen of documents (real binary in tmux, 120×40):");
    for (label, app, shell) in &rows {
        let vs = match shell {
            Some(s) => format!(
                "; sqlite3 shell, same 50 rows: {}; app/sqlite3 {:.2}x",
                spread(s),
                median(app).as_secs_f64() / median(s).as_secs_f64()
            ),
            None => "; sqlite3 shell: not installed".into(),
        };
        println!("  {label}: {}{vs}", spread(app));
        let mut sorted = app.clone();
        sorted.sort();
        let all: Vec<String> = sorted.iter().map(|d| ms(*d)).collect();
        println!("    every launch, fastest first: {}", all.join(", "));
    }
    if let [(_, s, _), (_, l, _)] = &rows[..] {
        let r = median(l).as_secs_f64() / median(s).as_secs_f64();
        println!(
            "  1M/1k: {r:.2}x (target ≤ 1.5x) {}",
            if r <= 1.5 { "ok" } else { "MISSED" }
        );
    }

    // Peak memory: browse the large store the way a person would.
    t.launch_until(
        &format!("{} {}", bin.display(), large.display()),
        "Documents per month",
        &[],
    );
    let app_pid = t.app_pid().map(|p| p.to_string()).unwrap_or_default();
    let script: &[&[&str]] = &[
        &["2"],
        &["PageDown"; 20],
        &["G"],
        &["g"],
        &["Enter"],
        &["Escape"],
        &["t"],
        &["o"],
        &["s"],
        &["Escape"],
        &["/"],
        &["h", "a", "r", "v", "e", "s", "t", "Enter"],
        &["Escape"],
        &["o", "o"],
        &["G"],
        &["3"],
        &["4"],
        &["1"],
    ];
    for step in script {
        t.keys(step);
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_secs(3));
    let status = std::fs::read_to_string(format!("/proc/{app_pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| {
            l.split_whitespace()
                .nth(1)
                .unwrap_or("0")
                .parse::<u64>()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    t.keys(&["q"]);
    println!(
        "peak memory (VmHWM) browsing the 1M store: {:.1} MB (target < 20 MB) {}",
        hwm as f64 / 1024.0,
        if hwm > 0 && hwm < 20 * 1024 {
            "ok"
        } else {
            "MISSED"
        }
    );
}
