//! A sort by a column no index orders: the rowids (or, in a WITHOUT ROWID
//! table, the keys) of the rows selected, in the column's order, written
//! once into a temporary table; after that a page is a range of list
//! positions and the rows read by rowid, as fast as an indexed sort.
//!
//! The list lives in SQLite's TEMP database of a connection of its own that
//! opened the store read-only (SQLITE_OPEN_READONLY: it cannot write the
//! store, whatever it runs). With `temp_store = FILE` that database is a
//! file SQLite creates in the system's temp folder and unlinks at once, so
//! the OS frees it when the list is dropped (done, superseded), at exit and
//! when the process is killed: there is never a file left to sweep.

use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::error::{is_interrupted, sqlite_text};
use crate::store::identify::{FileChange, Stamp};
use crate::store::inspection::catalog::{self, LiveTable};
use crate::store::open::{self, ReadStore};
use crate::store::read::documents::{self, DocRow, Query};
use crate::store::read::row_key::{KeyColumns, RowKey};
use crate::store::spec::quote;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a list is sorted for: a table, a column, and the filters and
/// search of the rows it holds (the sort and columns of `filters` do not
/// matter: one list serves both directions).
#[derive(Debug, Clone, PartialEq)]
pub struct ListAsk {
    pub table: String,
    pub column: String,
    pub filters: Query,
}

impl ListAsk {
    /// The list `q` reads its pages from, on `table`.
    pub fn of(table: &str, q: &Query) -> Option<ListAsk> {
        let column = q.sort.column()?.to_string();
        Some(ListAsk {
            table: table.to_string(),
            column,
            filters: Query {
                doc_type: q.doc_type.clone(),
                status: q.status.clone(),
                search: q.search.clone().filter(|s| !s.is_empty()),
                rowids: q.rowids.clone(),
                value: q.value.clone(),
                ..Query::default()
            },
        })
    }
}

/// How far a build has got: rows read of `total` (the table's rows, known
/// when no filter narrows what is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sorting {
    pub rows: u64,
    pub total: Option<u64>,
}

/// A sorted list, ready to page.
pub struct SortedList {
    pub ask: ListAsk,
    /// How many rows it holds.
    pub rows: u64,
    store: ReadStore,
    live: LiveTable,
    keys: KeyColumns,
    /// The store's commit counter when the list was made: another value
    /// means another process wrote since, and the list may be out of order.
    version: i64,
    /// The file at the path when the list was made: another file there
    /// (replaced, moved away) is another store, whatever its counter says.
    stamp: Option<Stamp>,
}

impl std::fmt::Debug for SortedList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SortedList")
            .field("ask", &self.ask)
            .field("rows", &self.rows)
            .finish()
    }
}

/// How often (in SQLite steps) a build says how far it has got.
const REPORT_STEPS: i32 = 50_000;

/// The page cache of the list's connection while it sorts (KiB): SQLite's
/// sorter keeps this much in memory before it merges runs on disk.
const SORT_CACHE_KIB: i64 = 4_096;

/// SORT_CACHE_KIB, or the KiB in `EGREGORA_INSPECT_SORT_CACHE_KIB` (the
/// tests make it small so a small list goes to its temp file, as a large
/// one does).
fn sort_cache_kib() -> i64 {
    std::env::var("EGREGORA_INSPECT_SORT_CACHE_KIB")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|k| *k > 0)
        .unwrap_or(SORT_CACHE_KIB)
}

/// Builds the list `ask` names from the store at `path`: a scan of the
/// rows selected, sorted by SQLite's own sorter (NULLs first, ties by
/// rowid). `progress` hears the rows read so far; `cancel` stops it, and
/// then nothing is left (the list's connection and its temp file go).
pub fn build(
    path: &Path,
    ask: &ListAsk,
    cancel: &Canceller,
    progress: impl Fn(Sorting) + Send + 'static,
) -> Result<SortedList, StoreError> {
    let mut store = open::open_read_only(path)?;
    let failed = |e: rusqlite::Error| {
        if is_interrupted(&e) {
            StoreError::Cancelled
        } else if crate::store::error::is_busy(&e) {
            StoreError::Locked {
                path: path.to_path_buf(),
                waited: None,
            }
        } else {
            StoreError::Refused(format!("cannot sort: {}", sqlite_text(&e)))
        }
    };
    let conn = &mut store.conn;
    let live = catalog::table_named(conn, &ask.table).map_err(failed)?;
    let Some(column) = live.column(&ask.column).map(|c| c.name.clone()) else {
        return Err(StoreError::Refused(format!(
            "{} has no column {}",
            crate::text::escape(&ask.table),
            crate::text::escape(&ask.column)
        )));
    };
    let stamp = Stamp::of(path);
    let version = open::data_version(conn).map_err(failed)?;
    let keys = KeyColumns::of(&live);
    let (terms, args) = documents::filters(&live, &ask.filters, false);
    let total = if terms.is_empty() {
        let sql = format!("SELECT count(*) FROM main.{}", quote(&live.name));
        conn.query_row(&sql, [], |r| r.get::<_, i64>(0))
            .ok()
            .and_then(|n| u64::try_from(n).ok())
    } else {
        None
    };
    let seen = Arc::new(AtomicU64::new(0));
    let counter = seen.clone();
    conn.create_scalar_function("egregora_seen", 0, FunctionFlags::SQLITE_UTF8, move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(1)
    })
    .map_err(failed)?;
    let reported = seen.clone();
    conn.progress_handler(
        REPORT_STEPS,
        Some(move || {
            progress(Sorting {
                rows: reported.load(Ordering::Relaxed),
                total,
            });
            false
        }),
    )
    .map_err(failed)?;
    cancel.attach(conn);
    let made = write_list(conn, &live, &keys, &column, terms, args);
    cancel.detach();
    let _ = conn.progress_handler(0, None::<fn() -> bool>);
    // Whatever happened, the connection reads only from here on.
    let locked = conn.execute_batch("PRAGMA query_only = ON");
    made.map_err(failed)?;
    locked.map_err(failed)?;
    let rows = conn
        .query_row(
            "SELECT coalesce(max(pos), 0) FROM temp.egregora_sorted",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(failed)?;
    Ok(SortedList {
        ask: ask.clone(),
        rows: u64::try_from(rows).unwrap_or(0),
        store,
        live,
        keys,
        version,
        stamp,
    })
}

/// The list's own columns: its position, then the row's key.
fn key_names(keys: &KeyColumns) -> Vec<String> {
    (0..keys.width()).map(|i| format!("k{i}")).collect()
}

fn write_list(
    conn: &Connection,
    live: &LiveTable,
    keys: &KeyColumns,
    column: &str,
    mut terms: Vec<String>,
    args: Vec<Value>,
) -> rusqlite::Result<()> {
    let names = key_names(keys);
    terms.push("egregora_seen()".into());
    // Only this connection's TEMP database is written; the store is open
    // read-only underneath.
    conn.execute_batch(&format!(
        "PRAGMA query_only = OFF; PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -{0}; PRAGMA main.cache_size = -{0};
         DROP TABLE IF EXISTS temp.egregora_sorted;
         CREATE TEMP TABLE egregora_sorted (pos INTEGER PRIMARY KEY, {1});",
        sort_cache_kib(),
        names.join(", ")
    ))?;
    // The list holds only the rows the filters select: a filter change
    // sorts again (its first page meanwhile comes as fast as `sqlite3`'s
    // own ORDER BY … LIMIT), and every page after reads exactly its rows,
    // where a list of all rows would read past every row filtered out
    // (all of them, for a search that matches nothing).
    let sql = format!(
        "INSERT INTO temp.egregora_sorted ({}) SELECT {} FROM main.{} WHERE {} ORDER BY {} ASC, {}",
        names.join(", "),
        keys.list(),
        quote(&live.name),
        terms.join(" AND "),
        quote(column),
        keys.order("ASC")
    );
    conn.execute(&sql, params_from_iter(args))?;
    // A key's place in the list, for a page that starts at a row; then
    // the caches shrink back to a reader's (the sorter's sized by main's).
    conn.execute_batch(&format!(
        "CREATE INDEX temp.egregora_sorted_key ON egregora_sorted ({0}); PRAGMA temp.cache_size = -{1}; PRAGMA main.cache_size = -{1};",
        names.join(", "),
        sort_cache_kib().min(512)
    ))
}

impl SortedList {
    /// Whether another process wrote the store since the list was made
    /// (its order may no longer hold). A lock leaves it unknown: not stale.
    pub fn stale(&self) -> bool {
        let moved = !matches!(
            Stamp::change(self.stamp, Stamp::of(&self.store.path)),
            FileChange::Same | FileChange::Written
        );
        moved || open::data_version(&self.store.conn).is_ok_and(|v| v != self.version)
    }

    /// Whether this list gives `q`'s order on `table`.
    pub fn serves(&self, table: &str, q: &Query) -> bool {
        ListAsk::of(table, q).is_some_and(|a| a == self.ask)
    }

    /// A window of `height` rows of `q` (its direction and columns) at
    /// `anchor`, read from the list: list positions, then rows by key.
    pub fn window(
        &self,
        q: &Query,
        anchor: &documents::Anchor,
        height: usize,
    ) -> rusqlite::Result<Vec<DocRow>> {
        use documents::Anchor;
        let conn = &self.store.conn;
        let n = i64::try_from(self.rows).unwrap_or(i64::MAX);
        let h = i64::try_from(height.max(1)).unwrap_or(i64::MAX);
        // Places count from 1 in the order shown (reversed: from the end).
        let place = |key: &documents::Key| -> rusqlite::Result<Option<i64>> {
            Ok(self
                .position(key)?
                .map(|p| if q.desc { n + 1 - p } else { p }))
        };
        // A window that would run past the end starts earlier, as a pager's.
        let last_start = (n - h + 1).max(1);
        let start = match anchor {
            Anchor::Start => 1,
            Anchor::End => last_start,
            Anchor::From { key, inclusive } => match place(key)? {
                Some(p) => (p + i64::from(!inclusive)).min(last_start),
                None => 1,
            },
            Anchor::Before { key, n: back } => match place(key)? {
                Some(p) => (p - i64::try_from(*back).unwrap_or(0))
                    .max(1)
                    .min(last_start),
                None => 1,
            },
        };
        let (lo, hi) = (start, (start + h - 1).min(n));
        let (lo, hi, dir) = if q.desc {
            (n + 1 - hi, n + 1 - lo, "DESC")
        } else {
            (lo, hi, "ASC")
        };
        let names = key_names(&self.keys);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM temp.egregora_sorted WHERE pos BETWEEN ?1 AND ?2 ORDER BY pos {dir}",
            names.join(", ")
        ))?;
        let keys: Vec<RowKey> = stmt
            .query_map([lo, hi], |r| self.keys.get(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let select = documents::row_select(&self.live, q);
        let mut row = conn.prepare_cached(&format!(
            "SELECT {select} FROM main.{} WHERE {}",
            quote(&self.live.name),
            self.keys.compare("=")
        ))?;
        let mut out = Vec::with_capacity(keys.len());
        for k in &keys {
            // A row deleted since is skipped; the list is then stale and
            // the app sorts again.
            let mut rows = row.query(params_from_iter(self.keys.args(k)))?;
            if let Some(r) = rows.next()? {
                out.push(documents::doc_row(&self.keys, r)?);
            }
        }
        Ok(out)
    }

    /// Where `key`'s row stands in the list (from 1), if it is there.
    fn position(&self, key: &documents::Key) -> rusqlite::Result<Option<i64>> {
        let names = key_names(&self.keys);
        let term = if names.len() == 1 {
            format!("{} = ?", names.join(", "))
        } else {
            format!("({}) = ({})", names.join(", "), self.keys.marks())
        };
        let mut stmt = self.store.conn.prepare_cached(&format!(
            "SELECT pos FROM temp.egregora_sorted WHERE {term}"
        ))?;
        let mut rows = stmt.query(params_from_iter(self.keys.args(&key.rowid)))?;
        rows.next()?.map(|r| r.get(0)).transpose()
    }
}
