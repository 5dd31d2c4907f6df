//! Just enough of a POSIX shell for transcripts: quotes, backslashes, `$VAR`,
//! `${VAR}`, `$(command)` (run on the same node) and word splitting of unquoted
//! expansions. Anything fancier (pipes, redirections) is refused with a clear error.

/// Runs a nested command for `$(…)` and returns its standard output.
pub type Substitute<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

/// Splits `line` into words, expanding variables from `vars` and `$(…)` through `sub`.
pub fn split(line: &str, vars: &dyn Fn(&str) -> Option<String>, sub: &mut Substitute) -> Result<Vec<String>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
                i += 1;
            }
            '\'' => {
                let end = chars[i + 1..].iter().position(|&c| c == '\'').ok_or("unterminated quoted string")?;
                cur.extend(&chars[i + 1..i + 1 + end]);
                in_word = true;
                i += end + 2;
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unterminated quoted string".into());
                    };
                    match c {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            cur.push(chars[i + 1]);
                            i += 2;
                        }
                        '$' => {
                            let (text, next) = dollar(&chars, i, vars, sub)?;
                            cur.push_str(&text);
                            i = next;
                        }
                        _ => {
                            cur.push(c);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    cur.push(n);
                    in_word = true;
                }
                i += 2;
            }
            '$' => {
                let (text, next) = dollar(&chars, i, vars, sub)?;
                // Unquoted expansions are split on white space.
                let mut parts = text.split_whitespace().peekable();
                if text.starts_with(char::is_whitespace) && in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
                while let Some(p) = parts.next() {
                    cur.push_str(p);
                    in_word = true;
                    if parts.peek().is_some() {
                        words.push(std::mem::take(&mut cur));
                    }
                }
                if text.ends_with(char::is_whitespace) && in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
                i = next;
            }
            '|' | '>' | '<' | ';' | '&' | '`' => {
                return Err(format!("'{c}' is not supported in swarmlab scripts"));
            }
            _ => {
                cur.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Expands the `$…` at `i`; returns the text and the index after it.
fn dollar(
    chars: &[char],
    i: usize,
    vars: &dyn Fn(&str) -> Option<String>,
    sub: &mut Substitute,
) -> Result<(String, usize), String> {
    match chars.get(i + 1) {
        Some('(') => {
            let mut depth = 0;
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            while j < chars.len() {
                let c = chars[j];
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '(') => depth += 1,
                    (None, ')') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err("unterminated $(".into());
            }
            let inner: String = chars[i + 2..j].iter().collect();
            let out = sub(&inner)?;
            Ok((out.trim_end_matches('\n').to_string(), j + 1))
        }
        Some('{') => {
            let end = chars[i + 2..].iter().position(|&c| c == '}').ok_or("unterminated ${")?;
            let name: String = chars[i + 2..i + 2 + end].iter().collect();
            Ok((vars(&name).unwrap_or_default(), i + 3 + end))
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let len = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').count();
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            Ok((vars(&name).unwrap_or_default(), i + 1 + len))
        }
        _ => Ok(("$".into(), i + 1)),
    }
}

/// `NAME=value` alone on a line: a variable assignment.
pub fn assignment(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Result<Vec<String>, String> {
        let vars = |n: &str| (n == "TOKEN").then(|| "SWMTKN-1-abc".to_string());
        let mut sub = |cmd: &str| Ok(format!("<{cmd}>\n"));
        split(line, &vars, &mut sub)
    }

    #[test]
    fn quotes_variables_and_substitution() {
        assert_eq!(
            run("docker swarm join --token $TOKEN 127.10.0.11:2377").unwrap(),
            ["docker", "swarm", "join", "--token", "SWMTKN-1-abc", "127.10.0.11:2377"]
        );
        assert_eq!(run("a 'b c' \"d $TOKEN\" ${TOKEN}x").unwrap(), ["a", "b c", "d SWMTKN-1-abc", "SWMTKN-1-abcx"]);
        assert_eq!(run("x --advertise-addr $(hostname -i)").unwrap(), ["x", "--advertise-addr", "<hostname", "-i>"]);
        assert_eq!(run("x \"$(hostname -i)\"").unwrap(), ["x", "<hostname -i>"]);
        assert_eq!(run("-f '{{.ID}} {{.Status}}'").unwrap(), ["-f", "{{.ID}} {{.Status}}"]);
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        assert!(run("a | b").is_err());
        assert!(run("a 'b").is_err());
        assert!(run("a $(b").is_err());
    }

    #[test]
    fn assignments() {
        assert_eq!(assignment("TOKEN=$(x)"), Some(("TOKEN", "$(x)")));
        assert_eq!(assignment("docker x=y"), None);
    }
}
