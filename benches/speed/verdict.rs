//! Each figure beside its DESIGN §8 target, "ok" or "short", and every
//! shortfall and skipped figure kept for the summary at the end of the run.

use crate::ms;
use std::sync::Mutex;
use std::time::Duration;

struct Tally {
    judged: usize,
    short: Vec<String>,
    skipped: Vec<String>,
}

static TALLY: Mutex<Tally> = Mutex::new(Tally {
    judged: 0,
    short: Vec::new(),
    skipped: Vec::new(),
});

fn tally() -> std::sync::MutexGuard<'static, Tally> {
    TALLY.lock().unwrap_or_else(|e| e.into_inner())
}

/// `said` (the figure and its target) with the verdict after it.
fn judge(figure: &str, ok: bool, said: String) -> String {
    let mut t = tally();
    t.judged += 1;
    if !ok {
        t.short.push(format!("{figure}: {said}"));
    }
    format!("{said} {}", if ok { "ok" } else { "short" })
}

/// A ratio to its baseline, which DESIGN caps at `limit` times.
pub(crate) fn ratio(figure: &str, r: f64, limit: f64) -> String {
    judge(figure, r <= limit, format!("{r:.2}x (target ≤ {limit}x)"))
}

/// A time DESIGN wants under `limit`.
pub(crate) fn under(figure: &str, d: Duration, limit: Duration) -> String {
    judge(
        figure,
        d < limit,
        format!("{} (target < {})", ms(d), ms(limit)),
    )
}

/// A peak memory (KiB) DESIGN wants under `limit_mb` MB; 0 means it could
/// not be read, which is no pass.
pub(crate) fn memory(figure: &str, kib: u64, limit_mb: f64) -> String {
    let mb = kib as f64 / 1024.0;
    judge(
        figure,
        kib > 0 && mb < limit_mb,
        format!("{mb:.1} MB (target < {limit_mb} MB)"),
    )
}

/// A figure DESIGN sets that this run could not measure, and why: said
/// now and again in the summary.
pub(crate) fn skipped(figure: &str, why: &str) {
    println!("{figure}: skipped ({why})");
    tally().skipped.push(format!("{figure}: {why}"));
}

/// What the run found: how many figures met their target, which fell
/// short and which were not measured.
pub(crate) fn summary() {
    let t = tally();
    println!("summary: {} figures judged against DESIGN §8", t.judged);
    if t.short.is_empty() {
        println!("  none falls short");
    } else {
        println!("  {} fall short:", t.short.len());
        for s in &t.short {
            println!("    {s}");
        }
    }
    if !t.skipped.is_empty() {
        println!("  not measured in this run:");
        for s in &t.skipped {
            println!("    {s}");
        }
    }
}
