//! Loading a compose file as `docker stack deploy` does (docker/cli compose/loader and
//! stack/loader): parse, refuse forbidden options, substitute variables, validate the
//! shape with the schema's wording (`services.api1 must be a mapping`, `services.web
//! Additional property imag is not allowed`), convert, and collect the warnings for
//! options swarm ignores. Every error names file, line and column.

use super::model::*;
use super::yaml::{self, Key, Node, Value};
use crate::cli::service::parse;
use std::collections::BTreeMap;
use std::time::Duration;

/// A compose file that loaded, and what docker prints about options it ignores.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub compose: Compose,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// 0 when the position is unknown.
    pub line: u32,
    pub column: u32,
    /// Docker's words.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

/// The schema's service keys (compose file format 3.13).
const SERVICE_KEYS: &[&str] = &[
    "build",
    "cap_add",
    "cap_drop",
    "cgroup_parent",
    "cgroupns_mode",
    "command",
    "configs",
    "container_name",
    "credential_spec",
    "depends_on",
    "deploy",
    "devices",
    "dns",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "external_links",
    "extra_hosts",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "links",
    "logging",
    "mac_address",
    "network_mode",
    "networks",
    "oom_score_adj",
    "pid",
    "ports",
    "privileged",
    "read_only",
    "restart",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "userns_mode",
    "volumes",
    "working_dir",
];
const DEPLOY_KEYS: &[&str] = &[
    "endpoint_mode",
    "labels",
    "mode",
    "placement",
    "replicas",
    "resources",
    "restart_policy",
    "rollback_config",
    "update_config",
];
/// docker/cli types.UnsupportedProperties: warned about, then ignored.
const UNSUPPORTED: &[&str] = &[
    "build",
    "cgroupns_mode",
    "cgroup_parent",
    "devices",
    "domainname",
    "external_links",
    "ipc",
    "links",
    "mac_address",
    "network_mode",
    "pid",
    "privileged",
    "restart",
    "security_opt",
    "shm_size",
    "userns_mode",
];
/// docker/cli types.DeprecatedProperties.
const DEPRECATED: &[(&str, &str)] = &[
    ("container_name", "Setting the container name is not supported."),
    (
        "expose",
        "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
    ),
];
/// docker/cli types.ForbiddenProperties: the deploy stops.
const FORBIDDEN: &[(&str, &str)] = &[
    ("extends", "Support for `extends` is not implemented yet."),
    (
        "volume_driver",
        "Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.",
    ),
    (
        "volumes_from",
        "To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.",
    ),
    ("cpu_quota", "Set resource limits using deploy.resources"),
    ("cpu_shares", "Set resource limits using deploy.resources"),
    ("cpuset", "Set resource limits using deploy.resources"),
    ("mem_limit", "Set resource limits using deploy.resources"),
    ("memswap_limit", "Set resource limits using deploy.resources"),
];

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, at: (u32, u32), message: impl Into<String>) -> LoadError {
        LoadError { file: self.file.to_string(), line: at.0, column: at.1, message: message.into() }
    }
}

fn at(n: &Node) -> (u32, u32) {
    (n.line, n.column)
}

fn key_at(k: &Key) -> (u32, u32) {
    (k.line, k.column)
}

fn entries<'n>(cx: &Ctx, n: &'n Node, path: &str) -> Result<&'n [(Key, Node)], LoadError> {
    match &n.value {
        Value::Map(e) => Ok(e),
        _ => Err(cx.err(at(n), format!("{path} must be a mapping"))),
    }
}

/// Keys outside `allowed` (and not `x-…`) are refused as the schema does.
fn only(cx: &Ctx, e: &[(Key, Node)], allowed: &[&str], path: &str) -> Result<(), LoadError> {
    match e.iter().find(|(k, _)| !allowed.contains(&k.name.as_str()) && !k.name.starts_with("x-")) {
        Some((k, _)) => Err(cx.err(key_at(k), format!("{path} Additional property {} is not allowed", k.name))),
        None => Ok(()),
    }
}

fn string(cx: &Ctx, n: &Node, path: &str) -> Result<String, LoadError> {
    match &n.value {
        Value::Str(s) => Ok(s.clone()),
        _ => Err(cx.err(at(n), format!("{path} must be a string"))),
    }
}

fn string_or_number(cx: &Ctx, n: &Node, path: &str) -> Result<String, LoadError> {
    match &n.value {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Ok(n.scalar_text().unwrap_or_default()),
        _ => Err(cx.err(at(n), format!("{path} must be a string or number"))),
    }
}

fn integer(cx: &Ctx, n: &Node, path: &str) -> Result<u64, LoadError> {
    match &n.value {
        Value::Int(i) if *i >= 0 => Ok(*i as u64),
        // Interpolated numbers arrive as text; docker casts them back.
        Value::Str(s) if s.parse::<u64>().is_ok() => Ok(s.parse().unwrap_or(0)),
        _ => Err(cx.err(at(n), format!("{path} must be a integer"))),
    }
}

fn boolean(cx: &Ctx, n: &Node, path: &str) -> Result<bool, LoadError> {
    match &n.value {
        Value::Bool(b) => Ok(*b),
        Value::Str(s) if s == "true" || s == "false" => Ok(s == "true"),
        _ => Err(cx.err(at(n), format!("{path} must be a boolean"))),
    }
}

fn duration(cx: &Ctx, n: &Node, path: &str) -> Result<Duration, LoadError> {
    let text = string(cx, n, path)?;
    crate::time::parse_go_duration(&text)
        .ok_or_else(|| cx.err(at(n), format!("{path} Does not match format 'duration'")))
}

fn strings(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<String>, LoadError> {
    match &n.value {
        Value::Seq(items) => {
            items.iter().enumerate().map(|(i, item)| string(cx, item, &format!("{path}.{i}"))).collect()
        }
        _ => Err(cx.err(at(n), format!("{path} must be a list"))),
    }
}

/// A string (split as a shell would) or a list of strings.
fn command(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<String>, LoadError> {
    match &n.value {
        Value::Str(s) => Ok(parse::shlex(s)),
        Value::Seq(_) => strings(cx, n, path),
        _ => Err(cx.err(at(n), format!("{path} must be a string or list"))),
    }
}

/// The schema's `list_or_dict`: `KEY=value` items, or a mapping of scalars.
fn list_or_dict(cx: &Ctx, n: &Node, path: &str) -> Result<BTreeMap<String, Option<String>>, LoadError> {
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

fn labels(cx: &Ctx, n: &Node, path: &str) -> Result<BTreeMap<String, String>, LoadError> {
    Ok(list_or_dict(cx, n, path)?.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect())
}

/// Loads one compose file. `lookup` gives environment variables for substitution.
pub fn load(file: &str, text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Loaded, LoadError> {
    let cx = Ctx { file };
    let mut root = yaml::parse(text).map_err(|e| cx.err((0, 0), e))?;
    let Value::Map(_) = &root.value else {
        return Err(cx.err(at(&root), "top-level object must be a mapping"));
    };
    forbidden(&cx, &root)?;
    root.interpolate("", lookup).map_err(|e| cx.err((0, 0), e))?;
    let top = entries(&cx, &root, "(root)")?;
    only(&cx, top, &["version", "services", "networks", "volumes", "secrets", "configs"], "(root)")?;
    let version = match root.get("version") {
        Some(v) => string_or_number(&cx, v, "version")?,
        None => "3.13".into(),
    };
    let major_ok =
        version == "3" || version.strip_prefix("3.").is_some_and(|m| m.parse::<u32>().is_ok_and(|m| m <= 13));
    if !major_ok {
        return Err(
            cx.err(at(root.get("version").unwrap_or(&root)), format!("unsupported Compose file version: {version}"))
        );
    }
    let mut compose = Compose { version, ..Compose::default() };
    let mut warnings = Vec::new();
    let mut unsupported = std::collections::BTreeSet::new();
    let mut deprecated = BTreeMap::new();
    if let Some(services) = root.get("services") {
        for (k, svc) in entries(&cx, services, "services")? {
            let path = format!("services.{}", k.name);
            if !matches!(svc.value, Value::Map(_)) {
                // Point at the service's name: its value is what went missing or astray.
                return Err(cx.err(key_at(k), format!("{path} must be a mapping")));
            }
            let e = entries(&cx, svc, &path)?;
            only(&cx, e, SERVICE_KEYS, &path)?;
            for (key, _) in e {
                if UNSUPPORTED.contains(&key.name.as_str()) {
                    unsupported.insert(key.name.clone());
                }
                if let Some((name, why)) = DEPRECATED.iter().find(|(n, _)| *n == key.name) {
                    deprecated.insert(*name, *why);
                }
            }
            compose.services.push(service(&cx, &k.name, svc, &path)?);
        }
    }
    compose.services.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(n) = root.get("networks") {
        for (k, v) in entries(&cx, n, "networks")? {
            compose.networks.insert(k.name.clone(), network(&cx, &k.name, v)?);
        }
    }
    if let Some(n) = root.get("volumes") {
        for (k, v) in entries(&cx, n, "volumes")? {
            compose.volumes.insert(k.name.clone(), volume(&cx, &k.name, v)?);
        }
    }
    for (section, out) in [("secrets", &mut compose.secrets), ("configs", &mut compose.configs)] {
        if let Some(n) = root.get(section) {
            for (k, v) in entries(&cx, n, section)? {
                out.insert(k.name.clone(), file_object(&cx, section, &k.name, v)?);
            }
        }
    }
    if !unsupported.is_empty() {
        warnings.push(format!(
            "Ignoring unsupported options: {}\n",
            unsupported.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if !deprecated.is_empty() {
        let lines: Vec<String> = deprecated.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        warnings.push(format!("Ignoring deprecated options:\n\n{}\n", lines.join("\n\n")));
    }
    for s in &compose.services {
        if s.image.is_empty() {
            let (line, column) = match root.get("services").map(|n| &n.value) {
                Some(Value::Map(e)) => e.iter().find(|(k, _)| k.name == s.name).map_or((0, 0), |(k, _)| key_at(k)),
                _ => (0, 0),
            };
            return Err(
                cx.err((line, column), format!("invalid image reference for service {}: no image specified", s.name))
            );
        }
    }
    Ok(Loaded { compose, warnings })
}

/// docker/cli validateForbidden: options whose presence stops the deploy.
fn forbidden(cx: &Ctx, root: &Node) -> Result<(), LoadError> {
    let Some(Value::Map(services)) = root.get("services").map(|s| &s.value) else { return Ok(()) };
    let mut found: Vec<(String, (u32, u32))> = Vec::new();
    for (_, svc) in services {
        if let Value::Map(keys) = &svc.value {
            for (k, _) in keys {
                if let Some((name, why)) = FORBIDDEN.iter().find(|(n, _)| *n == k.name) {
                    found.push((format!("{name}: {why}"), key_at(k)));
                }
            }
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    match found.first() {
        None => Ok(()),
        Some((_, pos)) => {
            let lines: Vec<String> = found.iter().map(|(l, _)| l.clone()).collect();
            Err(cx.err(*pos, format!("Compose file contains unsupported options:\n\n{}\n", lines.join("\n\n"))))
        }
    }
}

fn service(cx: &Ctx, name: &str, n: &Node, path: &str) -> Result<ServiceConfig, LoadError> {
    let mut s = ServiceConfig { name: name.to_string(), ..ServiceConfig::default() };
    let p = |k: &str| format!("{path}.{k}");
    for (k, v) in entries(cx, n, path)? {
        match k.name.as_str() {
            "image" => s.image = string(cx, v, &p("image"))?,
            "command" => s.command = Some(command(cx, v, &p("command"))?),
            "entrypoint" => s.entrypoint = Some(command(cx, v, &p("entrypoint"))?),
            "environment" => s.environment = list_or_dict(cx, v, &p("environment"))?,
            "hostname" => s.hostname = string(cx, v, &p("hostname"))?,
            "labels" => s.labels = labels(cx, v, &p("labels"))?,
            "user" => s.user = string(cx, v, &p("user"))?,
            "working_dir" => s.working_dir = string(cx, v, &p("working_dir"))?,
            "stop_grace_period" => s.stop_grace_period = Some(duration(cx, v, &p("stop_grace_period"))?),
            "ports" => s.ports = ports(cx, v, &p("ports"))?,
            "networks" => s.networks = service_networks(cx, v, &p("networks"))?,
            "secrets" => s.secrets = references(cx, v, &p("secrets"))?,
            "configs" => s.configs = references(cx, v, &p("configs"))?,
            "volumes" => s.volumes = mounts(cx, v, &p("volumes"))?,
            "deploy" => s.deploy = deploy(cx, v, &p("deploy"))?,
            _ => {}
        }
    }
    Ok(s)
}

fn ports(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<PortConfig>, LoadError> {
    let Value::Seq(items) = &n.value else { return Err(cx.err(at(n), format!("{path} must be a list"))) };
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Str(_) | Value::Int(_) => {
                let spec = item.scalar_text().unwrap_or_default();
                let parsed = parse::ports(&spec).map_err(|e| cx.err(at(item), e))?;
                out.extend(parsed.into_iter().map(|p| PortConfig {
                    mode: p.publish_mode,
                    target: p.target_port,
                    published: (p.published_port > 0).then_some(p.published_port),
                    protocol: p.protocol,
                }));
            }
            Value::Map(e) => {
                let pp = format!("{path}.{}", out.len());
                only(cx, e, &["mode", "target", "published", "protocol", "host_ip", "name", "app_protocol"], &pp)?;
                let mut p = PortConfig { mode: "ingress".into(), protocol: "tcp".into(), ..PortConfig::default() };
                for (k, v) in e {
                    match k.name.as_str() {
                        "mode" => p.mode = string(cx, v, &format!("{pp}.mode"))?,
                        "target" => p.target = integer(cx, v, &format!("{pp}.target"))? as u32,
                        "published" => p.published = Some(integer(cx, v, &format!("{pp}.published"))? as u32),
                        "protocol" => p.protocol = string(cx, v, &format!("{pp}.protocol"))?,
                        _ => {}
                    }
                }
                if !matches!(p.mode.as_str(), "ingress" | "host") {
                    return Err(cx.err(
                        at(item),
                        format!("invalid publish mode value ({}): must be either 'ingress' or 'host'", p.mode),
                    ));
                }
                out.push(p);
            }
            _ => {
                return Err(cx.err(at(item), format!("{path}.{} must be a number, string or mapping", out.len())));
            }
        }
    }
    Ok(out)
}

fn service_networks(cx: &Ctx, n: &Node, path: &str) -> Result<BTreeMap<String, Vec<String>>, LoadError> {
    let mut out = BTreeMap::new();
    match &n.value {
        Value::Seq(items) => {
            for i in items {
                out.insert(string(cx, i, path)?, Vec::new());
            }
        }
        Value::Map(e) => {
            for (k, v) in e {
                let np = format!("{path}.{}", k.name);
                let aliases = match &v.value {
                    Value::Null => Vec::new(),
                    Value::Map(ne) => {
                        only(cx, ne, &["aliases", "ipv4_address", "ipv6_address", "driver_opts"], &np)?;
                        match v.get("aliases") {
                            Some(a) => strings(cx, a, &format!("{np}.aliases"))?,
                            None => Vec::new(),
                        }
                    }
                    _ => return Err(cx.err(at(v), format!("{np} must be a mapping or null"))),
                };
                out.insert(k.name.clone(), aliases);
            }
        }
        _ => return Err(cx.err(at(n), format!("{path} must be a list or mapping"))),
    }
    Ok(out)
}

fn references(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<FileReference>, LoadError> {
    let Value::Seq(items) = &n.value else { return Err(cx.err(at(n), format!("{path} must be a list"))) };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match &item.value {
            Value::Str(s) => Ok(FileReference { source: s.clone(), ..FileReference::default() }),
            Value::Map(e) => {
                let ip = format!("{path}.{i}");
                only(cx, e, &["source", "target", "uid", "gid", "mode"], &ip)?;
                let text = |k: &str| item.get(k).map(|v| string_or_number(cx, v, &format!("{ip}.{k}"))).transpose();
                Ok(FileReference {
                    source: text("source")?.unwrap_or_default(),
                    target: text("target")?.unwrap_or_default(),
                    uid: text("uid")?.unwrap_or_default(),
                    gid: text("gid")?.unwrap_or_default(),
                    mode: item
                        .get("mode")
                        .map(|m| integer(cx, m, &format!("{ip}.mode")).map(|m| m as u32))
                        .transpose()?,
                })
            }
            _ => Err(cx.err(at(item), format!("{path}.{i} must be a string or mapping"))),
        })
        .collect()
}

fn mounts(cx: &Ctx, n: &Node, path: &str) -> Result<Vec<VolumeMount>, LoadError> {
    let Value::Seq(items) = &n.value else { return Err(cx.err(at(n), format!("{path} must be a list"))) };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match &item.value {
            Value::Str(s) => {
                let parts: Vec<&str> = s.split(':').collect();
                let (source, target, mode) = match parts.as_slice() {
                    [t] => ("", *t, ""),
                    [s, t] => (*s, *t, ""),
                    [s, t, m] => (*s, *t, *m),
                    _ => return Err(cx.err(at(item), format!("invalid spec: {s}: too many colons"))),
                };
                let kind = if source.starts_with(['/', '.', '~']) { "bind" } else { "volume" };
                out.push(VolumeMount {
                    kind: kind.into(),
                    source: source.into(),
                    target: target.into(),
                    read_only: mode.split(',').any(|m| m == "ro"),
                });
            }
            Value::Map(e) => {
                let ip = format!("{path}.{i}");
                only(cx, e, &["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"], &ip)?;
                let text = |k: &str| item.get(k).map(|v| string(cx, v, &format!("{ip}.{k}"))).transpose();
                out.push(VolumeMount {
                    kind: text("type")?.unwrap_or_else(|| "volume".into()),
                    source: text("source")?.unwrap_or_default(),
                    target: text("target")?.unwrap_or_default(),
                    read_only: item
                        .get("read_only")
                        .map(|v| boolean(cx, v, &format!("{ip}.read_only")))
                        .transpose()?
                        .unwrap_or(false),
                });
            }
            _ => return Err(cx.err(at(item), format!("{path}.{i} must be a string or mapping"))),
        }
    }
    Ok(out)
}

fn deploy(cx: &Ctx, n: &Node, path: &str) -> Result<Deploy, LoadError> {
    let e = entries(cx, n, path)?;
    only(cx, e, DEPLOY_KEYS, path)?;
    let mut d = Deploy::default();
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "mode" => {
                d.mode = string(cx, v, &p)?;
                if !matches!(d.mode.as_str(), "replicated" | "global" | "replicated-job" | "global-job") {
                    return Err(cx.err(at(v), format!("unknown mode: {}", d.mode)));
                }
            }
            "replicas" => d.replicas = Some(integer(cx, v, &p)?),
            "labels" => d.labels = labels(cx, v, &p)?,
            "endpoint_mode" => d.endpoint_mode = string(cx, v, &p)?,
            "update_config" => d.update_config = Some(update_config(cx, v, &p)?),
            "rollback_config" => d.rollback_config = Some(update_config(cx, v, &p)?),
            "restart_policy" => {
                let re = entries(cx, v, &p)?;
                only(cx, re, &["condition", "delay", "max_attempts", "window"], &p)?;
                let mut r = RestartPolicy::default();
                for (rk, rv) in re {
                    let rp = format!("{p}.{}", rk.name);
                    match rk.name.as_str() {
                        "condition" => r.condition = string(cx, rv, &rp)?,
                        "delay" => r.delay = Some(duration(cx, rv, &rp)?),
                        "max_attempts" => r.max_attempts = Some(integer(cx, rv, &rp)?),
                        "window" => r.window = Some(duration(cx, rv, &rp)?),
                        _ => {}
                    }
                }
                d.restart_policy = Some(r);
            }
            "resources" => {
                let re = entries(cx, v, &p)?;
                only(cx, re, &["limits", "reservations"], &p)?;
                for (rk, rv) in re {
                    let rp = format!("{p}.{}", rk.name);
                    let res = resources(cx, rv, &rp)?;
                    if rk.name == "limits" { d.limits = res } else { d.reservations = res }
                }
            }
            "placement" => {
                let pe = entries(cx, v, &p)?;
                only(cx, pe, &["constraints", "preferences", "max_replicas_per_node"], &p)?;
                for (pk, pv) in pe {
                    let pp = format!("{p}.{}", pk.name);
                    match pk.name.as_str() {
                        "constraints" => d.constraints = strings(cx, pv, &pp)?,
                        "max_replicas_per_node" => d.max_replicas_per_node = Some(integer(cx, pv, &pp)?),
                        "preferences" => {
                            let Value::Seq(items) = &pv.value else {
                                return Err(cx.err(at(pv), format!("{pp} must be a list")));
                            };
                            for (i, item) in items.iter().enumerate() {
                                let ip = format!("{pp}.{i}");
                                only(cx, entries(cx, item, &ip)?, &["spread"], &ip)?;
                                if let Some(s) = item.get("spread") {
                                    d.preferences.push(string(cx, s, &format!("{ip}.spread"))?);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(d)
}

fn update_config(cx: &Ctx, n: &Node, path: &str) -> Result<UpdateConfig, LoadError> {
    let e = entries(cx, n, path)?;
    only(cx, e, &["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"], path)?;
    let mut u = UpdateConfig::default();
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "parallelism" => u.parallelism = Some(integer(cx, v, &p)?),
            "delay" => u.delay = Some(duration(cx, v, &p)?),
            "monitor" => u.monitor = Some(duration(cx, v, &p)?),
            "failure_action" => u.failure_action = string(cx, v, &p)?,
            "order" => {
                u.order = string(cx, v, &p)?;
                if !matches!(u.order.as_str(), "start-first" | "stop-first") {
                    return Err(
                        cx.err(at(v), format!("{p} must be one of the following: \"start-first\", \"stop-first\""))
                    );
                }
            }
            "max_failure_ratio" => {
                let text = string_or_number(cx, v, &p)?;
                u.max_failure_ratio = Some(text.parse().map_err(|_| cx.err(at(v), format!("{p} must be a number")))?);
            }
            _ => {}
        }
    }
    Ok(u)
}

fn resources(cx: &Ctx, n: &Node, path: &str) -> Result<Resources, LoadError> {
    let e = entries(cx, n, path)?;
    only(cx, e, &["cpus", "memory", "pids", "generic_resources", "devices"], path)?;
    let mut r = Resources::default();
    if let Some(c) = n.get("cpus") {
        let text = string_or_number(cx, c, &format!("{path}.cpus"))?;
        r.nano_cpus = Some(parse::cpus(&text).map_err(|e| cx.err(at(c), e))?);
    }
    if let Some(m) = n.get("memory") {
        let text = string_or_number(cx, m, &format!("{path}.memory"))?;
        r.memory_bytes = Some(parse::ram_in_bytes(&text).map_err(|e| cx.err(at(m), e))?);
    }
    Ok(r)
}

/// `external: true` or the older `external: {name: x}`.
fn external(cx: &Ctx, n: &Node, path: &str) -> Result<(bool, Option<String>), LoadError> {
    match &n.value {
        Value::Bool(b) => Ok((*b, None)),
        Value::Map(e) => {
            only(cx, e, &["name"], path)?;
            Ok((true, n.get("name").map(|v| string(cx, v, &format!("{path}.name"))).transpose()?))
        }
        _ => Err(cx.err(at(n), format!("{path} must be a boolean or mapping"))),
    }
}

fn network(cx: &Ctx, name: &str, n: &Node) -> Result<NetworkConfig, LoadError> {
    let path = format!("networks.{name}");
    let mut c = NetworkConfig::default();
    if matches!(n.value, Value::Null) {
        return Ok(c);
    }
    let e = entries(cx, n, &path)?;
    only(cx, e, &["driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels", "name"], &path)?;
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "driver" => c.driver = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "attachable" => c.attachable = boolean(cx, v, &p)?,
            "labels" => c.labels = labels(cx, v, &p)?,
            "external" => {
                let (ext, ext_name) = external(cx, v, &p)?;
                c.external = ext;
                if let Some(n) = ext_name {
                    if !c.name.is_empty() && c.name != n {
                        return Err(cx.err(
                            at(v),
                            format!(
                                "network {name}: network.external.name and network.name conflict; only use network.name"
                            ),
                        ));
                    }
                    c.name = n;
                }
            }
            _ => {}
        }
    }
    if c.external && c.name.is_empty() {
        c.name = name.to_string();
    }
    Ok(c)
}

fn volume(cx: &Ctx, name: &str, n: &Node) -> Result<VolumeConfig, LoadError> {
    let path = format!("volumes.{name}");
    let mut c = VolumeConfig::default();
    if matches!(n.value, Value::Null) {
        return Ok(c);
    }
    let e = entries(cx, n, &path)?;
    only(cx, e, &["driver", "driver_opts", "external", "labels", "name"], &path)?;
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "driver" => c.driver = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "external" => {
                let (ext, ext_name) = external(cx, v, &p)?;
                c.external = ext;
                if let Some(n) = ext_name {
                    c.name = n;
                }
            }
            _ => {}
        }
    }
    Ok(c)
}

fn file_object(cx: &Ctx, section: &str, name: &str, n: &Node) -> Result<FileObject, LoadError> {
    let path = format!("{section}.{name}");
    let e = entries(cx, n, &path)?;
    only(cx, e, &["file", "external", "labels", "name", "template_driver", "driver", "driver_opts"], &path)?;
    let mut c = FileObject::default();
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "file" => c.file = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "labels" => c.labels = labels(cx, v, &p)?,
            "external" => {
                let (ext, ext_name) = external(cx, v, &p)?;
                c.external = ext;
                if let Some(n) = ext_name {
                    c.name = n;
                }
            }
            _ => {}
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Loaded, String> {
        let env = |k: &str| (k == "TAG").then(|| "1.27".to_string());
        load("docker-compose.yml", text, &env).map_err(|e| e.to_string())
    }

    const STACK: &str = r#"version: "3.8"
x-defaults: &defaults
  image: nginx:${TAG}
  deploy: &deploy
    replicas: 3
    resources:
      limits:
        memory: 50M
    restart_policy:
      condition: on-failure
services:
  api1:
    <<: *defaults
    ports:
      - "5000:5000"
  api2:
    <<: *defaults
    ports:
      - target: 5000
        published: 5001
    networks:
      front:
        aliases: [api]
    environment:
      - MODE=two
      - DEBUG
    secrets: [db_password]
    build: .
    container_name: nope
networks:
  front:
    driver: overlay
    attachable: true
secrets:
  db_password:
    file: ./db.txt
"#;

    #[test]
    fn a_two_service_stack_loads_with_its_warnings() {
        let l = load_str(STACK).unwrap();
        let c = &l.compose;
        assert_eq!(c.version, "3.8");
        let names: Vec<&str> = c.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["api1", "api2"]);
        let (a1, a2) = (&c.services[0], &c.services[1]);
        assert_eq!(a1.image, "nginx:1.27");
        assert_eq!(a1.deploy.replicas, Some(3));
        assert_eq!(a1.deploy.limits.memory_bytes, Some(50 * 1024 * 1024));
        assert_eq!(a1.deploy.restart_policy.as_ref().map(|r| r.condition.as_str()), Some("on-failure"));
        assert_eq!(
            a1.ports,
            vec![PortConfig { mode: "ingress".into(), target: 5000, published: Some(5000), protocol: "tcp".into() }]
        );
        assert_eq!(a2.ports[0].published, Some(5001));
        assert_eq!(a2.networks.get("front"), Some(&vec!["api".to_string()]));
        assert_eq!(a2.environment.get("MODE"), Some(&Some("two".into())));
        assert_eq!(a2.environment.get("DEBUG"), Some(&None));
        assert_eq!(a2.secrets[0].source, "db_password");
        assert!(c.networks["front"].attachable);
        assert_eq!(c.secrets["db_password"].file, "./db.txt");
        assert_eq!(
            l.warnings,
            vec![
                "Ignoring unsupported options: build\n".to_string(),
                "Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\n"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn a_wrongly_indented_service_names_its_line() {
        let text = "version: \"3.8\"\nservices:\n  api1:\n  image: nginx\n";
        assert_eq!(load_str(text).unwrap_err(), "docker-compose.yml:3:3: services.api1 must be a mapping");
        let text = "services:\n  api1: nginx\n";
        assert_eq!(load_str(text).unwrap_err(), "docker-compose.yml:2:3: services.api1 must be a mapping");
    }

    #[test]
    fn errors_use_dockers_words_with_a_position() {
        let cases = [
            (
                "services:\n  web:\n    imag: nginx\n",
                "docker-compose.yml:3:5: services.web Additional property imag is not allowed",
            ),
            (
                "services:\n  web:\n    image: nginx\n    ports:\n      - \"80:abc\"\n",
                "docker-compose.yml:5:9: invalid containerPort: abc",
            ),
            (
                "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: three\n",
                "docker-compose.yml:5:17: services.web.deploy.replicas must be a integer",
            ),
            (
                "services:\n  web:\n    image: nginx\n    deploy:\n      mode: everywhere\n",
                "docker-compose.yml:5:13: unknown mode: everywhere",
            ),
            (
                "services:\n  web:\n    image: nginx:${X:?set X}\n",
                "docker-compose.yml: invalid interpolation format for services.web.image: \"required variable X is missing a value: set X\"; you may need to escape any $ with another $",
            ),
            (
                "services:\n  web:\n    ports: [80]\n",
                "docker-compose.yml:2:3: invalid image reference for service web: no image specified",
            ),
            ("- a\n- b\n", "docker-compose.yml:1:1: top-level object must be a mapping"),
            ("version: \"2.4\"\nservices: {}\n", "docker-compose.yml:1:10: unsupported Compose file version: 2.4"),
            ("servics:\n  web: {}\n", "docker-compose.yml:1:1: (root) Additional property servics is not allowed"),
            (
                "services:\n  web:\n    image: x\n    extends: y\n",
                "docker-compose.yml:4:5: Compose file contains unsupported options:\n\nextends: Support for `extends` is not implemented yet.\n",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(load_str(text).unwrap_err(), want, "{text}");
        }
        assert!(load_str("services:\n  web:\n image: x\n    bad: [").unwrap_err().starts_with("docker-compose.yml: "));
    }
}
