//! The data checks of DESIGN §2, run on demand because they scan: one pass
//! over `documents` for every bad value and business rule, one over
//! `tasks` for its rules, and one over the id index for duplicates.

use crate::store::error::{Result, StoreError};
use crate::store::inspection::catalog::{LiveTable, lossy};
use crate::store::inspection::finding::{Code, Finding, IDS_AT_MOST, RowsIn, Severity};
use crate::store::inspection::inspect::Inspection;
use crate::store::inspection::rules::Probe;
use crate::store::read::sample::{NAME_AT_MOST, Sample};
use crate::store::spec::{JsonShape, Spec, literal, quote};
use rusqlite::Connection;

/// How far a scan of one table has got: rows up to this rowid read, of
/// rowids up to `of` (a table's rowids are dense as a rule, so this is
/// its rows scanned of its rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub table: String,
    pub done: u64,
    pub of: u64,
}

/// Rows read between two reports of how far a scan has got.
const CHUNK: i64 = 50_000;

pub(crate) fn run(conn: &Connection, ins: &Inspection) -> Result<Vec<Finding>> {
    watched(conn, ins, &mut |_| true)
}

/// The data checks, saying how far each table's pass has got; stopped
/// (StoreError::Cancelled) when `watch` says false.
pub fn watched(
    conn: &Connection,
    ins: &Inspection,
    watch: &mut dyn FnMut(&Scanned) -> bool,
) -> Result<Vec<Finding>> {
    let spec = Spec::v3();
    let mut findings = Vec::new();
    let err = |e| match e {
        Stop::Stopped => StoreError::Cancelled,
        Stop::Sql(e) => StoreError::sqlite(&ins.path, "data check failed", e),
    };
    if let Some(live) = ins.live(&spec.documents_table) {
        let mut probes = value_probes(spec, live);
        probes.extend(crate::store::inspection::rules::probes(
            spec,
            &spec.documents_table,
            live,
        ));
        findings.extend(one_pass(conn, live, "id", &probes, watch).map_err(err)?);
        if live.column("id").is_some() {
            let dups = duplicate_ids(conn, live, &spec.documents_table);
            findings.extend(dups.map_err(Stop::Sql).map_err(err)?);
        }
    }
    if let Some(live) = crate::store::read::tasks::live_tasks(ins) {
        let probes = crate::store::inspection::rules::probes(spec, "tasks", live);
        let key = if live.column("task_id").is_some() {
            "task_id"
        } else {
            ""
        };
        let mut found = one_pass(conn, live, key, &probes, watch).map_err(err)?;
        for f in &mut found {
            f.rows_in = RowsIn::Tasks;
        }
        findings.extend(found);
    }
    // Errors first, then warnings (stable: each kind in the order found).
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(findings)
}

/// NULLs where the spec wants a value, doc_types outside the known set,
/// JSON columns that do not hold JSON of their shape.
fn value_probes(spec: &Spec, live: &LiveTable) -> Vec<Probe> {
    let has = |c: &str| live.column(c).is_some();
    let table = &spec.documents_table;
    let mut probes = Vec::new();
    let shown = |c: &str| format!("quote(substr({}, 1, 40))", quote(c));
    for (col, code, what) in [
        ("id", Code::NullId, "a NULL id"),
        ("doc_type", Code::NullDocType, "a NULL doc_type"),
        ("status", Code::NullStatus, "a NULL status"),
    ] {
        if has(col) {
            probes.push(Probe {
                code,
                severity: Severity::Error,
                object: format!("{table}.{col}"),
                rule: None,
                cond: format!("{} IS NULL", quote(col)),
                show: "'NULL'".into(),
                what: format!("row(s) have {what}"),
            });
        }
    }
    if has("doc_type") {
        let known: Vec<String> = spec.doc_types.iter().map(|t| literal(t)).collect();
        probes.push(Probe {
            code: Code::UnknownDocType,
            severity: Severity::Warning,
            object: format!("{table}.doc_type"),
            rule: None,
            cond: format!("doc_type NOT IN ({})", known.join(", ")),
            show: shown("doc_type"),
            what: format!(
                "row(s) have a doc_type outside the {} known",
                spec.doc_types.len()
            ),
        });
    }
    for c in spec
        .documents()
        .columns
        .iter()
        .filter(|c| c.json.is_some() && has(&c.name))
    {
        let q = quote(&c.name);
        let shape = match c.json {
            // json_type fails on malformed JSON: only valid JSON reaches it.
            Some(JsonShape::Array) => {
                " OR CASE WHEN json_valid({q}) THEN json_type({q}) END <> 'array'"
            }
            Some(JsonShape::Object) => {
                " OR CASE WHEN json_valid({q}) THEN json_type({q}) END <> 'object'"
            }
            _ => "",
        }
        .replace("{q}", &q);
        probes.push(Probe {
            code: Code::InvalidJson,
            severity: Severity::Warning,
            object: format!("{table}.{}", c.name),
            rule: None,
            cond: format!(
                "{q} IS NOT NULL AND (typeof({q}) <> 'text' OR NOT json_valid({q}){shape})"
            ),
            show: shown(&c.name),
            what: format!(
                "row(s) have {} that is not valid JSON of the expected shape",
                c.name
            ),
        });
    }
    probes
}

/// Runs every probe in one pass over `live`: only the rows some probe
/// finds come back, each counted and the first IDS_AT_MOST kept per probe.
/// `key` names a row in the finding (its rowid where it is NULL or empty).
/// Why a pass ended early.
enum Stop {
    Stopped,
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Self {
        Stop::Sql(e)
    }
}

fn one_pass(
    conn: &Connection,
    live: &LiveTable,
    key: &str,
    probes: &[Probe],
    watch: &mut dyn FnMut(&Scanned) -> bool,
) -> std::result::Result<Vec<Finding>, Stop> {
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let table = quote(&live.name);
    let rowid = if live.without_rowid { "NULL" } else { "rowid" };
    let key_sql = if key.is_empty() {
        "NULL".to_string()
    } else {
        quote(key)
    };
    let flags: Vec<String> = probes
        .iter()
        .map(|p| format!("coalesce(({}), 0)", p.cond))
        .collect();
    let any: Vec<String> = probes.iter().map(|p| format!("({})", p.cond)).collect();
    // A rowid table is read a range of rowids at a time, each range by
    // the rowid's own b-tree, so how far the pass has got can be said
    // (and a stop heard) between ranges; one without rowids at once.
    let last: Option<i64> = if live.without_rowid {
        None
    } else {
        conn.query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| r.get(0))?
    };
    let range = if last.is_some() {
        "rowid > ?1 AND rowid <= ?2 AND "
    } else {
        "?1 < ?2 AND "
    };
    let sql = format!(
        "SELECT {rowid}, {key_sql}, {} FROM {table} WHERE {range}({})",
        flags.join(", "),
        any.join(" OR ")
    );
    let mut counts = vec![0u64; probes.len()];
    // Per probe: (the row's name, whether it is its key, its rowid).
    let mut found: Vec<Vec<(String, bool, Option<i64>)>> = vec![Vec::new(); probes.len()];
    let mut stmt = conn.prepare(&sql)?;
    let (first, end) = match last {
        Some(l) => (
            conn.query_row(&format!("SELECT min(rowid) FROM {table}"), [], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .unwrap_or(0)
            .saturating_sub(1),
            l,
        ),
        None => (0, 1),
    };
    let of = u64::try_from(end.saturating_sub(first)).unwrap_or(0);
    let mut from = first;
    while from < end {
        let to = if last.is_some() {
            from.saturating_add(CHUNK).min(end)
        } else {
            end
        };
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            tally(r, &mut counts, &mut found)?;
        }
        from = to;
        let done = u64::try_from(from.saturating_sub(first)).unwrap_or(0);
        let at = Scanned {
            table: live.name.clone(),
            done,
            of,
        };
        if !watch(&at) {
            return Err(Stop::Stopped);
        }
    }
    Ok(findings_of(conn, &table, probes, counts, found)?)
}

/// One row some probe found: counted for each probe that found it, and
/// kept by name for the first IDS_AT_MOST.
fn tally(
    r: &rusqlite::Row<'_>,
    counts: &mut [u64],
    found: &mut [Vec<(String, bool, Option<i64>)>],
) -> rusqlite::Result<()> {
    let rowid: Option<i64> = r.get(0)?;
    for (i, (n, kept)) in counts.iter_mut().zip(found.iter_mut()).enumerate() {
        if r.get::<_, i64>(2 + i)? == 0 {
            continue;
        }
        *n += 1;
        if kept.len() < IDS_AT_MOST {
            let kept_row = match lossy(r, 1)?.filter(|k| !k.is_empty()) {
                Some(k) => (k, true, rowid),
                None => (format!("rowid {}", rowid.unwrap_or_default()), false, rowid),
            };
            kept.push(kept_row);
        }
    }
    Ok(())
}

/// The findings of a pass: each probe's count and the rows it names.
fn findings_of(
    conn: &Connection,
    table: &str,
    probes: &[Probe],
    counts: Vec<u64>,
    found: Vec<Vec<(String, bool, Option<i64>)>>,
) -> rusqlite::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for ((p, n), kept) in probes.iter().zip(counts).zip(found) {
        if n == 0 {
            continue;
        }
        let mut names = Vec::new();
        for (name, keyed, rowid) in kept.iter().take(NAME_AT_MOST) {
            let shown = match rowid {
                Some(id) => conn.query_row(
                    &format!("SELECT {} FROM {table} WHERE rowid = ?1", p.show),
                    [id],
                    |r| lossy(r, 0),
                )?,
                None => None,
            };
            let name = if *keyed { literal(name) } else { name.clone() };
            names.push(match (p.code, shown) {
                (Code::MissingField, Some(s)) => format!("{name} ({s})"),
                (_, Some(s)) => format!("{name} = {s}"),
                (_, None) => name,
            });
        }
        let sample = Sample { names, count: n };
        let mut f = Finding::new(
            p.severity,
            p.code,
            p.object.clone(),
            format!("{n} {}: {}", p.what, sample.listed()),
        )
        .rows(
            n,
            kept.iter().filter(|k| k.1).map(|k| k.0.clone()).collect(),
        )
        .without_id(kept.iter().filter(|k| !k.1).filter_map(|k| k.2).collect())
        .at(kept.iter().filter_map(|k| k.2).collect());
        f.rule = p.rule.clone();
        findings.push(f);
    }
    Ok(findings)
}

/// One pass over the id index: how many ids repeat, the first few with
/// their counts for the message, and up to IDS_AT_MOST of them.
fn duplicate_ids(
    conn: &Connection,
    live: &LiveTable,
    name: &str,
) -> rusqlite::Result<Option<Finding>> {
    let table = quote(&live.name);
    let mut stmt = conn.prepare(&format!(
        "SELECT id, count(*) FROM {table} WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1"
    ))?;
    let mut rows = stmt.query([])?;
    let (mut count, mut ids, mut names) = (0u64, Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        count += 1;
        if ids.len() < IDS_AT_MOST {
            let id = lossy(r, 0)?.unwrap_or_default();
            if names.len() < NAME_AT_MOST {
                let n: i64 = r.get(1)?;
                names.push(format!("{} ({n}×)", literal(&id)));
            }
            ids.push(id);
        }
    }
    if count == 0 {
        return Ok(None);
    }
    // Every row that carries one of the ids named.
    let list = serde_json::to_string(&ids).unwrap_or_default();
    let rowids: Vec<i64> = conn
        .prepare(&format!(
            "SELECT rowid FROM {table} WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY rowid LIMIT {}",
            IDS_AT_MOST * 10
        ))?
        .query_map([list], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let dups = Sample { names, count };
    Ok(Some(
        Finding::new(
            Severity::Error,
            Code::DuplicateId,
            format!("{name}.id"),
            format!("{count} id(s) appear more than once: {}", dups.listed()),
        )
        .rows(count, ids)
        .at(rowids),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::demo::{DemoOptions, write_demo};
    use crate::store::inspection::inspect::{Counts, inspect};

    fn demo(docs: u64) -> (tempfile::TempDir, Connection, Inspection) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.sqlite");
        write_demo(
            &p,
            DemoOptions {
                docs,
                legacy: false,
            },
        )
        .unwrap();
        let mut conn = Connection::open(&p).unwrap();
        let ins = inspect(&mut conn, &p, Counts::None).unwrap();
        (dir, conn, ins)
    }

    #[test]
    fn a_pass_says_how_far_it_has_got_and_stops_when_told() {
        let (_dir, conn, ins) = demo(120_000);
        let mut seen: Vec<Scanned> = Vec::new();
        let all = watched(&conn, &ins, &mut |at| {
            seen.push(at.clone());
            true
        })
        .unwrap();
        let docs: Vec<&Scanned> = seen.iter().filter(|s| s.table == "documents").collect();
        assert_eq!(docs.len(), 3, "a report per 50,000 rows: {docs:?}");
        assert!(docs.windows(2).all(|w| w[0].done < w[1].done));
        let last = docs.last().unwrap();
        assert_eq!((last.done, last.of), (120_000, 120_000));
        assert!(seen.iter().any(|s| s.table == "tasks"));
        assert_eq!(
            all,
            run(&conn, &ins).unwrap(),
            "the same findings either way"
        );

        let mut asked = 0;
        let stopped = watched(&conn, &ins, &mut |_| {
            asked += 1;
            false
        });
        assert!(matches!(stopped, Err(StoreError::Cancelled)), "{stopped:?}");
        assert_eq!(asked, 1, "stopped at the first report");
    }
}
