//! `import`: a plan that copies every row of every table of a DuckDB file
//! into a new V3 SQLite store, streamed table by table from the shell,
//! verified value for value before the new file takes its name. The
//! source is only read; a stopped or failed import leaves no DEST.

use crate::store::cancel::Canceller;
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::catalog::{self, DuckTable, sqlite_type};
use crate::store::duckdb::copy::copy_table;
use crate::store::duckdb::partial::Partial;
use crate::store::duckdb::values::{ColumnRead, read_column};
use crate::store::error::{Result, StoreError};
use crate::store::spec::{Spec, ident, quote};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One table's copy: where from, how each column is read, and its DDL.
#[derive(Debug, Clone, Serialize)]
pub struct TableCopy {
    pub name: String,
    /// Rows in the source (0 for a spec table the source lacks).
    pub rows: u64,
    /// Its highest rowid in the source (-1 when empty).
    pub last_rowid: i64,
    /// A table of the V3 spec, written in the spec's shape.
    pub spec: bool,
    /// Whether the source has it (a spec table it lacks is created empty).
    pub in_source: bool,
    pub create_sql: String,
    /// The spec's indexes on it, made with it.
    pub indexes: Vec<String>,
    pub columns: Vec<ColumnRead>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub source: PathBuf,
    pub dest: PathBuf,
    /// The writer's DuckDB version and the file's storage version.
    pub duckdb_version: String,
    pub storage_version: u64,
    pub tables: Vec<TableCopy>,
    pub notes: Vec<String>,
    pub blockers: Vec<String>,
    pub space_needed: u64,
    pub space_free: Option<u64>,
}

impl ImportPlan {
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// DEST's default: SOURCE's folder and stem with `.sqlite`.
pub fn default_dest(source: &Path) -> PathBuf {
    source.with_extension("sqlite")
}

/// The plan for importing `store` into `dest` (or the default).
pub fn plan(store: &DuckStore, dest: Option<&Path>) -> Result<ImportPlan> {
    let dest = dest.map_or_else(|| default_dest(&store.path), Path::to_path_buf);
    if std::fs::symlink_metadata(&dest).is_ok() {
        return Err(StoreError::Refused(format!(
            "{} exists: import writes a new store and never over a file; name another DEST",
            dest.display()
        )));
    }
    if !dest.parent().is_some_and(Path::is_dir) {
        return Err(StoreError::Refused(format!(
            "{} cannot be made: its folder does not exist",
            dest.display()
        )));
    }
    let (cat, counts) = catalog::read(&store.shell, &store.path)?;
    let rows_of = |name: &str| {
        counts
            .iter()
            .find(|c| c.name == name)
            .map_or((0, -1), |c| (c.rows, c.last_rowid))
    };
    let spec = Spec::v3();
    let mut tables = Vec::new();
    for t in &spec.tables {
        let live = cat.table(&t.name);
        let mut copy = spec_copy(t, live, live.map_or((0, -1), |l| rows_of(&l.name)));
        copy.indexes = t.indexes.iter().map(|i| i.create_sql(&t.name)).collect();
        tables.push(copy);
    }
    for t in cat.tables.iter().filter(|t| spec.table(&t.name).is_none()) {
        tables.push(other_copy(t, rows_of(&t.name)));
    }
    let mut notes: Vec<String> = cat
        .views
        .iter()
        .map(|v| format!("view {v} is DuckDB SQL and is not copied"))
        .collect();
    let mut blockers = Vec::new();
    if let Some(docs) = cat.table(&spec.documents_table) {
        nulls(store, docs, &mut notes, &mut blockers)?;
    }
    let source_bytes = size(&store.path) + size(&crate::store::duckdb::wal_path(&store.path));
    // SQLite keeps values as text where DuckDB compresses them: about
    // three times the DuckDB file, by the stores measured.
    let space_needed = source_bytes.saturating_mul(3);
    let space_free = crate::store::plan::free_bytes(&dest);
    if let Some(free) = space_free.filter(|&f| f < space_needed) {
        blockers.push(format!(
            "about {} needed, {} free beside {}",
            crate::store::plan::human(space_needed),
            crate::store::plan::human(free),
            dest.display()
        ));
    }
    Ok(ImportPlan {
        source: store.path.clone(),
        dest,
        duckdb_version: store.writer.clone(),
        storage_version: store.storage_version,
        tables,
        notes,
        blockers,
        space_needed,
        space_free,
    })
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// A spec table: the spec's columns in order (NULL where the source has
/// none, init's fill where it has NULL), then the source's extra columns.
fn spec_copy(
    t: &crate::store::spec::TableSpec,
    live: Option<&DuckTable>,
    (rows, last_rowid): (u64, i64),
) -> TableCopy {
    let mut columns = Vec::new();
    for c in &t.columns {
        columns.push(match live.and_then(|l| l.column(&c.name)) {
            Some(lc) => read_column(&lc.name, &lc.duck_type, c.fill.as_deref()),
            None => ColumnRead {
                name: c.name.clone(),
                select: "NULL".into(),
                blob: false,
            },
        });
    }
    let mut extra = Vec::new();
    for lc in live
        .map(|l| l.columns.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|lc| t.column(&lc.name).is_none())
    {
        extra.push(format!(
            "{} {}",
            ident(&lc.name),
            sqlite_type(&lc.duck_type)
        ));
        columns.push(read_column(&lc.name, &lc.duck_type, None));
    }
    TableCopy {
        name: t.name.clone(),
        rows,
        last_rowid,
        spec: true,
        in_source: live.is_some(),
        create_sql: t.create_sql(&t.name, &extra),
        indexes: Vec::new(),
        columns,
    }
}

/// Upstream's other tables: their own columns, in SQLite's types.
fn other_copy(t: &DuckTable, (rows, last_rowid): (u64, i64)) -> TableCopy {
    let defs: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", quote(&c.name), sqlite_type(&c.duck_type)))
        .collect();
    TableCopy {
        name: t.name.clone(),
        rows,
        last_rowid,
        spec: false,
        in_source: true,
        create_sql: format!(
            "CREATE TABLE {} (\n  {}\n)",
            quote(&t.name),
            defs.join(",\n  ")
        ),
        indexes: Vec::new(),
        columns: t
            .columns
            .iter()
            .map(|c| read_column(&c.name, &c.duck_type, None))
            .collect(),
    }
}

/// NULL ids stop the plan; NULL doc_type/status get init's fill, counted.
fn nulls(
    store: &DuckStore,
    docs: &DuckTable,
    notes: &mut Vec<String>,
    blockers: &mut Vec<String>,
) -> Result<()> {
    let cols: Vec<&str> = ["id", "doc_type", "status"]
        .into_iter()
        .filter(|c| docs.column(c).is_some())
        .collect();
    if cols.is_empty() {
        return Ok(());
    }
    let counts: Vec<String> = cols
        .iter()
        .map(|c| format!("count(*) FILTER (WHERE {} IS NULL)", quote(c)))
        .collect();
    let sql = format!("SELECT {} FROM {}", counts.join(", "), quote(&docs.name));
    let row = store
        .shell
        .collect(&store.path, &sql)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let spec = Spec::v3();
    for (c, n) in cols.iter().zip(row.iter().map(|v| v.as_u64().unwrap_or(0))) {
        if n == 0 {
            continue;
        }
        match spec.documents().column(c).and_then(|s| s.fill.as_deref()) {
            _ if *c == "id" => blockers.push(format!(
                "documents has {n} row(s) with a NULL id; a V3 id is NOT NULL PRIMARY KEY"
            )),
            Some(fill) => notes.push(format!(
                "{n} document(s) with a NULL {c} get {c} = '{fill}' (as init gives them)"
            )),
            None => {}
        }
    }
    Ok(())
}

/// Where an import stands, for its progress line.
#[derive(Debug, Clone)]
pub struct ImportProgress {
    pub table: String,
    /// `copying` (each block of rows is compared as it is written).
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub dest: PathBuf,
    pub tables: Vec<(String, u64)>,
    pub rows: u64,
}

/// Runs `plan`: the new store appears at DEST only whole and verified.
pub fn run(
    plan: &ImportPlan,
    store: &DuckStore,
    cancel: &Canceller,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportOutcome> {
    if !plan.blockers.is_empty() {
        return Err(StoreError::Blocked(plan.blockers.clone()));
    }
    let part = Partial::new(&plan.dest)?;
    let conn = Connection::open_with_flags(
        &part.path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::sqlite(&part.path, "cannot create the new store", e))?;
    cancel.attach(&conn);
    let result = copy_all(plan, store, &conn, cancel, progress);
    cancel.detach();
    result?;
    counts(plan, &conn)?;
    drop(conn);
    part.finish()?;
    Ok(ImportOutcome {
        dest: plan.dest.clone(),
        tables: plan
            .tables
            .iter()
            .map(|t| (t.name.clone(), t.rows))
            .collect(),
        rows: plan.total_rows(),
    })
}

fn copy_all(
    plan: &ImportPlan,
    store: &DuckStore,
    conn: &Connection,
    cancel: &Canceller,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<()> {
    let err = |e| StoreError::sqlite(&plan.dest, "cannot write the new store", e);
    // A new file that is renamed into place only when whole: no journal.
    // Pages of 8 KiB: a documents row is most of a KiB, and with twice the
    // rows a page SQLite splits and balances pages half as often (about a
    // tenth less of the copy's CPU at 1,000,000 documents, measured).
    conn.execute_batch(
        "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
         PRAGMA cache_size = -16000; BEGIN",
    )
    .map_err(err)?;
    let total = plan.total_rows();
    let mut done = 0u64;
    for t in &plan.tables {
        // A table of few rows never reaches a check in the copy.
        if cancel.is_cancelled() {
            return Err(StoreError::Cancelled);
        }
        conn.execute_batch(&t.create_sql).map_err(err)?;
        // Indexes kept as rows arrive: built after, they took about 5% less
        // CPU but longer (they run once the shell is done, not beside it)
        // and their sort raised the peak from 28 to 36 MB (measured at
        // 1,000,000 documents).
        for sql in &t.indexes {
            conn.execute_batch(sql).map_err(err)?;
        }
        let n = if t.in_source && !t.columns.is_empty() {
            copy_table(
                store,
                conn,
                &t.name,
                &t.columns,
                t.last_rowid,
                cancel,
                &mut |n| {
                    progress(&ImportProgress {
                        table: t.name.clone(),
                        phase: "copying",
                        done: done + n,
                        total,
                    });
                },
            )?
        } else {
            0
        };
        if n != t.rows {
            return Err(StoreError::Verification(format!(
                "{} gave {n} rows, {} when the plan was made: the source changed; run import again",
                t.name, t.rows
            )));
        }
        done += n;
        progress(&ImportProgress {
            table: t.name.clone(),
            phase: "copying",
            done,
            total,
        });
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = {}; PRAGMA application_id = {}; COMMIT",
        Spec::v3().user_version,
        crate::store::duckdb::UPSTREAM_APPLICATION_ID
    ))
    .map_err(err)?;
    Ok(())
}

/// Counts every table of the new store: each holds the rows the source
/// gave (each value was compared as it was written).
fn counts(plan: &ImportPlan, conn: &Connection) -> Result<()> {
    let err = |e| StoreError::sqlite(&plan.dest, "cannot verify the new store", e);
    for t in &plan.tables {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {}", ident(&t.name)),
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if u64::try_from(n).ok() != Some(t.rows) {
            return Err(StoreError::Verification(format!(
                "{} in the new store holds {n} rows of {}; no store was written",
                t.name, t.rows
            )));
        }
    }
    Ok(())
}
