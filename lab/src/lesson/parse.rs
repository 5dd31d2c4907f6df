//! Reading a lesson file: the front matter, then `##` steps whose fenced blocks are
//! runnable commands (```` ```node1 ````, or Play-with-Docker's ```` ```.term1 ````),
//! hints, a solution and a check. Every authoring error names its file and line.

use super::check::{Check, Expect, Item};
use super::document::{self, ItemKind};
use super::{Lesson, LessonError, LessonFile, Part, Setup, Step};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    #[serde(default = "three")]
    nodes: usize,
    #[serde(default = "one")]
    managers: usize,
    #[serde(default)]
    setup: Option<SetupSpec>,
}

fn three() -> usize {
    3
}
fn one() -> usize {
    1
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SetupSpec {
    /// `setup: swarm` or `setup: fresh`.
    Word(String),
    Full {
        #[serde(default)]
        swarm: bool,
        #[serde(default)]
        commands: Vec<String>,
    },
}

struct Errors<'a> {
    path: &'a Path,
    list: Vec<LessonError>,
}

impl Errors<'_> {
    fn at(&mut self, line: usize, message: impl Into<String>) {
        self.list.push(LessonError { path: self.path.to_path_buf(), line, message: message.into() });
    }
}

/// A fenced block: its first content line and text.
struct Block {
    line: usize,
    text: String,
}

pub fn parse(text: &str, path: &Path) -> Result<Lesson, Vec<LessonError>> {
    let mut errors = Errors { path, list: Vec::new() };
    let doc = document::outline(text);
    let lines = document::Lines::of(text);
    let Some(front) = doc.front.as_deref() else {
        errors.at(1, "a lesson starts with a front matter between `---` lines (id, title, nodes)");
        return Err(errors.list);
    };
    let fm: FrontMatter = match serde_saphyr::from_str(front) {
        Ok(fm) => fm,
        Err(e) => {
            errors.at(2, format!("front matter: {e}"));
            return Err(errors.list);
        }
    };
    if fm.nodes == 0 || fm.nodes > 9 {
        errors.at(2, format!("nodes: {} is not between 1 and 9", fm.nodes));
    }
    if fm.managers == 0 || fm.managers > fm.nodes {
        errors.at(2, format!("managers: {} is not between 1 and nodes ({})", fm.managers, fm.nodes));
    }
    let nodes: Vec<String> = (1..=fm.nodes).map(|n| format!("node{n}")).collect();
    let setup = match fm.setup {
        None => Setup { swarm: false, commands: Vec::new() },
        Some(SetupSpec::Word(w)) => match w.as_str() {
            "swarm" => Setup { swarm: true, commands: Vec::new() },
            "fresh" => Setup { swarm: false, commands: Vec::new() },
            other => {
                errors.at(2, format!("setup: {other:?} is neither `swarm` nor `fresh`"));
                Setup { swarm: false, commands: Vec::new() }
            }
        },
        Some(SetupSpec::Full { swarm, commands: listed }) => {
            // Each command at its own line of the front matter (which starts at line 2),
            // found in order; line 2 when YAML quoting hides it.
            let front_lines: Vec<&str> = front.lines().collect();
            let mut from = 0;
            let mut commands = Vec::new();
            for c in &listed {
                let line = match front_lines.iter().skip(from).position(|l| l.contains(c.as_str())) {
                    Some(i) => {
                        from += i + 1;
                        from + 1
                    }
                    None => 2,
                };
                match crate::headless::script::parse_at(c, line) {
                    Ok(steps) => {
                        for step in &steps {
                            check_node(&mut errors, &nodes, &step.node, step.line);
                        }
                        commands.extend(steps);
                    }
                    Err(e) => errors.at(e.line, format!("setup commands: {}", e.message)),
                }
            }
            Setup { swarm, commands }
        }
    };

    let mut steps: Vec<Step> = Vec::new();
    let mut files: Vec<LessonFile> = Vec::new();
    let mut intro = String::new();
    let mut prose = String::new();
    // Where the text not yet given to a step or the intro starts.
    let mut last = doc.body;
    for item in doc.items {
        let (info, body, closed) = match item.kind {
            ItemKind::Step { title } => {
                prose.push_str(&text[last..item.range.start]);
                flush(&mut prose, steps.last_mut(), &mut intro);
                last = item.range.end;
                steps.push(Step {
                    title,
                    line: lines.line(item.range.start),
                    parts: Vec::new(),
                    hints: Vec::new(),
                    solution: Vec::new(),
                    check: None,
                });
                continue;
            }
            ItemKind::Fence { info, text, closed } => (info, text, closed),
        };
        let fence_line = lines.line(item.range.start);
        if !closed {
            let mark = document::fence_mark(&text[item.range.clone()]);
            errors.at(fence_line, format!("unterminated {mark} block: it is never closed"));
            break;
        }
        let kind = block_kind(&info);
        if kind == Kind::Prose {
            // A block shown as written (```yaml …): part of the prose around it.
            continue;
        }
        prose.push_str(&text[last..item.range.start]);
        last = item.range.end;
        let block = Block { line: fence_line + 1, text: body };
        let Some(step) = steps.last_mut() else {
            errors.at(fence_line, format!("a `{info}` block before the first `##` step"));
            continue;
        };
        match kind {
            Kind::Prose => {}
            Kind::Runnable(node) => {
                check_node(&mut errors, &nodes, &node, fence_line);
                flush(&mut prose, Some(step), &mut intro);
                let commands = block.text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
                step.parts.push(Part::Runnable { node, commands });
            }
            Kind::File(name) => {
                if let Err(e) = valid_file_name(&name) {
                    errors.at(fence_line, e);
                } else if let Some(f) = files.iter().find(|f: &&LessonFile| f.name == name) {
                    errors.at(fence_line, format!("file {name} is already provided at line {}", f.line));
                } else {
                    flush(&mut prose, Some(step), &mut intro);
                    files.push(LessonFile { name: name.clone(), text: block.text.clone(), line: fence_line });
                    step.parts.push(Part::File { name, text: block.text });
                }
            }
            Kind::Hint => step.hints.push(block.text.trim_end().to_string()),
            Kind::Solution => match crate::headless::script::parse_at(&block.text, block.line) {
                Ok(s) => {
                    for c in &s {
                        check_node(&mut errors, &nodes, &c.node, c.line);
                    }
                    step.solution.extend(s);
                }
                Err(e) => errors.at(e.line, e.message),
            },
            Kind::Check => {
                if step.check.is_some() {
                    errors.at(fence_line, "a step has one check block; put every query in it");
                }
                match parse_check(&block.text, block.line, &nodes) {
                    Ok(c) => step.check = Some(c),
                    Err(list) => list.into_iter().for_each(|(l, m)| errors.at(l, m)),
                }
            }
        }
    }
    prose.push_str(&text[last.min(text.len())..]);
    flush(&mut prose, steps.last_mut(), &mut intro);
    if steps.is_empty() {
        errors.at(lines.line(doc.body), "no steps: each step starts with a `## ` heading");
    }
    for s in &steps {
        if s.check.is_none() {
            errors.at(s.line, format!("step \"{}\" has no ```check block", s.title));
        }
        if s.solution.is_empty() {
            errors.at(s.line, format!("step \"{}\" has no ```solution block", s.title));
        }
    }
    for (line, message) in cross_pane_variables(&steps) {
        errors.at(line, message);
    }
    let setup_commands = setup.commands.iter().map(|c| (2, c.command.as_str()));
    for (line, message) in fixed_addresses(setup_commands.chain(typed_commands(&steps))) {
        errors.at(line, message);
    }
    if !errors.list.is_empty() {
        return Err(errors.list);
    }
    Ok(Lesson {
        id: fm.id,
        title: fm.title,
        intro: intro.trim().to_string(),
        nodes,
        managers: fm.managers,
        setup,
        steps,
        files,
        path: path.to_path_buf(),
    })
}

/// Each pane is a shell of its own: a variable set in one is unknown in another. The
/// solutions and the blocks, in the order a learner types them, must not use a
/// variable set only on other nodes. (line, message) for each that does.
fn cross_pane_variables(steps: &[Step]) -> Vec<(usize, String)> {
    let mut errors = Vec::new();
    for typed in [Typed::Solutions, Typed::Blocks] {
        let mut set_on: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for step in steps {
            let commands: Vec<(usize, String, String)> = match typed {
                Typed::Solutions => step.solution.iter().map(|c| (c.line, c.node.clone(), c.command.clone())).collect(),
                Typed::Blocks => step
                    .runnables()
                    .flat_map(|(node, cmds)| cmds.iter().map(move |c| (step.line, node.to_string(), c.clone())))
                    .collect(),
            };
            for (line, node, command) in commands {
                for var in variables_used(&command) {
                    if let Some(nodes) = set_on.get(&var).filter(|n| !n.contains(&node)) {
                        errors.push((
                            line,
                            format!(
                                "`${var}` is set on {}, but this runs on {node}: each pane is its own shell, so a learner typing it gets an empty value; fetch it where it is used (`$(docker -H node1 …)`)",
                                nodes.join(", ")
                            ),
                        ));
                    }
                }
                if let Some((name, _)) = crate::headless::words::assignment(&command) {
                    set_on.entry(name.to_string()).or_default().push(node);
                }
            }
        }
    }
    errors
}

/// Every command a lesson has a learner type or run: (line, command).
fn typed_commands(steps: &[Step]) -> impl Iterator<Item = (usize, &str)> {
    steps.iter().flat_map(|step| {
        let solution = step.solution.iter().map(|c| (c.line, c.command.as_str()));
        let blocks = step.runnables().flat_map(move |(_, cmds)| cmds.iter().map(move |c| (step.line, c.as_str())));
        solution.chain(blocks)
    })
}

/// Each running lab has its own block of addresses (127.10.0.x for the first, 127.11.0.x
/// for a second …), so an address written in a lesson is wrong in every lab but one.
fn fixed_addresses<'a>(commands: impl Iterator<Item = (usize, &'a str)>) -> Vec<(usize, String)> {
    let lab_address =
        |word: &&str| word.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.octets()[0] == 127 && ip.octets()[1] >= 10);
    commands
        .filter_map(|(line, command)| {
            let word = command.split(|c: char| !(c.is_ascii_digit() || c == '.')).find(lab_address)?;
            Some((
                line,
                format!(
                    "`{word}` is one lab's address: each running lab has its own, so name the node instead (`-H node1`, `node1:2377`) or ask it (`$(hostname -i)`)"
                ),
            ))
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Typed {
    Solutions,
    Blocks,
}

/// `$NAME` and `${NAME}` in a command, outside single quotes.
fn variables_used(command: &str) -> Vec<String> {
    let b = command.as_bytes();
    let (mut out, mut i, mut quoted) = (Vec::new(), 0, false);
    while i < b.len() {
        match b[i] {
            b'\'' => quoted = !quoted,
            b'$' if !quoted => {
                let braced = b.get(i + 1) == Some(&b'{');
                let start = i + 1 + usize::from(braced);
                let len = b[start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                if len > 0 && !b[start].is_ascii_digit() {
                    out.push(command[start..start + len].to_string());
                }
                i = start + len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Prose,
    Runnable(String),
    /// A file the lesson provides: ```` ```file stack.yml ````.
    File(String),
    Hint,
    Solution,
    Check,
}

pub(super) fn block_kind(info: &str) -> Kind {
    let word = info.split_whitespace().next().unwrap_or("");
    match word {
        "hint" => Kind::Hint,
        "solution" => Kind::Solution,
        "check" => Kind::Check,
        "file" => Kind::File(info.split_whitespace().nth(1).unwrap_or("").to_string()),
        // Play-with-Docker's blocks: ```.term1 runs in the first terminal.
        w if w.starts_with(".term") && w[5..].parse::<u32>().is_ok() => Kind::Runnable(format!("node{}", &w[5..])),
        w if w.starts_with("node") && w[4..].parse::<u32>().is_ok() => Kind::Runnable(w.to_string()),
        _ => Kind::Prose,
    }
}

fn flush(prose: &mut String, step: Option<&mut Step>, intro: &mut String) {
    if prose.trim().is_empty() {
        prose.clear();
        return;
    }
    match step {
        Some(s) => s.parts.push(Part::Prose(prose.trim_matches('\n').to_string())),
        None => intro.push_str(prose),
    }
    prose.clear();
}

/// A file a lesson provides lands in the panes' working directory: a plain name.
fn valid_file_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a `file` block names its file: ```file stack.yml".to_string());
    }
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !plain || name.starts_with(['-', '.']) {
        return Err(format!("file name {name:?}: a plain file name (letters, digits, `.`, `_`, `-`), no directories"));
    }
    Ok(())
}

fn check_node(errors: &mut Errors, nodes: &[String], node: &str, line: usize) {
    if !nodes.iter().any(|n| n == node) {
        errors.at(line, format!("unknown node {node:?}: this lesson has {}", nodes.join(", ")));
    }
}

/// Parses a check block whose first line is `first`; errors are (line, message).
pub fn parse_check(text: &str, first: usize, nodes: &[String]) -> Result<Check, Vec<(usize, String)>> {
    let mut items: Vec<Item> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = first + i;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(rest) = t.strip_prefix("ran:") {
            let mut words = rest.split_whitespace();
            let node = words.next().unwrap_or("").to_string();
            let prefix = words.collect::<Vec<_>>().join(" ");
            if !nodes.contains(&node) {
                errors.push((line, format!("ran: unknown node {node:?}: this lesson has {}", nodes.join(", "))));
            }
            if prefix.is_empty() {
                errors.push((line, "ran: needs a node and the command's beginning".to_string()));
            }
            items.push(Item::Ran { line, node, prefix, why: None });
            continue;
        }
        if let Some((who, command)) = t.split_once('$')
            && (who.is_empty() || who.starts_with("node"))
            && !who.contains(' ')
        {
            let node = (!who.is_empty()).then(|| who.to_string());
            if let Some(n) = &node
                && !nodes.contains(n)
            {
                errors.push((line, format!("unknown node {n:?}: this lesson has {}", nodes.join(", "))));
            }
            let command = command.trim().to_string();
            if !command.starts_with("docker ") {
                errors.push((line, format!("a check query is a docker command, not {command:?}")));
            }
            items.push(Item::Query { line, node, command, expects: Vec::new(), why: None });
            continue;
        }
        if let Some(text) = t.strip_prefix("why:") {
            // The author's words for the item above, several lines joined.
            match items.last_mut() {
                Some(Item::Query { why, .. } | Item::Ran { why, .. }) => {
                    let w = why.get_or_insert_with(String::new);
                    if !w.is_empty() {
                        w.push(' ');
                    }
                    w.push_str(text.trim());
                }
                None => errors.push((line, "`why:` explains the query or `ran:` above it".to_string())),
            }
            continue;
        }
        let Some((key, value)) = t.split_once(':') else {
            errors.push((line, format!("expected `$ docker …`, `ran: NODE COMMAND` or an expectation, got {t:?}")));
            continue;
        };
        let value = value.trim();
        let expect = match key.trim() {
            "equals" => Expect::Equals(unquote(value)),
            "contains" => Expect::Contains(unquote(value)),
            "matches" => match regex::Regex::new(&unquote(value)) {
                Ok(re) => Expect::Matches(super::check::Pattern(re)),
                Err(e) => {
                    errors.push((line, format!("matches: not a regular expression: {e}")));
                    continue;
                }
            },
            "lines" => match value.parse() {
                Ok(n) => Expect::Lines(n),
                Err(_) => {
                    errors.push((line, format!("lines: expects a number, got {value:?}")));
                    continue;
                }
            },
            "exit" => match value.parse() {
                Ok(n) => Expect::Exit(n),
                Err(_) => {
                    errors.push((line, format!("exit: expects a number, got {value:?}")));
                    continue;
                }
            },
            other => {
                errors.push((line, format!("unknown expectation {other:?}: equals, contains, matches, lines or exit")));
                continue;
            }
        };
        match items.last_mut() {
            Some(Item::Query { expects, .. }) => expects.push(expect),
            _ => errors.push((line, "an expectation must follow a `$ docker …` query".to_string())),
        }
    }
    for item in &items {
        if let Item::Query { line, command, expects, .. } = item
            && expects.is_empty()
        {
            errors.push((
                *line,
                format!("the query `{command}` has no expectation (equals, contains, matches, lines, exit)"),
            ));
        }
    }
    if items.is_empty() {
        errors.push((first, "an empty check: list docker queries and their expected answers".to_string()));
    }
    if errors.is_empty() { Ok(Check { line: first.saturating_sub(1), items }) } else { Err(errors) }
}

/// `"two words"` or `'x'` -> the inside; anything else as written.
fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_set_in_one_pane_and_used_in_another_is_an_authoring_error() {
        let text = "---\nid: t\ntitle: T\nnodes: 2\n---\n\n## One\n\n```node1\nT=$(docker swarm join-token -q worker)\n```\n\n```node2\ndocker swarm join --token $T x\n```\n\n```solution\nnode1$ TOKEN=$(docker swarm join-token -q worker)\nnode2$ docker swarm join --token ${TOKEN} node1:2377\nnode1$ echo '$TOKEN' $TOKEN\n```\n\n```check\nran: node2 docker swarm join\n```\n";
        let errors = parse(text, Path::new("t.md")).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|(l, m)| *l == 19 && m.starts_with("`$TOKEN` is set on node1, but this runs on node2")),
            "{found:?}"
        );
        assert!(found.iter().any(|(l, _)| *l == 7), "a block: the step's line: {found:?}");
        assert_eq!(variables_used("a '$X' \"$Y\" ${Z}x $1"), ["Y", "Z"]);
    }

    #[test]
    fn an_address_of_one_lab_written_in_a_lesson_is_an_authoring_error() {
        let text = "---\nid: t\ntitle: T\nnodes: 2\nsetup:\n  commands:\n    - node1$ docker swarm init --advertise-addr 127.10.0.11\n---\n\n## One\n\n```node2\ncurl 127.11.0.12:8080\ncurl $(hostname -i):8080\n```\n\n```solution\nnode2$ docker swarm join --token $(docker -H node1 swarm join-token -q worker) node1:2377\nnode2$ docker -H tcp://127.10.0.11:2375 node ls\nnode1$ curl -s 127.0.0.1:8080\n```\n\n```check\nran: node2 curl\n```\n";
        let errors = parse(text, Path::new("t.md")).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].1.starts_with("`127.10.0.11` is one lab's address"), "{found:?}");
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [2, 19, 10], "{found:?}");
        assert!(found[1].1.starts_with("`127.10.0.11` is"), "{found:?}");
        assert!(found[2].1.starts_with("`127.11.0.12` is"), "{found:?}");
    }
}
