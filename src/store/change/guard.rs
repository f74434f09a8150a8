//! What `exec` runs: one INSERT, UPDATE or DELETE on the store's own
//! tables. The query guard's judgement decides every read; writes are
//! allowed only to tables of `main` that are not SQLite's own, and every
//! table written (also by a trigger) is named with the columns it sets, so
//! the recorder can follow each (see `rowid`).

use super::rowid::Written;
use crate::store::error::{Result, StoreError};
use crate::store::read::query::guard::judge;
use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Seen {
    refused: Option<String>,
    written: Vec<Written>,
}

/// Checks `sql` on `conn` (which it leaves without an authorizer) and
/// returns the tables it writes, each once, with the columns it sets.
pub(crate) fn check(conn: &mut Connection, sql: &str) -> Result<Vec<Written>> {
    let first = first_word(sql).to_ascii_uppercase();
    if !matches!(
        first.as_str(),
        "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "WITH"
    ) {
        let what = if first.is_empty() {
            "no statement".to_string()
        } else {
            format!("{first} is not a data change")
        };
        return Err(StoreError::Refused(format!(
            "refused: {what}; exec runs one INSERT, UPDATE or DELETE (query reads)"
        )));
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    let slot = seen.clone();
    let set = conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        let verdict = decide(&ctx);
        let Ok(mut s) = slot.lock() else {
            return Authorization::Deny;
        };
        match verdict {
            Ok(Some((table, column))) => {
                let w = match s.written.iter().position(|w| w.table == table) {
                    Some(i) => &mut s.written[i],
                    None => {
                        s.written.push(Written {
                            table,
                            set: Vec::new(),
                        });
                        let last = s.written.len() - 1;
                        &mut s.written[last]
                    }
                };
                if let Some(c) = column.filter(|c| !w.set.contains(c)) {
                    w.set.push(c);
                }
                Authorization::Allow
            }
            Ok(None) => Authorization::Allow,
            Err(why) => {
                s.refused.get_or_insert(why);
                Authorization::Deny
            }
        }
    }));
    let path = std::path::Path::new("");
    set.map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    let prepared = conn.prepare(sql).map(|s| s.readonly());
    let off = conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    off.map_err(|e| StoreError::sqlite(path, "cannot set up the connection", e))?;
    let seen = seen
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    match prepared {
        Err(_) if seen.refused.is_some() => Err(StoreError::Refused(format!(
            "refused: {}",
            seen.refused.unwrap_or_default()
        ))),
        Err(rusqlite::Error::MultipleStatement) => Err(StoreError::Refused(
            "refused: several statements; exec runs one at a time".into(),
        )),
        Err(e) => Err(StoreError::Sql {
            message: e.to_string(),
            at: None,
        }),
        Ok(true) => Err(StoreError::Refused(
            "refused: the statement changes nothing; query reads".into(),
        )),
        Ok(false) => Ok(seen.written),
    }
}

/// Ok(Some((table, column set))) for a write to allow, Ok(None) for a
/// read, Err(why).
type Write = Option<(String, Option<String>)>;

fn decide(ctx: &AuthContext<'_>) -> Result<Write, String> {
    use AuthAction as A;
    let (table, column) = match ctx.action {
        A::Insert { table_name } | A::Delete { table_name } => (table_name, None),
        A::Update {
            table_name,
            column_name,
        } => (table_name, Some(column_name.to_ascii_lowercase())),
        A::Select
        | A::Read { .. }
        | A::Recursive
        | A::Function { .. }
        | A::Pragma { .. }
        | A::Attach { .. }
        | A::Detach { .. }
        | A::Transaction { .. }
        | A::Savepoint { .. } => return judge(&ctx.action).map(|()| None),
        _ => {
            return Err(
                "the statement changes the schema (CREATE, DROP, ALTER …); exec changes rows only"
                    .into(),
            );
        }
    };
    let name = crate::text::escape(table).into_owned();
    if table
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
    {
        return Err(format!(
            "{name} is SQLite's own table; exec writes the store's tables only"
        ));
    }
    if !ctx
        .database_name
        .is_some_and(|d| d.eq_ignore_ascii_case("main"))
    {
        return Err(format!("{name} is not a table of the store"));
    }
    Ok(Some((table.to_ascii_lowercase(), column)))
}

/// The statement's first word, past white space and comments.
fn first_word(sql: &str) -> &str {
    let mut s = sql.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE documents (id TEXT PRIMARY KEY, status TEXT);
             CREATE TABLE tasks (task_id TEXT, status TEXT);
             CREATE TABLE counted (n INTEGER PRIMARY KEY AUTOINCREMENT);",
        )
        .unwrap();
        c
    }

    #[test]
    fn one_data_change_passes_and_names_its_tables() {
        let mut c = conn();
        let t = check(
            &mut c,
            "/* x */ -- y\n UPDATE documents SET status = 'draft'",
        )
        .unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].table, "documents");
        assert_eq!(t[0].set, ["status"]);
        let t = check(
            &mut c,
            "WITH d AS (SELECT id FROM documents) DELETE FROM tasks WHERE task_id IN d",
        )
        .unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].table.as_str(), t[0].set.len()), ("tasks", 0));
    }

    #[test]
    fn the_columns_a_trigger_sets_are_named_too() {
        let mut c = conn();
        c.execute_batch(
            "CREATE TRIGGER t AFTER UPDATE ON tasks BEGIN
               UPDATE documents SET status = new.status WHERE id = new.task_id;
             END;",
        )
        .unwrap();
        let t = check(&mut c, "UPDATE tasks SET Status = 'x', task_id = 'y'").unwrap();
        let set = |name: &str| t.iter().find(|w| w.table == name).unwrap().set.clone();
        assert_eq!(set("tasks"), ["status", "task_id"]);
        assert_eq!(set("documents"), ["status"]);
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        let mut c = conn();
        for (sql, says) in [
            ("DROP TABLE tasks", "DROP is not a data change"),
            ("PRAGMA user_version = 4", "PRAGMA is not"),
            ("VACUUM", "VACUUM is not"),
            ("BEGIN", "BEGIN is not"),
            ("ATTACH 'x' AS y", "ATTACH is not"),
            ("SELECT 1", "SELECT is not"),
            (
                "DELETE FROM tasks; DELETE FROM documents",
                "several statements",
            ),
            ("DELETE FROM sqlite_sequence", "SQLite's own"),
            ("WITH x AS (SELECT 1) SELECT * FROM x", "changes nothing"),
            ("", "no statement"),
        ] {
            let e = check(&mut c, sql).unwrap_err().to_string();
            assert!(e.contains(says), "{sql}: {e}");
        }
    }
}
