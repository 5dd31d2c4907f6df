//! Image references as distribution/reference reads them (the grammar docker/cli
//! checks a stack's images with, and swarmkit a service's): `[domain/]path[:tag][@digest]`.

/// Why a reference does not parse, in distribution/reference's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError(pub String);

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const NAME_MAX: usize = 255;

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &s[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-')) {
            return false;
        }
    }
    true
}

/// A host name (`[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?` joined by dots) or a
/// bracketed IPv6 address, with an optional `:port`.
fn domain(s: &str) -> bool {
    let (host, port) = match s.rfind(']') {
        Some(end) => match &s[end + 1..] {
            "" => (&s[..=end], None),
            after => match after.strip_prefix(':') {
                Some(p) => (&s[..=end], Some(p)),
                None => return false,
            },
        },
        None => match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !v6.is_empty() && v6.bytes().all(|c| c.is_ascii_hexdigit() || c == b':');
    }
    let label = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    host.split('.').all(label)
}

/// `[\w][\w.-]{0,127}`
fn tag(s: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = s.as_bytes();
    !b.is_empty() && b.len() <= 128 && word(b[0]) && b.iter().all(|c| word(*c) || *c == b'.' || *c == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
fn digest(s: &str) -> bool {
    let Some((algorithm, hex)) = s.split_once(':') else { return false };
    let part = |p: &str| {
        p.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && p.bytes().all(|c| c.is_ascii_alphanumeric())
    };
    algorithm.split(['-', '_', '+', '.']).all(part) && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// The whole reference grammar; the name's length is returned to be checked.
fn matches(s: &str) -> Option<usize> {
    let (rest, dig) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if dig.is_some_and(|d| !digest(d)) {
        return None;
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, t) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if t.is_some_and(|t| !tag(t)) {
        return None;
    }
    let parts: Vec<&str> = name.split('/').collect();
    let all_paths = parts.iter().all(|p| path_component(p));
    let with_domain = parts.len() > 1 && domain(parts[0]) && parts[1..].iter().all(|p| path_component(p));
    (all_paths || with_domain).then_some(name.len())
}

/// distribution/reference `Parse`.
fn parse(s: &str) -> Result<(), RefError> {
    match matches(s) {
        Some(len) if len > NAME_MAX => {
            Err(RefError(format!("repository name must not be more than {NAME_MAX} characters")))
        }
        Some(_) => Ok(()),
        None if s.is_empty() => Err(RefError("repository name must have at least one component".into())),
        None if matches(&s.to_lowercase()).is_some() => Err(RefError("repository name must be lowercase".into())),
        None => Err(RefError("invalid reference format".into())),
    }
}

fn is_identifier(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// distribution/reference `ParseNormalizedNamed` (what swarmkit checks a service's
/// image with).
pub fn parse_normalized_named(s: &str) -> Result<(), RefError> {
    if is_identifier(s) {
        return Err(RefError(format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")));
    }
    parse(s)
}

/// distribution/reference `ParseAnyReference` (what `docker stack deploy` checks a
/// service's image with): a bare image ID or digest is a reference too.
pub fn parse_any(s: &str) -> Result<(), RefError> {
    if is_identifier(s) || digest(s) {
        return Ok(());
    }
    parse_normalized_named(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_references_parse_and_malformed_ones_say_why() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "library/nginx:latest",
            "docker.io/library/redis:7",
            "localhost:5000/my_app/web-1:v1.2",
            "registry.example.com/a__b/c--d",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/app",
        ] {
            assert_eq!(parse_normalized_named(ok), Ok(()), "{ok}");
        }
        let e = |s: &str| parse_normalized_named(s).unwrap_err().0;
        assert_eq!(e("nginx:${B:-x}"), "invalid reference format");
        assert_eq!(e("nginx:a b"), "invalid reference format");
        assert_eq!(e("Nginx"), "repository name must be lowercase");
        assert_eq!(e(""), "repository name must have at least one component");
        assert_eq!(e("a..b"), "invalid reference format");
        assert_eq!(e(&"a".repeat(256)), "repository name must not be more than 255 characters");
        let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert!(e(id).starts_with("invalid repository name ("));
        assert_eq!(parse_any(id), Ok(()));
    }
}
