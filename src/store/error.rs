//! The store's error type: one line each, safe to show after sanitising.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Refused(String),
    #[error("no store at {} (init creates one there)", .0.display())]
    NotFound(PathBuf),
    #[error("{} is {what}, not a store", path.display())]
    NotAStore { path: PathBuf, what: String },
    #[error("{} is a damaged SQLite file: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{} is locked by another process (it stayed busy); try again when it is done", .0.display())]
    Locked(PathBuf),
    #[error("{} cannot be written: {reason}", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error(
        "{} has a hot journal (a write that was interrupted): SQLite rolls it back the next time the store is opened for writing, e.g. `sqlite3 STORE 'PRAGMA quick_check'`; this tool only reads it until then",
        path.display()
    )]
    HotJournal { path: PathBuf },
    #[error("the plan cannot run: {}", .0.join("; "))]
    Blocked(Vec<String>),
    #[error("the store changed since the plan was made; review the new plan and run again")]
    PlanChanged,
    #[error("cancelled: the store was rolled back and is exactly as before")]
    Cancelled,
    #[error("a query took longer than {0} ms and was stopped")]
    Timeout(u64),
    #[error("verification failed, nothing was written: {0}")]
    Verification(String),
    #[error("{context}: {source}")]
    Sqlite {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Wraps an SQLite error, naming the well-known cases in plain words.
    pub(crate) fn sqlite(
        path: &std::path::Path,
        context: impl Into<String>,
        e: rusqlite::Error,
    ) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            let detail = msg.clone().unwrap_or_else(|| f.to_string());
            match f.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    return StoreError::Locked(path.to_path_buf());
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
                C::ReadOnly => {
                    // SQLITE_READONLY_ROLLBACK: a hot journal on a read-only open.
                    if f.extended_code == 776 {
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
            source: e,
        }
    }

    /// Another process holds a lock: the same read will work later.
    pub fn is_locked(&self) -> bool {
        matches!(self, StoreError::Locked(_))
            || matches!(self, StoreError::Sqlite { source, .. } if is_busy(source))
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        StoreError::Io {
            context: context.into(),
            source,
        }
    }
}

/// SQLite's "busy" and "locked": another connection holds the store.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}
