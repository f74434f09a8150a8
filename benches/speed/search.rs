//! Search at 1,000,000 documents, judged by DESIGN §8: an exact id or slug
//! shows its row within 50 ms (by index); a term that matches nothing
//! finishes within 1.0x of `sqlite3` counting the same four-column LIKE.

use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::{open_read_only, with_watch};
use egregora_inspect::store::read::documents::{Anchor, Query, window};
use egregora_inspect::store::read::search::{self, News};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const EXACT_TARGET: Duration = Duration::from_millis(50);
const SCAN_TARGET: f64 = 1.0;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "short" }
}

/// The search figures on `large` (1,000,000 documents).
pub fn run(large: &Path) {
    let mut s = open_read_only(large).expect("open");
    let ins = inspect(&mut s.conn, large, Counts::None).expect("inspect");
    let live = ins.live("documents").expect("documents");
    let row = window(&s.conn, live, &Query::default(), &Anchor::Start, 777_778)
        .expect("window")
        .pop()
        .expect("row 777,777");
    let id = row.id.summary();
    let slug: String = s
        .conn
        .query_row(
            "SELECT slug FROM documents WHERE slug IS NOT NULL ORDER BY rowid DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a slug");
    println!("\nsearch at 1,000,000 documents (DESIGN §8), {RUNS} runs, median:");
    for (what, term) in [("an exact id", id), ("an exact slug", slug)] {
        let q = Query {
            search: Some(term),
            ..Query::default()
        };
        // Once through the whole search (until it says which rows are the
        // term itself, while its scan goes on), then the lookup alone.
        let mut times = Vec::new();
        let t = Instant::now();
        let mut shown = None;
        let _ = with_watch(
            &mut s.conn,
            Duration::from_secs(60),
            || false,
            |c| {
                search::search(c, live, &q, 50, &mut |n| {
                    if matches!(n, News::Exact(_)) && shown.is_none() {
                        shown = Some(t.elapsed());
                    }
                })
            },
        );
        times.push(shown.expect("the exact row is shown"));
        for _ in 1..RUNS {
            let t = Instant::now();
            let rows = search::exact(&s.conn, live, &q, 50).expect("exact");
            assert!(!rows.is_empty());
            times.push(t.elapsed());
        }
        let m = median(times);
        println!(
            "  {what}: its row shown in {} (target ≤ {}) {}",
            ms(m),
            ms(EXACT_TARGET),
            verdict(m <= EXACT_TARGET)
        );
    }
    let term = "zqxjv";
    let q = Query {
        search: Some(term.into()),
        ..Query::default()
    };
    let ours = median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let found = with_watch(
                    &mut s.conn,
                    Duration::from_secs(120),
                    || false,
                    |c| search::search(c, live, &q, 50, &mut |_| {}),
                )
                .expect("search");
                assert_eq!(found.matched, 0);
                t.elapsed()
            })
            .collect(),
    );
    let like = |c: &str| format!("{c} LIKE '%{term}%' ESCAPE '\\'");
    let sql = format!(
        "SELECT count(*) FROM documents WHERE {} OR {} OR {} OR {};",
        like("id"),
        like("slug"),
        like("title"),
        like("content")
    );
    let has_sqlite3 = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sqlite3 {
        println!(
            "  a term that matches nothing: {} (sqlite3 not installed: no ratio)",
            ms(ours)
        );
        return;
    }
    let shell = median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new("sqlite3")
                    .arg("-readonly")
                    .arg(large)
                    .arg(&sql)
                    .output()
                    .expect("sqlite3");
                assert!(out.status.success());
                t.elapsed()
            })
            .collect(),
    );
    let ratio = ours.as_secs_f64() / shell.as_secs_f64();
    println!(
        "  a term that matches nothing: one scan that pages and counts {} vs sqlite3's count {}: {ratio:.2}x (target ≤ {SCAN_TARGET:.1}x) {}",
        ms(ours),
        ms(shell),
        verdict(ratio <= SCAN_TARGET)
    );
}
