//! A service's section of a compose file, converted into the model.

use super::check::*;
use super::load::LoadError;
use super::model::*;
use super::yaml::{Node, Value};
use crate::cli::service::parse;
use std::collections::BTreeMap;

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
pub(super) fn service(cx: &Ctx, name: &str, n: &Node, path: &str) -> Result<ServiceConfig, LoadError> {
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
                // Long syntax keeps what was written; defaults come with the conversion.
                let mut p = PortConfig::default();
                for (k, v) in e {
                    match k.name.as_str() {
                        "mode" => p.mode = string(cx, v, &format!("{pp}.mode"))?,
                        "target" => p.target = integer(cx, v, &format!("{pp}.target"))? as u32,
                        "published" => p.published = Some(integer(cx, v, &format!("{pp}.published"))? as u32),
                        "protocol" => p.protocol = string(cx, v, &format!("{pp}.protocol"))?,
                        _ => {}
                    }
                }
                if !matches!(p.mode.as_str(), "" | "ingress" | "host") {
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
