//! The node panes: each a terminal screen inside a border titled with the node, and a
//! tab bar when they show one at a time.

use super::{ACCENT, border};
use crate::app::Model;
use crate::app::layout::{Focus, Layout};
use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::fmt::Write as _;
use tui_term::widget::{Cursor, PseudoTerminal};

pub fn draw(frame: &mut Frame, model: &Model, layout: &Layout) {
    if let Some(tabs) = layout.tabs {
        let spans: Vec<Span> = model
            .panes
            .iter()
            .take(model.shown())
            .enumerate()
            .map(|(i, p)| {
                let style = if model.focus == Focus::Node(i) {
                    Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().fg(Color::Gray)
                };
                Span::styled(format!(" {} ", p.name), style)
            })
            .flat_map(|s| [s, Span::raw(" ")])
            .collect();
        frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    }
    for (i, rect) in &layout.panes {
        let Some(p) = model.panes.get(*i) else { continue };
        let focused = model.focus == Focus::Node(*i);
        let screen = p.parser.screen();
        let mut title = format!(" {} ", p.name);
        if screen.scrollback() > 0 {
            let _ = write!(title, "[↑{}] ", screen.scrollback());
        }
        let block = Block::bordered().border_style(border(focused)).title(title);
        let mut cursor = Cursor::default();
        if !focused || screen.scrollback() > 0 {
            cursor.hide();
        }
        let off = model.powered_off(*i);
        if off {
            cursor.hide();
        }
        let term = PseudoTerminal::new(screen).block(block).cursor(cursor);
        let term = if off { term.style(Style::new().fg(Color::DarkGray).add_modifier(Modifier::DIM)) } else { term };
        frame.render_widget(term, *rect);
        if let Some(s) = model.selection.filter(|s| s.pane == *i && s.anchor != s.head) {
            // The selected cells, reversed, as terminals show a selection.
            let buf = frame.buffer_mut();
            for row in 0..rect.height.saturating_sub(2) {
                for col in 0..rect.width.saturating_sub(2) {
                    if s.contains(row, col)
                        && let Some(cell) = buf.cell_mut((rect.x + 1 + col, rect.y + 1 + row))
                    {
                        cell.modifier.toggle(Modifier::REVERSED);
                    }
                }
            }
        }
        if off && rect.height > 2 && rect.width > 2 {
            let inner = ratatui::layout::Rect { x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: 1 };
            let banner = model.texts.args("pane-powered-off", &[("node", &p.name)]);
            let text = Span::styled(banner, Style::new().fg(Color::Black).bg(Color::Yellow));
            frame.render_widget(Paragraph::new(text), inner);
        } else if p.exited && rect.height > 2 && rect.width > 2 {
            let inner = ratatui::layout::Rect { x: rect.x + 1, y: rect.bottom() - 2, width: rect.width - 2, height: 1 };
            let text = Span::styled(model.texts.get("pane-exited"), Style::new().fg(Color::Yellow));
            frame.render_widget(Paragraph::new(text), inner);
        }
    }
}
