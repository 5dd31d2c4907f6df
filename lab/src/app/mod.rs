//! The lab's screen state and how it changes: an Elm-style model, `update(msg)`
//! returning effects (write to a pty, resize it, change the world…) that the event
//! loop performs. No I/O here.

pub mod course;
mod input;
pub mod layout;
mod notice;
pub mod pane;
pub mod snapshot;

pub use notice::Notice;

use crate::clock::Speed;
use crate::i18n::{Lang, Texts};
use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};
use layout::{Focus, Layout};
pub use pane::{PaneState, SCROLLBACK, Selection, feeding};
use ratatui::layout::Rect;
use snapshot::Snapshot;

/// What the lesson pane shows until lessons arrive: a message key and its arguments.
#[derive(Debug, Clone)]
pub struct Intro {
    pub title: &'static str,
    pub body: &'static str,
    pub args: Vec<(&'static str, String)>,
}

pub struct Model {
    pub texts: Texts,
    pub intro: Intro,
    /// The lessons, when the lab teaches (None in free play).
    pub course: Option<course::Course>,
    pub panes: Vec<PaneState>,
    pub focus: Focus,
    pub zoom: bool,
    pub help: bool,
    pub speed: Speed,
    pub cluster: Snapshot,
    pub notice: Option<Notice>,
    pub lesson_scroll: u16,
    /// Text being selected with the mouse, inside one pane.
    pub selection: Option<Selection>,
    /// What was last selected, for the paste key.
    pub clipboard: Option<String>,
    pub size: (u16, u16),
    pub quit: bool,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    PtyOutput(usize, Vec<u8>),
    PtyExited(usize),
    Cluster(Snapshot),
    Speed(Speed),
    Notice(Notice),
    /// The loop evaluated the check of the step with this generation; `ran` is what
    /// the learner ran since the step opened (node, command).
    Checked {
        generation: u64,
        passed: bool,
        ran: Vec<(String, String)>,
        /// What does not hold, and the slips that explain it.
        feedback: crate::lesson::explain::Feedback,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Write(usize, Vec<u8>),
    /// Resize pty `usize` to (rows, cols).
    Resize(usize, u16, u16),
    /// Start a new shell in pane `usize`, (rows, cols).
    Respawn(usize, u16, u16),
    SetSpeed(Speed),
    SkipAhead,
    Power(usize, bool),
    Connect(usize, bool),
    /// Kill a running container on that node.
    Crash(usize),
    Reset,
    /// Type these lines into pane `usize` at a readable pace.
    Type(usize, Vec<String>),
    /// Rebuild the cluster for lesson `.0` at step `.1`: setup, then earlier solutions.
    Open(usize, usize),
    /// Evaluate the current step's check now.
    Recheck,
    SaveProgress,
    /// Put this text on the terminal's clipboard (OSC 52).
    Copy(String),
    Quit,
}

impl Model {
    pub fn new(lang: Lang, intro: Intro, names: Vec<String>, size: (u16, u16)) -> Model {
        let mut m = Model {
            texts: Texts::new(lang),
            intro,
            course: None,
            panes: names.into_iter().map(|name| PaneState::new(name, 24, 80)).collect(),
            focus: Focus::Node(0),
            zoom: false,
            help: false,
            speed: Speed::Times(1),
            cluster: Snapshot::default(),
            notice: None,
            lesson_scroll: 0,
            selection: None,
            clipboard: None,
            size,
            quit: false,
        };
        let (rows, cols) = m.layout().pty_size;
        for p in &mut m.panes {
            p.resize(rows, cols);
        }
        m
    }

    pub fn layout(&self) -> Layout {
        let area = Rect { x: 0, y: 0, width: self.size.0, height: self.size.1 };
        layout::layout(area, self.shown(), self.focus, self.zoom)
    }

    fn focused_pane(&self) -> Option<usize> {
        match self.focus {
            Focus::Node(i) if i < self.shown() => Some(i),
            _ => None,
        }
    }

    /// Is pane `i`'s node powered off (its shell then takes no commands)?
    pub fn powered_off(&self, i: usize) -> bool {
        let Some(p) = self.panes.get(i) else { return false };
        self.cluster.nodes.iter().any(|n| n.name == p.name && !n.powered)
    }

    /// How many node panes are shown: the lesson's own nodes (the lab runs as many as
    /// the course's largest lesson needs), else every one.
    pub fn shown(&self) -> usize {
        let lesson_nodes = self.course.as_ref().and_then(|c| c.current()).map(|l| l.nodes.len());
        lesson_nodes.map_or(self.panes.len(), |n| n.clamp(1, self.panes.len().max(1)))
    }

    /// Opens lesson `lesson` at `step` on a fresh cluster: the panes start afresh too,
    /// as many as the lesson has, so nothing on screen belongs to the cluster before.
    pub fn open_lesson(&mut self, lesson: usize, step: usize) -> Vec<Effect> {
        let Some(c) = self.course.as_mut() else { return Vec::new() };
        c.open(lesson, step);
        if let Focus::Node(i) = self.focus
            && i >= self.shown()
        {
            self.focus = Focus::Node(0);
        }
        let mut effects = vec![Effect::Open(lesson, step), Effect::SaveProgress];
        effects.extend(self.fit());
        for (i, p) in self.panes.iter_mut().enumerate() {
            p.blank();
            let (rows, cols) = p.parser.screen().size();
            p.exited = false;
            effects.push(Effect::Respawn(i, rows, cols));
        }
        effects
    }

    /// Sizes every parser to the layout, and asks for the ptys to follow.
    fn fit(&mut self) -> Vec<Effect> {
        let (rows, cols) = self.layout().pty_size;
        let mut out = Vec::new();
        for (i, p) in self.panes.iter_mut().enumerate() {
            if p.parser.screen().size() != (rows, cols) {
                p.resize(rows, cols);
                out.push(Effect::Resize(i, rows, cols));
            }
        }
        out
    }

    /// `text` typed into the focused pane as a paste (bracketed when its shell asks).
    fn paste(&mut self, text: &str) -> Vec<Effect> {
        match self.focused_pane() {
            Some(i) if self.powered_off(i) => {
                self.notice = Some(Notice::PoweredOff(self.panes[i].name.clone()));
                Vec::new()
            }
            Some(i) if !self.panes[i].exited => {
                let mut bytes = Vec::new();
                let bracketed = self.panes[i].parser.screen().bracketed_paste();
                if bracketed {
                    bytes.extend_from_slice(b"\x1b[200~");
                }
                bytes.extend(text.replace("\r\n", "\r").replace('\n', "\r").bytes());
                if bracketed {
                    bytes.extend_from_slice(b"\x1b[201~");
                }
                vec![Effect::Write(i, bytes)]
            }
            _ => Vec::new(),
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let place = self.course.as_ref().map(|c| (c.lesson, c.step));
        let effects = self.apply(msg);
        if self.course.as_ref().map(|c| (c.lesson, c.step)) != place {
            // A new step is read from its top.
            self.lesson_scroll = 0;
        }
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            Msg::Key(_) => Vec::new(),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Paste(text) => self.paste(&text),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.fit()
            }
            Msg::PtyOutput(i, bytes) => {
                if let Some(p) = self.panes.get_mut(i) {
                    p.feed(&bytes);
                }
                Vec::new()
            }
            Msg::PtyExited(i) => {
                if let Some(p) = self.panes.get_mut(i) {
                    p.exited = true;
                }
                Vec::new()
            }
            Msg::Cluster(s) => {
                self.cluster = s;
                Vec::new()
            }
            Msg::Speed(s) => {
                self.speed = s;
                self.notice = Some(Notice::Speed(s));
                Vec::new()
            }
            Msg::Notice(n) => {
                self.notice = Some(n);
                Vec::new()
            }
            Msg::Checked { generation, passed, ran, feedback } => {
                let Some(c) = self.course.as_mut() else { return Vec::new() };
                if generation != c.generation {
                    return Vec::new();
                }
                if !passed {
                    // Said once the learner has tried something; updated as the cluster changes.
                    if !ran.is_empty() && !c.held {
                        c.feedback = feedback;
                        // "Step done" belongs to the step before: the pane now says what
                        // this one lacks, and the status bar must not say otherwise.
                        if matches!(
                            self.notice,
                            Some(Notice::StepDone | Notice::StepPassed | Notice::LessonDone | Notice::Restarted(_))
                        ) {
                            self.notice = None;
                        }
                    }
                    return Vec::new();
                }
                match c.passed(&ran) {
                    course::Passed::No => Vec::new(),
                    course::Passed::Stayed => {
                        self.notice = Some(Notice::StepPassed);
                        vec![Effect::SaveProgress]
                    }
                    course::Passed::LessonDone => {
                        self.notice = Some(Notice::LessonDone);
                        vec![Effect::SaveProgress]
                    }
                    course::Passed::Moved => {
                        self.notice = Some(Notice::StepDone);
                        // The next step may already hold (a learner ahead of the lesson).
                        vec![Effect::SaveProgress, Effect::Recheck]
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEventKind};

    fn model(w: u16, h: u16) -> Model {
        let intro = Intro { title: "welcome-title", body: "welcome-body", args: Vec::new() };
        Model::new(Lang::En, intro, vec!["node1".into(), "node2".into(), "node3".into()], (w, h))
    }

    fn key(code: KeyCode, m: KeyModifiers) -> Msg {
        Msg::Key(KeyEvent::new(code, m))
    }

    #[test]
    fn keys_go_to_the_focused_pane_and_lab_keys_do_not() {
        let mut m = model(200, 50);
        assert_eq!(m.update(key(KeyCode::Char('l'), KeyModifiers::NONE)), vec![Effect::Write(0, b"l".to_vec())]);
        assert!(m.update(key(KeyCode::Char('2'), KeyModifiers::ALT)).is_empty());
        assert_eq!(m.focus, Focus::Node(1));
        assert_eq!(m.update(key(KeyCode::Enter, KeyModifiers::NONE)), vec![Effect::Write(1, b"\r".to_vec())]);
        assert_eq!(m.update(key(KeyCode::F(4), KeyModifiers::NONE)), vec![Effect::SetSpeed(Speed::Times(10))]);
        assert_eq!(m.update(key(KeyCode::F(5), KeyModifiers::NONE)), vec![Effect::SkipAhead]);
        m.update(key(KeyCode::F(1), KeyModifiers::NONE));
        assert!(m.help);
        assert!(m.update(key(KeyCode::Char('x'), KeyModifiers::NONE)).is_empty(), "a key closes help, typed nowhere");
        assert!(!m.help);
        assert_eq!(m.update(key(KeyCode::F(10), KeyModifiers::NONE)), vec![Effect::Quit]);
    }

    #[test]
    fn a_powered_off_node_takes_no_keys_until_it_is_on_again() {
        let mut m = model(200, 50);
        let nodes = (1..=3)
            .map(|i| snapshot::NodeView {
                name: format!("node{i}"),
                powered: i != 2,
                connected: true,
                ..Default::default()
            })
            .collect();
        let mut s = snapshot::Snapshot { nodes, ..Default::default() };
        m.update(Msg::Cluster(s.clone()));
        m.update(key(KeyCode::Char('2'), KeyModifiers::ALT));
        assert!(m.update(key(KeyCode::Char('l'), KeyModifiers::NONE)).is_empty());
        assert_eq!(m.notice, Some(Notice::PoweredOff("node2".into())));
        assert!(m.update(Msg::Paste("ls".into())).is_empty());
        // The lab's own keys still work: F6 powers it on.
        assert_eq!(m.update(key(KeyCode::F(6), KeyModifiers::NONE)), vec![Effect::Power(1, true)]);
        s.nodes[1].powered = true;
        m.update(Msg::Cluster(s));
        assert_eq!(m.update(key(KeyCode::Char('l'), KeyModifiers::NONE)), vec![Effect::Write(1, b"l".to_vec())]);
    }

    #[test]
    fn a_lesson_shows_its_own_nodes_and_opens_on_fresh_panes() {
        let intro = Intro { title: "welcome-title", body: "welcome-body", args: Vec::new() };
        let names: Vec<String> = (1..=5).map(|i| format!("node{i}")).collect();
        let mut m = Model::new(Lang::En, intro, names, (200, 50));
        assert_eq!(m.layout().panes.len(), 5, "free play: every node");
        m.course = Some(course::Course::new(crate::lesson::bundled(Lang::En), Default::default()));
        m.open_lesson(0, 0);
        assert_eq!((m.shown(), m.layout().panes.len()), (3, 3), "lesson 1 has three hosts");
        m.update(key(KeyCode::Char('5'), KeyModifiers::ALT));
        assert_eq!(m.focus, Focus::Node(2), "no hidden node can take the focus");
        m.update(Msg::PtyOutput(0, b"old cluster's output".to_vec()));
        let last = m.course.as_ref().map_or(0, |c| c.lessons.len() - 1);
        let effects = m.open_lesson(last, 0);
        assert!(effects.contains(&Effect::Open(last, 0)));
        let respawned = effects.iter().filter(|e| matches!(e, Effect::Respawn(..))).count();
        assert_eq!(respawned, 5, "every shell starts again, at the new cluster");
        assert!(!m.panes[0].parser.screen().contents().contains("old cluster"), "the panes start blank");
        assert_eq!(m.shown(), 5, "the final challenge has five nodes");
    }

    #[test]
    fn reset_needs_two_presses_and_crash_targets_the_focused_node() {
        let mut m = model(200, 50);
        assert!(m.update(key(KeyCode::F(12), KeyModifiers::NONE)).is_empty());
        assert_eq!(m.notice, Some(Notice::ConfirmReset));
        assert_eq!(m.update(key(KeyCode::F(12), KeyModifiers::NONE)), vec![Effect::Reset]);
        m.update(key(KeyCode::Char('3'), KeyModifiers::ALT));
        assert_eq!(m.update(key(KeyCode::F(8), KeyModifiers::NONE)), vec![Effect::Crash(2)]);
    }

    #[test]
    fn zoom_and_resize_resize_every_pty_with_its_parser() {
        let mut m = model(80, 24);
        let before = m.panes[0].parser.screen().size();
        let fx = m.update(key(KeyCode::F(3), KeyModifiers::NONE));
        assert_eq!(fx.len(), 3);
        let Effect::Resize(_, rows, cols) = fx[0] else { panic!("{fx:?}") };
        assert_eq!(m.panes[2].parser.screen().size(), (rows, cols));
        assert_ne!((rows, cols), before);
        assert!(m.update(Msg::Resize(80, 24)).is_empty(), "same size, nothing to do");
        assert_eq!(m.update(Msg::Resize(100, 30)).len(), 3);
    }

    #[test]
    fn paste_is_bracketed_when_the_shell_asks_for_it() {
        let mut m = model(200, 50);
        assert_eq!(m.update(Msg::Paste("a\nb".into())), vec![Effect::Write(0, b"a\rb".to_vec())]);
        m.update(Msg::PtyOutput(0, b"\x1b[?2004h".to_vec()));
        assert_eq!(m.update(Msg::Paste("x".into())), vec![Effect::Write(0, b"\x1b[200~x\x1b[201~".to_vec())]);
    }

    #[test]
    fn an_exited_shell_restarts_on_enter_only() {
        let mut m = model(200, 50);
        m.update(Msg::PtyExited(0));
        assert!(m.update(key(KeyCode::Char('a'), KeyModifiers::NONE)).is_empty());
        let (rows, cols) = m.layout().pty_size;
        assert_eq!(m.update(key(KeyCode::Enter, KeyModifiers::NONE)), vec![Effect::Respawn(0, rows, cols)]);
        assert!(!m.panes[0].exited);
    }

    #[test]
    fn scrollback_moves_with_shift_page_keys_and_typing_returns_to_the_bottom() {
        let mut m = model(200, 50);
        let lines: String = (0..200).map(|i| format!("line {i}\r\n")).collect();
        m.update(Msg::PtyOutput(0, lines.into_bytes()));
        m.update(key(KeyCode::PageUp, KeyModifiers::SHIFT));
        assert!(m.panes[0].parser.screen().scrollback() > 0);
        m.update(key(KeyCode::Char('a'), KeyModifiers::NONE));
        assert_eq!(m.panes[0].parser.screen().scrollback(), 0);
    }

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
        Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })
    }

    #[test]
    fn a_drag_selects_inside_one_pane_copies_the_wrapped_line_whole_and_alt_v_pastes_it() {
        let mut m = model(120, 40);
        let layout = m.layout();
        let (_, r0) = layout.panes[0];
        let width = usize::from(r0.width - 2);
        let line = format!("docker swarm join --token SWMTKN-1-{}", "a".repeat(width));
        m.update(Msg::PtyOutput(0, format!("{line}\r\n$ ").into_bytes()));
        let left = MouseButton::Left;
        m.update(mouse(MouseEventKind::Down(left), r0.x + 1, r0.y + 1));
        // Dragged out of the pane: the selection stays in it, to its last cell.
        m.update(mouse(MouseEventKind::Drag(left), 119, r0.y + 2));
        let s = m.selection.expect("selecting");
        assert_eq!((s.pane, s.anchor, s.head), (0, (0, 0), (1, r0.width - 3)));
        let fx = m.update(mouse(MouseEventKind::Up(left), 119, r0.y + 2));
        assert_eq!(fx, vec![Effect::Copy(line.clone())], "one line, not two");
        assert_eq!(m.clipboard.as_deref(), Some(line.as_str()));
        assert_eq!(m.notice, Some(Notice::Copied(line.chars().count())));
        m.update(key(KeyCode::Char('2'), KeyModifiers::ALT));
        assert!(m.selection.is_none(), "a key ends the selection");
        assert_eq!(m.update(key(KeyCode::Char('v'), KeyModifiers::ALT)), vec![Effect::Write(1, line.into_bytes())]);
        // A click alone selects nothing and copies nothing.
        m.update(mouse(MouseEventKind::Down(left), r0.x + 3, r0.y + 1));
        assert!(m.update(mouse(MouseEventKind::Up(left), r0.x + 3, r0.y + 1)).is_empty());
        assert!(m.selection.is_none());
    }
}
