//! `cargo bench --bench speed [PART …]`: the figures of DESIGN §8, each
//! beside its target with a verdict, on demo stores of 1,000, 1,000,000 and
//! (where the disk allows) 10,000,000 documents, built once and cached
//! (stores.rs). Measured in one run so the ratios hold on a noisy machine;
//! the run ends with the figures that fall short. Not a test: it reports.
// Benchmark code: a failed unwrap ends the run, as it should.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod change;
mod checks;
mod export;
mod fold;
mod frequencies;
mod import;
mod init;
mod links;
mod pages;
mod peak;
mod query;
mod search;
mod sorting;
mod stores;
mod terminal;
mod verdict;
mod worker;

/// The tests' own tmux driver (not every helper is used here).
#[path = "../../tests/common/tmux.rs"]
#[allow(dead_code)]
mod tmux;

use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{self, Anchor, Query};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub(crate) const PAGE: usize = 50;
pub(crate) const RUNS: usize = 15;

/// Every part, in the order a whole run takes them.
const PARTS: &[&str] = &[
    "pages",
    "worker",
    "terminal",
    "huge",
    "export",
    "query",
    "frequencies",
    "init",
    "fold",
    "checks",
    "change",
    "search",
    "sort",
    "import",
    "links",
];

/// The stores a run measures.
pub(crate) struct Stores {
    pub small: PathBuf,
    pub large: PathBuf,
}

fn main() {
    peak::serve_if_asked();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_egregora-inspect"));
    // `cargo bench --bench speed -- init fold` runs only the named parts.
    let asked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if let Some(unknown) = asked.iter().find(|a| !PARTS.contains(&a.as_str())) {
        eprintln!("no part {unknown:?}; the parts: {}", PARTS.join(", "));
        std::process::exit(2);
    }
    let wanted = |part: &str| asked.is_empty() || asked.iter().any(|p| p == part);
    stores::sweep();
    let s = Stores {
        small: stores::demo(1_000),
        large: stores::demo(1_000_000),
    };
    println!("egregora-inspect benchmark: median (min–max) of the runs; targets from DESIGN §8");
    println!(
        "small: 1,000 documents, {} MB; large: 1,000,000 documents, {} MB (in {}, key {})\n",
        mb(&s.small),
        mb(&s.large),
        stores::dir().display(),
        stores::key()
    );
    let tmux = Tmux::available();
    let no_tmux = "tmux is not installed: apt-get install tmux sqlite3";
    for part in PARTS.iter().filter(|p| wanted(p)) {
        match *part {
            "pages" => pages::run(&s),
            "worker" => worker::run(&s.large),
            "terminal" if tmux => terminal::run(&bin, &s),
            "terminal" => verdict::skipped("launch and memory", no_tmux),
            "huge" if tmux => terminal::huge(&bin, &s.large),
            "huge" => verdict::skipped("launch at 10,000,000", no_tmux),
            "export" => export::run(&bin, &s.large),
            "query" if tmux => query::run(&bin, &s),
            "query" => {
                verdict::skipped("Query tab", no_tmux);
                query::command(&bin, &s.large);
            }
            "frequencies" => frequencies::run(&s.large),
            "init" => init::run(&stores::old_shape(&s.large)),
            "fold" => fold::run(&stores::v2(&s.large)),
            "checks" => checks::run(&bin, &s),
            "change" => change::run(&bin, &s.small, &s.large),
            "search" => search::run(&s.large),
            "sort" => sorting::run(&s.large),
            "import" => import::run(&bin),
            "links" => links::run(&s.large),
            _ => {}
        }
        println!();
    }
    verdict::summary();
}

use tmux::Tmux;

// The names the parts written before the split know these by.
#[allow(unused_imports)]
pub(crate) use stores::{demo as cached_demo, dir as store_dir};

pub(crate) fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

pub(crate) fn ms(d: Duration) -> String {
    let m = d.as_secs_f64() * 1000.0;
    if m >= 10_000.0 {
        format!("{:.2} s", m / 1000.0)
    } else if m >= 100.0 || (m >= 1.0 && m.fract() == 0.0) {
        format!("{m:.0} ms")
    } else if m >= 1.0 {
        format!("{m:.2} ms")
    } else {
        format!("{:.0} µs", m * 1000.0)
    }
}

pub(crate) fn spread(v: &[Duration]) -> String {
    let (lo, hi) = (
        v.iter().min().copied().unwrap_or_default(),
        v.iter().max().copied().unwrap_or_default(),
    );
    format!("{} ({}–{})", ms(median(v)), ms(lo), ms(hi))
}

/// The ratio of two figures' medians.
pub(crate) fn ratio(ours: &[Duration], base: &[Duration]) -> f64 {
    median(ours).as_secs_f64() / median(base).as_secs_f64().max(1e-9)
}

pub(crate) fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

pub(crate) fn mb(p: &Path) -> u64 {
    std::fs::metadata(p)
        .map(|m| m.len() / 1_000_000)
        .unwrap_or(0)
}

/// Whether the `sqlite3` shell is here to compare with.
pub(crate) fn has_sqlite3() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The id of the `n`th document in insertion order.
pub(crate) fn nth_id(path: &Path, n: usize) -> String {
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

/// `runs` runs of the command `make` gives: their wall times, and the
/// highest peak memory among them (KiB).
pub(crate) fn measured_runs(runs: usize, make: impl Fn() -> Command) -> (Vec<Duration>, u64) {
    let all: Vec<(Duration, u64)> = (0..runs).map(|_| run_measured(&mut make())).collect();
    (
        all.iter().map(|r| r.0).collect(),
        all.iter().map(|r| r.1).max().unwrap_or(0),
    )
}

/// Runs `cmd` with stdout to /dev/null; its wall time and peak memory
/// (KiB), both measured by `peak::wrapped` around it alone.
pub(crate) fn run_measured(cmd: &mut Command) -> (Duration, u64) {
    peak::measured(cmd)
}

/// The peak memory (VmHWM, KiB) of a running process, 0 when it is gone.
pub(crate) fn peak_kib(pid: Option<i32>) -> u64 {
    let Some(pid) = pid else { return 0 };
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}
