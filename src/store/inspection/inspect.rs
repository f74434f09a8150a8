//! Catalog -> Inspection: the store's state against the V3 spec, with findings.

use crate::store::error::{Result, StoreError};
use crate::store::inspection::catalog::{self, LiveTable, ObjectKind, SchemaEntry};
use crate::store::inspection::finding::{Code, Finding, Severity};
use crate::store::inspection::table_shape::{Needs, compare_table};
use crate::store::open::with_deadline;
use crate::store::spec::{ObjectClass, Spec, TableSpec, quote};
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    NoStore,
    Current,
    NeedsInit,
    NeedsMigration,
    LegacyPresent,
}

impl State {
    pub(crate) fn label(self) -> &'static str {
        match self {
            State::NoStore => "no-store",
            State::Current => "current",
            State::NeedsInit => "needs-init",
            State::NeedsMigration => "needs-migration",
            State::LegacyPresent => "legacy-present",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase", tag = "status", content = "value")]
pub enum RowCount {
    Counted(u64),
    NotCounted,
    Failed(String),
}

impl RowCount {
    pub(crate) fn as_option(&self) -> Option<u64> {
        match self {
            RowCount::Counted(n) => Some(*n),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemaObject {
    pub name: String,
    /// A table, a view or a virtual table.
    pub kind: ObjectKind,
    pub class: ObjectClass,
    pub rows: RowCount,
    pub sql: Option<String>,
    /// A table with rowids: it pages by rowid; views and WITHOUT ROWID
    /// tables do not.
    #[serde(skip)]
    pub keyed: bool,
    /// Its column names, in order (none when SQLite cannot say, as for a
    /// view that no longer compiles): the SQL editor completes them.
    #[serde(skip)]
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileFacts {
    pub size_bytes: u64,
    pub sqlite_version: String,
    pub page_size: i64,
    pub page_count: i64,
    pub journal_mode: String,
    pub user_version: i64,
    /// The store has a hot journal: what is read is a private copy of the
    /// file and its journal, rolled back in a temporary folder.
    pub private_copy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Count nothing: the caller counts what it needs, when it needs it.
    None,
    /// Count legacy and leftover objects only: what the findings need.
    Flagged,
    /// Count every table and view.
    All,
}

/// How long one row count may take before it is given up.
const COUNT_LIMIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub path: PathBuf,
    pub state: State,
    pub facts: FileFacts,
    pub findings: Vec<Finding>,
    pub objects: Vec<SchemaObject>,
    /// The live shape of every spec table that exists as a table.
    #[serde(skip)]
    pub live: Vec<LiveTable>,
    #[serde(skip)]
    pub entries: Vec<SchemaEntry>,
}

impl Inspection {
    pub fn live(&self, name: &str) -> Option<&LiveTable> {
        self.live.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Every table and view with its columns: what the SQL editor
    /// completes.
    pub fn names(&self) -> Vec<crate::store::read::complete::Named> {
        self.objects
            .iter()
            .map(|o| crate::store::read::complete::Named {
                name: o.name.clone(),
                columns: o.columns.clone(),
            })
            .collect()
    }

    pub fn object(&self, name: &str) -> Option<&SchemaObject> {
        self.objects
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn legacy(&self) -> impl Iterator<Item = &SchemaObject> {
        self.objects
            .iter()
            .filter(|o| o.class == ObjectClass::Legacy)
    }

    /// A newer store (user_version above the spec's) is browsed, never written.
    pub(crate) fn is_newer(&self) -> bool {
        self.facts.user_version > Spec::v3().user_version
    }

    /// The one rule for "ok" (exit 0 of `check`, `"ok": true`, the green
    /// badge): the state is current and no finding, of the schema or of
    /// the data checks run, is an error or a warning.
    pub fn ok(&self, data: Option<&[Finding]>) -> bool {
        self.state == State::Current
            && self
                .findings
                .iter()
                .chain(data.unwrap_or_default())
                .all(|f| f.severity < Severity::Warning)
    }

    /// The badge's words: the state, or that the store is newer than this
    /// tool knows (then it is only browsed); once the data checks ran
    /// (`data`), what they found, so it never reads as ok beside them.
    pub fn badge(&self, data: Option<&[Finding]>) -> String {
        let state = if self.is_newer() {
            format!("newer (user_version {})", self.facts.user_version)
        } else {
            self.state.label().to_string()
        };
        let count = |s: Severity| {
            data.unwrap_or_default()
                .iter()
                .filter(|f| f.severity == s)
                .count()
        };
        let found = match (count(Severity::Error), count(Severity::Warning)) {
            (0, 0) => return state,
            (0, w) => format!("{w} data warning{}", if w == 1 { "" } else { "s" }),
            (e, _) => format!("{e} data error{}", if e == 1 { "" } else { "s" }),
        };
        format!("{state} · {found}")
    }
}

/// The store's state and findings, with the row counts `counts` asks for.
pub fn inspect(conn: &mut Connection, path: &Path, counts: Counts) -> Result<Inspection> {
    let mut ins = read(conn, path)?;
    for o in ins.objects.iter_mut().filter(|o| match counts {
        Counts::All => true,
        Counts::Flagged => matches!(o.class, ObjectClass::Legacy | ObjectClass::Leftover),
        Counts::None => false,
    }) {
        o.rows = count_rows(conn, &o.name);
    }
    judge(&mut ins);
    if ins.facts.private_copy {
        ins.findings.insert(0, Finding::hot_journal());
    }
    Ok(ins)
}

/// `inspect` without row counts, on a connection that may be inside a
/// transaction.
pub(crate) fn inspect_shape(conn: &Connection, path: &Path) -> Result<Inspection> {
    let mut ins = read(conn, path)?;
    judge(&mut ins);
    Ok(ins)
}

/// Whether the store was imported from upstream's DuckDB store: the mark
/// `import` leaves, or a snapshot's sidecar (snapshots taken before the
/// mark have only that).
fn from_upstream(conn: &Connection, path: &Path) -> bool {
    let marked = conn
        .query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0))
        .is_ok_and(|id| id == crate::store::duckdb::UPSTREAM_APPLICATION_ID);
    marked || crate::store::duckdb::snapshot::is_snapshot(path)
}

/// The catalog read into an Inspection, not yet judged.
fn read(conn: &Connection, path: &Path) -> Result<Inspection> {
    let err = |e| StoreError::sqlite(path, "cannot read the catalog", e);
    let facts = facts(conn, path).map_err(err)?;
    let entries = catalog::entries(conn).map_err(err)?;
    let spec = Spec::v3();
    let upstream = from_upstream(conn, path);

    let mut objects = Vec::new();
    for e in entries.iter().filter(|e| e.kind.has_rows()) {
        let mut class = spec.classify(&e.name);
        // A store imported from upstream's DuckDB store holds upstream's
        // tables (its `annotations` is live there, not V2's).
        if class == ObjectClass::Legacy
            && upstream
            && spec
                .upstream_tables
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&e.name))
        {
            class = ObjectClass::Upstream;
        }
        let is_virtual = e.sql.as_deref().is_some_and(|s| {
            s.trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL")
        });
        let kind = if is_virtual {
            ObjectKind::VirtualTable
        } else {
            e.kind
        };
        objects.push(SchemaObject {
            name: e.name.clone(),
            kind,
            class,
            rows: RowCount::NotCounted,
            sql: e.sql.clone(),
            keyed: kind == ObjectKind::Table
                && !e.sql.as_deref().is_some_and(catalog::is_without_rowid),
            columns: catalog::column_names(conn, &e.name),
        });
    }

    let mut live = Vec::new();
    for t in &spec.tables {
        if let Some(e) = entries
            .iter()
            .find(|e| e.kind == ObjectKind::Table && e.name.eq_ignore_ascii_case(&t.name))
        {
            let is_virtual = objects
                .iter()
                .any(|o| o.name == e.name && o.kind == ObjectKind::VirtualTable);
            if !is_virtual {
                live.push(catalog::table(conn, &e.name, e.sql.clone()).map_err(err)?);
            }
        }
    }

    Ok(Inspection {
        path: path.to_path_buf(),
        state: State::Current,
        facts,
        findings: Vec::new(),
        objects,
        live,
        entries,
    })
}

/// Counts rows with a deadline: a legacy view may be arbitrarily slow.
pub(crate) fn count_rows(conn: &mut Connection, name: &str) -> RowCount {
    let sql = format!("SELECT count(*) FROM {}", quote(name));
    match with_deadline(conn, COUNT_LIMIT, |c| {
        c.query_row(&sql, [], |r| r.get::<_, i64>(0))
    }) {
        Ok(n) => RowCount::Counted(u64::try_from(n).unwrap_or(0)),
        Err(e) => RowCount::Failed(e.to_string()),
    }
}

fn facts(conn: &Connection, path: &Path) -> rusqlite::Result<FileFacts> {
    let pragma_i = |p: &str| conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
    Ok(FileFacts {
        size_bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        sqlite_version: conn.query_row("SELECT sqlite_version()", [], |r| r.get(0))?,
        page_size: pragma_i("page_size")?,
        page_count: pragma_i("page_count")?,
        journal_mode: conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
        user_version: pragma_i("user_version")?,
        private_copy: conn.path().is_some_and(|read| {
            std::fs::canonicalize(read).ok() != std::fs::canonicalize(path).ok()
        }),
    })
}

/// Compares the catalog with the spec: sets the state, fills the findings.
fn judge(ins: &mut Inspection) {
    let spec = Spec::v3();
    let mut f: Vec<Finding> = Vec::new();
    if !ins.objects.iter().any(|o| o.kind != ObjectKind::View) {
        ins.state = State::NoStore;
        f.push(Finding::new(
            Severity::Error,
            Code::NoStore,
            "",
            "the file holds no tables: run init to create the V3 store",
        ));
        if ins.facts.user_version != 0 {
            f.push(version_finding(ins.facts.user_version));
        }
        ins.findings = f;
        return;
    }
    let needs = spec_tables(ins, &mut f);
    let legacy = flagged_objects(ins, &mut f);
    let uv = ins.facts.user_version;
    if uv != spec.user_version {
        f.push(version_finding(uv));
    }
    ins.state = if needs.migration {
        State::NeedsMigration
    } else if needs.init {
        State::NeedsInit
    } else if legacy {
        State::LegacyPresent
    } else {
        State::Current
    };
    f.sort_by_key(|x| std::cmp::Reverse(x.severity));
    ins.findings = f;
}

/// Each spec table and its indexes beside the store's: what they need.
fn spec_tables(ins: &Inspection, f: &mut Vec<Finding>) -> Needs {
    let spec = Spec::v3();
    let mut needs = Needs::default();
    for t in &spec.tables {
        let is_documents = t.name == spec.documents_table;
        match ins.object(&t.name) {
            None => {
                needs.init = true;
                f.push(Finding::new(
                    Severity::Error,
                    Code::MissingTable,
                    &t.name,
                    format!("table {} is missing", t.name),
                ));
            }
            Some(o) if o.kind != ObjectKind::Table => {
                needs.migration |= is_documents;
                needs.init |= !is_documents;
                f.push(Finding::new(
                    Severity::Error,
                    Code::NotATable,
                    &o.name,
                    format!(
                        "{} is a {}, not a table; it is reported, never replaced",
                        o.name, o.kind
                    ),
                ));
            }
            Some(o) => {
                if o.name != t.name {
                    f.push(Finding::new(
                        Severity::Info,
                        Code::NameCase,
                        &o.name,
                        format!(
                            "table {} is spelled {:?} (names are case-insensitive)",
                            t.name, o.name
                        ),
                    ));
                }
                if let Some(live) = ins.live(&t.name) {
                    let n = compare_table(t, live, is_documents, f);
                    needs.init |= n.init;
                    needs.migration |= n.migration;
                }
            }
        }
        for idx in &t.indexes {
            compare_index(ins, t, idx, f, &mut needs.init);
        }
    }
    needs
}

/// Legacy and leftover objects, each a finding; whether any is legacy.
fn flagged_objects(ins: &Inspection, f: &mut Vec<Finding>) -> bool {
    let mut legacy = false;
    for o in &ins.objects {
        let rows = match &o.rows {
            RowCount::Counted(n) => format!(" ({n} rows)"),
            RowCount::Failed(e) => format!(" (rows not counted: {e})"),
            RowCount::NotCounted => String::new(),
        };
        match o.class {
            ObjectClass::Legacy => {
                legacy = true;
                f.push(Finding::new(
                    Severity::Warning,
                    Code::LegacyObject,
                    &o.name,
                    format!(
                        "legacy V2 {} {}{rows}, superseded by documents",
                        o.kind, o.name
                    ),
                ));
            }
            ObjectClass::Leftover => f.push(Finding::new(
                Severity::Warning,
                Code::LeftoverObject,
                &o.name,
                format!(
                    "leftover {} {}{rows} from an interrupted rebuild; left alone",
                    o.kind, o.name
                ),
            )),
            _ => {}
        }
    }
    legacy
}

fn version_finding(uv: i64) -> Finding {
    let spec = Spec::v3();
    if uv > spec.user_version {
        Finding::new(
            Severity::Error,
            Code::NewerStore,
            "user_version",
            format!(
                "user_version is {uv}, newer than V{}: browse only, this tool will not write it",
                spec.user_version
            ),
        )
    } else {
        Finding::new(
            Severity::Info,
            Code::UserVersion,
            "user_version",
            format!(
                "user_version is {uv}, not {} (init sets it when it changes the store)",
                spec.user_version
            ),
        )
    }
}

fn compare_index(
    ins: &Inspection,
    t: &TableSpec,
    idx: &crate::store::spec::IndexSpec,
    f: &mut Vec<Finding>,
    needs_init: &mut bool,
) {
    let on_table = ins.live(&t.name).and_then(|l| {
        l.indexes
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(&idx.name))
    });
    let anywhere = ins
        .entries
        .iter()
        .find(|e| e.kind == ObjectKind::Index && e.name.eq_ignore_ascii_case(&idx.name));
    match (on_table, anywhere) {
        (Some(live), _) => {
            if !live.matches(idx) {
                *needs_init = true;
                f.push(Finding::new(
                    Severity::Error,
                    Code::IndexDiffers,
                    &idx.name,
                    format!(
                        "index {} differs from the spec ({})",
                        idx.name,
                        idx.create_sql(&t.name)
                    ),
                ));
            }
        }
        (None, Some(e)) => {
            *needs_init = true;
            f.push(Finding::new(
                Severity::Error,
                Code::IndexDiffers,
                &idx.name,
                format!(
                    "index {} is on {}, the spec puts it on {}",
                    idx.name, e.table, t.name
                ),
            ));
        }
        (None, None) => {
            *needs_init = true;
            f.push(Finding::new(
                Severity::Error,
                Code::MissingIndex,
                &idx.name,
                format!("index {} on {} is missing", idx.name, t.name),
            ));
        }
    }
}
