//! DESIGN §6: no two modules import each other, `store` knows nothing of
//! the terminal, `tui` holds no SQL. Read from the source itself.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path of a source file: src/store/plan/fold.rs -> store::plan::fold.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib") {
        parts.push(stem.to_string());
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every module and the modules it names in `use` paths (crate::, super::,
/// and its own `mod` children), outside its tests.
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src, &mut list);
    let modules: BTreeSet<Vec<String>> = list
        .iter()
        .filter(|p| !p.ends_with("main.rs"))
        .map(|p| module_of(p.strip_prefix(&src).unwrap()))
        .collect();
    let resolve = |path: Vec<String>| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| modules.contains(m))
    };
    let mut g = BTreeMap::new();
    for p in &list {
        if p.ends_with("main.rs") {
            continue;
        }
        let me = module_of(p.strip_prefix(&src).unwrap());
        let text = std::fs::read_to_string(p).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let children: Vec<&str> = code
            .lines()
            .filter_map(|l| {
                let l = l
                    .trim_start()
                    .trim_start_matches("pub ")
                    .trim_start_matches("pub(crate) ");
                l.strip_prefix("mod ")?.strip_suffix(';')
            })
            .collect();
        let mut uses = BTreeSet::new();
        for (i, _) in code.match_indices("::") {
            // The path this `::` belongs to, from its first segment.
            let start = code[..i]
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(0, |j| j + 1);
            if start != i - code[start..i].len() || code[..start].ends_with("::") {
                continue;
            }
            let path: Vec<&str> = code[start..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .collect();
            // Where the path starts, then each further `super` one level up.
            let parent = me[..me.len().saturating_sub(1)].to_vec();
            let (mut abs, mut rest): (Vec<String>, &[&str]) = match path.first().copied() {
                Some("crate") => (Vec::new(), &path[1..]),
                Some("super") => (parent, &path[1..]),
                Some("self") => (me.clone(), &path[1..]),
                Some(c) if children.contains(&c) => (me.clone(), &path[..]),
                _ => continue,
            };
            while let Some((&"super", tail)) = rest.split_first() {
                abs.pop();
                rest = tail;
            }
            abs.extend(rest.iter().map(|s| s.to_string()));
            if let Some(m) = resolve(abs)
                && m != me
            {
                uses.insert(m);
            }
        }
        g.insert(me, uses);
    }
    g
}

#[test]
fn no_two_modules_import_each_other() {
    let g = graph();
    assert!(g.len() > 30, "the source was read: {} modules", g.len());
    let mut pairs = Vec::new();
    for (a, uses) in &g {
        for b in uses {
            if a < b && g.get(b).is_some_and(|u| u.contains(a)) {
                pairs.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "modules importing each other:\n{}",
        pairs.join("\n")
    );
}

#[test]
fn the_store_knows_nothing_of_the_terminal_and_the_app_holds_no_sql() {
    let g = graph();
    for (m, uses) in &g {
        if m.first().is_some_and(|s| s == "store") {
            let bad: Vec<_> = uses
                .iter()
                .filter(|u| u.first().is_some_and(|s| s == "tui" || s == "cli"))
                .collect();
            assert!(bad.is_empty(), "{} uses {bad:?}", m.join("::"));
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src.join("tui"), &mut list);
    files(&src.join("store"), &mut list);
    for p in list {
        let text = std::fs::read_to_string(&p).unwrap();
        let tui = p.starts_with(src.join("tui"));
        if tui {
            assert!(!text.contains("rusqlite"), "{} uses rusqlite", p.display());
        } else {
            assert!(
                !text.contains("ratatui") && !text.contains("crossterm"),
                "{} draws",
                p.display()
            );
        }
    }
}
