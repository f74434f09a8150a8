//! Filter pickers and backlinks at 1,000,000 documents: pages under a set of
//! doc_types (IN on the filter's index), the picker's GROUP BY, and a
//! profile's backlinks (one scan of `authors`, on the scan worker), each
//! beside sqlite3 running the same SQL.

use crate::{PAGE, RUNS, has_sqlite3, measured_runs, median, spread, time, verdict};
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::backlinks::backlinks;
use egregora_inspect::store::read::doc_counts::{DocCounts, values_of};
use egregora_inspect::store::read::documents::{self, Anchor, Picked, Query, RowKey, Sort};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub(crate) fn run(large: &Path) {
    let mut s = open_read_only(large).expect("open");
    let ins = inspect(&mut s.conn, large, Counts::None).expect("inspect");
    let live = ins.live("documents").expect("documents").clone();
    let conn = &s.conn;
    let counts = DocCounts::read(conn, &live).expect("counts");
    let page = |q: &Query, anchor: &Anchor| {
        documents::window_with(conn, &live, q, Some(&counts), anchor, PAGE, &mut |_| {})
            .expect("window")
    };
    let sqlite3 = |sql: String, runs: usize| -> Option<Vec<Duration>> {
        has_sqlite3().then(|| {
            measured_runs(runs, || {
                let mut c = Command::new("sqlite3");
                c.arg(large).arg(&sql);
                c
            })
            .0
        })
    };
    let report =
        |name: &str, ours: &[Duration], base: Option<Vec<Duration>>, limit: Option<Duration>| {
            let vs = base.map_or("sqlite3: not installed".into(), |b| {
                format!(
                    "sqlite3 {} -> {:.2}x",
                    spread(&b),
                    median(ours).as_secs_f64() / median(&b).as_secs_f64()
                )
            });
            let target = limit.map_or("(no target)".into(), |l| {
                verdict::under(name, median(ours), l)
            });
            println!("{name:<58} {:>22}  {vs}  {target}", spread(ours));
        };
    let set = Picked(vec![Some("post".into()), Some("profile".into())]);
    let cols = "rowid, id, doc_type, status, created_at, title";
    for sort in [Sort::Inserted, Sort::CreatedAt] {
        let q = Query {
            doc_type: set.clone(),
            sort: sort.clone(),
            ..Query::default()
        };
        let order = sort
            .column()
            .map_or("rowid".into(), |c| format!("{c}, rowid"));
        let base = |dir: &str| {
            format!(
                "SELECT {cols} FROM documents WHERE doc_type IN ('post', 'profile') ORDER BY {} LIMIT {PAGE}",
                order.replace(", ", &format!(" {dir}, ")) + " " + dir
            )
        };
        let label = sort.label();
        report(
            &format!("first page, doc_type ∈ post, profile, sort {label}"),
            &time(RUNS, || page(&q, &Anchor::Start)),
            sqlite3(base("ASC"), 5),
            Some(Duration::from_millis(50)),
        );
        report(
            &format!("jump to end, doc_type ∈ post, profile, sort {label}"),
            &time(RUNS, || page(&q, &Anchor::End)),
            sqlite3(base("DESC"), 5),
            Some(Duration::from_millis(50)),
        );
    }
    for column in ["doc_type", "status"] {
        report(
            &format!("picker: every {column} with its count"),
            &time(5, || values_of(conn, &live, column).expect("values")),
            sqlite3(
                format!("SELECT {column}, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
                5,
            ),
            None,
        );
    }
    let (rowid, uuid): (i64, String) = conn
        .query_row(
            "SELECT rowid, subject_uuid FROM documents WHERE doc_type = 'profile' AND subject_uuid IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a profile");
    report(
        "backlinks of a profile (a scan of authors, scan worker)",
        &time(3, || {
            backlinks(conn, &live, &RowKey::Rowid(rowid), 20).expect("backlinks")
        }),
        sqlite3(
            format!("SELECT count(*) FROM documents WHERE instr(authors, '{uuid}') > 0"),
            3,
        ),
        None,
    );
    let post: i64 = conn
        .query_row(
            "SELECT rowid FROM documents WHERE doc_type = 'post' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a post");
    report(
        "backlinks of a post (its annotations, by the doc_type index)",
        &time(3, || {
            backlinks(conn, &live, &RowKey::Rowid(post), 20).expect("backlinks")
        }),
        None,
        None,
    );
}
