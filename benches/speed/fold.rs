//! fold-legacy of 1,000,000 V2 rows (200,000 in each V2 table), with its
//! verification and the drops, beside the bare `INSERT … SELECT`s that copy
//! the same rows by hand (DESIGN §8: within 1.2x).

use crate::init::{RUNS, by_hand, fresh_copy, plan_and_apply, print_steps};
use crate::{ratio, spread, stores, verdict};
use egregora_inspect::store::plan::PlanKind;
use std::path::Path;

/// What a person would write to fold the V2 tables: one INSERT … SELECT
/// each, the columns by name, the doc_type, a NULL status as 'draft', and
/// annotations' own columns as a JSON object in extensions.
const BY_HAND: &str = "
INSERT INTO documents (id, content, created_at, source_checksum, title, slug, date, summary, authors, tags, status, doc_type)
  SELECT id, content, created_at, source_checksum, title, slug, date, summary, authors, tags, coalesce(status, 'draft'), 'post' FROM posts;
INSERT INTO documents (id, content, created_at, source_checksum, subject_uuid, alias, avatar_url, interests, status, doc_type)
  SELECT id, content, created_at, source_checksum, subject_uuid, alias, avatar_url, interests, 'draft', 'profile' FROM profiles;
INSERT INTO documents (id, content, created_at, source_checksum, filename, mime_type, media_type, phash, status, doc_type)
  SELECT id, content, created_at, source_checksum, filename, mime_type, media_type, phash, 'draft', 'media' FROM media;
INSERT INTO documents (id, content, created_at, source_checksum, title, window_start, window_end, status, doc_type)
  SELECT id, content, created_at, source_checksum, title, window_start, window_end, 'draft', 'journal' FROM journals;
INSERT INTO documents (id, content, created_at, source_checksum, status, doc_type, extensions)
  SELECT id, content, created_at, source_checksum, 'draft', 'annotation',
    json_object('parent_id', parent_id, 'parent_type', parent_type, 'author_id', author_id) FROM annotations";

pub(crate) fn run(v2: &Path) {
    let dir = tempfile::tempdir_in(stores::dir()).expect("temp dir");
    let work = dir.path().join("run.sqlite");
    let (mut ours, mut floor, mut steps) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        fresh_copy(v2, &work);
        let (took, s) = plan_and_apply(&work, PlanKind::FoldLegacy { keep_tables: false });
        ours.push(took);
        steps = s;
        let folded: i64 = rusqlite::Connection::open(&work)
            .and_then(|c| {
                c.query_row(
                    "SELECT count(*) FROM documents WHERE id LIKE 'v2-%'",
                    [],
                    |r| r.get(0),
                )
            })
            .expect("count");
        assert_eq!(folded, 1_000_000, "fold-legacy folded every V2 row");
        floor.push(by_hand(v2, &work, BY_HAND));
    }
    println!(
        "fold-legacy of 1,000,000 V2 rows, verified, V2 tables dropped (no backup): {}",
        spread(&ours)
    );
    println!(
        "  floor, the bare INSERT … SELECTs through plain rusqlite:          {}",
        spread(&floor)
    );
    println!(
        "  fold/floor: {}",
        verdict::ratio("fold-legacy/INSERT … SELECTs", ratio(&ours, &floor), 1.2)
    );
    print_steps(&steps);
}
