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
    chord(KeyCode::Char(c), KeyModifiers::NONE)
}

fn chord(c: KeyCode, m: KeyModifiers) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(c, m)))
}

fn screen_of(b: &ratatui::buffer::Buffer) -> String {
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// A demo store, the app on it and its real workers, and the channel the
/// loop reads (the terminal's events go in by `tx`).
fn demo_loop() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::sync::mpsc::Sender<Msg>,
    std::sync::mpsc::Receiver<Msg>,
    App,
    Workers,
) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("demo.sqlite");
    bin().args(["demo"]).arg(&p).assert().success();
    let (tx, rx) = channel::<Msg>();
    let app = App::new(p.clone());
    let reply_tx = tx.clone();
    let workers = Workers::spawn(&p, &app.requests.latest, move |r| {
        let _ = reply_tx.send(Msg::Reply(r));
    });
    (dir, p, tx, rx, app, workers)
}

#[test]
fn the_loop_routes_keys_and_replies_and_quits_on_q() {
    let (_dir, p, tx, rx, mut app, workers) = demo_loop();
    let script = std::thread::spawn(move || {
        // Time for the workers to answer, on a busy machine too.
        tx.send(key('2')).unwrap();
        std::thread::sleep(Duration::from_secs(3));
        tx.send(key('j')).unwrap();
        std::thread::sleep(Duration::from_secs(1));
        tx.send(key('q')).unwrap();
        // Should q not quit, the loop still ends (and the test fails below).
        std::thread::sleep(Duration::from_secs(2));
        let _ = tx.send(Msg::Signal);
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut outside = |_: &str| -> anyhow::Result<String> { panic!("no editor was asked for") };
    run(&mut terminal, &mut app, &rx, &workers, &mut outside).unwrap();
    script.join().unwrap();
    assert!(app.quit, "q quits");
    let b = terminal.backend().buffer().clone();
    let screen = screen_of(&b);
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

#[test]
fn ctrl_e_hands_the_statement_to_the_editor_and_reads_it_back() {
    let (_dir, _, tx, rx, mut app, workers) = demo_loop();
    let script = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        for m in [key(':'), key('S'), key('1')] {
            tx.send(m).unwrap();
        }
        // The first time the editor fails; the second it answers.
        tx.send(chord(KeyCode::Char('e'), KeyModifiers::CONTROL))
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        tx.send(chord(KeyCode::Char('e'), KeyModifiers::CONTROL))
            .unwrap();
        tx.send(chord(KeyCode::Enter, KeyModifiers::NONE)).unwrap();
        std::thread::sleep(Duration::from_secs(2));
        // Esc on the result goes back to the editor, Esc again leaves it.
        tx.send(chord(KeyCode::Esc, KeyModifiers::NONE)).unwrap();
        tx.send(chord(KeyCode::Esc, KeyModifiers::NONE)).unwrap();
        tx.send(key('q')).unwrap();
        // Should q not quit, the loop still ends (and the test fails below).
        std::thread::sleep(Duration::from_secs(2));
        let _ = tx.send(Msg::Signal);
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut asked: Vec<String> = Vec::new();
    let mut outside = |sql: &str| -> anyhow::Result<String> {
        asked.push(sql.to_string());
        if asked.len() == 1 {
            anyhow::bail!("vi exited with 1; the statement is as it was");
        }
        Ok("SELECT 41 + 1 AS answer\n-- from the editor\n".to_string())
    };
    run(&mut terminal, &mut app, &rx, &workers, &mut outside).unwrap();
    script.join().unwrap();
    assert!(app.quit, "q quits");
    assert_eq!(asked, ["S1", "S1"], "the statement as typed goes out");
    let screen = screen_of(terminal.backend().buffer());
    assert!(screen.contains("SQL› SELECT 41 + 1 AS answer"), "{screen}");
    assert!(screen.contains("┆ -- from the editor"), "{screen}");
    let answer = screen
        .lines()
        .position(|l| l.starts_with("answer"))
        .expect(&screen);
    let value = screen.lines().nth(answer + 1).unwrap_or_default();
    assert!(value.trim_start().starts_with("42"), "{screen}");
    let log: Vec<&String> = app.log.iter().map(|(_, m)| m).collect();
    assert!(
        log.iter().any(|m| m.contains("vi exited with 1")),
        "{log:?}"
    );
}
