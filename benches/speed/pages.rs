//! Pages of documents through the store, in the process, on both stores:
//! the moves DESIGN §8 wants under 50 ms at 1,000,000 (page down, jump to
//! the last page, a filter change, a sort reversal) and the rest for
//! reference.

use crate::{PAGE, RUNS, Stores, median, spread, time, verdict};
use egregora_inspect::store::identify::identify;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::doc_counts::{self, DocCounts};
use egregora_inspect::store::read::documents::{self, Anchor, Query, Sort};
use std::path::Path;
use std::time::Duration;

/// The interactive figures on one store, each over RUNS runs.
fn interactive(path: &Path) -> Vec<(String, Vec<Duration>)> {
    let mut out = Vec::new();
    out.push((
        "open + identify + inspect".to_string(),
        time(RUNS, || {
            let _ = identify(path).expect("identify");
            let mut s = open_read_only(path).expect("open");
            inspect(&mut s.conn, path, Counts::None).expect("inspect")
        }),
    ));
    let mut s = open_read_only(path).expect("open");
    let ins = inspect(&mut s.conn, path, Counts::None).expect("inspect");
    let live = ins.live("documents").expect("documents").clone();
    let conn = &s.conn;
    // The app knows these counts (they feed the charts); the store picks a
    // query's path from them.
    let counts = DocCounts::read(conn, &live).expect("counts");
    let q = |sort: Sort, t: Option<&str>, st: Option<&str>, search: Option<&str>| Query {
        doc_type: t.into(),
        status: st.into(),
        search: search.map(String::from),
        sort,
        ..Query::default()
    };
    let page = |query: &Query, anchor: &Anchor| {
        documents::window_with(conn, &live, query, Some(&counts), anchor, PAGE, &mut |_| {})
            .expect("window")
    };
    for sort in Sort::ALL {
        let query = q(sort.clone(), None, None, None);
        out.push((
            format!("first page, sort {}", sort.label()),
            time(RUNS, || page(&query, &Anchor::Start)),
        ));
    }
    // In the demo every profile is published: profile+archived matches
    // nothing, the worst case for two filters: their rowids are intersected
    // on the two filter indexes before any row is read.
    for (t, st) in [
        (Some("post"), None),
        (Some("profile"), None),
        (None, Some("draft")),
        (Some("media"), Some("archived")),
        (Some("profile"), Some("archived")),
    ] {
        for sort in [Sort::Inserted, Sort::CreatedAt] {
            let query = q(sort.clone(), t, st, None);
            let empty = if t == Some("profile") && st.is_some() {
                " (matches nothing)"
            } else {
                ""
            };
            let label = format!(
                "first page, {}{}{}, sort {}{empty}",
                t.map(|t| format!("type={t}")).unwrap_or_default(),
                if t.is_some() && st.is_some() { " " } else { "" },
                st.map(|s| format!("status={s}")).unwrap_or_default(),
                sort.label()
            );
            out.push((label, time(RUNS, || page(&query, &Anchor::Start))));
        }
    }
    for sort in [Sort::Inserted, Sort::CreatedAt, Sort::Slug] {
        let query = q(sort.clone(), None, None, None);
        out.push((
            format!("20 page-downs, sort {}", sort.label()),
            time(RUNS, || {
                let mut rows = page(&query, &Anchor::Start);
                for _ in 0..20 {
                    let key = rows.last().expect("a row").key.clone();
                    rows = page(
                        &query,
                        &Anchor::From {
                            key,
                            inclusive: false,
                        },
                    );
                }
                rows
            }),
        ));
        out.push((
            format!("jump to end, sort {}", sort.label()),
            time(RUNS, || page(&query, &Anchor::End)),
        ));
    }
    // Newest first: the same index, read backwards.
    let newest = Query {
        desc: true,
        ..q(Sort::CreatedAt, None, None, None)
    };
    out.push((
        "first page, sort created_at desc".into(),
        time(RUNS, || page(&newest, &Anchor::Start)),
    ));
    out.push((
        "jump to end, sort created_at desc".into(),
        time(RUNS, || page(&newest, &Anchor::End)),
    ));
    let mid = page(&q(Sort::Inserted, None, None, None), &Anchor::Start)[PAGE / 2]
        .key
        .rowid
        .clone();
    out.push((
        "detail of one document".into(),
        time(RUNS, || {
            documents::document(conn, &live, &mid).expect("doc")
        }),
    ));
    let common = q(Sort::Inserted, None, None, Some("harvest"));
    out.push((
        "search: first 50 matches of a common word".into(),
        time(RUNS, || page(&common, &Anchor::Start)),
    ));
    let none = q(Sort::Inserted, None, None, Some("zqxjv"));
    out.push((
        "search: a word that matches nothing (whole scan)".into(),
        time(3, || page(&none, &Anchor::Start)),
    ));
    for column in ["doc_type", "status"] {
        out.push((
            format!("counts: documents per {column}"),
            time(5, || {
                doc_counts::counts_by(conn, &live, column).expect("counts")
            }),
        ));
    }
    out.push((
        "chart: documents per month".into(),
        time(5, || {
            doc_counts::counts_by_month(conn, &live).expect("counts")
        }),
    ));
    out
}

/// DESIGN §8's limit for a figure at 1,000,000, if it sets one: a filter
/// change, a sort reversal, a jump to the last page and each page down
/// under 50 ms (20 page-downs: under 50 ms each, so under 1 s in all).
fn limit_for(name: &str) -> Option<Duration> {
    let filter = name.starts_with("first page, type") || name.starts_with("first page, status");
    let reversal = name.ends_with(" desc");
    if name.starts_with("20 page-downs") {
        return Some(Duration::from_millis(50 * 20));
    }
    (filter || reversal || name.starts_with("jump to end")).then_some(Duration::from_millis(50))
}

pub(crate) fn run(s: &Stores) {
    let small = interactive(&s.small);
    let large = interactive(&s.large);
    println!(
        "{:<76} {:>22} {:>22} {:>7}  DESIGN target at 1M",
        "pages in the process", "1k documents", "1M documents", "1M/1k"
    );
    for ((name, small), (_, large)) in small.iter().zip(&large) {
        let r = median(large).as_secs_f64() / median(small).as_secs_f64().max(1e-9);
        let target = match limit_for(name) {
            Some(limit) => verdict::under(&format!("{name} at 1M"), median(large), limit),
            None => "(no target)".into(),
        };
        println!(
            "{name:<76} {:>22} {:>22} {r:>6.2}x  {target}",
            spread(small),
            spread(large),
        );
    }
}
