//! Frequencies at 1,000,000: the app's count (opening included) beside the
//! same GROUP BY run by the `sqlite3` shell (DESIGN §8: doc_type and status
//! within 1.2x; tags, JSON elements, within 1.5x of the json_each query).

use crate::{has_sqlite3, measured_runs, ratio, spread, time, verdict};
use egregora_inspect::store::read::export::DocSelection;
use egregora_inspect::store::read::frequencies::{FreqSource, frequencies};
use std::path::Path;
use std::process::Command;

pub(crate) fn run(large: &Path) {
    let runs = 3;
    println!("frequencies at 1,000,000 ({runs} runs):");
    let group_by =
        |c: &str| format!("SELECT {c}, count(*) FROM documents GROUP BY {c} ORDER BY 2 DESC");
    for (column, same, limit) in [
        ("doc_type", group_by("doc_type"), 1.2),
        ("status", group_by("status"), 1.2),
        (
            "tags",
            "SELECT j.value, count(*) FROM documents, json_each(documents.tags) j \
             GROUP BY j.value ORDER BY 2 DESC"
                .to_string(),
            1.5,
        ),
    ] {
        let ours = time(runs, || {
            let qc = egregora_inspect::store::read::query::open(large).expect("open");
            let all = FreqSource::Documents(DocSelection::default());
            frequencies(&qc, &all, column, &mut |_| true).expect("frequencies")
        });
        let line = format!("  {column}: {}", spread(&ours));
        if !has_sqlite3() {
            println!("{line}");
            verdict::skipped(
                &format!("frequencies of {column}"),
                "sqlite3 is not installed",
            );
            continue;
        }
        let (theirs, _) = measured_runs(runs, || {
            let mut c = Command::new("sqlite3");
            c.arg(large).arg(&same);
            c
        });
        println!(
            "{line}; sqlite3 '{same}': {}; {}",
            spread(&theirs),
            verdict::ratio(
                &format!("frequencies of {column}/sqlite3"),
                ratio(&ours, &theirs),
                limit
            )
        );
    }
}
