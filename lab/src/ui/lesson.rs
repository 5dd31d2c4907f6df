//! The lesson pane: the lesson and step, the step's prose and command blocks (the next
//! one to type marked), the hints asked for, the solution when asked, and the keys;
//! and the lesson picker over it.

use super::{ACCENT, border};
use crate::app::Model;
use crate::app::course::Course;
use crate::app::layout::Focus;
use crate::lesson::Part;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, model: &Model, course: &Course, area: Rect) {
    let t = &model.texts;
    let Some(lesson) = course.current() else { return };
    let Some(step) = course.current_step() else { return };
    let mut lines: Vec<Line> = Vec::new();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let n = (course.step + 1).to_string();
    let total = lesson.steps.len().to_string();
    let mut head = vec![
        Span::styled(t.args("lesson-step", &[("n", &n), ("total", &total)]), Style::new().fg(ACCENT)),
        Span::raw(" · "),
        Span::styled(step.title.clone(), bold),
    ];
    if course.done.get(course.step).copied().unwrap_or(false) {
        head.push(Span::styled(format!("  {}", t.get("lesson-done")), Style::new().fg(Color::Green)));
    }
    lines.push(Line::from(head));
    lines.push(Line::from(""));
    status(t, course, &mut lines);
    if course.step == 0 && !lesson.intro.is_empty() {
        prose(&lesson.intro, &mut lines);
        lines.push(Line::from(""));
    }
    let mut block = 0;
    for part in &step.parts {
        match part {
            Part::Prose(text) => prose(text, &mut lines),
            Part::Runnable { node, commands } => {
                let next = block == course.next_block;
                let marker = if next { "▶ " } else { "  " };
                let tag = Style::new().fg(Color::Black).bg(if next { ACCENT } else { Color::DarkGray });
                lines.push(Line::from(vec![Span::raw(marker), Span::styled(format!(" {node} "), tag)]));
                for c in commands {
                    lines.push(Line::from(Span::styled(format!("    {c}"), Style::new().fg(Color::Yellow))));
                }
                block += 1;
            }
            Part::File { name, text } => {
                let tag = Style::new().fg(Color::Black).bg(Color::Gray);
                lines.push(Line::from(vec![Span::raw("  "), Span::styled(format!(" {name} "), tag)]));
                for l in text.lines() {
                    lines.push(Line::from(vec![
                        Span::styled("  │ ", Style::new().fg(Color::DarkGray)),
                        Span::raw(l.to_string()),
                    ]));
                }
            }
        }
        lines.push(Line::from(""));
    }
    for (i, hint) in step.hints.iter().take(course.hints).enumerate() {
        let label = t.args("lesson-hint", &[("n", &(i + 1).to_string())]);
        lines.push(Line::from(Span::styled(
            format!("» {label}"),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )));
        prose(hint, &mut lines);
        lines.push(Line::from(""));
    }
    if course.solution {
        lines.push(Line::from(Span::styled(t.get("lesson-solution"), bold)));
        for s in &step.solution {
            lines.push(Line::from(Span::styled(format!("  {}$ {}", s.node, s.command), Style::new().fg(Color::Cyan))));
        }
        lines.push(Line::from(""));
    }
    if course.lesson_complete() {
        lines.push(Line::from(Span::styled(
            t.get("lesson-complete"),
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        )));
    }
    let focused = model.focus == Focus::Lesson;
    let keys = if focused { t.get("lesson-keys") } else { t.get("lesson-keys-short") };
    let keys = fitting_keys(&keys, usize::from(area.width.saturating_sub(4)), !course.feedback.is_empty());
    let title = format!(" {} · {} ", lesson.title, lessons_position(course));
    let block = Block::bordered()
        .border_style(border(focused))
        .title(Span::styled(title, bold))
        .title_bottom(Span::styled(format!(" {keys} "), Style::new().fg(Color::DarkGray)));
    let p = Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((model.lesson_scroll, 0));
    frame.render_widget(p, area);
}

/// Where the step stands, above its text: passed and waiting for the learner to move
/// on, or what its check still lacks once they have tried something.
fn status(t: &crate::i18n::Texts, course: &Course, lines: &mut Vec<Line<'static>>) {
    if course.waiting_to_move_on() {
        let style = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
        lines.push(Line::from(Span::styled(t.get("lesson-passed-next"), style)));
        lines.push(Line::from(""));
        return;
    }
    if course.feedback.is_empty() {
        return;
    }
    let warn = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    lines.push(Line::from(Span::styled(t.get("feedback-title"), warn)));
    for s in &course.feedback.slips {
        lines.push(Line::from(Span::styled(format!("• {}", crate::lesson::explain::slip(s, t)), warn)));
    }
    for u in &course.feedback.unmet {
        let e = crate::lesson::explain::explain(u, t);
        lines.push(Line::from(Span::styled(format!("• {}", e.headline), Style::new().fg(Color::Yellow))));
        for a in e.answer {
            lines.push(Line::from(Span::styled(format!("  {a}"), Style::new().fg(Color::Gray))));
        }
    }
    if course.feedback.needs_redo() {
        let key = Style::new().fg(Color::Black).bg(Color::Yellow);
        lines.push(Line::from(Span::styled(t.get("feedback-redo-now"), key)));
    } else {
        lines.push(Line::from(Span::styled(t.get("feedback-redo"), Style::new().fg(Color::DarkGray))));
    }
    lines.push(Line::from(""));
}

/// The lesson's keys that fit in `width`, whole: the redo key first while the step
/// says what it lacks (the way back must show on the narrowest screen), then the
/// others in order; "…" when some are left out (F1 lists them all).
fn fitting_keys(keys: &str, width: usize, stuck: bool) -> String {
    let mut items: Vec<&str> = keys.split(" · ").collect();
    if stuck && let Some(i) = items.iter().position(|k| k.starts_with("Alt+u") || k.starts_with("r ")) {
        let redo = items.remove(i);
        items.insert(0, redo);
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let sep = if out.is_empty() { "" } else { " · " };
        let more = if i + 1 < items.len() { " …".chars().count() } else { 0 };
        if out.chars().count() + sep.chars().count() + item.chars().count() + more > width {
            out.push_str(if out.is_empty() { "…" } else { " …" });
            return out;
        }
        out.push_str(sep);
        out.push_str(item);
    }
    out
}

fn lessons_position(course: &Course) -> String {
    format!("{}/{}", course.lesson + 1, course.lessons.len())
}

/// Markdown prose as plain styled lines: paragraphs joined (the pane wraps them),
/// headings bold, `code` yellow, ** dropped.
fn prose(text: &str, lines: &mut Vec<Line>) {
    let mut in_code = false;
    let mut joined: Vec<String> = Vec::new();
    for raw in text.lines() {
        let t = raw.trim_start();
        let starts_block = t.is_empty() || t.starts_with(['#', '-', '*', '>', '|']) || t.starts_with("```") || in_code;
        if t.starts_with("```") {
            in_code = !in_code;
        }
        match joined.last_mut() {
            Some(last)
                if !starts_block
                    && !last.trim().is_empty()
                    && !last.trim_start().starts_with("```")
                    && !last.starts_with("    ") =>
            {
                last.push(' ');
                last.push_str(t);
            }
            _ => joined.push(raw.to_string()),
        }
    }
    in_code = false;
    for raw in &joined {
        if raw.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            lines.push(Line::from(Span::styled(format!("    {raw}"), Style::new().fg(Color::Yellow))));
            continue;
        }
        if let Some(h) = raw.strip_prefix('#').map(|h| h.trim_start_matches('#').trim()) {
            lines.push(Line::from(Span::styled(h.to_string(), Style::new().add_modifier(Modifier::BOLD))));
            continue;
        }
        let mut spans = Vec::new();
        for (i, piece) in raw.replace("**", "").split('`').enumerate() {
            if i % 2 == 1 {
                spans.push(Span::styled(piece.to_string(), Style::new().fg(Color::Yellow)));
            } else {
                spans.push(Span::raw(piece.to_string()));
            }
        }
        lines.push(Line::from(spans));
    }
}

/// The lesson picker, over everything.
pub fn picker(frame: &mut Frame, model: &Model, course: &Course) {
    let area = frame.area();
    let w = area.width.saturating_sub(8).min(76);
    let entries = course.picker_entries();
    let h = (entries.len() + course.lessons.len() + 3).min(area.height.saturating_sub(2) as usize) as u16;
    let r =
        Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height.saturating_sub(h)) / 2, width: w, height: h };
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, l) in course.lessons.iter().enumerate() {
        lines.push(Line::from(Span::styled(
            format!("{}. {}", i + 1, l.title),
            Style::new().add_modifier(Modifier::BOLD),
        )));
        for (j, s) in l.steps.iter().enumerate() {
            let here = course.picker == Some((i, j));
            if here {
                selected_line = lines.len();
            }
            let done = course.progress.lessons.get(&l.id).is_some_and(|p| p.passed.contains_key(&j));
            let mark = if done { "✓" } else { " " };
            let style = if here { Style::new().fg(Color::Black).bg(ACCENT) } else { Style::new() };
            lines.push(Line::from(Span::styled(format!("  {mark} {}.{} {}", i + 1, j + 1, s.title), style)));
        }
    }
    let inner_h = h.saturating_sub(2) as usize;
    let scroll = selected_line.saturating_sub(inner_h.saturating_sub(2)) as u16;
    frame.render_widget(Clear, r);
    let block = Block::bordered().border_style(border(true)).title(format!(" {} ", model.texts.get("lesson-picker")));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), r);
}

#[cfg(test)]
mod tests {
    use super::fitting_keys;

    #[test]
    fn the_keys_fit_whole_and_the_redo_key_comes_first_when_the_learner_is_stuck() {
        let keys = "Alt+i hint · Alt+u redo step · Alt+t type · Alt+o solution";
        assert_eq!(fitting_keys(keys, 80, false), keys);
        assert_eq!(fitting_keys(keys, 26, false), "Alt+i hint …");
        assert_eq!(fitting_keys(keys, 26, true), "Alt+u redo step …");
        assert_eq!(fitting_keys(keys, 30, true), "Alt+u redo step · Alt+i hint …");
        assert_eq!(fitting_keys(keys, 3, true), "…");
    }
}
