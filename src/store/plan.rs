//! Inspection -> Plan: the ordered steps, each with its SQL, that a write
//! action would run. Nothing here writes.

use super::catalog::LiveTable;
use super::error::{Result, StoreError};
use super::inspect::{Inspection, State};
use super::spec::{IndexFill, IndexSpec, Spec, TableSpec, ident, literal, quote};
use rusqlite::Connection;
use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    Init,
    FoldLegacy,
}

impl PlanKind {
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::Init => "init",
            PlanKind::FoldLegacy => "fold-legacy",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub title: String,
    pub sql: String,
    #[serde(skip)]
    pub(crate) op: Op,
}

/// The plan a write action makes: `init`, or `fold-legacy` with its option.
pub fn for_action(
    conn: &Connection,
    ins: &Inspection,
    kind: PlanKind,
    keep_tables: bool,
) -> Result<Plan> {
    match kind {
        PlanKind::Init => init(conn, ins),
        PlanKind::FoldLegacy => super::fold::plan(conn, ins, keep_tables),
    }
}

/// How apply runs a step; the SQL the user sees is always `Step::sql`.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Run the step's SQL as it stands.
    Exec,
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
    /// True when the plan starts a new store at a missing path.
    pub creates_file: bool,
    /// fold-legacy: leave the V2 objects in place.
    pub keep_tables: bool,
}

impl Plan {
    pub(crate) fn new(kind: PlanKind, path: &Path) -> Plan {
        Plan {
            kind,
            path: path.to_path_buf(),
            steps: Vec::new(),
            backup: None,
            notes: Vec::new(),
            blockers: Vec::new(),
            creates_file: false,
            keep_tables: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.blockers.is_empty()
    }

    /// What must not change between showing a plan and running it.
    pub fn fingerprint(&self) -> String {
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

    fn step(&mut self, title: impl Into<String>, sql: impl Into<String>, op: Op) {
        self.steps.push(Step {
            title: title.into(),
            sql: sql.into(),
            op,
        });
    }
}

/// How many offending ids a blocker names before it just counts.
const NAME_AT_MOST: usize = 5;

/// The init plan for a store that does not exist yet.
pub fn init_new(path: &Path) -> Result<Plan> {
    let mut conn =
        Connection::open_in_memory().map_err(|e| StoreError::sqlite(path, "cannot plan", e))?;
    let ins = super::inspect::inspect(&mut conn, path, super::inspect::Counts::None)?;
    let mut plan = init(&conn, &ins)?;
    plan.creates_file = true;
    plan.backup = None;
    Ok(plan)
}

/// The init plan: create what is missing, rebuild an older `documents`.
pub fn init(conn: &Connection, ins: &Inspection) -> Result<Plan> {
    let spec = Spec::v3();
    let mut plan = Plan::new(PlanKind::Init, &ins.path);
    let err = |e| StoreError::sqlite(&ins.path, "cannot plan", e);
    if ins.is_newer() {
        plan.blockers.push(format!(
            "user_version {} is newer than V{}: this tool does not write newer stores",
            ins.facts.user_version, spec.user_version
        ));
    }
    for t in &spec.tables {
        if let Some(o) = ins.object(&t.name).filter(|o| o.kind != "table") {
            plan.blockers.push(format!(
                "{} is a {}, not a table; init will not replace it",
                o.name, o.kind
            ));
        }
    }
    if !plan.blockers.is_empty() || matches!(ins.state, State::Current | State::LegacyPresent) {
        return Ok(plan);
    }

    for t in &spec.tables {
        match ins.live(&t.name) {
            None => {
                plan.step(
                    format!("Create table {}", t.name),
                    t.create_sql(&t.name, &[]),
                    Op::Exec,
                );
                for idx in &t.indexes {
                    plan.step(
                        format!("Create index {}", idx.name),
                        idx.create_sql(&t.name),
                        Op::Exec,
                    );
                }
            }
            Some(live) if t.name == spec.documents_table && ins.state == State::NeedsMigration => {
                rebuild_documents(conn, ins, t, live, &mut plan).map_err(err)?;
            }
            Some(live) => add_missing(conn, ins, t, live, &mut plan).map_err(err)?,
        }
    }
    if !plan.steps.is_empty() && ins.facts.user_version != spec.user_version {
        plan.step(
            format!("Set user_version to {}", spec.user_version),
            format!("PRAGMA user_version = {}", spec.user_version),
            Op::Exec,
        );
    }
    if plan.steps.iter().any(|s| matches!(s.op, Op::Copy { .. })) {
        plan.backup = Some(backup_path(conn, &ins.path).map_err(err)?);
    }
    Ok(plan)
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

/// Missing columns and indexes on a spec table that is otherwise kept.
fn add_missing(
    conn: &Connection,
    ins: &Inspection,
    t: &TableSpec,
    live: &LiveTable,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    for c in &t.columns {
        if live.column(&c.name).is_none() {
            plan.step(
                format!("Add column {}.{}", t.name, c.name),
                format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    quote(&live.name),
                    c.definition()
                ),
                Op::Exec,
            );
        }
    }
    for idx in &t.indexes {
        let on_table = live
            .indexes
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(&idx.name));
        let elsewhere = ins
            .entries
            .iter()
            .find(|e| e.kind == "index" && e.name.eq_ignore_ascii_case(&idx.name));
        let matches = on_table.is_some_and(|l| l.matches(idx));
        if matches {
            continue;
        }
        if let Some(e) = elsewhere {
            plan.step(
                format!("Drop index {} (it differs from the spec)", e.name),
                format!("DROP INDEX {}", quote(&e.name)),
                Op::Exec,
            );
        }
        if idx.unique {
            let existing: Vec<&str> = idx.columns.iter().map(String::as_str).collect();
            if existing.iter().all(|c| live.column(c).is_some()) {
                let (names, count) = duplicates(conn, &live.name, &existing.join(", "))?;
                if count > 0 {
                    plan.blockers.push(format!(
                        "{} has {count} duplicate value(s) of {} (the unique index {} needs them unique): {}",
                        live.name, existing.join(", "), idx.name, names.join(", ")
                    ));
                }
            }
        }
        plan.step(
            format!("Create index {}", idx.name),
            idx.create_sql(&t.name),
            Op::Exec,
        );
    }
    Ok(())
}

/// The 12-step rebuild of an older `documents` (sqlite.org/lang_altertable.html).
fn rebuild_documents(
    conn: &Connection,
    ins: &Inspection,
    t: &TableSpec,
    live: &LiveTable,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    let old = quote(&live.name);
    let Some(id) = live.column("id") else {
        plan.blockers.push(format!(
            "{} has no id column: there is nothing to key the documents on",
            live.name
        ));
        return Ok(());
    };
    if let Some(g) = live.columns.iter().find(|c| c.hidden >= 2) {
        plan.blockers.push(format!(
            "{}.{} is a generated column; rebuild it by hand",
            live.name, g.name
        ));
        return Ok(());
    }

    // Pre-flight: ids must be present and unique before anything is written.
    let id_col = quote(&id.name);
    if !id.not_null || id.pk == 0 {
        let mut stmt = conn.prepare(&format!("SELECT rowid FROM {old} WHERE {id_col} IS NULL"))?;
        let mut rows = stmt.query([])?;
        let (mut names, mut count) = (Vec::new(), 0u64);
        while let Some(r) = rows.next()? {
            count += 1;
            if names.len() < NAME_AT_MOST {
                names.push(format!("rowid {}", r.get::<_, i64>(0)?));
            }
        }
        if count > 0 {
            plan.blockers.push(format!(
                "{count} document(s) have a NULL id: {}",
                names_with_more(names, count)
            ));
        }
    }
    let unique_id = live.indexes.iter().any(|i| {
        i.unique
            && !i.partial
            && i.columns.len() == 1
            && i.columns[0]
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("id"))
    });
    if !unique_id {
        let (names, count) = duplicates(conn, &live.name, &id_col)?;
        if count > 0 {
            plan.blockers.push(format!(
                "{count} id(s) appear more than once: {}",
                names_with_more(names, count)
            ));
        }
    }
    if !plan.blockers.is_empty() {
        return Ok(());
    }

    let rows: u64 = conn
        .query_row(&format!("SELECT count(*) FROM {old}"), [], |r| {
            r.get::<_, i64>(0)
        })?
        .try_into()
        .unwrap_or(0);
    let temp = free_name(ins, "documents_new");
    let extras: Vec<&super::catalog::LiveColumn> = live
        .columns
        .iter()
        .filter(|c| t.column(&c.name).is_none())
        .collect();
    let extra_defs: Vec<String> = extras
        .iter()
        .map(|c| {
            let mut d = quote(&c.name);
            if !c.decl_type.is_empty() {
                d.push(' ');
                d.push_str(&c.decl_type);
            }
            if c.not_null {
                d.push_str(" NOT NULL");
            }
            if let Some(def) = &c.default {
                d.push_str(&format!(" DEFAULT ({def})"));
            }
            d
        })
        .collect();
    plan.step(
        format!(
            "Create {temp} with the {} V3 columns{}",
            t.columns.len(),
            extra_note(extras.len())
        ),
        t.create_sql(&temp, &extra_defs),
        Op::Exec,
    );

    let mut targets = Vec::new();
    let mut exprs = Vec::new();
    for c in &t.columns {
        targets.push(ident(&c.name));
        exprs.push(match (live.column(&c.name), &c.fill) {
            (Some(lc), Some(fill)) => {
                let nulls: i64 = conn.query_row(
                    &format!(
                        "SELECT count(*) FROM {old} WHERE {} IS NULL",
                        quote(&lc.name)
                    ),
                    [],
                    |r| r.get(0),
                )?;
                if nulls > 0 {
                    plan.notes.push(format!(
                        "{nulls} row(s) with a NULL {} get '{fill}'",
                        c.name
                    ));
                }
                format!("coalesce({}, {})", quote(&lc.name), literal(fill))
            }
            (Some(lc), None) => quote(&lc.name),
            (None, Some(fill)) => {
                plan.notes.push(format!(
                    "{} is missing: all {rows} row(s) get '{fill}'",
                    c.name
                ));
                literal(fill)
            }
            (None, None) => "NULL".into(),
        });
    }
    for c in &extras {
        targets.push(quote(&c.name));
        exprs.push(quote(&c.name));
    }
    let by_rowid = !live.without_rowid;
    let (tcols, ecols) = if by_rowid {
        (
            format!("rowid, {}", targets.join(", ")),
            format!("rowid, {}", exprs.join(", ")),
        )
    } else {
        (targets.join(", "), exprs.join(", "))
    };
    let insert = format!("INSERT INTO {} ({tcols})", ident(&temp));
    let select = format!("SELECT {ecols} FROM {old}");
    // Most spec indexes are filled while the rows go in (see IndexFill), the
    // rest sorted after the copy. Index names are schema-wide, so the old
    // ones with those names go first.
    for e in ins.entries.iter().filter(|e| {
        e.kind == "index"
            && t.indexes
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(&e.name))
    }) {
        plan.step(
            format!("Drop the old index {}", e.name),
            format!("DROP INDEX {}", quote(&e.name)),
            Op::Exec,
        );
    }
    let (during, after): (Vec<&IndexSpec>, Vec<&IndexSpec>) = t
        .indexes
        .iter()
        .partition(|i| i.rebuild == IndexFill::DuringCopy);
    for idx in during {
        plan.step(
            format!("Create index {} on {temp}", idx.name),
            idx.create_sql(&temp),
            Op::Exec,
        );
    }
    plan.step(
        format!(
            "Copy {rows} row(s) into {temp}{}",
            if by_rowid { ", rowids kept" } else { "" }
        ),
        format!("{insert}\n{select}"),
        Op::Copy {
            insert,
            select,
            by_rowid,
            rows,
        },
    );
    for idx in after {
        plan.step(
            format!(
                "Create index {} on {temp}, sorted from the copied rows",
                idx.name
            ),
            idx.create_sql(&temp),
            Op::Exec,
        );
    }

    // Indexes and triggers go with the old table; remember them to recreate.
    let spec_index = |n: &str| t.indexes.iter().any(|i| i.name.eq_ignore_ascii_case(n));
    let kept_indexes: Vec<String> = live
        .indexes
        .iter()
        .filter(|i| i.origin == "c" && !spec_index(&i.name))
        .filter_map(|i| i.sql.clone())
        .collect();
    let triggers: Vec<String> = ins
        .entries
        .iter()
        .filter(|e| e.kind == "trigger" && e.table.eq_ignore_ascii_case(&live.name))
        .filter_map(|e| e.sql.clone())
        .collect();

    plan.step(
        format!("Drop the old {}", live.name),
        format!("DROP TABLE {old}"),
        Op::Exec,
    );
    plan.step(
        format!("Rename {temp} to {}", t.name),
        format!("ALTER TABLE {} RENAME TO {}", ident(&temp), ident(&t.name)),
        Op::Exec,
    );
    for sql in kept_indexes {
        plan.step("Recreate an index of the old table", sql, Op::Exec);
    }
    for sql in triggers {
        plan.step("Recreate a trigger of the old table", sql, Op::Exec);
    }
    plan.notes.push(
        "the old table's pages stay in the file as free space that SQLite reuses; VACUUM returns them to the disk".into(),
    );
    if ins.entries.iter().any(|e| e.kind == "view") {
        plan.notes
            .push("views are kept as they are and read the new table".into());
    }
    if let Some(sql) = &live.sql {
        let upper = sql.to_ascii_uppercase();
        let lost: Vec<&str> = ["CHECK", "UNIQUE", "REFERENCES", "COLLATE"]
            .into_iter()
            .filter(|k| upper.contains(k))
            .collect();
        if !lost.is_empty() {
            plan.notes.push(format!(
                "the old table's {} clauses are not carried over: the V3 shape replaces them",
                lost.join("/")
            ));
        }
    }

    plan.step(
        format!("Verify: {} holds {rows} row(s)", t.name),
        format!("SELECT count(*) FROM {}", ident(&t.name)),
        Op::ExpectRows {
            table: t.name.clone(),
            rows,
        },
    );
    let before: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    let before = u64::try_from(before).unwrap_or(0);
    let title = if before == 0 {
        "Verify: no foreign-key violations".to_string()
    } else {
        format!("Verify: no foreign-key violations beyond the {before} already there")
    };
    plan.step(
        title,
        "PRAGMA foreign_key_check",
        Op::ForeignKeys { before },
    );
    Ok(())
}

fn extra_note(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " and 1 extra column after them".into(),
        n => format!(" and {n} extra columns after them"),
    }
}

/// The first name from `base`, `base_2`, … that the file does not use.
fn free_name(ins: &Inspection, base: &str) -> String {
    let taken = |n: &str| ins.entries.iter().any(|e| e.name.eq_ignore_ascii_case(n));
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// Values of `cols` (SQL) that occur more than once in `table`: the first few
/// and how many.
pub(crate) fn duplicates(
    conn: &Connection,
    table: &str,
    cols: &str,
) -> rusqlite::Result<(Vec<String>, u64)> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {cols}, count(*) FROM {} WHERE ({cols}) IS NOT NULL GROUP BY {cols} HAVING count(*) > 1",
        quote(table)
    ))?;
    let mut rows = stmt.query([])?;
    let (mut names, mut count) = (Vec::new(), 0u64);
    while let Some(r) = rows.next()? {
        count += 1;
        if names.len() < NAME_AT_MOST {
            let v = super::catalog::lossy(r, 0)?.unwrap_or_default();
            names.push(format!("{v:?} ({}×)", r.get::<_, i64>(1)?));
        }
    }
    Ok((names, count))
}

fn names_with_more(names: Vec<String>, count: u64) -> String {
    let shown = names.len() as u64;
    let mut s = names.join(", ");
    if count > shown {
        s.push_str(&format!(" and {} more", count - shown));
    }
    s
}
