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
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub search: Option<String>,
    pub sort: Option<SortArg>,
    pub columns: Option<String>,
}

/// How an export ended, for the exit code.
pub enum Ended {
    Done,
    /// The reader of stdout went away (`| head`): nothing more is wanted.
    ReaderGone,
}

/// `--sort COL[:desc]`: `inserted` (or `rowid`) or any column, either
/// way (`:asc`, the default, or `:desc`). Whether documents has the column
/// is the store's to say (one line naming its columns, exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortArg {
    sort: Sort,
    desc: bool,
}

impl std::str::FromStr for SortArg {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (name, dir) = match s.rsplit_once(':') {
            Some((n, d)) => (n, Some(d)),
            None => (s, None),
        };
        let desc = match dir.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err("the direction after : is asc or desc".into()),
        };
        let sort = Sort::parse(name.trim()).ok_or("name a column (or inserted)")?;
        Ok(SortArg { sort, desc })
    }
}

impl SortArg {
    /// The sort, and whether it is reversed.
    fn order(self) -> (Sort, bool) {
        (self.sort, self.desc)
    }
}

pub fn run(store: &Path, args: ExportArgs) -> Result<Ended> {
    // A file's extension must name a format (never a silent CSV); an
    // explicit --format then says which.
    let picked = args.output.as_deref().map(Format::for_file).transpose()?;
    let format = args.format.or(picked).unwrap_or(Format::Csv);
    let (sort, desc) = args.sort.map_or((Sort::Inserted, false), SortArg::order);
    let columns = args.columns.as_ref().map(|c| {
        c.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    });
    if columns.as_ref().is_some_and(Vec::is_empty) {
        bail!("--columns names no column");
    }
    let source = Source::Documents(Box::new(DocSelection {
        types: args.types.into_iter().map(Some).collect(),
        statuses: args.statuses.into_iter().map(Some).collect(),
        search: args.search,
        rowids: None,
        value: None,
        sort,
        desc,
        columns,
    }));
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
