//! `M`: every message of this run, whole, newest first, scrollable.

use super::super::app::App;
use super::super::keys::{Action, Ctx};
use super::super::theme::theme;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Draws the log scrolled to `scroll` over `screen`; returns its last
/// scroll position.
pub(crate) fn draw(f: &mut Frame, app: &App, screen: Rect, scroll: u16) -> u16 {
    let area = screen.centered(Constraint::Percentage(90), Constraint::Percentage(80));
    f.render_widget(Clear, area);
    let lines: Vec<Line> = if app.log.is_empty() {
        vec![Line::styled("no messages yet", theme().dim)]
    } else {
        app.log
            .iter()
            .rev()
            .map(|(at, said)| {
                let s = at.as_secs();
                Line::from(vec![
                    Span::styled(
                        format!("{:>2}:{:02}:{:02}  ", s / 3600, s / 60 % 60, s % 60),
                        theme().dim,
                    ),
                    Span::raw(text::cell(said)),
                ])
            })
            .collect()
    };
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let inner = area.height.saturating_sub(2);
    let total = para.line_count(area.width.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme().dialog_border)
        .title(format!(
            " messages of this run, newest first, time since start ({} close) ",
            app.keys.short(Ctx::Messages, Action::Cancel)
        ));
    f.render_widget(para.block(block).scroll((scroll, 0)), area);
    super::scroll::scroll_end(total, inner)
}
