//! The user's own SQL: one statement, read-only by construction. It runs
//! on a read-only `query_only` connection under an authorizer that allows
//! reading and nothing else, and SQLite must also call the prepared
//! statement read-only; whatever is refused says why.

pub(crate) mod guard;
pub mod plan;
pub mod session;
pub mod table;

use crate::store::cell::{CELL_CHARS, cut_sql};
use crate::store::error::{Result, StoreError};
use crate::store::open::open_read_only;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Statement};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A read-only connection whose statements pass the read-only guard.
pub struct QueryConn {
    pub conn: Connection,
    pub path: PathBuf,
    /// Why the guard refused the last statement it refused.
    refused: Arc<Mutex<Option<String>>>,
}

/// Opens `path` for the user's SQL.
pub fn open(path: &Path) -> Result<QueryConn> {
    let store = open_read_only(path)?;
    // These connections mostly scan: a small page cache keeps the app's
    // memory the same on a store of any size.
    store
        .conn
        .execute_batch(&format!("PRAGMA cache_size = -{QUERY_CACHE_KIB}"))
        .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    QueryConn::guard(store.conn, path)
}

/// The page cache of a query's connection, in KiB.
const QUERY_CACHE_KIB: i64 = 512;

/// A statement of the user's, checked and prepared, with its column names.
pub struct Prepared<'c> {
    pub stmt: Statement<'c>,
    pub names: Vec<String>,
}

impl QueryConn {
    /// `conn` (opened read-only) with the guard installed.
    pub fn guard(mut conn: Connection, path: &Path) -> Result<QueryConn> {
        let refused = guard::install(&mut conn)
            .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
        Ok(QueryConn {
            conn,
            path: path.to_path_buf(),
            refused,
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Prepares `sql`, which must be one statement that only reads.
    pub fn prepare(&self, sql: &str) -> Result<Prepared<'_>> {
        if let Ok(mut r) = self.refused.lock() {
            *r = None;
        }
        let stmt = self.conn().prepare(sql).map_err(|e| self.explain(sql, e))?;
        if !stmt.readonly() {
            return Err(StoreError::Refused(
                "refused: the statement would write (only reading is allowed)".into(),
            ));
        }
        let names = stmt.column_names().map(String::from).collect();
        Ok(Prepared { stmt, names })
    }

    /// The statement that reads `sql`'s rows with every value cut in SQL
    /// (see `cell::cut_sql`): the grid never loads a huge value whole. None
    /// when `sql` cannot be wrapped (a PRAGMA, an EXPLAIN, too many columns):
    /// it is then read as it is. With `seek`, the statement takes an OFFSET
    /// (`?1`): SQLite passes those rows without working out their values.
    pub fn cut(&self, sql: &str, columns: usize, seek: bool) -> Option<Statement<'_>> {
        let names: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
        let cells: Vec<String> = names.iter().map(|c| cut_sql(c, CELL_CHARS)).collect();
        let wrapped = format!(
            "WITH q({}) AS (\n{}\n) SELECT {} FROM q{}",
            names.join(", "),
            body(sql),
            cells.join(", "),
            if seek { " LIMIT -1 OFFSET ?1" } else { "" }
        );
        self.conn()
            .prepare(&wrapped)
            .ok()
            .filter(|s| s.readonly() && columns > 0)
    }

    /// How many rows `sql` gives, by SQL when it can be wrapped (on a
    /// connection where `count` has made the function it calls).
    pub fn count_sql(&self, sql: &str) -> Option<Statement<'_>> {
        let wrapped = format!("SELECT count({ROW_SEEN}()) FROM (\n{}\n)", body(sql));
        self.conn().prepare(&wrapped).ok().filter(|s| s.readonly())
    }

    fn explain(&self, sql: &str, e: rusqlite::Error) -> StoreError {
        let why = self.refused.lock().ok().and_then(|mut r| r.take());
        match e {
            // The first rule a input breaks is named: several statements,
            // before what the first of them would do.
            _ if more_than_one(sql) => StoreError::Refused(
                "one statement at a time: remove what follows the first ;".into(),
            ),
            _ if why.is_some() => {
                StoreError::Refused(format!("refused: {}", why.unwrap_or_default()))
            }
            rusqlite::Error::MultipleStatement => StoreError::Refused(
                "one statement at a time: remove what follows the first ;".into(),
            ),
            rusqlite::Error::Empty => StoreError::Refused("no statement to run".into()),
            rusqlite::Error::SqlInputError { msg, offset, .. } => StoreError::Sql {
                message: msg,
                at: usize::try_from(offset)
                    .ok()
                    .map(|o| sql.get(..o).map_or(o, |s| s.chars().count()) + 1),
            },
            rusqlite::Error::SqliteFailure(f, msg) => {
                if crate::store::error::is_busy(&rusqlite::Error::SqliteFailure(f, None)) {
                    return StoreError::locked(&self.path);
                }
                StoreError::Sql {
                    message: msg.unwrap_or_else(|| f.to_string()),
                    at: None,
                }
            }
            e => StoreError::Sql {
                message: crate::store::error::sqlite_text(&e),
                at: None,
            },
        }
    }
}

/// How many rows `sql` gives: by SQL's own count when the statement can be
/// wrapped, else by stepping through it. `stop` is asked often; true stops
/// the count (`StoreError::Cancelled`). `seen` is told as often how many
/// rows of the statement the count has passed so far.
pub fn count(
    path: &Path,
    sql: &str,
    stop: impl Fn() -> bool + Send + 'static,
    seen: impl Fn(u64) + Send + 'static,
) -> Result<u64> {
    let mut qc = open(path)?;
    let passed = Arc::new(AtomicU64::new(0));
    let told = passed.clone();
    let watch = move || {
        seen(told.load(Ordering::Relaxed));
        stop()
    };
    qc.conn
        .progress_handler(1000, Some(watch))
        .map_err(|e| StoreError::sqlite(path, "cannot watch the count", e))?;
    // Counted by a function of ours rather than `count(*)`: it sees each
    // row as it passes, so a long count shows how far it has got.
    let tick = passed.clone();
    qc.conn
        .create_scalar_function(ROW_SEEN, 0, FunctionFlags::SQLITE_UTF8, move |_| {
            tick.fetch_add(1, Ordering::Relaxed);
            Ok(1i64)
        })
        .map_err(|e| StoreError::sqlite(path, "cannot watch the count", e))?;
    let p = qc.prepare(sql)?;
    let text = p.stmt.expanded_sql().unwrap_or_else(|| sql.to_string());
    let failed = |e: rusqlite::Error| match e {
        e if crate::store::error::is_interrupted(&e) => StoreError::Cancelled,
        e => StoreError::Sql {
            message: crate::store::error::sqlite_text(&e),
            at: None,
        },
    };
    if let Some(mut c) = qc.count_sql(&text) {
        let n: i64 = c.query_row([], |r| r.get(0)).map_err(failed)?;
        return Ok(u64::try_from(n).unwrap_or(0));
    }
    let mut stmt = p.stmt;
    let mut rows = stmt.query([]).map_err(failed)?;
    let mut n = 0u64;
    while rows.next().map_err(failed)?.is_some() {
        n += 1;
        passed.store(n, Ordering::Relaxed);
    }
    Ok(n)
}

/// The function the count calls once for each row it passes.
const ROW_SEEN: &str = "egregora_inspect_row_seen";

/// The statement's text as the body of a wrapper: its trailing `;` gone,
/// on lines of its own so a trailing `--` comment cannot swallow the
/// wrapper's closing parenthesis.
pub(crate) fn body(sql: &str) -> &str {
    sql.trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}

#[cfg(test)]
mod tests;

/// Whether `sql` holds something after its first statement: a `;` outside
/// quotes, brackets and comments with more than blanks or comments after it.
pub(crate) fn more_than_one(sql: &str) -> bool {
    let b = sql.as_bytes();
    let mut i = 0;
    let mut ended = false;
    while i < b.len() {
        let c = b[i];
        let skip_to = |from: usize, end: &[u8]| {
            sql[from..]
                .find(std::str::from_utf8(end).unwrap_or(";"))
                .map_or(b.len(), |j| from + j + end.len())
        };
        i = match c {
            b'\'' | b'"' | b'`' => skip_to(i + 1, &[c]),
            b'[' => skip_to(i + 1, b"]"),
            b'-' if b.get(i + 1) == Some(&b'-') => skip_to(i + 2, b"\n"),
            b'/' if b.get(i + 1) == Some(&b'*') => skip_to(i + 2, b"*/"),
            b';' => {
                ended = true;
                i + 1
            }
            c if c.is_ascii_whitespace() => i + 1,
            _ if ended => return true,
            _ => i + 1,
        };
    }
    false
}
