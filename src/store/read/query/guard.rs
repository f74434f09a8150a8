//! The authorizer of the user's SQL: reading is allowed, anything else is
//! refused with a reason (SQLite itself only says "not authorized").

use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use std::sync::{Arc, Mutex};

/// PRAGMAs that only report, asked without a value.
const READ_PRAGMAS: &[&str] = &[
    "application_id",
    "auto_vacuum",
    "cache_size",
    "collation_list",
    "compile_options",
    "data_version",
    "database_list",
    "encoding",
    "foreign_key_check",
    "foreign_key_list",
    "foreign_keys",
    "freelist_count",
    "function_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "module_list",
    "page_count",
    "page_size",
    "pragma_list",
    "query_only",
    "quick_check",
    "schema_version",
    "table_info",
    "table_list",
    "table_xinfo",
    "trusted_schema",
    "user_version",
];

/// PRAGMAs whose value names what to report on (a table, an index, a
/// number of errors), not a setting.
const READ_PRAGMAS_WITH_ARGUMENT: &[&str] = &[
    "foreign_key_check",
    "foreign_key_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "quick_check",
    "table_info",
    "table_list",
    "table_xinfo",
];

/// Installs the authorizer on `conn`; the returned slot holds why the last
/// refused statement was refused.
pub(super) fn install(conn: &mut Connection) -> rusqlite::Result<Arc<Mutex<Option<String>>>> {
    let refused = Arc::new(Mutex::new(None));
    let slot = refused.clone();
    conn.authorizer(Some(move |ctx: AuthContext<'_>| match judge(&ctx.action) {
        Ok(()) => Authorization::Allow,
        Err(why) => {
            if let Ok(mut s) = slot.lock()
                && s.is_none()
            {
                *s = Some(why);
            }
            Authorization::Deny
        }
    }))?;
    Ok(refused)
}

/// Whether `action` only reads; if not, why it is refused.
pub(crate) fn judge(action: &AuthAction<'_>) -> Result<(), String> {
    use AuthAction as A;
    let name = |s: &str| crate::text::escape(s).into_owned();
    match *action {
        A::Select | A::Read { .. } | A::Recursive => Ok(()),
        A::Function { function_name } if function_name.eq_ignore_ascii_case("load_extension") => {
            Err("loading an extension is not a read".into())
        }
        A::Function { .. } => Ok(()),
        A::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let p = pragma_name.to_ascii_lowercase();
            let allowed = match pragma_value {
                None => READ_PRAGMAS.contains(&p.as_str()),
                Some(_) => READ_PRAGMAS_WITH_ARGUMENT.contains(&p.as_str()),
            };
            if allowed {
                Ok(())
            } else {
                Err(format!(
                    "PRAGMA {} may change the connection or the store; only reporting PRAGMAs run here",
                    name(pragma_name)
                ))
            }
        }
        A::Attach { .. } | A::Detach { .. } => {
            Err("ATTACH and DETACH: only this store is read".into())
        }
        A::Transaction { .. } | A::Savepoint { .. } => {
            Err("BEGIN, COMMIT and SAVEPOINT: each statement reads on its own".into())
        }
        A::Insert { table_name } | A::Update { table_name, .. } | A::Delete { table_name }
            if is_schema(table_name) =>
        {
            Err(SCHEMA.into())
        }
        A::Insert { table_name } => Err(format!(
            "INSERT into {} writes{TO_CHANGE}",
            name(table_name)
        )),
        A::Update { table_name, .. } => {
            Err(format!("UPDATE of {} writes{TO_CHANGE}", name(table_name)))
        }
        A::Delete { table_name } => Err(format!(
            "DELETE from {} writes{TO_CHANGE}",
            name(table_name)
        )),
        _ => Err(SCHEMA.into()),
    }
}

/// Where data is changed instead: with a preview, and undoable.
const TO_CHANGE: &str =
    "; a query only reads: change data with `exec` (or E on a row in the app), previewed first";

const SCHEMA: &str = "the statement changes the schema or the store; only reading is allowed";

/// SQLite's own catalog, which DDL writes.
fn is_schema(table: &str) -> bool {
    [
        "sqlite_master",
        "sqlite_schema",
        "sqlite_temp_master",
        "sqlite_temp_schema",
    ]
    .iter()
    .any(|t| t.eq_ignore_ascii_case(table))
}
