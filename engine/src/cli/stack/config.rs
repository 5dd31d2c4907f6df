//! `docker stack config`: the files merged and interpolated, printed as YAML in
//! docker/cli's key order (its compose types' field order) for what swarm acts on.

use super::deploy::{read_files, working_dir};
use super::{Ctx, Parsed};
use crate::cli::CliError;
use crate::compose::model::*;
use std::fmt::Write;

pub fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let files = read_files(ctx, &p.strings("compose-file"))?;
    let lookup = ctx.env.var;
    let skip = p.bool("skip-interpolation");
    let env = move |k: &str| if skip { Some(format!("${{{k}}}")) } else { lookup.and_then(|f| f(k)) };
    let loaded = crate::compose::config_all(&files, &env).map_err(|e| CliError::msg(e.to_string()))?;
    let dir = working_dir(ctx.env.cwd.map(str::to_string), &files[0].0);
    ctx.out.push_str(&render(&loaded.compose, &dir));
    Ok(())
}

/// A scalar as Go's yaml.v3 writes it: quoted when it would read back as another type.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.parse::<f64>().is_err()
        && !matches!(s.to_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~")
        && !s.starts_with([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' '])
        // `-`, `?` and `:` start a plain scalar unless a space follows.
        && !(s.starts_with(['-', '?', ':']) && (s.len() == 1 || s[1..].starts_with(' ')))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':']);
    if plain { s.to_string() } else { format!("{s:?}") }
}

fn duration(d: &std::time::Duration) -> String {
    crate::time::go_duration(*d)
}

fn line(o: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(o, "{:indent$}{key}: {value}", "");
}

fn head(o: &mut String, indent: usize, key: &str) {
    let _ = writeln!(o, "{:indent$}{key}:", "");
}

fn map(o: &mut String, indent: usize, key: &str, m: &std::collections::BTreeMap<String, String>) {
    if !m.is_empty() {
        head(o, indent, key);
        for (k, v) in m {
            line(o, indent + 2, &scalar(k), &scalar(v));
        }
    }
}

fn list(o: &mut String, indent: usize, key: &str, items: &[String]) {
    if !items.is_empty() {
        head(o, indent, key);
        for i in items {
            let _ = writeln!(o, "{:w$}- {}", "", scalar(i), w = indent + 2);
        }
    }
}

fn update_config(o: &mut String, indent: usize, key: &str, u: &Option<UpdateConfig>) {
    let Some(u) = u else { return };
    head(o, indent, key);
    let i = indent + 2;
    if let Some(n) = u.parallelism {
        line(o, i, "parallelism", &n.to_string());
    }
    if let Some(d) = &u.delay {
        line(o, i, "delay", &duration(d));
    }
    if !u.failure_action.is_empty() {
        line(o, i, "failure_action", &scalar(&u.failure_action));
    }
    if let Some(d) = &u.monitor {
        line(o, i, "monitor", &duration(d));
    }
    if let Some(r) = u.max_failure_ratio {
        line(o, i, "max_failure_ratio", &crate::time::format_g4(f64::from(r)));
    }
    if !u.order.is_empty() {
        line(o, i, "order", &scalar(&u.order));
    }
}

fn resources(o: &mut String, indent: usize, key: &str, r: &Resources) {
    if r.nano_cpus.is_none() && r.memory_bytes.is_none() {
        return;
    }
    head(o, indent, key);
    if let Some(c) = r.nano_cpus {
        line(o, indent + 2, "cpus", &scalar(&crate::time::format_g4(c as f64 / 1e9)));
    }
    if let Some(m) = r.memory_bytes {
        line(o, indent + 2, "memory", &format!("\"{m}\""));
    }
}

fn deploy(o: &mut String, d: &Deploy) {
    let mut b = String::new();
    if !d.mode.is_empty() {
        line(&mut b, 6, "mode", &scalar(&d.mode));
    }
    if let Some(r) = d.replicas {
        line(&mut b, 6, "replicas", &r.to_string());
    }
    map(&mut b, 6, "labels", &d.labels);
    update_config(&mut b, 6, "update_config", &d.update_config);
    update_config(&mut b, 6, "rollback_config", &d.rollback_config);
    let mut r = String::new();
    resources(&mut r, 8, "limits", &d.limits);
    resources(&mut r, 8, "reservations", &d.reservations);
    if !r.is_empty() {
        head(&mut b, 6, "resources");
        b.push_str(&r);
    }
    if let Some(rp) = &d.restart_policy {
        head(&mut b, 6, "restart_policy");
        if !rp.condition.is_empty() {
            line(&mut b, 8, "condition", &scalar(&rp.condition));
        }
        if let Some(x) = &rp.delay {
            line(&mut b, 8, "delay", &duration(x));
        }
        if let Some(x) = rp.max_attempts {
            line(&mut b, 8, "max_attempts", &x.to_string());
        }
        if let Some(x) = &rp.window {
            line(&mut b, 8, "window", &duration(x));
        }
    }
    if !d.constraints.is_empty() || !d.preferences.is_empty() || d.max_replicas_per_node.is_some() {
        head(&mut b, 6, "placement");
        list(&mut b, 8, "constraints", &d.constraints);
        if !d.preferences.is_empty() {
            head(&mut b, 8, "preferences");
            for p in &d.preferences {
                let _ = writeln!(b, "          - spread: {}", scalar(p));
            }
        }
        if let Some(m) = d.max_replicas_per_node {
            line(&mut b, 8, "max_replicas_per_node", &m.to_string());
        }
    }
    if !d.endpoint_mode.is_empty() {
        line(&mut b, 6, "endpoint_mode", &scalar(&d.endpoint_mode));
    }
    if !b.is_empty() {
        head(o, 4, "deploy");
        o.push_str(&b);
    }
}

fn references(o: &mut String, key: &str, refs: &[FileReference]) {
    if refs.is_empty() {
        return;
    }
    head(o, 4, key);
    for r in refs {
        let _ = writeln!(o, "      - source: {}", scalar(&r.source));
        for (k, v) in [("target", &r.target), ("uid", &r.uid), ("gid", &r.gid)] {
            if !v.is_empty() {
                line(o, 8, k, &scalar(v));
            }
        }
        if let Some(m) = r.mode {
            line(o, 8, "mode", &m.to_string());
        }
    }
}

fn service(o: &mut String, s: &ServiceConfig) {
    let _ = writeln!(o, "  {}:", scalar(&s.name));
    if let Some(c) = &s.command {
        list(o, 4, "command", c);
    }
    references(o, "configs", &s.configs);
    deploy(o, &s.deploy);
    if let Some(e) = &s.entrypoint {
        list(o, 4, "entrypoint", e);
    }
    if !s.environment.is_empty() {
        head(o, 4, "environment");
        for (k, v) in &s.environment {
            line(o, 6, &scalar(k), &v.as_deref().map_or("null".to_string(), scalar));
        }
    }
    if !s.hostname.is_empty() {
        line(o, 4, "hostname", &scalar(&s.hostname));
    }
    if !s.image.is_empty() {
        // `image,omitempty` in docker/cli's ServiceConfig.
        line(o, 4, "image", &scalar(&s.image));
    }
    map(o, 4, "labels", &s.labels);
    if !s.networks.is_empty() {
        head(o, 4, "networks");
        for (n, aliases) in &s.networks {
            if aliases.is_empty() {
                line(o, 6, &scalar(n), "null");
            } else {
                head(o, 6, &scalar(n));
                list(o, 8, "aliases", aliases);
            }
        }
    }
    if !s.ports.is_empty() {
        head(o, 4, "ports");
        for p in &s.ports {
            let mut fields = Vec::new();
            if !p.mode.is_empty() {
                fields.push(("mode", scalar(&p.mode)));
            }
            fields.push(("target", p.target.to_string()));
            if let Some(x) = p.published {
                fields.push(("published", x.to_string()));
            }
            if !p.protocol.is_empty() {
                fields.push(("protocol", scalar(&p.protocol)));
            }
            for (i, (k, v)) in fields.iter().enumerate() {
                let lead = if i == 0 { "      - " } else { "        " };
                let _ = writeln!(o, "{lead}{k}: {v}");
            }
        }
    }
    references(o, "secrets", &s.secrets);
    if let Some(d) = &s.stop_grace_period {
        line(o, 4, "stop_grace_period", &duration(d));
    }
    if !s.user.is_empty() {
        line(o, 4, "user", &scalar(&s.user));
    }
    if !s.volumes.is_empty() {
        head(o, 4, "volumes");
        for v in &s.volumes {
            let _ = writeln!(o, "      - type: {}", scalar(&v.kind));
            if !v.source.is_empty() {
                line(o, 8, "source", &scalar(&v.source));
            }
            line(o, 8, "target", &scalar(&v.target));
            if v.read_only {
                line(o, 8, "read_only", "true");
            }
        }
    }
    if !s.working_dir.is_empty() {
        line(o, 4, "working_dir", &scalar(&s.working_dir));
    }
}

fn file_objects(o: &mut String, key: &str, objects: &std::collections::BTreeMap<String, FileObject>, dir: &str) {
    if objects.is_empty() {
        return;
    }
    head(o, 0, key);
    for (name, f) in objects {
        head(o, 2, &scalar(name));
        if !f.name.is_empty() {
            line(o, 4, "name", &scalar(&f.name));
        }
        if !f.file.is_empty() {
            let path = if f.file.starts_with('/') || dir.is_empty() {
                f.file.clone()
            } else {
                format!("{dir}/{}", f.file.trim_start_matches("./"))
            };
            line(o, 4, "file", &scalar(&path));
        }
        if f.external {
            line(o, 4, "external", "true");
        }
        map(o, 4, "labels", &f.labels);
    }
}

pub fn render(c: &Compose, dir: &str) -> String {
    let mut o = String::new();
    line(&mut o, 0, "version", &scalar(&c.version));
    head(&mut o, 0, "services");
    for s in &c.services {
        service(&mut o, s);
    }
    if !c.networks.is_empty() {
        head(&mut o, 0, "networks");
        for (name, n) in &c.networks {
            let mut b = String::new();
            if !n.name.is_empty() {
                line(&mut b, 4, "name", &scalar(&n.name));
            }
            if !n.driver.is_empty() {
                line(&mut b, 4, "driver", &scalar(&n.driver));
            }
            if n.external {
                line(&mut b, 4, "external", "true");
            }
            if n.attachable {
                line(&mut b, 4, "attachable", "true");
            }
            map(&mut b, 4, "labels", &n.labels);
            if b.is_empty() {
                line(&mut o, 2, &scalar(name), "{}");
            } else {
                head(&mut o, 2, &scalar(name));
                o.push_str(&b);
            }
        }
    }
    if !c.volumes.is_empty() {
        head(&mut o, 0, "volumes");
        for (name, v) in &c.volumes {
            let mut b = String::new();
            if !v.name.is_empty() {
                line(&mut b, 4, "name", &scalar(&v.name));
            }
            if !v.driver.is_empty() {
                line(&mut b, 4, "driver", &scalar(&v.driver));
            }
            if v.external {
                line(&mut b, 4, "external", "true");
            }
            if b.is_empty() {
                line(&mut o, 2, &scalar(name), "{}");
            } else {
                head(&mut o, 2, &scalar(name));
                o.push_str(&b);
            }
        }
    }
    file_objects(&mut o, "secrets", &c.secrets, dir);
    file_objects(&mut o, "configs", &c.configs, dir);
    o
}
