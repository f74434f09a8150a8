//! Writes a sample store: realistic documents of every doc_type, the same
//! for the same options, fast enough for a million documents.

use crate::store::error::{Result, StoreError};
use crate::store::spec::Spec;
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use text::*;

mod text;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub docs: u64,
    pub legacy: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            docs: 300,
            legacy: false,
        }
    }
}

/// The V2 layout that `documents` replaced: every table has the common
/// columns `id, content, created_at, source_checksum` plus its own.
pub const V2_TABLES: &[(&str, &str)] = &[
    (
        "posts",
        "CREATE TABLE posts (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT, slug TEXT, date TEXT, summary TEXT, authors TEXT, tags TEXT, status TEXT)",
    ),
    (
        "profiles",
        "CREATE TABLE profiles (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, subject_uuid TEXT, alias TEXT, avatar_url TEXT, interests TEXT)",
    ),
    (
        "media",
        "CREATE TABLE media (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, filename TEXT, mime_type TEXT, media_type TEXT, phash TEXT)",
    ),
    (
        "journals",
        "CREATE TABLE journals (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT, window_start TEXT, window_end TEXT)",
    ),
    (
        "annotations",
        "CREATE TABLE annotations (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, parent_id TEXT, parent_type TEXT, author_id TEXT)",
    ),
];

/// The V2 union view over the legacy tables.
pub const V2_VIEW: &str = "CREATE VIEW documents_view AS
  SELECT id, content, created_at, 'post' AS doc_type FROM posts
  UNION ALL SELECT id, content, created_at, 'profile' FROM profiles
  UNION ALL SELECT id, content, created_at, 'media' FROM media
  UNION ALL SELECT id, content, created_at, 'journal' FROM journals
  UNION ALL SELECT id, content, created_at, 'annotation' FROM annotations";

/// Writes the demo store at `path`, which must not exist. The store appears
/// whole or not at all: it is written beside the target and renamed.
pub fn write_demo(path: &Path, opts: DemoOptions) -> Result<()> {
    if path.exists() {
        return Err(StoreError::Refused(format!(
            "{} already exists; demo writes only new files",
            path.display()
        )));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| StoreError::io(format!("cannot create {}", parent.display()), e))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".demo-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = write_into(&tmp, opts);
    let result = result.and_then(|()| {
        std::fs::rename(&tmp, path)
            .map_err(|e| StoreError::io("cannot move the demo store into place", e))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_into(tmp: &Path, opts: DemoOptions) -> Result<()> {
    let err = |e| StoreError::sqlite(tmp, "cannot write the demo store", e);
    let _ = std::fs::remove_file(tmp);
    let conn = Connection::open(tmp).map_err(err)?;
    // A file nobody else sees yet: no journal, no fsync until the end.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
    )
    .map_err(err)?;
    let spec = Spec::v3();
    conn.execute_batch("BEGIN").map_err(err)?;
    for t in &spec.tables {
        conn.execute_batch(&t.create_sql(&t.name, &[]))
            .map_err(err)?;
    }
    let mut rng = Rng(0x5eed_e9e9_0a0a_0001);
    insert_documents(&conn, &mut rng, opts.docs).map_err(err)?;
    insert_side_tables(&conn, &mut rng, (opts.docs / 5).clamp(40, 20_000)).map_err(err)?;
    if opts.legacy {
        insert_legacy(&conn, &mut rng, (opts.docs / 10).clamp(8, 50_000)).map_err(err)?;
    }
    // Indexes after the rows: one sort each instead of a million inserts.
    for t in &spec.tables {
        for idx in &t.indexes {
            conn.execute_batch(&idx.create_sql(&t.name)).map_err(err)?;
        }
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = {}; COMMIT;",
        spec.user_version
    ))
    .map_err(err)?;
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;")
        .map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("cannot sync the demo store", e))
}

/// Every doc_type, in shares out of 100.
const DOC_TYPES: &[(&str, u64)] = &[
    ("post", 35),
    ("annotation", 15),
    ("journal", 8),
    ("media", 12),
    ("profile", 6),
    ("announcement", 5),
    ("enrichment_url", 5),
    ("enrichment_media", 2),
    ("enrichment_image", 2),
    ("enrichment_video", 2),
    ("enrichment_audio", 2),
    ("note", 6),
];

fn doc_type_for(roll: u64) -> &'static str {
    let mut at = 0;
    for (t, share) in DOC_TYPES {
        at += share;
        if roll < at {
            return t;
        }
    }
    "note"
}

/// Which of each doc_type's documents break a business rule (the 3rd and
/// 5th of every 150), so `check --data` on a demo has something to show.
fn breaks(nth: u64) -> Option<u8> {
    match nth % 150 {
        3 => Some(1),
        5 => Some(2),
        _ => None,
    }
}

fn insert_documents(conn: &Connection, rng: &mut Rng, docs: u64) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO documents (id, content, created_at, source_checksum, title, slug, date, summary, authors, tags,
           status, subject_uuid, alias, avatar_url, interests, filename, mime_type, media_type, phash,
           window_start, window_end, doc_type, extensions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
    )?;
    let authors: Vec<String> = (0..NAMES.len()).map(|_| rng.uuid()).collect();
    let mut recent_posts: Vec<String> = Vec::new();
    let mut recent_media: Vec<String> = Vec::new();
    let mut nth = [0u64; DOC_TYPES.len()];
    for i in 0..docs {
        let id = rng.uuid();
        let created = timestamp(i, docs);
        let date = created[..10].to_string();
        let doc_type = doc_type_for(rng.below(100));
        let k = DOC_TYPES.iter().position(|t| t.0 == doc_type).unwrap_or(0);
        nth[k] += 1;
        let bad = breaks(nth[k]);
        let mut row: [Option<String>; 23] = Default::default();
        row[0] = Some(id.clone());
        row[2] = Some(created.clone());
        row[3] = Some(rng.hex(32));
        row[10] = Some(rng.pick(STATUSES).to_string());
        row[21] = Some(doc_type.to_string());
        let recent = |list: &Vec<String>, rng: &mut Rng| {
            list.get(rng.below(list.len() as u64) as usize).cloned()
        };
        match doc_type {
            "post" => {
                let title = format!("The {} {}", rng.pick(WORDS), rng.pick(WORDS));
                row[5] = Some(format!("{}-{}", title.to_lowercase().replace(' ', "-"), i));
                row[4] = Some(title);
                row[1] = Some(paragraphs(rng, 3));
                row[6] = Some(date);
                row[7] = Some(sentence(rng));
                let n = 1 + rng.below(3) as usize;
                row[8] = Some(json_list(
                    &(0..n)
                        .map(|_| authors[rng.below(authors.len() as u64) as usize].clone())
                        .collect::<Vec<_>>(),
                ));
                row[9] = Some(json_list(
                    &(0..1 + rng.below(3))
                        .map(|_| rng.pick(TAGS).to_string())
                        .collect::<Vec<_>>(),
                ));
                match bad {
                    Some(1) => row[5] = None,
                    Some(_) => row[10] = Some("live".into()),
                    None => {}
                }
                recent_posts.push(id);
                if recent_posts.len() > 64 {
                    recent_posts.remove(0);
                }
            }
            "profile" => {
                // Every author but the last gets profiles; the last has none.
                let a = (nth[k] as usize - 1) % (NAMES.len() - 1);
                row[11] = Some(authors[a].clone());
                row[12] = Some(format!("{}-{}", NAMES[a].to_lowercase(), rng.below(1000)));
                row[4] = row[12].clone();
                row[13] = Some(format!("https://avatars.example.org/{}.png", rng.hex(12)));
                row[14] = Some(json_list(
                    &(0..2)
                        .map(|_| rng.pick(TAGS).to_string())
                        .collect::<Vec<_>>(),
                ));
                row[1] = Some(paragraphs(rng, 1));
                row[10] = Some("published".into());
                if bad == Some(1) {
                    row[11] = None;
                }
            }
            "journal" => {
                row[4] = Some(format!("Journal {date}"));
                row[19] = Some(created.clone());
                row[20] = Some(timestamp(i + 1, docs));
                row[1] = Some(paragraphs(rng, 4));
                if bad == Some(1) {
                    row[20] = None;
                }
            }
            "media" => {
                let (ext, mime, kind) = match (bad, rng.below(3)) {
                    (Some(2), _) => ("pdf", "application/pdf", "document"),
                    (_, 0) => ("jpg", "image/jpeg", "image"),
                    (_, 1) => ("mp4", "video/mp4", "video"),
                    _ => ("ogg", "audio/ogg", "audio"),
                };
                row[15] = Some(format!("{}-{}.{ext}", rng.pick(WORDS), rng.hex(8)));
                row[16] = Some(mime.into());
                row[17] = Some(kind.into());
                row[18] = Some(rng.hex(16));
                row[1] = Some(sentence(rng));
                if bad == Some(1) {
                    row[15] = None;
                }
                recent_media.push(id);
                if recent_media.len() > 64 {
                    recent_media.remove(0);
                }
            }
            "annotation" => {
                row[1] = Some(paragraphs(rng, 1));
                // One parent in 150 was deleted since.
                let parent = match bad {
                    Some(1) => Some(format!("deleted-{}", rng.hex(12))),
                    _ => recent(&recent_posts, rng),
                };
                if let Some(parent) = parent {
                    row[22] = Some(
                        serde_json::json!({ "parent_id": parent, "parent_type": "post" })
                            .to_string(),
                    );
                }
            }
            "announcement" => {
                row[4] = Some(format!(
                    "Announcement: the {} {}",
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                ));
                row[1] = Some(paragraphs(rng, 1));
                row[10] = Some("published".into());
            }
            "enrichment_url" => {
                let url = format!("https://{}.example.org/{}", rng.pick(WORDS), rng.hex(10));
                row[4] = Some(url.clone());
                row[1] = Some(paragraphs(rng, 1));
                row[22] = Some(
                    serde_json::json!({ "url": url, "source_id": recent(&recent_posts, rng) })
                        .to_string(),
                );
            }
            t if t.starts_with("enrichment_") => {
                row[1] = Some(format!("A description: {}", sentence(rng)));
                row[22] =
                    Some(serde_json::json!({ "media_id": recent(&recent_media, rng) }).to_string());
            }
            _ => {
                row[4] = Some(format!("Note on the {}", rng.pick(WORDS)));
                row[1] = Some(paragraphs(rng, 2));
            }
        }
        stmt.execute(rusqlite::params_from_iter(row.iter()))?;
    }
    Ok(())
}

const TASK_TYPES: &[&str] = &[
    "generate_banner",
    "update_profile",
    "enrich_media",
    "enrich_url",
];
const TASK_STATUSES: &[&str] = &[
    "completed",
    "completed",
    "completed",
    "completed",
    "completed",
    "completed",
    "completed",
    "completed",
    "pending",
    "pending",
    "processing",
    "failed",
    "failed",
    "superseded",
];

/// A task's payload and, should it fail, its error.
fn task_work(rng: &mut Rng, task_type: &str) -> (serde_json::Value, String) {
    let id = rng.uuid();
    match task_type {
        "enrich_url" => {
            let url = format!("https://{}.example.org/{}", rng.pick(WORDS), rng.hex(10));
            let code = rng.pick(&["404", "403", "500", "503"]);
            (
                serde_json::json!({ "url": url, "document_id": id, "attempt": 1 + rng.below(3) }),
                format!("HTTP {code} fetching {url}"),
            )
        }
        "enrich_media" => {
            let file = format!("{}-{}.jpg", rng.pick(WORDS), rng.hex(8));
            (
                serde_json::json!({ "media_id": id, "filename": file, "model": "vision-small" }),
                format!("cannot decode {file}: unexpected end of file"),
            )
        }
        "generate_banner" => (
            serde_json::json!({ "post_id": id, "prompt": sentence(rng), "size": [1200, 630] }),
            "model timed out after 60 s".to_string(),
        ),
        _ => (
            serde_json::json!({ "subject_uuid": id, "fields": ["interests", "alias"] }),
            format!("no messages by {id} in the window"),
        ),
    }
}

fn insert_side_tables(conn: &Connection, rng: &mut Rng, n: u64) -> rusqlite::Result<()> {
    let mut task = conn.prepare("INSERT INTO tasks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    let mut msg = conn.prepare("INSERT INTO messages VALUES (?1, 'demo', 'whatsapp', ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, '{}', '[]', ?4, 'run-1')")?;
    for i in 0..n {
        let mut task_type = rng.pick(TASK_TYPES);
        let mut status = rng.pick(TASK_STATUSES);
        match breaks(i) {
            Some(1) => status = "done",
            Some(_) => task_type = "summarize",
            None => {}
        }
        let (payload, error) = task_work(rng, task_type);
        let ended = !matches!(status, "pending" | "processing");
        task.execute(params![
            rng.uuid(),
            task_type,
            status,
            payload.to_string(),
            timestamp(i, n),
            ended.then(|| timestamp(i + 1, n)),
            (status == "failed").then_some(error),
        ])?;
        let k = rng.below(NAMES.len() as u64) as usize;
        msg.execute(params![
            rng.uuid(),
            format!("thread-{}", i % 7),
            format!("m{i}"),
            timestamp(i, n),
            NAMES[k],
            rng.uuid(),
            sentence(rng)
        ])?;
    }
    Ok(())
}

fn insert_legacy(conn: &Connection, rng: &mut Rng, per_table: u64) -> rusqlite::Result<()> {
    for (_, ddl) in V2_TABLES {
        conn.execute_batch(ddl)?;
    }
    conn.execute_batch(V2_VIEW)?;
    for i in 0..per_table {
        let common = |rng: &mut Rng, p: &str| {
            (
                format!("v2-{p}-{i:06}"),
                paragraphs(rng, 1),
                timestamp(i, per_table),
                rng.hex(32),
            )
        };
        let (id, content, created, sum) = common(rng, "post");
        conn.execute(
            "INSERT INTO posts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                id,
                content,
                created,
                sum,
                format!("Old {}", rng.pick(WORDS)),
                format!("old-post-{i}"),
                &created[..10],
                sentence(rng),
                "[]",
                json_list(&[rng.pick(TAGS).to_string()]),
                rng.pick(STATUSES)
            ],
        )?;
        let (id, content, created, sum) = common(rng, "profile");
        conn.execute(
            "INSERT INTO profiles VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                content,
                created,
                sum,
                rng.uuid(),
                rng.pick(NAMES),
                Option::<String>::None,
                "[\"music\"]"
            ],
        )?;
        let (id, content, created, sum) = common(rng, "media");
        conn.execute(
            "INSERT INTO media VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                content,
                created,
                sum,
                format!("img-{i}.jpg"),
                "image/jpeg",
                "image",
                rng.hex(16)
            ],
        )?;
        let (id, content, created, sum) = common(rng, "journal");
        conn.execute(
            "INSERT INTO journals VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                content,
                created,
                sum,
                format!("Journal {}", &created[..10]),
                created,
                timestamp(i + 1, per_table)
            ],
        )?;
        let (id, content, created, sum) = common(rng, "annotation");
        conn.execute(
            "INSERT INTO annotations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                content,
                created,
                sum,
                format!("v2-post-{i:06}"),
                "post",
                rng.uuid()
            ],
        )?;
    }
    Ok(())
}
