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

pub(crate) fn run(conn: &Connection, ins: &Inspection) -> Result<Vec<Finding>> {
    let spec = Spec::v3();
    let mut findings = Vec::new();
    let err = |e| StoreError::sqlite(&ins.path, "data check failed", e);
    if let Some(live) = ins.live(&spec.documents_table) {
        let mut probes = value_probes(spec, live);
        probes.extend(crate::store::inspection::rules::probes(
            spec,
            &spec.documents_table,
            live,
        ));
        findings.extend(one_pass(conn, live, "id", &probes).map_err(err)?);
        if live.column("id").is_some() {
            findings.extend(duplicate_ids(conn, live, &spec.documents_table).map_err(err)?);
        }
    }
    if let Some(live) = crate::store::read::tasks::live_tasks(ins) {
        let probes = crate::store::inspection::rules::probes(spec, "tasks", live);
        let key = if live.column("task_id").is_some() {
            "task_id"
        } else {
            ""
        };
        let mut found = one_pass(conn, live, key, &probes).map_err(err)?;
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
fn one_pass(
    conn: &Connection,
    live: &LiveTable,
    key: &str,
    probes: &[Probe],
) -> rusqlite::Result<Vec<Finding>> {
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
    let sql = format!(
        "SELECT {rowid}, {key_sql}, {} FROM {table} WHERE {}",
        flags.join(", "),
        any.join(" OR ")
    );
    let mut counts = vec![0u64; probes.len()];
    // Per probe: (the row's name, whether it is its key, its rowid).
    let mut found: Vec<Vec<(String, bool, Option<i64>)>> = vec![Vec::new(); probes.len()];
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
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
    }
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
