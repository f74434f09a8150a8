//! The data checks of DESIGN §2, run on demand because they scan `documents`.

use super::error::{Result, StoreError};
use super::finding::{Code, Finding, IDS_AT_MOST, Severity};
use super::inspect::Inspection;
use super::sample::{NAME_AT_MOST, Sample};
use super::spec::{JsonShape, Spec, literal, quote};
use rusqlite::Connection;

pub(crate) fn run(conn: &Connection, ins: &Inspection) -> Result<Vec<Finding>> {
    let spec = Spec::v3();
    let Some(live) = ins.live(&spec.documents_table) else {
        return Ok(Vec::new());
    };
    let err = |e| StoreError::sqlite(&ins.path, "data check failed", e);
    let table = quote(&live.name);
    let has = |c: &str| live.column(c).is_some();

    // One scan counts every kind of bad value.
    let mut probes: Vec<(Code, Severity, String, String)> = Vec::new();
    for (col, code) in [
        ("id", Code::NullId),
        ("doc_type", Code::NullDocType),
        ("status", Code::NullStatus),
    ] {
        if has(col) {
            probes.push((
                code,
                Severity::Error,
                col.into(),
                format!("{} IS NULL", quote(col)),
            ));
        }
    }
    if has("doc_type") {
        let known: Vec<String> = spec.doc_types.iter().map(|t| literal(t)).collect();
        probes.push((
            Code::UnknownDocType,
            Severity::Warning,
            "doc_type".into(),
            format!("doc_type NOT IN ({})", known.join(", ")),
        ));
    }
    for c in spec
        .documents()
        .columns
        .iter()
        .filter(|c| c.json.is_some() && has(&c.name))
    {
        let q = quote(&c.name);
        let shape = match c.json {
            Some(JsonShape::Array) => {
                format!(" OR CASE WHEN json_valid({q}) THEN json_type({q}) END <> 'array'")
            }
            Some(JsonShape::Object) => {
                format!(" OR CASE WHEN json_valid({q}) THEN json_type({q}) END <> 'object'")
            }
            _ => String::new(),
        };
        let cond =
            format!("{q} IS NOT NULL AND (typeof({q}) <> 'text' OR NOT json_valid({q}){shape})");
        probes.push((Code::InvalidJson, Severity::Warning, c.name.clone(), cond));
    }
    let mut findings = Vec::new();
    if !probes.is_empty() {
        let sums: Vec<String> = probes
            .iter()
            .map(|(_, _, _, cond)| format!("coalesce(sum(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)"))
            .collect();
        let sql = format!("SELECT {} FROM {table}", sums.join(", "));
        let counts: Vec<i64> = conn
            .query_row(&sql, [], |r| (0..probes.len()).map(|i| r.get(i)).collect())
            .map_err(err)?;
        for ((code, severity, col, cond), n) in probes.iter().zip(counts) {
            if n == 0 {
                continue;
            }
            let key = if *code == Code::NullId {
                "'rowid ' || rowid".to_string()
            } else {
                "id".to_string()
            };
            let rows: Vec<(String, String, i64)> = {
                let mut stmt = conn
                    .prepare(&format!("SELECT {key}, quote(substr({}, 1, 40)), rowid FROM {table} WHERE {cond} LIMIT {IDS_AT_MOST}", quote(col)))
                    .map_err(err)?;
                let rows = stmt
                    .query_map([], |r| {
                        let k = super::catalog::lossy(r, 0)?.unwrap_or_default();
                        let v = super::catalog::lossy(r, 1)?.unwrap_or_default();
                        Ok((k, v, r.get(2)?))
                    })
                    .map_err(err)?;
                rows.collect::<rusqlite::Result<_>>().map_err(err)?
            };
            let sample: Vec<String> = rows
                .iter()
                .take(NAME_AT_MOST)
                .map(|(k, v, _)| {
                    if *code == Code::NullId {
                        format!("{k} = {v}")
                    } else {
                        format!("{} = {v}", literal(k))
                    }
                })
                .collect();
            let what = match *code {
                Code::NullId => "a NULL id".to_string(),
                Code::NullDocType => "a NULL doc_type".to_string(),
                Code::NullStatus => "a NULL status".to_string(),
                Code::UnknownDocType => format!("a doc_type outside {}", spec.doc_types.join("/")),
                _ => format!("{col} that is not valid JSON of the expected shape"),
            };
            let n = u64::try_from(n).unwrap_or(0);
            findings.push(
                Finding::new(
                    *severity,
                    *code,
                    format!("{}.{col}", spec.documents_table),
                    format!(
                        "{n} row(s) have {what}: {}",
                        Sample {
                            names: sample,
                            count: n
                        }
                        .listed()
                    ),
                )
                .rows(n, rows.iter().map(|(k, _, _)| k.clone()).collect())
                .at(rows.iter().map(|r| r.2).collect()),
            );
        }
    }
    if has("id") {
        // One pass over the id index: how many ids repeat, the first few
        // with their counts for the message, and up to IDS_AT_MOST of them.
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, count(*) FROM {table} WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1"
            ))
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        let (mut count, mut ids, mut names) = (0u64, Vec::new(), Vec::new());
        while let Some(r) = rows.next().map_err(err)? {
            count += 1;
            if ids.len() < IDS_AT_MOST {
                let id = super::catalog::lossy(r, 0)
                    .map_err(err)?
                    .unwrap_or_default();
                if names.len() < NAME_AT_MOST {
                    let n: i64 = r.get(1).map_err(err)?;
                    names.push(format!("{id:?} ({n}×)"));
                }
                ids.push(id);
            }
        }
        if count > 0 {
            // Every row that carries one of the ids named.
            let list = serde_json::to_string(&ids).unwrap_or_default();
            let rowids: Vec<i64> = conn
                .prepare(&format!(
                    "SELECT rowid FROM {table} WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY rowid LIMIT {}",
                    IDS_AT_MOST * 10
                ))
                .and_then(|mut st| {
                    st.query_map([list], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()
                })
                .map_err(err)?;
            let dups = Sample { names, count };
            findings.push(
                Finding::new(
                    Severity::Error,
                    Code::DuplicateId,
                    format!("{}.id", spec.documents_table),
                    format!("{count} id(s) appear more than once: {}", dups.listed()),
                )
                .rows(count, ids)
                .at(rowids),
            );
        }
    }
    Ok(findings)
}
