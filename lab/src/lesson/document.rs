//! A lesson file's outline, read with pulldown-cmark (the parser mdBook uses, so the
//! lab and the book read the same document): the front matter, the `##` headings and
//! the fenced blocks at the top level, each with its place in the file. What lies
//! between them is prose, kept as the author wrote it.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use std::ops::Range;

pub struct Outline {
    /// The YAML between the opening `---` lines, when the file starts with one.
    pub front: Option<String>,
    /// Where the body starts (after the front matter).
    pub body: usize,
    pub items: Vec<Item>,
}

pub struct Item {
    /// Bytes of the file it spans.
    pub range: Range<usize>,
    pub kind: ItemKind,
}

pub enum ItemKind {
    /// A `## Title` heading: a step.
    Step { title: String },
    /// A fenced block: its info string, its text, whether its closing fence is there.
    Fence { info: String, text: String, closed: bool },
}

pub fn outline(text: &str) -> Outline {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES;
    let mut out = Outline { front: None, body: 0, items: Vec::new() };
    let mut depth = 0usize;
    let mut front: Option<String> = None;
    let mut fence: Option<(String, String)> = None;
    // Ranges run to the end of their last line, its newline included.
    let whole = |r: Range<usize>| match text[r.end..].starts_with('\n') {
        true => r.start..r.end + 1,
        false => r,
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let range = whole(range);
        match event {
            // Only at the very top: a `---` block further down is no front matter.
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) if range.start == 0 => {
                front = Some(String::new());
            }
            Event::End(TagEnd::MetadataBlock(_)) if front.is_some() => {
                out.front = front.take();
                out.body = range.end;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if depth == 0 => {
                fence = Some((info.to_string(), String::new()));
                depth += 1;
            }
            Event::End(TagEnd::CodeBlock) if depth == 1 && fence.is_some() => {
                depth -= 1;
                if let Some((info, body)) = fence.take() {
                    let closed = closes(&text[range.clone()]);
                    out.items.push(Item { range, kind: ItemKind::Fence { info, text: body, closed } });
                }
            }
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. })
                if depth == 0 && text[range.clone()].starts_with("##") =>
            {
                let title = text[range.clone()].trim_end().trim_start_matches('#').trim();
                out.items.push(Item { range, kind: ItemKind::Step { title: title.to_string() } });
                depth += 1;
            }
            Event::Text(t) => {
                if let Some(f) = front.as_mut() {
                    f.push_str(&t);
                } else if let Some((_, body)) = fence.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// A fenced block's opening fence: its backticks or tildes.
pub fn fence_mark(source: &str) -> &str {
    let open = source.trim_start();
    let width = open.chars().take_while(|c| matches!(c, '`' | '~')).count();
    &open[..width]
}

/// Whether a fenced block's source ends with a closing fence (CommonMark runs an
/// unclosed block to the end of the file, which in a lesson is an authoring slip).
fn closes(source: &str) -> bool {
    let mut lines = source.trim_end().lines();
    let Some(open) = lines.next().map(str::trim_start) else { return false };
    let mark = open.chars().next().unwrap_or('`');
    let width = open.chars().take_while(|c| *c == mark).count();
    lines.last().map(str::trim).is_some_and(|l| l.len() >= width && l.chars().all(|c| c == mark))
}

/// 1-based line numbers of byte offsets.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn of(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|start| *start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_matter_is_only_at_the_top() {
        let o = outline("```check\n```\n---\nid: x\ntitle: y\n---\n");
        assert!(o.front.is_none());
        assert_eq!(o.body, 0);
    }

    #[test]
    fn the_outline_holds_the_front_matter_steps_and_top_level_fences() {
        let text = "---\nid: x\n---\n\nIntro.\n\n## One\n\nText with `code`.\n\n~~~~node1\ndocker info\n```\nstill the block\n~~~~\n\n- a list\n\n  ```node2\n  nested, not a step's block\n  ```\n\n## Two\n\n```check\n$ docker info\n";
        let o = outline(text);
        assert_eq!(o.front.as_deref(), Some("id: x\n"));
        let lines = Lines::of(text);
        assert_eq!(lines.line(o.body), 4);
        let kinds: Vec<(usize, String)> = o
            .items
            .iter()
            .map(|i| {
                let what = match &i.kind {
                    ItemKind::Step { title } => format!("step {title}"),
                    ItemKind::Fence { info, text, closed } => format!("{info} {text:?} {closed}"),
                };
                (lines.line(i.range.start), what)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (7, "step One".to_string()),
                (11, "node1 \"docker info\\n```\\nstill the block\\n\" true".to_string()),
                (23, "step Two".to_string()),
                (25, "check \"$ docker info\\n\" false".to_string()),
            ]
        );
    }
}
