//! Where the rows of a table with a primary key stood, by rowid. The
//! changeset format matches such rows by key alone, so a deleted row put
//! back by `sqlite3changeset_apply` would take a fresh rowid; yet a rowid
//! is what other things rely on (the Documents order by `inserted`, an
//! index on it elsewhere). So the recording also keeps, for every row of
//! such a table whose place changed, a record of a reserved table that
//! SQLite never lets a store hold (`sqlite_` names are its own): a DELETE
//! `(table, rowid, key…)` for where the row was, an INSERT for where it
//! is. Inverting the change set swaps them like any other record, and
//! applying it puts each row inserted or moved back at its rowid (`restore`).

use super::rows::{ChangeFile, ROWIDS};
use super::wire::Table;
use crate::store::error::{Result, StoreError};
use crate::store::spec::quote;
use rusqlite::hooks::Action;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

/// Rows a conflict names at most.
const NAMED: usize = 20;

/// The places of the rows of one table.
pub(crate) struct Places {
    table: String,
    t: Table,
}

impl Places {
    pub(crate) fn new(table: &str, keys: usize) -> Self {
        let mut pk = vec![1, 0];
        pk.extend((0..keys).map(|k| u8::try_from(k + 2).unwrap_or(u8::MAX)));
        Places {
            table: table.to_string(),
            t: Table::new(ROWIDS, pk),
        }
    }

    /// The row `key` stood at `rid` before the change (`before`), or
    /// stands there after it.
    pub(crate) fn at(
        &mut self,
        out: &mut dyn Write,
        before: bool,
        rid: ValueRef<'_>,
        key: &[ValueRef<'_>],
    ) -> io::Result<()> {
        let v: Vec<ValueRef<'_>> = [ValueRef::Text(self.table.as_bytes()), rid]
            .into_iter()
            .chain(key.iter().copied())
            .collect();
        if before {
            self.t.delete(out, &v)
        } else {
            self.t.insert(out, &v)
        }
    }
}

/// Puts every row the applied change set `changes` says stands somewhere
/// at that rowid (in `conn`'s transaction). A row whose place another row
/// of the change still holds parks above every rowid in play, and takes
/// its place in a second pass; a place taken after that is a row's the
/// change never knew (inserted since), and the whole is refused, naming
/// the rows.
pub(crate) fn restore(conn: &Connection, store: &Path, changes: &ChangeFile) -> Result<()> {
    let mut tops: HashMap<String, i64> = HashMap::new();
    each(changes, &mut |table, rid, _| {
        let top = tops.entry(table.to_string()).or_insert(rid);
        *top = (*top).max(rid);
        Ok(true)
    })?;
    if tops.is_empty() {
        return Ok(());
    }
    let mut m = Mover {
        conn,
        keys: HashMap::new(),
        tops,
        parked: 0,
        count: 0,
        named: Vec::new(),
        failed: None,
    };
    for first in [true, false] {
        if !first && m.parked == 0 {
            break;
        }
        each(
            changes,
            &mut |table, rid, key| match m.place(table, rid, key, first) {
                Ok(()) => Ok(true),
                Err(e) => {
                    m.failed = Some(e);
                    Ok(false)
                }
            },
        )?;
        if let Some(e) = m.failed.take() {
            return Err(StoreError::sqlite(
                store,
                "cannot put rows back at their rowids",
                e,
            ));
        }
    }
    if m.count > 0 {
        let more = if m.count > m.named.len() {
            format!(" (and {} more)", m.count - m.named.len())
        } else {
            String::new()
        };
        return Err(StoreError::Conflict(format!(
            "{} row(s) changed since: {}{more}",
            m.count,
            m.named.join("; ")
        )));
    }
    Ok(())
}

/// Calls `f` with the table, rowid and key of every place a row stands
/// at after `changes` (its INSERT records of `ROWIDS`), until it returns
/// false.
fn each(changes: &ChangeFile, f: Stand<'_>) -> Result<()> {
    changes.walk(&mut |item| {
        let op = item.op()?;
        if op.table_name() != ROWIDS || op.code() != Action::SQLITE_INSERT {
            return Ok(true);
        }
        let n = usize::try_from(op.number_of_columns()).unwrap_or(0);
        let v: Vec<ValueRef<'_>> = (0..n)
            .map(|i| item.new_value(i))
            .collect::<rusqlite::Result<_>>()?;
        match (v.first(), v.get(1)) {
            (Some(ValueRef::Text(t)), Some(ValueRef::Integer(rid))) if n > 2 => {
                f(&String::from_utf8_lossy(t), *rid, &v[2..])
            }
            _ => Ok(true),
        }
    })
}

/// Told a row's table, rowid and key; false stops.
type Stand<'f> = &'f mut dyn FnMut(&str, i64, &[ValueRef<'_>]) -> rusqlite::Result<bool>;

/// Moves rows to their rowids, counting those it cannot.
struct Mover<'c> {
    conn: &'c Connection,
    /// Each table's key columns, quoted, in column order.
    keys: HashMap<String, Vec<String>>,
    /// Per table, the highest rowid in play: a row parks above it.
    tops: HashMap<String, i64>,
    parked: u64,
    count: usize,
    named: Vec<String>,
    failed: Option<rusqlite::Error>,
}

impl Mover<'_> {
    fn place(
        &mut self,
        table: &str,
        rid: i64,
        key: &[ValueRef<'_>],
        first: bool,
    ) -> rusqlite::Result<()> {
        let cols = self.key_columns(table)?;
        if cols.len() != key.len() {
            self.refuse(table, key, "its table's key changed since");
            return Ok(());
        }
        let cond: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let q = quote(table);
        let now: Option<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT rowid FROM main.{q} WHERE {}",
                cond.join(" AND ")
            ))?
            .query_row(
                params_from_iter(key.iter().map(|v| ToSqlOutput::Borrowed(*v))),
                |r| r.get(0),
            )
            .optional()?;
        let Some(now) = now else {
            self.refuse(table, key, "it is gone");
            return Ok(());
        };
        if now == rid {
            return Ok(());
        }
        let taken = self
            .conn
            .prepare_cached(&format!("SELECT 1 FROM main.{q} WHERE rowid = ?1"))?
            .query_row([rid], |_| Ok(()))
            .optional()?
            .is_some();
        let to = match (taken, first) {
            (false, _) => rid,
            (true, true) => match self.park(table)? {
                Some(p) => p,
                None => {
                    self.refuse(table, key, "no rowid is free to move it through");
                    return Ok(());
                }
            },
            (true, false) => {
                self.refuse(
                    table,
                    key,
                    &format!("its rowid {rid} is another row's since"),
                );
                return Ok(());
            }
        };
        self.conn
            .prepare_cached(&format!("UPDATE main.{q} SET rowid = ?1 WHERE rowid = ?2"))?
            .execute([to, now])?;
        Ok(())
    }

    /// A free rowid above every one in play and in the table.
    fn park(&mut self, table: &str) -> rusqlite::Result<Option<i64>> {
        let most: Option<i64> = self.conn.query_row(
            &format!("SELECT max(rowid) FROM main.{}", quote(table)),
            [],
            |r| r.get(0),
        )?;
        let top = self.tops.entry(table.to_string()).or_insert(i64::MIN);
        let Some(next) = (*top).max(most.unwrap_or(0)).checked_add(1) else {
            return Ok(None);
        };
        *top = next;
        self.parked += 1;
        Ok(Some(next))
    }

    fn key_columns(&mut self, table: &str) -> rusqlite::Result<Vec<String>> {
        if let Some(k) = self.keys.get(table) {
            return Ok(k.clone());
        }
        let cols: Vec<String> = self
            .conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY cid")?
            .query_map([table], |r| r.get::<_, String>(0))?
            .map(|c| c.map(|c| quote(&c)))
            .collect::<rusqlite::Result<_>>()?;
        self.keys.insert(table.to_string(), cols.clone());
        Ok(cols)
    }

    fn refuse(&mut self, table: &str, key: &[ValueRef<'_>], why: &str) {
        self.count += 1;
        if self.named.len() < NAMED {
            let key: Vec<String> = key
                .iter()
                .map(|v| super::rows::Value::from(*v).shown(40))
                .collect();
            self.named
                .push(format!("{table} {}: {why}", key.join(", ")));
        }
    }
}
