//! A node pane's terminal: its emulator, the output that drew it (so that a new size
//! lays the text out again, as tmux reflows: a line the narrow pane wrapped reads whole
//! once zoomed), and a selection made with the mouse inside it.

/// Lines of scrollback each pane keeps.
pub const SCROLLBACK: usize = 5000;
/// Output kept for laying the pane out again at another size.
const LOG: usize = 256 * 1024;

pub struct PaneState {
    pub name: String,
    pub parser: vt100::Parser,
    pub exited: bool,
    log: Vec<u8>,
}

/// A selection in a pane's visible screen: where the drag started and where it is now,
/// (row, col) inside the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub pane: usize,
    pub anchor: (u16, u16),
    pub head: (u16, u16),
}

impl Selection {
    /// First and last cell, in reading order.
    pub fn span(&self) -> ((u16, u16), (u16, u16)) {
        if self.anchor <= self.head { (self.anchor, self.head) } else { (self.head, self.anchor) }
    }

    pub fn contains(&self, row: u16, col: u16) -> bool {
        let (start, end) = self.span();
        (row, col) >= start && (row, col) <= end
    }

    /// The selected text: lines the terminal wrapped are joined, trailing blanks dropped.
    pub fn text(&self, screen: &vt100::Screen) -> String {
        let ((r0, c0), (r1, c1)) = self.span();
        let text = screen.contents_between(r0, c0, r1, c1.saturating_add(1));
        text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
    }
}

impl PaneState {
    pub fn new(name: String, rows: u16, cols: u16) -> PaneState {
        PaneState { name, parser: vt100::Parser::new(rows, cols, SCROLLBACK), exited: false, log: Vec::new() }
    }

    /// The shell's output, drawn; kept for a later new size.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.log.extend_from_slice(bytes);
        if self.log.len() > LOG {
            // Drop the oldest half, from a line's start.
            let cut = self.log.len() - LOG / 2;
            let start = self.log[cut..].iter().position(|b| *b == b'\n').map_or(cut, |i| cut + i + 1);
            self.log.drain(..start);
        }
        if !feed(&mut self.parser, bytes) {
            self.log.clear();
        }
    }

    /// A clean screen of the same size, its scrollback and output forgotten.
    pub fn blank(&mut self) {
        let (rows, cols) = self.parser.screen().size();
        self.parser = vt100::Parser::new(rows, cols, SCROLLBACK);
        self.log.clear();
    }

    /// A new size: the output so far is laid out again at the new width.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let mut parser = vt100::Parser::new(rows, cols, SCROLLBACK);
        if !feed(&mut parser, &self.log) {
            self.log.clear();
        }
        self.parser = parser;
    }
}

thread_local! {
    static FEEDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic now comes from feeding a pane (caught and recovered from): the
/// lab's panic hook must then leave the terminal alone.
pub fn feeding() -> bool {
    FEEDING.get()
}

/// Feeds output to a terminal emulator. vt100 0.16 can panic on some byte sequences (a
/// wide character at the edge after a resize): the pane then starts a clean screen
/// rather than taking the lab down. False when it did.
fn feed(parser: &mut vt100::Parser, bytes: &[u8]) -> bool {
    FEEDING.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.process(bytes)));
    FEEDING.set(false);
    if result.is_err() {
        let (rows, cols) = parser.screen().size();
        *parser = vt100::Parser::new(rows, cols, SCROLLBACK);
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_wrapped_in_a_narrow_pane_reads_whole_once_the_pane_is_wider() {
        let mut p = PaneState::new("node1".into(), 10, 20);
        let token = format!("docker swarm join --token SWMTKN-1-{} 127.10.0.11:2377", "x".repeat(40));
        p.feed(format!("$ x\r\n    {token}\r\n$ ").as_bytes());
        let rows = |p: &PaneState| p.parser.screen().rows(0, 120).collect::<Vec<_>>();
        assert!(!rows(&p).iter().any(|l| l.contains(&token)), "wrapped at 20 columns");
        p.resize(10, 120);
        assert!(rows(&p).iter().any(|l| l.trim() == token), "{:?}", rows(&p));
        assert_eq!(p.parser.screen().size(), (10, 120));
    }

    #[test]
    fn a_selection_over_wrapped_rows_copies_one_line() {
        let mut p = PaneState::new("node1".into(), 10, 20);
        let long = "0123456789".repeat(5);
        p.feed(format!("{long}\r\nnext line\r\n").as_bytes());
        // From the first cell to the end of the third row (the 50 characters wrap twice).
        let s = Selection { pane: 0, anchor: (2, 9), head: (0, 0) };
        assert_eq!(s.text(p.parser.screen()), long);
        let s = Selection { pane: 0, anchor: (0, 0), head: (3, 3) };
        assert_eq!(s.text(p.parser.screen()), format!("{long}\nnext"));
        assert!(s.contains(1, 19) && s.contains(3, 3) && !s.contains(3, 4));
    }

    #[test]
    fn the_kept_output_is_bounded_and_cut_at_a_line() {
        let mut p = PaneState::new("node1".into(), 5, 40);
        let line = format!("{}\r\n", "y".repeat(99));
        for _ in 0..6000 {
            p.feed(line.as_bytes());
        }
        assert!(p.log.len() <= LOG);
        assert!(p.log.starts_with(b"yyy"), "starts at a line");
    }
}
