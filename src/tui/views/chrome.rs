//! The tab bar and the status line.

use super::super::app::App;
use super::super::tab::Tab;
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};
use strum::IntoEnumIterator;

/// Draws the tab bar; returns each title's first and last column.
pub(crate) fn tabs(f: &mut Frame, app: &App, area: Rect) -> Vec<(u16, u16, Tab)> {
    let titles: Vec<Line> = Tab::iter()
        .map(|t| Line::from(format!("{} {}", t.index() + 1, t.title())))
        .collect();
    // Tabs pads each title with a space either side and puts the divider
    // between them.
    let mut at = area.x;
    let mut places = Vec::new();
    for (t, title) in Tab::iter().zip(&titles) {
        let w = title.width() as u16 + 2;
        places.push((at, at + w - 1, t));
        at += w + 1;
    }
    let selected = app.tab.index();
    // The tabs first, whole; the file's name (or a note) in what is left.
    let tabs_width = at.saturating_sub(area.x + 1);
    let [left, right] =
        Layout::horizontal([Constraint::Length(tabs_width), Constraint::Min(0)]).areas(area);
    f.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(theme().selected.patch(theme().bold))
            .divider("│"),
        left,
    );
    let name = app
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // What is shown may no longer be so: that says more than the name.
    let upstream = app.upstream.as_ref();
    let (said, style) = match (app.stale_note(), upstream.and_then(|k| k.note())) {
        (Some(note), _) => (format!("⚠ {note}"), theme().warn),
        (None, Some(note)) => (format!("⚠ {}", text::cell(&note)), theme().warn),
        (None, None) => match upstream {
            Some(k) => (text::cell(&k.header()), theme().dim),
            None if let Some(first) = &app.overview.first => {
                (text::cell(&super::snapshot::header(first)), theme().dim)
            }
            None => (
                format!("egregora-inspect · {}", text::cell(&name)),
                theme().dim,
            ),
        },
    };
    // What does not fit says so with …, never cut off mid-word silently.
    let line = Line::from(super::fit::cut(&said, right.width as usize)).style(style);
    f.render_widget(Paragraph::new(line.right_aligned()), right);
    places
}

/// The hints of the keys that work now, then the last message. The last
/// hints give way to a message, up to MESSAGE_ROOM (never `?` and quit);
/// what still does not fit of it is cut with …, never covering a hint.
pub(crate) fn status(f: &mut Frame, app: &App, area: Rect) {
    let key = theme().key;
    let mut hints: Vec<(String, &str)> =
        app.hints().into_iter().map(|h| (h.label, h.help)).collect();
    let msg = text::cell(&app.message);
    // The hints give way to at most this much of a message: a long one is
    // cut rather than hide the keys of the moment.
    const MESSAGE_ROOM: usize = 50;
    let wanted = if msg.is_empty() {
        0
    } else {
        (msg.chars().count() + 1).min(MESSAGE_ROOM)
    };
    let width = |h: &[(String, &str)]| -> usize {
        h.iter()
            .map(|(l, w)| l.chars().count() + w.chars().count() + 5)
            .sum()
    };
    while width(&hints) + wanted > area.width as usize && hints.len() > 2 {
        let at = hints
            .iter()
            .rposition(|(_, w)| !matches!(*w, "keys" | "quit"))
            .unwrap_or(hints.len() - 1);
        hints.remove(at);
    }
    let mut spans = Vec::new();
    for (label, help) in hints {
        spans.push(Span::styled(format!(" {label} "), key));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    let hints = Line::from(spans);
    let room = (area.width as usize).saturating_sub(hints.width() + 1);
    let msg = super::fit::cut(&msg, room);
    let [left, right] =
        Layout::horizontal([Constraint::Length(hints.width() as u16), Constraint::Min(0)])
            .areas(area);
    f.render_widget(Paragraph::new(hints), left);
    f.render_widget(
        Paragraph::new(Line::from(msg).right_aligned().style(theme().message)),
        right,
    );
}

/// What a tab says when the store's catalog is not read: while another
/// process holds a lock, that it waits (never that there is nothing).
pub(crate) fn not_read(app: &App, otherwise: &'static str) -> &'static str {
    if app.retrying || matches!(app.store.inspection, super::super::app::Load::Loading) {
        "waiting: the store is locked by another process or still being read; retrying"
    } else {
        otherwise
    }
}
