//! The pipeline's background jobs (`tasks`): how many by status and by
//! task_type, and pages of them newest first.

use crate::store::cell::{Cell, DETAIL_CHARS, cut_sql};
use crate::store::inspection::catalog::{LiveTable, lossy};
use crate::store::read::row_key::{KeyColumns, RowKey};
use crate::store::spec::{Spec, TASK_FAILED, quote};
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskCounts {
    pub total: u64,
    /// (status, count), most first; None is a NULL status.
    pub by_status: Vec<(Option<String>, u64)>,
    pub by_type: Vec<(Option<String>, u64)>,
    pub failed: u64,
}

impl TaskCounts {
    /// One pass over `tasks`, grouped by both at once.
    pub fn read(conn: &Connection, live: &LiveTable) -> rusqlite::Result<TaskCounts> {
        let col = |c: &str| {
            if live.column(c).is_some() {
                quote(c)
            } else {
                "NULL".into()
            }
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {}, {}, count(*) FROM {} GROUP BY 1, 2",
            col("status"),
            col("task_type"),
            quote(&live.name)
        ))?;
        let mut rows = stmt.query([])?;
        let mut c = TaskCounts::default();
        let add = |list: &mut Vec<(Option<String>, u64)>, key: Option<String>, n: u64| match list
            .iter_mut()
            .find(|e| e.0 == key)
        {
            Some(e) => e.1 += n,
            None => list.push((key, n)),
        };
        while let Some(r) = rows.next()? {
            let n = u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0);
            let status = lossy(r, 0)?;
            if status.as_deref() == Some(TASK_FAILED) {
                c.failed += n;
            }
            c.total += n;
            add(&mut c.by_status, status, n);
            add(&mut c.by_type, lossy(r, 1)?, n);
        }
        for list in [&mut c.by_status, &mut c.by_type] {
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(c)
    }
}

/// How many tasks a list reads at a time.
pub const PAGE: usize = 50;

/// Which tasks a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskSelection {
    Failed,
    /// The rows a data finding names.
    Rows(Vec<i64>),
}

/// Where a task stands in the newest-first order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskKey {
    pub created: String,
    pub rowid: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskAnchor {
    Newest,
    Oldest,
    /// The tasks older than this one.
    After(TaskKey),
    /// The tasks newer than this one.
    Before(TaskKey),
}

/// One task, its long values cut at DETAIL_CHARS.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub key: TaskKey,
    /// task_id, task_type, status, created_at, processed_at, error, payload.
    pub fields: Vec<(String, Cell)>,
    /// The document its payload names, once looked up (`link_documents`).
    pub target: Option<TaskTarget>,
}

/// A document a task's payload names: the field and value naming it, and
/// the document found (None: not in documents).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskTarget {
    pub field: &'static str,
    pub value: String,
    pub rowid: Option<RowKey>,
    /// Its doc_type and title.
    pub label: Option<String>,
}

/// The payload fields that name a document, and the column each names it
/// by.
const NAMES_DOCUMENT: [(&str, &str); 3] = [
    ("document_id", "id"),
    ("doc_id", "id"),
    ("post_slug", "slug"),
];

/// The first field of a JSON object `payload` that names a document, with
/// the column it names it by and its value.
pub fn payload_names(payload: &str) -> Option<(&'static str, &'static str, String)> {
    let v: serde_json::Value = serde_json::from_str(payload).ok()?;
    NAMES_DOCUMENT.iter().find_map(|&(field, column)| {
        let value = match v.get(field)? {
            serde_json::Value::String(s) if !s.is_empty() => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return None,
        };
        Some((field, column, value))
    })
}

/// Looks up the document each task's payload names, through the index of
/// its column (the primary key, `idx_documents_slug`): a post first where
/// a slug is shared.
pub fn link_documents(
    conn: &Connection,
    docs: &LiveTable,
    tasks: &mut [Task],
) -> rusqlite::Result<()> {
    let keys = KeyColumns::of(docs);
    let post_first = if docs.column("doc_type").is_some() {
        "(doc_type = 'post') DESC, "
    } else {
        ""
    };
    let title = if docs.column("title").is_some() {
        "CASE WHEN title IS NULL THEN '' ELSE ' ' || quote(substr(title, 1, 80)) END"
    } else {
        "''"
    };
    for t in tasks.iter_mut() {
        let payload = t.fields.iter().find_map(|(n, c)| match c {
            Cell::Text { text, .. } if n == "payload" => payload_names(text),
            _ => None,
        });
        let Some((field, column, value)) = payload else {
            continue;
        };
        let found = match docs.column(column) {
            Some(_) => {
                let sql = format!(
                    "SELECT {}, {} || {title} FROM {} WHERE {} = ?1 ORDER BY {post_first}{} LIMIT 1",
                    keys.list(),
                    crate::store::read::filters::col(docs, "doc_type"),
                    quote(&docs.name),
                    quote(column),
                    keys.order("ASC")
                );
                conn.query_row(&sql, [&value], |r| {
                    Ok((keys.get(r, 0)?, lossy(r, keys.width())?))
                })
                .optional()?
            }
            None => None,
        };
        t.target = Some(TaskTarget {
            field,
            value,
            label: found.as_ref().and_then(|f| f.1.clone()),
            rowid: found.map(|f| f.0),
        });
    }
    Ok(())
}

const FIELDS: [&str; 7] = [
    "task_id",
    "task_type",
    "status",
    "created_at",
    "processed_at",
    "error",
    "payload",
];

/// Up to `limit` tasks of `sel` from `anchor`, newest first. `tasks` has no
/// index the spec gives it: each page is one pass with a top-N sort.
pub fn page(
    conn: &Connection,
    live: &LiveTable,
    sel: &TaskSelection,
    anchor: &TaskAnchor,
    limit: usize,
) -> rusqlite::Result<Vec<Task>> {
    let has = |c: &str| live.column(c).is_some();
    let cols: Vec<String> = FIELDS
        .iter()
        .map(|c| {
            if has(c) {
                cut_sql(&quote(c), DETAIL_CHARS)
            } else {
                "NULL, NULL".into()
            }
        })
        .collect();
    let created = if has("created_at") {
        "coalesce(CAST(created_at AS TEXT), '')"
    } else {
        "''"
    };
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut conds = vec![match sel {
        TaskSelection::Failed if has("status") => format!("status = '{TASK_FAILED}'"),
        TaskSelection::Failed => "0".into(),
        TaskSelection::Rows(r) => {
            args.push(serde_json::to_string(r).unwrap_or_default().into());
            "rowid IN (SELECT value FROM json_each(?1))".into()
        }
    }];
    let mut keyset = |k: &TaskKey, op: &str| {
        args.push(k.created.clone().into());
        args.push(k.rowid.into());
        let n = args.len();
        conds.push(format!("({created}, rowid) {op} (?{}, ?{n})", n - 1));
    };
    let (order, reverse) = match anchor {
        TaskAnchor::Newest => ("DESC", false),
        TaskAnchor::Oldest => ("ASC", true),
        TaskAnchor::After(k) => {
            keyset(k, "<");
            ("DESC", false)
        }
        TaskAnchor::Before(k) => {
            keyset(k, ">");
            ("ASC", true)
        }
    };
    let sql = format!(
        "SELECT {created}, rowid, {} FROM {} WHERE {} ORDER BY 1 {order}, 2 {order} LIMIT {limit}",
        cols.join(", "),
        quote(&live.name),
        conds.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut q = stmt.query(rusqlite::params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(r) = q.next()? {
        let mut fields = Vec::with_capacity(FIELDS.len());
        for (i, name) in FIELDS.iter().enumerate() {
            fields.push((name.to_string(), Cell::at(r, 2 + 2 * i)?));
        }
        out.push(Task {
            key: TaskKey {
                created: lossy(r, 0)?.unwrap_or_default(),
                rowid: r.get(1)?,
            },
            fields,
            target: None,
        });
    }
    if reverse {
        out.reverse();
    }
    Ok(out)
}

/// The live `tasks` table, when the store has one with rowids to page by.
pub fn live_tasks(ins: &crate::store::inspection::inspect::Inspection) -> Option<&LiveTable> {
    let name = &Spec::v3().table("tasks")?.name;
    ins.live(name).filter(|t| !t.without_rowid)
}
