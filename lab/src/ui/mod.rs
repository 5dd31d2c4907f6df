//! Pure view functions: the model in, widgets drawn on the frame out.

mod cluster;
mod lesson;
mod panes;

use crate::app::Model;
use crate::app::layout::Focus;
use crate::world::Speed;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub const ACCENT: Color = Color::Cyan;

pub fn draw(frame: &mut Frame, model: &Model) {
    let layout = model.layout();
    if let Some(r) = layout.lesson {
        match &model.course {
            Some(course) => lesson::draw(frame, model, course, r),
            None => intro(frame, model, r),
        }
    }
    panes::draw(frame, model, &layout);
    if let Some(r) = layout.cluster {
        cluster::draw(frame, model, r);
    }
    status(frame, model, layout.status);
    if let Some(course) = model.course.as_ref().filter(|c| c.picker.is_some()) {
        lesson::picker(frame, model, course);
    }
    if model.help {
        help(frame, model);
    }
}

fn border(focused: bool) -> Style {
    if focused { Style::new().fg(ACCENT).add_modifier(Modifier::BOLD) } else { Style::new().fg(Color::DarkGray) }
}

fn intro(frame: &mut Frame, model: &Model, area: Rect) {
    let t = &model.texts;
    let args: Vec<(&str, &str)> = model.intro.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let title = t.args(model.intro.title, &args);
    let body = t.args(model.intro.body, &args);
    let mut lines = Vec::new();
    for l in body.lines() {
        // Indented lines are commands to type: shown as code.
        if let Some(code) = l.strip_prefix("    ") {
            lines.push(Line::from(Span::styled(format!("  {code}"), Style::new().fg(Color::Yellow))));
        } else {
            lines.push(Line::from(l.to_string()));
        }
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(border(model.focus == Focus::Lesson))
        .title(Span::styled(format!(" {title} "), Style::new().add_modifier(Modifier::BOLD)));
    let p = Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((model.lesson_scroll, 0));
    frame.render_widget(p, area);
}

pub fn speed_text(model: &Model) -> String {
    match model.speed {
        Speed::Paused => model.texts.get("speed-paused"),
        Speed::Times(n) => format!("{n}x"),
    }
}

fn status(frame: &mut Frame, model: &Model, area: Rect) {
    let t = &model.texts;
    // (priority, text): the least needed go first when the line is too narrow.
    let mut keys = vec![
        (0, t.get("status-help")),
        (6, t.get("status-focus")),
        (3, t.get("status-next")),
        (4, t.get("status-zoom")),
        (1, t.args("status-speed", &[("speed", &speed_text(model))])),
        (5, t.get("status-skip")),
        (2, t.get("status-quit")),
    ];
    let width = |keys: &[(u8, String)]| keys.iter().map(|(_, k)| k.chars().count() + 2).sum::<usize>();
    while width(&keys) > usize::from(area.width) && keys.len() > 1 {
        if let Some(pos) = keys.iter().enumerate().max_by_key(|(_, (p, _))| *p).map(|(i, _)| i) {
            keys.remove(pos);
        }
    }
    let key_style = Style::new().fg(Color::Black).bg(ACCENT);
    let mut spans = Vec::new();
    for (_, k) in keys {
        let (key, label) = k.split_once(' ').unwrap_or((&k, ""));
        spans.push(Span::styled(key.to_string(), key_style));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if let Some(n) = model.notice.as_ref().map(|n| n.text(t)) {
        // A notice says what just happened and what to do next: it may cover every
        // key but F1 (the keys are all in F1's help).
        let help = t.get("status-help").chars().count() as u16 + 2;
        let w = (n.chars().count() as u16 + 2).min(area.width.saturating_sub(help));
        let r = Rect { x: area.right() - w, width: w, ..area };
        frame.render_widget(Clear, r);
        frame.render_widget(Paragraph::new(n).alignment(Alignment::Right).style(Style::new().fg(Color::Yellow)), r);
    }
}

/// How many rows `text` takes wrapped at word boundaries to `width` columns.
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let need = if used == 0 { len } else { used + 1 + len };
        if need <= width {
            used = need;
        } else {
            rows += 1;
            used = len.min(width);
            rows += len.saturating_sub(1) / width.max(1);
        }
    }
    rows
}

fn help(frame: &mut Frame, model: &Model) {
    let t = &model.texts;
    let keys = [
        "help-focus",
        "help-next",
        "help-zoom",
        "help-speed",
        "help-skip",
        "help-power",
        "help-cut",
        "help-crash",
        "help-scroll",
        "help-copy",
        "help-lang",
        "help-quit",
        "help-reset",
        "help-lesson",
        "help-redo",
        "",
        "help-lab",
        "help-close",
    ];
    let texts: Vec<String> = keys.iter().map(|k| if k.is_empty() { String::new() } else { t.get(k) }).collect();
    let area = frame.area();
    let w = area.width.saturating_sub(4).min(90);
    // As tall as the wrapped text, so that no line is cut off on a small screen.
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let mut texts = texts;
    let fits = |texts: &[String]| texts.iter().map(|l| wrapped_rows(l, inner)).sum::<usize>() + 2;
    if fits(&texts) > usize::from(area.height) {
        // A small screen: the blank separator goes before any key does.
        texts.retain(|l| !l.is_empty());
    }
    let rows: usize = texts.iter().map(|l| wrapped_rows(l, inner)).sum();
    let lines: Vec<Line> = texts.into_iter().map(Line::from).collect();
    let h = (rows as u16 + 2).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    frame.render_widget(Clear, r);
    let block = Block::bordered().border_style(border(true)).title(format!(" {} ", t.get("help-title")));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), r);
}
