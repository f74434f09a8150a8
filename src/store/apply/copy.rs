//! A plan's copy step: `INSERT … SELECT` in rowid-ordered chunks, so the run
//! can report progress and stop between them.

use crate::store::error::StoreError;
use rusqlite::Connection;

/// Rows per chunk of a copy: small enough to report and cancel often.
const CHUNK: i64 = 50_000;

pub(super) enum CopyStop {
    Sqlite(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for CopyStop {
    fn from(e: rusqlite::Error) -> Self {
        CopyStop::Sqlite(e)
    }
}

/// Copies in chunks of rowids, calling `chunk_done` with the rows so far
/// after each; an error from it stops the copy.
pub(super) fn copy(
    conn: &Connection,
    insert: &str,
    select: &str,
    by_rowid: bool,
    chunk_done: &mut dyn FnMut(u64) -> Result<(), StoreError>,
) -> Result<u64, CopyStop> {
    if !by_rowid {
        let n = conn.execute(&format!("{insert} {select}"), [])? as u64;
        chunk_done(n).map_err(CopyStop::Store)?;
        return Ok(n);
    }
    let mut stmt = conn.prepare(&format!(
        "{insert} {select} WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2"
    ))?;
    let mut from = i64::MIN;
    let mut done = 0u64;
    loop {
        let n = stmt.execute([from, CHUNK])?;
        if n == 0 {
            break;
        }
        done += n as u64;
        chunk_done(done).map_err(CopyStop::Store)?;
        let last = conn.last_insert_rowid();
        match last.checked_add(1) {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(done)
}
