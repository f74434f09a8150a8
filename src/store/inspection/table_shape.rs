//! One spec table beside its live shape: the findings, and what it needs.
//! `documents` is rebuilt for any shape difference (an error); the other
//! tables only get missing columns added, so a difference there is a
//! warning.

use crate::store::inspection::catalog::LiveTable;
use crate::store::inspection::finding::{Code, Finding, Severity};
use crate::store::spec::TableSpec;

/// What a table's live shape needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// A column to add (init does it in place).
    pub init: bool,
    /// A rebuild (documents only).
    pub migration: bool,
}

/// A difference of shape, before its severity is known.
type Shape = Vec<(Code, String, String)>;

/// Compares one spec table with its live shape, adding the findings to `f`.
pub(crate) fn compare_table(
    t: &TableSpec,
    live: &LiveTable,
    is_documents: bool,
    f: &mut Vec<Finding>,
) -> Needs {
    let mut shape = Shape::new();
    let missing = columns(t, live, f, &mut shape);
    order(t, live, &mut shape);
    keys_and_extras(t, live, f, &mut shape);
    let needs = Needs {
        init: missing && !is_documents,
        migration: is_documents && (missing || !shape.is_empty()),
    };
    let severity = if is_documents {
        Severity::Error
    } else {
        Severity::Warning
    };
    f.extend(shape.into_iter().map(|(code, object, msg)| {
        // A side table's columns out of order are harmless (everything reads
        // them by name) and what init's ADD COLUMN leaves: worth knowing only.
        let severity = if code == Code::ColumnOrder && !is_documents {
            Severity::Info
        } else {
            severity
        };
        Finding::new(severity, code, object, msg)
    }));
    if is_documents && live.without_rowid {
        f.push(Finding::new(
            Severity::Info,
            Code::WithoutRowid,
            &t.name,
            "documents is a WITHOUT ROWID table",
        ));
    }
    needs
}

/// Each spec column: missing (a finding of its own, returned true), or its
/// type, NOT NULL and key beside the spec's.
fn columns(t: &TableSpec, live: &LiveTable, f: &mut Vec<Finding>, shape: &mut Shape) -> bool {
    let obj = |c: &str| format!("{}.{}", t.name, c);
    let mut missing = false;
    for c in &t.columns {
        let Some(lc) = live.column(&c.name) else {
            missing = true;
            f.push(Finding::new(
                Severity::Error,
                Code::MissingColumn,
                obj(&c.name),
                format!("column {} is missing", obj(&c.name)),
            ));
            continue;
        };
        if !lc.decl_type.trim().eq_ignore_ascii_case(&c.decl_type) {
            let shown = if lc.decl_type.is_empty() {
                "no type".to_string()
            } else {
                lc.decl_type.clone()
            };
            shape.push((
                Code::TypeMismatch,
                obj(&c.name),
                format!(
                    "column {} is declared {shown}, the spec says {}",
                    obj(&c.name),
                    c.decl_type
                ),
            ));
        }
        if c.not_null && !lc.not_null && !(c.primary_key && lc.pk > 0 && live.without_rowid) {
            shape.push((
                Code::NotNullMismatch,
                obj(&c.name),
                format!(
                    "column {} allows NULL, the spec says NOT NULL",
                    obj(&c.name)
                ),
            ));
        } else if !c.not_null && lc.not_null {
            f.push(Finding::new(
                Severity::Warning,
                Code::NotNullMismatch,
                obj(&c.name),
                format!("column {} is NOT NULL, the spec allows NULL", obj(&c.name)),
            ));
        }
        if c.primary_key && lc.pk == 0 {
            shape.push((
                Code::MissingPrimaryKey,
                obj(&c.name),
                format!("column {} is not the primary key", obj(&c.name)),
            ));
        }
    }
    missing
}

/// The columns both have, in the live order beside the spec's: a missing
/// or extra column shifts the others, which is no difference of order (the
/// missing column is the finding). One finding names those out of place.
fn order(t: &TableSpec, live: &LiveTable, shape: &mut Shape) {
    let spec: Vec<&str> = t
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| live.column(n).is_some())
        .collect();
    let found: Vec<&str> = live
        .columns
        .iter()
        .filter_map(|l| {
            t.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(&l.name))
        })
        .map(|c| c.name.as_str())
        .collect();
    let out: Vec<&str> = spec
        .iter()
        .zip(&found)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| *a)
        .collect();
    if out.is_empty() {
        return;
    }
    shape.push((
        Code::ColumnOrder,
        t.name.clone(),
        format!(
            "columns {} of {} are not in the spec's order (it has them as {})",
            out.join(", "),
            t.name,
            found.join(", ")
        ),
    ));
}

/// Live columns in the primary key that the spec's key lacks, and columns
/// the spec does not have (kept: info).
fn keys_and_extras(t: &TableSpec, live: &LiveTable, f: &mut Vec<Finding>, shape: &mut Shape) {
    let obj = |c: &str| format!("{}.{}", t.name, c);
    let spec_pk: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.as_str())
        .collect();
    for lc in &live.columns {
        if lc.pk > 0 && !spec_pk.iter().any(|p| p.eq_ignore_ascii_case(&lc.name)) {
            shape.push((
                Code::PrimaryKeyDiffers,
                obj(&lc.name),
                format!(
                    "column {} is part of the primary key, the spec's key is {}",
                    obj(&lc.name),
                    spec_pk.join(", ")
                ),
            ));
        }
        if t.column(&lc.name).is_none() {
            // Info (DESIGN §2): init keeps extra columns on purpose.
            f.push(Finding::new(
                Severity::Info,
                Code::ExtraColumn,
                obj(&lc.name),
                format!("extra column {} (kept, never dropped)", obj(&lc.name)),
            ));
        }
    }
}
