//! `f`: a column's values, most frequent first, with count, percent and a
//! bar; the column's facts above them.

use super::super::app::{App, FreqView, Load};
use super::super::keys::{Action, Ctx};
use super::super::text::{grouped, shown};
use super::super::theme::theme;
use crate::store::read::frequencies::Frequencies;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, TableState};

/// The widest a value is drawn.
const VALUE_WIDTH: u16 = 40;
/// The longest bar.
const BAR: usize = 20;

/// Draws the values; returns how many rows of them the list has room for.
pub(crate) fn draw(f: &mut Frame, app: &App, v: &FreqView, screen: Rect) -> Option<usize> {
    let area = screen.centered(Constraint::Percentage(80), Constraint::Percentage(85));
    f.render_widget(Clear, area);
    let what = if counts_elements(v) {
        "elements"
    } else {
        "values"
    };
    let title = format!(
        " {}: {what} by frequency ({} filter, {} close) ",
        text::cell(&v.column),
        app.keys.short(Ctx::Frequencies, Action::Open),
        app.keys.short(Ctx::Frequencies, Action::Cancel),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [head, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let freq = match &v.result {
        Load::Loaded(fr) | Load::Stale(fr, _) => fr,
        Load::Loading => {
            let so_far = match v.groups {
                0 => String::new(),
                n => format!(" {} values so far", grouped(n)),
            };
            let line = format!("counting…{so_far} (Esc stops)");
            f.render_widget(Paragraph::new(line).style(theme().warn), head);
            return None;
        }
        Load::Failed(e) => {
            f.render_widget(Paragraph::new(text::cell(e)).style(theme().bad), head);
            return None;
        }
    };
    f.render_widget(Paragraph::new(facts(freq)), head);
    let most = freq.top.first().map_or(1, |x| x.count.max(1));
    let rows: Vec<Row> = freq
        .top
        .iter()
        .map(|x| {
            let pct = if freq.rows > 0 {
                100.0 * x.count as f64 / freq.rows as f64
            } else {
                0.0
            };
            let bar = "█".repeat(((x.count as f64 / most as f64) * BAR as f64).ceil() as usize);
            let value = shown(&x.value);
            Row::new(vec![
                ratatui::widgets::Cell::from(Span::styled(value.text.clone(), value.span().style)),
                ratatui::widgets::Cell::from(format!("{:>11}", grouped(x.count))),
                ratatui::widgets::Cell::from(percent(pct)),
                ratatui::widgets::Cell::from(Span::styled(bar, theme().ok)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(VALUE_WIDTH.min(list.width / 2)),
        Constraint::Length(12),
        Constraint::Length(7),
        Constraint::Length(BAR as u16),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(["value", "      count", "      %", ""]).style(theme().bold))
        .row_highlight_style(theme().selected);
    let mut state = TableState::default().with_selected(Some(v.selected));
    f.render_stateful_widget(table, list, &mut state);
    // Below the column titles.
    Some(list.height.saturating_sub(1) as usize)
}

/// A share as people read it: never 0.0% for a value that is there.
fn percent(pct: f64) -> String {
    if pct > 0.0 && pct < 0.05 {
        " <0.1%".to_string()
    } else {
        format!("{pct:5.1}%")
    }
}

fn counts_elements(v: &FreqView) -> bool {
    v.result.loaded().is_some_and(|f| f.elements)
}

/// rows · non-null · distinct · min · max, and how many are listed.
fn facts(f: &Frequencies) -> Vec<Line<'static>> {
    let cell = |c: &Option<crate::store::cell::Cell>| {
        c.as_ref().map_or("∅".to_string(), |c| shown(c).text)
    };
    let non_null = if f.elements {
        "with elements"
    } else {
        "non-null"
    };
    let first = Line::from(vec![
        Span::styled("rows ", theme().dim),
        Span::raw(grouped(f.rows)),
        Span::styled(format!(" · {non_null} "), theme().dim),
        Span::raw(grouped(f.non_null)),
        Span::styled(" · distinct ", theme().dim),
        Span::raw(grouped(f.distinct)),
    ]);
    let listed = if (f.top.len() as u64) < f.distinct + u64::from(f.non_null < f.rows) {
        format!(
            " · the {} most frequent listed",
            grouped(f.top.len() as u64)
        )
    } else {
        String::new()
    };
    let second = Line::from(vec![
        Span::styled("min ", theme().dim),
        Span::raw(cut(&cell(&f.min))),
        Span::styled(" · max ", theme().dim),
        Span::raw(cut(&cell(&f.max))),
        Span::styled(listed, theme().dim),
    ]);
    vec![first, second]
}

fn cut(s: &str) -> String {
    if s.chars().count() > 40 {
        s.chars().take(39).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn a_rare_value_is_never_zero_percent() {
        assert_eq!(percent(100.0 * 197.0 / 1_000_000.0), " <0.1%");
        assert_eq!(percent(0.0), "  0.0%");
        assert_eq!(percent(12.34), " 12.3%");
    }
}
