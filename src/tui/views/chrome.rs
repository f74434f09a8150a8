//! The tab bar and the status line.

use super::super::app::{App, Tab};
use super::super::keys;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs};

pub fn tabs(f: &mut Frame, app: &App, area: Rect) {
    let titles: Vec<Line> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| Line::from(format!("{} {}", i + 1, t.title())))
        .collect();
    let selected = Tab::ALL.iter().position(|t| *t == app.tab).unwrap_or(0);
    let [left, right] = Layout::horizontal([
        Constraint::Min(40),
        Constraint::Length(area.width.saturating_sub(48).min(60)),
    ])
    .areas(area);
    f.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD))
            .divider("│"),
        left,
    );
    let name = app
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    f.render_widget(
        Paragraph::new(
            Line::from(format!("egregora-inspect · {}", text::cell(&name)))
                .right_aligned()
                .style(super::dim()),
        ),
        right,
    );
}

pub fn status(f: &mut Frame, app: &App, area: Rect) {
    let key = Style::default().fg(Color::Black).bg(Color::Gray);
    let mut spans = Vec::new();
    if app.docs.input.is_some() && app.tab == Tab::Documents && app.dialog.is_none() {
        spans.push(Span::styled(" Enter ", key));
        spans.push(Span::raw(" search  "));
        spans.push(Span::styled(" Esc ", key));
        spans.push(Span::raw(" cancel  "));
    } else {
        for (label, help) in keys::hints(&app.contexts()) {
            spans.push(Span::styled(format!(" {label} "), key));
            spans.push(Span::raw(format!(" {help}  ")));
        }
    }
    let msg = text::cell(&app.message);
    let msg_w = (msg.chars().count() as u16 + 1).min(area.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(msg_w)]).areas(area);
    f.render_widget(Paragraph::new(Line::from(spans)), left);
    f.render_widget(
        Paragraph::new(
            Line::from(msg)
                .right_aligned()
                .style(Style::default().fg(Color::LightBlue)),
        ),
        right,
    );
}
