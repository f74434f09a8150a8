//! The V3 spec, parsed from `assets/v3_schema.json`: the only copy the code reads.

use serde::Deserialize;
use std::sync::OnceLock;

const SPEC_JSON: &str = include_str!("../../assets/v3_schema.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub user_version: i64,
    pub tables: Vec<TableSpec>,
    pub documents_table: String,
    pub doc_types: Vec<String>,
    /// The pipeline's business rules, checked as data (DESIGN §1).
    pub rules: Vec<Rule>,
    pub relations: Relations,
    /// Per doc_type, the columns its detail shows first.
    pub detail_first: std::collections::BTreeMap<String, Vec<String>>,
    pub legacy_tables: Vec<LegacyTable>,
    pub legacy_views: Vec<String>,
    pub leftovers: Vec<String>,
    /// Tables egregora's pipeline keeps beside the V3 ones in its DuckDB
    /// store (DESIGN §9): known, listed as upstream's, never "other".
    pub upstream_tables: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    pub indexes: Vec<IndexSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub decl_type: String,
    #[serde(default)]
    pub not_null: bool,
    #[serde(default)]
    pub primary_key: bool,
    /// The JSON shape the column holds, if it holds JSON.
    #[serde(default)]
    pub json: Option<JsonShape>,
    /// The value a migration puts where the column is missing or NULL.
    #[serde(default)]
    pub fill: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum JsonShape {
    Array,
    Object,
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSpec {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default)]
    pub unique: bool,
    /// How a rebuild fills it. Keys that arrive in no order with the rows
    /// (a slug follows its title) cost a random B-tree insert per row; one
    /// sort after the copy is cheaper. Keys with few values or that follow
    /// insertion order append cheaply while the rows go in, and building
    /// them afterwards would read the whole new table once more.
    #[serde(default)]
    pub rebuild: IndexFill,
}

#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndexFill {
    #[default]
    DuringCopy,
    SortAfterCopy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyTable {
    pub name: String,
    pub doc_type: String,
}

/// One business rule: on `table` (and, in `documents`, rows of `doc_type`),
/// either every `required` column holds a value, or `column` holds one of
/// `allowed`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    pub table: String,
    #[serde(default)]
    pub doc_type: Option<String>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub allowed: Vec<String>,
    /// The finding's code for a value outside `allowed`; `required` rules
    /// report `missing-field`.
    #[serde(default)]
    pub code: Option<crate::store::inspection::finding::Code>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relations {
    /// Each entry of a document's `column` (a JSON array) is the
    /// `target_key` of a `target_doc_type` document, shown by its `label`.
    pub authors: AuthorsRelation,
    /// A `doc_type` document's parent: the `target_key` at `json_path` in
    /// its `column`.
    pub parent: ParentRelation,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorsRelation {
    pub column: String,
    pub target_doc_type: String,
    pub target_key: String,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentRelation {
    pub doc_type: String,
    pub column: String,
    pub json_path: String,
    pub target_key: String,
}

/// The task status of a job that failed: the Overview lists these.
pub const TASK_FAILED: &str = "failed";

/// What an object in the file is, as far as the spec is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectClass {
    V3,
    Legacy,
    Leftover,
    /// A table of upstream's own DuckDB store (`annotations` there is live).
    Upstream,
    Other,
}

impl ObjectClass {
    pub(crate) fn label(self) -> &'static str {
        match self {
            ObjectClass::V3 => "v3",
            ObjectClass::Legacy => "legacy",
            ObjectClass::Leftover => "leftover",
            ObjectClass::Upstream => "upstream",
            ObjectClass::Other => "other",
        }
    }
}

impl Spec {
    /// The V3 spec. The asset is part of the program and a unit test parses it,
    /// so a failure here is a build mistake, not bad input.
    #[allow(clippy::expect_used)]
    pub fn v3() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            serde_json::from_str(SPEC_JSON).expect("assets/v3_schema.json is valid (unit-tested)")
        })
    }

    /// The statuses a task may have (the task status rule's).
    pub fn task_statuses(&self) -> &[String] {
        self.rules
            .iter()
            .find(|r| r.code == Some(crate::store::inspection::finding::Code::InvalidTaskStatus))
            .map_or(&[], |r| r.allowed.as_slice())
    }

    pub(crate) fn table(&self, name: &str) -> Option<&TableSpec> {
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The spec's documents table: the asset names it (unit-tested), so
    /// its absence is a build mistake, not bad input.
    #[allow(clippy::expect_used)]
    pub fn documents(&self) -> &TableSpec {
        self.table(&self.documents_table)
            .expect("the spec names its documents table (unit-tested)")
    }

    /// Classifies a table or view name (names compare case-insensitively).
    pub(crate) fn classify(&self, name: &str) -> ObjectClass {
        let is = |n: &String| n.eq_ignore_ascii_case(name);
        if self.tables.iter().any(|t| is(&t.name)) {
            ObjectClass::V3
        } else if self.legacy_tables.iter().any(|t| is(&t.name)) || self.legacy_views.iter().any(is)
        {
            ObjectClass::Legacy
        } else if self.leftovers.iter().any(is) {
            ObjectClass::Leftover
        } else if self.upstream_tables.iter().any(is) {
            ObjectClass::Upstream
        } else {
            ObjectClass::Other
        }
    }
}

impl TableSpec {
    pub(crate) fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// `CREATE TABLE` for this table under `as_name`, with `extra` column
    /// definitions (already SQL) after the spec's columns.
    pub fn create_sql(&self, as_name: &str, extra: &[String]) -> String {
        let mut lines: Vec<String> = self.columns.iter().map(ColumnSpec::definition).collect();
        lines.extend(extra.iter().cloned());
        format!(
            "CREATE TABLE {} (\n  {}\n)",
            ident(as_name),
            lines.join(",\n  ")
        )
    }
}

impl ColumnSpec {
    pub(crate) fn definition(&self) -> String {
        let mut s = format!("{} {}", ident(&self.name), self.decl_type);
        if self.not_null {
            s.push_str(" NOT NULL");
        }
        if self.primary_key {
            s.push_str(" PRIMARY KEY");
        }
        s
    }
}

impl IndexSpec {
    pub fn create_sql(&self, table: &str) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| ident(c)).collect();
        format!(
            "CREATE {}INDEX {} ON {}({})",
            if self.unique { "UNIQUE " } else { "" },
            ident(&self.name),
            ident(table),
            cols.join(", ")
        )
    }
}

/// An SQL identifier: bare when it is a plain lowercase word, quoted otherwise,
/// so the plans people read stay close to the spec's own text.
pub(crate) fn ident(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name);
    if plain { name.to_string() } else { quote(name) }
}

/// Always-quoted identifier, for names that come from the file.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal.
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

// Words that cannot stand bare as a column or table name in SQLite.
const RESERVED: &[&str] = &[
    "abort",
    "action",
    "add",
    "after",
    "all",
    "alter",
    "always",
    "analyze",
    "and",
    "as",
    "asc",
    "attach",
    "autoincrement",
    "before",
    "begin",
    "between",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "do",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclude",
    "exclusive",
    "exists",
    "explain",
    "fail",
    "filter",
    "first",
    "following",
    "for",
    "foreign",
    "from",
    "full",
    "generated",
    "glob",
    "group",
    "groups",
    "having",
    "if",
    "ignore",
    "immediate",
    "in",
    "index",
    "indexed",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "last",
    "left",
    "like",
    "limit",
    "match",
    "materialized",
    "natural",
    "no",
    "not",
    "nothing",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "or",
    "order",
    "others",
    "outer",
    "over",
    "partition",
    "plan",
    "pragma",
    "preceding",
    "primary",
    "query",
    "raise",
    "range",
    "recursive",
    "references",
    "regexp",
    "reindex",
    "release",
    "rename",
    "replace",
    "restrict",
    "returning",
    "right",
    "rollback",
    "row",
    "rows",
    "savepoint",
    "select",
    "set",
    "table",
    "temp",
    "temporary",
    "then",
    "ties",
    "to",
    "transaction",
    "trigger",
    "unbounded",
    "union",
    "unique",
    "update",
    "using",
    "vacuum",
    "values",
    "view",
    "virtual",
    "when",
    "where",
    "window",
    "with",
    "without",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_parses_and_documents_has_23_columns_in_order() {
        let spec = Spec::v3();
        let docs = spec.documents();
        assert_eq!(docs.columns.len(), 23);
        assert_eq!(docs.columns[0].name, "id");
        assert!(docs.columns[0].primary_key && docs.columns[0].not_null);
        assert_eq!(docs.columns[22].name, "extensions");
        assert_eq!(
            docs.column("DOC_TYPE").and_then(|c| c.fill.as_deref()),
            Some("note")
        );
        assert_eq!(
            docs.column("status").and_then(|c| c.fill.as_deref()),
            Some("draft")
        );
        assert_eq!(spec.user_version, 3);
    }

    #[test]
    fn the_pipeline_doc_types_and_rules_are_in_the_asset() {
        use crate::store::inspection::finding::Code;
        let spec = Spec::v3();
        assert_eq!(spec.doc_types.len(), 12);
        for t in ["announcement", "enrichment_url", "enrichment_audio", "note"] {
            assert!(spec.doc_types.iter().any(|d| d == t), "{t}");
        }
        let docs = spec.documents();
        for r in &spec.rules {
            let table = spec.table(&r.table).expect("a rule names a spec table");
            // Either required columns or one column with its allowed values.
            assert!(r.required.is_empty() != r.column.is_none(), "{}", r.name);
            assert_eq!(r.column.is_some(), r.code.is_some(), "{}", r.name);
            for c in r.required.iter().chain(&r.column) {
                assert!(table.column(c).is_some(), "{}: {c}", r.name);
            }
            if let Some(t) = &r.doc_type {
                assert!(spec.doc_types.contains(t), "{}", r.name);
            }
        }
        let codes: Vec<Code> = spec.rules.iter().filter_map(|r| r.code).collect();
        assert_eq!(
            codes,
            [
                Code::InvalidStatus,
                Code::InvalidMediaType,
                Code::InvalidTaskStatus,
                Code::InvalidTaskType
            ]
        );
        assert!(spec.task_statuses().contains(&TASK_FAILED.to_string()));
        for (t, cols) in &spec.detail_first {
            assert!(spec.doc_types.contains(t), "{t}");
            assert!(cols.iter().all(|c| docs.column(c).is_some()), "{t}");
        }
        let a = &spec.relations.authors;
        assert!(docs.column(&a.column).is_some() && docs.column(&a.label).is_some());
    }

    #[test]
    fn classify_is_case_insensitive() {
        let spec = Spec::v3();
        assert_eq!(spec.classify("Documents"), ObjectClass::V3);
        assert_eq!(spec.classify("POSTS"), ObjectClass::Legacy);
        assert_eq!(spec.classify("documents_view"), ObjectClass::Legacy);
        assert_eq!(spec.classify("documents_new"), ObjectClass::Leftover);
        assert_eq!(spec.classify("settings"), ObjectClass::Other);
    }

    #[test]
    fn identifiers_are_quoted_when_needed() {
        assert_eq!(ident("slug"), "slug");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("Weird \"name\""), "\"Weird \"\"name\"\"\"");
        assert_eq!(literal("it's"), "'it''s'");
    }

    #[test]
    fn create_sql_matches_the_spec_text() {
        let spec = Spec::v3();
        let sql = spec.documents().create_sql("documents", &[]);
        assert!(sql.starts_with("CREATE TABLE documents (\n  id TEXT NOT NULL PRIMARY KEY,"));
        assert!(sql.contains("doc_type TEXT NOT NULL,\n  extensions TEXT\n)"));
        let idx = &spec.table("messages").unwrap().indexes[0];
        assert_eq!(
            idx.create_sql("messages"),
            "CREATE UNIQUE INDEX idx_messages_pk ON messages(event_id)"
        );
    }
}
