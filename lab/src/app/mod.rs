//! The lab's screen state and how it changes: an Elm-style model, `update(msg)`
//! returning effects (write to a pty, resize it, change the world…) that the event
//! loop performs. No I/O here.

pub mod course;
pub mod layout;
pub mod snapshot;

use crate::i18n::{Lang, Texts};
use crate::term::keys;
use crate::world::Speed;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use layout::{Focus, Layout};
use ratatui::layout::Rect;
use snapshot::Snapshot;

/// Lines of scrollback each pane keeps.
pub const SCROLLBACK: usize = 5000;

/// What the lesson pane shows until lessons arrive: a message key and its arguments.
#[derive(Debug, Clone)]
pub struct Intro {
    pub title: &'static str,
    pub body: &'static str,
    pub args: Vec<(&'static str, String)>,
}

pub struct PaneState {
    pub name: String,
    pub parser: vt100::Parser,
    pub exited: bool,
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
    /// The loop evaluated the check of the step with this generation.
    Checked {
        generation: u64,
        passed: bool,
    },
}

/// A one-line message in the status bar, worded in the current language when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Speed(Speed),
    Skipped(u64),
    Power(String, bool),
    Network(String, bool),
    Port { port: u16, addr: String, alt: u16 },
    Crashed(String),
    NothingToCrash(String),
    StepDone,
    LessonDone,
    ProgressCorrupt(String),
    ProgressUnsaved(String),
    LessonError(String),
    ConfirmReset,
    Reset,
}

impl Notice {
    pub fn text(&self, t: &Texts) -> String {
        match self {
            Notice::Speed(s) => {
                let speed = match s {
                    Speed::Paused => t.get("speed-paused"),
                    Speed::Times(n) => format!("{n}x"),
                };
                t.args("notice-speed", &[("speed", &speed)])
            }
            Notice::Skipped(secs) => t.args("notice-skip", &[("seconds", &secs.to_string())]),
            Notice::Power(node, on) => {
                t.args(if *on { "notice-power-on" } else { "notice-power-off" }, &[("node", node)])
            }
            Notice::Network(node, on) => {
                t.args(if *on { "notice-reconnect" } else { "notice-disconnect" }, &[("node", node)])
            }
            Notice::Crashed(name) => t.args("notice-crashed", &[("container", name)]),
            Notice::NothingToCrash(node) => t.args("notice-nothing-to-crash", &[("node", node)]),
            Notice::ConfirmReset => t.get("notice-confirm-reset"),
            Notice::StepDone => t.get("notice-step-done"),
            Notice::LessonDone => t.get("notice-lesson-done"),
            Notice::ProgressCorrupt(path) => t.args("notice-progress-corrupt", &[("path", path)]),
            Notice::ProgressUnsaved(e) => t.args("notice-progress-unsaved", &[("error", e)]),
            Notice::LessonError(e) => t.args("notice-lesson-error", &[("error", e)]),
            Notice::Reset => t.get("notice-reset"),
            Notice::Port { port, addr, alt } => {
                t.args("notice-port", &[("port", &port.to_string()), ("addr", addr), ("alt", &alt.to_string())])
            }
        }
    }
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
    Quit,
}

impl Model {
    pub fn new(lang: Lang, intro: Intro, names: Vec<String>, size: (u16, u16)) -> Model {
        let mut m = Model {
            texts: Texts::new(lang),
            intro,
            course: None,
            panes: names
                .into_iter()
                .map(|name| PaneState { name, parser: vt100::Parser::new(24, 80, SCROLLBACK), exited: false })
                .collect(),
            focus: Focus::Node(0),
            zoom: false,
            help: false,
            speed: Speed::Times(1),
            cluster: Snapshot::default(),
            notice: None,
            lesson_scroll: 0,
            size,
            quit: false,
        };
        let (rows, cols) = m.layout().pty_size;
        for p in &mut m.panes {
            p.parser.screen_mut().set_size(rows, cols);
        }
        m
    }

    pub fn layout(&self) -> Layout {
        let area = Rect { x: 0, y: 0, width: self.size.0, height: self.size.1 };
        layout::layout(area, self.panes.len(), self.focus, self.zoom)
    }

    fn focused_pane(&self) -> Option<usize> {
        match self.focus {
            Focus::Node(i) if i < self.panes.len() => Some(i),
            _ => None,
        }
    }

    /// Sizes every parser to the layout, and asks for the ptys to follow.
    fn fit(&mut self) -> Vec<Effect> {
        let (rows, cols) = self.layout().pty_size;
        let mut out = Vec::new();
        for (i, p) in self.panes.iter_mut().enumerate() {
            if p.parser.screen().size() != (rows, cols) {
                p.parser.screen_mut().set_size(rows, cols);
                out.push(Effect::Resize(i, rows, cols));
            }
        }
        out
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            Msg::Key(_) => Vec::new(),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Paste(text) => match self.focused_pane() {
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
            },
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.fit()
            }
            Msg::PtyOutput(i, bytes) => {
                if let Some(p) = self.panes.get_mut(i) {
                    p.parser.process(&bytes);
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
            Msg::Checked { generation, passed } => {
                let Some(c) = self.course.as_mut() else { return Vec::new() };
                if generation != c.generation || !passed || !c.passed() {
                    return Vec::new();
                }
                self.notice = Some(if c.lesson_complete() { Notice::LessonDone } else { Notice::StepDone });
                // The next step may already hold (a learner ahead of the lesson).
                vec![Effect::SaveProgress, Effect::Recheck]
            }
        }
    }

    fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let confirming = self.notice == Some(Notice::ConfirmReset);
        let effects = self.key_inner(k);
        if confirming && self.notice == Some(Notice::ConfirmReset) && !effects.is_empty() {
            self.notice = None;
        }
        effects
    }

    fn key_inner(&mut self, k: KeyEvent) -> Vec<Effect> {
        if self.help {
            self.help = false;
            return Vec::new();
        }
        if let Some(effects) = self.course_key(&k) {
            return effects;
        }
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        let lab_key = match (k.code, alt) {
            (KeyCode::F(n), _) => Some(n),
            (KeyCode::Char(c), true) => match c {
                'h' => Some(1),
                'n' => Some(2),
                'z' => Some(3),
                's' => Some(4),
                'f' => Some(5),
                'p' => Some(6),
                'd' => Some(7),
                'c' => Some(8),
                'l' => Some(9),
                'r' => Some(12),
                'q' => Some(10),
                '0'..='9' => {
                    let n = c as usize - '0' as usize;
                    self.focus = if n == 0 { Focus::Lesson } else { Focus::Node((n - 1).min(self.panes.len() - 1)) };
                    return self.fit();
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(n) = lab_key {
            return self.lab_key(n);
        }
        if shift && matches!(k.code, KeyCode::PageUp | KeyCode::PageDown) {
            if let Some(i) = self.focused_pane() {
                let rows = usize::from(self.panes[i].parser.screen().size().0 / 2).max(1);
                let screen = self.panes[i].parser.screen_mut();
                let now = screen.scrollback();
                screen.set_scrollback(if k.code == KeyCode::PageUp { now + rows } else { now.saturating_sub(rows) });
            }
            return Vec::new();
        }
        match self.focused_pane() {
            Some(i) => {
                let p = &mut self.panes[i];
                if p.exited {
                    return if k.code == KeyCode::Enter {
                        p.exited = false;
                        let (rows, cols) = p.parser.screen().size();
                        vec![Effect::Respawn(i, rows, cols)]
                    } else {
                        Vec::new()
                    };
                }
                p.parser.screen_mut().set_scrollback(0);
                let bytes = keys::encode(&k, p.parser.screen().application_cursor());
                if bytes.is_empty() { Vec::new() } else { vec![Effect::Write(i, bytes)] }
            }
            None => {
                match k.code {
                    KeyCode::Up => self.lesson_scroll = self.lesson_scroll.saturating_sub(1),
                    KeyCode::Down => self.lesson_scroll = self.lesson_scroll.saturating_add(1),
                    KeyCode::PageUp => self.lesson_scroll = self.lesson_scroll.saturating_sub(10),
                    KeyCode::PageDown => self.lesson_scroll = self.lesson_scroll.saturating_add(10),
                    KeyCode::Home => self.lesson_scroll = 0,
                    _ => {}
                }
                Vec::new()
            }
        }
    }

    /// F1…F10 and their Alt equivalents.
    fn lab_key(&mut self, n: u8) -> Vec<Effect> {
        let node = self.focused_pane();
        match n {
            1 => self.help = true,
            2 => {
                let count = self.panes.len();
                self.focus = match self.focus {
                    Focus::Lesson => Focus::Node(0),
                    Focus::Node(i) if i + 1 < count => Focus::Node(i + 1),
                    Focus::Node(_) => Focus::Lesson,
                };
                return self.fit();
            }
            3 => {
                self.zoom = !self.zoom;
                return self.fit();
            }
            4 => {
                let next = match self.speed {
                    Speed::Times(1) => Speed::Times(10),
                    Speed::Times(_) => Speed::Paused,
                    Speed::Paused => Speed::Times(1),
                };
                return vec![Effect::SetSpeed(next)];
            }
            5 => return vec![Effect::SkipAhead],
            6 => {
                if let Some(i) = node {
                    let on = !self.cluster.nodes.get(i).is_some_and(|n| n.powered);
                    return vec![Effect::Power(i, on)];
                }
            }
            7 => {
                if let Some(i) = node {
                    let connect = !self.cluster.nodes.get(i).is_some_and(|n| n.connected);
                    return vec![Effect::Connect(i, connect)];
                }
            }
            8 => {
                if let Some(i) = node {
                    return vec![Effect::Crash(i)];
                }
            }
            9 => {
                self.texts = Texts::new(self.texts.lang.other());
                if let Some(c) = self.course.as_mut() {
                    c.relocalise(crate::lesson::bundled(self.texts.lang));
                }
            }
            12 => {
                // Resetting throws the cluster away: the key must be pressed twice.
                if self.notice == Some(Notice::ConfirmReset) {
                    self.notice = Some(Notice::Reset);
                    return vec![Effect::Reset];
                }
                self.notice = Some(Notice::ConfirmReset);
            }
            10 => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            _ => {}
        }
        Vec::new()
    }

    /// Lesson keys: Alt+t/i/o/g/←/→ anywhere; t, h, s, n, p, r, R, l in the lesson
    /// pane; arrows, Enter and Esc in the picker. None when the key is not one of them.
    fn course_key(&mut self, k: &KeyEvent) -> Option<Vec<Effect>> {
        let names: Vec<String> = self.panes.iter().map(|p| p.name.clone()).collect();
        let lesson_focus = self.focus == Focus::Lesson;
        let c = self.course.as_mut()?;
        if c.picker.is_some() {
            match k.code {
                KeyCode::Up => c.picker_move(-1),
                KeyCode::Down => c.picker_move(1),
                KeyCode::PageUp => c.picker_move(-5),
                KeyCode::PageDown => c.picker_move(5),
                KeyCode::Enter => {
                    let (l, s) = c.picker.take()?;
                    c.open(l, s);
                    return Some(vec![Effect::Open(l, s), Effect::SaveProgress]);
                }
                KeyCode::Esc => c.picker = None,
                _ => {}
            }
            return Some(Vec::new());
        }
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let action = match (k.code, alt) {
            (KeyCode::Char('t'), true) | (KeyCode::Char('t'), false) if alt || lesson_focus => 't',
            (KeyCode::Char('i'), true) | (KeyCode::Char('h'), false) if alt || lesson_focus => 'h',
            (KeyCode::Char('o'), true) | (KeyCode::Char('s'), false) if alt || lesson_focus => 's',
            (KeyCode::Right, true) | (KeyCode::Char('n'), false) if alt || lesson_focus => 'n',
            (KeyCode::Left, true) | (KeyCode::Char('p'), false) if alt || lesson_focus => 'p',
            (KeyCode::Char('g'), true) | (KeyCode::Char('l'), false) if alt || lesson_focus => 'l',
            (KeyCode::Char('r'), false) if lesson_focus => 'r',
            (KeyCode::Char('R'), false) if lesson_focus => 'R',
            _ => return None,
        };
        let effects = match action {
            't' => match c.take_block() {
                Some((node, lines)) => match names.iter().position(|n| *n == node) {
                    Some(i) => {
                        self.focus = Focus::Node(i);
                        vec![Effect::Type(i, lines)]
                    }
                    None => Vec::new(),
                },
                None => Vec::new(),
            },
            'h' => {
                c.next_hint();
                Vec::new()
            }
            's' => {
                c.solution = true;
                Vec::new()
            }
            'n' => {
                c.go(c.step + 1);
                vec![Effect::SaveProgress, Effect::Recheck]
            }
            'p' => {
                c.go(c.step.saturating_sub(1));
                vec![Effect::SaveProgress, Effect::Recheck]
            }
            'l' => {
                c.picker = Some((c.lesson, c.step));
                Vec::new()
            }
            'r' => vec![Effect::Open(c.lesson, c.step)],
            _ => {
                c.open(c.lesson, 0);
                vec![Effect::Open(c.lesson, 0), Effect::SaveProgress]
            }
        };
        Some(effects)
    }

    fn mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let layout = self.layout();
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if self.help {
                    self.help = false;
                    return Vec::new();
                }
                let labels: Vec<usize> = self.panes.iter().map(|p| p.name.len() + 2).collect();
                if let Some(i) = layout.tab_at(m.column, m.row, &labels) {
                    self.focus = Focus::Node(i);
                } else if let Some(f) = layout.hit(m.column, m.row) {
                    self.focus = f;
                }
                Vec::new()
            }
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
                let up = m.kind == MouseEventKind::ScrollUp;
                match layout.hit(m.column, m.row) {
                    Some(Focus::Node(i)) => {
                        let screen = self.panes[i].parser.screen_mut();
                        let now = screen.scrollback();
                        screen.set_scrollback(if up { now + 3 } else { now.saturating_sub(3) });
                    }
                    Some(Focus::Lesson) => {
                        self.lesson_scroll = if up {
                            self.lesson_scroll.saturating_sub(3)
                        } else {
                            self.lesson_scroll.saturating_add(3)
                        };
                    }
                    None => {}
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
