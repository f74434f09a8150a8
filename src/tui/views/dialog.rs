//! The plan dialog: each step and its SQL, the backup, then progress.

use super::super::app::{App, Phase};
use super::super::keys::{Action, Ctx};
use super::super::text::grouped;
use super::super::theme::theme;
use crate::store::plan::Plan;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

/// Draws the dialog; returns the last scroll position of its text.
pub(crate) fn draw(f: &mut Frame, app: &App, area: Rect) -> u16 {
    let Some(d) = app.dialog() else { return 0 };
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", d.kind.label()))
        .border_style(theme().dialog_border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
    // Draws `lines` scrolled in `at`, and says how far they scroll.
    let para = |f: &mut Frame, lines: Vec<Line<'static>>, at: Rect| {
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        let end = super::scroll::scroll_end(p.line_count(at.width), at.height);
        f.render_widget(p.scroll((d.scroll, 0)), at);
        end
    };
    let closes = "Enter, Esc or q closes";
    match &d.phase {
        Phase::Loading => {
            f.render_widget(Paragraph::new("computing the plan…"), body);
            0
        }
        Phase::Failed(e) => {
            let end = para(f, vec![Line::styled(text::cell(e), theme().bad)], body);
            f.render_widget(Paragraph::new(closes), foot);
            end
        }
        Phase::Confirm(plan) => {
            let end = para(f, plan_lines(plan), body);
            let can_run = plan.blockers.is_empty();
            let foot_line = if can_run {
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", app.keys.short(Ctx::Confirm, Action::Confirm)),
                        theme().run_key,
                    ),
                    Span::raw(" run it   "),
                    Span::styled(
                        format!(" {} ", app.keys.short(Ctx::Confirm, Action::Cancel)),
                        theme().key,
                    ),
                    Span::raw(" close, write nothing (default)   j/k scroll"),
                ])
            } else if plan.blocked_rows.is_empty() {
                Line::from(Span::styled(
                    format!("blocked: nothing can run · {closes}"),
                    theme().bad,
                ))
            } else {
                Line::from(Span::styled(
                    format!(
                        "blocked: nothing can run · {} lists the rows that block it · Esc or q closes",
                        app.keys.short(Ctx::Blocked, Action::Open)
                    ),
                    theme().bad,
                ))
            };
            f.render_widget(Paragraph::new(foot_line), foot);
            end
        }
        Phase::Running { plan, progress, .. } => {
            let [list, gauge] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(body);
            let end = para(f, plan_lines(plan), list);
            let (ratio, label) = match progress {
                None => (0.0, "starting…".to_string()),
                Some(p) => {
                    let part = if p.total > 0 {
                        p.done as f64 / p.total as f64
                    } else {
                        0.0
                    };
                    let ratio = if p.steps == 0 {
                        0.0
                    } else {
                        (p.step.saturating_sub(1) as f64 + part) / p.steps as f64
                    };
                    let rows = if p.total > 0 {
                        format!(" ({}/{} rows)", grouped(p.done), grouped(p.total))
                    } else {
                        String::new()
                    };
                    (
                        ratio.clamp(0.0, 1.0),
                        format!("{}/{} {}{rows}", p.step, p.steps, text::cell(&p.title)),
                    )
                }
            };
            f.render_widget(
                Gauge::default()
                    .ratio(ratio)
                    .label(label)
                    .gauge_style(theme().gauge),
                gauge,
            );
            f.render_widget(
                Paragraph::new("running in one transaction · Esc or Ctrl-C cancels (rolls back)"),
                foot,
            );
            end
        }
        Phase::Done(r) => {
            let (msg, style) = match r {
                Ok(s) => (s.clone(), theme().ok),
                Err(e) => (e.clone(), theme().bad),
            };
            let end = para(f, vec![Line::styled(text::cell(&msg), style)], body);
            f.render_widget(Paragraph::new(closes), foot);
            end
        }
    }
}

fn plan_lines(plan: &Plan) -> Vec<Line<'static>> {
    let bold = theme().bold;
    let steps = match plan.steps.len() {
        0 => "no step".to_string(),
        1 => "1 step".to_string(),
        n => format!("{n} steps"),
    };
    let steps = match (plan.blockers.is_empty(), plan.steps.len()) {
        (false, 0) => "Nothing can run".to_string(),
        (false, _) => format!("Nothing can run ({steps} planned)"),
        (true, 0) => "Nothing to do".to_string(),
        (true, _) => steps,
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{steps} on {}{}",
                text::cell(&plan.path.to_string_lossy()),
                if plan.creates_file {
                    " (a new store)"
                } else {
                    ""
                }
            ),
            bold,
        )),
        Line::from(""),
    ];
    for b in &plan.blockers {
        lines.push(Line::from(Span::styled(
            format!("blocked: {}", text::cell(b)),
            theme().bad,
        )));
    }
    if let Some(b) = &plan.backup {
        lines.push(Line::from(format!(
            "backup first: {}",
            text::cell(&b.to_string_lossy())
        )));
    }
    if let Some(s) = &plan.space {
        lines.push(Line::from(format!(
            "space: about {} needed, {} free",
            crate::store::plan::human(s.needed_bytes),
            crate::store::plan::human(s.free_bytes)
        )));
    }
    for n in &plan.notes {
        lines.push(Line::from(Span::styled(
            format!("note: {}", text::cell(n)),
            theme().warn,
        )));
    }
    for (i, s) in plan.steps.iter().enumerate() {
        lines.push(Line::from(format!(
            "{:>2}. {}",
            i + 1,
            text::cell(&s.title)
        )));
    }
    if plan.steps.is_empty() {
        return lines;
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("The SQL of each step:", bold)));
    for (i, s) in plan.steps.iter().enumerate() {
        lines.push(Line::from(Span::styled(
            format!("{:>2}. {}", i + 1, text::cell(&s.title)),
            bold,
        )));
        for l in text::lines(&s.sql) {
            lines.push(Line::from(Span::styled(format!("      {l}"), theme().dim)));
        }
    }
    lines
}
