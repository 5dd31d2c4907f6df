//! The lesson pane: the lesson and step, the step's prose and command blocks (the next
//! one to type marked), the hints asked for, the solution when asked, and the keys;
//! and the lesson picker over it.

use super::markdown;
use super::{ACCENT, border};
use crate::app::Model;
use crate::app::course::Course;
use crate::app::layout::Focus;
use crate::lesson::Part;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn draw(frame: &mut Frame, model: &Model, course: &Course, area: Rect) {
    let t = &model.texts;
    let Some(lesson) = course.current() else { return };
    let Some(step) = course.current_step() else { return };
    // Everything is laid out here for the pane's inner width: prose wraps, code does not.
    let width = area.width.saturating_sub(2);
    let french = t.lang == crate::i18n::Lang::Fr;
    let md = |text: &str, lines: &mut Vec<Line<'static>>| lines.extend(markdown::render(text, width, french));
    let mut lines: Vec<Line<'static>> = Vec::new();
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
    lines.extend(markdown::wrap(head, width, 0));
    lines.push(Line::from(""));
    status(t, course, width, &mut lines);
    if course.step == 0 && !lesson.intro.is_empty() {
        md(&lesson.intro, &mut lines);
        lines.push(Line::from(""));
    }
    let mut block = 0;
    for part in &step.parts {
        match part {
            Part::Prose(text) => md(text, &mut lines),
            Part::Runnable { node, commands } => {
                let next = block == course.next_block;
                let marker = if next { "▶ " } else { "  " };
                let tag = Style::new().fg(Color::Black).bg(if next { ACCENT } else { Color::DarkGray });
                lines.push(Line::from(vec![Span::raw(marker), Span::styled(format!(" {node} "), tag)]));
                for c in commands {
                    lines.push(markdown::code_line("    ", c, Style::new().fg(Color::Yellow), width));
                }
                block += 1;
            }
            Part::File { name, text } => {
                let tag = Style::new().fg(Color::Black).bg(Color::Gray);
                lines.push(Line::from(vec![Span::raw("  "), Span::styled(format!(" {name} "), tag)]));
                for l in text.lines() {
                    lines.push(markdown::code_line("  │ ", l, Style::new(), width));
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
        md(hint, &mut lines);
        lines.push(Line::from(""));
    }
    if course.solution {
        lines.push(Line::from(Span::styled(t.get("lesson-solution"), bold)));
        for s in &step.solution {
            lines.push(markdown::code_line(
                "  ",
                &format!("{}$ {}", s.node, s.command),
                Style::new().fg(Color::Cyan),
                width,
            ));
        }
        lines.push(Line::from(""));
    }
    if course.lesson_complete() {
        let done = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
        lines.extend(markdown::wrap(vec![Span::styled(t.get("lesson-complete"), done)], width, 0));
    }
    let focused = model.focus == Focus::Lesson;
    let keys = if focused { t.get("lesson-keys") } else { t.get("lesson-keys-short") };
    let first = if !course.feedback.is_empty() {
        Some(Lead::Redo)
    } else if course.lesson_complete() {
        Some(Lead::Lessons)
    } else {
        None
    };
    let keys = fitting_keys(&keys, usize::from(area.width.saturating_sub(4)), first);
    let title = format!(" {} · {} ", lesson.title, lessons_position(course));
    let block = Block::bordered()
        .border_style(border(focused))
        .title(Span::styled(title, bold))
        .title_bottom(Span::styled(format!(" {keys} "), Style::new().fg(Color::DarkGray)));
    // After a resize the text may be shorter than where it was scrolled to.
    let visible = usize::from(area.height.saturating_sub(2));
    let scroll = usize::from(model.lesson_scroll).min(lines.len().saturating_sub(visible)) as u16;
    let p = Paragraph::new(lines).block(block).scroll((scroll, 0));
    frame.render_widget(p, area);
}

/// Where the step stands, above its text: passed and waiting for the learner to move
/// on, or what its check still lacks once they have tried something.
fn status(t: &crate::i18n::Texts, course: &Course, width: u16, lines: &mut Vec<Line<'static>>) {
    let say = |text: String, style: Style, indent: usize, lines: &mut Vec<Line<'static>>| {
        lines.extend(markdown::wrap(markdown::inline(&text, style, t.lang == crate::i18n::Lang::Fr), width, indent));
    };
    if course.waiting_to_move_on() {
        let style = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
        say(t.get("lesson-passed-next"), style, 0, lines);
        lines.push(Line::from(""));
        return;
    }
    if course.feedback.is_empty() {
        return;
    }
    let warn = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    say(t.get("feedback-title"), warn, 0, lines);
    for s in &course.feedback.slips {
        say(format!("• {}", crate::lesson::explain::slip(s, t)), warn, 2, lines);
    }
    for u in &course.feedback.unmet {
        let e = crate::lesson::explain::explain(u, t);
        say(format!("• {}", e.headline), Style::new().fg(Color::Yellow), 2, lines);
        for a in e.answer {
            lines.push(markdown::code_line("  ", &a, Style::new().fg(Color::Gray), width));
        }
    }
    if course.feedback.needs_redo() {
        say(t.get("feedback-redo-now"), Style::new().fg(Color::Black).bg(Color::Yellow), 0, lines);
    } else {
        say(t.get("feedback-redo"), Style::new().fg(Color::DarkGray), 0, lines);
    }
    lines.push(Line::from(""));
}

/// A key the footer shows first.
#[derive(Clone, Copy)]
enum Lead {
    /// The way back, while the step says what it lacks.
    Redo,
    /// The next lesson, once this one is done.
    Lessons,
}

/// The lesson's keys that fit in `width`, whole: the one the learner needs now first
/// (the way back on the narrowest screen, the next lesson once it is done), then the
/// others in order; "…" when some are left out (F1 lists them all).
fn fitting_keys(keys: &str, width: usize, lead: Option<Lead>) -> String {
    let mut items: Vec<&str> = keys.split(" · ").collect();
    let leads = |k: &&str| match lead {
        Some(Lead::Redo) => k.starts_with("Alt+u") || k.starts_with("r "),
        Some(Lead::Lessons) => k.starts_with("Alt+g") || k.starts_with("l "),
        None => false,
    };
    if let Some(i) = items.iter().position(leads) {
        let first = items.remove(i);
        items.insert(0, first);
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
    // The title names the list; the keys go below, as whole as the width allows.
    let keys = fitting_keys(&model.texts.get("lesson-picker-keys"), usize::from(w.saturating_sub(4)), None);
    let block = Block::bordered()
        .border_style(border(true))
        .title(Span::styled(
            format!(" {} ", model.texts.get("lesson-picker")),
            Style::new().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Span::styled(format!(" {keys} "), Style::new().fg(Color::DarkGray)));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), r);
}

#[cfg(test)]
mod tests {
    use super::{Lead, fitting_keys};

    #[test]
    fn the_keys_fit_whole_and_the_redo_key_comes_first_when_the_learner_is_stuck() {
        let keys = "Alt+i hint · Alt+u redo step · Alt+t type · Alt+o solution";
        assert_eq!(fitting_keys(keys, 80, None), keys);
        assert_eq!(fitting_keys(keys, 26, None), "Alt+i hint …");
        assert_eq!(fitting_keys(keys, 26, Some(Lead::Redo)), "Alt+u redo step …");
        assert_eq!(fitting_keys(keys, 30, Some(Lead::Redo)), "Alt+u redo step · Alt+i hint …");
        assert_eq!(fitting_keys(keys, 3, Some(Lead::Redo)), "…");
        let all = format!("{keys} · Alt+g lessons");
        assert_eq!(fitting_keys(&all, 30, Some(Lead::Lessons)), "Alt+g lessons · Alt+i hint …");
    }
}
