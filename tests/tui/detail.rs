//! The detail knows the document: its doc_type's columns first, authors by
//! their profile's alias, an annotation's parent, and the way back.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use egregora_inspect::tui::keys::Action;
use egregora_inspect::tui::tab::Tab;

/// The column headings of the open document, in the order shown.
fn headings(h: &mut Harness) -> Vec<String> {
    h.resize(120, 200);
    let text = h.text();
    text.lines()
        .map(str::trim_end)
        .filter(|l| DOC_COLUMNS.contains(&l.split("  (").next().unwrap_or(l)))
        .map(|l| l.split("  (").next().unwrap_or(l).to_string())
        .collect()
}

/// Opens the first document of `doc_type` through the type filter.
fn open_first(h: &mut Harness, doc_type: &str) {
    h.act(Action::GoTab(Tab::Documents));
    h.pick('t', &[doc_type]);
    let shown = format!("doc_type ∈ {doc_type} ·");
    assert!(h.head().contains(&shown), "{}", h.head());
    h.act(Action::Open);
    assert!(h.detail_rowid().is_some());
}

#[test]
fn each_doc_type_shows_its_own_columns_first() {
    for (doc_type, first) in [
        (
            "profile",
            &["alias", "subject_uuid", "avatar_url", "interests"][..],
        ),
        (
            "media",
            &["filename", "mime_type", "media_type", "phash"][..],
        ),
        ("journal", &["window_start", "window_end"][..]),
    ] {
        let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
        open_first(&mut h, doc_type);
        let shown = headings(&mut h);
        assert_eq!(&shown[..first.len()], first, "{doc_type}: {shown:?}");
        assert_eq!(shown.len(), 23, "every column still: {shown:?}");
        assert_eq!(shown[first.len()], "id", "then the rest in table order");
    }
    // A doc_type without its own columns keeps the table's order.
    let mut h = Harness::demo_with("demo.sqlite", 300, "SELECT 1");
    open_first(&mut h, "note");
    assert_eq!(headings(&mut h)[..2], ["id", "content"]);
}

const LINKED: &str = "
    INSERT INTO documents (id, title, slug, status, doc_type, authors) VALUES
      ('p-links', 'Linked post', 'linked', 'draft', 'post',
       json_array((SELECT subject_uuid FROM documents WHERE doc_type = 'profile'
                   AND subject_uuid IS NOT NULL ORDER BY rowid LIMIT 1), 'no-such-author'));
    INSERT INTO documents (id, status, doc_type, extensions) VALUES
      ('a-links', 'draft', 'annotation', '{\"parent_id\": \"p-links\"}'),
      ('a-orphan', 'draft', 'annotation', '{\"parent_id\": \"gone-1\"}');";

#[test]
fn authors_show_their_alias_and_links_open_and_go_back() {
    let mut h = Harness::demo_with("demo.sqlite", 300, LINKED);
    let (profile, alias): (i64, String) = open(&h.path)
        .query_row(
            "SELECT rowid, alias FROM documents WHERE doc_type = 'profile'
               AND subject_uuid IS NOT NULL ORDER BY rowid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    h.act(Action::GoTab(Tab::Documents)).act(Action::Bottom);
    h.act(Action::Up).act(Action::Up).act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), 301);
    let text = h.text();
    assert!(text.contains(&format!("▸ author  {alias}  (")), "{text}");
    assert!(
        text.contains("author  no-such-author  (not in documents)"),
        "{text}"
    );
    assert!(text.contains("Enter  open"), "the hint: {text}");

    // Enter: the author's profile, and back.
    h.act(Action::Open);
    assert_eq!(h.detail_rowid(), Some(profile));
    assert!(h.head().starts_with("document profile"), "{}", h.head());
    assert!(h.head().contains(" · 1 back"), "{}", h.head());
    // [ and ] step through the list, not from a document reached by a link:
    // not hinted there, and pressed they say so and stay.
    let status = h.text().lines().last().unwrap_or_default().to_string();
    assert!(!status.contains("next"), "{status}");
    h.act(Action::NextDocument);
    assert_eq!(h.detail_rowid(), Some(profile), "stays");
    assert!(h.head().contains(" · 1 back"), "{}", h.head());
    let status = h.status();
    assert!(status.contains("Esc goes back"), "{status}");
    h.act(Action::Back);
    assert_eq!(h.detail_rowid().unwrap(), 301);

    // An author without a profile says so, and stays.
    h.act(Action::NextLink).act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), 301);
    assert!(
        h.text()
            .contains("no profile has subject_uuid no-such-author"),
        "{}",
        h.text()
    );
    h.act(Action::Back);
    assert!(
        h.detail_rowid().is_none(),
        "Esc at the first document: the list"
    );

    // An annotation's parent, then its author, then back along the way.
    h.act(Action::Down).act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), 302);
    assert!(h.text().contains("parent  post 'Linked post'  (p-links)"));
    h.act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), 301);
    h.act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), profile);
    assert!(h.text().contains("2 back"));
    h.act(Action::Back).act(Action::Back);
    assert_eq!(h.detail_rowid().unwrap(), 302);
    h.act(Action::Back);
    assert!(h.detail_rowid().is_none());

    // A parent that is gone says so.
    h.act(Action::Down).act(Action::Open);
    assert_eq!(h.detail_rowid().unwrap(), 303);
    h.act(Action::Open);
    assert!(h.text().contains("the parent gone-1 is not in documents"));
    assert_eq!(h.detail_rowid().unwrap(), 303);
}

/// A demo store whose last document is a note of `len` characters `c`,
/// opened from the end of the Documents list.
fn last_note_open(len: usize, c: char) -> Harness {
    let mut h = Harness::demo_with(
        "long.sqlite",
        5,
        &format!(
            "INSERT INTO documents (id, status, doc_type, title, content) \
             VALUES ('long', 'draft', 'note', 'Long', printf('%.*c', {len}, '{c}'))"
        ),
    );
    h.key(crossterm::event::KeyCode::Char('2'));
    h.key(crossterm::event::KeyCode::Char('G'));
    h.key(crossterm::event::KeyCode::Enter);
    h
}

#[test]
fn a_cut_value_says_how_much_is_shown_of_how_much() {
    let mut h = last_note_open(11_010_048, 'x');
    h.key(crossterm::event::KeyCode::Char('g'));
    let top = h.text();
    assert!(
        top.contains("cut here: content (the first 256 K of 10.5 M characters)"),
        "{top}"
    );
}

#[test]
fn a_document_is_wrapped_once_per_width_and_again_after_a_resize() {
    let mut h = last_note_open(5000, 'w');
    let width = |h: &Harness| {
        h.app
            .detail
            .as_ref()
            .and_then(|d| d.wrapped.borrow().as_ref().map(|(w, l)| (*w, l.len())))
            .unwrap()
    };
    let (wide, wide_lines) = width(&h);
    h.resize(70, 30);
    let (narrow, narrow_lines) = width(&h);
    assert!(narrow < wide, "{narrow} < {wide}");
    assert!(narrow_lines > wide_lines, "more lines when narrower");
    // The screen shows the value wrapped to the new width: its lines are
    // full up to it, indented under the column's name.
    let screen = h.text();
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("    wwww") && l.trim_end().len() == 70),
        "{screen}"
    );
}

#[test]
fn backlinks_list_what_names_a_document_and_enter_follows_them() {
    let mut h = Harness::demo_with("demo.sqlite", 300, LINKED);
    h.resize(120, 60);
    let (profile, uuid): (i64, String) = open(&h.path)
        .query_row(
            "SELECT rowid, subject_uuid FROM documents WHERE doc_type = 'profile'
               AND subject_uuid IS NOT NULL ORDER BY rowid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let naming = format!(
        "SELECT {{}} FROM documents WHERE EXISTS (SELECT 1 FROM json_each(authors) WHERE value = '{uuid}')"
    );
    let (count, first): (i64, i64) = open(&h.path)
        .query_row(&naming.replace("{}", "count(*), min(rowid)"), [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(count >= 2, "the demo and p-links name it: {count}");
    // The linked post: its annotation below its links.
    h.act(Action::GoTab(Tab::Documents)).act(Action::Bottom);
    h.act(Action::Up).act(Action::Up).act(Action::Open);
    assert_eq!(h.detail_rowid(), Some(301));
    let text = h.text();
    assert!(text.contains("backlinks"), "{text}");
    assert!(
        text.contains("  1 annotation\n") || text.contains("  1 annotation "),
        "{text}"
    );
    assert!(text.contains("    annotation  (a-links)"), "{text}");
    // Two authors, then the annotation: n twice picks it, Enter opens it.
    h.act(Action::NextLink).act(Action::NextLink);
    assert!(
        h.text().contains("▸   annotation  (a-links)"),
        "{}",
        h.text()
    );
    h.act(Action::Open);
    assert_eq!(h.detail_rowid(), Some(302));
    h.act(Action::Back);
    assert_eq!(h.detail_rowid(), Some(301), "Backspace comes back");

    // The annotation is still picked; n wraps to the first author, whose
    // profile lists the documents naming it, counted.
    assert!(
        h.text().contains("▸   annotation  (a-links)"),
        "{}",
        h.text()
    );
    h.act(Action::NextLink).act(Action::Open);
    assert_eq!(h.detail_rowid(), Some(profile));
    let text = h.text();
    let said = if text.contains("documents name this profile") {
        format!("{count} documents name this profile")
    } else {
        format!("{count} posts name this profile")
    };
    assert!(text.contains(&said), "{said}: {text}");
    assert!(text.contains("(p-links)"), "{text}");
    // The first named (in key order) is picked: Enter opens it, Back returns.
    h.act(Action::Open);
    assert_eq!(h.detail_rowid(), Some(first));
    assert!(h.head().contains(" · 2 back"), "{}", h.head());
    h.act(Action::Back);
    assert_eq!(h.detail_rowid(), Some(profile));
    h.act(Action::Back);
    assert_eq!(h.detail_rowid(), Some(301));
    h.act(Action::Back);
    assert!(h.detail_rowid().is_none());
}

#[test]
fn backlinks_come_after_the_document_from_the_scan_worker() {
    use egregora_inspect::tui::worker::{Job, Route};
    let mut h = Harness::demo_with("demo.sqlite", 300, LINKED);
    h.resize(120, 40);
    h.act(Action::GoTab(Tab::Documents)).act(Action::Bottom);
    h.act(Action::Up).act(Action::Up);
    // Enter, and only what the browsing worker answers: the document.
    h.app.update(Action::Open);
    for job in std::mem::take(&mut h.app.requests.outbox) {
        assert_eq!(job.route(), Route::Browse, "the document first: {job:?}");
        if let Job::Read(r) = job
            && let Some(reply) = h.browse.serve(r)
        {
            h.app.on_reply(reply);
        }
    }
    let text = h.text();
    assert!(text.contains("backlinks: counting…"), "{text}");
    assert!(text.contains("p-links"), "the document is shown: {text}");
    let asked: Vec<Route> = h.app.requests.outbox.iter().map(Job::route).collect();
    assert_eq!(asked, [Route::Scan], "backlinks on the scan worker");
    h.settle();
    let text = h.text();
    assert!(text.contains("  1 annotation"), "{text}");
    assert!(!text.contains("counting…"), "{text}");
}
