//! Variable substitution in compose files, as docker/cli's `compose/template`: `$VAR`,
//! `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
//! `${VAR:?message}` / `${VAR?message}` (required), `$$` for a dollar sign.

use std::fmt::Write as _;
/// Go's `%#v` of a string: double-quoted with Go's escapes.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// docker/cli's `InvalidTemplateError`: the template, or what a required variable lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Invalid template: {}", go_quote(&self.0))
    }
}

impl TemplateError {
    /// docker/cli's message when interpolating the value at `path` fails.
    pub fn at(&self, path: &str) -> String {
        format!(
            "invalid interpolation format for {path}: {}; you may need to escape any $ with another $",
            go_quote(&self.0)
        )
    }
}

fn invalid(template: &str) -> TemplateError {
    TemplateError(template.to_string())
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Substitutes every variable in `template`; `lookup` gives a variable's value when set.
pub fn substitute(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                out.push('$');
                i += 2;
            }
            Some('{') => {
                let Some(close) = chars[i + 2..].iter().position(|c| *c == '}') else {
                    return Err(invalid(template));
                };
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                out.push_str(&expand(&inner, template, lookup)?);
                i += 3 + close;
            }
            Some(c) if is_name_start(*c) => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && is_name(chars[end]) {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                out.push_str(&lookup(&name).unwrap_or_default());
                i = end;
            }
            _ => return Err(invalid(template)),
        }
    }
    Ok(out)
}

/// The inside of `${…}`: a name, then optionally one of `:-`, `-`, `:?`, `?` and a word.
fn expand(inner: &str, template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, TemplateError> {
    let name_len = inner.char_indices().find(|(_, c)| !is_name(*c)).map_or(inner.len(), |(i, _)| i);
    let (name, rest) = inner.split_at(name_len);
    if name.is_empty() || !name.starts_with(is_name_start) {
        return Err(invalid(template));
    }
    let value = lookup(name);
    let required = |message: &str| invalid(&format!("required variable {name} is missing a value: {message}"));
    if rest.is_empty() {
        return Ok(value.unwrap_or_default());
    }
    if let Some(default) = rest.strip_prefix(":-") {
        return Ok(value.filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string()));
    }
    if let Some(default) = rest.strip_prefix('-') {
        return Ok(value.unwrap_or_else(|| default.to_string()));
    }
    if let Some(message) = rest.strip_prefix(":?") {
        return value.filter(|v| !v.is_empty()).ok_or_else(|| required(message));
    }
    if let Some(message) = rest.strip_prefix('?') {
        return value.ok_or_else(|| required(message));
    }
    Err(invalid(template))
}

/// Reads an `.env` file: `NAME=value` lines, `#` comments, optional `export `, quotes
/// around the value removed.
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            let (k, v) = l.split_once('=')?;
            let v = v.trim();
            let v = ['"', '\''].iter().find_map(|q| v.strip_prefix(*q).and_then(|x| x.strip_suffix(*q))).unwrap_or(v);
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "TAG" => Some("1.27".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn sub(t: &str) -> Result<String, String> {
        substitute(t, &env).map_err(|e| e.to_string())
    }

    #[test]
    fn substitutes_like_docker_cli() {
        assert_eq!(sub("nginx:${TAG}").unwrap(), "nginx:1.27");
        assert_eq!(sub("nginx:$TAG-alpine").unwrap(), "nginx:1.27-alpine");
        assert_eq!(sub("${NOPE:-latest}").unwrap(), "latest");
        assert_eq!(sub("${EMPTY:-latest}").unwrap(), "latest");
        assert_eq!(sub("${EMPTY-latest}").unwrap(), "");
        assert_eq!(sub("${NOPE-x}").unwrap(), "x");
        assert_eq!(sub("$$HOME and $NOPE.").unwrap(), "$HOME and .");
        assert_eq!(sub("${TAG:?needed}").unwrap(), "1.27");
    }

    #[test]
    fn errors_read_like_docker_cli() {
        assert_eq!(
            sub("${NOPE:?set NOPE}").unwrap_err(),
            "Invalid template: \"required variable NOPE is missing a value: set NOPE\""
        );
        assert_eq!(
            sub("${EMPTY:?x}").unwrap_err(),
            "Invalid template: \"required variable EMPTY is missing a value: x\""
        );
        assert_eq!(sub("${EMPTY?x}").unwrap(), "");
        assert_eq!(sub("a ${").unwrap_err(), "Invalid template: \"a ${\"");
        assert_eq!(sub("${}").unwrap_err(), "Invalid template: \"${}\"");
        assert_eq!(sub("$ 1").unwrap_err(), "Invalid template: \"$ 1\"");
        assert_eq!(sub("${TAG%x}").unwrap_err(), "Invalid template: \"${TAG%x}\"");
    }

    #[test]
    fn path_errors_read_like_docker_cli() {
        let e = substitute("${NOPE:?x}", &env).unwrap_err();
        assert_eq!(
            e.at("services.web.image"),
            "invalid interpolation format for services.web.image: \"required variable NOPE is missing a value: x\"; you may need to escape any $ with another $"
        );
    }

    #[test]
    fn env_files_parse() {
        let e = parse_env_file("# c\nTAG=1.27\nexport A=\"b c\"\n\nBAD\nQ='x'\n");
        assert_eq!(e, vec![("TAG".into(), "1.27".into()), ("A".into(), "b c".into()), ("Q".into(), "x".into())]);
    }
}
