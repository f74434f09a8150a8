//! `fix`: the data findings a rule can repair by itself, as statements of
//! one change. Everything else needs a person and is left, named.

use crate::store::inspection::catalog::LiveTable;
use crate::store::inspection::finding::{Code, Finding, Severity};
use crate::store::spec::Spec;

/// The codes fix repairs (a `missing-field` only where a profile lacks its
/// title and has an alias to take it from).
pub const FIXABLE: &[Code] = &[Code::MissingField, Code::NullDocType, Code::NullStatus];

/// A value counts as missing when it is NULL or blank text (as the rules say).
fn missing(col: &str) -> String {
    format!("({col} IS NULL OR (typeof({col}) = 'text' AND trim({col}) = ''))")
}

/// The statements that repair what `only` names (every fixable code when
/// empty), for the columns `documents` has.
pub(crate) fn statements(documents: Option<&LiveTable>, only: &[Code]) -> Vec<String> {
    let Some(live) = documents else {
        return Vec::new();
    };
    let table = crate::store::spec::quote(&Spec::v3().documents_table);
    let has = |c: &str| live.column(c).is_some();
    let wanted = |c: Code| only.is_empty() || only.contains(&c);
    let mut out = Vec::new();
    // As upstream's own profile cache does: a profile's title is its alias.
    if wanted(Code::MissingField) && has("title") && has("alias") && has("doc_type") {
        out.push(format!(
            "UPDATE {table} SET title = alias WHERE doc_type = 'profile' AND {} AND NOT {}",
            missing("title"),
            missing("alias")
        ));
    }
    // As init does for rows that had none.
    if wanted(Code::NullDocType) && has("doc_type") {
        out.push(format!(
            "UPDATE {table} SET doc_type = 'note' WHERE doc_type IS NULL"
        ));
    }
    if wanted(Code::NullStatus) && has("status") {
        out.push(format!(
            "UPDATE {table} SET status = 'draft' WHERE status IS NULL"
        ));
    }
    out
}

/// Whether fix may repair some rows of `finding`: a NULL doc_type or
/// status always; a missing field only under the rule that asks a
/// profile for its title (filled from its alias).
pub fn repairs(finding: &Finding) -> bool {
    match finding.code {
        Code::NullDocType | Code::NullStatus => true,
        Code::MissingField => Spec::v3().rules.iter().any(|r| {
            Some(&r.name) == finding.rule.as_ref()
                && r.doc_type.as_deref() == Some("profile")
                && r.required.iter().any(|c| c == "title")
        }),
        _ => false,
    }
}

/// The findings that still need a person: warnings and errors.
pub(crate) fn left(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect()
}
