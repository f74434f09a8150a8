//! Opening a store: by absolute path, never as a URI, read-only unless a plan
//! runs, with the untrusted-file settings of DESIGN §7.

use crate::store::error::{Result, StoreError};
use crate::store::identify::{Identity, identify};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a writer, and a command, waits for another process's lock
/// before giving up (the README's figure).
pub(crate) const WRITE_BUSY: Duration = Duration::from_secs(3);
/// The page cache of a plan's connection, in KiB as `PRAGMA cache_size`
/// takes it (negative): see open_for_write.
const WRITE_CACHE_KIB: i64 = -131_072;

/// The plan's page cache: WRITE_CACHE_KIB, or the KiB given in
/// `EGREGORA_INSPECT_WRITE_CACHE_KIB` (the crash tests make it small so a
/// small store spills pages to the file before COMMIT, as a large one does).
pub(crate) fn write_cache_kib() -> i64 {
    std::env::var("EGREGORA_INSPECT_WRITE_CACHE_KIB")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|k| *k > 0)
        .map_or(WRITE_CACHE_KIB, |k| -k)
}
/// Readers wait less: a locked store should say so, not stall the screen.
pub(crate) const READ_BUSY: Duration = Duration::from_millis(500);

/// The page cache of a read-only connection, in KiB.
const READ_CACHE_KIB: i64 = 512;

/// A read-only connection on an identified store file.
pub struct ReadStore {
    pub path: PathBuf,
    pub identity: Identity,
    pub conn: Connection,
    /// The temporary folder of the private copy read instead of a store
    /// with a hot journal (see `open_private_copy`); removed on drop.
    copy: Option<tempfile::TempDir>,
}

impl ReadStore {
    /// Whether this reads a private copy (the store has a hot journal).
    pub fn is_private_copy(&self) -> bool {
        self.copy.is_some()
    }
}

/// Identifies `path` and opens it read-only. Never creates a file.
pub fn open_read_only(path: &Path) -> Result<ReadStore> {
    open_read_only_waiting(path, READ_BUSY)
}

/// `open_read_only` for a command, which waits for another process's lock
/// as long as a writer does (the app's reads wait less and retry).
pub(crate) fn open_for_command(path: &Path) -> Result<ReadStore> {
    open_read_only_waiting(path, WRITE_BUSY).map_err(|e| e.after_waiting(WRITE_BUSY))
}

fn open_read_only_waiting(path: &Path, busy: Duration) -> Result<ReadStore> {
    let identity = identify(path)?;
    identity.require_openable(path)?;
    let (conn, copy) = match connect(path, busy) {
        Err(StoreError::HotJournal { .. }) => {
            let (conn, dir) = open_private_copy(path, busy)?;
            (conn, Some(dir))
        }
        other => (other?, None),
    };
    Ok(ReadStore {
        path: path.to_path_buf(),
        identity,
        conn,
        copy,
    })
}

/// A read-only, untrusting connection on `file`, its schema read.
fn connect(file: &Path, busy: Duration) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(file, flags)
        .map_err(|e| StoreError::sqlite(file, "cannot open the store", e))?;
    conn.busy_timeout(busy)
        .map_err(|e| StoreError::sqlite(file, "cannot set up", e))?;
    // A page cache of a size that does not grow with the store: pages are
    // read by key, and the file system caches the file anyway.
    conn.execute_batch(&format!(
        "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON; PRAGMA cache_size = -{READ_CACHE_KIB};"
    ))
    .map_err(|e| StoreError::sqlite(file, "cannot set up the connection", e))?;
    // Read the schema now, so a bad file fails here with a clear reason.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| read_error(file, e))?;
    Ok(conn)
}

/// A store with a hot journal, read as it was before the interrupted
/// write: the file and its journal are copied into a temporary folder, where
/// SQLite rolls the copy back. The originals are only read: the rollback
/// of the store itself is for the next writer (SQLite's own rule).
fn open_private_copy(path: &Path, busy: Duration) -> Result<(Connection, tempfile::TempDir)> {
    let why = "cannot copy the store and its hot journal to read them";
    let dir = tempfile::Builder::new()
        .prefix("egregora-inspect-")
        .tempdir()
        .map_err(|e| StoreError::io(why, e))?;
    let copy = dir.path().join("store.sqlite");
    let mut journal = copy.clone().into_os_string();
    journal.push("-journal");
    std::fs::copy(path, &copy).map_err(|e| StoreError::io(why, e))?;
    std::fs::copy(journal_of(path), &journal).map_err(|e| StoreError::io(why, e))?;
    // A read-write open of the copy rolls its journal back.
    let rolled = |e| StoreError::sqlite(path, "cannot roll back a copy of the store", e);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let rw = Connection::open_with_flags(&copy, flags).map_err(rolled)?;
    rw.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(rolled)?;
    rw.close().map_err(|(_, e)| rolled(e))?;
    let conn = connect(&copy, busy)?;
    Ok((conn, dir))
}

fn journal_of(path: &Path) -> PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    PathBuf::from(j)
}

fn read_error(path: &Path, e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && matches!(
            f.code,
            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
        )
        && hot_journal(path)
    {
        return StoreError::HotJournal {
            path: path.to_path_buf(),
        };
    }
    StoreError::sqlite(path, "cannot read the store", e)
}

/// A rollback journal with content beside the store: an interrupted write.
pub(crate) fn hot_journal(path: &Path) -> bool {
    std::fs::metadata(journal_of(path))
        .map(|m| m.len() > 0)
        .unwrap_or(false)
}

/// Opens for a plan run. `create` is true only when the user asked to start a
/// new store at a missing path.
pub(crate) fn open_for_write(path: &Path, create: bool) -> Result<Connection> {
    if !create {
        identify(path)?.require_openable(path)?;
    }
    if let Err(reason) = writable(path) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason,
        });
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::sqlite(path, "cannot open the store for writing", e))?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason: "SQLite could only open it read-only".into(),
        });
    }
    conn.busy_timeout(WRITE_BUSY)
        .map_err(|e| StoreError::sqlite(path, "cannot set up", e))?;
    // Foreign keys must be off before BEGIN (the pragma is a no-op inside a
    // transaction), or DROP TABLE would cascade into child tables. Legacy
    // ALTER keeps RENAME from re-parsing views that point at the old table.
    // A rebuild inserts in random key order into the primary key and the
    // spec's indexes: a 128 MiB cache keeps those B-trees in memory (about a
    // fifth faster on a million rows). Browsing keeps SQLite's small cache.
    conn.execute_batch(&format!(
        "PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON;
         PRAGMA cache_size = {};",
        write_cache_kib()
    ))
    .map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    Ok(conn)
}

/// Whether this process may write the store and create its journal, and if
/// not, why. Uses access(2), which also sees read-only mounts.
pub(crate) fn writable(path: &Path) -> std::result::Result<(), String> {
    if crate::store::duckdb::snapshot::is_snapshot(path) {
        return Err(
            "it is a snapshot of upstream's DuckDB store, which is never written here; `import` makes a V3 copy"
                .into(),
        );
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let check = |p: &Path| -> std::result::Result<(), std::io::Error> {
        rustix::fs::access(p, rustix::fs::Access::WRITE_OK).map_err(std::io::Error::from)
    };
    if path.exists() {
        check(path).map_err(|e| format!("the file is not writable ({e})"))?;
    }
    let mut d = dir.to_path_buf();
    // A store that does not exist yet is created with its missing folders:
    // the first folder that exists must be writable.
    while !d.exists() {
        match d.parent() {
            Some(p) => d = p.to_path_buf(),
            None => break,
        }
    }
    check(&d).map_err(|e| {
        format!(
            "its folder {} is not writable, and SQLite writes its journal there ({e})",
            d.display()
        )
    })
}

/// Runs `f` with a deadline: a runaway query (a view over a huge join, say)
/// is interrupted instead of hanging the caller.
pub fn with_deadline<T>(
    conn: &mut Connection,
    limit: Duration,
    f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> std::result::Result<T, DeadlineError> {
    with_watch(conn, limit, || false, f)
}

/// `with_deadline`, and `stop` asked every few thousand SQLite steps: true
/// interrupts the statement (a newer request made this one moot). `stop` may
/// also report progress, as it is called while a long statement runs.
pub fn with_watch<T>(
    conn: &mut Connection,
    limit: Duration,
    mut stop: impl FnMut() -> bool + Send + 'static,
    f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> std::result::Result<T, DeadlineError> {
    let start = Instant::now();
    let stopped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stopped.clone();
    conn.progress_handler(
        10_000,
        Some(move || {
            if stop() {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
                return true;
            }
            start.elapsed() > limit
        }),
    )
    .map_err(DeadlineError::Sqlite)?;
    let out = f(&*conn);
    conn.progress_handler(0, None::<fn() -> bool>)
        .map_err(DeadlineError::Sqlite)?;
    out.map_err(|e| match &e {
        e if crate::store::error::is_interrupted(e) => {
            if stopped.load(std::sync::atomic::Ordering::Relaxed) {
                DeadlineError::Stopped
            } else {
                DeadlineError::TimedOut(limit)
            }
        }
        _ => DeadlineError::Sqlite(e),
    })
}

#[derive(Debug)]
pub enum DeadlineError {
    TimedOut(Duration),
    /// The caller's `stop` asked for it.
    Stopped,
    Sqlite(rusqlite::Error),
}

impl DeadlineError {
    /// Another process holds a lock: the same read will work later.
    pub fn is_locked(&self) -> bool {
        matches!(self, DeadlineError::Sqlite(e) if crate::store::error::is_busy(e))
    }
}

impl std::fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeadlineError::TimedOut(d) => write!(f, "stopped after {} ms", d.as_millis()),
            DeadlineError::Stopped => write!(f, "stopped"),
            DeadlineError::Sqlite(e) => f.write_str(&crate::store::error::sqlite_text(e)),
        }
    }
}

/// Changes whenever another connection commits to the store.
pub(crate) fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}
