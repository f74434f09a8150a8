//! Rendering: pure functions of the App state. One file per tab and dialog.

mod chrome;
mod detail;
mod dialog;
mod documents;
pub mod help;
mod overview;
mod schema;
mod tables;

use super::app::{App, Tab};
use super::text::{Kind, Shown};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small: {}×{}, need {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it or press q.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // A list has a header line, a border and its column titles above it.
    app.page.set(body.height.saturating_sub(3).max(1) as usize);
    chrome::tabs(f, app, tabs);
    match app.tab {
        Tab::Overview => overview::draw(f, app, body),
        Tab::Documents if app.detail.is_some() => detail::draw(f, app, body),
        Tab::Documents => documents::draw(f, app, body),
        Tab::Schema => schema::draw(f, app, body),
        Tab::Tables => tables::draw(f, app, body),
    }
    chrome::status(f, app, status);
    if app.dialog.is_some() {
        dialog::draw(f, app, centered(area, 90, 85));
    }
    if app.help {
        help::draw(f, centered(area, 70, 90));
    }
}

fn centered(area: Rect, pct_w: u16, pct_h: u16) -> Rect {
    let w = area.width * pct_w / 100;
    let h = area.height * pct_h / 100;
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A prepared value as a grid cell, borrowed: nothing is allocated per frame.
pub fn cell_span(c: &Shown) -> Span<'_> {
    let style = match c.kind {
        Kind::Null => Style::default()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::ITALIC),
        Kind::Blob => Style::default().fg(Color::Magenta),
        Kind::Invalid => Style::default().fg(Color::LightRed),
        Kind::Number => Style::default().fg(Color::Cyan),
        Kind::Text => Style::default(),
    };
    Span::styled(c.text.as_str(), style)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn warn() -> Style {
    Style::default().fg(Color::Yellow)
}
