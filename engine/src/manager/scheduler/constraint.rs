//! swarmkit `manager/constraint`: `key==value` / `key!=value` placement constraints.

use crate::types::Node;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub key: String,
    pub value: String,
    pub equal: bool,
}

const NODE_LABELS: &str = "node.labels.";
const ENGINE_LABELS: &str = "engine.labels.";

/// `^(?i)[a-z_][a-z0-9\-_.]+$`
fn valid_key(k: &str) -> bool {
    let mut chars = k.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && k.len() >= 2 && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `^(?i)[a-z0-9:\-_\s\.\*\(\)\?\+\[\]\\\^\$\|\/]+$`
fn valid_value(v: &str) -> bool {
    !v.is_empty()
        && v.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c.is_whitespace()
                || matches!(
                    c,
                    ':' | '-' | '_' | '.' | '*' | '(' | ')' | '?' | '+' | '[' | ']' | '\\' | '^' | '$' | '|' | '/'
                )
        })
}

/// swarmkit `constraint.Parse`, with its error texts.
pub fn parse(expr: &str) -> Result<Constraint, String> {
    for (op, equal) in [("==", true), ("!=", false)] {
        if let Some((k, v)) = expr.split_once(op) {
            let (k, v) = (k.trim(), v.trim());
            if !valid_key(k) {
                return Err(format!("key '{k}' is invalid"));
            }
            if !valid_value(v) {
                return Err(format!("value '{v}' is invalid"));
            }
            return Ok(Constraint { key: k.to_string(), value: v.to_string(), equal });
        }
    }
    Err("constraint expected one operator from ==, !=".into())
}

pub fn parse_all(exprs: &[String]) -> Result<Vec<Constraint>, String> {
    exprs.iter().map(|e| parse(e)).collect()
}

impl Constraint {
    fn matches(&self, what: &str) -> bool {
        self.value.eq_ignore_ascii_case(what) == self.equal
    }

    fn has_prefix(&self, prefix: &str) -> Option<&str> {
        (self.key.len() > prefix.len() && self.key[..prefix.len()].eq_ignore_ascii_case(prefix))
            .then(|| &self.key[prefix.len()..])
    }
}

/// swarmkit `constraint.NodeMatches`.
pub fn node_matches(constraints: &[Constraint], n: &Node) -> bool {
    constraints.iter().all(|c| {
        let key = c.key.to_ascii_lowercase();
        match key.as_str() {
            "node.id" => c.matches(&n.id),
            "node.hostname" => c.matches(&n.description.hostname),
            "node.ip" => ip_matches(c, &n.status.addr),
            "node.role" => c.matches(super::super::controlapi::observed_role(n).as_str()),
            "node.platform.os" => c.matches(&n.description.platform.os),
            "node.platform.arch" => c.matches(&n.description.platform.architecture),
            _ => {
                if let Some(label) = c.has_prefix(NODE_LABELS) {
                    c.matches(n.spec.labels.get(label).map_or("", String::as_str))
                } else if let Some(label) = c.has_prefix(ENGINE_LABELS) {
                    c.matches(n.description.engine.labels.get(label).map_or("", String::as_str))
                } else {
                    false
                }
            }
        }
    })
}

fn ip_matches(c: &Constraint, addr: &str) -> bool {
    let node_ip: Option<IpAddr> = addr.parse().ok();
    if let Ok(ip) = c.value.parse::<IpAddr>() {
        return (Some(ip) == node_ip) == c.equal;
    }
    if let Some((net, bits)) = c.value.split_once('/')
        && let (Ok(IpAddr::V4(net)), Ok(bits), Some(IpAddr::V4(ip))) =
            (net.parse::<IpAddr>(), bits.parse::<u32>(), node_ip)
        && bits <= 32
    {
        let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
        let within = u32::from(ip) & mask == u32::from(net) & mask;
        return within == c.equal;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ManagerStatus, NodeSpec};

    fn node() -> Node {
        let mut n = Node { id: "abc".into(), ..Node::default() };
        n.description.hostname = "node2".into();
        n.status.addr = "127.10.0.12".into();
        n.spec = NodeSpec { labels: [("zone".to_string(), "eu".to_string())].into(), ..NodeSpec::default() };
        n.manager_status = Some(ManagerStatus::default());
        n
    }

    fn m(expr: &str) -> bool {
        node_matches(&[parse(expr).expect("parses")], &node())
    }

    #[test]
    fn matching_follows_swarmkit() {
        assert!(m("node.role==manager"));
        assert!(m("node.role == MANAGER"));
        assert!(!m("node.role!=manager"));
        assert!(m("node.hostname==node2"));
        assert!(m("node.labels.zone==eu"));
        assert!(m("node.labels.rack!=r1"));
        assert!(!m("node.labels.rack==r1"));
        assert!(m("node.ip==127.10.0.12"));
        assert!(m("node.ip==127.10.0.0/24"));
        assert!(!m("node.ip!=127.0.0.0/8"));
        assert!(!m("node.foo==bar"));
    }

    #[test]
    fn parse_errors_are_swarmkits() {
        assert_eq!(parse("foo").unwrap_err(), "constraint expected one operator from ==, !=");
        assert_eq!(parse("==x").unwrap_err(), "key '' is invalid");
        assert_eq!(parse("node.role==a<b").unwrap_err(), "value 'a<b' is invalid");
    }
}
