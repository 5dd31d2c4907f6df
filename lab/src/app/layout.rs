//! Where everything goes on screen, as a pure function of the terminal size, the
//! number of nodes, the focus and the zoom: the view draws it and the update uses it
//! to size the ptys and to find what a mouse click hit.

use ratatui::layout::Rect;

/// A pane needs at least this much inside its border to be usable in the grid.
const MIN_PANE_COLS: u16 = 40;
const MIN_PANE_ROWS: u16 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Lesson,
    Node(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub lesson: Option<Rect>,
    /// Visible node panes and their rects (borders included).
    pub panes: Vec<(usize, Rect)>,
    /// The tab bar, when the panes do not fit side by side and show one at a time.
    pub tabs: Option<Rect>,
    pub cluster: Option<Rect>,
    pub status: Rect,
    /// The inner size every pty gets: (rows, cols).
    pub pty_size: (u16, u16),
}

pub fn layout(area: Rect, nodes: usize, focus: Focus, zoom: bool) -> Layout {
    let status = Rect { y: area.bottom().saturating_sub(1), height: area.height.min(1), ..area };
    let body = Rect { height: area.height.saturating_sub(1), ..area };
    let focused_node = match focus {
        Focus::Node(i) if i < nodes => i,
        _ => 0,
    };
    if zoom {
        return match focus {
            Focus::Lesson => Layout {
                lesson: Some(body),
                panes: Vec::new(),
                tabs: None,
                cluster: None,
                status,
                pty_size: inner(body),
            },
            Focus::Node(_) => Layout {
                lesson: None,
                panes: vec![(focused_node, body)],
                tabs: None,
                cluster: None,
                status,
                pty_size: inner(body),
            },
        };
    }
    // The cluster view: a quarter of the height, between 7 and 14 rows.
    let cluster_h = (body.height / 4).clamp(7, 14).min(body.height / 2);
    let cluster = Rect { y: body.bottom() - cluster_h, height: cluster_h, ..body };
    let main = Rect { height: body.height - cluster_h, ..body };
    // A third of the width, but at least 38 columns to read in while the panes keep
    // their minimum (at 80 columns: 38 for the lesson, 42 for the pane).
    let readable = 38.min(main.width.saturating_sub(MIN_PANE_COLS + 2));
    let lesson_w = (main.width * 35 / 100).max(readable).clamp(28.min(main.width / 2), 64);
    let lesson = Rect { width: lesson_w, ..main };
    let right = Rect { x: main.x + lesson_w, width: main.width - lesson_w, ..main };
    let (panes, tabs, pty_size) = match grid(right, nodes) {
        Some((cols, rows)) => {
            let mut out = Vec::new();
            for i in 0..nodes {
                let (c, r) = ((i % cols) as u16, (i / cols) as u16);
                out.push((i, cell(right, cols as u16, rows as u16, c, r)));
            }
            let size = out.first().map_or((0, 0), |(_, r)| inner(*r));
            (out, None, size)
        }
        None => {
            let tabs = Rect { height: 1.min(right.height), ..right };
            let pane = Rect { y: right.y + tabs.height, height: right.height - tabs.height, ..right };
            (vec![(focused_node, pane)], Some(tabs), inner(pane))
        }
    };
    Layout { lesson: Some(lesson), panes, tabs, cluster: Some(cluster), status, pty_size }
}

/// Columns and rows of a grid where every pane is big enough, fewest columns first.
fn grid(area: Rect, n: usize) -> Option<(usize, usize)> {
    if n == 0 {
        return None;
    }
    (1..=n).find_map(|cols| {
        let rows = n.div_ceil(cols);
        let w = area.width / cols as u16;
        let h = area.height / rows as u16;
        (w >= MIN_PANE_COLS + 2 && h >= MIN_PANE_ROWS + 2).then_some((cols, rows))
    })
}

/// Cell (c, r) of a cols×rows grid; the last column and row take the remainder.
fn cell(area: Rect, cols: u16, rows: u16, c: u16, r: u16) -> Rect {
    let (w, h) = (area.width / cols, area.height / rows);
    let x = area.x + c * w;
    let y = area.y + r * h;
    let width = if c == cols - 1 { area.right() - x } else { w };
    let height = if r == rows - 1 { area.bottom() - y } else { h };
    Rect { x, y, width, height }
}

/// Inside a one-cell border: (rows, cols). Never below 2x10: a terminal narrower than a
/// wide character cannot hold one (the screen clips what does not fit).
fn inner(r: Rect) -> (u16, u16) {
    (r.height.saturating_sub(2).max(2), r.width.saturating_sub(2).max(10))
}

impl Layout {
    /// What a click at (x, y) lands on.
    pub fn hit(&self, x: u16, y: u16) -> Option<Focus> {
        let inside = |r: &Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
        if let Some((i, _)) = self.panes.iter().find(|(_, r)| inside(r)) {
            return Some(Focus::Node(*i));
        }
        if self.lesson.as_ref().is_some_and(inside) {
            return Some(Focus::Lesson);
        }
        None
    }

    /// Which tab a click on the tab bar lands on, given the tab labels' widths.
    pub fn tab_at(&self, x: u16, y: u16, labels: &[usize]) -> Option<usize> {
        let t = self.tabs?;
        if y != t.y {
            return None;
        }
        let mut start = t.x;
        for (i, w) in labels.iter().enumerate() {
            let end = start + *w as u16 + 1;
            if x >= start && x < end {
                return Some(i);
            }
            start = end;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(w: u16, h: u16) -> Rect {
        Rect { x: 0, y: 0, width: w, height: h }
    }

    #[test]
    fn small_terminals_get_tabs_and_large_ones_a_grid() {
        let small = layout(area(80, 24), 3, Focus::Node(1), false);
        assert!(small.tabs.is_some());
        assert_eq!(small.panes.len(), 1);
        assert_eq!(small.panes[0].0, 1);
        let big = layout(area(200, 50), 3, Focus::Node(0), false);
        assert!(big.tabs.is_none());
        assert_eq!(big.panes.len(), 3);
        assert!(big.pty_size.1 >= MIN_PANE_COLS && big.pty_size.0 >= MIN_PANE_ROWS);
        let nine = layout(area(200, 50), 9, Focus::Node(0), false);
        assert!(nine.tabs.is_some() || nine.panes.len() == 9);
    }

    #[test]
    fn nothing_overlaps_and_everything_is_on_screen() {
        for (w, h) in [(80, 24), (120, 40), (160, 48), (200, 50), (20, 5)] {
            for n in 1..=9 {
                let l = layout(area(w, h), n, Focus::Node(n - 1), false);
                let mut rects: Vec<Rect> = l.panes.iter().map(|(_, r)| *r).collect();
                rects.extend(l.lesson);
                rects.extend(l.cluster);
                rects.extend(l.tabs);
                rects.push(l.status);
                for (i, a) in rects.iter().enumerate() {
                    assert!(a.right() <= w && a.bottom() <= h, "{w}x{h} n={n}: {a:?}");
                    for b in &rects[i + 1..] {
                        assert!(a.intersection(*b).area() == 0 || a.area() == 0 || b.area() == 0, "{a:?} {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn zoom_gives_the_focused_pane_the_screen_and_clicks_find_panes() {
        let z = layout(area(80, 24), 3, Focus::Node(2), true);
        assert_eq!(z.panes, vec![(2, area(80, 23))]);
        let big = layout(area(200, 50), 3, Focus::Node(0), false);
        let (i, r) = big.panes[2];
        assert_eq!(big.hit(r.x + 1, r.y + 1), Some(Focus::Node(i)));
        assert_eq!(big.hit(0, 0), Some(Focus::Lesson));
    }
}
