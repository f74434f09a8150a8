//! The key table in force: the defaults of `keys::KEYS` with the user's own
//! keys applied. Dispatch, the status-line hints and the `?` overlay all
//! read it, so they show the keys the user actually has.

use super::keys::{Action, Binding, Ctx, K, KEYS, When, short_label};
use super::mode::Mode;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use strum::IntoEnumIterator;

/// One binding as in force.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub ctx: Ctx,
    pub name: &'static str,
    pub keys: Vec<K>,
    pub action: Action,
    pub help: &'static str,
    pub hint: Option<&'static str>,
    pub when: When,
}

impl Bound {
    /// Every key, as the `?` overlay lists them: `j/↓`.
    pub(crate) fn label(&self) -> String {
        super::keys::label(&self.keys)
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bound: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bound: KEYS.iter().map(bound).collect(),
        }
    }
}

fn bound(b: &Binding) -> Bound {
    Bound {
        ctx: b.ctx,
        name: b.name,
        keys: b.keys.to_vec(),
        action: b.action,
        help: b.help,
        hint: b.hint,
        when: b.when,
    }
}

impl Keymap {
    /// The defaults with `remap` applied: each name gets exactly the keys
    /// given. An unknown name, a key given twice, or a key that would mean
    /// two things at once is refused, naming it. Ctrl-c always quits.
    pub fn new(remap: &[(String, Vec<K>)]) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in remap {
            let mut found = false;
            for b in map.bound.iter_mut().filter(|b| b.name == name) {
                found = true;
                b.keys = keys.clone();
                if b.name == "quit" && !b.keys.contains(&CTRL_C) {
                    b.keys.push(CTRL_C);
                }
            }
            if !found {
                return Err(format!(
                    "unknown action {name:?} in [keys] (--print-config lists every name)"
                ));
            }
        }
        map.check()?;
        Ok(map)
    }

    /// No key means two things in contexts that are in force together (in
    /// one Mode).
    fn check(&self) -> Result<(), String> {
        for mode in Mode::iter() {
            let stack = mode.unambiguous();
            let mut seen: Vec<(K, &str)> = Vec::new();
            for b in stack
                .iter()
                .flat_map(|ctx| self.bound.iter().filter(move |b| b.ctx == *ctx))
            {
                for key in &b.keys {
                    match seen.iter().find(|(k, _)| same_key(*k, *key)) {
                        Some((_, other)) if *other != b.name => {
                            return Err(format!(
                                "key {} is bound to both {other} and {} (in {})",
                                name_of(*key),
                                b.name,
                                b.ctx.title()
                            ));
                        }
                        Some(_) => {}
                        None => seen.push((*key, b.name)),
                    }
                }
            }
        }
        Ok(())
    }

    /// The bindings of one context, in table order.
    pub(crate) fn of(&self, ctx: Ctx) -> impl Iterator<Item = &Bound> {
        self.bound.iter().filter(move |b| b.ctx == ctx)
    }

    /// Every name and its keys, once each, in table order.
    pub fn names(&self) -> Vec<(&'static str, Vec<K>)> {
        let mut out: Vec<(&'static str, Vec<K>)> = Vec::new();
        for b in &self.bound {
            if !out.iter().any(|(n, _)| *n == b.name) {
                out.push((b.name, b.keys.clone()));
            }
        }
        out
    }

    /// The status-line label of `action`'s keys in `ctx` (`y`, `n/Esc`).
    pub(crate) fn short(&self, ctx: Ctx, action: Action) -> String {
        self.of(ctx)
            .find(|b| b.action == action)
            .map(|b| short_label(&b.keys))
            .unwrap_or_default()
    }

    /// The action bound to `ev` in the first of `ctxs` that binds it. In a
    /// text prompt (`Ctx::Input` in force), a character no binding claims is
    /// typed; over the `?` list (`Ctx::Help`), any key no binding claims
    /// closes it.
    pub(crate) fn lookup(&self, ctxs: &[Ctx], ev: &KeyEvent) -> Option<Action> {
        let pressed = K(ev.code, ev.modifiers);
        let bound = ctxs.iter().find_map(|ctx| {
            self.of(*ctx)
                .find(|b| b.keys.iter().any(|k| same_key(*k, pressed)))
                .map(|b| b.action)
        });
        let mods = ev.modifiers - KeyModifiers::SHIFT;
        match (bound, ev.code) {
            (None, KeyCode::Char(c))
                if ctxs.contains(&Ctx::Input) && mods.is_empty() && !c.is_control() =>
            {
                Some(Action::Type(c))
            }
            (None, _) if ctxs.first() == Some(&Ctx::Help) => Some(Action::Back),
            _ => bound,
        }
    }

    /// The hints of `ctxs`, for bindings whose condition `holds` now.
    /// A key bound in an earlier context is that context's, so a binding
    /// whose keys are all claimed there is not hinted (a finished dialog's
    /// `q` closes it: no "q quit" beside it).
    pub(crate) fn hints(&self, ctxs: &[Ctx], holds: impl Fn(When) -> bool) -> Vec<Hint> {
        let mut out = Vec::new();
        for (i, ctx) in ctxs.iter().enumerate() {
            let claimed = |kk: &K| {
                ctxs[..i].iter().any(|c| {
                    self.of(*c)
                        .any(|b| b.keys.iter().any(|k| same_key(*k, *kk)))
                })
            };
            for b in self.of(*ctx) {
                if let Some(h) = b.hint
                    && holds(b.when)
                    && !b.keys.iter().all(claimed)
                {
                    // Named by a key of its own, not one an earlier context took.
                    let free: Vec<K> = b.keys.iter().copied().filter(|k| !claimed(k)).collect();
                    out.push(Hint {
                        label: short_label(&free),
                        help: h,
                        key: free[0],
                    });
                }
            }
        }
        out
    }
}

/// A key hinted in the status line: its label, its few words, and a key
/// that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub label: String,
    pub help: &'static str,
    pub key: K,
}

const CTRL_C: K = K(KeyCode::Char('c'), KeyModifiers::CONTROL);

/// Whether two keys are pressed alike: Shift is part of an upper-case
/// letter and of Shift-Tab already, so it is ignored there.
fn same_key(a: K, b: K) -> bool {
    let norm = |k: K| match k.0 {
        KeyCode::Char(_) | KeyCode::BackTab => K(k.0, k.1 - KeyModifiers::SHIFT),
        _ => k,
    };
    norm(a) == norm(b)
}

/// A key as the config file writes it: `q`, `ctrl-d`, `pgdn`, `space`.
pub fn name_of(k: K) -> String {
    let base = match k.0 {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        other => NAMED
            .iter()
            .find(|(_, c)| *c == other)
            .map_or_else(|| other.to_string().to_lowercase(), |(n, _)| n.to_string()),
    };
    let mut s = String::new();
    if k.1.contains(KeyModifiers::CONTROL) {
        s.push_str("ctrl-");
    }
    if k.1.contains(KeyModifiers::ALT) {
        s.push_str("alt-");
    }
    s + &base
}

/// Keys with names, as the config file writes them (the first of a code
/// is the one printed).
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("shift-tab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

/// Reads a key as the config file writes it (see `name_of`).
pub fn parse_key(text: &str) -> Result<K, String> {
    let bad =
        || format!("unknown key {text:?} (keys look like q, G, ctrl-d, alt-x, enter, pgdn, f5)");
    let mut rest = text;
    let mut mods = KeyModifiers::NONE;
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = &rest[5..];
        } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
            mods |= KeyModifiers::ALT;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => {
            // Ctrl with a letter arrives as the lower-case letter.
            KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            })
        }
        _ => {
            let lower = rest.to_ascii_lowercase();
            if lower == "space" {
                KeyCode::Char(' ')
            } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                if !(1..=12).contains(&n) {
                    return Err(bad());
                }
                KeyCode::F(n)
            } else {
                NAMED
                    .iter()
                    .find(|(name, _)| *name == lower)
                    .map(|(_, c)| *c)
                    .ok_or_else(bad)?
            }
        }
    };
    Ok(K(code, mods))
}

#[cfg(test)]
mod tests {
    use super::{Bound, Keymap, name_of, parse_key, same_key};
    use crate::tui::keys::{Action, Ctx, Edit, K, KEYS};
    use crate::tui::tab::Tab;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use strum::IntoEnumIterator;

    fn ev(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    fn key(s: &str) -> K {
        parse_key(s).unwrap()
    }

    #[test]
    fn every_binding_dispatches_to_its_action_in_its_context() {
        let map = Keymap::default();
        for b in &map.bound {
            for kk in &b.keys {
                let got = map.lookup(&[b.ctx], &ev(kk.0, kk.1));
                assert_eq!(got, Some(b.action), "{} in {:?}", b.label(), b.ctx);
            }
        }
    }

    #[test]
    fn the_defaults_pass_the_clash_check() {
        Keymap::default().check().unwrap();
        // Within one context too. One name may bind its key twice, each
        // for a state of its own with its own hint (Esc on a query's
        // result: stop, or back to the editor): one intent, one action.
        for ctx in Ctx::iter() {
            let map = Keymap::default();
            let all: Vec<(K, &str, Action)> = map
                .of(ctx)
                .flat_map(|b| b.keys.iter().map(move |k| (*k, b.name, b.action)))
                .collect();
            for (i, (a, name, action)) in all.iter().enumerate() {
                assert!(
                    !all[i + 1..]
                        .iter()
                        .any(|(b, n, act)| same_key(*a, *b) && (n != name || act != action)),
                    "{} twice in {ctx:?}",
                    a.label()
                );
            }
        }
    }

    #[test]
    fn earlier_contexts_win() {
        let map = Keymap::default();
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Ctx::Confirm, Ctx::Global], &esc),
            Some(Action::Cancel)
        );
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&[Ctx::Documents, Ctx::Grid, Ctx::Scroll, Ctx::Global], &q),
            Some(Action::Quit)
        );
        let upper_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.lookup(&[Ctx::Scroll], &upper_g), Some(Action::Bottom));
        let shift_o = ev(KeyCode::Char('O'), KeyModifiers::SHIFT);
        assert_eq!(
            map.lookup(&[Ctx::Documents], &shift_o),
            Some(Action::SortReverse)
        );
        let backtab = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(map.lookup(&[Ctx::Global], &backtab), Some(Action::PrevTab));
    }

    #[test]
    fn a_prompt_types_what_no_binding_claims() {
        let map = Keymap::default();
        let typed = |ctxs: &[Ctx], c: char, m| map.lookup(ctxs, &ev(KeyCode::Char(c), m));
        assert_eq!(
            typed(&[Ctx::Input], 'q', KeyModifiers::NONE),
            Some(Action::Type('q'))
        );
        assert_eq!(
            typed(&[Ctx::ExportPath, Ctx::Input], 'Q', KeyModifiers::SHIFT),
            Some(Action::Type('Q'))
        );
        assert_eq!(
            typed(&[Ctx::Input], 'u', KeyModifiers::CONTROL),
            Some(Action::Edit(Edit::DeleteToStart))
        );
        assert_eq!(typed(&[Ctx::Input], 'x', KeyModifiers::CONTROL), None);
        assert_eq!(typed(&[Ctx::Documents], 'q', KeyModifiers::NONE), None);
    }

    #[test]
    fn labels_are_written_from_the_keys() {
        let map = Keymap::default();
        let label = |a: Action| {
            map.bound
                .iter()
                .find(|b| b.action == a && matches!(b.ctx, Ctx::Global | Ctx::Scroll))
                .map(Bound::label)
                .unwrap_or_default()
        };
        assert_eq!(label(Action::PageDown), "PgDn/Ctrl-f/Space");
        assert_eq!(label(Action::Quit), "q/Ctrl-c");
        assert_eq!(label(Action::Bottom), "G/End");
        assert_eq!(label(Action::PrevTab), "S-Tab");
    }

    /// Every action a user can mean (each tab, each edit; a typed character
    /// is the prompt's fallback, not a binding).
    #[test]
    fn every_action_has_a_key() {
        let map = Keymap::default();
        let missing: Vec<Action> = Action::iter()
            .flat_map(|a| match a {
                Action::GoTab(_) => Tab::iter().map(Action::GoTab).collect(),
                Action::Edit(_) => Edit::iter().map(Action::Edit).collect(),
                Action::Type(_) => vec![],
                a => vec![a],
            })
            .filter(|a| !map.bound.iter().any(|b| b.action == *a))
            .collect();
        assert!(missing.is_empty(), "no key for {missing:?}");
    }

    #[test]
    fn keys_read_and_write_alike() {
        for b in KEYS {
            for k in b.keys {
                let back = key(&name_of(*k));
                assert!(same_key(back, *k), "{} -> {}", k.label(), name_of(*k));
            }
        }
        assert_eq!(key("Ctrl-D"), K(KeyCode::Char('d'), KeyModifiers::CONTROL));
        assert_eq!(key("-"), K(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(key("ctrl--"), K(KeyCode::Char('-'), KeyModifiers::CONTROL));
        assert_eq!(key("PgDn"), K(KeyCode::PageDown, KeyModifiers::NONE));
        assert_eq!(key("f5"), K(KeyCode::F(5), KeyModifiers::NONE));
        for bad in ["", "ctrl-", "f13", "hyper-x", "enterr"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn remapping_changes_dispatch_and_hints_and_refuses_clashes() {
        let map = Keymap::new(&[("sort".into(), vec![key("S"), key("f5")])]).unwrap();
        let ctxs = [Ctx::Documents, Ctx::Grid, Ctx::Scroll, Ctx::Global];
        let f5 = ev(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(map.lookup(&ctxs, &f5), Some(Action::Sort));
        let o = ev(KeyCode::Char('o'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&ctxs, &o), None, "the old key is gone");
        assert!(
            map.hints(&ctxs, |_| true)
                .iter()
                .any(|h| h.label == "S" && h.help == "sort")
        );

        let quit = Keymap::new(&[("quit".into(), vec![key("Z")])]).unwrap();
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(quit.lookup(&[Ctx::Global], &ctrl_c), Some(Action::Quit));

        let clash = Keymap::new(&[("sort".into(), vec![key("q")])]).unwrap_err();
        assert!(clash.contains("key q is bound to both"), "{clash}");
        let unknown = Keymap::new(&[("sortt".into(), vec![key("q")])]).unwrap_err();
        assert!(unknown.contains("unknown action \"sortt\""), "{unknown}");
    }
}
