//! What points at a document (DESIGN §5): the documents whose `authors`
//! name a profile, and the annotations whose parent it is. Naming a profile
//! is found by a scan of `authors` (no index can hold a JSON array's
//! elements), so the app reads these on its scan worker, after the
//! document, under a stop it can pull.

use crate::store::inspection::catalog::{LiveTable, lossy};
use crate::store::read::document::{Link, LinkKind};
use crate::store::read::filters::col;
use crate::store::read::parent;
use crate::store::read::row_key::{KeyColumns, RowKey};
use crate::store::spec::{Spec, quote};
use rusqlite::{Connection, OptionalExtension};

/// The documents of one kind of backlink: how many in all (by doc_type,
/// most first), and the first ones in key order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named {
    pub total: u64,
    pub by_type: Vec<(String, u64)>,
    pub first: Vec<Link>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backlinks {
    /// For a profile: the documents whose authors hold its subject_uuid
    /// (None for a document that is no profile).
    pub named_by: Option<Named>,
    /// The annotations whose parent the document is.
    pub annotations: Named,
}

/// How much of an annotation's content is read for upstream's header.
const HEADER_CHARS: u32 = 1000;

/// The backlinks of the document at `key`, listing at most `first` of each
/// kind (all are counted). A document that is gone has none.
pub fn backlinks(
    conn: &Connection,
    live: &LiveTable,
    key: &RowKey,
    first: usize,
) -> rusqlite::Result<Backlinks> {
    let keys = KeyColumns::of(live);
    let sql = format!(
        "SELECT {}, {}, {} FROM {} WHERE {}",
        col(live, "id"),
        col(live, "doc_type"),
        col(live, &Spec::v3().relations.authors.target_key),
        quote(&live.name),
        keys.compare("=")
    );
    let args = rusqlite::params_from_iter(keys.args(key));
    let Some((id, doc_type, uuid)) = conn
        .query_row(&sql, args, |r| {
            Ok((lossy(r, 0)?, lossy(r, 1)?, lossy(r, 2)?))
        })
        .optional()?
    else {
        return Ok(Backlinks::default());
    };
    let rel = &Spec::v3().relations.authors;
    let named_by = match (doc_type, uuid) {
        (Some(t), Some(u))
            if t == rel.target_doc_type && !u.is_empty() && live.column(&rel.column).is_some() =>
        {
            Some(named_by(conn, live, &u, first)?)
        }
        _ => None,
    };
    let annotations = match id {
        Some(id) if live.column("doc_type").is_some() => annotations(conn, live, &id, first)?,
        _ => Named::default(),
    };
    Ok(Backlinks {
        named_by,
        annotations,
    })
}

/// The key, the doc_type, and the label of a backlink: `post 'Title'`.
fn head(live: &LiveTable) -> String {
    let title = if live.column("title").is_some() {
        "CASE WHEN title IS NULL THEN '' ELSE ' ' || quote(substr(title, 1, 80)) END"
    } else {
        "''"
    };
    let t = col(live, "doc_type");
    format!(
        "{}, {}, coalesce({t}, 'NULL'), coalesce({t}, 'NULL') || {title}",
        KeyColumns::of(live).list(),
        col(live, "id")
    )
}

/// One pass over what `sql` selects, in key order: each row kept when
/// `keep` says so, counted, and listed while fewer than `first` are.
fn collect(
    conn: &Connection,
    live: &LiveTable,
    sql: &str,
    arg: &str,
    kind: LinkKind,
    first: usize,
    keep: impl Fn(&rusqlite::Row<'_>, usize) -> rusqlite::Result<bool>,
) -> rusqlite::Result<Named> {
    let keys = KeyColumns::of(live);
    let w = keys.width();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([arg])?;
    let mut out = Named::default();
    while let Some(r) = rows.next()? {
        if !keep(r, w + 3)? {
            continue;
        }
        out.total += 1;
        let t = lossy(r, w + 1)?.unwrap_or_default();
        match out.by_type.iter_mut().find(|e| e.0 == t) {
            Some(e) => e.1 += 1,
            None => out.by_type.push((t, 1)),
        }
        if out.first.len() < first {
            out.first.push(Link {
                kind,
                key: lossy(r, w)?.unwrap_or_default(),
                label: lossy(r, w + 2)?,
                rowid: Some(keys.get(r, 0)?),
            });
        }
    }
    out.by_type.sort_by_key(|e| std::cmp::Reverse(e.1));
    Ok(out)
}

/// The documents whose authors (a JSON array) hold `uuid`: a scan, the
/// text searched first so that only candidates are parsed.
fn named_by(
    conn: &Connection,
    live: &LiveTable,
    uuid: &str,
    first: usize,
) -> rusqlite::Result<Named> {
    let a = col(live, &Spec::v3().relations.authors.column);
    let sql = format!(
        "SELECT {} FROM {} WHERE instr({a}, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid({a}) AND json_type({a}) = 'array' THEN {a} END) WHERE value = ?1) ORDER BY {}",
        head(live),
        quote(&live.name),
        KeyColumns::of(live).order("ASC")
    );
    collect(conn, live, &sql, uuid, LinkKind::NamedBy, first, |_, _| {
        Ok(true)
    })
}

/// The annotations whose parent is the document `id` (through the doc_type
/// index): their extensions and the start of their content name it, as
/// `document` reads an annotation's parent.
fn annotations(
    conn: &Connection,
    live: &LiveTable,
    id: &str,
    first: usize,
) -> rusqlite::Result<Named> {
    let rel = &Spec::v3().relations.parent;
    let ext = col(live, &rel.column);
    let content = format!("substr({}, 1, {HEADER_CHARS})", col(live, "content"));
    let sql = format!(
        "SELECT {}, {ext}, {content} FROM {} WHERE {} = '{}' AND (instr({ext}, ?1) > 0 OR instr({content}, ?1) > 0) ORDER BY {}",
        head(live),
        quote(&live.name),
        col(live, "doc_type"),
        rel.doc_type.replace('\'', "''"),
        KeyColumns::of(live).order("ASC")
    );
    collect(
        conn,
        live,
        &sql,
        id,
        LinkKind::Annotation,
        first,
        |r, at| {
            let ext = lossy(r, at)?;
            let content = lossy(r, at + 1)?;
            Ok(parent::named(ext.as_deref(), content.as_deref())
                .is_some_and(|p| p.id == id && !p.is_message()))
        },
    )
}
