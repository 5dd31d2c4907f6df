//! Transcript scripts: `nodeN$ command` per line, `#` comments, and `nodeN$ ! command`
//! for a command that is expected to fail.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based line number in the script.
    pub line: usize,
    pub node: String,
    pub command: String,
    pub expect_failure: bool,
}

/// A script that does not parse: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub line: usize,
    pub message: String,
}

impl ScriptError {
    /// `name:LINE: message`, as errors about files read.
    pub fn named(&self, name: &str) -> String {
        format!("{name}:{}: {}", self.line, self.message)
    }
}

/// Parses a whole script; errors name the line.
pub fn parse(source: &str, name: &str) -> Result<Vec<Step>, String> {
    parse_at(source, 1).map_err(|e| e.named(name))
}

/// Parses a script whose first line is line `first_line` of a larger file (a lesson's
/// solution block), so that steps and errors carry the file's line numbers.
pub fn parse_at(source: &str, first_line: usize) -> Result<Vec<Step>, ScriptError> {
    let mut steps = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let at = first_line + i;
        let fail = |message: String| ScriptError { line: at, message };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((node, rest)) = line.split_once('$') else {
            return Err(fail(format!("expected `nodeN$ command`, got {line:?}")));
        };
        let node = node.trim();
        if node.is_empty() || !node.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(fail(format!("expected a node name before `$`, got {node:?}")));
        }
        let rest = rest.trim();
        let (expect_failure, command) = match rest.strip_prefix('!') {
            Some(c) if c.starts_with(char::is_whitespace) => (true, c.trim()),
            _ => (false, rest),
        };
        if command.is_empty() {
            return Err(fail(format!("no command after `{node}$`")));
        }
        steps.push(Step { line: at, node: node.to_string(), command: command.to_string(), expect_failure });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_steps_comments_and_expected_failures() {
        let s = parse("# a swarm\nnode1$ docker swarm init\n\nnode2$ ! docker node ls\n", "t").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0],
            Step { line: 2, node: "node1".into(), command: "docker swarm init".into(), expect_failure: false }
        );
        assert!(s[1].expect_failure);
        assert_eq!(s[1].line, 4);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("node1$ ok\nwhat is this\n", "s.txt").unwrap_err(),
            "s.txt:2: expected `nodeN$ command`, got \"what is this\""
        );
        assert!(parse("node1$ \n", "s").unwrap_err().starts_with("s:1: no command"));
        let e = parse_at("node1$ ok\n\nnode2 ls\n", 40).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (42, "expected `nodeN$ command`, got \"node2 ls\""));
        assert_eq!(parse_at("\nnode1$ ok\n", 7).unwrap()[0].line, 8);
    }
}
