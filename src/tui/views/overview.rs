//! Overview: file facts, the state badge, findings, legacy objects, charts.

use super::super::app::{App, Load};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::inspection::finding::Finding;
use crate::store::inspection::inspect::{Inspection, RowCount};
use crate::store::read::doc_counts::DocCounts;
use crate::store::spec::{ObjectClass, TASK_FAILED};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Direction;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap,
};

/// Draws the Overview; returns its last scroll position, and the line it
/// was drawn from when it scrolled to show the finding just picked.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> (u16, Option<u16>) {
    let ins = match &app.store.inspection {
        Load::Loading => {
            f.render_widget(Paragraph::new("Reading the store…"), area);
            return (0, None);
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
            return (0, None);
        }
        Load::Loaded(i) | Load::Stale(i, _) => i,
    };
    // A bar per doc_type (and the title line) where the terminal has room:
    // at most half of it, at least the month chart's axes and labels.
    let types = app.store.charts.loaded().map_or(12, |c| c.by_type.len()) as u16;
    let charts_h = match area.height {
        24.. => (types + 1).clamp(10, area.height / 2),
        _ => 0,
    };
    let [top, charts] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(charts_h)]).areas(area);
    let (lines, picked) = summary(app, ins);
    // Where the picked finding is once wrapped: its first line and height.
    let wrapped = |l: &[Line<'static>]| {
        Paragraph::new(l.to_vec())
            .wrap(Wrap { trim: false })
            .line_count(top.width) as u16
    };
    let shown = picked
        .filter(|_| app.overview.reveal)
        .map(|i| (wrapped(&lines[..i]), wrapped(&lines[i..=i])));
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let end = super::scroll::scroll_end(para.line_count(top.width), top.height);
    let at = shown.map(|(start, height)| {
        let s = app.scroll;
        if start < s {
            start
        } else if start + height > s + top.height {
            (start + height).saturating_sub(top.height).min(end)
        } else {
            s
        }
    });
    f.render_widget(para.scroll((at.unwrap_or(app.scroll), 0)), top);
    if charts_h > 0 {
        draw_charts(f, app, charts);
    }
    (end, at)
}

/// The Overview's text, and the index of the picked finding's line.
fn summary(app: &App, ins: &Inspection) -> (Vec<Line<'static>>, Option<usize>) {
    let fx = &ins.facts;
    let data = app
        .store
        .data
        .as_ref()
        .and_then(Load::loaded)
        .map(Vec::as_slice);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", ins.badge(data)), theme().badge(ins, data)),
            Span::raw("  "),
            Span::raw(text::cell(&ins.path.to_string_lossy())),
        ]),
        Line::from(Span::styled(
            format!(
                "{} bytes · SQLite {} · page size {} · {} pages · journal {} · user_version {}",
                grouped(fx.size_bytes),
                fx.sqlite_version,
                grouped(fx.page_size),
                grouped(fx.page_count),
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
                RowCount::Counted(n) => format!("{} rows", grouped(*n)),
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
    lines.extend(tasks_lines(app));
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
    let mut picked = None;
    let bold = theme().bold;
    let no_docs = app.store.charts.loaded().is_some_and(|c| c.rows == 0);
    let no_tasks = match app.store.tasks.loaded() {
        Some(Some(t)) => t.total == 0,
        Some(None) => true,
        None => false,
    };
    match &app.store.data {
        None if no_docs && no_tasks => lines.push(Line::from(Span::styled(
            "Data checks: no documents or tasks to scan yet",
            theme().dim,
        ))),
        None => lines.push(Line::from(Span::styled(
            format!(
                "Data checks: press {} to scan the rows for bad values",
                app.keys.short(Ctx::Global, Action::DataChecks)
            ),
            theme().dim,
        ))),
        Some(Load::Loading) => lines.push(Line::from(vec![
            Span::styled("Data checks: ", bold),
            Span::raw(scanning(app)),
        ])),
        Some(Load::Failed(e)) => lines.push(Line::from(vec![
            Span::styled("Data checks failed: ", bold),
            Span::raw(text::cell(e)),
        ])),
        Some(Load::Loaded(found) | Load::Stale(found, _)) => {
            let how = format!(
                " ({} picks a finding, {} lists its rows)",
                app.keys.short(Ctx::Overview, Action::NextFinding),
                app.keys.short(Ctx::Finding, Action::Open)
            );
            lines.push(Line::from(vec![
                Span::styled("Data checks", bold),
                Span::styled(
                    if found.is_empty() { "" } else { how.as_str() }.to_string(),
                    theme().dim,
                ),
            ]));
            if found.is_empty() {
                lines.push(Line::from(Span::styled("  no bad rows", theme().ok)));
            }
            for (i, x) in found.iter().enumerate() {
                let line = finding_line(x);
                lines.push(if app.overview.finding == Some(i) {
                    picked = Some(lines.len());
                    line.patch_style(theme().selected)
                } else {
                    line
                });
            }
        }
    }
    (lines, picked)
}

/// The tasks by status (failed in red) and by task_type.
fn tasks_lines(app: &App) -> Vec<Line<'static>> {
    let t = match &app.store.tasks {
        Load::Loading => {
            return vec![
                Line::styled("Tasks: counting…", theme().dim),
                Line::from(""),
            ];
        }
        Load::Failed(e) => {
            return vec![
                Line::from(vec![
                    Span::styled("Tasks: ", theme().bold),
                    Span::raw(text::cell(e)),
                ]),
                Line::from(""),
            ];
        }
        Load::Loaded(None) | Load::Stale(None, _) => return Vec::new(),
        Load::Loaded(Some(t)) | Load::Stale(Some(t), _) => t,
    };
    let how = if t.failed > 0 && app.overview.finding.is_none() {
        format!(
            " ({} lists the {} failed)",
            app.keys.short(Ctx::Overview, Action::Open),
            grouped(t.failed)
        )
    } else {
        String::new()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("Tasks: {} in all", grouped(t.total)), theme().bold),
        Span::styled(how, theme().dim),
    ])];
    let counts = |title: &str, list: &[(Option<String>, u64)]| {
        let mut spans = vec![Span::styled(format!("  {title:<10}"), theme().dim)];
        for (i, (v, n)) in list.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme().dim));
            }
            let name = v.as_deref().map_or("∅".to_string(), text::cell);
            let style = if v.as_deref() == Some(TASK_FAILED) {
                theme().bad.patch(theme().bold)
            } else {
                ratatui::style::Style::default()
            };
            spans.push(Span::styled(format!("{name} {}", grouped(*n)), style));
        }
        Line::from(spans)
    };
    if t.total > 0 {
        lines.push(counts("by status", &t.by_status));
        lines.push(counts("by type", &t.by_type));
    }
    lines.push(Line::from(""));
    lines
}

pub(super) fn finding_line(x: &Finding) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("  {:<7} ", x.severity.label()),
            theme().severity(x.severity),
        ),
        Span::raw(text::cell(&match &x.rule {
            Some(rule) => format!("{rule}: {}", x.message),
            None => x.message.clone(),
        })),
    ])
}

fn draw_charts(f: &mut Frame, app: &App, area: Rect) {
    // A gap between them, so the month chart's labels never read as the
    // end of a doc_type's bar.
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .spacing(3)
            .areas(area);
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
            // Bars across, so each doc_type's name is shown whole; its count
            // stands in a column of its own before the bar, never on it.
            let names: Vec<String> = c.by_type.iter().map(|(t, _)| text::cell(t)).collect();
            let wide = names.iter().map(|t| t.chars().count()).max().unwrap_or(0);
            let digits = c
                .by_type
                .iter()
                .map(|(_, n)| grouped(*n).len())
                .max()
                .unwrap_or(1);
            let bars: Vec<Bar> = c
                .by_type
                .iter()
                .zip(&names)
                .map(|((_, n), t)| {
                    Bar::default()
                        .label(Line::from(format!("{t:<wide$} {:>digits$}", grouped(*n))))
                        .value(*n)
                        .text_value(String::new())
                })
                .collect();
            // The rows the chart has: any doc_type past them is counted in
            // the title, never silently left out.
            let room = left.height.saturating_sub(1) as usize;
            let hidden = bars.len().saturating_sub(room);
            let more = match hidden {
                0 => String::new(),
                n => format!(", {n} more not shown"),
            };
            let bars = &bars[..bars.len() - hidden];
            f.render_widget(
                BarChart::default()
                    .block(block(format!(
                        "Documents per doc_type ({} in all{more})",
                        grouped(c.rows)
                    )))
                    .direction(Direction::Horizontal)
                    .data(BarGroup::default().bars(bars))
                    .bar_width(1)
                    .bar_gap(0)
                    .bar_style(theme().bar)
                    .value_style(theme().bar_value),
                left,
            );
            months_chart(f, c, right);
        }
    }
}

/// Documents per month as bars over labelled axes: months along, counts up.
fn months_chart(f: &mut Frame, c: &DocCounts, area: Rect) {
    // Its own left edge: its labels read apart from the doc_type bars.
    let title = Block::default()
        .borders(Borders::TOP | Borders::LEFT)
        .title("Documents per month");
    let (Some(first), Some(last)) = (c.by_month.first(), c.by_month.last()) else {
        f.render_widget(Paragraph::new("no created_at").block(title), area);
        return;
    };
    let points: Vec<(f64, f64)> = c
        .by_month
        .iter()
        .enumerate()
        .map(|(i, m)| (i as f64, m.1 as f64))
        .collect();
    let peak = c.by_month.iter().map(|m| m.1).max().unwrap_or(0);
    let middle = &c.by_month[c.by_month.len() / 2];
    let last_x = (c.by_month.len().saturating_sub(1)).max(1) as f64;
    let data = [Dataset::default()
        .graph_type(GraphType::Bar)
        .marker(ratatui::symbols::Marker::Braille)
        .style(theme().line_chart)
        .data(&points)];
    let label = |s: &str| Span::styled(text::cell(s), theme().dim);
    // One label per month named, once each.
    let mut months = vec![label(&first.0)];
    for m in [&middle.0, &last.0] {
        if months.last().is_some_and(|l| l.content != text::cell(m)) {
            months.push(label(m));
        }
    }
    if months.len() == 1 {
        // An axis draws labels from two on: the one month, then nothing.
        months.push(label(""));
    }
    f.render_widget(
        Chart::new(data.to_vec())
            .block(title)
            .x_axis(
                Axis::default()
                    .title(Span::styled("month", theme().dim))
                    .bounds([0.0, last_x])
                    .labels(months)
                    .labels_alignment(ratatui::layout::Alignment::Left),
            )
            .y_axis(
                Axis::default()
                    .title(Span::styled("docs", theme().dim))
                    .bounds([0.0, peak.max(1) as f64])
                    .labels([label("0"), label(&grouped(peak / 2)), label(&grouped(peak))]),
            ),
        area,
    );
}

/// How far the data checks have got: "documents: 420,000 of 1,000,000 rows
/// scanned (42%) · Esc stops".
fn scanning(app: &App) -> String {
    let stop = app.keys.short(Ctx::Overview, Action::Cancel);
    let at = app.store.checking.as_ref().and_then(|c| c.at.as_ref());
    match at {
        Some(at) => {
            let pct = at
                .done
                .saturating_mul(100)
                .checked_div(at.of)
                .unwrap_or(100);
            format!(
                "{}: {} of {} rows scanned ({pct}%) · {stop} stops",
                text::cell(&at.table),
                grouped(at.done),
                grouped(at.of)
            )
        }
        None => format!("scanning the rows… · {stop} stops"),
    }
}
