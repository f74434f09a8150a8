//! The one key table: it drives dispatch, the status-line hints and the `?`
//! overlay, so the three cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the user means; keys map to these and only `App::update` acts on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Show or hide the list of keys.
    Help,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Go to a tab by number (0-based).
    GoTab(usize),
    /// Read the store again.
    Refresh,
    /// Open the init plan.
    Init,
    /// Open the fold-legacy plan.
    FoldLegacy,
    /// Scan the rows for bad values (the data checks).
    DataChecks,
    /// Move up one line.
    Up,
    /// Move down one line.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Jump to the start.
    Top,
    /// Jump to the end.
    Bottom,
    /// Open the selected document or table.
    Open,
    /// Close the current view or clear the search.
    Back,
    /// Cycle the doc_type filter.
    FilterType,
    /// Cycle the status filter.
    FilterStatus,
    /// Cycle the sort order.
    Sort,
    /// Type a search.
    Search,
    /// Run the plan in the dialog.
    Confirm,
    /// Close the dialog without running, or cancel a running plan.
    Cancel,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Global,
    Scroll,
    Documents,
    Detail,
    Tables,
    Browse,
    Dialog,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Everywhere",
            Ctx::Scroll => "Lists and pages",
            Ctx::Documents => "Documents",
            Ctx::Detail => "A document",
            Ctx::Tables => "Tables",
            Ctx::Browse => "Browsing a table",
            Ctx::Dialog => "Plan dialog",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct K(pub KeyCode, pub KeyModifiers);

const fn k(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::NONE)
}
const fn ctrl(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::CONTROL)
}
const fn code(c: KeyCode) -> K {
    K(c, KeyModifiers::NONE)
}

pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [K],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Its few words in the status line, if it is shown there.
    pub hint: Option<&'static str>,
}

const fn b(
    ctx: Ctx,
    keys: &'static [K],
    label: &'static str,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        ctx,
        keys,
        label,
        action,
        help,
        hint,
    }
}

#[rustfmt::skip]
pub static KEYS: &[Binding] = &[
    b(Ctx::Dialog, &[k('y'), k('Y')], "y", Action::Confirm, "run the plan", Some("run")),
    b(Ctx::Dialog, &[k('n'), code(KeyCode::Esc), ctrl('c')], "n/Esc", Action::Cancel, "close, or cancel a running plan", Some("close/cancel")),
    b(Ctx::Dialog, &[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, "scroll the plan", None),
    b(Ctx::Dialog, &[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, "scroll the plan", None),
    b(Ctx::Documents, &[code(KeyCode::Enter)], "Enter", Action::Open, "open the document", Some("open")),
    b(Ctx::Documents, &[k('/')], "/", Action::Search, "search id, slug, title, content", Some("search")),
    b(Ctx::Documents, &[k('t')], "t", Action::FilterType, "filter by doc_type", Some("type")),
    b(Ctx::Documents, &[k('s')], "s", Action::FilterStatus, "filter by status", Some("status")),
    b(Ctx::Documents, &[k('o')], "o", Action::Sort, "sort order", Some("sort")),
    b(Ctx::Documents, &[code(KeyCode::Esc)], "Esc", Action::Back, "clear search and filters", None),
    b(Ctx::Detail, &[code(KeyCode::Esc), code(KeyCode::Backspace)], "Esc", Action::Back, "back to the list", Some("back")),
    b(Ctx::Tables, &[code(KeyCode::Enter)], "Enter", Action::Open, "browse the table (read-only)", Some("browse")),
    b(Ctx::Browse, &[code(KeyCode::Esc), code(KeyCode::Backspace)], "Esc", Action::Back, "back to the tables", Some("back")),
    b(Ctx::Scroll, &[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, "down a line", None),
    b(Ctx::Scroll, &[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, "up a line", None),
    b(Ctx::Scroll, &[code(KeyCode::PageDown), ctrl('f'), k(' ')], "PgDn", Action::PageDown, "down a page", None),
    b(Ctx::Scroll, &[code(KeyCode::PageUp), ctrl('b')], "PgUp", Action::PageUp, "up a page", None),
    b(Ctx::Scroll, &[k('g'), code(KeyCode::Home)], "g/Home", Action::Top, "to the start", None),
    b(Ctx::Scroll, &[k('G'), K(KeyCode::Char('G'), KeyModifiers::SHIFT), code(KeyCode::End)], "G/End", Action::Bottom, "to the end", None),
    b(Ctx::Global, &[k('1')], "1", Action::GoTab(0), "Overview", None),
    b(Ctx::Global, &[k('2')], "2", Action::GoTab(1), "Documents", None),
    b(Ctx::Global, &[k('3')], "3", Action::GoTab(2), "Schema", None),
    b(Ctx::Global, &[k('4')], "4", Action::GoTab(3), "Tables", None),
    b(Ctx::Global, &[code(KeyCode::Tab)], "Tab", Action::NextTab, "next tab", None),
    b(Ctx::Global, &[code(KeyCode::BackTab), K(KeyCode::BackTab, KeyModifiers::SHIFT)], "S-Tab", Action::PrevTab, "previous tab", None),
    b(Ctx::Global, &[k('i')], "i", Action::Init, "init: show the plan", Some("init")),
    b(Ctx::Global, &[k('F'), K(KeyCode::Char('F'), KeyModifiers::SHIFT)], "F", Action::FoldLegacy, "fold-legacy: show the plan", Some("fold")),
    b(Ctx::Global, &[k('d')], "d", Action::DataChecks, "data checks: scan for bad rows", None),
    b(Ctx::Global, &[k('r')], "r", Action::Refresh, "refresh", None),
    b(Ctx::Global, &[k('?')], "?", Action::Help, "all keys", Some("keys")),
    b(Ctx::Global, &[k('q'), ctrl('c')], "q", Action::Quit, "quit", Some("quit")),
];

/// The action bound to `ev` in the first of `ctxs` that binds it.
pub fn lookup(ctxs: &[Ctx], ev: &KeyEvent) -> Option<Action> {
    // Shift is part of an upper-case letter already; ignore it for chars.
    let mods = match ev.code {
        KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
        _ => ev.modifiers,
    };
    ctxs.iter().find_map(|ctx| {
        KEYS.iter()
            .filter(|b| b.ctx == *ctx)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|kk| kk.0 == ev.code && (kk.1 == mods || kk.1 == ev.modifiers))
            })
            .map(|b| b.action)
    })
}

/// `key: what` hints for the status line, for the given contexts.
pub fn hints(ctxs: &[Ctx]) -> Vec<(&'static str, &'static str)> {
    ctxs.iter()
        .flat_map(|ctx| KEYS.iter().filter(move |b| b.ctx == *ctx))
        .filter_map(|b| b.hint.map(|h| (b.label, h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn every_binding_dispatches_to_its_action_in_its_context() {
        for b in KEYS {
            for kk in b.keys {
                let got = lookup(&[b.ctx], &ev(kk.0, kk.1));
                assert_eq!(got, Some(b.action), "{} in {:?}", b.label, b.ctx);
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYS.iter().enumerate() {
            for bb in &KEYS[i + 1..] {
                if a.ctx == bb.ctx {
                    assert!(
                        a.keys.iter().all(|x| !bb.keys.contains(x)),
                        "{} and {} clash in {:?}",
                        a.label,
                        bb.label,
                        a.ctx
                    );
                }
            }
        }
    }

    #[test]
    fn earlier_contexts_win() {
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Ctx::Dialog, Ctx::Global], &esc),
            Some(Action::Cancel)
        );
        assert_eq!(
            lookup(&[Ctx::Detail, Ctx::Scroll, Ctx::Global], &esc),
            Some(Action::Back)
        );
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Ctx::Documents, Ctx::Scroll, Ctx::Global], &q),
            Some(Action::Quit)
        );
        let upper_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[Ctx::Scroll], &upper_g), Some(Action::Bottom));
        assert_eq!(
            lookup(
                &[Ctx::Documents],
                &ev(KeyCode::Char('x'), KeyModifiers::NONE)
            ),
            None
        );
    }
}

#[cfg(test)]
mod reach {
    use super::*;

    /// Every action; the match makes a new variant fail to compile here
    /// until it is listed (and so tested for a key).
    fn all() -> Vec<Action> {
        let list = vec![
            Action::Quit,
            Action::Help,
            Action::NextTab,
            Action::PrevTab,
            Action::GoTab(0),
            Action::FoldLegacy,
            Action::DataChecks,
            Action::Refresh,
            Action::Init,
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::Top,
            Action::Bottom,
            Action::Open,
            Action::Back,
            Action::FilterType,
            Action::FilterStatus,
            Action::Sort,
            Action::Search,
            Action::Confirm,
            Action::Cancel,
        ];
        for a in &list {
            match a {
                Action::Quit
                | Action::Help
                | Action::NextTab
                | Action::PrevTab
                | Action::GoTab(_)
                | Action::FoldLegacy
                | Action::DataChecks
                | Action::Refresh
                | Action::Init
                | Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom
                | Action::Open
                | Action::Back
                | Action::FilterType
                | Action::FilterStatus
                | Action::Sort
                | Action::Search
                | Action::Confirm
                | Action::Cancel => {}
            }
        }
        list
    }

    #[test]
    fn every_action_has_a_key() {
        for a in all() {
            assert!(KEYS.iter().any(|b| b.action == a), "{a:?} has no key");
        }
        for i in 0..4 {
            assert!(KEYS.iter().any(|b| b.action == Action::GoTab(i)), "tab {i}");
        }
    }
}
