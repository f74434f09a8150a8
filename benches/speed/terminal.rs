//! The real binary in a real terminal (tmux, 120×40): launch to the first
//! screen of documents beside the `sqlite3` shell printing the same 50
//! rows, and the peak memory while browsing, at 1,000,000 and at
//! 10,000,000 documents (DESIGN §8: within 1.2x, under 12 MB at either).

use crate::tmux::Tmux;
use crate::{Stores, has_sqlite3, ms, nth_id, peak_kib, ratio, spread, stores, verdict};
use std::path::Path;
use std::time::Duration;

const LAUNCHES: usize = 7;

/// The launch figures of one store: the app's, and the shell's if it is here.
struct Launch {
    app: Vec<Duration>,
    shell: Option<Vec<Duration>>,
}

fn launches(t: &Tmux, bin: &Path, path: &Path) -> Launch {
    // The 30th row is on the first screen of a 40-line terminal.
    let needle = nth_id(path, 29);
    // The app opens on Overview; the '2' typed right behind the command
    // waits in the terminal and shows the documents at once.
    let app = (0..LAUNCHES)
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
    let shell = has_sqlite3().then(|| {
        (0..LAUNCHES)
            .map(|_| {
                t.launch_until(
                    &format!(
                        "sqlite3 {} 'SELECT id, doc_type, status, created_at, title FROM documents LIMIT 50'",
                        path.display()
                    ),
                    &needle,
                    &[],
                )
            })
            .collect()
    });
    Launch { app, shell }
}

/// Prints one store's launch line; judged against the shell when `judge`.
fn report(label: &str, l: &Launch, judge: bool) {
    let vs = match &l.shell {
        Some(s) => {
            let r = ratio(&l.app, s);
            let said = if judge {
                verdict::ratio(&format!("launch at {label}, app/sqlite3"), r, 1.2)
            } else {
                format!("{r:.2}x (no target at this size)")
            };
            format!(
                "; sqlite3 shell, same 50 rows: {}; app/sqlite3 {said}",
                spread(s)
            )
        }
        None => {
            if judge {
                verdict::skipped(&format!("launch at {label}"), "sqlite3 is not installed");
            }
            "; sqlite3 shell: not installed".into()
        }
    };
    println!("  {label}: {}{vs}", spread(&l.app));
    let mut sorted = l.app.clone();
    sorted.sort();
    let all: Vec<String> = sorted.iter().map(|d| ms(*d)).collect();
    println!("    every launch, fastest first: {}", all.join(", "));
}

/// Peak memory (KiB) of the app browsing `path` the way a person would.
fn browse_peak(t: &Tmux, bin: &Path, path: &Path) -> u64 {
    t.launch_until(
        &format!("{} {}", bin.display(), path.display()),
        "Documents per month",
        &[],
    );
    let pid = t.app_pid();
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
    let peak = peak_kib(pid);
    t.keys(&["q"]);
    t.wait_within("$ ", Duration::from_secs(120));
    peak
}

fn tmux() -> Tmux {
    let t = Tmux::start(&std::env::temp_dir());
    std::thread::sleep(Duration::from_millis(300));
    t
}

pub(crate) fn run(bin: &Path, s: &Stores) {
    let t = tmux();
    let small = launches(&t, bin, &s.small);
    let large = launches(&t, bin, &s.large);
    println!("launch to the first screen of documents (real binary in tmux, 120×40):");
    report("1k", &small, false);
    report("1M", &large, true);
    println!("  1M/1k: {:.2}x (no target)", ratio(&large.app, &small.app));
    let peak = browse_peak(&t, bin, &s.large);
    println!(
        "peak memory (VmHWM) browsing the 1M store: {}",
        verdict::memory("peak memory browsing at 1M", peak, 12.0)
    );
}

/// The same at 10,000,000 documents, on the store made once (or a note
/// saying why there is none).
pub(crate) fn huge(bin: &Path, large: &Path) {
    let huge = match stores::huge(large) {
        Ok(p) => p,
        Err(why) => {
            verdict::skipped("launch and memory at 10,000,000", &why);
            return;
        }
    };
    let t = tmux();
    let l = launches(&t, bin, &huge);
    println!(
        "launch to the first screen of documents at 10,000,000 ({} MB; real binary in tmux):",
        crate::mb(&huge)
    );
    report("10M", &l, true);
    let peak = browse_peak(&t, bin, &huge);
    println!(
        "peak memory (VmHWM) browsing the 10M store: {}",
        verdict::memory("peak memory browsing at 10M", peak, 12.0)
    );
}
