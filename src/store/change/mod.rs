//! Data changes you see before they commit and can take back after
//! (DESIGN §10). A change runs in a transaction with its recording on
//! (rowid tables by temp triggers, see `rowid`; WITHOUT ROWID ones by
//! SQLite's session extension);
//! the recording is read back for the preview and the transaction rolls
//! back. On confirm it runs again under the write lock; a recording that
//! differs from the preview's is refused with nothing written. On commit
//! the inverse change set becomes an undo file beside the store.

pub mod diff;
mod edit;
mod fix;
mod guard;
mod places;
mod rowid;
#[cfg(test)]
mod rowid_tests;
mod rows;
mod undo;
mod wire;

pub use edit::RowKey;
pub use fix::{FIXABLE, repairs};
pub use rows::{ColumnChange, Op, RowChange, TableCount, Value};
pub use undo::{UndoFile, UndoHeader, list as undo_files};

use crate::store::cancel::Canceller;
use crate::store::error::{Result, StoreError};
use crate::store::inspection::checks;
use crate::store::inspection::finding::{Code, Finding};
use crate::store::inspection::inspect::{Counts, Inspection, inspect};
use crate::store::open::{open_for_write, open_read_only, write_cache_kib};
use rowid::Written;
use rows::ChangeFile;
use rusqlite::session::Session;
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Exec,
    Fix,
    Undo,
    Edit,
    Delete,
}

impl Command {
    pub fn label(self) -> &'static str {
        match self {
            Command::Exec => "exec",
            Command::Fix => "fix",
            Command::Undo => "undo",
            Command::Edit => "edit",
            Command::Delete => "delete",
        }
    }
}

/// What a change does: statements (exec's one, fix's), or an undo file.
#[derive(Debug, Clone)]
enum Work {
    Sql(Vec<String>),
    Undo(PathBuf),
}

/// A change as it would be: what runs, what it changes (counts here, the
/// rows through `each`/`window`, read from the recording on disk), and for
/// fix the findings it leaves. `commit` takes it.
#[derive(Debug)]
pub struct Preview {
    pub path: PathBuf,
    pub command: Command,
    /// The statements that run, or the undo file applied.
    pub what: Vec<String>,
    pub tables: Vec<TableCount>,
    pub rows: u64,
    /// fix: the findings that need a person, as they would be after it.
    pub left: Vec<Finding>,
    work: Work,
    changes: ChangeFile,
    digest: u64,
}

/// A committed change.
#[derive(Debug, Serialize)]
pub struct Committed {
    pub rows: u64,
    pub tables: Vec<TableCount>,
    /// Where its undo file is (none when nothing changed).
    pub undo: Option<PathBuf>,
    pub left: Vec<Finding>,
}

impl Preview {
    /// Every changed row in order, until `f` returns false.
    pub fn each(&self, f: &mut dyn FnMut(RowChange) -> bool) -> Result<()> {
        let store = open_read_only(&self.path)?;
        self.changes.each(&store.conn, f)
    }

    /// `take` rows from row `skip` on (counted from 0).
    pub fn window(&self, skip: u64, take: usize) -> Result<Vec<RowChange>> {
        let mut out = Vec::new();
        let mut n = 0u64;
        self.each(&mut |r| {
            if n >= skip {
                out.push(r);
            }
            n += 1;
            out.len() < take
        })?;
        Ok(out)
    }
}

/// `exec`'s change: one INSERT, UPDATE or DELETE.
pub fn exec(path: &Path, sql: &str) -> Result<Preview> {
    preview(path, Command::Exec, Work::Sql(vec![sql.to_string()]))
}

/// `fix`'s change: what the rules named in `only` (all when empty) repair.
pub fn fix(path: &Path, only: &[Code]) -> Result<Preview> {
    if let Some(c) = only.iter().find(|c| !FIXABLE.contains(c)) {
        let can: Vec<&str> = FIXABLE.iter().map(|c| c.label()).collect();
        return Err(StoreError::Refused(format!(
            "{} needs a person: fix repairs {}",
            c.label(),
            can.join(", ")
        )));
    }
    let store = open_read_only(path)?;
    let ins = inspect_shape(store.conn, path)?;
    let sql = fix::statements(
        ins.live(&crate::store::spec::Spec::v3().documents_table),
        only,
    );
    preview(path, Command::Fix, Work::Sql(sql))
}

/// The app's `E`: one cell of the row `key` of `table` set to `value`
/// (None: NULL).
pub fn edit(
    path: &Path,
    table: &str,
    key: &RowKey,
    column: &str,
    value: Option<&str>,
) -> Result<Preview> {
    let sql = edit::update(table, key, column, value)?;
    preview(path, Command::Edit, Work::Sql(vec![sql]))
}

/// Whether `value` may be offered for `column` of `table` (a JSON column
/// of the spec takes only JSON of its shape): the app's editor asks
/// before it previews an edit.
pub fn check_value(table: &str, column: &str, value: &str) -> Result<()> {
    edit::json_check(table, column, value)
}

/// The app's `D`: the row `key` of `table` deleted.
pub fn delete(path: &Path, table: &str, key: &RowKey) -> Result<Preview> {
    let sql = edit::delete(table, key)?;
    preview(path, Command::Delete, Work::Sql(vec![sql]))
}

/// `undo`'s change: the undo file `file`, or the newest beside the store.
pub fn undo(path: &Path, file: Option<&Path>) -> Result<Preview> {
    let file = match file {
        Some(f) => f.to_path_buf(),
        None => undo::list(path)?
            .into_iter()
            .next()
            .map(|u| u.path)
            .ok_or_else(|| {
                StoreError::Refused(format!(
                    "no undo file beside {}: nothing to undo",
                    path.display()
                ))
            })?,
    };
    undo::read_header(&file)?;
    preview(path, Command::Undo, Work::Undo(file))
}

fn inspect_shape(mut conn: Connection, path: &Path) -> Result<Inspection> {
    inspect(&mut conn, path, Counts::None)
}

/// What the recording of a change holds.
struct Recorded {
    changes: ChangeFile,
    tables: Vec<TableCount>,
    rows: u64,
    digest: u64,
    left: Vec<Finding>,
}

fn preview(path: &Path, command: Command, work: Work) -> Result<Preview> {
    let mut conn = open_change(path)?;
    let ins = inspect(&mut conn, path, Counts::None)?;
    let written = check(&mut conn, &work)?;
    let tx = conn
        .transaction()
        .map_err(|e| StoreError::sqlite(path, "cannot begin", e))?;
    let rec = record(&tx, path, command, &work, &written, &ins)?;
    // Nothing of the preview stays in the store.
    tx.rollback()
        .map_err(|e| StoreError::sqlite(path, "cannot roll back the preview", e))?;
    Ok(Preview {
        path: path.to_path_buf(),
        command,
        what: what(&work),
        tables: rec.tables,
        rows: rec.rows,
        left: rec.left,
        work,
        changes: rec.changes,
        digest: rec.digest,
    })
}

fn what(work: &Work) -> Vec<String> {
    match work {
        Work::Sql(s) => s.clone(),
        Work::Undo(f) => vec![f.display().to_string()],
    }
}

/// Commits the change `shown` previewed, if it is still the same change.
pub fn commit(shown: &Preview, cancel: &Canceller) -> Result<Committed> {
    run(
        &shown.path,
        shown.command,
        &shown.work,
        Some(shown.digest),
        cancel,
    )
}

/// Makes the change of `preview`'s kind without a preview to hold it to
/// (the user said `--yes`): recorded once, under the write lock.
pub fn commit_unseen(preview_of: Unseen<'_>, cancel: &Canceller) -> Result<Committed> {
    let (path, command, work) = match preview_of {
        Unseen::Exec(p, sql) => (p, Command::Exec, Work::Sql(vec![sql.to_string()])),
    };
    run(path, command, &work, None, cancel)
}

/// A change made with `commit_unseen`.
pub enum Unseen<'a> {
    Exec(&'a Path, &'a str),
}

fn run(
    path: &Path,
    command: Command,
    work: &Work,
    expect: Option<u64>,
    cancel: &Canceller,
) -> Result<Committed> {
    let mut conn = open_change(path)?;
    let ins = inspect(&mut conn, path, Counts::None)?;
    cancel.attach(&conn);
    let result = locked(&mut conn, path, command, work, expect, &ins, cancel);
    cancel.detach();
    result.map_err(|e| {
        if cancel.is_cancelled() {
            StoreError::Cancelled
        } else {
            e
        }
    })
}

fn locked(
    conn: &mut Connection,
    path: &Path,
    command: Command,
    work: &Work,
    expect: Option<u64>,
    ins: &Inspection,
    cancel: &Canceller,
) -> Result<Committed> {
    let written = check(conn, work)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| StoreError::sqlite(path, "cannot lock the store for writing", e))?;
    let rec = record(&tx, path, command, work, &written, ins)?;
    if expect.is_some_and(|d| d != rec.digest) {
        return Err(StoreError::ChangedSincePreview);
    }
    if cancel.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    if rec.rows == 0 {
        return Ok(Committed {
            rows: 0,
            tables: rec.tables,
            undo: None,
            left: rec.left,
        });
    }
    // The undo file is complete on disk before the store commits, and in
    // place only after (see `undo`).
    let pending = undo::write(
        &tx,
        path,
        command.label(),
        what(work),
        rec.rows,
        &rec.changes,
    )?;
    tx.commit()
        .map_err(|e| StoreError::sqlite(path, "cannot commit", e))?;
    let undo = pending.publish()?;
    if let Work::Undo(used) = work {
        // Taken back: its own undo is the file just written.
        let _ = std::fs::remove_file(used);
    }
    Ok(Committed {
        rows: rec.rows,
        tables: rec.tables,
        undo: Some(undo),
        left: rec.left,
    })
}

/// The store's page cache while a change runs, in KiB.
const CHANGE_CACHE_KIB: i64 = 16_384;
/// The temp database's (the rowid logs'), in KiB.
const TEMP_CACHE_KIB: i64 = 4_096;

/// A connection to change the store with; a newer store is only browsed.
fn open_change(path: &Path) -> Result<Connection> {
    let conn = open_for_write(path, false)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::sqlite(path, "cannot read the store", e))?;
    if version > 3 {
        return Err(StoreError::Refused(format!(
            "{} is a newer store (user_version {version}): it is browsed, never written",
            path.display()
        )));
    }
    // A REPLACE's deletes reach the rowid log's triggers too; the log
    // spills to a temporary file, not memory, on a large change, and the
    // page caches stay small (a plan's large one would be most of a
    // change's memory; the crash tests' smaller one is kept).
    conn.execute_batch(&format!(
        "PRAGMA recursive_triggers = ON; PRAGMA temp_store = FILE;
         PRAGMA cache_size = {}; PRAGMA temp.cache_size = -{TEMP_CACHE_KIB};",
        write_cache_kib().max(-CHANGE_CACHE_KIB)
    ))
    .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    Ok(conn)
}

/// Checks the statements of `work` (the authorizer needs the connection
/// before its transaction begins); returns the tables they write and the
/// columns they set.
fn check(conn: &mut Connection, work: &Work) -> Result<Vec<Written>> {
    let mut written: Vec<Written> = Vec::new();
    if let Work::Sql(statements) = work {
        for sql in statements {
            rowid::merge(&mut written, guard::check(conn, sql)?);
        }
    }
    Ok(written)
}

/// Runs `work` on `conn` (inside its transaction) with the recording on.
fn record(
    conn: &Connection,
    path: &Path,
    command: Command,
    work: &Work,
    written: &[Written],
    ins: &Inspection,
) -> Result<Recorded> {
    let err = |what: &'static str| move |e| StoreError::sqlite(path, what, e);
    let (changes, tables, digest) = match work {
        Work::Undo(file) => {
            let (_, offset) = undo::read_header(file)?;
            let changes = ChangeFile {
                path: file.clone(),
                offset,
                temporary: false,
            };
            let (tables, digest) = changes.summary()?;
            undo::apply(conn, path, &changes, total(&tables))?;
            (changes, tables, digest)
        }
        Work::Sql(statements) => {
            let logs = rowid::start(conn, written).map_err(err("cannot set up the recording"))?;
            // The session records the rest (WITHOUT ROWID tables, those a
            // virtual table writes itself).
            let logged: Vec<String> = logs.iter().map(|l| l.table.to_lowercase()).collect();
            let mut session = Session::new(conn).map_err(err("cannot start the recording"))?;
            session.table_filter(Some(move |t: &str| {
                !logged.iter().any(|l| l.eq_ignore_ascii_case(t))
            }));
            session
                .attach(None::<&str>)
                .map_err(err("cannot start the recording"))?;
            for sql in statements {
                let mut stmt = conn.prepare(sql).map_err(sql_error)?;
                let mut rows = stmt.query([]).map_err(sql_error)?;
                // A RETURNING clause's rows are not needed.
                while rows.next().map_err(sql_error)?.is_some() {}
            }
            let (changes, f) = temp_file()?;
            let file = changes.path.clone();
            let wrote = |e| StoreError::io(format!("cannot write {}", file.display()), e);
            let mut out = wire::Digested::new(std::io::BufWriter::with_capacity(1 << 16, f));
            session
                .changeset_strm(&mut out)
                .map_err(err("cannot write the recorded changes"))?;
            drop(session);
            std::io::Write::flush(&mut out).map_err(wrote)?;
            // What the session wrote is counted from the file (it is small:
            // the large tables are logged); the rest as it is written.
            let (mut tables, _) = ChangeFile {
                path: file.clone(),
                offset: 0,
                temporary: false,
            }
            .summary()?;
            // Where rows stand goes last, outside the digest: the rowid an
            // inserted row takes is no part of what the preview showed.
            let (places, p) = temp_file()?;
            let mut at = std::io::BufWriter::with_capacity(1 << 16, p);
            rowid::finish(conn, &logs, &mut out, &mut at, &mut tables)
                .map_err(err("cannot write the recorded changes"))?;
            std::io::Write::flush(&mut at).map_err(wrote)?;
            drop(at);
            let digest = out.digest();
            std::io::copy(&mut places.reader()?, out.unhashed()).map_err(wrote)?;
            std::io::Write::flush(&mut out).map_err(wrote)?;
            (changes, tables, digest)
        }
    };
    let left = if command == Command::Fix {
        fix::left(checks::run(conn, ins)?)
    } else {
        Vec::new()
    };
    Ok(Recorded {
        rows: total(&tables),
        changes,
        tables,
        digest,
        left,
    })
}

/// A new recording file, removed when dropped.
fn temp_file() -> Result<(ChangeFile, std::fs::File)> {
    let (path, f) = rows::create_temp().map_err(|e| {
        StoreError::io(
            format!("cannot create a file in {}", std::env::temp_dir().display()),
            e,
        )
    })?;
    let changes = ChangeFile {
        path,
        offset: 0,
        temporary: true,
    };
    Ok((changes, f))
}

fn total(tables: &[TableCount]) -> u64 {
    tables
        .iter()
        .map(|t| t.inserted + t.updated + t.deleted)
        .sum()
}

/// The user's statement failed: SQLite's words, as one line.
fn sql_error(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            StoreError::Cancelled
        }
        rusqlite::Error::SqliteFailure(f, msg) => StoreError::Sql {
            message: msg.unwrap_or_else(|| f.to_string()),
            at: None,
        },
        e => StoreError::Sql {
            message: e.to_string(),
            at: None,
        },
    }
}
