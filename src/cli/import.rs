//! `import SOURCE.duckdb [DEST]`: the plan first, then a new V3 store
//! written from upstream's DuckDB store, with progress and cancel.

use super::shared::{confirm, watch_signals};
use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::duckdb::DuckStore;
use crate::store::duckdb::import::{self, ImportPlan, ImportProgress};
use crate::store::identify::{identify, resolve};
use crate::store::plan::human;
use crate::text::escape;
use anyhow::Result;
use std::ffi::OsStr;
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub struct ImportFlags {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
}

/// Ok(false) when the user said no: nothing was written.
pub fn run(source: &OsStr, dest: Option<&OsStr>, flags: ImportFlags) -> Result<bool> {
    let source = resolve(source)?;
    let id = identify(&source)?;
    if !matches!(id, crate::store::identify::Identity::DuckDb { .. }) {
        if id == crate::store::identify::Identity::Missing {
            id.require_openable(&source)?;
        }
        return Err(StoreError::Refused(format!(
            "{} is {}, not a DuckDB store: import reads upstream's DuckDB stores",
            source.display(),
            id.describe()
        ))
        .into());
    }
    let store = DuckStore::open(&source)?;
    let dest = dest.map(resolve).transpose()?;
    let plan = import::plan(&store, dest.as_deref())?;
    if flags.json && (flags.dry_run || !plan.blockers.is_empty()) {
        if !plan.blockers.is_empty() {
            return Err(StoreError::Blocked(plan.blockers).into());
        }
        println!("{}", serde_json::to_string_pretty(&plan)?);
        return Ok(true);
    }
    if !flags.json {
        print_plan(&plan, &store);
    }
    if !plan.blockers.is_empty() {
        return Err(StoreError::Blocked(plan.blockers).into());
    }
    if flags.dry_run {
        println!("dry run: nothing was written");
        return Ok(true);
    }
    if !flags.yes && (flags.json || !confirm()?) {
        if flags.json {
            anyhow::bail!("refusing to write without --yes: nothing was written");
        }
        println!("not imported: nothing was written");
        return Ok(false);
    }
    let cancel = Canceller::new();
    let signals = watch_signals(&cancel)?;
    let mut line = Line::new();
    let result = import::run(&plan, &store, &cancel, &mut |p| line.show(p));
    line.finish();
    signals.close();
    let outcome = match result {
        Err(StoreError::Cancelled) => anyhow::bail!(
            "cancelled: no store was written at {} (the partial copy was removed; the source is untouched)",
            plan.dest.display()
        ),
        other => other?,
    };
    if flags.json {
        let tables: serde_json::Map<String, serde_json::Value> = outcome
            .tables
            .iter()
            .map(|(t, n)| (t.clone(), serde_json::json!(n)))
            .collect();
        println!(
            "{}",
            serde_json::json!({"ok": true, "dest": outcome.dest, "rows": outcome.rows, "tables": tables})
        );
    } else {
        println!(
            "done: {} rows of {} tables in {}, verified value for value; it is a V3 store",
            outcome.rows,
            outcome.tables.len(),
            escape(&outcome.dest.to_string_lossy())
        );
    }
    Ok(true)
}

fn print_plan(plan: &ImportPlan, store: &DuckStore) {
    println!(
        "source   {} ({})",
        escape(&plan.source.to_string_lossy()),
        escape(&store.describe())
    );
    println!(
        "dest     {} (a new V3 store)",
        escape(&plan.dest.to_string_lossy())
    );
    println!(
        "plan     import: {} tables, {} rows, one transaction, verified before it takes DEST's name\n",
        plan.tables.len(),
        plan.total_rows()
    );
    let width = plan.tables.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &plan.tables {
        let how = match (t.spec, t.in_source) {
            (true, true) => "in the spec's shape",
            (true, false) => "created empty (not in the source)",
            (false, _) => "with its own columns",
        };
        println!("  {:<width$}  {:>10} rows  {how}", escape(&t.name), t.rows);
    }
    println!(
        "  with {} index(es) of the spec; then user_version = 3",
        plan.tables.iter().map(|t| t.indexes.len()).sum::<usize>()
    );
    for n in &plan.notes {
        println!("note: {}", escape(n));
    }
    for b in &plan.blockers {
        println!("blocked: {}", escape(b));
    }
    match plan.space_free {
        Some(free) => println!(
            "space: about {} needed, {} free",
            human(plan.space_needed),
            human(free)
        ),
        None => println!("space: about {} needed", human(plan.space_needed)),
    }
    println!();
}

/// Progress on stderr: one updating line on a terminal, a line per table
/// otherwise.
struct Line {
    tty: bool,
    dirty: bool,
    last: String,
}

impl Line {
    fn new() -> Self {
        Line {
            tty: std::io::stderr().is_terminal(),
            dirty: false,
            last: String::new(),
        }
    }

    fn show(&mut self, p: &ImportProgress) {
        let text = format!(
            "{} {}: {}/{} rows",
            p.phase,
            escape(&p.table),
            p.done,
            p.total
        );
        if self.tty {
            eprint!("\r\x1b[2K{text}");
            self.dirty = true;
        } else {
            let key = format!("{} {}", p.phase, p.table);
            if key != self.last {
                eprintln!("{} {}", p.phase, escape(&p.table));
                self.last = key;
            }
        }
    }

    fn finish(&mut self) {
        if self.dirty {
            eprintln!();
        }
    }
}
