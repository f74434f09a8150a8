//! `export`: the documents the Documents tab would show, streamed to a file
//! or stdout in constant memory, with a progress line on a terminal.

use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::read::documents::Sort;
use crate::store::read::export::{self, DocSelection, Format, Source};
use crate::store::read::query;
use crate::text::escape;
use anyhow::{Context, Result, bail};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `export` was asked for.
pub struct ExportArgs {
    pub format: Option<String>,
    pub output: Option<PathBuf>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub search: Option<String>,
    pub sort: Option<String>,
    pub columns: Option<String>,
}

/// How an export ended, for the exit code.
pub enum Ended {
    Done,
    /// The reader of stdout went away (`| head`): nothing more is wanted.
    ReaderGone,
}

/// Reads `--sort COL[:desc]`.
fn sort_of(text: &str) -> Result<(Sort, bool)> {
    let (name, dir) = text.split_once(':').unwrap_or((text, "asc"));
    let desc = match dir.to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        other => bail!(
            "--sort {}: the direction is asc or desc, not {}",
            escape(text),
            escape(other)
        ),
    };
    let sort = Sort::parse(name).with_context(|| {
        format!(
            "--sort {}: sort by inserted, created_at, id or slug (the indexed orders)",
            escape(text)
        )
    })?;
    Ok((sort, desc))
}

pub fn run(store: &Path, args: ExportArgs) -> Result<Ended> {
    let format = match (&args.format, &args.output) {
        (Some(f), _) => Format::parse(f)
            .with_context(|| format!("--format {}: csv, json, ndjson or table", escape(f)))?,
        (None, Some(o)) => Format::of_path(o).unwrap_or(Format::Csv),
        (None, None) => Format::Csv,
    };
    let (sort, desc) = match &args.sort {
        Some(s) => sort_of(s)?,
        None => (Sort::Inserted, false),
    };
    let columns = args.columns.as_ref().map(|c| {
        c.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    });
    if columns.as_ref().is_some_and(Vec::is_empty) {
        bail!("--columns names no column");
    }
    let source = Source::Documents(DocSelection {
        types: args.types,
        statuses: args.statuses,
        search: args.search,
        rowids: None,
        value: None,
        sort,
        desc,
        columns,
    });
    let read = query::open(store)?;
    // Ctrl-C or SIGTERM stops the export (and removes a partial file).
    let cancel = Canceller::new();
    cancel.attach(&read.conn);
    watch_signals(&cancel)?;
    let tty = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    let mut progress = |n: u64| {
        if tty && last.elapsed() >= Duration::from_millis(200) {
            last = Instant::now();
            eprint!("\rexported {n} rows…");
        }
        !cancel.is_cancelled()
    };
    let result = match &args.output {
        Some(path) => export::export_file(&read, &source, format, path, &mut progress),
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let r = export::export(&read, &source, format, &mut out, &mut progress);
            let _ = out.flush();
            r
        }
    };
    if tty {
        eprint!("\r\x1b[K");
    }
    match result {
        Ok(n) => {
            if tty {
                let to = args.output.as_ref().map_or("stdout".to_string(), |p| {
                    escape(&p.to_string_lossy()).into_owned()
                });
                eprintln!("exported {n} documents to {to}");
            }
            Ok(Ended::Done)
        }
        Err(StoreError::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(Ended::ReaderGone)
        }
        Err(StoreError::Cancelled) => match &args.output {
            Some(_) => bail!("export stopped; the partial file was removed"),
            None => bail!("export stopped"),
        },
        Err(e) => Err(e.into()),
    }
}

/// Turns SIGINT and SIGTERM into a cancel.
pub(super) fn watch_signals(cancel: &Canceller) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).context("cannot watch signals")?;
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            cancel.cancel();
        }
    });
    Ok(())
}
