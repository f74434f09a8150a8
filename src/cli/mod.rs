//! The commands: `check`, `init`, `fold-legacy` and `demo` here, `query` and
//! `export` in files of their own; their text and JSON output, confirmation
//! and exit codes. Every string that reaches the terminal passes through
//! `text::escape`.

mod change;
mod check_duckdb;
mod completions;
mod demo_cmd;
mod diff;
mod exec;
mod export;
mod fix;
mod import;
mod launch;
mod man;
mod query;
mod shared;
pub use shared::EXIT_PIPE;
mod tui_duckdb;
mod undo;

use crate::store::StoreError;
use crate::store::apply::{self, ApplyOptions, Progress};
use crate::store::cancel::Canceller;
use crate::store::identify::resolve;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::inspect::{Counts, Inspection, RowCount, inspect};
use crate::store::inspection::{checks, integrity};
use crate::store::open::{WRITE_BUSY, open_for_command, writable};
use crate::store::plan::{self, Plan, PlanKind};
use crate::store::read::export::Format;
use crate::text::{escape, escape_lines};
use anyhow::Result;
pub use change::ChangeFlags;
pub use demo_cmd::{demo, tui_demo};
pub use diff::diff;
pub use exec::exec;
pub use export::{ExportArgs, SortArg};
pub use fix::fix;
pub use import::ImportFlags;
pub use launch::{LaunchArgs, TabArg};
use shared::{EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, confirm, fail, watch_signals};
use std::ffi::OsStr;
use std::io::IsTerminal;
pub use undo::undo;

pub const DEFAULT_PATH: &str = ".egregora/pipeline.sqlite";
/// Upstream's own store, opened when no SQLite store is there (DESIGN §4).
pub const DEFAULT_DUCKDB_PATH: &str = ".egregora/pipeline.duckdb";

/// The store a command opens without PATH: the SQLite store when it
/// exists, else upstream's DuckDB store when that exists, else the SQLite
/// path (where init creates one). Says which on stderr when it is not the
/// SQLite store, or when both are there.
pub fn default_path(announce: bool) -> std::ffi::OsString {
    let sqlite = std::path::Path::new(DEFAULT_PATH);
    let duckdb = std::path::Path::new(DEFAULT_DUCKDB_PATH);
    let chosen = if sqlite.exists() || !duckdb.exists() {
        if announce && sqlite.exists() && duckdb.exists() {
            eprintln!(
                "no PATH given: opened {DEFAULT_PATH} (the SQLite store; {DEFAULT_DUCKDB_PATH} is also there)"
            );
        }
        DEFAULT_PATH
    } else {
        if announce {
            eprintln!(
                "no PATH given: opened {DEFAULT_DUCKDB_PATH} (upstream's DuckDB store; there is no {DEFAULT_PATH})"
            );
        }
        DEFAULT_DUCKDB_PATH
    };
    std::ffi::OsString::from(chosen)
}

/// Arguments clap refuses: one line on stderr (its hint folded in), exit 2;
/// help and the version are printed as clap prints them.
pub fn refuse_arguments(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind as K;
    if matches!(
        e.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
    }
    let text = e.render().to_string();
    let said: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect();
    let line = said.join(" ");
    eprintln!(
        "error: {}",
        escape(line.strip_prefix("error: ").unwrap_or(&line))
    );
    EXIT_ERROR
}

pub fn check(raw: &OsStr, json: bool, data: bool) -> u8 {
    if let Ok(path) = resolve(raw)
        && crate::store::duckdb::is_duckdb(&path)
    {
        return match check_duckdb::inspect(&path, data) {
            Ok(d) => {
                let ins = &d.inspection;
                let ok = ins.ok(d.data.as_deref());
                if json {
                    let mut doc = check_json_body(ins, d.data.as_deref(), ok);
                    doc["file"] = check_duckdb::file_json(&d);
                    println!("{doc}");
                } else {
                    println!("store    {}", escape(&ins.path.to_string_lossy()));
                    println!("state    {}", ins.state.label());
                    println!("{}", check_duckdb::file_lines(&d));
                    print_check_body(ins, d.data.as_deref());
                }
                if ok { EXIT_OK } else { EXIT_PROBLEMS }
            }
            Err(e) => fail(&e, json),
        };
    }
    match run_check(raw, data) {
        Ok((ins, data_findings)) => {
            let ok = ins.ok(data_findings.as_deref());
            if json {
                println!("{}", check_json(&ins, data_findings.as_deref(), ok));
            } else {
                print_check(&ins, data_findings.as_deref());
            }
            if ok { EXIT_OK } else { EXIT_PROBLEMS }
        }
        Err(e) => fail(&e, json),
    }
}

fn run_check(raw: &OsStr, data: bool) -> Result<(Inspection, Option<Vec<Finding>>)> {
    let path = resolve(raw)?;
    // A lock met after opening was waited for as long as the opening did.
    let waited = |e: StoreError| e.after_waiting(WRITE_BUSY);
    let mut store = open_for_command(&path)?;
    integrity::quick_check(&store.conn, &path).map_err(waited)?;
    let ins = inspect(&mut store.conn, &path, Counts::All).map_err(waited)?;
    let data = if data {
        Some(checks::run(&store.conn, &ins).map_err(waited)?)
    } else {
        None
    };
    Ok((ins, data))
}

fn print_check(ins: &Inspection, data: Option<&[Finding]>) {
    let f = &ins.facts;
    println!("store    {}", escape(&ins.path.to_string_lossy()));
    println!("state    {}", ins.state.label());
    println!(
        "file     {} bytes, SQLite {}, page size {}, {} pages, journal {}, user_version {}",
        f.size_bytes,
        f.sqlite_version,
        f.page_size,
        f.page_count,
        escape(&f.journal_mode),
        f.user_version
    );
    print_check_body(ins, data);
}

/// The findings, data checks and objects of a check report.
fn print_check_body(ins: &Inspection, data: Option<&[Finding]>) {
    let print_findings = |title: &str, list: &[Finding]| {
        println!("\n{title}");
        if list.is_empty() {
            println!("  none");
        }
        for x in list {
            let rule = x
                .rule
                .as_ref()
                .map(|r| format!("{r}: "))
                .unwrap_or_default();
            println!(
                "  {:<8} {:<20} {}{}",
                x.severity.label(),
                x.code.label(),
                escape(&rule),
                escape(&x.message)
            );
            if !x.ids.is_empty() {
                let ids: Vec<String> = x.ids.iter().map(|i| escape(i).into_owned()).collect();
                println!("  {:<29} ids: {}", "", ids.join(" "));
            }
        }
    };
    print_findings("findings", &ins.findings);
    if let Some(d) = data {
        print_findings("data checks", d);
    }
    println!("\nobjects");
    if ins.objects.is_empty() {
        println!("  none");
    }
    let width = ins
        .objects
        .iter()
        .map(|o| escape(&o.name).chars().count())
        .max()
        .unwrap_or(0);
    for o in &ins.objects {
        let rows = match &o.rows {
            RowCount::Counted(n) => format!("{n} rows"),
            RowCount::NotCounted => "-".into(),
            RowCount::Failed(e) => format!("rows not counted: {}", escape(e)),
        };
        println!(
            "  {:<13} {:<width$}  {:<8} {}",
            o.kind,
            escape(&o.name),
            o.class.label(),
            rows
        );
    }
}

/// The `check --json` document; its shape is documented in the README.
fn check_json(ins: &Inspection, data: Option<&[Finding]>, ok: bool) -> serde_json::Value {
    let mut doc = check_json_body(ins, data, ok);
    doc["file"] = serde_json::json!(ins.facts);
    doc
}

/// Every field of `check --json` but `file`.
fn check_json_body(ins: &Inspection, data: Option<&[Finding]>, ok: bool) -> serde_json::Value {
    let objects: Vec<serde_json::Value> = ins
        .objects
        .iter()
        .map(|o| {
            serde_json::json!({
                "name": o.name,
                "type": o.kind,
                "kind": o.class,
                "rows": o.rows.as_option(),
            })
        })
        .collect();
    serde_json::json!({
        "path": ins.path.to_string_lossy(),
        "state": ins.state,
        "ok": ok,
        "findings": ins.findings,
        "data_checks": data,
        "objects": objects,
    })
}

#[derive(Debug, Clone, Copy)]
pub struct WriteFlags {
    pub dry_run: bool,
    pub yes: bool,
    pub backup: bool,
    /// The plan (with --dry-run) and the outcome as JSON on stdout.
    pub json: bool,
}

pub fn init(raw: &OsStr, flags: WriteFlags) -> u8 {
    match run_write(raw, PlanKind::Init, flags) {
        Ok(code) => code,
        Err(e) => fail(&e, flags.json),
    }
}

pub fn fold_legacy(raw: &OsStr, keep_tables: bool, flags: WriteFlags) -> u8 {
    match run_write(raw, PlanKind::FoldLegacy { keep_tables }, flags) {
        Ok(code) => code,
        Err(e) => fail(&e, flags.json),
    }
}

fn run_write(raw: &OsStr, kind: PlanKind, flags: WriteFlags) -> Result<u8> {
    let path = resolve(raw)?;
    let mut plan = plan::prepare(&path, kind)?;
    plan.weigh_space(flags.backup);
    run_plan(plan, flags)
}

/// Shows a plan, asks (or not), runs it with progress and cancellation.
fn run_plan(plan: Plan, flags: WriteFlags) -> Result<u8> {
    if flags.json && (flags.dry_run || !plan.blockers.is_empty() || plan.steps.is_empty()) {
        // The plan as data; a blocked one is also the command's failure.
        if plan.blockers.is_empty() {
            println!("{}", serde_json::to_string_pretty(&plan)?);
            return Ok(EXIT_OK);
        }
        return Err(StoreError::Blocked(plan.blockers).into());
    }
    if !plan.blockers.is_empty() {
        print_plan(&plan, flags);
        return Err(StoreError::Blocked(plan.blockers).into());
    }
    if plan.steps.is_empty() {
        println!(
            "nothing to do: {} is current",
            escape(&plan.path.to_string_lossy())
        );
        return Ok(EXIT_OK);
    }
    if !flags.json {
        print_plan(&plan, flags);
    }
    if flags.dry_run {
        println!("dry run: nothing was written");
        return Ok(EXIT_OK);
    }
    writable(&plan.path).map_err(|reason| StoreError::ReadOnly {
        path: plan.path.clone(),
        reason,
    })?;
    if !flags.yes && (flags.json || !confirm()?) {
        if flags.json {
            return Err(StoreError::Refused(
                "refusing to write without --yes: nothing was written".into(),
            )
            .into());
        }
        println!("not applied: nothing was written");
        return Ok(EXIT_ERROR);
    }
    let cancel = Canceller::new();
    let signals = watch_signals(&cancel)?;
    let mut reporter = ProgressLine::new();
    let result = apply::apply(
        &plan,
        ApplyOptions {
            backup: flags.backup,
        },
        &cancel,
        &mut |p| reporter.show(p),
    );
    reporter.finish();
    signals.close();
    let outcome = result?;
    if flags.json {
        println!(
            "{}",
            serde_json::json!({
                "ok": true,
                "steps_run": outcome.steps_run,
                "state": outcome.after.state,
                "backup": outcome.backup,
            })
        );
        return Ok(EXIT_OK);
    }
    println!(
        "done: {} step(s) applied; {} is now {}",
        outcome.steps_run,
        escape(&outcome.after.path.to_string_lossy()),
        outcome.after.state.label()
    );
    if let Some(b) = &outcome.backup {
        println!("backup: {}", escape(&b.to_string_lossy()));
    }
    Ok(EXIT_OK)
}

fn print_plan(plan: &Plan, flags: WriteFlags) {
    let what = if plan.creates_file {
        " (a new store)"
    } else {
        ""
    };
    println!("store    {}{what}", escape(&plan.path.to_string_lossy()));
    println!(
        "plan     {}: {} step(s), one transaction\n",
        plan.kind.label(),
        plan.steps.len()
    );
    for (i, s) in plan.steps.iter().enumerate() {
        println!("{:>3}. {}", i + 1, escape(&s.title));
        for line in escape_lines(&s.sql).lines() {
            println!("       {line}");
        }
    }
    for n in &plan.notes {
        println!("note: {}", escape(n));
    }
    for b in &plan.blockers {
        println!("blocked: {}", escape(b));
    }
    match (&plan.backup, flags.backup) {
        (Some(b), true) => println!(
            "backup: {} (before any change)",
            escape(&b.to_string_lossy())
        ),
        (Some(_), false) => println!("backup: none (--no-backup)"),
        (None, _) => {}
    }
    if let Some(s) = &plan.space {
        println!(
            "space: about {} needed, {} free",
            plan::human(s.needed_bytes),
            plan::human(s.free_bytes)
        );
    }
    println!();
}

/// Progress on stderr: one updating line on a terminal, plain lines otherwise.
struct ProgressLine {
    tty: bool,
    dirty: bool,
}

impl ProgressLine {
    fn new() -> Self {
        ProgressLine {
            tty: std::io::stderr().is_terminal(),
            dirty: false,
        }
    }

    fn show(&mut self, p: &Progress) {
        let rows = if p.total > 0 {
            format!(" ({}/{} rows)", p.done, p.total)
        } else {
            String::new()
        };
        // Step 0 is the backup, whose title says so.
        let line = if p.step == 0 {
            format!("{}{rows}", escape(&p.title))
        } else {
            format!("step {}/{}: {}{rows}", p.step, p.steps, escape(&p.title))
        };
        if self.tty {
            eprint!("\r\x1b[2K{line}");
            self.dirty = true;
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&mut self) {
        if self.dirty {
            eprintln!();
        }
    }
}

/// `export`: the documents as the Documents tab would list them.
pub fn export(raw: &OsStr, args: ExportArgs) -> u8 {
    let run = || -> Result<export::Ended> {
        let path = resolve(raw)?;
        export::run(&path, args)
    };
    match run() {
        Ok(export::Ended::Done) => EXIT_OK,
        Ok(export::Ended::ReaderGone) => EXIT_PIPE,
        Err(e) => fail(&e, false),
    }
}

/// `query`: one read-only statement, its rows streamed to stdout.
pub fn query(raw: &OsStr, sql: &str, format: Option<Format>) -> u8 {
    let run = || -> Result<export::Ended> {
        let path = resolve(raw)?;
        query::run(&path, sql, format)
    };
    match run() {
        Ok(export::Ended::Done) => EXIT_OK,
        Ok(export::Ended::ReaderGone) => EXIT_PIPE,
        Err(e) => fail(&e, false),
    }
}

/// `completions SHELL`: the shell's completion script for `cmd` on stdout.
pub fn completions(cmd: clap::Command, shell: clap_complete::Shell) -> u8 {
    print_generated(|out| completions::write(cmd, shell, out))
}

/// `man`: the manual page for `cmd`, as roff, on stdout.
pub fn man(cmd: clap::Command) -> u8 {
    print_generated(|out| man::write(cmd, out))
}

/// Prints what `write` makes on stdout; a reader that stops early
/// (`| head`) has what it asked for, so that is no error.
fn print_generated(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> u8 {
    match write(&mut std::io::stdout().lock()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_PIPE,
        Err(e) => fail(
            &anyhow::Error::new(e).context("cannot write to stdout"),
            false,
        ),
    }
}

/// `import SOURCE.duckdb [DEST]`: a new V3 store from upstream's.
pub fn import(source: &OsStr, dest: Option<&OsStr>, flags: ImportFlags) -> u8 {
    match import::run(source, dest, flags) {
        Ok(true) => EXIT_OK,
        Ok(false) => EXIT_ERROR,
        Err(e) => fail(&e, flags.json),
    }
}

/// `--print-config`: the config in force, as a file that would give it.
pub fn print_config() -> u8 {
    let run = || -> Result<String> {
        let file = crate::tui::config::path()?;
        let c = crate::tui::config::load()?;
        Ok(crate::tui::config::print(&c, &file))
    };
    match run() {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(e) => fail(&e, false),
    }
}

pub fn tui(raw: &OsStr, launch: Option<crate::tui::app::Launch>) -> u8 {
    let run = || -> Result<()> {
        let path = resolve(raw)?;
        let mut app = if crate::store::duckdb::is_duckdb(&path) {
            tui_duckdb::prepare(&path)?
        } else {
            crate::tui::app::App::new(path)
        };
        app.launch = launch;
        crate::tui::run_app(app)
    };
    match run() {
        Ok(()) => EXIT_OK,
        Err(e) => fail(&e, false),
    }
}
