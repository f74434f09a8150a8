//! Writing the changeset format of SQLite's session extension by hand, for
//! the tables recorded by triggers (see `rowid`): a table's header, then its
//! records, each counted and every byte written digested on the way, so the
//! recording is not read again to summarise it.

use super::rows::TableCount;
use rusqlite::types::ValueRef;
use std::hash::Hasher;
use std::io::{self, Write};

const INSERT: u8 = 18;
const UPDATE: u8 = 23;
const DELETE: u8 = 9;

/// A writer that digests every byte it passes on.
pub(crate) struct Digested<W: Write> {
    inner: W,
    hash: std::hash::DefaultHasher,
}

impl<W: Write> Digested<W> {
    pub(crate) fn new(inner: W) -> Self {
        Digested {
            inner,
            hash: std::hash::DefaultHasher::new(),
        }
    }

    /// The writer underneath, for bytes the digest leaves out.
    pub(crate) fn unhashed(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The digest of everything written so far.
    pub(crate) fn digest(&self) -> u64 {
        self.hash.finish()
    }
}

impl<W: Write> Write for Digested<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// One table's part of a changeset: its header is written before its first
/// record, and its records are counted.
pub(crate) struct Table {
    name: String,
    /// Per column, its place in the primary key (1-based) or 0.
    pk: Vec<u8>,
    started: bool,
    count: TableCount,
    buf: Vec<u8>,
}

impl Table {
    pub(crate) fn new(name: &str, pk: Vec<u8>) -> Self {
        Table {
            name: name.to_string(),
            pk,
            started: false,
            count: TableCount {
                table: name.to_string(),
                ..TableCount::default()
            },
            buf: Vec::new(),
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let mut h = vec![b'T'];
            varint(&mut h, self.pk.len() as u64);
            h.extend_from_slice(&self.pk);
            h.extend_from_slice(self.name.as_bytes());
            h.push(0);
            out.write_all(&h)?;
        }
        Ok(())
    }

    /// A row inserted: every value of it.
    pub(crate) fn insert(&mut self, out: &mut dyn Write, new: &[ValueRef<'_>]) -> io::Result<()> {
        self.start(out)?;
        self.buf.clear();
        self.buf.extend([INSERT, 0]);
        for v in new {
            value(&mut self.buf, *v);
        }
        self.count.inserted += 1;
        out.write_all(&self.buf)
    }

    /// A row deleted: every value it had.
    pub(crate) fn delete(&mut self, out: &mut dyn Write, old: &[ValueRef<'_>]) -> io::Result<()> {
        self.start(out)?;
        self.buf.clear();
        self.buf.extend([DELETE, 0]);
        for v in old {
            value(&mut self.buf, *v);
        }
        self.count.deleted += 1;
        out.write_all(&self.buf)
    }

    /// A row updated: `old` holds its key and the old values of the columns
    /// that changed, `new` the new values of those; None elsewhere.
    pub(crate) fn update(
        &mut self,
        out: &mut dyn Write,
        old: &[Option<ValueRef<'_>>],
        new: &[Option<ValueRef<'_>>],
    ) -> io::Result<()> {
        self.start(out)?;
        self.buf.clear();
        self.buf.extend([UPDATE, 0]);
        for v in old.iter().chain(new) {
            match v {
                Some(v) => value(&mut self.buf, *v),
                None => self.buf.push(0),
            }
        }
        self.count.updated += 1;
        out.write_all(&self.buf)
    }

    /// Adds this table's counts to `tables` (if it wrote any record).
    pub(crate) fn counted(self, tables: &mut Vec<TableCount>) {
        if !self.started {
            return;
        }
        match tables.iter_mut().find(|t| t.table == self.count.table) {
            Some(t) => {
                t.inserted += self.count.inserted;
                t.updated += self.count.updated;
                t.deleted += self.count.deleted;
            }
            None => tables.push(self.count),
        }
    }
}

/// Writes the inverse of the change set `input` to `out`, a record at a
/// time: SQLite's `sqlite3changeset_invert_strm` keeps all of its input in
/// memory, which on a change of a million rows is most of the process.
/// Inverted as SQLite inverts: an INSERT becomes a DELETE and the reverse;
/// an UPDATE's old record (the key, then the new values) and new record
/// (the old values, the key undefined) trade places.
pub(crate) fn invert(input: &mut dyn std::io::Read, out: &mut dyn Write) -> rusqlite::Result<()> {
    use fallible_streaming_iterator::FallibleStreamingIterator;
    use rusqlite::hooks::Action;
    let io = |e: io::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    let input: &mut dyn std::io::Read = input;
    let mut it = rusqlite::session::ChangesetIter::start_strm(&input)?;
    let mut table: Option<Table> = None;
    while let Some(item) = it.next()? {
        let op = item.op()?;
        let n = usize::try_from(op.number_of_columns()).unwrap_or(0);
        let pk = item.pk()?.to_vec();
        let same = table
            .as_ref()
            .is_some_and(|t| t.name == op.table_name() && t.pk == pk);
        if !same {
            table = None;
        }
        let t = table.get_or_insert_with(|| Table::new(op.table_name(), pk.clone()));
        let old = |i| item.old_value(i).ok();
        let new = |i| item.new_value(i).ok();
        match op.code() {
            Action::SQLITE_INSERT => {
                let v: Vec<ValueRef<'_>> =
                    (0..n).map(|i| new(i).unwrap_or(ValueRef::Null)).collect();
                t.delete(out, &v).map_err(io)?;
            }
            Action::SQLITE_DELETE => {
                let v: Vec<ValueRef<'_>> =
                    (0..n).map(|i| old(i).unwrap_or(ValueRef::Null)).collect();
                t.insert(out, &v).map_err(io)?;
            }
            _ => {
                let keyed = |i: usize| pk.get(i).is_some_and(|p| *p != 0);
                let before: Vec<_> = (0..n)
                    .map(|i| if keyed(i) { old(i) } else { new(i) })
                    .collect();
                let after: Vec<_> = (0..n)
                    .map(|i| if keyed(i) { None } else { old(i) })
                    .collect();
                t.update(out, &before, &after).map_err(io)?;
            }
        }
    }
    Ok(())
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
