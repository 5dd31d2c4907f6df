//! The `sed` a lesson's solution uses to edit a file it provides:
//! `sed [-i] [-e] 's/RE/REPLACEMENT/[g]' FILE…`, with POSIX basic regular expressions
//! and GNU's error wording, so a headless run plays what a learner types in a real
//! shell. Only the `s` command: anything else is refused in sed's words.

use regex::Regex;
use std::fmt::Write as _;

/// One `s` command, ready to apply.
#[derive(Debug)]
pub struct Substitute {
    re: Regex,
    /// In the regex crate's replacement syntax (`${1}`, `$$`).
    replacement: String,
    global: bool,
}

/// A whole `sed` command line: the substitution, the files, and whether they are
/// edited in place (else printed). No file with `-i` is GNU's error; no file
/// without it reads standard input, which a headless run has empty.
#[derive(Debug)]
pub struct Invocation {
    pub in_place: bool,
    pub sub: Substitute,
    pub files: Vec<String>,
}

impl Invocation {
    /// Parses sed's arguments; the error is (message, exit code) as GNU sed's.
    pub fn parse(args: &[String]) -> Result<Invocation, (String, i32)> {
        let mut in_place = false;
        let mut script = None;
        let mut files = Vec::new();
        let mut words = args.iter();
        while let Some(w) = words.next() {
            match w.as_str() {
                "-i" | "--in-place" => in_place = true,
                "-e" | "--expression" => script = words.next().cloned(),
                flag if flag.starts_with('-') && flag.len() > 1 => {
                    return Err((format!("swarmlab: this sed knows -i and -e only, not {flag}"), 1));
                }
                _ if script.is_none() => script = Some(w.clone()),
                _ => files.push(w.clone()),
            }
        }
        let Some(script) = script else {
            return Err(("Usage: sed [-i] [-e] 's/RE/REPLACEMENT/[g]' FILE...".into(), 1));
        };
        let sub = Substitute::parse(&script).map_err(|e| (e, 1))?;
        if files.is_empty() && in_place {
            return Err(("sed: no input files".into(), 4));
        }
        Ok(Invocation { in_place, sub, files })
    }
}

/// GNU sed's message for a bad expression at 1-based character `at`.
fn bad(at: usize, what: &str) -> String {
    format!("sed: -e expression #1, char {at}: {what}")
}

impl Substitute {
    /// Parses a script such as `s/replicas: 2/replicas: 4/g`.
    pub fn parse(script: &str) -> Result<Substitute, String> {
        let chars: Vec<char> = script.chars().collect();
        match chars.first() {
            None => return Err(bad(0, "no previous regular expression")),
            Some('s') => {}
            Some(_) => return Err("swarmlab: this sed runs s/RE/REPLACEMENT/ substitutions only".to_string()),
        }
        let Some(&delim) = chars.get(1).filter(|c| **c != '\\' && **c != '\n') else {
            return Err(bad(chars.len(), "unterminated `s' command"));
        };
        // The pattern and the replacement end at the next unescaped delimiter.
        let mut parts = [String::new(), String::new()];
        let mut i = 2;
        for part in parts.iter_mut() {
            loop {
                match chars.get(i) {
                    None => return Err(bad(chars.len(), "unterminated `s' command")),
                    Some(c) if *c == delim => break,
                    Some('\\') if chars.get(i + 1) == Some(&delim) => {
                        part.push(delim);
                        i += 1;
                    }
                    Some('\\') => {
                        part.push('\\');
                        if let Some(n) = chars.get(i + 1) {
                            part.push(*n);
                            i += 1;
                        }
                    }
                    Some(c) => part.push(*c),
                }
                i += 1;
            }
            i += 1;
        }
        let mut global = false;
        for (k, c) in chars.iter().enumerate().skip(i) {
            match c {
                'g' => global = true,
                ';' | ' ' | '\n' if chars[k..].iter().all(|c| c.is_whitespace() || *c == ';') => break,
                _ => return Err(bad(k + 1, "unknown option to `s'")),
            }
        }
        let re = Regex::new(&basic_to_regex(&parts[0])).map_err(|e| {
            let e = e.to_string();
            let what = if e.contains("unclosed group") {
                "Unmatched ( or \\("
            } else if e.contains("unopened group") {
                "Unmatched ) or \\)"
            } else {
                "Invalid preceding regular expression"
            };
            bad(chars.len(), what)
        })?;
        Ok(Substitute { re, replacement: replacement(&parts[1]), global })
    }

    /// The text with every line substituted (sed works line by line).
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            let limit = if self.global { 0 } else { 1 };
            out.push_str(&self.re.replacen(body, limit, self.replacement.as_str()));
            out.push_str(end);
        }
        out
    }
}

/// A POSIX basic regular expression in the regex crate's syntax: `\(`, `\{`, `\+`,
/// `\?`, `\|` are the operators and their bare forms literal; brackets copied.
fn basic_to_regex(bre: &str) -> String {
    let chars: Vec<char> = bre.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i += 1;
                match chars.get(i) {
                    Some(o @ ('(' | ')' | '{' | '}' | '+' | '?' | '|')) => out.push(*o),
                    Some('n') => out.push_str("\\n"),
                    Some('t') => out.push_str("\\t"),
                    Some(d) if d.is_ascii_digit() => {
                        let _ = write!(out, "\\{d}");
                    }
                    Some(other) => out.push_str(&regex::escape(&other.to_string())),
                    None => out.push_str("\\\\"),
                }
            }
            '(' | ')' | '{' | '}' | '+' | '?' | '|' => out.push_str(&regex::escape(&c.to_string())),
            '*' if out.is_empty() || out.ends_with('(') || out == "^" => out.push_str("\\*"),
            '[' => {
                // A bracket expression runs to the first `]` after its first member.
                let start = i;
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    if chars[i] == '[' && matches!(chars.get(i + 1), Some(':' | '.' | '=')) {
                        let close = chars[i + 1];
                        i += 2;
                        while i + 1 < chars.len() && !(chars[i] == close && chars[i + 1] == ']') {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                let body: String = chars[start..i.min(chars.len())].iter().collect();
                out.push_str(&body.replace('\\', "\\\\"));
                out.push(']');
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// sed's replacement (`&` the match, `\1`…`\9` groups, `\n` a newline) in the regex
/// crate's syntax.
fn replacement(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("${0}"),
            '$' => out.push_str("$$"),
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => {
                    let _ = write!(out, "${{{d}}}");
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => {}
            },
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(script: &str, text: &str) -> String {
        Substitute::parse(script).unwrap().apply(text)
    }

    #[test]
    fn substitutes_the_first_match_per_line_or_all_with_g() {
        let yml = "web:\n  replicas: 2\napi:\n  replicas: 2\n";
        assert_eq!(sub("s/replicas: 2/replicas: 4/", yml), "web:\n  replicas: 4\napi:\n  replicas: 4\n");
        assert_eq!(sub("s/a/o/", "banana"), "bonana");
        assert_eq!(sub("s/a/o/g", "banana"), "bonono");
        assert_eq!(sub("s/x/y/", "no newline at end"), "no newline at end");
    }

    #[test]
    fn basic_regular_expressions_read_as_posix_says() {
        assert_eq!(sub(r"s/\(web\):\([0-9]*\)/\2-\1/", "web:80\n"), "80-web\n");
        assert_eq!(sub("s/1.2/x/", "1.27 1x2\n"), "x7 1x2\n");
        assert_eq!(sub(r"s/1\.2/x/g", "1.27 1x2\n"), "x7 1x2\n");
        assert_eq!(sub("s/(a+)/[&]/", "(a+) aa\n"), "[(a+)] aa\n");
        assert_eq!(sub("s/^ *//", "   x\n"), "x\n");
        assert_eq!(sub("s/[[:digit:]]\\{2\\}/N/", "a123\n"), "aN3\n");
        assert_eq!(sub("s|nginx:1.27|nginx:1.28|", "image: nginx:1.27\n"), "image: nginx:1.28\n");
        assert_eq!(sub(r"s/a\/b/c/", "a/b\n"), "c\n");
        assert_eq!(sub("s/$/ # end/", "x\n"), "x # end\n");
        assert_eq!(sub("s/x/$HOME/", "x\n"), "$HOME\n");
    }

    #[test]
    fn command_lines_parse_like_gnu_seds() {
        let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let i = Invocation::parse(&args("-i s/a/b/ x.yml y.yml")).unwrap();
        assert!(i.in_place && i.files == ["x.yml", "y.yml"]);
        let e = Invocation::parse(&args("-e s/a/b/ x.yml")).unwrap();
        assert!(!e.in_place && e.files == ["x.yml"]);
        assert!(Invocation::parse(&args("s/a/b/")).unwrap().files.is_empty(), "standard input");
        assert_eq!(Invocation::parse(&args("-i s/a/b/")).unwrap_err(), ("sed: no input files".to_string(), 4));
        assert_eq!(Invocation::parse(&args("-n s/a/b/ x")).unwrap_err().1, 1);
        assert_eq!(Invocation::parse(&[]).unwrap_err().1, 1);
    }

    #[test]
    fn bad_scripts_fail_in_gnu_seds_words() {
        let err = |s: &str| Substitute::parse(s).unwrap_err();
        assert_eq!(err("s/a/b"), "sed: -e expression #1, char 5: unterminated `s' command");
        assert_eq!(err("p"), "swarmlab: this sed runs s/RE/REPLACEMENT/ substitutions only");
        assert_eq!(err(r"s/\(/x/"), "sed: -e expression #1, char 7: Unmatched ( or \\(");
        assert_eq!(err("s/a/b/q"), "sed: -e expression #1, char 7: unknown option to `s'");
        assert!(Substitute::parse("s/a/b/g;").is_ok());
    }
}
