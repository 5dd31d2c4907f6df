//! A YAML document as a tree that remembers where each node was written, so that
//! compose errors can name the line and column. Merge keys (`<<`) are resolved by
//! serde-saphyr while reading.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A node and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order, with where each key was written.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub line: u32,
    pub column: u32,
}

/// What serde-saphyr fills in; turned into `Node`s right after.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<KeyText>, Spanned<Raw>)>),
}

/// Keys are read as text whatever YAML type they have (`80: x` is key "80").
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Raw::deserialize(d)? {
            Raw::Str(s) => Ok(KeyText(s)),
            Raw::Int(i) => Ok(KeyText(i.to_string())),
            Raw::Float(f) => Ok(KeyText(f.to_string())),
            Raw::Bool(b) => Ok(KeyText(b.to_string())),
            Raw::Null => Ok(KeyText("null".into())),
            Raw::Seq(_) | Raw::Map(_) => Err(serde::de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Raw::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    v.push(entry);
                }
                Ok(Raw::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn node(raw: Spanned<Raw>) -> Node {
    let (line, column) = (raw.referenced.line() as u32, raw.referenced.column() as u32);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(node).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key =
                        Key { name: k.value.0, line: k.referenced.line() as u32, column: k.referenced.column() as u32 };
                    (key, node(v))
                })
                .collect(),
        ),
    };
    Node { value, line, column }
}

/// The first YAML document of `text`: Go's `yaml.Unmarshal`, which docker/cli reads
/// compose files with, decodes the first and never looks at the others.
fn first_document(text: &str) -> &str {
    let mut seen = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = bare == "---" || bare.starts_with("--- ") || bare == "..." || bare.starts_with("... ");
        if marker && seen {
            return &text[..offset];
        }
        let blank = bare.trim().is_empty() || bare.starts_with('#') || bare.starts_with('%');
        seen |= marker || !blank;
        offset += line.len();
    }
    text
}

/// A document as a tree (the first, when there are several), or where and why it is
/// not YAML (Go's yaml package prefixes its messages with `yaml: `). An empty
/// document is Null.
pub fn parse(text: &str) -> Result<Node, (u32, u32, String)> {
    let text = first_document(text);
    if text.trim().is_empty() {
        return Ok(Node { value: Value::Null, line: 1, column: 1 });
    }
    serde_saphyr::from_str::<Spanned<Raw>>(text).map(node).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
        let full = e.without_snippet().to_string();
        // Drop the parser's own "error: line N column M: " lead: the position goes first.
        let text = full.strip_prefix("error: ").unwrap_or(&full);
        let text = match text.split_once(": ") {
            Some((lead, rest)) if lead.starts_with("line ") => rest,
            _ => text,
        };
        let text = text.lines().next().unwrap_or(text);
        let text = text.split(" at line ").next().unwrap_or(text);
        (line, column, format!("yaml: {text}"))
    })
}

#[cfg(test)]
#[test]
fn only_the_first_document_counts_as_in_go() {
    assert_eq!(first_document("a: 1\n---\nb: 2\n"), "a: 1\n");
    assert_eq!(first_document("# c\n---\na: 1\n--- \nb: [\n"), "# c\n---\na: 1\n");
    assert_eq!(first_document("a: |\n  ---\n  x\n"), "a: |\n  ---\n  x\n");
    assert_eq!(first_document("a: 1\n...\n"), "a: 1\n");
    assert!(parse("a: 1\n---\nb: [\n").is_ok(), "a broken second document is never read");
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// What a scalar reads as in text (numbers and booleans too), as Go's `%v` would.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Substitutes variables in every string value (not in keys), as docker/cli does
    /// before validating; errors name the path (`services.web.ports.[]`).
    pub fn interpolate(&mut self, path: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
        match &mut self.value {
            Value::Str(s) => {
                *s = super::interpolate::substitute(s, lookup).map_err(|e| e.at(path))?;
            }
            Value::Seq(items) => {
                let p = format!("{path}.[]");
                for item in items {
                    item.interpolate(&p, lookup)?;
                }
            }
            Value::Map(entries) => {
                for (k, v) in entries {
                    let p = if path.is_empty() { k.name.clone() } else { format!("{path}.{}", k.name) };
                    v.interpolate(&p, lookup)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_remember_where_they_were_written_and_merge_keys_apply() {
        let text = "x-common: &c\n  image: nginx\nservices:\n  api1:\n    <<: *c\n    ports:\n      - 5000:5000\n  api2:\n  image: redis\n";
        let doc = parse(text).unwrap();
        let services = doc.get("services").unwrap();
        assert_eq!((services.line, services.column), (4, 3));
        let api1 = services.get("api1").unwrap();
        assert_eq!(api1.get("image").and_then(Node::as_str), Some("nginx"), "merged from the anchor");
        let port = &api1.get("ports").unwrap();
        let Value::Seq(items) = &port.value else { panic!() };
        assert_eq!((items[0].as_str(), items[0].line), (Some("5000:5000"), 7));
        assert_eq!(services.get("api2").map(|n| &n.value), Some(&Value::Null));
        let Value::Map(entries) = &services.value else { panic!() };
        let image = entries.iter().find(|(k, _)| k.name == "image").unwrap();
        assert_eq!((image.0.line, image.0.column, image.1.as_str()), (9, 3, Some("redis")));
    }

    #[test]
    fn interpolation_names_the_path() {
        let mut doc =
            parse("services:\n  web:\n    image: nginx:${TAG:-latest}\n    ports:\n      - \"${P:?no port}\"\n")
                .unwrap();
        let e = doc.interpolate("", &|_| None).unwrap_err();
        assert!(e.starts_with("invalid interpolation format for services.web.ports.[]: \"required variable P"), "{e}");
        let mut doc = parse("services:\n  web:\n    image: nginx:${TAG:-latest}\n").unwrap();
        doc.interpolate("", &|_| None).unwrap();
        assert_eq!(
            doc.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("image")).and_then(Node::as_str),
            Some("nginx:latest")
        );
    }

    #[test]
    fn bad_yaml_is_an_error_not_a_panic() {
        assert!(parse("services:\n  web:\n image: x\n    bad: [").is_err());
        assert_eq!(parse("").unwrap().value, Value::Null);
    }
}
