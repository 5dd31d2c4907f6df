//! Markdown as the lesson pane shows it: pulldown-cmark's events drawn as ratatui
//! lines already wrapped to the pane's width. Paragraphs reflow; **strong**, *emphasis*,
//! `code` and links keep their look; lists hang their indents; block quotes read as
//! callouts; tables are drawn as tables; code is never wrapped (a line too wide ends
//! with a marker, and the zoomed pane shows it whole). French text gets its
//! non-breaking spaces before `: ; ! ? »` and after `«`.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

const CODE: Style = Style::new().fg(Color::Yellow);
const NBSP: char = '\u{a0}';
/// Ends a code line cut at the pane's edge.
const MORE: &str = "›";

/// `markdown` drawn `width` columns wide.
pub fn render(markdown: &str, width: u16, french: bool) -> Vec<Line<'static>> {
    let mut r = Renderer { width: usize::from(width).max(8), french, ..Renderer::default() };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.width() == 0) {
        r.lines.pop();
    }
    r.lines
}

/// Styled text wrapped to `width`, later lines indented by `indent` columns.
pub fn wrap(spans: Vec<Span<'static>>, width: u16, indent: usize) -> Vec<Line<'static>> {
    let fragments = spans.into_iter().map(|s| (s.content.into_owned(), s.style)).collect();
    fill(fragments, usize::from(width).max(8), "", &" ".repeat(indent), Style::new())
}

/// One line of text with its `code` spans styled (messages the lab writes in markdown).
pub fn inline(text: &str, style: Style, french: bool) -> Vec<Span<'static>> {
    let code = style.patch(Style::new().fg(Color::Cyan));
    let mut spans = Vec::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) if french => spans.push(Span::styled(self::french(&t), style)),
            Event::Text(t) => spans.push(Span::styled(t.into_string(), style)),
            Event::Code(t) => spans.push(Span::styled(t.into_string(), code)),
            Event::SoftBreak | Event::HardBreak => spans.push(Span::styled(" ", style)),
            _ => {}
        }
    }
    spans
}

/// A line of code, never wrapped: cut at `width` with a marker that it goes on.
pub fn code_line(prefix: &str, text: &str, style: Style, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let full = format!("{prefix}{text}");
    if full.width() <= width {
        return Line::from(Span::styled(full, style));
    }
    let mut cut = String::new();
    let mut used = MORE.width();
    for c in full.chars() {
        used += c.to_string().width();
        if used > width {
            break;
        }
        cut.push(c);
    }
    Line::from(vec![Span::styled(cut, style), Span::styled(MORE, Style::new().fg(Color::DarkGray))])
}

#[derive(Default)]
struct Renderer {
    width: usize,
    french: bool,
    lines: Vec<Line<'static>>,
    /// The block being filled: its text pieces and their styles.
    inline: Vec<(String, Style)>,
    styles: Vec<Style>,
    /// Open lists: the next number, or None for bullets.
    lists: Vec<Option<u64>>,
    /// The current item's first-line marker, until its first line is out.
    bullet: Option<String>,
    quotes: usize,
    link: Option<String>,
    code: Option<String>,
    table: Option<Table>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<(String, Style)>>>,
    head: usize,
}

impl Renderer {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, add: Style) {
        let s = self.style().patch(add);
        self.styles.push(s);
    }

    fn text(&mut self, t: &str, style: Style) {
        let t = if self.french { french(t) } else { t.to_string() };
        match self.table.as_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.last_mut()) {
            Some(cell) => cell.push((t, style)),
            None => self.inline.push((t, style)),
        }
    }

    /// The prefix of a line `lists` lists deep.
    fn indent_at(&self, lists: usize) -> String {
        format!("{}{}", "▌ ".repeat(self.quotes), "  ".repeat(lists))
    }

    fn indent(&self) -> String {
        self.indent_at(self.lists.len())
    }

    /// Lays out the block being filled.
    fn flush(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let rest = self.indent();
        // An item's marker takes the place of its own indent level.
        let first = match self.bullet.take() {
            Some(b) => format!("{}{b}", self.indent_at(self.lists.len().saturating_sub(1))),
            None => rest.clone(),
        };
        let base = if self.quotes > 0 { Style::new().fg(Color::Cyan) } else { Style::new() };
        let fragments = std::mem::take(&mut self.inline);
        self.lines.extend(fill(fragments, self.width, &first, &rest, base));
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| l.width() > 0) {
            self.lines.push(Line::from(""));
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(code) = self.code.as_mut() {
                    code.push_str(&t);
                } else {
                    self.text(&t, self.style());
                }
            }
            Event::Code(t) => self.text(&t, self.style().patch(CODE)),
            Event::SoftBreak => self.text(" ", self.style()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.blank();
                self.lines
                    .push(Line::from(Span::styled("─".repeat(self.width.min(40)), Style::new().fg(Color::DarkGray))));
            }
            Event::Html(t) | Event::InlineHtml(t) => self.text(&t, self.style()),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                let colour = if level <= HeadingLevel::H2 { Color::Cyan } else { Color::Reset };
                self.push_style(Style::new().fg(colour).add_modifier(Modifier::BOLD));
            }
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.link = Some(dest_url.to_string());
                self.push_style(Style::new().add_modifier(Modifier::UNDERLINED));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.blank();
                self.quotes += 1;
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                self.bullet = Some(marker);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.blank();
                self.code = Some(String::new());
            }
            Tag::Table(_) => {
                self.flush();
                self.blank();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                if let Some(url) = self.link.take().filter(|u| u.contains("://")) {
                    self.text(&format!(" ({url})"), Style::new().fg(Color::DarkGray));
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
                self.blank();
            }
            TagEnd::Item => self.flush(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let indent = format!("{}  ", self.indent());
                for l in code.lines() {
                    self.lines.push(code_line(&indent, l, CODE, self.width as u16));
                }
                self.blank();
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.head = t.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.lines.extend(table(&t, self.width));
                }
                self.blank();
            }
            _ => {}
        }
    }
}

/// Fills lines up to `width` with the words of `fragments`: the first line begins with
/// `first`, the others with `rest`. A word wider than a line is cut; a French
/// punctuation mark never starts a line.
fn fill(fragments: Vec<(String, Style)>, width: usize, first: &str, rest: &str, base: Style) -> Vec<Line<'static>> {
    // Words: runs of text between ASCII spaces, each made of styled pieces.
    let mut words: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    for (text, style) in fragments {
        let style = base.patch(style);
        for (i, piece) in text.split(' ').enumerate() {
            if i > 0 {
                words.push(Vec::new());
            }
            if !piece.is_empty()
                && let Some(w) = words.last_mut()
            {
                w.push((piece.to_string(), style));
            }
        }
    }
    let words: Vec<Vec<(String, Style)>> = words.into_iter().filter(|w| !w.is_empty()).collect();
    let mut lines = Vec::new();
    let prefix_style = Style::new().fg(Color::DarkGray);
    let mut line: Vec<Span<'static>> = vec![Span::styled(first.to_string(), prefix_style)];
    let mut used = first.width();
    let mut empty = true;
    let room = |prefix: &str| width.saturating_sub(prefix.width()).max(4);
    for word in words {
        let w: usize = word.iter().map(|(t, _)| t.width()).sum();
        let need = if empty { w } else { w + 1 };
        if !empty && used + need > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::styled(rest.to_string(), prefix_style));
            used = rest.width();
            empty = true;
        }
        if !empty {
            line.push(Span::raw(" "));
            used += 1;
        }
        for (text, style) in word {
            if text.width() > room(rest) {
                // A word wider than the pane (a token, a URL): cut where the line ends.
                let mut prev = ' ';
                for c in text.chars() {
                    // Never before French punctuation or after an opening guillemet.
                    let glued = matches!(c, NBSP | ':' | ';' | '!' | '?' | '»') || matches!(prev, '«' | NBSP);
                    prev = c;
                    if used + c.to_string().width() > width && !glued {
                        lines.push(Line::from(std::mem::take(&mut line)));
                        line.push(Span::styled(rest.to_string(), prefix_style));
                        used = rest.width();
                    }
                    used += c.to_string().width();
                    line.push(Span::styled(c.to_string(), style));
                }
            } else {
                used += text.width();
                line.push(Span::styled(text, style));
            }
        }
        empty = false;
    }
    if !empty {
        lines.push(Line::from(line));
    }
    lines
}

/// French typography: the space before `: ; ! ? »` and after `«` cannot break.
fn french(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            (' ', Some(':' | ';' | '!' | '?' | '»')) => out.push(NBSP),
            ('«', Some(' ')) => {
                out.push('«');
                out.push(NBSP);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A table drawn with box lines, its columns fitted to `width`, cells wrapped.
fn table(t: &Table, width: usize) -> Vec<Line<'static>> {
    let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols == 0 {
        return Vec::new();
    }
    let cell_width = |cell: &Vec<(String, Style)>| cell.iter().map(|(s, _)| s.width()).sum::<usize>();
    let mut widths: Vec<usize> =
        (0..cols).map(|c| t.rows.iter().filter_map(|r| r.get(c)).map(cell_width).max().unwrap_or(0).max(1)).collect();
    // Borders take 3 columns per cell and one more.
    let room = width.saturating_sub(3 * cols + 1).max(cols * 4);
    while widths.iter().sum::<usize>() > room {
        let Some((i, _)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else { break };
        if widths[i] <= 4 {
            break;
        }
        widths[i] -= 1;
    }
    let border = Style::new().fg(Color::DarkGray);
    let rule = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        Line::from(Span::styled(format!("{l}{}{r}", parts.join(m)), border))
    };
    let rows: Vec<Vec<Vec<Line<'static>>>> = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let style = if i < t.head { Style::new().add_modifier(Modifier::BOLD) } else { Style::new() };
            (0..cols).map(|c| fill(row.get(c).cloned().unwrap_or_default(), widths[c], "", "", style)).collect()
        })
        .collect();
    let height = |cells: &Vec<Vec<Line<'static>>>| cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    // Rows whose cells wrap read apart only with a line between them.
    let separated = rows.iter().skip(t.head).any(|r| height(r) > 1);
    let mut out = vec![rule("┌", "┬", "┐")];
    for (i, cells) in rows.iter().enumerate() {
        if i > 0 && (i == t.head || (separated && i > t.head)) {
            out.push(rule("├", "┼", "┤"));
        }
        for k in 0..height(cells) {
            let mut spans = vec![Span::styled("│", border)];
            for (c, lines) in cells.iter().enumerate() {
                let line = lines.get(k).cloned().unwrap_or_default();
                let pad = widths[c].saturating_sub(line.width());
                spans.push(Span::raw(" "));
                spans.extend(line.spans);
                spans.push(Span::raw(format!("{} ", " ".repeat(pad))));
                spans.push(Span::styled("│", border));
            }
            out.push(Line::from(spans));
        }
    }
    out.push(rule("└", "┴", "┘"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>()).collect()
    }

    #[test]
    fn inline_marks_become_styles_and_paragraphs_reflow() {
        let lines = render("Some **bold**, *italic*\nand `code` with a [link](https://docs.docker.com).", 80, false);
        assert_eq!(text(&lines), ["Some bold, italic and code with a link (https://docs.docker.com)."]);
        let spans = &lines[0].spans;
        let find = |s: &str| spans.iter().find(|x| x.content == s).map(|x| x.style).unwrap_or_default();
        assert!(find("bold").add_modifier.contains(Modifier::BOLD));
        assert!(find("italic").add_modifier.contains(Modifier::ITALIC));
        assert_eq!(find("code").fg, Some(Color::Yellow));
        assert!(find("link").add_modifier.contains(Modifier::UNDERLINED));
        let narrow = render("one two three four five six", 10, false);
        assert_eq!(text(&narrow), ["one two", "three four", "five six"]);
    }

    #[test]
    fn lists_hang_their_indents_and_quotes_are_callouts() {
        let md = "- first item that wraps\n- second\n  1. nested\n\n> Careful: this.";
        assert_eq!(
            text(&render(md, 16, false)),
            ["• first item", "  that wraps", "• second", "  1. nested", "", "▌ Careful: this."]
        );
    }

    #[test]
    fn tables_are_drawn_with_their_columns_fitted() {
        let md = "| Command | Effect |\n|---|---|\n| `docker swarm join-token worker\\|manager` | the command |\n";
        let wide = text(&render(md, 80, false));
        assert_eq!(wide[0], format!("┌{}┬{}┐", "─".repeat(40), "─".repeat(13)));
        assert_eq!(wide[1], format!("│ Command{} │ Effect      │", " ".repeat(31)));
        assert_eq!(wide[2], format!("├{}┼{}┤", "─".repeat(40), "─".repeat(13)));
        assert_eq!(wide[3], "│ docker swarm join-token worker|manager │ the command │");
        let narrow = text(&render(md, 30, false));
        assert!(narrow.iter().all(|l| l.width() <= 30), "{narrow:#?}");
        assert!(narrow.iter().any(|l| l.contains("worker|manager") || l.contains("worker|")), "{narrow:#?}");
    }

    #[test]
    fn code_is_cut_with_a_marker_never_wrapped() {
        let md = "```\ndocker service create --name web --replicas 3 nginx\n```\n";
        let lines = text(&render(md, 20, false));
        assert_eq!(lines, ["  docker service cr›"]);
        assert_eq!(text(&render(md, 80, false)), ["  docker service create --name web --replicas 3 nginx"]);
    }

    #[test]
    fn the_labs_own_french_messages_keep_their_guillemets_with_their_word() {
        let spans = inline("`docker node ls` devrait montrer « node2 ».", Style::new(), true);
        for width in 10..40 {
            for line in text(&wrap(spans.clone(), width, 2)) {
                assert!(!line.trim_end().ends_with('«') && !line.trim_start().starts_with('»'), "{width}: {line:?}");
            }
        }
    }

    #[test]
    fn french_punctuation_never_starts_a_line() {
        let md = "Les managers tiennent l'état : ils votent ; « quorum » ! Vraiment ?";
        for width in 16..60 {
            for line in text(&render(md, width, true)) {
                let t = line.trim_start();
                assert!(!t.starts_with([':', ';', '!', '?', '»']), "{width}: {line:?}");
                assert!(!line.trim_end().ends_with('«'), "{width}: {line:?}");
            }
        }
    }
}
