//! `check` on a DuckDB file: its catalog laid out as SQLite tables through
//! the type map (DESIGN §9), judged by the same inspection as an SQLite
//! store; the data checks run on a scratch copy of `documents` and `tasks`,
//! so their codes, counts and ids are the SQLite checks' own.

use crate::store::cancel::Canceller;
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::catalog::{self, DuckCatalog, DuckTable, TableRows, sqlite_type};
use crate::store::duckdb::values::read_column;
use crate::store::error::{Result, StoreError};
use crate::store::inspection::finding::{Code, Finding, Severity};
use crate::store::inspection::inspect::{Counts, Inspection, RowCount, State, inspect};
use crate::store::spec::{ObjectClass, Spec, quote};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// A DuckDB file judged against the V3 spec.
#[derive(Debug, Clone)]
pub struct DuckInspection {
    pub store: DuckStore,
    pub inspection: Inspection,
    /// The data checks' findings, when they were asked for.
    pub data: Option<Vec<Finding>>,
}

/// Judges `store`'s shape; with `data`, also scans `documents` and `tasks`
/// (stopped by `cancel`).
pub fn inspect_duckdb(store: &DuckStore, data: bool, cancel: &Canceller) -> Result<DuckInspection> {
    let (cat, counts) = catalog::read(&store.shell, &store.path)?;
    let scratch = Scratch::new()?;
    let mut conn = Connection::open(&scratch.path)
        .map_err(|e| StoreError::sqlite(&scratch.path, "cannot make a scratch store", e))?;
    let err = |e| StoreError::sqlite(&store.path, "cannot lay out the DuckDB catalog", e);
    conn.execute_batch(&layout_sql(&cat)).map_err(err)?;
    let mut ins = inspect(&mut conn, &scratch.path, Counts::None)?;
    ins.path = store.path.clone();
    ins.facts.size_bytes = std::fs::metadata(&store.path).map_or(0, |m| m.len());
    for o in &mut ins.objects {
        if let Some(c) = counts.iter().find(|c| c.name.eq_ignore_ascii_case(&o.name)) {
            o.rows = RowCount::Counted(c.rows);
        }
    }
    upstream_view(&mut ins, &cat);
    let data = if data {
        Some(data_checks(store, &cat, &counts, &conn, &ins, cancel)?)
    } else {
        None
    };
    Ok(DuckInspection {
        store: store.clone(),
        inspection: ins,
        data,
    })
}

/// The catalog as SQLite DDL: each table with its columns in SQLite's
/// types, NOT NULL and primary key as DuckDB declares them, and its indexes.
fn layout_sql(cat: &DuckCatalog) -> String {
    let mut sql = String::new();
    for t in &cat.tables {
        let mut defs: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let nn = if c.not_null { " NOT NULL" } else { "" };
                format!("{} {}{nn}", quote(&c.name), sqlite_type(&c.duck_type))
            })
            .collect();
        if !t.primary_key.is_empty() {
            let pk: Vec<String> = t.primary_key.iter().map(|c| quote(c)).collect();
            defs.push(format!("PRIMARY KEY ({})", pk.join(", ")));
        }
        sql.push_str(&format!(
            "CREATE TABLE {} ({});\n",
            quote(&t.name),
            defs.join(", ")
        ));
        for i in &t.indexes {
            let cols: Vec<String> = i.columns.iter().map(|c| quote(c)).collect();
            sql.push_str(&format!(
                "CREATE {}INDEX {} ON {} ({});\n",
                if i.unique { "UNIQUE " } else { "" },
                quote(&i.name),
                quote(&t.name),
                cols.join(", ")
            ));
        }
    }
    for v in &cat.views {
        // Its DuckDB SQL means nothing to SQLite: only its name is listed.
        sql.push_str(&format!("CREATE VIEW {} AS SELECT NULL;\n", quote(v)));
    }
    sql
}

/// What differs for upstream's store: its tables are upstream's (its
/// `annotations` is live, not legacy), it has no version marker, and its
/// DDL leaves NOT NULL off columns the spec wants filled (their NULLs are
/// the data checks' to find).
fn upstream_view(ins: &mut Inspection, cat: &DuckCatalog) {
    let spec = Spec::v3();
    for o in &mut ins.objects {
        if spec
            .upstream_tables
            .iter()
            .any(|u| u.eq_ignore_ascii_case(&o.name))
        {
            o.class = ObjectClass::Upstream;
        }
    }
    ins.findings.retain(|f| {
        !(f.code == Code::UserVersion
            || f.code == Code::LegacyObject
                && spec
                    .upstream_tables
                    .iter()
                    .any(|u| u.eq_ignore_ascii_case(&f.object)))
    });
    for f in &mut ins.findings {
        upstream_shape(f);
        if f.code == Code::NoStore {
            f.message = "the DuckDB file holds no tables (egregora's pipeline creates them)".into();
        }
    }
    if let Some(f) = empty_documents(ins, cat) {
        ins.findings.push(f);
    }
    ins.state = state(ins);
    ins.findings.sort_by_key(|x| std::cmp::Reverse(x.severity));
}

/// Upstream's DDL is stricter than the spec on some columns and looser on
/// others; neither is a fault of its store, both are worth knowing.
fn upstream_shape(f: &mut Finding) {
    let table_keyless = |object: &str| {
        let table = object.split('.').next().unwrap_or_default();
        Spec::v3()
            .table(table)
            .is_some_and(|t| t.columns.iter().all(|c| !c.primary_key))
    };
    let note = match f.code {
        Code::NotNullMismatch if f.message.ends_with("the spec says NOT NULL") => {
            "upstream's DDL leaves NOT NULL off; check --data counts the NULLs"
        }
        Code::NotNullMismatch => "upstream's DDL is stricter here",
        Code::PrimaryKeyDiffers if table_keyless(&f.object) => {
            f.message = format!(
                "column {} is upstream's primary key; the spec gives its table none",
                f.object
            );
            "upstream's DDL is stricter here"
        }
        _ => return,
    };
    f.severity = Severity::Info;
    f.message = format!("{} ({note})", f.message);
}

/// The state the remaining findings give.
fn state(ins: &Inspection) -> State {
    if ins.state == State::NoStore {
        return State::NoStore;
    }
    let errors = ins
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error);
    let mut init = false;
    for f in errors {
        let on_documents = f.object == "documents" || f.object.starts_with("documents.");
        if on_documents && f.code != Code::MissingTable && f.code != Code::MissingIndex {
            return State::NeedsMigration;
        }
        init = true;
    }
    if init {
        State::NeedsInit
    } else {
        State::Current
    }
}

/// An empty `documents` beside upstream tables that hold rows is how
/// today's pipeline leaves a store: said as such, never "empty".
fn empty_documents(ins: &Inspection, cat: &DuckCatalog) -> Option<Finding> {
    let rows = |name: &str| {
        ins.object(name)
            .and_then(|o| o.rows.as_option())
            .unwrap_or(0)
    };
    cat.table("documents")?;
    if rows("documents") > 0 {
        return None;
    }
    let full: Vec<String> = ["messages", "tasks", "annotations"]
        .iter()
        .filter(|t| rows(t) > 0)
        .map(|t| format!("{t} ({} rows)", rows(t)))
        .collect();
    if full.is_empty() {
        return None;
    }
    Some(Finding::new(
        Severity::Info,
        Code::EmptyDocuments,
        "documents",
        format!(
            "documents is empty beside {}: the pipeline has not written documents here yet (its current code writes none)",
            full.join(", ")
        ),
    ))
}

/// The SQLite data checks, on `documents` and `tasks` copied as they are
/// (NULLs kept) into the scratch store.
fn data_checks(
    store: &DuckStore,
    cat: &DuckCatalog,
    counts: &[TableRows],
    conn: &Connection,
    ins: &Inspection,
    cancel: &Canceller,
) -> Result<Vec<Finding>> {
    for name in [Spec::v3().documents_table.as_str(), "tasks"] {
        let Some(t) = cat.table(name) else { continue };
        let last = counts
            .iter()
            .find(|c| c.name == t.name)
            .map_or(-1, |c| c.last_rowid);
        copy_as_is(store, conn, t, last, cancel)?;
    }
    let mut findings = crate::store::inspection::checks::run(conn, ins)?;
    for f in &mut findings {
        if f.code == Code::InvalidMediaType {
            f.message
                .push_str(" (a NULL media_type counts here, though upstream's CHECK lets it pass)");
        }
    }
    Ok(findings)
}

fn copy_as_is(
    store: &DuckStore,
    conn: &Connection,
    t: &DuckTable,
    last_rowid: i64,
    cancel: &Canceller,
) -> Result<()> {
    let columns: Vec<_> = t
        .columns
        .iter()
        .map(|c| read_column(&c.name, &c.duck_type, None))
        .collect();
    let err = |e| StoreError::sqlite(&store.path, "cannot copy rows to check", e);
    conn.execute_batch("BEGIN").map_err(err)?;
    crate::store::duckdb::copy::copy_table(
        store,
        conn,
        &t.name,
        &columns,
        last_rowid,
        cancel,
        &mut |_| {},
    )?;
    conn.execute_batch("COMMIT").map_err(err)
}

/// A scratch SQLite file in the temporary folder, removed when dropped.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Result<Scratch> {
        let dir = std::env::temp_dir();
        for n in 0..1000u32 {
            let path = dir.join(format!(
                "egregora-inspect-check-{}-{n}.sqlite",
                std::process::id()
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Scratch { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(StoreError::io("cannot make a scratch store", e)),
            }
        }
        Err(StoreError::Refused(format!(
            "cannot find a free scratch name in {}",
            dir.display()
        )))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let mut j = self.path.as_os_str().to_owned();
        j.push("-journal");
        let _ = std::fs::remove_file(Path::new(&j));
    }
}
