//! The pipeline's background jobs (`tasks`): how many by status and by
//! task_type, and pages of them newest first.

use crate::store::cell::{Cell, DETAIL_CHARS, cut_sql};
use crate::store::inspection::catalog::{LiveTable, lossy};
use crate::store::spec::{Spec, TASK_FAILED, quote};
use rusqlite::Connection;

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
