//! Docker Engine API objects, shaped as moby's `api/types` Go structs: the same field
//! names, the same field order and the same `omitempty` rules, so that JSON printed
//! from them (`docker node inspect`) matches Docker byte for byte. Maps are
//! `BTreeMap` because Go's encoder sorts map keys.

mod container;
mod network;
mod secret;
mod service;
mod swarm;
mod system;
mod task;

pub use container::*;
pub use network::*;
pub use secret::*;
pub use service::*;
pub use swarm::*;
pub use system::*;
pub use task::*;

pub(crate) fn is_zero_u64(v: &u64) -> bool {
    *v == 0
}
pub(crate) fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}
pub(crate) fn is_false(v: &bool) -> bool {
    !*v
}

/// Serialises like Go's `json.MarshalIndent(v, "", "    ")`, HTML-escaping included.
pub fn to_go_json_indent<T: serde::Serialize>(v: &T) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if v.serialize(&mut ser).is_err() {
        return String::from("null");
    }
    go_escape(String::from_utf8(buf).unwrap_or_default())
}

/// Serialises like Go's `json.Marshal(v)`.
pub fn to_go_json<T: serde::Serialize>(v: &T) -> String {
    go_escape(serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
}

/// Go escapes `<`, `>`, `&`, U+2028 and U+2029 in strings. Those characters can only
/// appear inside JSON strings, so replacing them everywhere is exact.
fn go_escape(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}
