//! Exports, streamed row by row in constant memory: the documents the
//! Documents tab would show (the same filters, search and sort), or a whole
//! table, as CSV (RFC 4180), JSON (one array) or NDJSON (one object a line).

use crate::store::error::{Result, StoreError, sqlite_text};
use crate::store::inspection::catalog::{self, LiveTable};
use crate::store::read::documents::Sort;
use crate::store::read::filters::{FilterSet, ValueFilter};
use crate::store::read::query::QueryConn;
use crate::store::read::query::table::TableWriter;
use crate::store::read::row_key::KeyColumns;
use crate::store::spec::quote;
use crate::store::values::write_object;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, Statement, params_from_iter};
use std::io::{self, Write};
use std::path::Path;

/// The formats rows are written in; `--format` takes their names (clap
/// lists them in its help and its refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180; bytes as stored.
    Csv,
    /// One array of objects.
    Json,
    /// One object a line.
    #[value(alias = "jsonl")]
    Ndjson,
    /// Aligned and escaped, for a terminal.
    Table,
}

impl Format {
    /// The file extensions that pick a format, as a refusal names them.
    pub const CHOICES: &str = ".csv, .json, .ndjson, .jsonl or .txt (a table)";

    /// The format a file's extension picks; any other name is refused
    /// (never a format guessed), naming the choices.
    pub fn for_file(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            Some("ndjson" | "jsonl") => Ok(Format::Ndjson),
            Some("txt") => Ok(Format::Table),
            _ => Err(StoreError::Refused(format!(
                "{}: no export format has that extension; name it {}",
                crate::text::escape(&path.to_string_lossy()),
                Format::CHOICES
            ))),
        }
    }
}

/// The documents to export: the Documents tab's filters, in its order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocSelection {
    /// The doc_types and statuses kept, NULL as None (none: all).
    pub types: Vec<Option<String>>,
    pub statuses: Vec<Option<String>>,
    pub search: Option<String>,
    pub rowids: Option<Vec<i64>>,
    pub value: Option<ValueFilter>,
    pub sort: Sort,
    pub desc: bool,
    /// None: every column of the table.
    pub columns: Option<Vec<String>>,
}

impl DocSelection {
    /// The WHERE terms of the selection (the Documents tab's own).
    fn filters(&self) -> FilterSet<'_> {
        FilterSet {
            types: &self.types,
            statuses: &self.statuses,
            search: self.search.as_deref(),
            rowids: self.rowids.as_deref(),
            value: self.value.as_ref(),
        }
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Boxed: a selection is far larger than a name.
    Documents(Box<DocSelection>),
    Table(String),
    /// The rows of the user's statement (read-only, see `query`).
    Query(String),
}

/// The statement that reads `source`, its arguments and its column names.
fn statement<'c>(
    qc: &'c QueryConn,
    source: &Source,
) -> Result<(Statement<'c>, Vec<Value>, Vec<String>)> {
    let (sql, args, names) = match source {
        Source::Query(sql) => {
            let p = qc.prepare(sql)?;
            return Ok((p.stmt, Vec::new(), p.names));
        }
        other => our_statement(qc.conn(), other)?,
    };
    let stmt = qc
        .conn()
        .prepare(&sql)
        .map_err(|e| StoreError::Refused(format!("cannot read the rows: {}", sqlite_text(&e))))?;
    Ok((stmt, args, names))
}

/// The statement of an export of documents or a table.
fn our_statement(conn: &Connection, source: &Source) -> Result<(String, Vec<Value>, Vec<String>)> {
    let read = |e: rusqlite::Error| {
        StoreError::Refused(format!("cannot read the store: {}", sqlite_text(&e)))
    };
    match source {
        Source::Query(_) => Err(StoreError::Refused("not a table".into())),
        Source::Table(name) => {
            let live = catalog::table(conn, name, None).map_err(read)?;
            let names: Vec<String> = visible(&live);
            if names.is_empty() {
                return Err(StoreError::Refused(format!(
                    "there is no table or view {}",
                    crate::text::escape(name)
                )));
            }
            let cols: Vec<String> = names.iter().map(|n| quote(n)).collect();
            let sql = format!("SELECT {} FROM {}", cols.join(", "), quote(name));
            Ok((sql, Vec::new(), names))
        }
        Source::Documents(sel) => {
            let live = catalog::table_named(conn, "documents").map_err(read)?;
            if live.columns.is_empty() {
                return Err(StoreError::Refused(
                    "the store has no documents table".into(),
                ));
            }
            let names = match &sel.columns {
                None => visible(&live),
                Some(chosen) => {
                    if let Some(bad) = chosen.iter().find(|c| live.column(c).is_none()) {
                        return Err(StoreError::Refused(format!(
                            "documents has no column {} (it has {})",
                            crate::text::escape(bad),
                            visible(&live).join(", ")
                        )));
                    }
                    chosen.clone()
                }
            };
            let (terms, args) = sel.filters().terms(&live, false);
            let dir = if sel.desc { "DESC" } else { "ASC" };
            let keys = KeyColumns::of(&live).order(dir);
            // Any column: SQLite sorts it (in its temp files, so memory
            // stays bounded) when no index gives the order; ties by rowid,
            // as the Documents tab pages them.
            let order = match sel.sort.column() {
                Some(c) => match live.column(c) {
                    Some(c) => format!("{} {dir}, {keys}", quote(&c.name)),
                    None => {
                        return Err(StoreError::Refused(format!(
                            "cannot sort by {}: documents has no such column (it has {})",
                            crate::text::escape(c),
                            visible(&live).join(", ")
                        )));
                    }
                },
                None => keys,
            };
            let cols: Vec<String> = names.iter().map(|n| quote(n)).collect();
            let filter = if terms.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", terms.join(" AND "))
            };
            let sql = format!(
                "SELECT {} FROM {}{filter} ORDER BY {order}",
                cols.join(", "),
                quote(&live.name)
            );
            Ok((sql, args, names))
        }
    }
}

/// The documents a selection names, as a FROM term (a subquery when it
/// filters) and its arguments; its order and columns do not matter here.
pub(crate) fn documents_from(
    conn: &Connection,
    sel: &DocSelection,
) -> Result<(String, Vec<Value>)> {
    let live = catalog::table(conn, "documents", None)
        .map_err(|e| StoreError::Refused(format!("cannot read the store: {}", sqlite_text(&e))))?;
    if live.columns.is_empty() {
        return Err(StoreError::Refused(
            "the store has no documents table".into(),
        ));
    }
    let (terms, args) = sel.filters().terms(&live, false);
    let t = quote(&live.name);
    Ok(if terms.is_empty() {
        (t, args)
    } else {
        (
            format!("(SELECT * FROM {t} WHERE {})", terms.join(" AND ")),
            args,
        )
    })
}

fn visible(live: &LiveTable) -> Vec<String> {
    live.columns
        .iter()
        .filter(|c| matches!(c.hidden, 0 | 2 | 3))
        .map(|c| c.name.clone())
        .collect()
}

/// A file name for an export of `stem` as `ext` in `dir` that no file has
/// yet (an export never replaces one): `stem.ext`, else `stem-2.ext`, …
pub fn free_name(dir: &Path, stem: &str, ext: &str) -> String {
    (1..10_000)
        .map(|n| match n {
            1 => format!("{stem}.{ext}"),
            n => format!("{stem}-{n}.{ext}"),
        })
        .find(|name| !dir.join(name).exists())
        .unwrap_or_else(|| format!("{stem}.{ext}"))
}

/// How many rows `source` will give, when it is cheap to tell (a
/// whole table): for a progress gauge.
pub fn rows_of(conn: &Connection, source: &Source) -> Option<u64> {
    match source {
        Source::Table(name) => conn
            .query_row(&format!("SELECT count(*) FROM {}", quote(name)), [], |r| {
                r.get::<_, i64>(0)
            })
            .ok()
            .and_then(|n| u64::try_from(n).ok()),
        Source::Documents(_) | Source::Query(_) => None,
    }
}

/// How often `progress` hears how far the export has got.
const REPORT_EVERY: u64 = 4096;

/// Writes `source` to `out` as `format`; `progress` hears the rows written
/// so far and stops the export by returning false. Returns the rows written.
pub fn export(
    qc: &QueryConn,
    source: &Source,
    format: Format,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<u64> {
    let (mut stmt, args, names) = statement(qc, source)?;
    let failed = |e: rusqlite::Error| match e {
        e if crate::store::error::is_interrupted(&e) => StoreError::Cancelled,
        e if crate::store::error::is_busy(&e) => StoreError::locked(&qc.path),
        e => StoreError::Refused(format!("cannot read the rows: {}", sqlite_text(&e))),
    };
    let mut rows = stmt.query(params_from_iter(args)).map_err(failed)?;
    let mut n = 0u64;
    // Each row, written; false once the export is to stop.
    let mut next = |write: &mut dyn FnMut(&rusqlite::Row<'_>, u64) -> io::Result<()>| {
        let Some(r) = rows.next().map_err(failed)? else {
            return Ok(false);
        };
        write(r, n).map_err(written)?;
        n += 1;
        if n.is_multiple_of(REPORT_EVERY) && !progress(n) {
            return Err(StoreError::Cancelled);
        }
        Ok(true)
    };
    match format {
        Format::Table => {
            let mut t = TableWriter::new(&names);
            while next(&mut |r, _| {
                let values = (0..names.len())
                    .map(|i| r.get_ref(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(io::Error::other)?;
                t.row(out, &values)
            })? {}
            t.flush(out).map_err(written)?;
        }
        Format::Csv => write_csv(&names, out, &mut next)?,
        Format::Json | Format::Ndjson => {
            write_objects(&names, format == Format::Json, out, &mut next)?;
        }
    }
    drop(rows);
    out.flush().map_err(written)?;
    progress(n);
    Ok(n)
}

/// A writer's way through the rows: each call writes one row (given it
/// and its number), false once there are no more.
type NextRow<'n> =
    dyn FnMut(&mut dyn FnMut(&rusqlite::Row<'_>, u64) -> io::Result<()>) -> Result<bool> + 'n;

fn written(e: io::Error) -> StoreError {
    StoreError::io("cannot write the export", e)
}

fn write_csv(names: &[String], out: &mut dyn Write, next: &mut NextRow<'_>) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut *out);
    w.write_record(names).map_err(csv_io).map_err(written)?;
    let mut field = Vec::new();
    while next(&mut |r, _| {
        for i in 0..names.len() {
            field.clear();
            csv_field(&mut field, r.get_ref(i).map_err(io::Error::other)?);
            w.write_field(&field).map_err(csv_io)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_io)
    })? {}
    w.flush().map_err(written)
}

/// JSON (`array`: one array) or NDJSON (one object a line).
fn write_objects(
    names: &[String],
    array: bool,
    out: &mut dyn Write,
    next: &mut NextRow<'_>,
) -> Result<()> {
    if array {
        out.write_all(b"[").map_err(written)?;
    }
    let mut any = false;
    while next(&mut |r, i| {
        any = true;
        if array {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        }
        write_object(out, names, r)?;
        if !array {
            out.write_all(b"\n")?;
        }
        Ok(())
    })? {}
    if array {
        let end: &[u8] = if any { b"\n]\n" } else { b"]\n" };
        out.write_all(end).map_err(written)?;
    }
    Ok(())
}

/// A CSV field: NULL as nothing, numbers as SQLite writes them, text and
/// BLOBs as their bytes (quoted by the writer where RFC 4180 needs it).
fn csv_field(out: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => {}
        ValueRef::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        ValueRef::Real(f) => out.extend_from_slice(f.to_string().as_bytes()),
        ValueRef::Text(b) | ValueRef::Blob(b) => out.extend_from_slice(b),
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Exports to a new file at `path` (an existing file is never replaced);
/// on any failure or stop, the partial file is removed.
pub fn export_file(
    qc: &QueryConn,
    source: &Source,
    format: Format,
    path: &Path,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<u64> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            let name = crate::text::escape(&path.to_string_lossy()).into_owned();
            if e.kind() == io::ErrorKind::AlreadyExists {
                StoreError::Refused(format!(
                    "cannot create {name}: it exists, and an export never replaces a file"
                ))
            } else {
                StoreError::io(format!("cannot create {name}"), e)
            }
        })?;
    let mut out = io::BufWriter::with_capacity(1 << 16, file);
    let result = export(qc, source, format, &mut out, progress);
    let result = result.and_then(|n| {
        out.into_inner()
            .map_err(|e| StoreError::io("cannot write the export", e.into_error()))?
            .sync_all()
            .map_err(|e| StoreError::io("cannot write the export", e))?;
        Ok(n)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> QueryConn {
        guarded(base())
    }

    fn guarded(c: Connection) -> QueryConn {
        QueryConn::guard(c, Path::new(":memory:")).unwrap()
    }

    fn base() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE documents (id TEXT, doc_type TEXT, status TEXT, created_at TEXT, title TEXT, slug TEXT, content TEXT);
             INSERT INTO documents VALUES
               ('a', 'post', 'draft', '2024-02', 'say \"hi\", ok', 's1', 'x'),
               ('b', 'note', 'draft', NULL, 'line1\nline2', 's2', x'00ff'),
               ('c', 'post', 'published', '2024-01', NULL, 's3', 'needle');",
        )
        .unwrap();
        c
    }

    fn run(source: &Source, format: Format) -> String {
        let mut out = Vec::new();
        export(&store(), source, format, &mut out, &mut |_| true).unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    fn docs(f: impl FnOnce(&mut DocSelection)) -> Source {
        let mut sel = DocSelection {
            columns: Some(vec!["id".into(), "title".into()]),
            ..DocSelection::default()
        };
        f(&mut sel);
        Source::Documents(Box::new(sel))
    }

    #[test]
    fn csv_quotes_by_rfc_4180() {
        let got = run(&docs(|_| {}), Format::Csv);
        assert_eq!(
            got,
            "id,title\r\na,\"say \"\"hi\"\", ok\"\r\nb,\"line1\nline2\"\r\nc,\r\n"
        );
    }

    #[test]
    fn filters_sort_and_formats_follow_the_documents_tab() {
        let sel = docs(|s| {
            s.types = vec![Some("post".into()), Some("note".into())];
            s.sort = Sort::CreatedAt;
            s.desc = true;
        });
        assert_eq!(
            run(&sel, Format::Ndjson),
            "{\"id\":\"a\",\"title\":\"say \\\"hi\\\", ok\"}\n{\"id\":\"c\",\"title\":null}\n{\"id\":\"b\",\"title\":\"line1\\nline2\"}\n"
        );
        let found = docs(|s| {
            s.search = Some("NEEDLE".into());
            s.columns = Some(vec!["id".into(), "content".into()]);
        });
        assert_eq!(
            run(&found, Format::Json),
            "[\n{\"id\":\"c\",\"content\":\"needle\"}\n]\n"
        );
        let blob = docs(|s| {
            s.statuses = vec![Some("draft".into())];
            s.types = vec![Some("note".into())];
            s.columns = None;
        });
        assert!(run(&blob, Format::Json).contains("\"content\":{\"$hex\":\"00ff\"}"));
        let none = docs(|s| s.types = vec![Some("zzz".into())]);
        assert_eq!(run(&none, Format::Json), "[]\n");
        let sql = Source::Query("SELECT id, title FROM documents WHERE id = 'b'".into());
        assert_eq!(
            run(&sql, Format::Table),
            "id  title\n──  ───────────\nb   line1↵line2\n"
        );
        assert_eq!(
            run(&sql, Format::Ndjson),
            "{\"id\":\"b\",\"title\":\"line1\\nline2\"}\n"
        );
    }

    #[test]
    fn unknown_columns_and_tables_are_refused() {
        let mut out = Vec::new();
        let bad = docs(|s| s.columns = Some(vec!["nope".into()]));
        let e = export(&store(), &bad, Format::Csv, &mut out, &mut |_| true).unwrap_err();
        assert!(
            e.to_string().contains("documents has no column nope"),
            "{e}"
        );
        let e = export(
            &store(),
            &Source::Table("zz".into()),
            Format::Csv,
            &mut out,
            &mut |_| true,
        )
        .unwrap_err();
        assert!(e.to_string().contains("no table or view zz"), "{e}");
    }

    #[test]
    fn a_stopped_export_leaves_no_file() {
        let c = base();
        c.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
             INSERT INTO documents (id) SELECT 'x' || i FROM n;",
        )
        .unwrap();
        let c = guarded(c);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        let e = export_file(&c, &docs(|_| {}), Format::Csv, &p, &mut |n| n < 5000).unwrap_err();
        assert!(matches!(e, StoreError::Cancelled));
        assert!(!p.exists());
        std::fs::write(&p, "mine").unwrap();
        let e = export_file(&c, &docs(|_| {}), Format::Csv, &p, &mut |_| true).unwrap_err();
        assert!(e.to_string().contains("cannot create"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "mine",
            "never replaced"
        );
    }
}
