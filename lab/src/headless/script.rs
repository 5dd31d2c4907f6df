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

/// Parses a whole script; errors name the line.
pub fn parse(source: &str, name: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((node, rest)) = line.split_once('$') else {
            return Err(format!("{name}:{}: expected `nodeN$ command`, got {line:?}", i + 1));
        };
        let node = node.trim();
        if node.is_empty() || !node.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(format!("{name}:{}: expected a node name before `$`, got {node:?}", i + 1));
        }
        let rest = rest.trim();
        let (expect_failure, command) = match rest.strip_prefix('!') {
            Some(c) if c.starts_with(char::is_whitespace) => (true, c.trim()),
            _ => (false, rest),
        };
        if command.is_empty() {
            return Err(format!("{name}:{}: no command after `{node}$`", i + 1));
        }
        steps.push(Step { line: i + 1, node: node.to_string(), command: command.to_string(), expect_failure });
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
    }
}
