//! Pure view functions: the model in, widgets drawn on the frame out.

mod cluster;
mod lesson;
pub mod markdown;
mod panes;

use crate::app::Model;
use crate::app::layout::Focus;
use crate::clock::Speed;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

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
    // Markdown, as the lessons: indented lines are commands to type, shown as code.
    let lines = markdown::render(&body, area.width.saturating_sub(2), t.lang == crate::i18n::Lang::Fr);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(border(model.focus == Focus::Lesson))
        .title(Span::styled(format!(" {title} "), Style::new().add_modifier(Modifier::BOLD)));
    let visible = usize::from(area.height.saturating_sub(2));
    let scroll = usize::from(model.lesson_scroll).min(lines.len().saturating_sub(visible)) as u16;
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
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
    let inner = w.saturating_sub(2);
    let lay = |texts: &[String]| -> Vec<Line<'static>> {
        texts
            .iter()
            .flat_map(|l| markdown::wrap(markdown::inline(l, Style::new(), t.lang == crate::i18n::Lang::Fr), inner, 0))
            .collect()
    };
    let mut lines = lay(&texts);
    if lines.len() + 2 > usize::from(area.height) {
        // A small screen: the blank separator goes before any key does.
        let kept: Vec<String> = texts.into_iter().filter(|l| !l.is_empty()).collect();
        lines = lay(&kept);
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    frame.render_widget(Clear, r);
    let block = Block::bordered().border_style(border(true)).title(format!(" {} ", t.get("help-title")));
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
