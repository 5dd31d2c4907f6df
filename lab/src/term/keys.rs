//! Key presses to the bytes an xterm sends, for the shell in a pane.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The bytes for `key`; `app_cursor` is the pane's DECCKM (arrows as SS3).
pub fn encode(key: &KeyEvent, app_cursor: bool) -> Vec<u8> {
    let m = key.modifiers;
    let mut out = Vec::new();
    if m.contains(KeyModifiers::ALT) {
        out.push(0x1b);
    }
    let csi_mod = modifier_param(m);
    let arrow = |c: u8| -> Vec<u8> {
        match csi_mod {
            Some(p) => format!("\x1b[1;{p}{}", c as char).into_bytes(),
            None if app_cursor => vec![0x1b, b'O', c],
            None => vec![0x1b, b'[', c],
        }
    };
    let tilde = |n: u8| -> Vec<u8> {
        match csi_mod {
            Some(p) => format!("\x1b[{n};{p}~").into_bytes(),
            None => format!("\x1b[{n}~").into_bytes(),
        }
    };
    match key.code {
        KeyCode::Char(c) if m.contains(KeyModifiers::CONTROL) => match c.to_ascii_lowercase() {
            c @ 'a'..='z' => out.push(c as u8 - b'a' + 1),
            ' ' | '@' | '2' => out.push(0),
            '[' | '3' => out.push(0x1b),
            '\\' | '4' => out.push(0x1c),
            ']' | '5' => out.push(0x1d),
            '^' | '6' => out.push(0x1e),
            '_' | '7' | '/' => out.push(0x1f),
            '8' | '?' => out.push(0x7f),
            other => out.extend(other.to_string().bytes()),
        },
        KeyCode::Char(c) => out.extend(c.to_string().bytes()),
        KeyCode::Enter => out.push(b'\r'),
        KeyCode::Backspace => out.push(0x7f),
        KeyCode::Tab => out.push(b'\t'),
        KeyCode::BackTab => out.extend(b"\x1b[Z"),
        KeyCode::Esc => out.push(0x1b),
        KeyCode::Up => out.extend(arrow(b'A')),
        KeyCode::Down => out.extend(arrow(b'B')),
        KeyCode::Right => out.extend(arrow(b'C')),
        KeyCode::Left => out.extend(arrow(b'D')),
        KeyCode::Home => out.extend(arrow(b'H')),
        KeyCode::End => out.extend(arrow(b'F')),
        KeyCode::Insert => out.extend(tilde(2)),
        KeyCode::Delete => out.extend(tilde(3)),
        KeyCode::PageUp => out.extend(tilde(5)),
        KeyCode::PageDown => out.extend(tilde(6)),
        KeyCode::F(n @ 1..=4) => out.extend([0x1b, b'O', b'P' + n - 1]),
        KeyCode::F(n @ 5..=12) => out.extend(tilde([15, 17, 18, 19, 20, 21, 23, 24][usize::from(n - 5)])),
        _ => {}
    }
    out
}

/// xterm's modifier parameter (Shift 2, Alt 3, Ctrl 5 …), when any is held.
fn modifier_param(m: KeyModifiers) -> Option<u8> {
    let mut p = 1;
    if m.contains(KeyModifiers::SHIFT) {
        p += 1;
    }
    if m.contains(KeyModifiers::ALT) {
        p += 2;
    }
    if m.contains(KeyModifiers::CONTROL) {
        p += 4;
    }
    (p > 1).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn encodes_like_xterm() {
        let none = KeyModifiers::NONE;
        assert_eq!(encode(&key(KeyCode::Enter, none), false), b"\r");
        assert_eq!(encode(&key(KeyCode::Backspace, none), false), [0x7f]);
        assert_eq!(encode(&key(KeyCode::Char('c'), KeyModifiers::CONTROL), false), [3]);
        assert_eq!(encode(&key(KeyCode::Char('b'), KeyModifiers::ALT), false), b"\x1bb");
        assert_eq!(encode(&key(KeyCode::Up, none), false), b"\x1b[A");
        assert_eq!(encode(&key(KeyCode::Up, none), true), b"\x1bOA");
        assert_eq!(encode(&key(KeyCode::Right, KeyModifiers::CONTROL), true), b"\x1b[1;5C");
        assert_eq!(encode(&key(KeyCode::Delete, none), false), b"\x1b[3~");
        assert_eq!(encode(&key(KeyCode::Char('é'), none), false), "é".as_bytes());
    }
}
