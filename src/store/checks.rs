//! The data checks of DESIGN §2, run on demand because they scan `documents`.

use super::error::{Result, StoreError};
use super::inspect::{Finding, Inspection, Severity};
use super::plan::duplicates;
use super::spec::{JsonShape, Spec, literal, quote};
use rusqlite::Connection;

const SAMPLE: usize = 5;

pub fn run(conn: &Connection, ins: &Inspection) -> Result<Vec<Finding>> {
    let spec = Spec::v3();
    let Some(live) = ins.live(&spec.documents_table) else {
        return Ok(Vec::new());
    };
    let err = |e| StoreError::sqlite(&ins.path, "data check failed", e);
    let table = quote(&live.name);
    let has = |c: &str| live.column(c).is_some();

    // One scan counts every kind of bad value.
    let mut probes: Vec<(&'static str, Severity, String, String)> = Vec::new();
    for (col, code) in [
        ("id", "null-id"),
        ("doc_type", "null-doc-type"),
        ("status", "null-status"),
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
            "unknown-doc-type",
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
        probes.push(("invalid-json", Severity::Warning, c.name.clone(), cond));
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
            let key = if *code == "null-id" {
                "rowid".to_string()
            } else {
                "quote(id)".to_string()
            };
            let sample: Vec<String> = {
                let mut stmt = conn
                    .prepare(&format!("SELECT {key}, quote(substr({}, 1, 40)) FROM {table} WHERE {cond} LIMIT {SAMPLE}", quote(col)))
                    .map_err(err)?;
                let rows = stmt
                    .query_map([], |r| {
                        let k = super::catalog::lossy(r, 0)?.unwrap_or_default();
                        let v = super::catalog::lossy(r, 1)?.unwrap_or_default();
                        Ok(format!("{k} = {v}"))
                    })
                    .map_err(err)?;
                rows.collect::<rusqlite::Result<_>>().map_err(err)?
            };
            let what = match *code {
                "null-id" => "a NULL id".to_string(),
                "null-doc-type" => "a NULL doc_type".to_string(),
                "null-status" => "a NULL status".to_string(),
                "unknown-doc-type" => format!("a doc_type outside {}", spec.doc_types.join("/")),
                _ => format!("{col} that is not valid JSON of the expected shape"),
            };
            findings.push(Finding::new(
                *severity,
                code,
                format!("{}.{col}", spec.documents_table),
                format!(
                    "{n} row(s) have {what}: {}",
                    listed(&sample, u64::try_from(n).unwrap_or(0))
                ),
            ));
        }
    }
    if has("id") {
        let (names, n) = duplicates(conn, &live.name, "id").map_err(err)?;
        if n > 0 {
            findings.push(Finding::new(
                Severity::Error,
                "duplicate-id",
                format!("{}.id", spec.documents_table),
                format!("{n} id(s) appear more than once: {}", listed(&names, n)),
            ));
        }
    }
    Ok(findings)
}

/// The sample, then an ellipsis when `n` rows are more than it shows.
fn listed(sample: &[String], n: u64) -> String {
    let more = if n > sample.len() as u64 { ", …" } else { "" };
    format!("{}{more}", sample.join(", "))
}

#[cfg(test)]
mod tests {
    use super::listed;

    #[test]
    fn a_sample_shorter_than_the_count_ends_in_an_ellipsis() {
        let s = ["'a'".to_string(), "'b'".to_string()];
        assert_eq!(listed(&s, 2), "'a', 'b'");
        assert_eq!(listed(&s, 3), "'a', 'b', …");
    }
}
