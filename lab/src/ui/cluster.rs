//! The cluster view: a line for quorum and leader, then one column per node with its
//! role, state and tasks, coloured by service and by task state.

use super::border;
use crate::app::Model;
use crate::app::snapshot::{NodeView, Role};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use swarmlab_engine::types::TaskState;

const SERVICE_COLOURS: [Color; 6] =
    [Color::Cyan, Color::Magenta, Color::Yellow, Color::Blue, Color::LightGreen, Color::LightRed];
/// Narrowest useful node column.
const MIN_COLUMN: u16 = 16;

pub fn draw(frame: &mut Frame, model: &Model, area: Rect) {
    let t = &model.texts;
    let block = Block::bordered().border_style(border(false)).title(format!(" {} ", t.get("cluster-title")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let s = &model.cluster;
    let header = match &s.quorum {
        None => Line::from(Span::styled(t.get("cluster-empty"), Style::new().fg(Color::Gray))),
        Some(q) => {
            let quorum = if q.held() { t.get("quorum-ok") } else { t.get("quorum-lost") };
            let leader = q.leader.clone().unwrap_or_else(|| t.get("leader-none"));
            let text = t.args(
                "cluster-quorum",
                &[
                    ("up", &q.reachable.to_string()),
                    ("total", &q.managers.to_string()),
                    ("quorum", &quorum),
                    ("leader", &leader),
                    ("term", &q.term.to_string()),
                    ("commit", &q.commit.to_string()),
                ],
            );
            let style = if q.held() { Style::new() } else { Style::new().fg(Color::Red).add_modifier(Modifier::BOLD) };
            Line::from(Span::styled(text, style))
        }
    };
    frame.render_widget(Paragraph::new(header), Rect { height: 1, ..inner });
    let body = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
    // The nodes the lesson has, as the panes show them; the lab's others stay out of sight.
    let nodes: Vec<&crate::app::snapshot::NodeView> = s.nodes.iter().take(model.shown()).collect();
    let n = nodes.len().max(1) as u16;
    let fit = (body.width / MIN_COLUMN).max(1).min(n);
    let width = body.width / fit;
    let services: Vec<&str> = {
        let mut v: Vec<&str> = nodes.iter().flat_map(|n| n.tasks.iter().map(|t| t.service.as_str())).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    for (i, node) in nodes.iter().take(fit as usize).enumerate() {
        let col = Rect { x: body.x + i as u16 * width, width: width.saturating_sub(1), ..body };
        let lines = column(model, node, &services, col);
        frame.render_widget(Paragraph::new(lines), col);
    }
    if (fit as usize) < nodes.len() {
        let more = format!("+{}", nodes.len() - fit as usize);
        let r =
            Rect { x: body.right().saturating_sub(more.len() as u16), y: body.y, width: more.len() as u16, height: 1 };
        frame.render_widget(Paragraph::new(more), r);
    }
}

fn column<'a>(model: &Model, node: &'a NodeView, services: &[&str], area: Rect) -> Vec<Line<'a>> {
    let t = &model.texts;
    let height = area.height as usize;
    let mut name = vec![Span::styled(node.name.clone(), Style::new().add_modifier(Modifier::BOLD))];
    if node.leader {
        name.push(Span::styled(" ★", Style::new().fg(Color::Yellow)));
    }
    // The address `curl` and `hostname -i` use, where the column has room for it.
    let used: usize = name.iter().map(|s| s.content.chars().count()).sum();
    if used + 1 + node.addr.len() <= area.width as usize {
        name.push(Span::styled(format!(" {}", node.addr), Style::new().fg(Color::DarkGray)));
    }
    let role = match node.role {
        Some(Role::Manager) if node.leader => t.get("node-leader"),
        Some(Role::Manager) => t.get("node-manager"),
        Some(Role::Worker) => t.get("node-worker"),
        None => t.get("node-outside"),
    };
    // One line for role and state, so that small screens keep room for tasks.
    let (state, state_style) = if !node.powered {
        (t.get("node-off"), Style::new().fg(Color::Red))
    } else if !node.connected {
        (t.get("node-cut"), Style::new().fg(Color::Red))
    } else if node.role.is_none() {
        (String::new(), Style::new())
    } else if node.availability == "Active" {
        let style = if node.status == "Ready" { Style::new().fg(Color::Green) } else { Style::new().fg(Color::Red) };
        (node.status.clone(), style)
    } else {
        (format!("{} · {}", node.status, node.availability), Style::new().fg(Color::Yellow))
    };
    let mut status = vec![Span::styled(role, Style::new().fg(Color::Gray))];
    if !state.is_empty() {
        status.push(Span::styled(" · ", Style::new().fg(Color::Gray)));
        status.push(Span::styled(state, state_style));
    }
    let mut lines = vec![Line::from(name), Line::from(status)];
    let room = height.saturating_sub(lines.len());
    if node.tasks.is_empty() && node.role.is_some() && room > 0 {
        lines.push(Line::from(Span::styled(t.get("node-no-tasks"), Style::new().fg(Color::DarkGray))));
    }
    let shown = if node.tasks.len() > room { room.saturating_sub(1) } else { node.tasks.len() };
    for task in node.tasks.iter().take(shown) {
        let colour = services.iter().position(|s| *s == task.service).map_or(Color::White, |i| SERVICE_COLOURS[i % 6]);
        lines.push(Line::from(vec![
            Span::styled(glyph(task.state), state_colour(task.state)),
            Span::raw(" "),
            Span::styled(task.name.clone(), Style::new().fg(colour)),
            Span::styled(format!(" {}", task.state.as_str()), Style::new().fg(Color::DarkGray)),
        ]));
    }
    if shown < node.tasks.len() {
        lines.push(Line::from(format!("+{}", node.tasks.len() - shown)));
    }
    lines
}

fn glyph(s: TaskState) -> &'static str {
    if s == TaskState::Running { "●" } else { "◌" }
}

fn state_colour(s: TaskState) -> Style {
    match s {
        TaskState::Running => Style::new().fg(Color::Green),
        TaskState::Failed | TaskState::Rejected => Style::new().fg(Color::Red),
        _ => Style::new().fg(Color::Yellow),
    }
}
