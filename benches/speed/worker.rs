//! A search for a word that matches nothing, through the app's own worker
//! on the large store: how soon it says "no match so far", and how soon a
//! new page (which stops the scan) arrives while it scans. DESIGN sets no
//! target for these; they show the app stays responsive during a scan.

use crate::{PAGE, spread};
use egregora_inspect::store::read::documents::{Anchor, Query};
use std::path::Path;
use std::time::{Duration, Instant};

pub(crate) fn run(large: &Path) {
    let (first, page) = responsiveness(large);
    println!("searching 1M documents for a word that matches nothing, through the app's worker:");
    println!(
        "  until it reports \"no match so far\": {} (no target)",
        spread(&first)
    );
    println!(
        "  a new page asked for while it scans (the scan stops): {} (no target)",
        spread(&page)
    );
}

fn responsiveness(path: &Path) -> (Vec<Duration>, Vec<Duration>) {
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
