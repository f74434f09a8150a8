//! The init plan: create whatever V3 table, column or index is missing, and
//! rebuild an older `documents` (see `rebuild`).

use super::core::{Op, Plan, PlanKind, backup_path};
use super::rebuild::rebuild_documents;
use crate::store::error::{Result, StoreError};
use crate::store::inspection::catalog::{LiveTable, ObjectKind};
use crate::store::inspection::inspect::{Counts, Inspection, State, inspect};
use crate::store::read::sample::Sample;
use crate::store::spec::{Spec, TableSpec, quote};
use rusqlite::Connection;
use std::path::Path;

/// The init plan for a store that does not exist yet.
pub fn init_new(path: &Path) -> Result<Plan> {
    let mut conn =
        Connection::open_in_memory().map_err(|e| StoreError::sqlite(path, "cannot plan", e))?;
    let ins = inspect(&mut conn, path, Counts::None)?;
    let mut plan = init(&conn, &ins)?;
    plan.creates_file = true;
    plan.backup = None;
    Ok(plan)
}

/// The init plan: create what is missing, rebuild an older `documents`.
pub(crate) fn init(conn: &Connection, ins: &Inspection) -> Result<Plan> {
    let spec = Spec::v3();
    let mut plan = Plan::new(PlanKind::Init, &ins.path);
    let err = |e| StoreError::sqlite(&ins.path, "cannot plan", e);
    if let Some(why) = super::core::refuses_newer(ins) {
        plan.blockers.push(why);
    }
    for t in &spec.tables {
        if let Some(o) = ins.object(&t.name).filter(|o| o.kind != ObjectKind::Table) {
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
            .find(|e| e.kind == ObjectKind::Index && e.name.eq_ignore_ascii_case(&idx.name));
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
                let dups = Sample::duplicates(conn, &live.name, &existing.join(", "))?;
                if dups.count > 0 {
                    plan.blockers.push(format!(
                        "{} has {} duplicate value(s) of {} (the unique index {} needs them unique): {}",
                        live.name,
                        dups.count,
                        existing.join(", "),
                        idx.name,
                        dups.listed()
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
