//! The one key table: it drives dispatch, the status-line hints and the `?`
//! overlay, and their labels are written from the bound keys, so the three
//! cannot drift apart.

use super::tab::Tab;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use strum::EnumIter;

/// What the user means; keys map to these and only `App::update` acts on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Show the list of keys.
    Help,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Go to a tab.
    GoTab(Tab),
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
    /// Close the dialog or the prompt without running; cancel a running plan.
    Cancel,
    /// Use what was typed in the prompt.
    Submit,
    /// Change the text or move its cursor in the prompt.
    Edit(Edit),
    /// A character typed in the prompt (not bound: whatever key no binding
    /// of the prompt claims).
    Type(char),
}

/// The line editor's moves and deletions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, EnumIter)]
pub enum Edit {
    #[default]
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Backspace,
    Delete,
    DeleteWord,
    DeleteToStart,
    DeleteToEnd,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub(crate) enum Ctx {
    Global,
    Scroll,
    Documents,
    /// A text prompt (the search): keys no binding claims are typed.
    Input,
    /// The `?` overlay: keys no binding claims close it.
    Help,
    Detail,
    Tables,
    Browse,
    /// A plan shown, waiting for a yes or no.
    Confirm,
    /// A plan running.
    Running,
    /// A plan dialog whose work has ended (done, failed, blocked, loading):
    /// it closes, and the keys of the screen under it close it and act.
    Ended,
    /// The terminal is too small to draw the app: only quitting works.
    TooSmall,
}

impl Ctx {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Everywhere",
            Ctx::Scroll => "Lists and pages",
            Ctx::Documents => "Documents",
            Ctx::Input => "Typing a search",
            Ctx::Help => "This list",
            Ctx::Detail => "A document",
            Ctx::Tables => "Tables",
            Ctx::Browse => "Browsing a table",
            Ctx::Confirm => "Plan dialog",
            Ctx::Running => "A plan running",
            Ctx::Ended => "A plan finished",
            Ctx::TooSmall => "Terminal too small",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct K(pub KeyCode, pub KeyModifiers);

const fn k(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::NONE)
}
const fn ctrl(c: char) -> K {
    K(KeyCode::Char(c), KeyModifiers::CONTROL)
}
const fn code(c: KeyCode) -> K {
    K(c, KeyModifiers::NONE)
}

impl K {
    /// How the key is written in hints and help.
    pub(crate) fn label(self) -> String {
        let name = match self.0 {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            other => other.to_string(),
        };
        if self.1.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{name}")
        } else if self.1.contains(KeyModifiers::ALT) {
            format!("Alt-{name}")
        } else {
            name
        }
    }
}

pub(crate) struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [K],
    pub action: Action,
    pub help: &'static str,
    /// Its few words in the status line, if it is shown there.
    pub hint: Option<&'static str>,
}

impl Binding {
    /// Every key, as the `?` overlay lists them: `j/↓`.
    pub(crate) fn label(&self) -> String {
        let mut seen: Vec<String> = Vec::new();
        for key in self.keys {
            let l = key.label();
            if !seen.contains(&l) {
                seen.push(l);
            }
        }
        seen.join("/")
    }
}

/// The first of `keys`, as the status line shows it, and Esc beside it when
/// Esc also does it (`n/Esc`): the line has room for little, and `?` lists
/// every key.
pub(crate) fn short_label(keys: &[K]) -> String {
    let first = keys.first().map(|k| k.label()).unwrap_or_default();
    let esc = K(KeyCode::Esc, KeyModifiers::NONE);
    if first != "Esc" && keys.contains(&esc) {
        format!("{first}/Esc")
    } else {
        first
    }
}

const fn b(
    ctx: Ctx,
    keys: &'static [K],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        ctx,
        keys,
        action,
        help,
        hint,
    }
}

const SHIFT_G: K = K(KeyCode::Char('G'), KeyModifiers::SHIFT);
const SHIFT_F: K = K(KeyCode::Char('F'), KeyModifiers::SHIFT);
const SHIFT_BACKTAB: K = K(KeyCode::BackTab, KeyModifiers::SHIFT);
const CTRL_LEFT: K = K(KeyCode::Left, KeyModifiers::CONTROL);
const CTRL_RIGHT: K = K(KeyCode::Right, KeyModifiers::CONTROL);

#[rustfmt::skip]
pub(crate) static KEYS: &[Binding] = &[
    b(Ctx::Confirm, &[k('y'), k('Y')], Action::Confirm, "run the plan", Some("run")),
    b(Ctx::Confirm, &[k('n'), code(KeyCode::Esc), k('q'), ctrl('c')], Action::Cancel, "close, write nothing", Some("close")),
    b(Ctx::Running, &[code(KeyCode::Esc), k('q'), ctrl('c')], Action::Cancel, "cancel: roll back, write nothing", Some("cancel")),
    b(Ctx::Ended, &[code(KeyCode::Enter), code(KeyCode::Esc), k('q'), k('n')], Action::Cancel, "close (so do the tab and action keys)", Some("close")),
    b(Ctx::TooSmall, &[k('q'), ctrl('c')], Action::Quit, "quit (nothing else works until the terminal is larger)", Some("quit")),
    b(Ctx::Input, &[code(KeyCode::Enter)], Action::Submit, "keep the search typed (the list follows it as you type)", Some("keep")),
    b(Ctx::Input, &[code(KeyCode::Esc), ctrl('c')], Action::Cancel, "close the prompt, back to the search from before", Some("cancel")),
    b(Ctx::Input, &[code(KeyCode::Left)], Action::Edit(Edit::Left), "cursor left", None),
    b(Ctx::Input, &[code(KeyCode::Right)], Action::Edit(Edit::Right), "cursor right", None),
    b(Ctx::Input, &[CTRL_LEFT], Action::Edit(Edit::WordLeft), "a word left", None),
    b(Ctx::Input, &[CTRL_RIGHT], Action::Edit(Edit::WordRight), "a word right", None),
    b(Ctx::Input, &[code(KeyCode::Home), ctrl('a')], Action::Edit(Edit::Home), "to the start", None),
    b(Ctx::Input, &[code(KeyCode::End), ctrl('e')], Action::Edit(Edit::End), "to the end", None),
    b(Ctx::Input, &[code(KeyCode::Backspace), ctrl('h')], Action::Edit(Edit::Backspace), "delete before the cursor", None),
    b(Ctx::Input, &[code(KeyCode::Delete), ctrl('d')], Action::Edit(Edit::Delete), "delete at the cursor", None),
    b(Ctx::Input, &[ctrl('w')], Action::Edit(Edit::DeleteWord), "delete the word before", None),
    b(Ctx::Input, &[ctrl('u')], Action::Edit(Edit::DeleteToStart), "delete to the start", None),
    b(Ctx::Input, &[ctrl('k')], Action::Edit(Edit::DeleteToEnd), "delete to the end", None),
    b(Ctx::Help, &[code(KeyCode::Esc), k('?')], Action::Back, "close it (so does any key not listed here)", Some("close")),
    b(Ctx::Help, &[k('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
    b(Ctx::Documents, &[code(KeyCode::Enter)], Action::Open, "open the document", Some("open")),
    b(Ctx::Documents, &[k('/')], Action::Search, "search id, slug, title, content", Some("search")),
    b(Ctx::Documents, &[k('t')], Action::FilterType, "filter by doc_type", Some("type")),
    b(Ctx::Documents, &[k('s')], Action::FilterStatus, "filter by status", Some("status")),
    b(Ctx::Documents, &[k('o')], Action::Sort, "sort order", Some("sort")),
    b(Ctx::Documents, &[code(KeyCode::Esc)], Action::Back, "clear search and filters", None),
    b(Ctx::Detail, &[code(KeyCode::Esc), code(KeyCode::Backspace)], Action::Back, "back to the list", Some("back")),
    b(Ctx::Tables, &[code(KeyCode::Enter)], Action::Open, "browse the table (read-only)", Some("browse")),
    b(Ctx::Browse, &[code(KeyCode::Esc), code(KeyCode::Backspace)], Action::Back, "back to the tables", Some("back")),
    b(Ctx::Scroll, &[k('j'), code(KeyCode::Down)], Action::Down, "down a line", None),
    b(Ctx::Scroll, &[k('k'), code(KeyCode::Up)], Action::Up, "up a line", None),
    b(Ctx::Scroll, &[code(KeyCode::PageDown), ctrl('f'), k(' ')], Action::PageDown, "down a page", None),
    b(Ctx::Scroll, &[code(KeyCode::PageUp), ctrl('b')], Action::PageUp, "up a page", None),
    b(Ctx::Scroll, &[k('g'), code(KeyCode::Home)], Action::Top, "to the start", None),
    b(Ctx::Scroll, &[k('G'), SHIFT_G, code(KeyCode::End)], Action::Bottom, "to the end", None),
    b(Ctx::Global, &[k('1')], Action::GoTab(Tab::Overview), "Overview", None),
    b(Ctx::Global, &[k('2')], Action::GoTab(Tab::Documents), "Documents", None),
    b(Ctx::Global, &[k('3')], Action::GoTab(Tab::Schema), "Schema", None),
    b(Ctx::Global, &[k('4')], Action::GoTab(Tab::Tables), "Tables", None),
    b(Ctx::Global, &[code(KeyCode::Tab)], Action::NextTab, "next tab", None),
    b(Ctx::Global, &[code(KeyCode::BackTab), SHIFT_BACKTAB], Action::PrevTab, "previous tab", None),
    b(Ctx::Global, &[k('i')], Action::Init, "init: show the plan", Some("init")),
    b(Ctx::Global, &[k('F'), SHIFT_F], Action::FoldLegacy, "fold-legacy: show the plan", Some("fold")),
    b(Ctx::Global, &[k('d')], Action::DataChecks, "data checks: scan for bad rows", None),
    b(Ctx::Global, &[k('r')], Action::Refresh, "refresh", None),
    b(Ctx::Global, &[k('?')], Action::Help, "all keys", Some("keys")),
    b(Ctx::Global, &[k('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
];

/// The action bound to `ev` in the first of `ctxs` that binds it. In a text
/// prompt (`Ctx::Input` first), a character no binding claims is typed; over
/// the `?` list (`Ctx::Help`), any key no binding claims closes it.
pub(crate) fn lookup(ctxs: &[Ctx], ev: &KeyEvent) -> Option<Action> {
    // Shift is part of an upper-case letter already; ignore it for chars.
    let mods = match ev.code {
        KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
        _ => ev.modifiers,
    };
    let bound = ctxs.iter().find_map(|ctx| {
        KEYS.iter()
            .filter(|b| b.ctx == *ctx)
            .find(|b| {
                b.keys
                    .iter()
                    .any(|kk| kk.0 == ev.code && (kk.1 == mods || kk.1 == ev.modifiers))
            })
            .map(|b| b.action)
    });
    match (bound, ctxs.first(), ev.code) {
        (None, Some(Ctx::Input), KeyCode::Char(c)) if mods.is_empty() && !c.is_control() => {
            Some(Action::Type(c))
        }
        (None, Some(Ctx::Help), _) => Some(Action::Back),
        _ => bound,
    }
}

/// A key bound in an earlier context is that context's, so a binding
/// whose keys are all claimed there is not hinted (a finished dialog's `q`
/// closes it: no "q quit" beside it).
/// `works` says whether an action does something in the current state: the
/// rest are not hinted.
pub(crate) fn hints(ctxs: &[Ctx], works: impl Fn(Action) -> bool) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for (i, ctx) in ctxs.iter().enumerate() {
        let claimed = |kk: &K| {
            ctxs[..i]
                .iter()
                .any(|c| KEYS.iter().any(|b| b.ctx == *c && b.keys.contains(kk)))
        };
        for b in KEYS.iter().filter(|b| b.ctx == *ctx) {
            if let Some(h) = b.hint
                && works(b.action)
                && !b.keys.iter().all(claimed)
            {
                // Named by a key of its own, not one an earlier context took.
                let free: Vec<K> = b.keys.iter().copied().filter(|k| !claimed(k)).collect();
                out.push((short_label(&free), h));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    fn ev(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn every_binding_dispatches_to_its_action_in_its_context() {
        for b in KEYS {
            for kk in b.keys {
                let got = lookup(&[b.ctx], &ev(kk.0, kk.1));
                assert_eq!(got, Some(b.action), "{} in {:?}", b.label(), b.ctx);
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
                        a.label(),
                        bb.label(),
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
            lookup(&[Ctx::Confirm, Ctx::Global], &esc),
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

    #[test]
    fn a_prompt_types_what_no_binding_claims() {
        let typed = |c: char, m| lookup(&[Ctx::Input], &ev(KeyCode::Char(c), m));
        assert_eq!(typed('q', KeyModifiers::NONE), Some(Action::Type('q')));
        assert_eq!(typed('Q', KeyModifiers::SHIFT), Some(Action::Type('Q')));
        assert_eq!(
            typed('u', KeyModifiers::CONTROL),
            Some(Action::Edit(Edit::DeleteToStart))
        );
        assert_eq!(typed('x', KeyModifiers::CONTROL), None, "not typed");
        assert_eq!(
            lookup(
                &[Ctx::Documents],
                &ev(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            None,
            "outside a prompt nothing is typed"
        );
    }

    #[test]
    fn labels_are_written_from_the_keys() {
        let label = |a: Action| {
            KEYS.iter()
                .find(|b| b.action == a && matches!(b.ctx, Ctx::Global | Ctx::Scroll))
                .map(Binding::label)
                .unwrap_or_default()
        };
        assert_eq!(label(Action::PageDown), "PgDn/Ctrl-f/Space");
        assert_eq!(label(Action::Quit), "q/Ctrl-c");
        assert_eq!(label(Action::Bottom), "G/End", "Shift-G is G once");
        assert_eq!(label(Action::PrevTab), "S-Tab");
    }

    /// Every action a user can mean (each tab, each edit; a typed character
    /// is the prompt's fallback, not a binding).
    fn every_action() -> Vec<Action> {
        Action::iter()
            .flat_map(|a| match a {
                Action::GoTab(_) => Tab::iter().map(Action::GoTab).collect(),
                Action::Edit(_) => Edit::iter().map(Action::Edit).collect(),
                Action::Type(_) => vec![],
                a => vec![a],
            })
            .collect()
    }

    #[test]
    fn every_action_has_a_key() {
        let missing: Vec<Action> = every_action()
            .into_iter()
            .filter(|a| !KEYS.iter().any(|b| b.action == *a))
            .collect();
        assert!(missing.is_empty(), "no key for {missing:?}");
    }
}
