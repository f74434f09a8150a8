//! `query`: one read-only statement of the user's, its rows streamed to
//! stdout as they come (never collected first).

use super::export::{Ended, watch_signals};
use crate::store::StoreError;
use crate::store::cancel::Canceller;
use crate::store::read::export::{self, Format, Source};
use crate::store::read::query;
use anyhow::{Context, Result};
use std::io::{Read, Write};
use std::path::Path;

/// Runs `sql` (`-`: read from stdin) on the store at `store`.
pub fn run(store: &Path, sql: &str, format: Option<Format>) -> Result<Ended> {
    let format = format.unwrap_or(Format::Table);
    let sql = if sql == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the statement from stdin")?;
        s
    } else {
        sql.to_string()
    };
    let qc = query::open(store)?;
    // Ctrl-C or SIGTERM stops a statement that runs away.
    let cancel = Canceller::new();
    cancel.attach(qc.conn());
    watch_signals(&cancel)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = export::export(&qc, &Source::Query(sql), format, &mut out, &mut |_| {
        !cancel.is_cancelled()
    });
    let _ = out.flush();
    match result {
        Ok(_) => Ok(Ended::Done),
        Err(StoreError::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(Ended::ReaderGone)
        }
        Err(StoreError::Cancelled) => {
            anyhow::bail!("query stopped; the store was only read and is unchanged")
        }
        Err(e) => Err(e.into()),
    }
}
