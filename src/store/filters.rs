//! The WHERE terms that select documents: the Documents tab's filters and
//! search (and a finding's rows), shared by its pages, its count and the
//! export, so all three select the same rows.

use super::catalog::LiveTable;
use super::spec::quote;
use rusqlite::types::Value;

/// Which of the five columns the grid shows a table has; a store in an older
/// shape may lack some, and they then read as NULL.
pub(crate) fn col(live: &LiveTable, name: &str) -> String {
    match live.column(name) {
        Some(c) => quote(&c.name),
        None => "NULL".into(),
    }
}

/// What selects documents: any of these doc_types and any of these
/// statuses (none: all), a search, a list of rows.
pub(crate) struct FilterSet<'a> {
    pub types: &'a [String],
    pub statuses: &'a [String],
    pub search: Option<&'a str>,
    pub rowids: Option<&'a [i64]>,
}

impl FilterSet<'_> {
    pub(crate) fn terms(&self, live: &LiveTable, hint: bool) -> (Vec<String>, Vec<Value>) {
        let hint = if hint { "+" } else { "" };
        let mut filters = Vec::new();
        let mut args = Vec::new();
        if let Some(ids) = self.rowids {
            // A finding's few rows, fetched by rowid.
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            filters.push("rowid IN (SELECT value FROM json_each(?))".to_string());
            args.push(Value::Text(format!("[{}]", list.join(","))));
        }
        for (name, values) in [("doc_type", self.types), ("status", self.statuses)] {
            let c = col(live, name);
            match values {
                [] => {}
                [one] => {
                    filters.push(format!("{hint}{c} = ?"));
                    args.push(Value::Text(one.clone()));
                }
                many => {
                    let marks = vec!["?"; many.len()].join(", ");
                    filters.push(format!("{hint}{c} IN ({marks})"));
                    args.extend(many.iter().cloned().map(Value::Text));
                }
            }
        }
        if let Some(s) = self.search.filter(|s| !s.is_empty()) {
            let pattern = format!(
                "%{}%",
                s.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let cols: Vec<String> = ["id", "slug", "title", "content"]
                .iter()
                .filter(|c| live.column(c).is_some())
                .map(|c| format!("{} LIKE ? ESCAPE '\\'", col(live, c)))
                .collect();
            if !cols.is_empty() {
                filters.push(format!("({})", cols.join(" OR ")));
                for _ in 0..cols.len() {
                    args.push(Value::Text(pattern.clone()));
                }
            }
        }
        (filters, args)
    }
}
