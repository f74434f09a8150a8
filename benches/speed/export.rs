//! `export --format ndjson` of every document beside `sqlite3 -json` on the
//! same rows: wall time within 1.2x, peak memory under 30 MB (DESIGN §8).

use crate::{has_sqlite3, measured_runs, ratio, spread, verdict};
use std::path::Path;
use std::process::Command;

pub(crate) fn run(bin: &Path, large: &Path) {
    let runs = 3;
    let (times, peak) = measured_runs(runs, || {
        let mut c = Command::new(bin);
        c.arg("export").arg(large).args(["--format", "ndjson"]);
        c
    });
    println!("export --format ndjson of 1,000,000 documents, to /dev/null ({runs} runs):");
    println!(
        "  egregora-inspect: {}, peak memory {}",
        spread(&times),
        verdict::memory("export peak memory", peak, 30.0)
    );
    if !has_sqlite3() {
        return verdict::skipped("export against sqlite3 -json", "sqlite3 is not installed");
    }
    let (theirs, their_peak) = measured_runs(runs, || {
        let mut c = Command::new("sqlite3");
        c.arg("-json").arg(large).arg("SELECT * FROM documents");
        c
    });
    println!(
        "  sqlite3 -json 'SELECT * FROM documents': {}, peak memory {:.1} MB",
        spread(&theirs),
        their_peak as f64 / 1024.0
    );
    println!(
        "  wall time export/sqlite3: {}",
        verdict::ratio("export/sqlite3 -json", ratio(&times, &theirs), 1.2)
    );
}
