//! A sort by a column no index orders: the list built once in a temp file
//! of SQLite's own (never the store), its pages in order both ways with
//! NULLs first and ties by rowid, the filters kept, a stop leaving nothing.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use common::*;
use egregora_inspect::store::StoreError;
use egregora_inspect::store::cancel::Canceller;
use egregora_inspect::store::inspection::catalog::LiveTable;
use egregora_inspect::store::inspection::inspect::{Counts, inspect};
use egregora_inspect::store::open::open_read_only;
use egregora_inspect::store::read::documents::{Anchor, DocRow, Picked, Query, Sort};
use egregora_inspect::store::read::sort::SortPath;
use egregora_inspect::store::read::sorted::{ListAsk, SortedList, build};
use std::path::{Path, PathBuf};

/// 300 documents; `summary` has NULLs and many ties, `title` few ties.
fn store(dir: &Path) -> PathBuf {
    let p = dir.join("s.sqlite");
    bin()
        .args(["demo", "--docs", "0"])
        .arg(&p)
        .assert()
        .success();
    exec(
        &p,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO documents (id, status, doc_type, title, summary, content)
         SELECT printf('id-%03d', (i * 37) % 301), CASE i % 3 WHEN 0 THEN 'draft' ELSE 'published' END,
                CASE i % 4 WHEN 0 THEN 'post' ELSE 'note' END,
                'title ' || (i % 50),
                CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN 42 ELSE 'sum ' || (i % 13) END,
                CASE WHEN i % 10 = 0 THEN 'the needle here' ELSE 'hay' END
         FROM n;",
    );
    p
}

fn live_of(p: &Path) -> LiveTable {
    let mut s = open_read_only(p).unwrap();
    let ins = inspect(&mut s.conn, p, Counts::None).unwrap();
    ins.live("documents").unwrap().clone()
}

fn ids(rows: &[DocRow]) -> Vec<String> {
    rows.iter().map(|r| r.id.summary()).collect()
}

fn expected(p: &Path, col: &str, filter: &str, desc: bool) -> Vec<String> {
    let dir = if desc { "DESC" } else { "ASC" };
    let c = open(p);
    let mut st = c
        .prepare(&format!(
            "SELECT id FROM documents WHERE {filter} ORDER BY {col} {dir}, rowid {dir}"
        ))
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Every page from the start, a page down at a time; then every page from
/// the end, a page up at a time (reversed back into order).
fn walk(list: &SortedList, q: &Query, h: usize) -> (Vec<String>, Vec<String>) {
    let mut down = Vec::new();
    let mut page = list.window(q, &Anchor::Start, h).unwrap();
    for _ in 0..400 {
        let last = page.last().unwrap().key.clone();
        let fresh: Vec<String> = ids(&page)
            .into_iter()
            .skip_while(|id| down.contains(id))
            .collect();
        down.extend(fresh);
        let next = list
            .window(
                q,
                &Anchor::From {
                    key: last,
                    inclusive: false,
                },
                h,
            )
            .unwrap();
        if ids(&next) == ids(&page) {
            break;
        }
        page = next;
    }
    let mut up: Vec<String> = Vec::new();
    let mut page = list.window(q, &Anchor::End, h).unwrap();
    for _ in 0..400 {
        let mut fresh: Vec<String> = ids(&page)
            .into_iter()
            .filter(|id| !up.contains(id))
            .collect();
        fresh.extend(up);
        up = fresh;
        let first = page.first().unwrap().key.clone();
        let prev = list
            .window(q, &Anchor::Before { key: first, n: h }, h)
            .unwrap();
        if ids(&prev) == ids(&page) {
            break;
        }
        page = prev;
    }
    (down, up)
}

fn ask(q: &Query) -> ListAsk {
    ListAsk::of("documents", q).unwrap()
}

#[test]
fn pages_from_the_list_are_in_order_both_ways_with_nulls_first_and_ties_by_rowid() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let before = snapshot(&p);
    let live = live_of(&p);
    for col in ["summary", "title"] {
        let q = Query {
            sort: Sort::by_column(col),
            ..Query::default()
        };
        assert_eq!(q.sort.path(&live), SortPath::List, "{col} has no index");
        let list = build(&p, &ask(&q), &Canceller::new(), |_| {}).unwrap();
        assert_eq!(list.rows, 300);
        for desc in [false, true] {
            let q = Query { desc, ..q.clone() };
            let want = expected(&p, col, "1", desc);
            // NULLs first ascending (last descending), as SQLite sorts.
            let first = list.window(&q, &Anchor::Start, 3).unwrap();
            let nulls = first[0].key.value == rusqlite::types::Value::Null;
            assert_eq!(nulls, col == "summary" && !desc, "{col} desc={desc}");
            for h in [7, 50] {
                let (down, up) = walk(&list, &q, h);
                assert_eq!(down, want, "{col} desc={desc} h={h} down");
                assert_eq!(up, want, "{col} desc={desc} h={h} up");
            }
            // A window from a row in the middle starts at that row.
            let key = list.window(&q, &Anchor::Start, 120).unwrap()[100]
                .key
                .clone();
            let at = list
                .window(
                    &q,
                    &Anchor::From {
                        key,
                        inclusive: true,
                    },
                    5,
                )
                .unwrap();
            assert_eq!(ids(&at), want[100..105].to_vec());
        }
    }
    assert!(snapshot(&p) == before, "the store was never written");
}

#[test]
fn the_list_holds_only_the_rows_the_filters_and_search_select() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let q = Query {
        sort: Sort::by_column("summary"),
        doc_type: Picked::one("note"),
        search: Some("NEEDLE".into()),
        desc: true,
        ..Query::default()
    };
    let list = build(&p, &ask(&q), &Canceller::new(), |_| {}).unwrap();
    let want = expected(
        &p,
        "summary",
        "doc_type = 'note' AND content LIKE '%needle%'",
        true,
    );
    assert_eq!(list.rows as usize, want.len());
    assert!(!want.is_empty());
    let (down, _) = walk(&list, &q, 4);
    assert_eq!(down, want);
    // Another filter is another list.
    assert!(list.serves("documents", &q));
    assert!(!list.serves(
        "documents",
        &Query {
            status: Picked::one("draft"),
            ..q.clone()
        }
    ));
    assert!(list.serves("documents", &Query { desc: false, ..q }));
}

/// Links of this process's open files into `dir` (SQLite unlinks its temp
/// files at once: they show as "(deleted)").
#[cfg(target_os = "linux")]
fn open_in(dir: &Path) -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|t| t.starts_with(dir))
        .count()
}

/// SQLite reads its temp folder from the environment once per process:
/// the check runs in a child of this test binary given a folder of its own
/// (and a cache small enough that a small list goes to its file).
#[cfg(target_os = "linux")]
#[test]
fn the_list_lives_in_a_temp_file_that_goes_with_it_and_a_stop_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // The test's name within this binary (module path without the crate).
    let name = format!(
        "{}::temp_file_check",
        module_path!().split_once("::").unwrap().1
    );
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &name, "--nocapture", "--include-ignored"])
        .env("SQLITE_TMPDIR", tmp.path())
        .env("EGREGORA_INSPECT_SORT_CACHE_KIB", "64")
        .env("SORTED_LIST_TMP", tmp.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("1 passed"), "{said}");
}

/// Run by the test above, in a child process (ignored on its own).
#[cfg(target_os = "linux")]
#[test]
#[ignore = "run by the_list_lives_in_a_temp_file_that_goes_with_it_and_a_stop_leaves_nothing"]
fn temp_file_check() {
    let tmp = PathBuf::from(std::env::var("SORTED_LIST_TMP").unwrap());
    let tmp = tmp.as_path();
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    exec(
        &p,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO documents (id, status, doc_type, title) SELECT 'more-' || i, 'draft', 'note', hex(randomblob(8)) FROM n;",
    );
    let before = snapshot(&p);
    let q = Query {
        sort: Sort::by_column("title"),
        ..Query::default()
    };
    let list = build(&p, &ask(&q), &Canceller::new(), |_| {}).unwrap();
    assert_eq!(list.rows, 20_300);
    // A file of its own in the temp folder, never a name left in it.
    assert!(open_in(tmp) >= 1, "the list is in a temp file");
    assert!(listing(tmp).is_empty(), "{:?}", listing(tmp));
    drop(list);
    assert_eq!(open_in(tmp), 0, "the list's file went with it");

    // Stopped: an error, nothing open, nothing left, the store as it was.
    let cancel = Canceller::new();
    let stopper = cancel.clone();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let s2 = seen.clone();
    let got = build(&p, &ask(&q), &cancel, move |at| {
        s2.store(at.rows, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(at.total, Some(20_300));
        stopper.cancel();
    });
    assert!(matches!(got, Err(StoreError::Cancelled)), "{got:?}");
    assert_eq!(open_in(tmp), 0);
    assert!(listing(tmp).is_empty());
    assert!(snapshot(&p) == before, "the store was never written");
}

#[test]
fn a_write_by_another_process_makes_the_list_stale() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let q = Query {
        sort: Sort::by_column("title"),
        ..Query::default()
    };
    let list = build(&p, &ask(&q), &Canceller::new(), |_| {}).unwrap();
    assert!(!list.stale());
    exec(&p, "UPDATE documents SET title = 'aaa' WHERE id = 'id-100'");
    assert!(list.stale());
}

#[test]
fn another_file_at_the_path_makes_the_list_stale() {
    let dir = tempfile::tempdir().unwrap();
    let p = store(dir.path());
    let q = Query {
        sort: Sort::by_column("title"),
        ..Query::default()
    };
    let list = build(&p, &ask(&q), &Canceller::new(), |_| {}).unwrap();
    let other = dir.path().join("other.sqlite");
    std::fs::copy(&p, &other).unwrap();
    std::fs::rename(&other, &p).unwrap();
    assert!(list.stale(), "a copy put in its place is another store");
}
