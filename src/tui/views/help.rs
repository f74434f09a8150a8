//! The `?` overlay, drawn from the key table itself.

use super::super::keymap::Keymap;
use super::super::keys::Ctx;
use super::super::theme::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use strum::IntoEnumIterator;

pub(crate) fn lines(keys: &Keymap) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in Ctx::iter() {
        lines.push(Line::from(Span::styled(ctx.title(), theme().heading)));
        let width = keys
            .of(ctx)
            .map(|b| b.label().chars().count())
            .max()
            .unwrap_or(0)
            .max(7)
            + 1;
        for b in keys.of(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<width$}", b.label()), theme().key_label),
                Span::raw(b.help),
            ]));
        }
    }
    lines.push(Line::from(Span::styled(
        "the mouse wheel scrolls lists and pages",
        theme().dim,
    )));
    lines
}

/// Where the list is drawn on a screen of `size`: wide enough for its
/// lines where the screen allows, wrapped where it does not.
pub(crate) fn area(size: Rect, keys: &Keymap) -> Rect {
    let widest = lines(keys).iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
    size.centered(
        Constraint::Length(widest.min(size.width)),
        Constraint::Percentage(90),
    )
}

/// Draws the list scrolled to `scroll`; returns its last scroll position.
pub(crate) fn draw(f: &mut Frame, area: Rect, scroll: u16, keys: &Keymap) -> u16 {
    f.render_widget(Clear, area);
    let para = Paragraph::new(lines(keys)).wrap(Wrap { trim: false });
    let inner = area.height.saturating_sub(2);
    let total = para.line_count(area.width.saturating_sub(2));
    let block = Block::default().borders(Borders::ALL).title(format!(
        " keys ({}–{} of {}, j/k scroll) ",
        scroll + 1,
        (scroll as usize + inner as usize).min(total),
        total
    ));
    f.render_widget(para.block(block).scroll((scroll, 0)), area);
    super::scroll::scroll_end(total, inner)
}

#[cfg(test)]
mod tests {
    use super::lines;
    use crate::tui::keymap::Keymap;
    use crate::tui::keys::Ctx;
    use strum::IntoEnumIterator;

    #[test]
    fn the_overlay_lists_exactly_the_key_table() {
        let keys = Keymap::default();
        let text: Vec<String> = lines(&keys)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        // Each binding's line: its keys, padded, then what they do.
        let bindings: Vec<String> = text
            .iter()
            .filter(|l| l.starts_with("  "))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let expected: Vec<String> = Ctx::iter()
            .flat_map(|ctx| keys.of(ctx))
            .map(|b| format!("{} {}", b.label(), b.help))
            .collect();
        assert_eq!(bindings, expected);
        assert_eq!(
            expected.len(),
            Ctx::iter().map(|c| keys.of(c).count()).sum::<usize>(),
            "every context of the table is shown"
        );
        assert_eq!(
            lines(&keys).len(),
            Ctx::iter().count() + Ctx::iter().map(|c| keys.of(c).count()).sum::<usize>() + 1
        );
    }
}
