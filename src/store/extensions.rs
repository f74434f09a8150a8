//! How fold-legacy keeps a V2 column that has no place in `documents`: as a
//! key of the `extensions` JSON object, reversibly, through SQL functions
//! registered on the plan's connection.
//!
//! Values are JSON: NULL, numbers and UTF-8 text as themselves; a BLOB as
//! `{"$hex": "…"}`; text that is not UTF-8 as `{"$hex": "…", "$type":
//! "text"}`; both decode back to the same bytes.

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use serde_json::{Map, Value as Json};

/// Builds the `extensions` object: `egregora_extensions(existing, key, value, …)`.
pub(crate) const EXTENSIONS_FN: &str = "egregora_extensions";
/// Verification: `egregora_extension_is(extensions, key, value)` is 1 when the
/// key (or its renamed `key#n`, after a clash) holds exactly that value.
pub(crate) const EXTENSION_IS_FN: &str = "egregora_extension_is";
/// Verification: `egregora_extensions_kept(extensions, original)` is 1 when
/// the row's own extensions are all still there.
pub(crate) const EXTENSIONS_KEPT_FN: &str = "egregora_extensions_kept";

/// Registers the plan's SQL functions on a connection.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(EXTENSIONS_FN, -1, flags, |ctx| {
        if ctx.len() % 2 == 0 {
            return Err(rusqlite::Error::UserFunctionError(
                "egregora_extensions takes an odd number of arguments".into(),
            ));
        }
        Ok(build_extensions(ctx))
    })?;
    conn.create_scalar_function(EXTENSION_IS_FN, 3, flags, |ctx| {
        let ext = match ctx.get_raw(0) {
            ValueRef::Text(b) => serde_json::from_slice::<Json>(b).ok(),
            _ => None,
        };
        let key = match ctx.get_raw(1) {
            ValueRef::Text(b) => String::from_utf8_lossy(b).into_owned(),
            _ => return Ok(false),
        };
        let Some(Json::Object(ext)) = ext else {
            return Ok(false);
        };
        Ok(ext.iter().any(|(k, j)| {
            (*k == key || k.strip_prefix(&key).is_some_and(|r| r.starts_with('#')))
                && same(j, ctx.get_raw(2))
        }))
    })?;
    conn.create_scalar_function(EXTENSIONS_KEPT_FN, 2, flags, |ctx| {
        let ext = match ctx.get_raw(0) {
            ValueRef::Text(b) => serde_json::from_slice::<Json>(b).ok(),
            _ => None,
        };
        let original = ctx.get_raw(1);
        Ok(match (ext, original) {
            (_, ValueRef::Null) => true,
            (Some(Json::Object(ext)), ValueRef::Text(b)) => match serde_json::from_slice::<Json>(b)
            {
                Ok(Json::Object(orig)) => orig.iter().all(|(k, v)| ext.get(k) == Some(v)),
                _ => ext.get("$extensions").is_some_and(|j| same(j, original)),
            },
            (Some(Json::Object(ext)), other) => {
                ext.get("$extensions").is_some_and(|j| same(j, other))
            }
            _ => false,
        })
    })
}

fn build_extensions(ctx: &Context<'_>) -> Option<String> {
    let mut obj = Map::new();
    let set = |obj: &mut Map<String, Json>, key: String, v: Json| {
        // A key the row's own extensions already use keeps its value; the
        // column goes under a name that cannot clash.
        let mut k = key.clone();
        let mut n = 2;
        while obj.contains_key(&k) {
            k = format!("{key}#{n}");
            n += 1;
        }
        obj.insert(k, v);
    };
    match ctx.get_raw(0) {
        ValueRef::Null => {}
        ValueRef::Text(b) => match serde_json::from_slice::<Json>(b) {
            Ok(Json::Object(m)) => obj = m,
            _ => set(&mut obj, "$extensions".into(), encode(ctx.get_raw(0))),
        },
        other => set(&mut obj, "$extensions".into(), encode(other)),
    }
    for i in (1..ctx.len()).step_by(2) {
        let key = match ctx.get_raw(i) {
            ValueRef::Text(b) => String::from_utf8_lossy(b).into_owned(),
            _ => continue,
        };
        set(&mut obj, key, encode(ctx.get_raw(i + 1)));
    }
    if obj.is_empty() {
        None
    } else {
        serde_json::to_string(&Json::Object(obj)).ok()
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One SQL value as JSON, reversibly.
pub(crate) fn encode(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(Json::Number)
            .unwrap_or_else(|| serde_json::json!({ "$real": f.to_string() })),
        ValueRef::Text(b) => match std::str::from_utf8(b) {
            Ok(s) => Json::String(s.to_string()),
            Err(_) => serde_json::json!({ "$hex": hex(b), "$type": "text" }),
        },
        ValueRef::Blob(b) => serde_json::json!({ "$hex": hex(b) }),
    }
}

/// Whether `j` decodes to exactly `v`: the same storage class and bytes.
fn same(j: &Json, v: ValueRef<'_>) -> bool {
    encode(v) == *j
        && match (j, v) {
            (Json::Number(n), ValueRef::Real(f)) => {
                n.as_f64().is_some_and(|g| g.to_bits() == f.to_bits())
            }
            _ => true,
        }
}
