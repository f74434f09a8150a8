//! Argument parsing and dispatch to the CLI commands or the TUI.

#![forbid(unsafe_code)]

use clap::{CommandFactory, Parser, Subcommand};
use egregora_inspect::cli::SortArg;
use egregora_inspect::store::read::export::Format;
use std::ffi::OsString;
use std::process::ExitCode;

/// Inspect, initialize and migrate the egregora V3 store.
#[derive(Parser)]
#[command(
    name = "egregora-inspect",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// The store (default: .egregora/pipeline.sqlite, else .egregora/pipeline.duckdb)
    path: Option<OsString>,
    /// Write a demo store with legacy tables to a temporary folder and open it
    #[arg(long, conflicts_with = "path")]
    demo: bool,
    /// Print the config in force (keys and theme) as a config.toml, and exit
    #[arg(long, conflicts_with_all = ["path", "demo", "tab", "table", "sql", "search"])]
    print_config: bool,
    #[command(flatten)]
    launch: egregora_inspect::cli::LaunchArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Report the store's state against the V3 spec (exit 0 ok, 1 problems, 2 error)
    Check {
        /// The store (default: .egregora/pipeline.sqlite, else .egregora/pipeline.duckdb)
        path: Option<OsString>,
        /// Print JSON (see README for the shape)
        #[arg(long)]
        json: bool,
        /// Also scan the rows: NULL or duplicate ids, unknown doc_type, invalid JSON
        #[arg(long)]
        data: bool,
    },
    /// Create what is missing and rebuild an older documents table, after a plan
    Init {
        /// The store (default: .egregora/pipeline.sqlite; created when missing)
        path: Option<OsString>,
        /// Print the plan and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Apply without asking
        #[arg(long)]
        yes: bool,
        /// Skip the VACUUM INTO backup before a rebuild
        #[arg(long)]
        no_backup: bool,
        /// Print JSON: the plan with --dry-run, else the outcome; errors too
        #[arg(long)]
        json: bool,
    },
    /// Copy the V2 legacy tables' rows into documents, then drop the V2 objects, after a plan
    FoldLegacy {
        /// The store (default: .egregora/pipeline.sqlite, else .egregora/pipeline.duckdb)
        path: Option<OsString>,
        /// Print the plan and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Apply without asking
        #[arg(long)]
        yes: bool,
        /// Keep the V2 tables and documents_view after copying their rows
        #[arg(long)]
        keep_tables: bool,
        /// Skip the VACUUM INTO backup before the tables are dropped
        #[arg(long)]
        no_backup: bool,
        /// Print JSON: the plan with --dry-run, else the outcome; errors too
        #[arg(long)]
        json: bool,
    },
    /// Stream the documents as the Documents tab lists them, as CSV, JSON, NDJSON or a table
    Export {
        /// The store (default: .egregora/pipeline.sqlite, else .egregora/pipeline.duckdb)
        path: Option<OsString>,
        /// The format (default: picked by -o's extension, else csv)
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to this new file (never over an existing one) instead of stdout
        #[arg(short, long)]
        output: Option<std::path::PathBuf>,
        /// Only documents of this doc_type (repeat for several)
        #[arg(long = "type", value_name = "T")]
        types: Vec<String>,
        /// Only documents with this status (repeat for several)
        #[arg(long = "status", value_name = "S")]
        statuses: Vec<String>,
        /// Only documents whose id, slug, title or content contains WORD
        #[arg(long, value_name = "WORD")]
        search: Option<String>,
        /// The order: `inserted` or any column of documents; :desc for the reverse
        #[arg(long, value_name = "COL[:desc]")]
        sort: Option<SortArg>,
        /// The columns, in order (default: every column)
        #[arg(long, value_name = "a,b,...")]
        columns: Option<String>,
    },
    /// Run one read-only SQL statement and stream its rows
    Query {
        /// The store (default: .egregora/pipeline.sqlite, else .egregora/pipeline.duckdb)
        path: Option<OsString>,
        /// The statement (one; only reading is allowed); - reads it from stdin
        #[arg(long)]
        sql: String,
        /// The format (default: table)
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Run one INSERT, UPDATE or DELETE after a preview of the rows it changes; undoable
    Exec {
        /// The store (default: .egregora/pipeline.sqlite)
        path: Option<OsString>,
        /// The statement; - reads it from stdin
        #[arg(long)]
        sql: String,
        #[command(flatten)]
        flags: ChangeArgs,
    },
    /// Repair what a data rule can repair by itself; list what needs a person
    Fix {
        /// The store (default: .egregora/pipeline.sqlite)
        path: Option<OsString>,
        /// Only this finding code (repeat for several): missing-field, null-doc-type, null-status
        #[arg(long, value_name = "CODE")]
        only: Vec<String>,
        #[command(flatten)]
        flags: ChangeArgs,
    },
    /// Take back the newest change (or the one --file names); --list shows them
    Undo {
        /// The store (default: .egregora/pipeline.sqlite)
        path: Option<OsString>,
        /// List the undo files beside the store, newest first
        #[arg(long)]
        list: bool,
        /// The undo file to apply (default: the newest)
        #[arg(long, value_name = "FILE")]
        file: Option<std::path::PathBuf>,
        #[command(flatten)]
        flags: ChangeArgs,
    },
    /// Compare two stores row by row (exit 0 same, 1 different, 2 error)
    Diff {
        /// The store before
        old: OsString,
        /// The store after
        new: OsString,
        /// Only this table (repeat for several)
        #[arg(long = "table", value_name = "T")]
        tables: Vec<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Copy upstream's DuckDB store into a new V3 SQLite store, after a plan
    Import {
        /// Upstream's DuckDB store (read through the duckdb shell, never written)
        source: OsString,
        /// The new store (default: SOURCE's folder and stem with .sqlite; never over a file)
        dest: Option<OsString>,
        /// Print the plan and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import without asking
        #[arg(long)]
        yes: bool,
        /// Print JSON: the plan with --dry-run, else the outcome; errors too
        #[arg(long)]
        json: bool,
    },
    /// Write a sample store with documents of every doc_type
    Demo {
        /// Where to write it (default: a new temporary folder; never over a file)
        path: Option<OsString>,
        /// How many documents
        #[arg(long, default_value_t = 300)]
        docs: u64,
        /// Add the V2 legacy tables, with rows
        #[arg(long)]
        legacy: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): egregora-inspect man | man -l -
    Man,
}

/// The flags of exec, fix and undo.
#[derive(clap::Args)]
struct ChangeArgs {
    /// Print the preview and write nothing
    #[arg(long)]
    dry_run: bool,
    /// Apply without asking
    #[arg(long)]
    yes: bool,
    /// Print JSON: the preview with every change (--dry-run), else the outcome; errors too
    #[arg(long)]
    json: bool,
}

impl ChangeArgs {
    fn flags(&self) -> egregora_inspect::cli::ChangeFlags {
        egregora_inspect::cli::ChangeFlags {
            dry_run: self.dry_run,
            yes: self.yes,
            json: self.json,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(egregora_inspect::cli::refuse_arguments(&e)),
    };
    // A reader that stops early (`| head`) closes the pipe, and printing
    // then fails: that is the reader's choice, not an error, so the command
    // ends there quietly, with the code of a tool SIGPIPE ended.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !closed_pipe(info.payload()) {
            default(info);
        }
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli))) {
        Ok(code) => ExitCode::from(code),
        Err(p) if closed_pipe(&*p) => ExitCode::from(egregora_inspect::cli::EXIT_PIPE),
        Err(p) => std::panic::resume_unwind(p),
    }
}

/// Whether a panic is std's "failed printing to stdout" on a closed pipe.
fn closed_pipe(payload: &(dyn std::any::Any + Send)) -> bool {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    text.starts_with("failed printing to stdout") && text.contains("os error 32")
}

/// The command asked for, run; its exit code.
fn run(cli: Cli) -> u8 {
    let path = |p: Option<OsString>| p.unwrap_or_else(|| egregora_inspect::cli::default_path(true));
    match cli.command {
        Some(Command::Check {
            path: p,
            json,
            data,
        }) => egregora_inspect::cli::check(&path(p), json, data),
        Some(Command::Init {
            path: p,
            dry_run,
            yes,
            no_backup,
            json,
        }) => egregora_inspect::cli::init(
            &path(p),
            egregora_inspect::cli::WriteFlags {
                dry_run,
                yes,
                backup: !no_backup,
                json,
            },
        ),
        Some(Command::FoldLegacy {
            path: p,
            dry_run,
            yes,
            keep_tables,
            no_backup,
            json,
        }) => egregora_inspect::cli::fold_legacy(
            &path(p),
            keep_tables,
            egregora_inspect::cli::WriteFlags {
                dry_run,
                yes,
                backup: !no_backup,
                json,
            },
        ),
        Some(Command::Demo {
            path: p,
            docs,
            legacy,
        }) => egregora_inspect::cli::demo(p.as_deref(), docs, legacy),
        Some(Command::Export {
            path: p,
            format,
            output,
            types,
            statuses,
            search,
            sort,
            columns,
        }) => egregora_inspect::cli::export(
            &path(p),
            egregora_inspect::cli::ExportArgs {
                format,
                output,
                types,
                statuses,
                search,
                sort,
                columns,
            },
        ),
        Some(Command::Query {
            path: p,
            sql,
            format,
        }) => egregora_inspect::cli::query(&path(p), &sql, format),
        Some(Command::Completions { shell }) => {
            egregora_inspect::cli::completions(Cli::command(), shell)
        }
        Some(Command::Man) => egregora_inspect::cli::man(Cli::command()),
        Some(Command::Exec {
            path: p,
            sql,
            flags,
        }) => egregora_inspect::cli::exec(&path(p), &sql, flags.flags()),
        Some(Command::Fix {
            path: p,
            only,
            flags,
        }) => egregora_inspect::cli::fix(&path(p), &only, flags.flags()),
        Some(Command::Undo {
            path: p,
            list,
            file,
            flags,
        }) => egregora_inspect::cli::undo(&path(p), list, file.as_deref(), flags.flags()),
        Some(Command::Diff {
            old,
            new,
            tables,
            json,
        }) => egregora_inspect::cli::diff(&old, &new, &tables, json),
        Some(Command::Import {
            source,
            dest,
            dry_run,
            yes,
            json,
        }) => egregora_inspect::cli::import(
            &source,
            dest.as_deref(),
            egregora_inspect::cli::ImportFlags { dry_run, yes, json },
        ),
        None if cli.print_config => egregora_inspect::cli::print_config(),
        None if cli.demo => egregora_inspect::cli::tui_demo(cli.launch.launch()),
        // The app's header names the store it opened.
        None => egregora_inspect::cli::tui(
            &cli.path
                .unwrap_or_else(|| egregora_inspect::cli::default_path(false)),
            cli.launch.launch(),
        ),
    }
}
