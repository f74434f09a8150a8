//! The user's config: `$XDG_CONFIG_HOME/egregora-inspect/config.toml`
//! (`~/.config/…` when the variable is unset). It picks a theme and gives
//! any action other keys; without a file the defaults hold. A bad file is
//! refused at start with one line naming what is wrong.

use super::keymap::{Keymap, name_of, parse_key};
use super::theme::ThemeName;
use anyhow::{Context, Result, anyhow};
use etcetera::BaseStrategy;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One key or several.
#[derive(Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    theme: Option<String>,
    #[serde(default)]
    keys: BTreeMap<String, Keys>,
}

/// The config in force.
#[derive(Debug)]
pub struct Config {
    /// Where it was read from, if a file was there.
    pub source: Option<PathBuf>,
    pub theme: ThemeName,
    pub keys: Keymap,
}

/// Where the config file is looked for.
pub fn path() -> Result<PathBuf> {
    let base = etcetera::choose_base_strategy()
        .map_err(|e| anyhow!("cannot find the config folder: {e}"))?;
    Ok(base
        .config_dir()
        .join("egregora-inspect")
        .join("config.toml"))
}

/// The config at the usual place, or the defaults when there is none.
pub fn load() -> Result<Config> {
    let p = path()?;
    match std::fs::read_to_string(&p) {
        Ok(text) => parse(&text)
            .with_context(|| format!("config {}", crate::text::escape(&p.to_string_lossy())))
            .map(|c| Config {
                source: Some(p),
                ..c
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config {
            source: None,
            theme: ThemeName::Dark,
            keys: Keymap::default(),
        }),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot read the config {}",
                crate::text::escape(&p.to_string_lossy())
            )
        }),
    }
}

/// A config file's text, checked: the theme, every action name and key.
pub fn parse(text: &str) -> Result<Config> {
    let file: File = toml::from_str(text).map_err(|e| anyhow!("{}", one_line(&e.to_string())))?;
    let theme = match file.theme.as_deref() {
        None => ThemeName::Dark,
        Some(name) => ThemeName::parse(name)
            .ok_or_else(|| anyhow!("theme {name:?} is not \"dark\" or \"light\""))?,
    };
    let mut remap = Vec::new();
    for (name, keys) in file.keys {
        let texts = match keys {
            Keys::One(k) => vec![k],
            Keys::Many(ks) => ks,
        };
        if texts.is_empty() {
            return Err(anyhow!("[keys] {name} has no key"));
        }
        let keys = texts
            .iter()
            .map(|t| parse_key(t).map_err(|e| anyhow!("[keys] {name}: {e}")))
            .collect::<Result<Vec<_>>>()?;
        remap.push((name, keys));
    }
    let keys = Keymap::new(&remap).map_err(|e| anyhow!(e))?;
    Ok(Config {
        source: None,
        theme,
        keys,
    })
}

/// TOML's messages point at the line over several lines: one is enough.
fn one_line(msg: &str) -> String {
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The config in force, as a file that would give it.
pub fn print(c: &Config, file: &Path) -> String {
    let mut out = String::new();
    match &c.source {
        Some(p) => out.push_str(&format!(
            "# read from {}\n",
            crate::text::escape(&p.to_string_lossy())
        )),
        None => out.push_str(&format!(
            "# no config file at {}: these are the defaults\n",
            crate::text::escape(&file.to_string_lossy())
        )),
    }
    out.push_str(&format!("theme = \"{}\"\n\n[keys]\n", c.theme.label()));
    for (name, keys) in c.keys.names() {
        let list: Vec<String> = keys.iter().map(|k| toml_string(&name_of(*k))).collect();
        out.push_str(&format!("{name} = [{}]\n", list.join(", ")));
    }
    out
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{parse, print};
    use crate::tui::theme::ThemeName;
    use std::path::Path;

    #[test]
    fn a_config_remaps_keys_and_picks_a_theme() {
        let c = parse("theme = \"light\"\n[keys]\nsort = [\"S\", \"f5\"]\nquit = \"Z\"\n").unwrap();
        assert_eq!(c.theme, ThemeName::Light);
        let printed = print(&c, Path::new("/c"));
        assert!(printed.contains("sort = [\"S\", \"f5\"]"), "{printed}");
        assert!(printed.contains("quit = [\"Z\", \"ctrl-c\"]"), "{printed}");
        // What is printed reads back to the same config.
        let body = |p: &str| p.split_once('\n').unwrap().1.to_string();
        let again = parse(&body(&printed)).unwrap();
        assert_eq!(body(&print(&again, Path::new("/c"))), body(&printed));
    }

    #[test]
    fn bad_configs_are_refused_in_one_line() {
        for (text, says) in [
            ("theme = \"pink\"", "theme \"pink\" is not"),
            ("[keys]\nfly = \"x\"", "unknown action \"fly\""),
            ("[keys]\nsort = \"q\"", "key q is bound to both"),
            ("[keys]\nsort = \"hyper-q\"", "[keys] sort: unknown key"),
            ("[keys]\nsort = []", "[keys] sort has no key"),
            ("colour = 1", "unknown field"),
            ("[keys\n", "TOML parse error"),
        ] {
            let e = format!("{:#}", parse(text).unwrap_err());
            assert!(e.contains(says), "{text:?}: {e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
    }
}
