//! The event loop itself (`event::run`) on a TestBackend, with the real
//! worker threads: scripted keys go in as the terminal would send them, and
//! the last frame drawn shows what they did.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use egregora_inspect::tui::app::App;
use egregora_inspect::tui::event::{Msg, run};
use egregora_inspect::tui::worker::Workers;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::mpsc::channel;
use std::time::Duration;

fn key(c: char) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[test]
fn the_loop_routes_keys_and_replies_and_quits_on_q() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo"]).arg(&p).assert().success();
    let (tx, rx) = channel::<Msg>();
    let mut app = App::new(p.clone());
    let reply_tx = tx.clone();
    let workers = Workers::spawn(&p, &app.requests.latest, move |r| {
        let _ = reply_tx.send(Msg::Reply(r));
    });
    let script = std::thread::spawn(move || {
        // Time for the workers to answer, on a busy machine too.
        tx.send(key('2')).unwrap();
        std::thread::sleep(Duration::from_secs(3));
        tx.send(key('j')).unwrap();
        std::thread::sleep(Duration::from_secs(1));
        tx.send(key('q')).unwrap();
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    run(&mut terminal, &mut app, &rx, &workers).unwrap();
    script.join().unwrap();
    assert!(app.quit, "q quits");
    let b = terminal.backend().buffer().clone();
    let screen: String = (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect();
    // The Documents tab, its rows read by the workers, the second selected.
    let second: String = scalar(
        &p,
        "SELECT id FROM documents ORDER BY rowid LIMIT 1 OFFSET 1",
    );
    let line = |y: u16| -> String {
        (0..b.area.width)
            .map(|x| b[(x, y)].symbol().to_string())
            .collect()
    };
    let reversed = |y: u16| {
        (0..b.area.width).any(|x| {
            b[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
        })
    };
    let at = (0..b.area.height)
        .find(|y| line(*y).starts_with(&second))
        .unwrap_or_else(|| panic!("{second} not on screen:\n{screen}"));
    assert!(reversed(at), "the second row is selected:\n{screen}");
    assert!(!reversed(at - 1), "and not the first:\n{screen}");
}
