//! Reading a recorded change set, a row at a time: what a preview shows
//! (table, key, each changed column before → after), the counts per table,
//! and the digest that tells whether two recordings are the same change.

use crate::store::error::{Result, StoreError};
use fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::Connection;
use rusqlite::hooks::Action;
use rusqlite::session::{ChangesetItem, ChangesetIter};
use rusqlite::types::ValueRef;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;

/// The reserved table whose records say where rows stood and stand
/// (see `places`): no row's change, so the preview and counts pass it by.
pub(crate) const ROWIDS: &str = "sqlite_egregora_inspect_rowid";

/// A value of a changed row, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Self {
        match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(b) => Value::Text(b.to_vec()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

impl Value {
    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(b) => ValueRef::Text(b),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }

    /// As SQL would write it, cut to `chars` characters (for a terminal,
    /// after escaping).
    pub fn shown(&self, chars: usize) -> String {
        let s = match self {
            Value::Null => "NULL".to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
            Value::Text(b) => format!("'{}'", String::from_utf8_lossy(b).replace('\'', "''")),
            Value::Blob(b) => {
                let hex: String = b.iter().take(chars).map(|x| format!("{x:02x}")).collect();
                format!("x'{hex}'")
            }
        };
        if s.chars().count() > chars {
            let cut: String = s.chars().take(chars.saturating_sub(1)).collect();
            format!("{cut}…")
        } else {
            s
        }
    }
}

impl Serialize for Value {
    /// DESIGN §4's conventions: NULL as null, numbers as numbers, text as a
    /// string, a BLOB or text that is not UTF-8 as `{"$hex": "…"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = Vec::new();
        crate::store::values::write_json(&mut out, self.as_ref())
            .map_err(serde::ser::Error::custom)?;
        let v: serde_json::Value =
            serde_json::from_slice(&out).map_err(serde::ser::Error::custom)?;
        v.serialize(s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub fn label(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

/// One column of a changed row: its value before and after (absent for an
/// inserted row's before and a deleted row's after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnChange {
    pub column: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// One changed row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowChange {
    pub table: String,
    pub op: Op,
    /// The row's key: its primary key, or `rowid` for a table without one.
    pub key: Vec<(String, Value)>,
    pub columns: Vec<ColumnChange>,
}

/// How many rows of a table a change inserts, updates and deletes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub inserted: u64,
    pub updated: u64,
    pub deleted: u64,
}

impl TableCount {
    /// "documents 1 updated; tasks 2 deleted".
    pub fn summary(tables: &[TableCount]) -> String {
        tables
            .iter()
            .map(|t| {
                let parts: Vec<String> = [
                    (t.inserted, "inserted"),
                    (t.updated, "updated"),
                    (t.deleted, "deleted"),
                ]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
                format!("{} {}", t.table, parts.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A change set in a file, from `offset` on (an undo file starts with a
/// header line).
#[derive(Debug)]
pub(crate) struct ChangeFile {
    pub path: PathBuf,
    pub offset: u64,
    /// Removed when dropped (a recording, not an undo file).
    pub temporary: bool,
}

impl Drop for ChangeFile {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl ChangeFile {
    pub(crate) fn reader(&self) -> Result<BufReader<std::fs::File>> {
        let err = |e| StoreError::io(format!("cannot read {}", self.path.display()), e);
        let mut f = std::fs::File::open(&self.path).map_err(err)?;
        f.seek(SeekFrom::Start(self.offset)).map_err(err)?;
        Ok(BufReader::with_capacity(1 << 16, f))
    }

    /// Calls `f` with each row in order until it returns false. Column
    /// names come from `conn` (the store the change is about).
    pub(crate) fn each(
        &self,
        conn: &Connection,
        f: &mut dyn FnMut(RowChange) -> bool,
    ) -> Result<()> {
        let mut names = Names::default();
        self.walk(&mut |item| {
            if item.op()?.table_name() == ROWIDS {
                return Ok(true);
            }
            let row = describe(conn, &mut names, item)?;
            Ok(f(row))
        })
    }

    /// Counts per table and the digest of every value.
    pub(crate) fn summary(&self) -> Result<(Vec<TableCount>, u64)> {
        let mut tables: Vec<TableCount> = Vec::new();
        let mut h = std::hash::DefaultHasher::new();
        self.walk(&mut |item| {
            let op = item.op()?;
            // Where rows stand is no change of a row (see `places`).
            if op.table_name() == ROWIDS {
                return Ok(true);
            }
            let (table, n, code) = (
                op.table_name().to_string(),
                op.number_of_columns(),
                op.code(),
            );
            table.hash(&mut h);
            (code as i32).hash(&mut h);
            for i in 0..usize::try_from(n).unwrap_or(0) {
                for v in [item.old_value(i).ok(), item.new_value(i).ok()] {
                    hash_value(&mut h, v);
                }
            }
            let t = match tables.iter_mut().position(|t| t.table == table) {
                Some(i) => &mut tables[i],
                None => {
                    tables.push(TableCount {
                        table,
                        ..TableCount::default()
                    });
                    let last = tables.len() - 1;
                    &mut tables[last]
                }
            };
            match code {
                Action::SQLITE_INSERT => t.inserted += 1,
                Action::SQLITE_DELETE => t.deleted += 1,
                _ => t.updated += 1,
            }
            Ok(true)
        })?;
        Ok((tables, h.finish()))
    }

    pub(crate) fn walk(
        &self,
        f: &mut dyn FnMut(&ChangesetItem) -> rusqlite::Result<bool>,
    ) -> Result<()> {
        let mut reader = self.reader()?;
        let input: &mut dyn Read = &mut reader;
        let fail = |e| StoreError::sqlite(&self.path, "cannot read the recorded changes", e);
        let mut it = ChangesetIter::start_strm(&input).map_err(fail)?;
        while let Some(item) = it.next().map_err(fail)? {
            if !f(item).map_err(fail)? {
                break;
            }
        }
        Ok(())
    }
}

fn hash_value(h: &mut impl Hasher, v: Option<ValueRef<'_>>) {
    match v {
        None => 0u8.hash(h),
        Some(ValueRef::Null) => 1u8.hash(h),
        Some(ValueRef::Integer(i)) => (2u8, i).hash(h),
        Some(ValueRef::Real(f)) => (3u8, f.to_bits()).hash(h),
        Some(ValueRef::Text(b)) => (4u8, b).hash(h),
        Some(ValueRef::Blob(b)) => (5u8, b).hash(h),
    }
}

/// Column names per table, read once.
#[derive(Default)]
struct Names(HashMap<String, Vec<String>>);

impl Names {
    fn of(&mut self, conn: &Connection, table: &str, n: usize) -> rusqlite::Result<&[String]> {
        if !self.0.contains_key(table) {
            let mut cols: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info({}) ORDER BY cid",
                    crate::store::spec::literal(table)
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // A table recorded by rowid has it as its leftmost column.
            if cols.len() + 1 == n {
                cols.insert(0, "rowid".into());
            }
            self.0.insert(table.to_string(), cols);
        }
        Ok(self.0.get(table).map_or(&[], |v| v.as_slice()))
    }
}

fn describe(
    conn: &Connection,
    names: &mut Names,
    item: &ChangesetItem,
) -> rusqlite::Result<RowChange> {
    let op = item.op()?;
    let table = op.table_name().to_string();
    let n = usize::try_from(op.number_of_columns()).unwrap_or(0);
    let code = match op.code() {
        Action::SQLITE_INSERT => Op::Insert,
        Action::SQLITE_DELETE => Op::Delete,
        _ => Op::Update,
    };
    let pk = item.pk()?.to_vec();
    let cols = names.of(conn, &table, n)?.to_vec();
    let name = |i: usize| {
        cols.get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    };
    let mut key = Vec::new();
    let mut columns = Vec::new();
    for i in 0..n {
        let before = item.old_value(i).ok().map(Value::from);
        let after = item.new_value(i).ok().map(Value::from);
        if pk.get(i).is_some_and(|p| *p != 0) {
            if let Some(v) = before.clone().or(after) {
                key.push((name(i), v));
            }
            continue;
        }
        if before.is_none() && after.is_none() {
            continue;
        }
        columns.push(ColumnChange {
            column: name(i),
            before: if code == Op::Insert { None } else { before },
            after: if code == Op::Delete { None } else { after },
        });
    }
    Ok(RowChange {
        table,
        op: code,
        key,
        columns,
    })
}

/// A new file for a recording, in the system's temporary folder. A name
/// taken (a recording left by a killed process whose pid came round again)
/// is passed over, never written into or removed.
pub(crate) fn create_temp() -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(sweep);
    loop {
        let n = N.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "egregora-inspect-changes-{}-{n}",
            std::process::id()
        ));
        match std::fs::File::create_new(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the recordings of processes that are gone (killed before they
/// could remove their own); a live process's, or one that cannot be told,
/// is left.
fn sweep() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("egregora-inspect-changes-")
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<i32>().ok())
        else {
            continue;
        };
        let gone = rustix::process::Pid::from_raw(pid)
            .is_some_and(|p| rustix::process::test_kill_process(p) == Err(rustix::io::Errno::SRCH));
        if gone && pid != std::process::id() as i32 {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
