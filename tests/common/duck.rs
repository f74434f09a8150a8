//! DuckDB stores for the tests, made by the `duckdb` shell from upstream's
//! own DDL (tests/data/pipeline-ddl.sql, as egregora's pipeline creates it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The shell the tests make stores with: EGREGORA_INSPECT_DUCKDB, else
/// `duckdb` on PATH. None (with a line saying why) when there is none; in
/// CI (`CI` set) a missing shell fails the test instead.
pub fn shell() -> Option<PathBuf> {
    let named = std::env::var_os("EGREGORA_INSPECT_DUCKDB")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let found = named.or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|d| d.join("duckdb"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "no duckdb shell (pip install duckdb-cli): CI must run the DuckDB tests"
        );
        eprintln!("skipped: no duckdb shell (pip install duckdb-cli)");
    }
    found
}

/// Runs SQL on `db` through the shell (read-write: it makes test stores).
pub fn run(shell: &Path, db: &Path, sql: &str) {
    let out = Command::new(shell)
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(sql.as_bytes())?;
            c.wait_with_output()
        })
        .expect("the duckdb shell runs");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "duckdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh upstream store at `dir/name` made from upstream's DDL, then
/// `inserts`.
pub fn store(shell: &Path, dir: &Path, name: &str, inserts: &str) -> PathBuf {
    let ddl = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pipeline-ddl.sql"),
    )
    .expect("upstream's DDL is in tests/data");
    let path = dir.join(name);
    run(shell, &path, &format!("{ddl}\n{inserts}"));
    path
}

/// Rows of every kind the pipeline writes, with values of each DuckDB type.
pub const ROWS: &str = "
INSERT INTO documents (id, content, created_at, title, slug, date, summary, authors, tags, status, doc_type)
  VALUES ('hello-world', 'Hello \"world\"', TIMESTAMPTZ '2026-01-02 03:04:05.123456+02', 'Hello', 'hello-world',
          DATE '2026-01-02', 'A post', ['a1b2c3d4', 'e5f6'], ['tag one'], 'published', 'post');
INSERT INTO documents (id, content, created_at, title, subject_uuid, interests, status, doc_type)
  VALUES ('a1b2c3d4', 'profile text', TIMESTAMPTZ '2026-01-03 00:00:00+00', 'Ada', 'a1b2c3d4', [], 'published', 'profile');
INSERT INTO documents (id, content, created_at, filename, mime_type, media_type, status, doc_type)
  VALUES ('m1', '', TIMESTAMPTZ '2026-01-04 12:00:00+00', 'cat.png', 'image/png', 'image', 'published', 'media');
INSERT INTO documents (id, content, created_at, title, window_start, window_end, status, doc_type)
  VALUES ('j1', 'journal', TIMESTAMPTZ '2026-01-05 00:00:00+00', 'Week 1', TIMESTAMPTZ '2026-01-01 00:00:00+00',
          TIMESTAMPTZ '2026-01-07 23:59:59.5+00', 'published', 'journal');
INSERT INTO documents (id, content, created_at, status, doc_type)
  VALUES ('an1', '<!--\nannotation_id: an1\nparent_type: message\nparent_id: ev1\n-->\nA note on a message', TIMESTAMPTZ '2026-01-06 00:00:00+00', 'published', 'annotation');
INSERT INTO documents (id, content, created_at, status, doc_type, extensions)
  VALUES ('an2', '<!--\nannotation_id: an2\nparent_type: post\nparent_id: hello-world\n-->\nOn the post', TIMESTAMPTZ '2026-01-06 00:00:01+00', 'published', 'annotation', '{\"parent_id\": \"hello-world\"}');
INSERT INTO messages (event_id, tenant_id, source, thread_id, msg_id, ts, author_raw, author_uuid, text, attrs, created_at)
  VALUES ('ev1', 't', 'whatsapp', 'th1', 'msg1', TIMESTAMPTZ '2026-01-01 10:00:00+00', 'Ada', 'a1b2c3d4', 'hi there', '{\"k\": [1, 2]}', TIMESTAMPTZ '2026-01-01 10:00:01+00');
INSERT INTO tasks VALUES ('00000000-0000-4000-8000-000000000001', 'enrich_url', 'failed', '{\"url\": \"https://x\"}', TIMESTAMPTZ '2026-01-01 00:00:00+00', NULL, 'timeout');
INSERT INTO tasks VALUES ('00000000-0000-4000-8000-000000000002', 'update_profile', 'superseded', '{}', TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:01:00+00', 'Newer update found');
INSERT INTO annotations VALUES ('an1', 'A note on a message', TIMESTAMPTZ '2026-01-06 00:00:00+00', NULL, NULL, 'message', 'a1b2c3d4');
INSERT INTO asset_cache (url, content_hash, content, fetched_at, metadata) VALUES ('https://x/a.png', 'h1', '\\x00\\xFF\\x10'::BLOB, TIMESTAMPTZ '2026-01-01 00:00:00+00', '{\"w\": 3}');
INSERT INTO git_refs VALUES ('main', 'abc123', false, true);
INSERT INTO elo_ratings VALUES ('hello-world', 1512.5, 3, 2, 1, 0, TIMESTAMPTZ '2026-01-01 00:00:00+00', NULL);
";

/// Every byte of the DuckDB file and of its .wal.
pub fn bytes(path: &Path) -> Vec<Vec<u8>> {
    let mut wal = path.as_os_str().to_owned();
    wal.push(".wal");
    [path.to_path_buf(), PathBuf::from(wal)]
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect()
}
