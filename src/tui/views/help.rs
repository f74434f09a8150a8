//! The `?` overlay, drawn from the key table itself.

use super::super::keys::{Ctx, KEYS};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub const ORDER: [Ctx; 7] = [Ctx::Global, Ctx::Scroll, Ctx::Documents, Ctx::Detail, Ctx::Tables, Ctx::Browse, Ctx::Dialog];

pub fn lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in ORDER {
        lines.push(Line::from(Span::styled(ctx.title(), Style::default().add_modifier(Modifier::BOLD).fg(Color::Cyan))));
        for b in KEYS.iter().filter(|b| b.ctx == ctx) {
            lines.push(Line::from(vec![Span::styled(format!("  {:<8}", b.label), Style::default().fg(Color::Yellow)), Span::raw(b.help)]));
        }
    }
    lines.push(Line::from(Span::styled("mouse wheel scrolls · any key closes this", Style::default().fg(Color::DarkGray))));
    lines
}

pub fn draw(f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(lines()).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL).title(" keys ")), area);
}
