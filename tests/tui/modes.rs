//! DESIGN §6: one Mode drives the key contexts, dispatch and hints. Every
//! mode is reached as a user reaches it, and every key its status line
//! hints is pressed there: each must do something (change the screen, the
//! mode, or quit).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crate::harness::*;
use crossterm::event::{Event, KeyCode, KeyEvent};
use egregora_inspect::tui::event::handle_input;
use egregora_inspect::tui::mode::Mode;
use std::path::Path;
use strum::IntoEnumIterator;

/// The keys that bring a fresh app on the demo store into `mode`, or None
/// for a mode that only lasts while work runs (the harness runs work to
/// its end before the next frame).
fn way_to(mode: Mode) -> Option<Vec<KeyCode>> {
    use KeyCode::{Char as C, Enter};
    Some(match mode {
        Mode::TooSmall => vec![],
        Mode::PlanConfirm => vec![C('F')],
        Mode::PlanEnded => vec![C('F'), C('y')],
        // On the store `prepare` gives this mode (an id twice).
        Mode::PlanBlocked => vec![C('i')],
        Mode::PlanRunning | Mode::Exporting => return None,
        Mode::Help => vec![C('?')],
        Mode::Messages => vec![C('r'), C('M')],
        Mode::Chooser => vec![C('2'), C('c')],
        Mode::Picker => vec![C('2'), C('t')],
        Mode::Frequencies => vec![C('2'), C('f')],
        Mode::Tasks => vec![Enter],
        Mode::ExportNaming => vec![C('2'), C('e')],
        Mode::CellEdit => vec![C('2'), C('E')],
        Mode::Search => vec![C('2'), C('/')],
        Mode::Sql => vec![C(':')],
        Mode::Detail => vec![C('2'), Enter],
        Mode::Documents => vec![C('2')],
        Mode::Browse => vec![C('4'), Enter],
        Mode::Record => vec![C('4'), Enter, Enter],
        Mode::Tables => vec![C('4')],
        Mode::Finding => vec![C('d'), C('n')],
        Mode::Overview => vec![],
        Mode::Schema => vec![C('3')],
        Mode::QueryResult => std::iter::once(C(':'))
            .chain("select id, title from documents".chars().map(C))
            .chain([Enter])
            .collect(),
    })
}

/// A fresh app on a copy of `demo`, brought into `mode`.
fn in_mode(demo: &Path, mode: Mode) -> Option<Harness> {
    let keys = way_to(mode)?;
    let dir = fixed_tempdir();
    let p = dir.path().join("demo.sqlite");
    std::fs::copy(demo, &p).unwrap();
    if mode == Mode::PlanBlocked {
        // documents in an older shape (no primary key) with an id twice:
        // init is blocked by the rows it names.
        exec(
            &p,
            "ALTER TABLE documents RENAME TO d0; CREATE TABLE documents AS SELECT * FROM d0; \
             DROP TABLE d0; INSERT INTO documents SELECT * FROM documents LIMIT 1;",
        );
    }
    let mut h = Harness::open(dir, p);
    if mode == Mode::TooSmall {
        h.resize(50, 10);
    }
    for k in keys {
        h.key(k);
    }
    if mode == Mode::ExportNaming {
        // The export's file goes to the store's temp folder, not to the
        // working folder the other tests share.
        let file = h.path.with_file_name("out.jsonl");
        for _ in 0..80 {
            h.key(KeyCode::Backspace);
        }
        for c in file.to_string_lossy().chars() {
            h.key(KeyCode::Char(c));
        }
    }
    // What runs in the background (a statement's count) ends first, so
    // the hints and the key pressed see the same state.
    h.wait_counts();
    assert_eq!(h.app.mode(), mode, "the way to {mode:?}");
    Some(h)
}

#[test]
fn every_hint_of_every_mode_does_something_there() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.sqlite");
    bin()
        .args(["demo", "--legacy"])
        .arg(&demo)
        .assert()
        .success();
    let mut reached = Vec::new();
    for mode in Mode::iter() {
        let Some(h) = in_mode(&demo, mode) else {
            continue;
        };
        reached.push(mode);
        let hints = h.app.hints();
        assert!(!hints.is_empty(), "{mode:?} hints nothing");
        for hint in hints {
            let mut h = in_mode(&demo, mode).unwrap_or_else(|| unreachable!());
            let before = h.text();
            handle_input(
                &mut h.app,
                Event::Key(KeyEvent::new(hint.key.0, hint.key.1)),
            );
            h.settle();
            let after = h.text();
            // A copy is handed to the event loop, which puts it on the
            // clipboard.
            let copied = h.app.requests.clip.is_some() || h.app.requests.outside.is_some();
            assert!(
                h.app.quit || copied || h.app.mode() != mode || after != before,
                "in {mode:?}, {} ({}) did nothing:\n{after}",
                hint.label,
                hint.help
            );
        }
    }
    let unreached: Vec<Mode> = Mode::iter().filter(|m| !reached.contains(m)).collect();
    assert_eq!(
        unreached,
        [Mode::PlanRunning, Mode::Exporting],
        "only the modes that last while work runs are left out"
    );
}
