//! Top-level networks, volumes, secrets and configs.

use super::check::*;
use super::load::LoadError;
use super::model::*;
use super::yaml::{Node, Value};

/// `external: true` or the older `external: {name: x}`, and where it was written.
type External = ((bool, Option<String>), (u32, u32));

fn external(cx: &Ctx, n: &Node, path: &str) -> Result<External, LoadError> {
    let value = match &n.value {
        Value::Bool(b) => (*b, None),
        Value::Map(e) => {
            only(cx, e, &["name"], path)?;
            (true, n.get("name").map(|v| string(cx, v, &format!("{path}.name"))).transpose()?)
        }
        _ => return Err(cx.err(at(n), format!("{path} must be a boolean or mapping"))),
    };
    Ok((value, at(n)))
}

/// docker/cli's loader for an external network, volume, secret or config: the
/// deprecated `external.name` becomes the name (refused beside a `name`), and an
/// external object without a name is named after its key. Whether it is external.
fn resolve_external(
    cx: &Ctx,
    kind: &str,
    key: &str,
    ext: Option<External>,
    name: &mut String,
) -> Result<bool, LoadError> {
    let Some(((is_external, ext_name), pos)) = ext else { return Ok(false) };
    if !is_external {
        return Ok(false);
    }
    match ext_name {
        Some(_) if !name.is_empty() => {
            Err(cx
                .err(pos, format!("{kind} {key}: {kind}.external.name and {kind}.name conflict; only use {kind}.name")))
        }
        Some(n) => {
            *name = n;
            Ok(true)
        }
        None => {
            if name.is_empty() {
                *name = key.to_string();
            }
            Ok(true)
        }
    }
}

pub(super) fn network(cx: &Ctx, name: &str, n: &Node) -> Result<NetworkConfig, LoadError> {
    let path = format!("networks.{name}");
    let mut c = NetworkConfig::default();
    if matches!(n.value, Value::Null) {
        return Ok(c);
    }
    let e = entries(cx, n, &path)?;
    only(cx, e, &["driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels", "name"], &path)?;
    let mut ext = None;
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "driver" => c.driver = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "attachable" => c.attachable = boolean(cx, v, &p)?,
            "labels" => c.labels = labels(cx, v, &p)?,
            "external" => ext = Some(external(cx, v, &p)?),
            _ => {}
        }
    }
    c.external = resolve_external(cx, "network", name, ext, &mut c.name)?;
    Ok(c)
}

pub(super) fn volume(cx: &Ctx, name: &str, n: &Node) -> Result<VolumeConfig, LoadError> {
    let path = format!("volumes.{name}");
    let mut c = VolumeConfig::default();
    if matches!(n.value, Value::Null) {
        return Ok(c);
    }
    let e = entries(cx, n, &path)?;
    only(cx, e, &["driver", "driver_opts", "external", "labels", "name"], &path)?;
    let mut ext = None;
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "driver" => c.driver = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "external" => ext = Some(external(cx, v, &p)?),
            _ => {}
        }
    }
    c.external = resolve_external(cx, "volume", name, ext, &mut c.name)?;
    Ok(c)
}

pub(super) fn file_object(cx: &Ctx, section: &str, name: &str, n: &Node) -> Result<FileObject, LoadError> {
    let path = format!("{section}.{name}");
    let e = entries(cx, n, &path)?;
    only(cx, e, &["file", "external", "labels", "name", "template_driver", "driver", "driver_opts"], &path)?;
    let mut c = FileObject::default();
    let mut ext = None;
    for (k, v) in e {
        let p = format!("{path}.{}", k.name);
        match k.name.as_str() {
            "file" => c.file = string(cx, v, &p)?,
            "name" => c.name = string(cx, v, &p)?,
            "labels" => c.labels = labels(cx, v, &p)?,
            "external" => ext = Some(external(cx, v, &p)?),
            _ => {}
        }
    }
    // "secrets" -> "secret", "configs" -> "config", as docker/cli words it.
    c.external = resolve_external(cx, section.trim_end_matches('s'), name, ext, &mut c.name)?;
    Ok(c)
}
