//! Keys and the mouse: what each does to the model, and the effects it asks for.

use super::layout::Focus;
use super::layout::Layout;
use super::{Effect, Model, Notice, Selection};
use crate::clock::Speed;
use crate::i18n::Texts;
use crate::term::keys;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// The lab's own keys: an F key, or the Alt letter that stands for it in terminals
/// that keep F keys for themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabKey {
    Help,
    NextPane,
    Zoom,
    Speed,
    Skip,
    Power,
    Network,
    Crash,
    Language,
    Quit,
    Reset,
}

impl LabKey {
    const ALL: [(u8, char, LabKey); 11] = [
        (1, 'h', LabKey::Help),
        (2, 'n', LabKey::NextPane),
        (3, 'z', LabKey::Zoom),
        (4, 's', LabKey::Speed),
        (5, 'f', LabKey::Skip),
        (6, 'p', LabKey::Power),
        (7, 'd', LabKey::Network),
        (8, 'c', LabKey::Crash),
        (9, 'l', LabKey::Language),
        (10, 'q', LabKey::Quit),
        (12, 'r', LabKey::Reset),
    ];

    fn of_f(n: u8) -> Option<LabKey> {
        Self::ALL.iter().find(|(f, _, _)| *f == n).map(|(_, _, k)| *k)
    }

    fn of_alt(c: char) -> Option<LabKey> {
        Self::ALL.iter().find(|(_, a, _)| *a == c).map(|(_, _, k)| *k)
    }
}

impl Model {
    pub(super) fn key(&mut self, k: KeyEvent) -> Vec<Effect> {
        self.selection = None;
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
            (KeyCode::F(n), _) => LabKey::of_f(n),
            (KeyCode::Char(c), true) => match c {
                'v' => {
                    // The lab's own paste: what was last selected in a pane.
                    let text = self.clipboard.clone().unwrap_or_default();
                    return if text.is_empty() { Vec::new() } else { self.paste(&text) };
                }
                '0'..='9' => {
                    let n = c as usize - '0' as usize;
                    self.focus = if n == 0 { Focus::Lesson } else { Focus::Node((n - 1).min(self.shown() - 1)) };
                    return self.fit();
                }
                c => LabKey::of_alt(c),
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
            Some(i) if self.powered_off(i) => {
                self.notice = Some(Notice::PoweredOff(self.panes[i].name.clone()));
                Vec::new()
            }
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
    fn lab_key(&mut self, key: LabKey) -> Vec<Effect> {
        let node = self.focused_pane();
        match key {
            LabKey::Help => self.help = true,
            LabKey::NextPane => {
                let count = self.shown();
                self.focus = match self.focus {
                    Focus::Lesson => Focus::Node(0),
                    Focus::Node(i) if i + 1 < count => Focus::Node(i + 1),
                    Focus::Node(_) => Focus::Lesson,
                };
                return self.fit();
            }
            LabKey::Zoom => {
                self.zoom = !self.zoom;
                return self.fit();
            }
            LabKey::Speed => {
                let next = match self.speed {
                    Speed::Times(1) => Speed::Times(10),
                    Speed::Times(_) => Speed::Paused,
                    Speed::Paused => Speed::Times(1),
                };
                return vec![Effect::SetSpeed(next)];
            }
            LabKey::Skip => return vec![Effect::SkipAhead],
            LabKey::Power => {
                if let Some(i) = node {
                    let on = !self.cluster.nodes.get(i).is_some_and(|n| n.powered);
                    return vec![Effect::Power(i, on)];
                }
            }
            LabKey::Network => {
                if let Some(i) = node {
                    let connect = !self.cluster.nodes.get(i).is_some_and(|n| n.connected);
                    return vec![Effect::Connect(i, connect)];
                }
            }
            LabKey::Crash => {
                if let Some(i) = node {
                    return vec![Effect::Crash(i)];
                }
            }
            LabKey::Language => {
                self.texts = Texts::new(self.texts.lang.other());
                if let Some(c) = self.course.as_mut() {
                    c.relocalise(crate::lesson::bundled(self.texts.lang));
                }
            }
            LabKey::Reset => {
                // Resetting throws the cluster away: the key must be pressed twice.
                if self.notice == Some(Notice::ConfirmReset) {
                    self.notice = Some(Notice::Reset);
                    return vec![Effect::Reset];
                }
                self.notice = Some(Notice::ConfirmReset);
            }
            LabKey::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
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
                    return Some(self.open_lesson(l, s));
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
            (KeyCode::Char('u'), true) => 'r',
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
            'r' => {
                let (l, s) = (c.lesson, c.step);
                self.notice = Some(Notice::Restarted(Some(s + 1)));
                self.open_lesson(l, s)
            }
            _ => {
                let l = c.lesson;
                self.notice = Some(Notice::Restarted(None));
                self.open_lesson(l, 0)
            }
        };
        Some(effects)
    }

    pub(super) fn mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let layout = self.layout();
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if self.help {
                    self.help = false;
                    return Vec::new();
                }
                let labels: Vec<usize> = self.panes.iter().map(|p| p.name.len() + 2).collect();
                self.selection = None;
                if let Some(i) = layout.tab_at(m.column, m.row, &labels) {
                    self.focus = Focus::Node(i);
                } else if let Some(f) = layout.hit(m.column, m.row) {
                    self.focus = f;
                    if let Focus::Node(i) = f
                        && let Some(at) = cell_in(&layout, i, m.column, m.row, false)
                    {
                        self.selection = Some(Selection { pane: i, anchor: at, head: at });
                    }
                }
                Vec::new()
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                // A selection stays in the pane it started in, whatever the mouse crosses.
                if let Some(s) = self.selection.as_mut()
                    && let Some(at) = cell_in(&layout, s.pane, m.column, m.row, true)
                {
                    s.head = at;
                }
                Vec::new()
            }
            MouseEventKind::Up(MouseButton::Left) => {
                let Some(s) = self.selection.filter(|s| s.anchor != s.head) else {
                    self.selection = None;
                    return Vec::new();
                };
                let text = self.panes.get(s.pane).map(|p| s.text(p.parser.screen())).unwrap_or_default();
                if text.is_empty() {
                    return Vec::new();
                }
                self.notice = Some(Notice::Copied(text.chars().count()));
                self.clipboard = Some(text.clone());
                vec![Effect::Copy(text)]
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

/// The cell (row, col) of pane `pane` under the mouse, inside its border; `clamp` brings
/// a point outside the pane to its nearest cell (a drag that leaves the pane).
fn cell_in(layout: &Layout, pane: usize, column: u16, row: u16, clamp: bool) -> Option<(u16, u16)> {
    let rect = layout.panes.iter().find(|(i, _)| *i == pane)?.1;
    let (x0, y0) = (rect.x + 1, rect.y + 1);
    let (x1, y1) = (rect.right().checked_sub(2)?, rect.bottom().checked_sub(2)?);
    let inside = (x0..=x1).contains(&column) && (y0..=y1).contains(&row);
    if !clamp && !inside {
        return None;
    }
    Some((row.clamp(y0, y1) - y0, column.clamp(x0, x1) - x0))
}
