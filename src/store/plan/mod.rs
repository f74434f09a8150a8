//! Inspection -> Plan: the ordered steps, each with its SQL, that a write
//! action would run. Nothing here writes; `store::apply` runs a plan.

mod core;
mod fold;
mod init;
mod rebuild;
mod space;

pub(crate) use core::Op;
pub use core::{Plan, PlanKind, Space, Step, backup_path, free_path, refuses_newer};
pub use init::init_new;
pub(crate) use space::free_bytes;
pub use space::human;

use crate::store::error::Result;
use crate::store::identify::{Identity, identify};
use crate::store::inspection::inspect::{Counts, Inspection, inspect};
use crate::store::inspection::integrity::quick_check;
use crate::store::open::{WRITE_BUSY, open_for_command};
use rusqlite::Connection;
use std::path::Path;

/// The plan a write action makes: `init`, or `fold-legacy` with its option.
pub fn for_action(conn: &Connection, ins: &Inspection, kind: PlanKind) -> Result<Plan> {
    match kind {
        PlanKind::Init => init::init(conn, ins),
        PlanKind::FoldLegacy { keep_tables } => fold::plan(conn, ins, keep_tables),
    }
}

/// The plan for `kind` on the store at `path`, as the user is shown it: a
/// new store for init on a missing path; otherwise the store opened
/// read-only, `quick_check`ed (a damaged store gets no plan) and inspected.
/// It waits for another process's lock as a command does.
pub(crate) fn prepare(path: &Path, kind: PlanKind) -> Result<Plan> {
    prepare_read(path, kind).map_err(|e| e.after_waiting(WRITE_BUSY))
}

fn prepare_read(path: &Path, kind: PlanKind) -> Result<Plan> {
    if kind == PlanKind::Init && identify(path)? == Identity::Missing {
        return init_new(path);
    }
    let mut store = open_for_command(path)?;
    quick_check(&store.conn, path)?;
    let ins = inspect(&mut store.conn, path, Counts::None)?;
    let mut plan = for_action(&store.conn, &ins, kind)?;
    if plan.blockers.is_empty() {
        plan.space = space::estimate(&store.conn, &plan)
            .map_err(|e| super::StoreError::sqlite(path, "cannot measure the space needed", e))?;
    }
    Ok(plan)
}
