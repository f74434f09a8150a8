//! One document in full (every column, values cut at DETAIL_CHARS), and the
//! query plans of the reads the app makes of `documents` besides its pages.

use crate::store::cell::{Cell, DETAIL_CHARS, cut_sql};
use crate::store::inspection::catalog::LiveTable;
use crate::store::read::doc_counts::{counts_sql, months_sql};
use crate::store::read::parent::{message_row, named};
use crate::store::read::row_key::{KeyColumns, RowKey};
use crate::store::spec::Spec;
use crate::store::spec::quote;
use rusqlite::{Connection, OptionalExtension};

/// The plans of the other reads the app makes of `documents`: the counts
/// behind the charts, and one document by its key.
pub fn explain_others(
    conn: &Connection,
    live: &LiveTable,
) -> rusqlite::Result<Vec<(String, String)>> {
    let shapes = [
        ("counts by doc_type", counts_sql(live, "doc_type")),
        ("counts by status", counts_sql(live, "status")),
        ("counts by month", months_sql(live)),
        ("one document", document_sql(live).replace('?', "1")),
    ];
    shapes
        .into_iter()
        .map(|(name, sql)| {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let lines = stmt
                .query_map([], |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((name.to_string(), lines.join("; ")))
        })
        .collect()
}

/// Every column of one document, values cut at DETAIL_CHARS.
fn document_sql(live: &LiveTable) -> String {
    let cols: Vec<String> = live
        .columns
        .iter()
        .map(|c| cut_sql(&quote(&c.name), DETAIL_CHARS))
        .collect();
    format!(
        "SELECT {} FROM {} WHERE {}",
        cols.join(", "),
        quote(&live.name),
        KeyColumns::of(live).compare("=")
    )
}

/// One document as the detail shows it: the columns its doc_type cares
/// about first, and the documents it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct DocView {
    pub columns: Vec<(String, Cell)>,
    /// How many of `columns` lead because of the doc_type.
    pub leading: usize,
    pub doc_type: Option<String>,
    pub links: Vec<Link>,
}

/// A document this one points at: an author's profile, an annotation's
/// parent. `rowid` (its key) is None when no such document exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    /// The value pointed with: an author's subject_uuid, the parent's id.
    pub key: String,
    /// The profile's alias, or the parent's doc_type and title.
    pub label: Option<String>,
    pub rowid: Option<RowKey>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Author,
    Parent,
    /// An annotation's parent that is a message: `rowid` is its row in
    /// `messages`, not in documents.
    ParentMessage,
    /// A backlink: a document whose authors name this profile.
    NamedBy,
    /// A backlink: an annotation whose parent this document is.
    Annotation,
}

/// An author list longer than this is shown without looking up the rest.
const AUTHORS_LOOKED_UP: usize = 50;

pub fn document(
    conn: &Connection,
    live: &LiveTable,
    key: &RowKey,
) -> rusqlite::Result<Option<DocView>> {
    let sql = document_sql(live);
    let mut stmt = conn.prepare(&sql)?;
    let args = KeyColumns::of(live).args(key);
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut cols = Vec::with_capacity(live.columns.len());
    for (i, c) in live.columns.iter().enumerate() {
        cols.push((c.name.clone(), Cell::at(r, 2 * i)?));
    }
    drop(rows);
    let text_of = |name: &str| {
        cols.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, c)| match c {
                Cell::Text {
                    text,
                    cut_from: None,
                    ..
                } => Some(text.clone()),
                _ => None,
            })
    };
    let spec = Spec::v3();
    let doc_type = text_of("doc_type");
    let mut links = Vec::new();
    let authors = &spec.relations.authors;
    if let Some(list) = text_of(&authors.column)
        && live.column(&authors.target_key).is_some()
    {
        let uuids: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&list)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        for uuid in uuids.into_iter().take(AUTHORS_LOOKED_UP) {
            links.push(author(conn, live, uuid)?);
        }
    }
    let parent = &spec.relations.parent;
    if doc_type.as_deref() == Some(parent.doc_type.as_str()) {
        // Upstream's header is at the start: a cut content still has it.
        let content = cols
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content"))
            .and_then(|(_, c)| match c {
                Cell::Text { text, .. } => Some(text.as_str()),
                _ => None,
            });
        match named(text_of(&parent.column).as_deref(), content) {
            Some(p) if p.is_message() => links.push(message_link(conn, p.id)?),
            Some(p) => links.push(parent_of(conn, live, p.id)?),
            None => {}
        }
    }
    let first = doc_type
        .as_ref()
        .and_then(|t| spec.detail_first.get(t))
        .cloned()
        .unwrap_or_default();
    let mut columns = Vec::with_capacity(cols.len());
    for name in &first {
        if let Some(i) = cols.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
            columns.push(cols.remove(i));
        }
    }
    let leading = columns.len();
    columns.extend(cols);
    Ok(Some(DocView {
        columns,
        leading,
        doc_type,
        links,
    }))
}

/// The author's profile: the first by key, read through the doc_type
/// index.
fn author(conn: &Connection, live: &LiveTable, uuid: String) -> rusqlite::Result<Link> {
    let rel = &Spec::v3().relations.authors;
    let label = if live.column(&rel.label).is_some() {
        quote(&rel.label)
    } else {
        "NULL".into()
    };
    let keys = KeyColumns::of(live);
    let sql = format!(
        "SELECT {label}, {} FROM {} WHERE doc_type = ?1 AND {} = ?2 ORDER BY {} LIMIT 1",
        keys.list(),
        quote(&live.name),
        quote(&rel.target_key),
        keys.order("ASC")
    );
    let args = rusqlite::params![rel.target_doc_type, uuid];
    link(conn, &keys, &sql, args, LinkKind::Author, uuid.clone())
}

/// The parent, found by its id through the primary key.
fn parent_of(conn: &Connection, live: &LiveTable, id: String) -> rusqlite::Result<Link> {
    let rel = &Spec::v3().relations.parent;
    let title = if live.column("title").is_some() {
        "CASE WHEN title IS NULL THEN '' ELSE ' ' || quote(substr(title, 1, 80)) END"
    } else {
        "''"
    };
    let keys = KeyColumns::of(live);
    let sql = format!(
        "SELECT doc_type || {title}, {} FROM {} WHERE {} = ?1 LIMIT 1",
        keys.list(),
        quote(&live.name),
        quote(&rel.target_key)
    );
    link(
        conn,
        &keys,
        &sql,
        rusqlite::params![id],
        LinkKind::Parent,
        id.clone(),
    )
}

/// A message parent: its row of `messages`, labelled by its text.
fn message_link(conn: &Connection, id: String) -> rusqlite::Result<Link> {
    let found = message_row(conn, &id)?;
    Ok(Link {
        kind: LinkKind::ParentMessage,
        key: id,
        label: found.as_ref().and_then(|f| f.1.clone()),
        rowid: found.map(|f| RowKey::Rowid(f.0)),
    })
}

/// The link `sql` finds: its label, then its key, or none.
fn link(
    conn: &Connection,
    keys: &KeyColumns,
    sql: &str,
    args: impl rusqlite::Params,
    kind: LinkKind,
    key: String,
) -> rusqlite::Result<Link> {
    let found = conn
        .query_row(sql, args, |r| {
            Ok((
                keys.get(r, 1)?,
                crate::store::inspection::catalog::lossy(r, 0)?,
            ))
        })
        .optional()?;
    Ok(Link {
        kind,
        key,
        label: found.as_ref().and_then(|f| f.1.clone()),
        rowid: found.map(|f| f.0),
    })
}
