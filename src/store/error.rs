//! The store's error type: one line each, safe to show after sanitising.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Refused(String),
    /// SQLite could not run the user's SQL; `at` is the character (from 1)
    /// where it stopped, when it says.
    #[error("{message}{}", at.map(|n| format!(" (at character {n})")).unwrap_or_default())]
    Sql { message: String, at: Option<usize> },
    #[error("no store at {} (init creates one there)", .0.display())]
    NotFound(PathBuf),
    #[error("{} is {what}, not a store", path.display())]
    NotAStore { path: PathBuf, what: String },
    #[error("{} is a damaged SQLite file: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{} is locked by another process ({}); try again when it is done",
        path.display(),
        waited.map_or("it stayed busy".to_string(), |d| format!("waited {} s", d.as_secs_f32()))
    )]
    Locked {
        path: PathBuf,
        /// How long it was waited for, where the caller knows.
        waited: Option<std::time::Duration>,
    },
    #[error("{} cannot be written: {reason}", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error(
        "{} has a hot journal (a write that was interrupted): SQLite rolls it back the next time the store is opened for writing, e.g. `sqlite3 STORE 'PRAGMA quick_check'`",
        path.display()
    )]
    HotJournal { path: PathBuf },
    #[error("the plan cannot run: {}", .0.join("; "))]
    Blocked(Vec<String>),
    #[error("the store changed since the plan was made; review the new plan and run again")]
    PlanChanged,
    #[error(
        "the store changed since the preview; nothing was written: look at the new preview and run again"
    )]
    ChangedSincePreview,
    #[error("undo stopped, nothing was changed: {0}")]
    Conflict(String),
    #[error("cancelled: the store was rolled back and is exactly as before")]
    Cancelled,
    #[error("a query took longer than {0} ms and was stopped")]
    Timeout(u64),
    #[error("verification failed, nothing was written: {0}")]
    Verification(String),
    #[error(
        "{context}: the disk is full, so nothing was changed (a store stays exactly as it was); free space on its file system and run again"
    )]
    DiskFull { context: String },
    // The cause's text is in the message: it is not also the error's
    // `source` (a field of that name would be), or printing the error's
    // chain would say it twice.
    /// No duckdb shell to read a DuckDB store with: what was looked for,
    /// and how to get one.
    #[error("{0}")]
    NoDuckDbShell(String),
    #[error(
        "{} is held by process {pid} ({process}): DuckDB lets no reader open a file its writer holds; it opens once the writer is done",
        path.display()
    )]
    DuckDbHeld {
        path: PathBuf,
        pid: u32,
        process: String,
    },
    #[error(
        "{} was written by DuckDB {writer} (storage version {storage}), newer than the duckdb shell here ({shell}, which reads storage versions {range}): install a newer shell (pip install -U duckdb-cli)",
        path.display()
    )]
    DuckDbTooNew {
        path: PathBuf,
        writer: String,
        storage: u64,
        shell: String,
        range: String,
    },
    #[error("{}: DuckDB says: {message}", path.display())]
    DuckDb { path: PathBuf, message: String },
    #[error("{context}: {}", sqlite_text(cause))]
    Sqlite {
        context: String,
        cause: rusqlite::Error,
    },
    #[error("{context}: {cause}")]
    Io {
        context: String,
        cause: std::io::Error,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Wraps an SQLite error, naming the well-known cases in plain words.
    pub fn sqlite(path: &std::path::Path, context: impl Into<String>, e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            let detail = msg.clone().unwrap_or_else(|| f.to_string());
            match f.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    return StoreError::locked(path);
                }
                C::NotADatabase => {
                    return StoreError::NotAStore {
                        path: path.to_path_buf(),
                        what: "not an SQLite database (SQLite says: file is not a database)".into(),
                    };
                }
                C::DatabaseCorrupt => {
                    return StoreError::Corrupt {
                        path: path.to_path_buf(),
                        detail,
                    };
                }
                C::OperationInterrupted => return StoreError::Cancelled,
                C::DiskFull => {
                    return StoreError::DiskFull {
                        context: context.into(),
                    };
                }
                C::ReadOnly => {
                    // SQLITE_READONLY_ROLLBACK: a hot journal on a read-only open.
                    if f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK {
                        return StoreError::HotJournal {
                            path: path.to_path_buf(),
                        };
                    }
                    return StoreError::ReadOnly {
                        path: path.to_path_buf(),
                        reason: detail,
                    };
                }
                C::CannotOpen => {
                    return StoreError::ReadOnly {
                        path: path.to_path_buf(),
                        reason: format!(
                            "SQLite cannot open it or its journal ({detail}); is its folder writable?"
                        ),
                    };
                }
                _ => {}
            }
        }
        StoreError::Sqlite {
            context: context.into(),
            cause: e,
        }
    }

    /// The kind of failure, as `--json` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Refused(_) => "refused",
            StoreError::Sql { .. } => "sql",
            StoreError::NotFound(_) => "not-found",
            StoreError::NotAStore { .. } => "not-a-store",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::Locked { .. } => "locked",
            StoreError::ReadOnly { .. } => "read-only",
            StoreError::HotJournal { .. } => "hot-journal",
            StoreError::Blocked(_) => "blocked",
            StoreError::PlanChanged => "plan-changed",
            StoreError::ChangedSincePreview => "changed-since-preview",
            StoreError::Conflict(_) => "conflict",
            StoreError::Cancelled => "cancelled",
            StoreError::Timeout(_) => "timeout",
            StoreError::Verification(_) => "verification",
            StoreError::DiskFull { .. } => "disk-full",
            StoreError::NoDuckDbShell(_) => "no-duckdb-shell",
            StoreError::DuckDbHeld { .. } => "held",
            StoreError::DuckDbTooNew { .. } => "duckdb-too-new",
            StoreError::DuckDb { .. } => "duckdb",
            StoreError::Sqlite { .. } => "sqlite",
            StoreError::Io { cause, .. } if cause.kind() == std::io::ErrorKind::StorageFull => {
                "disk-full"
            }
            StoreError::Io { .. } => "io",
        }
    }

    /// Another process holds a lock: the same read will work later.
    pub fn is_locked(&self) -> bool {
        matches!(
            self,
            StoreError::Locked { .. } | StoreError::DuckDbHeld { .. }
        ) || matches!(self, StoreError::Sqlite { cause, .. } if is_busy(cause))
    }

    /// Another process held `path` locked.
    pub(crate) fn locked(path: &std::path::Path) -> Self {
        StoreError::Locked {
            path: path.to_path_buf(),
            waited: None,
        }
    }

    /// This error, saying a lock was waited for `wait` (the busy timeout
    /// of the connection that met it).
    pub(crate) fn after_waiting(self, wait: std::time::Duration) -> Self {
        match self {
            StoreError::Locked { path, .. } => StoreError::Locked {
                path,
                waited: Some(wait),
            },
            other => other,
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        StoreError::Io {
            context: context.into(),
            cause: source,
        }
    }
}

/// What SQLite said, without the statement it was given: rusqlite's own
/// text of an error in preparing one carries the whole SQL, and our SQL is
/// never shown to the user.
pub(crate) fn sqlite_text(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        e => e.to_string(),
    }
}

/// The statement was interrupted (a cancel, a deadline, a newer request).
pub(crate) fn is_interrupted(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted)
}

/// SQLite's "busy" and "locked": another connection holds the store.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_reads_as_one_clean_line() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA max_page_count = 2; CREATE TABLE t (x)")
            .unwrap();
        let full = conn
            .execute_batch("INSERT INTO t SELECT zeroblob(100000)")
            .unwrap_err();
        let e = StoreError::sqlite(std::path::Path::new("/s"), "cannot commit", full);
        assert_eq!(e.kind(), "disk-full");
        let shown = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(shown.matches("full").count(), 1, "said once: {shown}");
        assert!(
            shown.starts_with("cannot commit: the disk is full"),
            "{shown}"
        );
    }

    #[test]
    fn an_sqlite_error_is_said_once_through_anyhow() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let bad = conn.execute_batch("SELEC 1").unwrap_err();
        let e = StoreError::sqlite(std::path::Path::new("/s"), "cannot read", bad);
        let shown = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(shown.matches("syntax error").count(), 1, "{shown}");
    }
}
