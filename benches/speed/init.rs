//! init's rebuild of an older 1,000,000-row `documents` beside the same
//! `INSERT … SELECT` run by hand through plain rusqlite (DESIGN §8: within
//! 1.3x). Also the shared way a plan is run and timed, step by step.

use crate::{ms, ratio, spread, stores, verdict};
use egregora_inspect::store::apply::{ApplyOptions, apply};
use egregora_inspect::store::cancel::Canceller;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::plan::{self, PlanKind};
use std::path::Path;
use std::time::{Duration, Instant};

pub(crate) const RUNS: usize = 3;

/// A copy of `from` at `to`, on disk before the clock starts, so the
/// writeback of the copy does not land inside the timed run.
pub(crate) fn fresh_copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("copy");
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .expect("sync the copy");
}

/// Plans and applies `kind` on `path` (no backup), as the command does:
/// the time from opening to commit, and where it went, step by step.
pub(crate) fn plan_and_apply(path: &Path, kind: PlanKind) -> (Duration, Vec<(String, Duration)>) {
    let mut s = open_read_only(path).expect("open");
    let t = Instant::now();
    let ins = inspect(&mut s.conn, path, Counts::None).expect("inspect");
    let p = plan::for_action(&s.conn, &ins, kind).expect("plan");
    assert!(
        p.blockers.is_empty(),
        "the plan is blocked: {:?}",
        p.blockers
    );
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
    .expect("the plan runs");
    let took = t.elapsed();
    marks.push(("end".into(), Instant::now()));
    let steps = marks
        .windows(2)
        .map(|w| (w[0].0.clone(), w[1].1 - w[0].1))
        .collect();
    (took, steps)
}

/// Prints the steps that took 20 ms or more.
pub(crate) fn print_steps(steps: &[(String, Duration)]) {
    println!("  where the time went in the last run:");
    for (title, d) in steps.iter().filter(|(_, d)| d.as_millis() >= 20) {
        println!("    {:>8}  {title}", ms(*d));
    }
}

/// `sql` on a fresh copy of `from` at `work`, through plain rusqlite in
/// one transaction: its time.
pub(crate) fn by_hand(from: &Path, work: &Path, sql: &str) -> Duration {
    fresh_copy(from, work);
    let t = Instant::now();
    let c = rusqlite::Connection::open(work).expect("open");
    c.execute_batch(&format!("BEGIN; {sql}; COMMIT;"))
        .expect("the statements run");
    drop(c);
    t.elapsed()
}

pub(crate) fn run(old: &Path) {
    let dir = tempfile::tempdir_in(stores::dir()).expect("temp dir");
    let work = dir.path().join("run.sqlite");
    let spec = egregora_inspect::store::spec::Spec::v3().documents();
    let cols: Vec<&str> = spec.columns.iter().map(|c| c.name.as_str()).collect();
    let exprs: Vec<String> = cols
        .iter()
        .map(|c| match *c {
            "status" => "'draft'".to_string(),
            "doc_type" => "'note'".to_string(),
            c => c.to_string(),
        })
        .collect();
    let floor_sql = format!(
        "{}; INSERT INTO documents_new (rowid, {}) SELECT rowid, {} FROM documents",
        spec.create_sql("documents_new", &[]),
        cols.join(", "),
        exprs.join(", ")
    );
    let (mut ours, mut floor, mut steps) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        fresh_copy(old, &work);
        let (took, s) = plan_and_apply(&work, PlanKind::Init);
        ours.push(took);
        steps = s;
        floor.push(by_hand(old, &work, &floor_sql));
    }
    println!(
        "init rebuild of an older 1,000,000-row documents (no backup): {}",
        spread(&ours)
    );
    println!(
        "  floor, the same INSERT … SELECT through plain rusqlite:       {}",
        spread(&floor)
    );
    println!(
        "  init/floor: {}",
        verdict::ratio("init rebuild/INSERT … SELECT", ratio(&ours, &floor), 1.3)
    );
    print_steps(&steps);
}
