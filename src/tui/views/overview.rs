//! Overview: file facts, the state badge, findings, legacy objects, charts.

use super::super::app::{App, Load};
use super::super::theme::theme;
use crate::store::finding::Finding;
use crate::store::inspect::{Inspection, RowCount};
use crate::store::spec::ObjectClass;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Block, Borders, Paragraph, Sparkline, Wrap};

pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> u16 {
    let ins = match &app.store.inspection {
        Load::Loading => {
            f.render_widget(Paragraph::new("Reading the store…"), area);
            return 0;
        }
        Load::Failed(e) => {
            // A lock is not a reason the store cannot be opened: it is
            // read again each second.
            let badge = if app.retrying {
                Span::styled(" waiting ", theme().warn.patch(theme().bold))
            } else {
                Span::styled(" cannot open ", theme().alarm)
            };
            let lines = vec![
                Line::from(badge),
                Line::from(""),
                Line::from(text::cell(e)),
                Line::from(""),
                Line::from(Span::styled(
                    format!("path: {}", text::cell(&app.path.to_string_lossy())),
                    theme().dim,
                )),
            ];
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
            return 0;
        }
        Load::Loaded(i) | Load::Stale(i, _) => i,
    };
    let charts_h = if area.height >= 24 { 12 } else { 0 };
    let [top, charts] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(charts_h)]).areas(area);
    let para = Paragraph::new(summary(app, ins)).wrap(Wrap { trim: false });
    let end = super::scroll::scroll_end(para.line_count(top.width), top.height);
    f.render_widget(para.scroll((app.scroll, 0)), top);
    if charts_h > 0 {
        draw_charts(f, app, charts);
    }
    end
}

fn summary(app: &App, ins: &Inspection) -> Vec<Line<'static>> {
    let fx = &ins.facts;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", ins.badge()), theme().badge(ins)),
            Span::raw("  "),
            Span::raw(text::cell(&ins.path.to_string_lossy())),
        ]),
        Line::from(Span::styled(
            format!(
                "{} bytes · SQLite {} · page size {} · {} pages · journal {} · user_version {}",
                fx.size_bytes,
                fx.sqlite_version,
                fx.page_size,
                fx.page_count,
                text::cell(&fx.journal_mode),
                fx.user_version
            ),
            theme().dim,
        )),
    ];
    match &app.store.writable {
        Ok(()) => {}
        Err(why) => lines.push(Line::from(Span::styled(
            format!("read-only: actions unavailable ({})", text::cell(why)),
            theme().warn,
        ))),
    }
    lines.push(Line::from(""));
    let legacy: Vec<_> = ins
        .objects
        .iter()
        .filter(|o| o.class == ObjectClass::Legacy)
        .collect();
    if !legacy.is_empty() {
        lines.push(Line::from(Span::styled(
            "Legacy V2 objects (superseded by documents)",
            theme().warn.patch(theme().bold),
        )));
        for o in legacy {
            let count = app
                .store
                .counts
                .iter()
                .find(|c| c.0 == o.name)
                .map_or(&o.rows, |c| &c.1);
            let rows = match count {
                RowCount::Counted(n) => format!("{n} rows"),
                RowCount::NotCounted => "counting…".into(),
                RowCount::Failed(e) => format!("rows not counted: {}", text::cell(e)),
            };
            lines.push(Line::from(Span::styled(
                format!("  ⚠ {:<5} {:<16} {rows}", o.kind, text::cell(&o.name)),
                theme().warn,
            )));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("Findings", theme().bold)));
    let shown: Vec<_> = ins.findings.iter().filter(|f| !f.is_legacy()).collect();
    if shown.is_empty() {
        let none = if ins.legacy().next().is_some() {
            "  none besides the legacy objects"
        } else {
            "  none: the store matches the V3 spec"
        };
        lines.push(Line::from(Span::styled(none, theme().ok)));
    }
    lines.extend(shown.into_iter().map(finding_line));
    lines.push(Line::from(""));
    let bold = theme().bold;
    match &app.store.data {
        None => lines.push(Line::from(Span::styled(
            "Data checks: press d to scan the rows for bad values",
            theme().dim,
        ))),
        Some(Load::Loading) => lines.push(Line::from(Span::styled(
            "Data checks: scanning the rows…",
            bold,
        ))),
        Some(Load::Failed(e)) => lines.push(Line::from(vec![
            Span::styled("Data checks failed: ", bold),
            Span::raw(text::cell(e)),
        ])),
        Some(Load::Loaded(found) | Load::Stale(found, _)) => {
            lines.push(Line::from(Span::styled("Data checks", bold)));
            if found.is_empty() {
                lines.push(Line::from(Span::styled("  no bad rows", theme().ok)));
            }
            lines.extend(found.iter().map(finding_line));
        }
    }
    lines
}

fn finding_line(x: &Finding) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("  {:<7} ", x.severity.label()),
            theme().severity(x.severity),
        ),
        Span::raw(text::cell(&x.message)),
    ])
}

fn draw_charts(f: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let block = |t: String| Block::default().borders(Borders::TOP).title(t);
    match &app.store.charts {
        Load::Loading => {
            f.render_widget(
                Paragraph::new("counting…").block(block("Documents per doc_type".into())),
                left,
            );
            f.render_widget(
                Paragraph::new("counting…").block(block("Documents per month".into())),
                right,
            );
        }
        Load::Failed(e) => f.render_widget(
            Paragraph::new(text::cell(e)).block(block("Charts".into())),
            area,
        ),
        Load::Loaded(c) | Load::Stale(c, _) => {
            let labels: Vec<String> = c
                .by_type
                .iter()
                .map(|(t, _)| text::cell(t).chars().take(10).collect())
                .collect();
            let data: Vec<(&str, u64)> = labels
                .iter()
                .map(String::as_str)
                .zip(c.by_type.iter().map(|x| x.1))
                .collect();
            let bar_w = if data.is_empty() {
                1
            } else {
                ((left.width as usize / data.len()).saturating_sub(1)).clamp(3, 10) as u16
            };
            f.render_widget(
                BarChart::default()
                    .block(block(format!("Documents per doc_type ({} in all)", c.rows)))
                    .data(data.as_slice())
                    .bar_width(bar_w)
                    .bar_style(theme().bar)
                    .value_style(theme().bar_value),
                left,
            );
            let months: Vec<u64> = c.by_month.iter().map(|m| m.1).collect();
            let span = match (c.by_month.first(), c.by_month.last()) {
                (Some(a), Some(b)) => format!("{} … {}", text::cell(&a.0), text::cell(&b.0)),
                _ => "no created_at".into(),
            };
            let peak = months.iter().max().copied().unwrap_or(0);
            f.render_widget(
                Sparkline::default()
                    .block(block(format!("Documents per month, {span} (peak {peak})")))
                    .data(&months)
                    .style(theme().line_chart),
                right,
            );
        }
    }
}
