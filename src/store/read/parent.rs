//! An annotation's parent (DESIGN §9): `extensions.parent_id` where a fold
//! put it, else upstream's content header
//! (`<!--\nannotation_id: …\nparent_type: post\nparent_id: …\n-->`). A
//! parent of type `message` is a row of `messages`, not a document.

use rusqlite::{Connection, OptionalExtension};

/// Where the parent is named, as read from the annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentRef {
    pub id: String,
    /// `message`, `post`, `annotation`, or None when the header gives none.
    pub parent_type: Option<String>,
}

impl ParentRef {
    pub fn is_message(&self) -> bool {
        self.parent_type.as_deref() == Some("message")
    }
}

/// The parent named in the header at the start of `content`.
pub fn from_header(content: &str) -> Option<ParentRef> {
    let body = content.trim_start().strip_prefix("<!--")?;
    let header = &body[..body.find("-->")?];
    let field = |name: &str| {
        header.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            let v = v.trim();
            (k.trim() == name && !v.is_empty()).then(|| v.to_string())
        })
    };
    Some(ParentRef {
        id: field("parent_id")?,
        parent_type: field("parent_type"),
    })
}

/// The parent an annotation names: `extensions` at the spec's path where a
/// fold put it, else upstream's header at the start of `content`.
pub fn named(extensions: Option<&str>, content: Option<&str>) -> Option<ParentRef> {
    let rel = &crate::store::spec::Spec::v3().relations.parent;
    let folded = extensions
        .and_then(|ext| serde_json::from_str::<serde_json::Value>(ext).ok())
        .and_then(|v| pointer(&v, &rel.json_path))
        .map(|id| ParentRef {
            id,
            parent_type: None,
        });
    folded.or_else(|| content.and_then(from_header))
}

/// The string (or number) at a `$.a.b` path of a JSON value.
fn pointer(v: &serde_json::Value, path: &str) -> Option<String> {
    let p = path.strip_prefix('$')?.replace('.', "/");
    match v.pointer(&p)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `messages` row a message parent names (by `event_id`, through its
/// unique index, else by `msg_id`): its rowid and the start of its text.
/// None when there is no such row, or no `messages` table.
pub fn message_row(conn: &Connection, id: &str) -> rusqlite::Result<Option<(i64, Option<String>)>> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'messages' COLLATE NOCASE",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    for key in ["event_id", "msg_id"] {
        let sql = format!(
            "SELECT rowid, substr(text, 1, 80) FROM messages WHERE {key} = ?1 ORDER BY rowid LIMIT 1"
        );
        let found = match conn.prepare(&sql) {
            Ok(mut s) => s
                .query_row([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        crate::store::inspection::catalog::lossy(r, 1)?,
                    ))
                })
                .optional()?,
            // A messages table without that column: try the other key.
            Err(_) => None,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_header_names_the_parent_and_its_type() {
        let c = "<!--\nannotation_id: an1\nparent_type: message\nparent_id: ev1\n-->\nA note";
        assert_eq!(
            from_header(c),
            Some(ParentRef {
                id: "ev1".into(),
                parent_type: Some("message".into())
            })
        );
        assert!(from_header(c).unwrap().is_message());
        assert_eq!(from_header("no header\nparent_id: x"), None);
        assert_eq!(from_header("<!--\nparent_type: post\n-->"), None);
        assert_eq!(from_header("<!-- parent_id: x"), None, "an open comment");
    }
}
