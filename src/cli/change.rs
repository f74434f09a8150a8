//! What exec, fix and undo share: the preview as text or streamed JSON,
//! the question, the commit with signals watched, the outcome.

use super::shared::{EXIT_ERROR, EXIT_OK, confirm, fail, watch_signals};
use crate::store::cancel::Canceller;
use crate::store::change::{Committed, Preview, RowChange, TableCount};
use crate::store::inspection::finding::Finding;
use crate::text::{escape, escape_lines};
use anyhow::Result;
use std::io::Write;

/// The flags every change command takes.
#[derive(Debug, Clone, Copy)]
pub struct ChangeFlags {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
}

/// Rows a text preview shows; `--json` lists every one.
const ROWS_SHOWN: usize = 20;
/// Characters of a value a text preview shows.
const VALUE_CHARS: usize = 60;

/// With --json a write must be asked for with --yes: there is no one to ask.
pub(super) fn json_needs_yes(flags: ChangeFlags) -> Result<()> {
    if flags.json && !flags.yes && !flags.dry_run {
        anyhow::bail!("refusing to write without --yes (--json asks nothing): nothing was written");
    }
    Ok(())
}

/// Shows the preview, asks, commits. Returns the committed change, or
/// None for a dry run, an empty change or a "no".
pub(super) fn decide(preview: &Preview, flags: ChangeFlags) -> Result<Option<Committed>> {
    if flags.json {
        if flags.dry_run {
            print_json(preview)?;
            return Ok(None);
        }
    } else {
        print_text(preview)?;
    }
    if flags.dry_run {
        if !flags.json {
            println!("dry run: nothing was written");
        }
        return Ok(None);
    }
    if preview.rows == 0 {
        if flags.json {
            print_done(
                &Committed {
                    rows: 0,
                    tables: Vec::new(),
                    undo: None,
                    left: preview.left.clone(),
                },
                true,
            );
        } else {
            println!("nothing to change: the store stays as it is");
        }
        return Ok(None);
    }
    if !flags.yes && !confirm()? {
        println!("not applied: nothing was written");
        return Err(Declined.into());
    }
    Ok(Some(commit(|c| crate::store::change::commit(preview, c))?))
}

/// "No" at the question: exit 2, nothing more to say.
#[derive(Debug, thiserror::Error)]
#[error("not applied")]
pub(super) struct Declined;

/// Runs `f` with SIGINT, SIGTERM and SIGHUP cancelling it.
pub(super) fn commit(
    f: impl FnOnce(&Canceller) -> crate::store::Result<Committed>,
) -> Result<Committed> {
    let cancel = Canceller::new();
    let signals = watch_signals(&cancel)?;
    let result = f(&cancel);
    signals.close();
    Ok(result?)
}

/// The exit code of a failure: a declined change is said already.
pub(super) fn failed(e: &anyhow::Error, json: bool) -> u8 {
    if e.downcast_ref::<Declined>().is_some() {
        return EXIT_ERROR;
    }
    fail(e, json)
}

fn counts(tables: &[TableCount]) -> String {
    let each: Vec<String> = tables
        .iter()
        .map(|t| {
            let mut parts = Vec::new();
            for (n, what) in [
                (t.inserted, "inserted"),
                (t.updated, "updated"),
                (t.deleted, "deleted"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            format!("{} {}", escape(&t.table), parts.join(", "))
        })
        .collect();
    if each.is_empty() {
        "none".into()
    } else {
        each.join("; ")
    }
}

fn row_line(r: &RowChange) -> String {
    let key: Vec<String> = r
        .key
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(&v.shown(VALUE_CHARS))))
        .collect();
    let cols: Vec<String> = r
        .columns
        .iter()
        .map(|c| {
            let v = |x: &Option<crate::store::change::Value>| {
                x.as_ref().map_or("∅".to_string(), |v| {
                    escape(&v.shown(VALUE_CHARS)).into_owned()
                })
            };
            format!("{}: {} → {}", escape(&c.column), v(&c.before), v(&c.after))
        })
        .collect();
    format!(
        "  {} {} {}\n      {}",
        escape(&r.table),
        r.op.label(),
        key.join(", "),
        cols.join("\n      ")
    )
}

fn print_text(p: &Preview) -> Result<()> {
    println!("store    {}", escape(&p.path.to_string_lossy()));
    println!("change   {}, one transaction", p.command.label());
    for w in &p.what {
        for line in escape_lines(w).lines() {
            println!("         {line}");
        }
    }
    println!("rows     {}: {}", p.rows, counts(&p.tables));
    let mut shown = 0usize;
    p.each(&mut |r| {
        println!("{}", row_line(&r));
        shown += 1;
        shown < ROWS_SHOWN
    })?;
    if p.rows > shown as u64 {
        println!(
            "  … and {} more row(s) (--dry-run --json lists every change)",
            p.rows - shown as u64
        );
    }
    print_left(&p.left);
    println!();
    Ok(())
}

fn print_left(left: &[Finding]) {
    if left.is_empty() {
        return;
    }
    println!("left for a person ({}):", left.len());
    for f in left {
        println!(
            "  {:<8} {:<16} {}",
            f.severity.label(),
            f.code.label(),
            escape(&f.message)
        );
        if !f.ids.is_empty() {
            let ids: Vec<String> = f.ids.iter().map(|i| escape(i).into_owned()).collect();
            println!("  {:<25} ids: {}", "", ids.join(" "));
        }
    }
}

/// The preview as one JSON object whose `changes` are written as they are
/// read, never held whole.
fn print_json(p: &Preview) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let head = serde_json::json!({
        "ok": true,
        "dry_run": true,
        "store": p.path.to_string_lossy(),
        "command": p.command,
        "what": p.what,
        "rows": p.rows,
        "tables": p.tables,
        "left": p.left,
    })
    .to_string();
    // The head without its closing brace, then the changes.
    write!(out, "{},\"changes\":[", &head[..head.len() - 1])?;
    let mut first = true;
    let mut failed = None;
    p.each(&mut |r| {
        let sep = if first { "" } else { "," };
        first = false;
        match serde_json::to_string(&RowJson::from(&r)) {
            Ok(s) => match write!(out, "{sep}\n{s}") {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(anyhow::Error::from(e));
                    false
                }
            },
            Err(e) => {
                failed = Some(e.into());
                false
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    writeln!(out, "\n]}}")?;
    out.flush()?;
    Ok(())
}

/// A changed row in JSON: its key as an object.
#[derive(serde::Serialize)]
struct RowJson<'a> {
    table: &'a str,
    op: crate::store::change::Op,
    key: serde_json::Map<String, serde_json::Value>,
    columns: &'a [crate::store::change::ColumnChange],
}

impl<'a> From<&'a RowChange> for RowJson<'a> {
    fn from(r: &'a RowChange) -> Self {
        RowJson {
            table: &r.table,
            op: r.op,
            key: r
                .key
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
                .collect(),
            columns: &r.columns,
        }
    }
}

pub(super) fn print_done(c: &Committed, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"ok": true, "rows": c.rows, "tables": c.tables, "undo": c.undo, "left": c.left})
        );
        return;
    }
    println!("done: {} row(s) changed: {}", c.rows, counts(&c.tables));
    if let Some(u) = &c.undo {
        println!(
            "undo file: {} (egregora-inspect undo takes it back)",
            escape(&u.to_string_lossy())
        );
    }
}

pub(super) const OK: u8 = EXIT_OK;

/// Reads `--sql -` from stdin.
pub(super) fn sql_arg(sql: &str) -> Result<String> {
    if sql != "-" {
        return Ok(sql.to_string());
    }
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
        .map_err(|e| anyhow::Error::from(e).context("cannot read the statement from stdin"))?;
    Ok(s)
}
