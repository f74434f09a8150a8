//! One table's rows streamed from the shell into SQLite, each block of
//! rows read back and compared value for value while its pages are still
//! in SQLite's cache (a second pass over the whole store cost a sixth of
//! the import, most of it reading the pages back from the file).

use crate::store::cancel::Canceller;
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::feed::Feed;
use crate::store::duckdb::quoted;
use crate::store::duckdb::values::{Bound, ColumnRead, same};
use crate::store::error::{Result, StoreError};
use crate::store::spec::quote;
use rusqlite::{Connection, Statement};

/// Rows per run of the shell: DuckDB keeps what it read in memory for the
/// life of its process (and `-safe` forbids limiting it), so a table is
/// read in rowid ranges, one process each, to keep the shell small.
const CHUNK: i64 = 50_000;

/// Rows per INSERT where rows are appended: one statement opens the
/// table's and its indexes' cursors once for them all.
const MANY: usize = 32;

/// A table's statements: the inserts (of a row, of MANY rows when they are
/// appended), and the read-backs of a block of rows (a rowid range, or one
/// row where rowids are not in a row).
struct Statements<'c> {
    conn: &'c Connection,
    insert: Statement<'c>,
    many: Option<Statement<'c>>,
    range: Statement<'c>,
    one: Statement<'c>,
}

/// Streams `table`'s rows (rowids 0 to `last_rowid`) from the shell into
/// the table of that name in `conn`, columns read as `columns` say, each
/// value compared with what SQLite stored. Returns the rows copied.
pub(crate) fn copy_table(
    store: &DuckStore,
    conn: &Connection,
    table: &str,
    columns: &[ColumnRead],
    last_rowid: i64,
    cancel: &Canceller,
    on_rows: &mut dyn FnMut(u64),
) -> Result<u64> {
    let err = |e| StoreError::sqlite(&store.path, "cannot write the copy", e);
    let names: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let insert = |rows: usize| {
        let row = format!("({})", vec!["?"; names.len()].join(", "));
        conn.prepare(&format!(
            "INSERT INTO {} ({}) VALUES {}",
            quote(table),
            names.join(", "),
            vec![row; rows].join(", ")
        ))
    };
    let read = format!("SELECT {} FROM {}", names.join(", "), quote(table));
    let mut st = Statements {
        conn,
        insert: insert(1).map_err(err)?,
        many: if rowid_is_a_column(conn, table).map_err(err)? {
            None
        } else {
            Some(insert(MANY).map_err(err)?)
        },
        range: conn
            .prepare(&format!(
                "{read} WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid"
            ))
            .map_err(err)?,
        one: conn
            .prepare(&format!("{read} WHERE rowid = ?1"))
            .map_err(err)?,
    };
    let blobs: Vec<bool> = columns.iter().map(|c| c.blob).collect();
    let selects: Vec<String> = columns.iter().map(|c| c.select.clone()).collect();
    let start = |from: i64| -> Result<Option<Feed>> {
        if from > last_rowid {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {} FROM {} WHERE rowid BETWEEN {from} AND {}",
            selects.join(", "),
            quote(table),
            from.saturating_add(CHUNK - 1)
        );
        store
            .shell
            .stream_quoted(&store.path, &sql)
            .map(Feed::start)
            .map(Some)
    };
    let mut n = 0u64;
    // A row cut at a block's end, waiting for the rest.
    let mut carry: Vec<u8> = Vec::new();
    let mut current = start(0)?;
    let mut from = CHUNK;
    while let Some(mut feed) = current.take() {
        // The next range's shell starts now: it reads and formats its rows
        // while this one's are written here.
        let next = start(from)?;
        from = from.saturating_add(CHUNK);
        while let Some(block) = feed.next_block()? {
            let buf = if carry.is_empty() {
                block
            } else {
                carry.extend_from_slice(&block);
                std::mem::take(&mut carry)
            };
            let (used, rows) = write_block(store, table, &mut st, &buf, &blobs)?;
            carry = buf;
            carry.drain(..used);
            n += rows as u64;
            if cancel.is_cancelled() {
                return Err(StoreError::Cancelled);
            }
            on_rows(n);
        }
        if !carry.is_empty() {
            return Err(StoreError::DuckDb {
                path: store.path.clone(),
                message: format!("the shell's output of {table} ended inside a row"),
            });
        }
        current = next;
    }
    Ok(n)
}

/// Writes the whole rows at the start of `buf`, then reads them back and
/// compares them. Returns the bytes used and the rows written.
fn write_block(
    store: &DuckStore,
    table: &str,
    st: &mut Statements<'_>,
    buf: &[u8],
    blobs: &[bool],
) -> Result<(usize, usize)> {
    let mut values = Vec::new();
    let (used, rows) =
        quoted::rows(buf, blobs, &mut values).map_err(|what| StoreError::DuckDb {
            path: store.path.clone(),
            message: format!("the shell printed {what} for {table}, not a row of it"),
        })?;
    let width = blobs.len();
    let fail = |e| sqlite_error(table, "cannot be written", e);
    let mut rowids = Vec::with_capacity(rows);
    let mut groups = values.chunks_exact(width * MANY);
    if let Some(many) = st.many.as_mut() {
        for group in &mut groups {
            many.execute(rusqlite::params_from_iter(group.iter()))
                .map_err(fail)?;
            // Appended: the rows took the rowids up to the last one's.
            let last = st.conn.last_insert_rowid();
            rowids.extend(last - MANY as i64 + 1..=last);
        }
    }
    let rest = if st.many.is_some() {
        groups.remainder()
    } else {
        &values[..]
    };
    for row in rest.chunks_exact(width) {
        let rowid = st
            .insert
            .insert(rusqlite::params_from_iter(row.iter()))
            .map_err(fail)?;
        rowids.push(rowid);
    }
    compare(table, st, &values, width, &rowids)?;
    Ok((used, rows))
}

/// Reads the rows just written (`rowids`) and compares every value with
/// what was sent (`values`, `width` a row).
fn compare(
    table: &str,
    st: &mut Statements<'_>,
    values: &[Bound<'_>],
    width: usize,
    rowids: &[i64],
) -> Result<()> {
    let (Some(&first), Some(&last)) = (rowids.first(), rowids.last()) else {
        return Ok(());
    };
    let fail = |e| sqlite_error(table, "cannot be read back", e);
    let differs = || {
        StoreError::Verification(format!(
            "a row of {table} in the new store differs from the source (rowids {first} to {last}); no store was written"
        ))
    };
    let mut sent = values.chunks_exact(width);
    let mut check = |r: &rusqlite::Row<'_>| -> Result<()> {
        let row = sent.next().ok_or_else(differs)?;
        for (i, v) in row.iter().enumerate() {
            if !same(r.get_ref(i).map_err(fail)?, v.value()) {
                return Err(differs());
            }
        }
        Ok(())
    };
    // Appended rows take the next rowids; a table whose key is its rowid
    // takes them from the rows, in their order.
    if usize::try_from(last - first).ok() == Some(rowids.len() - 1) {
        let mut rows = st.range.query([first, last]).map_err(fail)?;
        while let Some(r) = rows.next().map_err(fail)? {
            check(r)?;
        }
    } else {
        for id in rowids {
            let mut rows = st.one.query([id]).map_err(fail)?;
            let r = rows.next().map_err(fail)?.ok_or_else(differs)?;
            check(r)?;
        }
    }
    if sent.next().is_some() {
        return Err(differs());
    }
    Ok(())
}

/// Whether `table`'s rowid is its INTEGER PRIMARY KEY, taken from the
/// rows (then rows are not appended in rowid order).
fn rowid_is_a_column(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) = 1 AND coalesce(max(upper(type) = 'INTEGER'), 0) \
         FROM pragma_table_info(?1) WHERE pk > 0",
        [table],
        |r| r.get(0),
    )
}

fn sqlite_error(table: &str, what: &str, e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            StoreError::Cancelled
        }
        e => StoreError::Verification(format!("a row of {table} {what}: {e}")),
    }
}
