//! The benchmark's stores, built once and cached under
//! target/bench-stores. Their names carry a key: STORES_VERSION and a hash
//! of the demo's source and the spec, so a changed demo (or a changed store
//! made here) is rebuilt, and `sweep` removes the stale ones, which are big.

use egregora_inspect::store::demo::{DemoOptions, V2_TABLES, V2_VIEW, write_demo};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Raise when a store this file makes from the demo changes shape.
const STORES_VERSION: u32 = 3;

/// What the demo stores are made from.
const DEMO_SOURCE: &[&str] = &[
    include_str!("../../src/store/demo/mod.rs"),
    include_str!("../../src/store/demo/text.rs"),
    include_str!("../../assets/v3_schema.json"),
];

/// The kinds of store made here, as their names begin.
const KINDS: &[&str] = &["demo-", "old-", "v2-"];

/// `v3-1a2b3c4d`: the version and a hash (FNV-1a) of the demo's source.
pub(crate) fn key() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in DEMO_SOURCE.iter().flat_map(|s| s.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("v{STORES_VERSION}-{:08x}", h >> 32)
}

pub(crate) fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("bench-stores");
    std::fs::create_dir_all(&d).expect("target/bench-stores can be created");
    d
}

fn path_for(kind: &str, docs: u64) -> PathBuf {
    dir().join(format!("{kind}{docs}-{}.sqlite", key()))
}

/// Removes the stores of another key, and what a build cut short left
/// (a demo's `.demo-PID` of a process that is gone, a `.tmp`).
pub(crate) fn sweep() {
    let key = key();
    let Ok(entries) = std::fs::read_dir(dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = KINDS.iter().any(|k| name.starts_with(k));
        let stale = name.ends_with(".sqlite") && !name.contains(&key);
        let left = name.ends_with(".tmp")
            || name
                .rsplit_once(".demo-")
                .is_some_and(|(_, pid)| !Path::new("/proc").join(pid).exists());
        if ours && (stale || left) {
            eprintln!("removing the stale {name}");
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The demo store of `docs` documents.
pub(crate) fn demo(docs: u64) -> PathBuf {
    let p = path_for("demo-", docs);
    if !p.exists() {
        eprintln!("building a {docs}-document demo store (cached for later runs) …");
        let t = Instant::now();
        write_demo(
            &p,
            DemoOptions {
                docs,
                legacy: false,
            },
        )
        .expect("demo store written");
        eprintln!("  {:.1} s", t.elapsed().as_secs_f64());
    }
    p
}

/// The 10,000,000-document store, or why there is none: it is made only
/// where the disk holds it with room to spare (about ten times the large
/// store, 15 GB), and takes a long while the first time.
pub(crate) fn huge(large: &Path) -> Result<PathBuf, String> {
    let p = path_for("demo-", 10_000_000);
    if p.exists() {
        return Ok(p);
    }
    let large_bytes = std::fs::metadata(large).map(|m| m.len()).unwrap_or(0);
    let need = large_bytes * 11 + 2_000_000_000;
    let free = free_bytes(&dir())?;
    if free < need {
        return Err(format!(
            "the 10,000,000-document store needs about {} GB free under {}; {} GB are",
            need / 1_000_000_000,
            dir().display(),
            free / 1_000_000_000
        ));
    }
    eprintln!("building the 10,000,000-document store (cached; this takes a long while) …");
    Ok(demo(10_000_000))
}

/// Bytes free on the file system holding `dir`, as `df` says.
fn free_bytes(dir: &Path) -> Result<u64, String> {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run df: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| "df said nothing of the free space".into())
}

/// Builds `p` by `make` on a `.tmp` beside it (a copy of `from`, if
/// given), renamed when whole.
fn build(p: &Path, what: &str, from: Option<&Path>, make: impl FnOnce(&rusqlite::Connection)) {
    eprintln!("building {what} (cached) …");
    let t = Instant::now();
    let tmp = p.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    if let Some(from) = from {
        std::fs::copy(from, &tmp).expect("copy");
    }
    let c = rusqlite::Connection::open(&tmp).expect("open");
    make(&c);
    drop(c);
    std::fs::rename(&tmp, p).expect("rename");
    eprintln!("  {:.1} s", t.elapsed().as_secs_f64());
}

fn attach(c: &rusqlite::Connection, large: &Path) {
    c.execute("ATTACH ?1 AS src", [large.to_str().expect("utf-8 path")])
        .expect("attach");
}

/// The large store's documents in an older shape (no doc_type, status),
/// for init's rebuild.
pub(crate) fn old_shape(large: &Path) -> PathBuf {
    let p = path_for("old-", 1_000_000);
    if p.exists() {
        return p;
    }
    build(&p, "the older-shape 1,000,000-row documents", None, |c| {
        let cols = "id, content, created_at, source_checksum, title, slug, date, summary, authors, tags, subject_uuid, alias, avatar_url, interests, filename, mime_type, media_type, phash, window_start, window_end, extensions";
        attach(c, large);
        c.execute_batch(&format!(
            "PRAGMA journal_mode = OFF; BEGIN;
             CREATE TABLE documents (id TEXT PRIMARY KEY, content TEXT, created_at TEXT, source_checksum TEXT, title TEXT, slug TEXT, date TEXT, summary TEXT, authors TEXT, tags TEXT, subject_uuid TEXT, alias TEXT, avatar_url TEXT, interests TEXT, filename TEXT, mime_type TEXT, media_type TEXT, phash TEXT, window_start TEXT, window_end TEXT, extensions TEXT);
             INSERT INTO documents (rowid, {cols}) SELECT rowid, {cols} FROM src.documents;
             COMMIT; DETACH src; PRAGMA journal_mode = DELETE;"
        ))
        .expect("old shape written");
    });
    p
}

/// The V2 rows for fold-legacy: 1,000,000 of them, 200,000 in each of the
/// five V2 tables, made from the large store's documents (one in five to
/// each), beside the 1,000-document demo's V3 tables.
pub(crate) fn v2(large: &Path) -> PathBuf {
    let p = path_for("v2-", 1_000_000);
    if p.exists() {
        return p;
    }
    let small = demo(1_000);
    build(
        &p,
        "1,000,000 V2 rows beside a V3 store",
        Some(&small),
        |c| {
            attach(c, large);
            let mut sql = String::from("PRAGMA journal_mode = OFF; BEGIN;");
            for (_, ddl) in V2_TABLES {
                sql.push_str(ddl);
                sql.push(';');
            }
            sql.push_str(V2_VIEW);
            sql.push(';');
            sql.push_str(
            "INSERT INTO posts SELECT 'v2-post-' || rowid, content, created_at, source_checksum, title, slug, date, summary, authors, tags, status FROM src.documents WHERE rowid % 5 = 0;
             INSERT INTO profiles SELECT 'v2-profile-' || rowid, content, created_at, source_checksum, subject_uuid, alias, avatar_url, interests FROM src.documents WHERE rowid % 5 = 1;
             INSERT INTO media SELECT 'v2-media-' || rowid, content, created_at, source_checksum, filename, mime_type, media_type, phash FROM src.documents WHERE rowid % 5 = 2;
             INSERT INTO journals SELECT 'v2-journal-' || rowid, content, created_at, source_checksum, title, window_start, window_end FROM src.documents WHERE rowid % 5 = 3;
             INSERT INTO annotations SELECT 'v2-annotation-' || rowid, content, created_at, source_checksum, 'v2-post-' || (rowid - 4), 'post', substr(source_checksum, 1, 16) FROM src.documents WHERE rowid % 5 = 4;
             COMMIT; DETACH src; PRAGMA journal_mode = DELETE;",
        );
            c.execute_batch(&sql).expect("V2 rows written");
        },
    );
    p
}
