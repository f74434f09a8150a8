//! DESIGN §8's change figures: `exec --dry-run` of a whole-table UPDATE
//! beside the bare UPDATE in `sqlite3` (rolled back), and `diff` of two
//! 1,000,000-document stores that differ in 1% of rows beside `sqlite3`
//! reading both documents tables in id order; wall time and peak memory.

use super::{has_sqlite3, measured_runs, median, spread, store_dir, verdict};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const RUNS: usize = 3;

/// A copy of `large` with 1% of its documents edited, built once.
fn edited_copy(large: &Path) -> PathBuf {
    let p = store_dir().join("demo-1000000-edited.sqlite");
    if !p.exists() {
        let tmp = p.with_extension("tmp");
        std::fs::copy(large, &tmp).expect("copy the large store");
        let c = rusqlite::Connection::open(&tmp).expect("open the copy");
        c.execute_batch(
            "UPDATE documents SET title = coalesce(title, '') || ' (edited)' WHERE rowid % 100 = 0",
        )
        .expect("edit 1% of the rows");
        drop(c);
        std::fs::rename(&tmp, &p).expect("put the copy in place");
    }
    p
}

fn ratio(a: &[Duration], b: &[Duration]) -> f64 {
    median(a).as_secs_f64() / median(b).as_secs_f64()
}

/// Whether `figure` (exec or diff) is measured: `SPEED_CHANGE=exec` (or
/// `diff`) measures that one only, both are slow at 1M.
fn wanted(figure: &str) -> bool {
    std::env::var("SPEED_CHANGE").map_or(true, |v| v.is_empty() || v == figure)
}

pub(crate) fn run(bin: &Path, small: &Path, large: &Path) {
    if wanted("exec") {
        exec(bin, small, large);
    }
    if !has_sqlite3() {
        verdict::skipped(
            "exec and diff against sqlite3",
            "not installed: apt-get install sqlite3",
        );
    } else if wanted("diff") {
        diff(bin, large);
    }
}

fn exec(bin: &Path, small: &Path, large: &Path) {
    let sql = "UPDATE documents SET status = 'draft'";
    let dry = |p: &Path| {
        measured_runs(RUNS, || {
            let mut c = Command::new(bin);
            c.args(["exec", "--dry-run", "--sql", sql]).arg(p);
            c
        })
    };
    let (small_t, small_peak) = dry(small);
    let (large_t, peak) = dry(large);
    println!("`exec --dry-run` of `{sql}`, {RUNS} runs:");
    println!(
        "  1k: {}, peak {} MB   1M: {}, peak {}",
        spread(&small_t),
        small_peak / 1024,
        spread(&large_t),
        verdict::memory("exec --dry-run peak at 1M", peak, 64.0)
    );
    if !has_sqlite3() {
        return;
    }
    let (bare, bare_peak) = measured_runs(RUNS, || {
        let mut c = Command::new("sqlite3");
        c.arg(large).arg(format!("BEGIN; {sql}; ROLLBACK;"));
        c
    });
    println!(
        "  sqlite3 bare UPDATE, rolled back: {}, peak {} MB  -> {}",
        spread(&bare),
        bare_peak / 1024,
        verdict::ratio(
            "exec --dry-run at 1M vs sqlite3's UPDATE",
            ratio(&large_t, &bare),
            2.0
        )
    );
}

fn diff(bin: &Path, large: &Path) {
    let edited = edited_copy(large);
    let (diff_t, diff_peak) = measured_runs(RUNS, || {
        let mut c = Command::new(bin);
        c.args(["diff", "--table", "documents"])
            .arg(large)
            .arg(&edited);
        c
    });
    let (read_t, _) = measured_runs(RUNS, || {
        let mut c = Command::new("sqlite3");
        c.arg(large).arg(format!(
            "ATTACH '{}' AS b; SELECT * FROM main.documents ORDER BY id; SELECT * FROM b.documents ORDER BY id;",
            edited.display()
        ));
        c
    });
    println!("`diff --table documents` of two 1M stores, 1% of rows edited, {RUNS} runs:");
    println!(
        "  {}, peak {}; sqlite3 reading both in id order: {}  -> {}",
        spread(&diff_t),
        verdict::memory("diff peak at 1M", diff_peak, 30.0),
        spread(&read_t),
        verdict::ratio(
            "diff at 1M vs sqlite3 reading both",
            ratio(&diff_t, &read_t),
            1.5
        )
    );
}
