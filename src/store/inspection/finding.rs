//! What inspection and the data checks report: a finding with its severity
//! and a stable code.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The kind of a finding. Serialised as the kebab-case names the README
/// documents for `check --json`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    NoStore,
    MissingTable,
    NotATable,
    NameCase,
    MissingColumn,
    TypeMismatch,
    NotNullMismatch,
    MissingPrimaryKey,
    PrimaryKeyDiffers,
    ColumnOrder,
    ExtraColumn,
    WithoutRowid,
    MissingIndex,
    IndexDiffers,
    LegacyObject,
    LeftoverObject,
    UserVersion,
    NewerStore,
    HotJournal,
    // Data checks.
    NullId,
    DuplicateId,
    NullDocType,
    NullStatus,
    UnknownDocType,
    InvalidJson,
    /// An empty documents table beside upstream's tables that hold rows.
    EmptyDocuments,
    // Business rules (DESIGN §1).
    MissingField,
    InvalidStatus,
    InvalidMediaType,
    InvalidTaskStatus,
    InvalidTaskType,
}

impl Code {
    pub(crate) fn label(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Stable machine name of the kind of finding (documented in the README).
    pub code: Code,
    /// The table, view, index or `table.column` it is about.
    pub object: String,
    pub message: String,
    /// The business rule it checks (DESIGN §1), by its name in the spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// A data finding: how many rows it is about…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// …and up to IDS_AT_MOST of their ids…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// …and the rowids of those among them with no id (NULL or empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rowids_without_id: Vec<i64>,
    /// The rowids of the rows the ids name (for the app to list them).
    #[serde(skip)]
    pub rowids: Vec<i64>,
    /// The table those rows are in.
    #[serde(skip)]
    pub rows_in: RowsIn,
}

/// Where a data finding's rows are: the app lists them there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowsIn {
    #[default]
    Documents,
    Tasks,
}

/// A data finding names at most this many of its rows.
pub const IDS_AT_MOST: usize = 20;

impl Finding {
    pub fn new(
        severity: Severity,
        code: Code,
        object: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            code,
            object: object.into(),
            message: message.into(),
            rule: None,
            count: None,
            ids: Vec::new(),
            rowids_without_id: Vec::new(),
            rowids: Vec::new(),
            rows_in: RowsIn::Documents,
        }
    }

    /// A data finding: about `count` rows, these ids among them.
    pub(crate) fn rows(mut self, count: u64, ids: Vec<String>) -> Self {
        self.count = Some(count);
        self.ids = ids;
        self
    }

    /// The rowids of the rows it names that have no id to name them by.
    pub(crate) fn without_id(mut self, rowids: Vec<i64>) -> Self {
        self.rowids_without_id = rowids;
        self
    }

    /// The rowids of the rows it names.
    pub(crate) fn at(mut self, rowids: Vec<i64>) -> Self {
        self.rowids = rowids;
        self
    }

    /// The store has a hot journal and a private copy of it is read.
    pub(crate) fn hot_journal() -> Self {
        Finding::new(
            Severity::Warning,
            Code::HotJournal,
            "",
            "the store has a hot journal (a write that was interrupted): this shows a private copy of the file and its journal, rolled back in a temporary folder; the file and its journal are untouched until SQLite rolls them back at the next write, e.g. `sqlite3 STORE 'PRAGMA quick_check'`",
        )
    }

    /// A V2 object left beside `documents`: the Overview lists these apart.
    pub(crate) fn is_legacy(&self) -> bool {
        self.code == Code::LegacyObject
    }
}

/// What a screen says while it shows a private copy (see
/// `Finding::hot_journal`).
pub const PRIVATE_COPY: &str = "hot journal: showing a rolled-back private copy";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_to_their_documented_names() {
        for (code, name) in [
            (Code::NotATable, "not-a-table"),
            (Code::WithoutRowid, "without-rowid"),
            (Code::NullDocType, "null-doc-type"),
            (Code::InvalidJson, "invalid-json"),
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), name);
            assert_eq!(code.label(), name);
        }
    }
}
