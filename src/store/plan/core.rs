//! The plan types: a Plan is an ordered list of Steps, each with the SQL the
//! user sees and the Op that apply runs; and where its backup goes.

use rusqlite::Connection;
use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A write action, with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanKind {
    Init,
    /// `keep_tables` leaves the V2 objects in place.
    FoldLegacy {
        keep_tables: bool,
    },
}

impl PlanKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            PlanKind::Init => "init",
            PlanKind::FoldLegacy { .. } => "fold-legacy",
        }
    }
}

/// As `--json` names it: `init`, `fold-legacy`.
impl Serialize for PlanKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub title: String,
    pub sql: String,
    #[serde(skip)]
    pub(crate) op: Op,
}

/// How apply runs a step; the SQL the user sees is always `Step::sql`.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Run the step's SQL as it stands.
    Exec,
    /// Run the step's SQL, a DROP of a table or view (a plan with one
    /// writes a backup first).
    Drop,
    /// Copy every row with `INSERT … SELECT`, in rowid-ordered chunks so the
    /// run can report progress and be cancelled between them.
    Copy {
        insert: String,
        select: String,
        by_rowid: bool,
        rows: u64,
    },
    /// Verification: the table holds exactly this many rows.
    ExpectRows { table: String, rows: u64 },
    /// Verification: no more foreign-key violations than before.
    ForeignKeys { before: u64 },
    /// Verification: the step's SQL counts problems; it must count none.
    ExpectZero { what: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub kind: PlanKind,
    pub path: PathBuf,
    pub steps: Vec<Step>,
    /// Where the backup goes, when the plan rebuilds or drops a table.
    pub backup: Option<PathBuf>,
    /// What the user should know: defaults filled in, constraints not kept.
    pub notes: Vec<String>,
    /// Reasons the plan must not run; when any, nothing is written.
    pub blockers: Vec<String>,
    /// The rowids of the rows the blockers name (a NULL or repeated id), in
    /// order, for the app to list them.
    #[serde(skip)]
    pub blocked_rows: Vec<i64>,
    /// True when the plan starts a new store at a missing path.
    pub creates_file: bool,
    /// The disk space it needs beside what is free, when it writes much.
    pub space: Option<Space>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Space {
    /// About how many bytes the plan writes at most: the backup (the store's
    /// pages in use) and the rows it copies (at most those pages again).
    pub needed_bytes: u64,
    /// The backup's part of it.
    pub backup_bytes: u64,
    /// What the file system holding the store has free for this user.
    pub free_bytes: u64,
}

impl Plan {
    pub fn new(kind: PlanKind, path: &Path) -> Plan {
        Plan {
            kind,
            path: path.to_path_buf(),
            steps: Vec::new(),
            backup: None,
            notes: Vec::new(),
            blockers: Vec::new(),
            blocked_rows: Vec::new(),
            creates_file: false,
            space: None,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.blockers.is_empty()
    }

    /// What must not change between showing a plan and running it.
    pub(crate) fn fingerprint(&self) -> String {
        let mut s = String::new();
        for step in &self.steps {
            s.push_str(&step.title);
            s.push('\u{0}');
            s.push_str(&step.sql);
            s.push('\u{0}');
        }
        s.push_str(&self.blockers.join("\u{0}"));
        s
    }

    pub(crate) fn step(&mut self, title: impl Into<String>, sql: impl Into<String>, op: Op) {
        self.steps.push(Step {
            title: title.into(),
            sql: sql.into(),
            op,
        });
    }
}

/// `<path>.bak-<UTC timestamp>`, timestamped by SQLite's clock; `-2`, `-3` …
/// after it when two backups fall in the same second.
pub fn backup_path(conn: &Connection, path: &Path) -> rusqlite::Result<PathBuf> {
    let ts: String =
        conn.query_row("SELECT strftime('%Y%m%dT%H%M%SZ', 'now')", [], |r| r.get(0))?;
    let mut p: OsString = path.as_os_str().to_owned();
    p.push(format!(".bak-{ts}"));
    Ok(free_path(PathBuf::from(p)))
}

/// `path` if nothing is there, else the first free `path-N`.
pub fn free_path(path: PathBuf) -> PathBuf {
    if std::fs::symlink_metadata(&path).is_err() {
        return path;
    }
    (2..)
        .map(|n| {
            let mut p = path.as_os_str().to_owned();
            p.push(format!("-{n}"));
            PathBuf::from(p)
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or(path)
}

/// Why a store is not to be written because it is newer than the spec
/// (a `user_version` above V3's), or None: the one wording of the plans'
/// blocker and of the app's "actions unavailable".
pub fn refuses_newer(ins: &crate::store::inspection::inspect::Inspection) -> Option<String> {
    ins.is_newer().then(|| {
        format!(
            "user_version {} is newer than V{}: this tool does not write newer stores",
            ins.facts.user_version,
            crate::store::spec::Spec::v3().user_version
        )
    })
}
