//! Argument parsing and dispatch to the CLI commands or the TUI.

use clap::{Parser, Subcommand};
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
    #[arg(long, conflicts_with_all = ["path", "demo"])]
    print_config: bool,
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
        /// csv, json, ndjson or table (default: from -o's extension, else csv)
        #[arg(long)]
        format: Option<String>,
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
        /// inserted, created_at, id or slug; add :desc for the reverse
        #[arg(long, value_name = "COL[:desc]")]
        sort: Option<String>,
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
        /// table, csv, json or ndjson (default: table)
        #[arg(long)]
        format: Option<String>,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let path = |p: Option<OsString>| p.unwrap_or_else(|| egregora_inspect::cli::default_path(true));
    let code = match cli.command {
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
        }) => egregora_inspect::cli::query(&path(p), &sql, format.as_deref()),
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
        None if cli.demo => egregora_inspect::cli::tui_demo(),
        // The app's header names the store it opened.
        None => egregora_inspect::cli::tui(
            &cli.path
                .unwrap_or_else(|| egregora_inspect::cli::default_path(false)),
        ),
    };
    ExitCode::from(code)
}
