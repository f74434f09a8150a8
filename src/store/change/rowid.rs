//! Tables without a primary key (`tasks`, `messages`) recorded by rowid.
//! The session extension ignores them unless its rowid option is set, which
//! rusqlite does not expose; so temp triggers keep each touched row's first
//! values in a temp table, and after the statements the net change of each
//! row is written in the changeset format the session extension uses for
//! such tables (the rowid as a leftmost primary-key column), which
//! `sqlite3changeset_apply` and `_invert` read like any other.

use crate::store::spec::quote;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::io::{self, Write};

/// The temp log of one table.
pub(crate) struct Log {
    table: String,
    columns: Vec<String>,
    log: String,
}

/// Whether `table` (of main) is a rowid table without a declared primary
/// key, and its columns.
fn keyless(conn: &Connection, table: &str) -> rusqlite::Result<Option<(String, Vec<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT name, (SELECT max(pk) FROM pragma_table_info(?1)) FROM pragma_table_info(?1) ORDER BY cid",
    )?;
    let mut cols = Vec::new();
    let mut has_pk = false;
    let mut rows = stmt.query([table])?;
    while let Some(r) = rows.next()? {
        cols.push(r.get::<_, String>(0)?);
        has_pk = r.get::<_, i64>(1)? > 0;
    }
    let name: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
            [table],
            |r| r.get(0),
        )
        .ok();
    Ok(match name {
        Some(n) if !has_pk && !cols.is_empty() => Some((n, cols)),
        _ => None,
    })
}

/// Starts logging every table of `written` that has no primary key.
pub(crate) fn start(conn: &Connection, written: &[String]) -> rusqlite::Result<Vec<Log>> {
    let mut logs = Vec::new();
    for t in written {
        let Some((table, columns)) = keyless(conn, t)? else {
            continue;
        };
        let log = format!("egregora_inspect_log_{}", logs.len());
        let q = quote(&table);
        let olds: Vec<String> = columns
            .iter()
            .map(|c| format!("old.{}", quote(c)))
            .collect();
        let slots: Vec<String> = (0..columns.len()).map(|i| format!("o{i}")).collect();
        let keep = format!(
            "INSERT OR IGNORE INTO temp.{log} VALUES (old.rowid, 1, {})",
            olds.join(", ")
        );
        let born = format!("INSERT OR IGNORE INTO temp.{log} (rid, existed) VALUES (new.rowid, 0)");
        conn.execute_batch(&format!(
            "CREATE TEMP TABLE {log} (rid INTEGER PRIMARY KEY, existed INTEGER NOT NULL, {});
             CREATE TEMP TRIGGER {log}_u BEFORE UPDATE ON main.{q} BEGIN {keep}; END;
             CREATE TEMP TRIGGER {log}_d BEFORE DELETE ON main.{q} BEGIN {keep}; END;
             CREATE TEMP TRIGGER {log}_i AFTER INSERT ON main.{q} BEGIN {born}; END;
             CREATE TEMP TRIGGER {log}_r AFTER UPDATE ON main.{q}
               WHEN new.rowid IS NOT old.rowid BEGIN {born}; END;",
            slots.join(", ")
        ))?;
        logs.push(Log {
            table,
            columns,
            log,
        });
    }
    Ok(logs)
}

/// Writes the net change of every logged row to `out`, then drops the logs.
pub(crate) fn finish(conn: &Connection, logs: &[Log], out: &mut dyn Write) -> rusqlite::Result<()> {
    for l in logs {
        let n = l.columns.len();
        let olds: Vec<String> = (0..n).map(|i| format!("l.o{i}")).collect();
        let news: Vec<String> = l
            .columns
            .iter()
            .map(|c| format!("t.{}", quote(c)))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT l.rid, l.existed, t.rowid IS NOT NULL, {}, {} FROM temp.{} l
             LEFT JOIN main.{} t ON t.rowid = l.rid ORDER BY l.rid",
            olds.join(", "),
            news.join(", "),
            l.log,
            quote(&l.table)
        ))?;
        let mut rows = stmt.query([])?;
        let mut header = false;
        while let Some(r) = rows.next()? {
            let rid: i64 = r.get(0)?;
            let (existed, present) = (r.get::<_, bool>(1)?, r.get::<_, bool>(2)?);
            let old = |i: usize| r.get_ref(3 + i);
            let new = |i: usize| r.get_ref(3 + n + i);
            let mut rec = Vec::new();
            match (existed, present) {
                (true, true) => {
                    let changed: Vec<bool> = (0..n)
                        .map(|i| Ok(!same(old(i)?, new(i)?)))
                        .collect::<rusqlite::Result<_>>()?;
                    if !changed.contains(&true) {
                        continue;
                    }
                    rec.extend([UPDATE, 0]);
                    value(&mut rec, ValueRef::Integer(rid));
                    for (i, c) in changed.iter().enumerate() {
                        if *c {
                            value(&mut rec, old(i)?)
                        } else {
                            rec.push(0)
                        }
                    }
                    rec.push(0);
                    for (i, c) in changed.iter().enumerate() {
                        if *c {
                            value(&mut rec, new(i)?)
                        } else {
                            rec.push(0)
                        }
                    }
                }
                (true, false) | (false, true) => {
                    let from = if existed { 3 } else { 3 + n };
                    rec.extend([if existed { DELETE } else { INSERT }, 0]);
                    value(&mut rec, ValueRef::Integer(rid));
                    for i in 0..n {
                        value(&mut rec, r.get_ref(from + i)?);
                    }
                }
                (false, false) => continue,
            }
            if !header {
                header = true;
                write_header(out, &l.table, n).map_err(io_error)?;
            }
            out.write_all(&rec).map_err(io_error)?;
        }
        drop(rows);
        drop(stmt);
        conn.execute_batch(&format!("DROP TABLE temp.{}", l.log))?;
    }
    Ok(())
}

const INSERT: u8 = 18;
const UPDATE: u8 = 23;
const DELETE: u8 = 9;

fn io_error(e: io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// A table's header in a changeset: its columns (the rowid first, as the
/// primary key) and its name.
fn write_header(out: &mut dyn Write, table: &str, columns: usize) -> io::Result<()> {
    let mut h = vec![b'T'];
    varint(&mut h, columns as u64 + 1);
    h.push(1);
    h.extend(std::iter::repeat_n(0, columns));
    h.extend_from_slice(table.as_bytes());
    h.push(0);
    out.write_all(&h)
}

/// SQLite's `IS`: equal type and value.
fn same(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    a == b
}

/// One value as a changeset holds it.
fn value(out: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => out.push(5),
        ValueRef::Integer(i) => {
            out.push(1);
            out.extend(i.to_be_bytes());
        }
        ValueRef::Real(f) => {
            out.push(2);
            out.extend(f.to_bits().to_be_bytes());
        }
        ValueRef::Text(b) | ValueRef::Blob(b) => {
            out.push(if matches!(v, ValueRef::Text(_)) { 3 } else { 4 });
            varint(out, b.len() as u64);
            out.extend_from_slice(b);
        }
    }
}

/// SQLite's varint: big-endian groups of seven bits, the ninth byte whole.
fn varint(out: &mut Vec<u8>, v: u64) {
    if v >> 56 != 0 {
        let mut b = [0u8; 9];
        b[8] = v as u8;
        let mut w = v >> 8;
        for i in (0..8).rev() {
            b[i] = (w & 0x7f) as u8 | 0x80;
            w >>= 7;
        }
        out.extend(b);
        return;
    }
    let mut groups = Vec::with_capacity(9);
    let mut w = v;
    loop {
        groups.push((w & 0x7f) as u8);
        w >>= 7;
        if w == 0 {
            break;
        }
    }
    let last = groups.len() - 1;
    for (i, g) in groups.iter().rev().enumerate() {
        out.push(if i < last { g | 0x80 } else { *g });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        let enc = |v| {
            let mut o = Vec::new();
            varint(&mut o, v);
            o
        };
        assert_eq!(enc(5), [5]);
        assert_eq!(enc(200), [0x81, 0x48]);
        assert_eq!(enc(16_384), [0x81, 0x80, 0x00]);
    }
}
