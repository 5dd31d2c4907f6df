//! What travels between the `docker` shim and a node's daemon: requests and replies of
//! the Docker Engine API, with moby's encodings for query strings, filters and
//! multiplexed log streams. Pure data, no I/O: the daemon and the shim both use it.

use std::fmt::Write as _;
use std::time::Duration;
use swarmlab_engine::api::{ApiError, Filters};

/// The API versions the virtual daemons speak (moby v28.2.2) and the oldest they accept.
pub use swarmlab_engine::sim::{API_VERSION, MIN_API_VERSION};

/// One API request, its path without the `/v1.xx` prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The `1.xx` of a `/v1.xx/` prefix, if the path had one.
    pub version: Option<String>,
}

impl Req {
    pub fn new(method: &str, path: &str) -> Self {
        Req { method: method.to_string(), path: path.to_string(), ..Req::default() }
    }
    pub fn param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }
    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = serde_json::to_vec(body).unwrap_or_default();
        self
    }
    /// The last value given for `key`, as Go's `url.Values.Get` (first, in fact).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    /// moby `httputils.BoolValue`: anything but "", "0", "no", "false", "none" is true.
    pub fn flag(&self, key: &str) -> bool {
        let v = self.get(key).unwrap_or("").trim().to_ascii_lowercase();
        !matches!(v.as_str(), "" | "0" | "no" | "false" | "none")
    }
    /// `path?query`, percent-encoded.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            return escape_path(&self.path);
        }
        let q: Vec<String> = self.query.iter().map(|(k, v)| format!("{}={}", escape(k), escape(v))).collect();
        format!("{}?{}", escape_path(&self.path), q.join("&"))
    }
}

/// One API reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// How long the real daemon would take to answer (a join that times out).
    pub delay: Duration,
    /// The daemon's virtual time when it answered (its `Swarmlab-Now` header).
    pub now: Option<swarmlab_engine::time::Timestamp>,
}

/// The header every answer carries its daemon's virtual time in, so that a client
/// that needs "now" does not ask for the whole of `/info`.
pub const NOW_HEADER: &str = "Swarmlab-Now";

impl Reply {
    pub fn json(status: u16, value: &impl serde::Serialize) -> Self {
        let mut body = serde_json::to_vec(value).unwrap_or_default();
        body.push(b'\n');
        Reply { status, content_type: "application/json", body, delay: Duration::ZERO, now: None }
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, content_type: "text/plain; charset=utf-8", body: Vec::new(), delay: Duration::ZERO, now: None }
    }
    pub fn stream(body: Vec<u8>) -> Self {
        Reply {
            status: 200,
            content_type: "application/vnd.docker.multiplexed-stream",
            body,
            delay: Duration::ZERO,
            now: None,
        }
    }
    /// moby's error body: `{"message": "..."}`.
    pub fn error(e: &ApiError) -> Self {
        let mut r = Self::json(e.status, &serde_json::json!({ "message": e.message }));
        r.delay = e.delay;
        r
    }
    /// The error a client sees for a non-2xx reply, with the daemon's message.
    pub fn to_error(&self) -> ApiError {
        let message = serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&self.body).trim().to_string());
        ApiError::new(self.status, message)
    }
}

/// moby `filters.ToJSON`: `{"key":{"value":true}}`.
pub fn filters_to_json(f: &Filters) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        f.0.iter()
            .map(|(k, vs)| (k.clone(), vs.iter().map(|v| (v.clone(), serde_json::Value::Bool(true))).collect()))
            .collect();
    serde_json::Value::Object(map).to_string()
}

/// moby `filters.FromJSON`: the current map form, or the legacy `{"key":["value"]}`.
pub fn filters_from_json(s: &str) -> Result<Filters, ApiError> {
    let mut f = Filters::default();
    if s.is_empty() {
        return Ok(f);
    }
    let bad = || ApiError::invalid("invalid filter");
    let v: serde_json::Value = serde_json::from_str(s).map_err(|_| bad())?;
    for (k, vs) in v.as_object().ok_or_else(bad)? {
        match vs {
            serde_json::Value::Object(m) => m.keys().for_each(|v| f.add(k, v)),
            serde_json::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).for_each(|v| f.add(k, v)),
            _ => return Err(bad()),
        }
    }
    Ok(f)
}

/// Docker's stdcopy framing: `[stream, 0, 0, 0, len (big endian u32)]` then the bytes.
pub fn frame(stream: u8, payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&[stream, 0, 0, 0]);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
}

/// Splits a multiplexed stream into its frames' payloads (stdout and stderr alike).
pub fn unframe(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    while data.len() >= 8 {
        let len = u32::from_be_bytes([data[4], data[5], data[6], data[7]]) as usize;
        let end = (8 + len).min(data.len());
        frames.push(data[8..end].to_vec());
        data = &data[end..];
    }
    frames
}

/// Go's `url.QueryEscape`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn escape_path(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b':' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes `%XX` and, in query strings, `+` as a space.
pub fn unescape(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 3 <= b.len() => {
                match std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `a=1&b=two`.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k, true), unescape(v, true))
        })
        .collect()
}

/// Parses a request target as the daemon receives it: strips `/v1.xx`, splits the query.
pub fn parse_target(method: &str, target: &str) -> Req {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = unescape(path, false);
    // moby's route pattern `/v{version:[0-9.]+}`.
    let (path, version) = match path.strip_prefix("/v").and_then(|rest| rest.split_once('/')) {
        Some((version, rest)) if !version.is_empty() && version.bytes().all(|c| c.is_ascii_digit() || c == b'.') => {
            (format!("/{rest}"), Some(version.to_string()))
        }
        _ => (path, None),
    };
    Req { method: method.to_string(), path, query: parse_query(query), body: Vec::new(), version }
}

/// moby's `versions.compare`: dot-separated numbers, part by part, a missing part
/// counting as 0 and a part that is not a number as 0.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &str| v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    let (a, b) = (parts(a), parts(b));
    (0..a.len().max(b.len()))
        .map(|i| a.get(i).copied().unwrap_or(0).cmp(&b.get(i).copied().unwrap_or(0)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// moby's version middleware: a request for an API version outside what the daemon
/// speaks is refused (400), in moby's words.
pub fn unsupported_version(version: &str) -> Option<ApiError> {
    use std::cmp::Ordering::{Greater, Less};
    let message = if compare_versions(version, MIN_API_VERSION) == Less {
        format!(
            "client version {version} is too old. Minimum supported API version is {MIN_API_VERSION}, please upgrade your client to a newer version"
        )
    } else if compare_versions(version, API_VERSION) == Greater {
        format!("client version {version} is too new. Maximum supported API version is {API_VERSION}")
    } else {
        return None;
    };
    Some(ApiError::invalid(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip() {
        let req =
            Req::new("GET", "/distribution/instavote/vote:latest/json").param("filters", "{\"a\": {\"b c\":true}}");
        let back = parse_target("GET", &format!("/v1.50{}", req.target()));
        assert_eq!(back, Req { version: Some("1.50".into()), ..req });
        assert_eq!(parse_target("GET", "/_ping").path, "/_ping");
        assert_eq!(parse_target("GET", "/v1.41/info?x=%zz").query, vec![("x".into(), "%zz".into())]);
        assert_eq!(parse_target("GET", "/v1.41/info").version.as_deref(), Some("1.41"));
        assert_eq!(parse_target("GET", "/v99/_ping").version.as_deref(), Some("99"));
        let odd = parse_target("GET", "/v1.x/info");
        assert_eq!((odd.path.as_str(), odd.version), ("/v1.x/info", None));
    }

    #[test]
    fn versions_outside_the_daemons_range_are_refused_in_mobys_words() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("1.9", "1.24"), Less);
        assert_eq!(compare_versions("1.50", "1.50.0"), Equal);
        assert_eq!(compare_versions("99", "1.50"), Greater);
        assert!(unsupported_version("1.24").is_none() && unsupported_version("1.50").is_none());
        let old = unsupported_version("0.1").unwrap();
        assert_eq!(
            (old.status, old.message.as_str()),
            (
                400,
                "client version 0.1 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version"
            )
        );
        assert_eq!(
            unsupported_version("99").unwrap().message,
            "client version 99 is too new. Maximum supported API version is 1.50"
        );
    }

    #[test]
    fn filters_read_both_forms() {
        let mut f = Filters::default();
        f.add("role", "manager");
        f.add("name", "a b");
        assert_eq!(filters_from_json(&filters_to_json(&f)).ok(), Some(f.clone()));
        let legacy = filters_from_json(r#"{"role":["manager"],"name":["a b"]}"#).ok();
        assert_eq!(legacy, Some(f));
        assert!(filters_from_json("[1]").is_err());
    }

    #[test]
    fn frames_round_trip() {
        let mut out = Vec::new();
        frame(1, b"hello\n", &mut out);
        frame(2, b"", &mut out);
        assert_eq!(&out[..8], &[1, 0, 0, 0, 0, 0, 0, 6]);
        assert_eq!(unframe(&out), vec![b"hello\n".to_vec(), Vec::new()]);
    }
}
