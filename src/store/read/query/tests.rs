use super::session::{Cmd, Control, Halt, Next, Page, Said, serve};
use super::*;
use crate::store::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// A store file with `n` rows in `t(i, s)`.
fn store(n: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.sqlite");
    let c = Connection::open(&p).unwrap();
    c.execute_batch(&format!(
        "CREATE TABLE t (i INTEGER, s TEXT);
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {n} - 1)
         INSERT INTO t SELECT i, 'row ' || i FROM n;"
    ))
    .unwrap();
    (dir, p)
}

fn refusal(qc: &QueryConn, sql: &str) -> String {
    match qc.prepare(sql) {
        Ok(_) => panic!("{sql} was allowed"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn only_reading_is_allowed_and_each_refusal_says_why() {
    let (_d, p) = store(3);
    let qc = open(&p).unwrap();
    for (sql, why) in [
        ("INSERT INTO t VALUES (1, 'x')", "INSERT into t writes"),
        ("UPDATE t SET s = 'x'", "UPDATE of t writes"),
        ("DELETE FROM t", "DELETE from t writes"),
        ("DROP TABLE t", "changes the schema"),
        ("CREATE TEMP TABLE x (a)", "changes the schema"),
        (
            "ATTACH '/tmp/x.db' AS x",
            "ATTACH and DETACH: only this store",
        ),
        ("PRAGMA user_version = 7", "PRAGMA user_version may change"),
        ("PRAGMA query_only = 0", "PRAGMA query_only may change"),
        ("PRAGMA journal_mode", "PRAGMA journal_mode may change"),
        ("BEGIN", "each statement reads on its own"),
        ("SELECT load_extension('x')", "loading an extension"),
        ("VACUUM INTO '/tmp/never.db'", "refused"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELECT 1; DELETE FROM t", "one statement at a time"),
        // The first rule broken is named: several statements.
        ("DELETE FROM t; SELECT 1", "one statement at a time"),
        ("  -- nothing\n", "no statement to run"),
    ] {
        let got = refusal(&qc, sql);
        assert!(got.contains(why), "{sql}: {got}");
    }
    assert!(!std::path::Path::new("/tmp/never.db").exists());
    for sql in [
        "SELECT * FROM t",
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n LIMIT 3",
        "PRAGMA table_info(t)",
        "SELECT * FROM pragma_table_xinfo('t')",
        "PRAGMA user_version",
        "EXPLAIN QUERY PLAN SELECT * FROM t",
        "SELECT 1;",
        "SELECT 1; -- done",
    ] {
        assert!(
            qc.prepare(sql).is_ok(),
            "{sql}: {:?}",
            qc.prepare(sql).err()
        );
    }
}

#[test]
fn a_syntax_error_names_the_character_where_it_stopped() {
    let (_d, p) = store(1);
    let qc = open(&p).unwrap();
    let e = refusal(&qc, "SELECT é, FROM t");
    assert_eq!(e, "near \"FROM\": syntax error (at character 11)");
    let e = refusal(&qc, "SELECT nope FROM t");
    assert!(e.starts_with("no such column: nope"), "{e}");
}

/// Serves `cmds` in turn; returns what was said. The command whose ticket
/// is `stop` is stopped by the user once it has been watched a while.
fn run(p: &std::path::Path, sql: &str, cmds: &[Cmd], stop: u64) -> Vec<Said> {
    let mut qc = open(p).unwrap();
    let mut said = Vec::new();
    let mut queue = cmds[1..].iter().copied();
    let mut next = |_idle: Option<std::time::Duration>| match queue.next() {
        Some(c) => Next::Cmd(c),
        None => Next::Closed,
    };
    let mut say = |s: Said| said.push(s);
    let watched = AtomicU64::new(0);
    let halt = move |t: u64| {
        (t == stop && watched.fetch_add(1, Ordering::Relaxed) > 100).then_some(Halt::User)
    };
    serve(
        &mut qc,
        sql,
        cmds[0],
        Control {
            next: &mut next,
            say: &mut say,
            halt: std::sync::Arc::new(halt),
        },
    );
    said
}

fn pages(said: &[Said]) -> Vec<&Page> {
    said.iter()
        .filter_map(|s| match s {
            Said::Page { page, .. } => Some(page),
            _ => None,
        })
        .collect()
}

fn ints(page: &Page) -> Vec<i64> {
    page.rows
        .iter()
        .map(|r| match r[0] {
            Cell::Integer(i) => i,
            ref c => panic!("{c:?}"),
        })
        .collect()
}

fn window(ticket: u64, start: u64, height: usize) -> Cmd {
    Cmd::Window {
        ticket,
        start,
        height,
    }
}

#[test]
fn windows_step_on_go_back_and_reach_the_end() {
    let (_d, p) = store(30_000);
    let said = run(
        &p,
        "SELECT i, s FROM t ORDER BY i DESC",
        &[
            window(1, 0, 3),
            window(2, 5000, 3),
            window(3, 4990, 3),
            window(4, 10, 3),
            window(5, 20_000, 3),
            Cmd::End {
                ticket: 6,
                height: 3,
            },
            window(7, 90_000, 3),
        ],
        0,
    );
    assert!(matches!(&said[0], Said::Columns(c) if c == &["i", "s"]));
    let p = pages(&said);
    assert_eq!(
        ints(p[0]),
        [29999, 29998, 29997],
        "the inner ORDER BY holds"
    );
    assert_eq!((p[1].start, ints(p[1])), (5000, vec![24999, 24998, 24997]));
    assert_eq!(ints(p[2]), [25009, 25008, 25007], "within the rows kept");
    assert_eq!(ints(p[3]), [29989, 29988, 29987], "back: run again");
    assert_eq!(ints(p[4]), [9999, 9998, 9997], "far ahead: by OFFSET");
    assert_eq!((p[5].start, ints(p[5])), (29997, vec![2, 1, 0]));
    assert_eq!(p[5].total, Some(30_000));
    assert_eq!(p[6].start, 29997, "past the end: the last rows");
}

#[test]
fn values_are_cut_and_a_stop_says_how_far_it_got() {
    let (_d, path) = store(1);
    let said = run(
        &path,
        "SELECT printf('%.*c', 100000, 'x') AS big, x'00ff' AS b, NULL AS n",
        &[window(1, 0, 5)],
        0,
    );
    let p = pages(&said);
    match &p[0].rows[0][0] {
        Cell::Text { text, cut_from, .. } => {
            assert_eq!((text.len(), *cut_from), (200, Some(100_000)));
        }
        c => panic!("{c:?}"),
    }
    assert_eq!(p[0].rows[0][2], Cell::Null);
    // A statement without end, stopped by the user.
    let (_d, p) = store(1);
    let said = run(
        &p,
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n",
        &[Cmd::End {
            ticket: 7,
            height: 3,
        }],
        7,
    );
    assert!(
        said.iter()
            .any(|s| matches!(s, Said::Stopped { ticket: 7, .. })),
        "{said:?}"
    );
}

#[test]
fn a_slow_statement_says_its_rows_as_they_come() {
    let (_d, p) = store(1);
    let said = run(
        &p,
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) \
         SELECT x FROM n WHERE x % 1000000 = 0 LIMIT 4",
        &[window(1, 0, 4)],
        0,
    );
    let partial: Vec<usize> = said
        .iter()
        .filter_map(|s| match s {
            Said::Partial { page, .. } => Some(page.rows.len()),
            _ => None,
        })
        .collect();
    assert!(!partial.is_empty(), "rows shown before the window is full");
    assert!(partial.iter().all(|&n| (1..4).contains(&n)), "{partial:?}");
    assert_eq!(pages(&said)[0].rows.len(), 4);
}

#[test]
fn a_second_statement_is_told_from_quotes_and_comments() {
    use super::more_than_one;
    assert!(!more_than_one(
        "SELECT ';' -- ; not a second\n;  /* nor; this */ "
    ));
    assert!(!more_than_one("SELECT \"a;b\", [c;d], `e;f` FROM t;"));
    assert!(more_than_one("SELECT 1; SELECT 2"));
    assert!(more_than_one("DELETE FROM t; x"));
}

#[test]
fn a_count_tells_the_rows_it_has_stepped_past_as_it_goes() {
    let (_d, p) = store(3);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) \
               SELECT i FROM n WHERE i % 3 = 0";
    let n = count(&p, sql, || false, move |rows| s.lock().unwrap().push(rows)).unwrap();
    assert_eq!(n, 100_000);
    let seen = seen.lock().unwrap().clone();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    // The rows of the statement, not the rows of its CTE.
    assert!(seen.iter().all(|&r| r <= n), "{seen:?}");
    assert!(seen.iter().any(|&r| r > 0 && r < n), "it grew: {seen:?}");
    // A statement the count cannot wrap is stepped through, and told too.
    let seen = std::sync::Arc::new(AtomicU64::new(0));
    let s = seen.clone();
    let n = count(
        &p,
        "PRAGMA table_info(t)",
        || false,
        move |rows| {
            s.fetch_max(rows, Ordering::SeqCst);
        },
    )
    .unwrap();
    assert_eq!(n, 2);
    assert!(seen.load(Ordering::SeqCst) <= 2);
}
