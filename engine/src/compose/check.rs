//! The loader's building blocks: typed reads of YAML nodes that fail with the schema's
//! words and the node's position.

use super::load::LoadError;
use super::yaml::{Key, Node, Value};
use crate::cli::service::parse;
use std::collections::BTreeMap;
use std::time::Duration;

pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
}

impl Ctx<'_> {
    pub(super) fn err(&self, at: (u32, u32), message: impl Into<String>) -> LoadError {
        LoadError { file: self.file.to_string(), line: at.0, column: at.1, message: message.into() }
    }
}

pub(super) fn at(n: &Node) -> (u32, u32) {
    (n.line, n.column)
}

pub(super) fn key_at(k: &Key) -> (u32, u32) {
    (k.line, k.column)
}

pub(super) fn entries<'n>(cx: &Ctx, n: &'n Node, path: &str) -> Result<&'n [(Key, Node)], LoadError> {
    match &n.value {
        Value::Map(e) => Ok(e),
        _ => Err(cx.err(at(n), format!("{path} must be a mapping"))),
    }
}

/// Keys outside `allowed` (and not `x-…`) are refused as the schema does.
pub(super) fn only(cx: &Ctx, e: &[(Key, Node)], allowed: &[&str], path: &str) -> Result<(), LoadError> {
    match e.iter().find(|(k, _)| !allowed.contains(&k.name.as_str()) && !k.name.starts_with("x-")) {
        Some((k, _)) => Err(cx.err(key_at(k), format!("{path} Additional property {} is not allowed", k.name))),
        None => Ok(()),
    }
}

pub(super) fn string(cx: &Ctx, n: &Node, path: &str) -> Result<String, LoadError> {
    match &n.value {
        Value::Str(s) => Ok(s.clone()),
        _ => Err(cx.err(at(n), format!("{path} must be a string"))),
    }
}

pub(super) fn string_or_number(cx: &Ctx, n: &Node, path: &str) -> Result<String, LoadError> {
    match &n.value {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Ok(n.scalar_text().unwrap_or_default()),
        _ => Err(cx.err(at(n), format!("{path} must be a string or number"))),
    }
}

pub(super) fn integer(cx: &Ctx, n: &Node, path: &str) -> Result<u64, LoadError> {
    match &n.value {
        Value::Int(i) if *i >= 0 => Ok(*i as u64),
        // Interpolated numbers arrive as text; docker casts them back.
        Value::Str(s) if s.parse::<u64>().is_ok() => Ok(s.parse().unwrap_or(0)),
        _ => Err(cx.err(at(n), format!("{path} must be a integer"))),
    }
}

pub(super) fn boolean(cx: &Ctx, n: &Node, path: &str) -> Result<bool, LoadError> {
    match &n.value {
        Value::Bool(b) => Ok(*b),
        Value::Str(s) if s == "true" || s == "false" => Ok(s == "true"),
        _ => Err(cx.err(at(n), format!("{path} must be a boolean"))),
    }
}

pub(super) fn duration(cx: &Ctx, n: &Node, path: &str) -> Result<Duration, LoadError> {
    let text = string(cx, n, path)?;
    crate::time::parse_go_duration(&text)
        .ok_or_else(|| cx.err(at(n), format!("{path} Does not match format 'duration'")))
}

pub(super) fn strings(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<String>, LoadError> {
    match &n.value {
        Value::Seq(items) => {
            items.iter().enumerate().map(|(i, item)| string(cx, item, &format!("{path}.{i}"))).collect()
        }
        _ => Err(cx.err(at(n), format!("{path} must be a list"))),
    }
}

/// A string (split as a shell would) or a list of strings.
pub(super) fn command(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<String>, LoadError> {
    match &n.value {
        Value::Str(s) => Ok(parse::shlex(s)),
        Value::Seq(_) => strings(cx, n, path),
        _ => Err(cx.err(at(n), format!("{path} must be a string or list"))),
    }
}

/// The schema's `list_or_dict`: `KEY=value` items, or a mapping of scalars.
pub(super) fn list_or_dict(cx: &Ctx, n: &Node, path: &str) -> Result<BTreeMap<String, Option<String>>, LoadError> {
    let mut out = BTreeMap::new();
    match &n.value {
        Value::Seq(items) => {
            for i in items {
                let s = string(cx, i, path)?;
                match s.split_once('=') {
                    Some((k, v)) => out.insert(k.to_string(), Some(v.to_string())),
                    None => out.insert(s, None),
                };
            }
        }
        Value::Map(e) => {
            for (k, v) in e {
                let value = match &v.value {
                    Value::Null => None,
                    Value::Seq(_) | Value::Map(_) => {
                        return Err(
                            cx.err(at(v), format!("{path}.{} must be a string, number, boolean or null", k.name))
                        );
                    }
                    _ => v.scalar_text(),
                };
                out.insert(k.name.clone(), value);
            }
        }
        _ => return Err(cx.err(at(n), format!("{path} must be a mapping or list"))),
    }
    Ok(out)
}

pub(super) fn labels(cx: &Ctx, n: &Node, path: &str) -> Result<BTreeMap<String, String>, LoadError> {
    Ok(list_or_dict(cx, n, path)?.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect())
}
