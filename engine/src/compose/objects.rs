//! Top-level networks, volumes, secrets and configs.

use super::check::*;
use super::load::LoadError;
use super::model::*;
use super::yaml::{Node, Value};

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

pub(super) fn network(cx: &Ctx, name: &str, n: &Node) -> Result<NetworkConfig, LoadError> {
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

pub(super) fn volume(cx: &Ctx, name: &str, n: &Node) -> Result<VolumeConfig, LoadError> {
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

pub(super) fn file_object(cx: &Ctx, section: &str, name: &str, n: &Node) -> Result<FileObject, LoadError> {
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
    // docker/cli names an external object after its key when it has no name.
    if c.external && c.name.is_empty() {
        c.name = name.to_string();
    }
    Ok(c)
}
