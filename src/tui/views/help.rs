//! The `?` overlay, drawn from the key table itself.

use super::super::keys::{Ctx, KEYS};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub const ORDER: [Ctx; 7] = [
    Ctx::Global,
    Ctx::Scroll,
    Ctx::Documents,
    Ctx::Detail,
    Ctx::Tables,
    Ctx::Browse,
    Ctx::Dialog,
];

pub fn lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in ORDER {
        lines.push(Line::from(Span::styled(
            ctx.title(),
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Cyan),
        )));
        for b in KEYS.iter().filter(|b| b.ctx == ctx) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<8}", b.label),
                    Style::default().fg(Color::Yellow),
                ),
                Span::raw(b.help),
            ]));
        }
    }
    lines.push(Line::from(Span::styled(
        "mouse wheel scrolls · any key closes this",
        Style::default().fg(Color::DarkGray),
    )));
    lines
}

pub fn draw(f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(" keys ");
    let inner = block.inner(area);
    f.render_widget(block, area);
    let all = lines();
    // Two columns when one does not fit, split at a section start.
    if all.len() as u16 > inner.height && inner.width >= 60 {
        let half = all.len() / 2;
        let split = (half..all.len())
            .find(|&i| all[i].spans.len() == 1)
            .unwrap_or(half);
        let (a, b) = all.split_at(split);
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        f.render_widget(Paragraph::new(a.to_vec()).wrap(Wrap { trim: false }), l);
        f.render_widget(Paragraph::new(b.to_vec()).wrap(Wrap { trim: false }), r);
    } else {
        f.render_widget(Paragraph::new(all).wrap(Wrap { trim: false }), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_lists_exactly_the_key_table() {
        let text: Vec<String> = lines()
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let bindings: Vec<String> = text
            .iter()
            .filter(|l| l.starts_with("  "))
            .cloned()
            .collect();
        let expected: Vec<String> = ORDER
            .iter()
            .flat_map(|ctx| KEYS.iter().filter(move |b| b.ctx == *ctx))
            .map(|b| format!("  {:<8}{}", b.label, b.help))
            .collect();
        assert_eq!(bindings, expected);
        assert_eq!(
            expected.len(),
            KEYS.len(),
            "every context of the table is shown"
        );
    }
}
