//! The one palette: every colour the views use, by what it means.

use crate::store::inspection::finding::{Finding, Severity};
use crate::store::inspection::inspect::{Inspection, State};
use ratatui::style::{Color, Modifier, Style};

pub(crate) struct Theme {
    /// As it should be: a current store, a mark that matches.
    pub ok: Style,
    /// Wrong or failed.
    pub bad: Style,
    /// Worth a look: legacy objects, a differing column, a running search.
    pub warn: Style,
    /// Secondary text.
    pub dim: Style,
    /// A section heading (the `?` overlay, a detail's column names).
    pub heading: Style,
    /// A key as the status line shows it.
    pub key: Style,
    /// A key in the `?` overlay.
    pub key_label: Style,
    /// The status line's message.
    pub message: Style,
    /// The plan dialog's border.
    pub dialog_border: Style,
    /// The key that runs a plan.
    pub run_key: Style,
    /// "cannot open".
    pub alarm: Style,
    pub null: Style,
    pub number: Style,
    pub blob: Style,
    /// Text that was not UTF-8, shown lossily.
    pub invalid: Style,
    pub bar: Style,
    pub bar_value: Style,
    pub line_chart: Style,
    pub gauge: Style,
    pub selected: Style,
    /// The column under the cursor: its header, and its cell in the
    /// selected row.
    pub column_cursor: Style,
    pub cell_cursor: Style,
    pub bold: Style,
}

pub(crate) static DARK: Theme = Theme {
    ok: Style::new().fg(Color::Green),
    bad: Style::new().fg(Color::Red),
    warn: Style::new().fg(Color::Yellow),
    dim: Style::new().fg(Color::DarkGray),
    heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    key: Style::new().fg(Color::Black).bg(Color::Gray),
    key_label: Style::new().fg(Color::Yellow),
    message: Style::new().fg(Color::LightBlue),
    dialog_border: Style::new().fg(Color::Yellow),
    run_key: Style::new().fg(Color::Black).bg(Color::Green),
    alarm: Style::new().fg(Color::White).bg(Color::Red),
    null: Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC),
    number: Style::new().fg(Color::Cyan),
    blob: Style::new().fg(Color::Magenta),
    invalid: Style::new().fg(Color::LightRed),
    bar: Style::new().fg(Color::Cyan),
    bar_value: Style::new().fg(Color::Black).bg(Color::Cyan),
    line_chart: Style::new().fg(Color::Green),
    gauge: Style::new().fg(Color::Green),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    column_cursor: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
    cell_cursor: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
    bold: Style::new().add_modifier(Modifier::BOLD),
};

/// A light terminal: dark text, no grey on white.
pub(crate) static LIGHT: Theme = Theme {
    ok: Style::new().fg(Color::Green),
    bad: Style::new().fg(Color::Red),
    warn: Style::new().fg(Color::Rgb(160, 90, 0)),
    dim: Style::new().fg(Color::Rgb(100, 100, 100)),
    heading: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
    key: Style::new().fg(Color::White).bg(Color::Rgb(80, 80, 80)),
    key_label: Style::new().fg(Color::Rgb(160, 90, 0)),
    message: Style::new().fg(Color::Blue),
    dialog_border: Style::new().fg(Color::Rgb(160, 90, 0)),
    run_key: Style::new().fg(Color::White).bg(Color::Green),
    alarm: Style::new().fg(Color::White).bg(Color::Red),
    null: Style::new()
        .fg(Color::Rgb(120, 120, 120))
        .add_modifier(Modifier::ITALIC),
    number: Style::new().fg(Color::Blue),
    blob: Style::new().fg(Color::Magenta),
    invalid: Style::new().fg(Color::Red),
    bar: Style::new().fg(Color::Blue),
    bar_value: Style::new().fg(Color::White).bg(Color::Blue),
    line_chart: Style::new().fg(Color::Green),
    gauge: Style::new().fg(Color::Green),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    column_cursor: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
    cell_cursor: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
    bold: Style::new().add_modifier(Modifier::BOLD),
};

/// The palettes a config file may pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
}

impl ThemeName {
    pub fn parse(name: &str) -> Option<ThemeName> {
        match name.to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
        }
    }
}

static CHOSEN: std::sync::OnceLock<ThemeName> = std::sync::OnceLock::new();

/// Picks the palette, once, at start (before anything is drawn).
pub fn choose(name: ThemeName) {
    let _ = CHOSEN.set(name);
}

/// The palette in use.
pub(crate) fn theme() -> &'static Theme {
    match CHOSEN.get() {
        Some(ThemeName::Light) => &LIGHT,
        _ => &DARK,
    }
}

impl Theme {
    /// The state badge: a state reads at a glance.
    /// The state badge: green only when the store is ok by the one rule
    /// (`Inspection::ok`); a current store with warnings or errors is not.
    /// The badge's colours: green only when the store is ok by the one
    /// rule, the data checks' findings (once run) included.
    pub(crate) fn badge(&self, ins: &Inspection, data: Option<&[Finding]>) -> Style {
        let (fg, bg) = match ins.state {
            State::Current if ins.ok(data) => (Color::Black, Color::Green),
            State::Current => (Color::Black, Color::Yellow),
            State::NeedsInit => (Color::Black, Color::Yellow),
            State::NeedsMigration => (Color::White, Color::Red),
            State::LegacyPresent => (Color::Black, Color::Magenta),
            State::NoStore => (Color::White, Color::Blue),
        };
        Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.bad,
            Severity::Warning => self.warn,
            Severity::Info => self.dim,
        }
    }
}
