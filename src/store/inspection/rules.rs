//! The pipeline's business rules (DESIGN §1, kept in the spec asset) as
//! probes: one SQL condition each, run together in the one pass of the
//! data checks over their table.

use crate::store::inspection::catalog::LiveTable;
use crate::store::inspection::finding::{Code, Severity};
use crate::store::spec::{Rule, Spec, literal, quote};

/// One kind of bad row: the condition that finds it, and how a finding
/// about it reads.
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    pub code: Code,
    pub severity: Severity,
    /// The table or `table.column` it is about.
    pub object: String,
    /// The business rule it checks, by its name in the spec.
    pub rule: Option<String>,
    /// SQL: true for a row it finds.
    pub cond: String,
    /// SQL: what the message shows beside a sample row's id.
    pub show: String,
    /// The rows found, as the message names them: "row(s) have a NULL id".
    pub what: String,
}

/// A value counts as missing when it is NULL or blank text.
fn missing(col: &str) -> String {
    missing_sql(&quote(col))
}

/// Whether the value of `expr` (SQL) counts as missing (see `missing`).
pub(crate) fn missing_sql(expr: &str) -> String {
    format!("({expr} IS NULL OR (typeof({expr}) = 'text' AND trim({expr}) = ''))")
}

/// The probes of the rules on `table` whose columns the live table has.
pub(crate) fn probes(spec: &Spec, table: &str, live: &LiveTable) -> Vec<Probe> {
    let has = |c: &str| live.column(c).is_some();
    spec.rules
        .iter()
        .filter(|r| r.table.eq_ignore_ascii_case(table))
        .filter(|r| r.doc_type.is_none() || has("doc_type"))
        .filter(|r| r.required.iter().chain(&r.column).all(|c| has(c)))
        .map(|r| probe(spec, r))
        .collect()
}

fn probe(spec: &Spec, r: &Rule) -> Probe {
    let (scope, subject) = match &r.doc_type {
        Some(t) => (
            format!("doc_type = {} AND ", literal(t)),
            format!("{t} document(s)"),
        ),
        None => (String::new(), format!("{}(s)", singular(&r.table))),
    };
    match &r.column {
        None => {
            let any: Vec<String> = r.required.iter().map(|c| missing(c)).collect();
            // Names the columns a row lacks: "no slug, status".
            let named: Vec<String> = r
                .required
                .iter()
                .map(|c| format!("CASE WHEN {} THEN {} END", missing(c), literal(c)))
                .collect();
            Probe {
                code: Code::MissingField,
                severity: Severity::Warning,
                object: r.table.clone(),
                rule: Some(r.name.clone()),
                cond: format!("{scope}({})", any.join(" OR ")),
                show: format!("'no ' || concat_ws(', ', {})", named.join(", ")),
                what: format!("{subject} without {}", or_list(&r.required)),
            }
        }
        Some(col) => {
            let q = quote(col);
            let allowed: Vec<String> = r.allowed.iter().map(|v| literal(v)).collect();
            // A NULL a fields rule of the same rows already reports is not
            // reported twice.
            let required_elsewhere = spec.rules.iter().any(|o| {
                o.table.eq_ignore_ascii_case(&r.table)
                    && o.doc_type == r.doc_type
                    && o.required.iter().any(|c| c.eq_ignore_ascii_case(col))
            });
            let null = if required_elsewhere {
                format!("{q} IS NOT NULL AND ")
            } else {
                format!("{q} IS NULL OR ")
            };
            Probe {
                code: r.code.unwrap_or(Code::InvalidStatus),
                severity: Severity::Warning,
                object: format!("{}.{col}", r.table),
                rule: Some(r.name.clone()),
                cond: format!("{scope}({null}{q} NOT IN ({}))", allowed.join(", ")),
                show: format!("quote(substr({q}, 1, 40))"),
                what: format!("{subject} with a {col} outside {}", r.allowed.join("/")),
            }
        }
    }
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn singular(table: &str) -> &str {
    table.strip_suffix('s').unwrap_or(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let s = |v: &[&str]| or_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["title"]), "title");
        assert_eq!(s(&["title", "slug", "status"]), "title, slug or status");
    }
}
