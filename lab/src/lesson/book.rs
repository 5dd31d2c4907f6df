//! The lessons as a book: an mdBook preprocessor (`swarmlab mdbook`) that turns a
//! lesson file into readable markdown: the front matter becomes the title, runnable
//! blocks say which node they run on, hints and the solution fold away, checks are
//! shown as what the lab verifies.

use super::document::{ItemKind, fence_mark, outline};
use serde_json::Value;
use std::fmt::Write as _;

struct Labels {
    on: &'static str,
    hint: &'static str,
    solution: &'static str,
    check: &'static str,
    file: &'static str,
}

const EN: Labels = Labels { on: "On", hint: "Hint", solution: "Solution", check: "The lab checks", file: "File" };
const FR: Labels =
    Labels { on: "Sur", hint: "Indice", solution: "Solution", check: "Le lab vérifie", file: "Fichier" };

/// One lesson file's markdown as the book shows it.
pub fn render(markdown: &str, french: bool) -> String {
    let labels = if french { &FR } else { &EN };
    let doc = outline(markdown);
    let mut out = String::new();
    #[derive(serde::Deserialize)]
    struct Front {
        title: Option<String>,
    }
    if let Some(t) = doc.front.as_deref().and_then(|f| serde_saphyr::from_str::<Front>(f).ok()).and_then(|f| f.title) {
        let _ = writeln!(out, "# {t}");
    }
    let mut last = doc.body;
    for item in &doc.items {
        let ItemKind::Fence { info, text, .. } = &item.kind else { continue };
        let Some((head, lang, close)) = wrapper(info, labels) else { continue };
        let open = fence_mark(&markdown[item.range.clone()]);
        out.push_str(&markdown[last..item.range.start]);
        let _ = write!(out, "{head}\n\n{open}{lang}\n{text}{open}\n\n{close}\n");
        last = item.range.end;
    }
    out.push_str(&markdown[last..]);
    out
}

/// What a lesson's block becomes in the book: the HTML around it, the language of its
/// code, the closing tag. None for a block shown as written.
fn wrapper(info: &str, labels: &Labels) -> Option<(String, &'static str, &'static str)> {
    let mut words = info.split_whitespace();
    let word = words.next().unwrap_or("");
    if let super::parse::Kind::Runnable(node) = super::parse::block_kind(info) {
        let head =
            format!("<div class=\"swarmlab swarmlab-run\"><div class=\"swarmlab-label\">{} {node}</div>", labels.on);
        return Some((head, "console", "</div>"));
    }
    Some(match word {
        "hint" => (
            format!("<details class=\"swarmlab swarmlab-hint\"><summary>{}</summary>", labels.hint),
            "text",
            "</details>",
        ),
        "solution" => (
            format!("<details class=\"swarmlab swarmlab-solution\"><summary>{}</summary>", labels.solution),
            "console",
            "</details>",
        ),
        "file" => {
            let name = words.next().unwrap_or("");
            let head = format!(
                "<div class=\"swarmlab swarmlab-file\"><div class=\"swarmlab-label\">{} {name}</div>",
                labels.file
            );
            (head, highlight(name), "</div>")
        }
        "check" => (
            format!("<div class=\"swarmlab swarmlab-check\"><div class=\"swarmlab-label\">{}</div>", labels.check),
            "text",
            "</div>",
        ),
        _ => return None,
    })
}

/// The highlighting a provided file gets, from its extension.
fn highlight(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("yml" | "yaml") => "yaml",
        Some("json") => "json",
        Some("conf") => "nginx",
        Some("sh") => "sh",
        _ => "text",
    }
}

/// mdBook's preprocessor protocol: `[context, book]` JSON in, the book JSON out, every
/// chapter's `content` rendered.
pub fn preprocess(input: &str) -> Result<String, String> {
    let v: Value = serde_json::from_str(input).map_err(|e| format!("not mdBook's JSON: {e}"))?;
    let (context, mut book) = match v {
        Value::Array(mut a) if a.len() == 2 => {
            let book = a.pop().unwrap_or_default();
            (a.pop().unwrap_or_default(), book)
        }
        _ => return Err("expected [context, book]".into()),
    };
    let src = context.pointer("/config/book/src").and_then(|s| s.as_str()).unwrap_or("");
    let french = src.trim_end_matches('/').ends_with("fr");
    walk(&mut book, french);
    serde_json::to_string(&book).map_err(|e| e.to_string())
}

fn walk(v: &mut Value, french: bool) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(content)) = map.get_mut("content") {
                *content = render(content, french);
            }
            for (k, child) in map.iter_mut() {
                if k != "content" {
                    walk(child, french);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk(i, french)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_read_as_a_book() {
        let md = "---\nid: x\ntitle: \"First\"\nnodes: 3\n---\n\nIntro.\n\n## Step\n\n```node1\ndocker swarm init\n```\n\n```hint\nLook.\n```\n\n```check\n$ docker info\nequals: x\n```\n\n```yaml\na: b\n```\n";
        let out = render(md, true);
        assert!(out.starts_with("# First\n"), "{out}");
        assert!(!out.contains("id: x"));
        assert!(
            out.contains(
                "<div class=\"swarmlab-label\">Sur node1</div>\n\n```console\ndocker swarm init\n```\n\n</div>"
            ),
            "{out}"
        );
        assert!(out.contains("<summary>Indice</summary>"));
        assert!(out.contains("Le lab vérifie"));
        assert!(out.contains("```yaml\na: b\n```\n"), "other blocks stay as they are: {out}");
        let file = render("## S\n\n```file stack.yml\nservices: {}\n```\n", false);
        assert!(
            file.contains("<div class=\"swarmlab-label\">File stack.yml</div>\n\n```yaml\nservices: {}\n```\n\n</div>"),
            "{file}"
        );
    }

    #[test]
    fn the_preprocessor_rewrites_every_chapter() {
        let input = r#"[{"config":{"book":{"src":"lessons/en"}}},{"items":[{"Chapter":{"name":"a","content":"---\ntitle: T\n---\n```hint\nh\n```\n","sub_items":[]}}]}]"#;
        let out: Value = serde_json::from_str(&preprocess(input).unwrap()).unwrap();
        let content = out.pointer("/items/0/Chapter/content").and_then(|c| c.as_str()).unwrap();
        assert!(content.starts_with("# T\n") && content.contains("<summary>Hint</summary>"), "{content}");
        assert!(preprocess("{}").is_err());
    }
}
