//! The data checks (`check --data`, every rule) beside one `SELECT
//! count(*)` and one table scan in `sqlite3`; a document's links and the
//! tasks, read in the process. DESIGN's target for `check --data` (the
//! same probes run by `sqlite3` in one scan) is not judged here yet: the
//! probes' SQL is the store's own and not exposed to the benchmark.

use crate::{RUNS, Stores, has_sqlite3, measured_runs, median, spread, time, verdict};
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents;
use egregora_inspect::store::read::tasks::{self, TaskAnchor, TaskCounts, TaskSelection};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub(crate) fn run(bin: &Path, s: &Stores) {
    let (small, large) = (&s.small, &s.large);
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
    verdict::skipped(
        "check --data against the same probes in sqlite3 (DESIGN: ≤ 1.2x)",
        "the probes' one-scan SQL is the store's own, not exposed yet",
    );

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
            documents::document(conn, &live, &documents::RowKey::Rowid(rowid)).expect("doc")
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
