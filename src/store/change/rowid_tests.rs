//! The trigger recording beside the session extension's own: for tables
//! with a primary key both must write the same changes, whatever the
//! statements do to keys, rowids and types.

use super::rowid;
use super::rows::TableCount;
use fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::Connection;
use rusqlite::session::{ChangesetIter, Session};

const SCHEMA: &str = "
    CREATE TABLE d (id TEXT PRIMARY KEY, a, b TEXT COLLATE NOCASE, c REAL);
    CREATE TABLE k (x INTEGER PRIMARY KEY, y);
    CREATE TABLE m (p, q, r, PRIMARY KEY (q, p));
    CREATE TABLE w (id TEXT PRIMARY KEY, v) WITHOUT ROWID;
    CREATE TRIGGER d_touch AFTER UPDATE OF c ON d BEGIN
      UPDATE d SET b = 'touched ' || new.id WHERE id = new.id;
    END;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
    INSERT INTO d SELECT 'd' || i, i % 5, 'B' || i, i * 1.5 FROM n;
    INSERT INTO d VALUES (NULL, 1, 'no key', 0.5);
    INSERT INTO k SELECT rowid, id FROM d;
    INSERT INTO m SELECT i, i % 3, 'r' || i FROM (SELECT rowid AS i FROM d);
    INSERT INTO w SELECT id, a FROM d WHERE id IS NOT NULL;
";

fn store() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("s.sqlite")).unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    conn.execute_batch("PRAGMA recursive_triggers = ON; PRAGMA temp_store = FILE")
        .unwrap();
    (dir, conn)
}

/// Each change as a line, sorted: table, op, every value (`-` undefined).
fn lines(bytes: &[u8]) -> Vec<String> {
    let mut input: &[u8] = bytes;
    let input: &mut dyn std::io::Read = &mut input;
    let mut it = ChangesetIter::start_strm(&input).unwrap();
    let mut out = Vec::new();
    while let Some(item) = it.next().unwrap() {
        let op = item.op().unwrap();
        let mut s = format!("{} {:?}", op.table_name(), op.code());
        for i in 0..usize::try_from(op.number_of_columns()).unwrap() {
            let show = |v: rusqlite::Result<rusqlite::types::ValueRef<'_>>| {
                v.map_or("-".to_string(), |v| format!("{v:?}"))
            };
            s += &format!(
                " | {} > {}",
                show(item.old_value(i)),
                show(item.new_value(i))
            );
        }
        out.push(s);
    }
    out.sort();
    out
}

/// What the session records of `statements`, and what the triggers do.
fn both(statements: &[&str]) -> (Vec<String>, Vec<String>, Vec<TableCount>) {
    let (_dir, mut conn) = store();
    let mut written: Vec<rowid::Written> = Vec::new();
    for sql in statements {
        rowid::merge(&mut written, super::guard::check(&mut conn, sql).unwrap());
    }
    let mut by_session = Vec::new();
    {
        let tx = conn.unchecked_transaction().unwrap();
        let mut session = Session::new(&tx).unwrap();
        session.attach(None::<&str>).unwrap();
        tx.execute_batch(&statements.join(";")).unwrap();
        session.changeset_strm(&mut by_session).unwrap();
        drop(session);
        tx.rollback().unwrap();
    }
    let tx = conn.unchecked_transaction().unwrap();
    let logs = rowid::start(&tx, &written).unwrap();
    tx.execute_batch(&statements.join(";")).unwrap();
    let mut by_triggers = Vec::new();
    let mut tables = Vec::new();
    rowid::finish(&tx, &logs, &mut by_triggers, &mut Vec::new(), &mut tables).unwrap();
    tx.rollback().unwrap();
    // Inverted record by record as SQLite inverts the whole.
    let (mut ours, mut sqlite) = (Vec::new(), Vec::new());
    super::wire::invert(&mut &by_session[..], &mut ours).unwrap();
    rusqlite::session::invert_strm(&mut &by_session[..], &mut sqlite).unwrap();
    assert_eq!(lines(&ours), lines(&sqlite), "{statements:?}: inverted");
    // The WITHOUT ROWID table stays the session's: not in the triggers'.
    let session: Vec<String> = lines(&by_session)
        .into_iter()
        .filter(|l| !l.starts_with("w "))
        .collect();
    (session, lines(&by_triggers), tables)
}

#[test]
fn the_triggers_record_what_the_session_does() {
    for statements in [
        &["UPDATE d SET a = 1"][..],
        &[
            "UPDATE d SET a = 1.0 WHERE a = 1",
            "UPDATE d SET a = a WHERE a = 2",
        ],
        &["UPDATE d SET b = lower(b) WHERE rowid % 2 = 0"],
        &["UPDATE d SET c = c + 1 WHERE rowid < 5"],
        &["UPDATE d SET id = id || 'x' WHERE rowid % 3 = 0"],
        &[
            "UPDATE d SET id = 'tmp' WHERE id = 'd1'",
            "UPDATE d SET id = 'd1' WHERE id = 'd2'",
            "UPDATE d SET id = 'd2', a = 9 WHERE id = 'tmp'",
        ],
        &[
            "INSERT OR REPLACE INTO d VALUES ('d3', 3, 'B3', 4.5), ('d4', 7, 'x', 1), ('new', 1, 2, 3)",
        ],
        &[
            "DELETE FROM d WHERE a = 3",
            "INSERT INTO d VALUES ('d8', 0, 'again', 8)",
        ],
        &[
            "INSERT INTO d VALUES ('z1', 1, 2, 3)",
            "DELETE FROM d WHERE id = 'z1'",
        ],
        &[
            "UPDATE d SET a = 100 WHERE id = 'd5'",
            "UPDATE d SET a = 0 WHERE id = 'd5'",
        ],
        &["UPDATE d SET rowid = rowid + 1000 WHERE rowid % 4 = 0"],
        &["UPDATE d SET a = 5, b = 'keyless' WHERE id IS NULL OR id = 'd9'"],
        &[
            "UPDATE k SET x = x + 1000 WHERE x % 2 = 0",
            "UPDATE k SET y = 'odd' WHERE x < 10",
        ],
        &[
            "INSERT INTO k VALUES (3, 'three'), (99, 'ninety-nine') ON CONFLICT (x) DO UPDATE SET y = excluded.y",
        ],
        &[
            "UPDATE m SET q = q + 10 WHERE p % 2 = 0",
            "DELETE FROM m WHERE p = 5",
        ],
        &[
            "REPLACE INTO m VALUES (1, 1, 'same key, new row')",
            "UPDATE w SET v = 'w'",
        ],
    ] {
        let (session, triggers, tables) = both(statements);
        assert_eq!(triggers, session, "{statements:?}");
        let rows: u64 = tables
            .iter()
            .map(|t| t.inserted + t.updated + t.deleted)
            .sum();
        assert_eq!(rows as usize, triggers.len(), "{statements:?}: counted");
    }
}

#[test]
fn a_table_without_a_key_is_recorded_by_rowid() {
    let (_dir, mut conn) = store();
    conn.execute_batch("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z');")
        .unwrap();
    let sql = [
        "UPDATE t SET b = 'w' WHERE a = 1",
        "DELETE FROM t WHERE a = 2",
        "INSERT INTO t VALUES (4, 'v')",
        "UPDATE t SET rowid = 10 WHERE a = 3",
    ];
    let mut written = Vec::new();
    for s in sql {
        rowid::merge(&mut written, super::guard::check(&mut conn, s).unwrap());
    }
    let tx = conn.unchecked_transaction().unwrap();
    let logs = rowid::start(&tx, &written).unwrap();
    tx.execute_batch(&sql.join(";")).unwrap();
    let mut out = Vec::new();
    let mut tables = Vec::new();
    rowid::finish(&tx, &logs, &mut out, &mut Vec::new(), &mut tables).unwrap();
    assert_eq!(
        lines(&out),
        [
            "t SQLITE_DELETE | Integer(2) > - | Integer(2) > - | Text([121]) > -",
            "t SQLITE_DELETE | Integer(3) > - | Integer(3) > - | Text([122]) > -",
            "t SQLITE_INSERT | - > Integer(10) | - > Integer(3) | - > Text([122])",
            "t SQLITE_INSERT | - > Integer(4) | - > Integer(4) | - > Text([118])",
            "t SQLITE_UPDATE | Integer(1) > - | - > - | Text([120]) > Text([119])",
        ]
    );
    assert_eq!(
        (tables[0].inserted, tables[0].updated, tables[0].deleted),
        (2, 1, 2)
    );
}
