//! docker/cli's value parsers for service flags, with their error texts: sizes
//! (go-units `RAMInBytes`), CPUs (`opts.ParseCPUs`), ports (`PortOpt`), mounts
//! (`MountOpt`) and placement preferences.

use crate::types::{Mount, PortConfig};

/// go-units `RAMInBytes`: "512m", "1.5GiB", "100" (bytes).
pub fn ram_in_bytes(s: &str) -> Result<i64, String> {
    let Some(sep) = s.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return Err(format!("invalid size: '{s}'"));
    };
    let (num, sfx) = if s.as_bytes()[sep] == b' ' { (&s[..sep], &s[sep + 1..]) } else { (&s[..=sep], &s[sep + 1..]) };
    let size: f64 = num.parse().map_err(|_| format!("strconv.ParseFloat: parsing {num:?}: invalid syntax"))?;
    if size < 0.0 {
        return Err(format!("invalid size: '{s}'"));
    }
    if sfx.is_empty() {
        return Ok(size as i64);
    }
    if sfx.len() > 3 {
        return Err(format!("invalid suffix: '{sfx}'"));
    }
    let lower = sfx.to_lowercase();
    let b = lower.as_bytes();
    if b[0] == b'b' {
        return if b.len() > 1 { Err(format!("invalid suffix: '{lower}'")) } else { Ok(size as i64) };
    }
    let mul: f64 = match b[0] {
        b'k' => 1024.0,
        b'm' => 1024f64.powi(2),
        b'g' => 1024f64.powi(3),
        b't' => 1024f64.powi(4),
        b'p' => 1024f64.powi(5),
        _ => return Err(format!("invalid suffix: '{lower}'")),
    };
    let ok = match b.len() {
        1 => true,
        2 => b[1] == b'b',
        _ => &lower[1..] == "ib",
    };
    if !ok {
        return Err(format!("invalid suffix: '{lower}'"));
    }
    Ok((size * mul) as i64)
}

/// docker/cli `opts.ParseCPUs`: a rational number of CPUs, in nano-CPUs.
pub fn cpus(s: &str) -> Result<i64, String> {
    let fail = || format!("failed to parse {s} as a rational number");
    let value = if let Some((n, d)) = s.split_once('/') {
        let (n, d): (f64, f64) = (n.parse().map_err(|_| fail())?, d.parse().map_err(|_| fail())?);
        if d == 0.0 {
            return Err(fail());
        }
        n / d
    } else {
        s.parse::<f64>().map_err(|_| fail())?
    };
    let nano = value * 1e9;
    if (nano - nano.round()).abs() > 1e-6 {
        return Err("value is too precise".into());
    }
    Ok(nano.round() as i64)
}

fn port_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b && b <= 65535).then_some((a, b))
}

/// docker/cli `PortOpt.Set`: `8080:80`, `80/udp`, or `published=8080,target=80,mode=host`.
pub fn ports(value: &str) -> Result<Vec<PortConfig>, String> {
    let long = value.split(',').all(|kv| kv.split_once('=').is_some_and(|(k, v)| !k.is_empty() && !v.is_empty()))
        && value.contains('=');
    if long {
        let mut p = PortConfig::default();
        for field in value.split(',') {
            let lower = field.to_lowercase();
            let Some((key, val)) = lower.split_once('=').filter(|(k, _)| !k.is_empty()) else {
                return Err(format!("invalid field: {field}"));
            };
            match key {
                "protocol" => {
                    if !matches!(val, "tcp" | "udp" | "sctp") {
                        return Err(format!("invalid protocol value '{val}'"));
                    }
                    p.protocol = val.into();
                }
                "mode" => {
                    if !matches!(val, "ingress" | "host") {
                        return Err(format!("invalid publish mode value ({val}): must be either 'ingress' or 'host'"));
                    }
                    p.publish_mode = val.into();
                }
                "target" => {
                    p.target_port = val.parse::<u16>().map_err(|_| {
                        format!(
                            "invalid target port ({val}): value must be an integer: {}",
                            super::super::flags::num_err_text(val)
                        )
                    })? as u32;
                }
                "published" => {
                    p.published_port = val.parse::<u16>().map_err(|_| {
                        format!(
                            "invalid published port ({val}): value must be an integer: {}",
                            super::super::flags::num_err_text(val)
                        )
                    })? as u32;
                }
                _ => return Err(format!("invalid field key: {key}")),
            }
        }
        if p.target_port == 0 {
            return Err("missing mandatory field 'target'".into());
        }
        if p.publish_mode.is_empty() {
            p.publish_mode = "ingress".into();
        }
        if p.protocol.is_empty() {
            p.protocol = "tcp".into();
        }
        return Ok(vec![p]);
    }
    // nat.ParsePortSpec: [ip:]hostPort:containerPort[/proto]
    let (spec, proto) = match value.rsplit_once('/') {
        Some((s, p)) => (s, p.to_lowercase()),
        None => (value, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [i, h, c] => (*i, *h, *c),
        _ => return Err(format!("invalid port specification: {value:?}")),
    };
    if !ip.is_empty() {
        if ip.parse::<std::net::IpAddr>().is_err() {
            return Err(format!("invalid IP address: {ip}"));
        }
        return Err("hostip is not supported".into());
    }
    let Some((c0, c1)) = port_range(container).filter(|(a, _)| *a > 0) else {
        return Err(format!("invalid containerPort: {container}"));
    };
    let (h0, h1) =
        if host.is_empty() { (0, 0) } else { port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))? };
    if host.is_empty() || (h1 - h0) == (c1 - c0) {
        Ok((0..=(c1 - c0))
            .map(|i| PortConfig {
                name: String::new(),
                protocol: proto.clone(),
                target_port: c0 + i,
                published_port: if host.is_empty() { 0 } else { h0 + i },
                publish_mode: "ingress".into(),
            })
            .collect())
    } else if c0 == c1 {
        Ok((h0..=h1)
            .map(|h| PortConfig {
                name: String::new(),
                protocol: proto.clone(),
                target_port: c0,
                published_port: h,
                publish_mode: "ingress".into(),
            })
            .collect())
    } else {
        Err(format!("invalid ranges specified for container and host Ports: {container} and {host}"))
    }
}

/// docker/cli `MountOpt.Set`: `type=bind,source=/data,target=/data,readonly`.
pub fn mount(value: &str) -> Result<Mount, String> {
    let mut m = Mount { kind: "volume".into(), ..Mount::default() };
    for field in value.split(',') {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v)),
            None => (field.to_lowercase(), None),
        };
        match (key.as_str(), val) {
            ("readonly" | "ro", None) => m.read_only = true,
            ("volume-nocopy" | "bind-nonrecursive", None) => {}
            (_, None) => return Err(format!("invalid field '{field}' must be a key=value pair")),
            ("type", Some(v)) => m.kind = v.to_lowercase(),
            ("source" | "src", Some(v)) => m.source = v.to_string(),
            ("target" | "dst" | "destination", Some(v)) => m.target = v.to_string(),
            ("readonly" | "ro", Some(v)) => {
                m.read_only = match v.to_lowercase().as_str() {
                    "1" | "true" => true,
                    "0" | "false" => false,
                    _ => return Err(format!("invalid value for {key}: {v}")),
                }
            }
            (
                "consistency" | "bind-propagation" | "bind-recursive" | "volume-subpath" | "volume-label"
                | "volume-driver" | "volume-opt" | "image-subpath" | "tmpfs-size" | "tmpfs-mode" | "volume-nocopy"
                | "bind-nonrecursive",
                Some(_),
            ) => {}
            (_, Some(_)) => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if m.kind.is_empty() {
        return Err("type is required".into());
    }
    if m.target.is_empty() {
        return Err("target is required".into());
    }
    Ok(m)
}

/// docker/cli `placementPrefOpts.Set`: `spread=node.labels.zone`.
pub fn pref(value: &str) -> Result<String, String> {
    let Some((strategy, arg)) = value.split_once('=') else {
        return Err("placement preference must be of the format \"<strategy>=<arg>\"".into());
    };
    if !strategy.eq_ignore_ascii_case("spread") {
        return Err(format!("unsupported placement preference {strategy} (only spread is supported)"));
    }
    Ok(arg.to_string())
}

/// docker/cli `opts.ShlexOpt`: splits like a POSIX shell (quotes, backslashes).
pub fn shlex(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_word, mut quote) = (false, None::<char>);
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// docker/cli `SecretOpt.Set` / `ConfigOpt.Set`: `name`, or
/// `source=name,target=path,uid=0,gid=0,mode=0444`. Returns the source's name and the file.
pub fn file_ref(value: &str, word: &str) -> Result<(String, crate::types::FileTarget), String> {
    let mut file = crate::types::FileTarget { name: String::new(), uid: "0".into(), gid: "0".into(), mode: 0o444 };
    let fields: Vec<&str> = value.split(',').collect();
    if fields.len() == 1 && !fields[0].contains('=') {
        file.name = fields[0].to_string();
        return Ok((fields[0].to_string(), file));
    }
    let mut source = String::new();
    for field in fields {
        let Some((key, val)) = field.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!("invalid field '{field}' must be a key=value pair"));
        };
        match key.to_lowercase().as_str() {
            "source" | "src" => source = val.to_string(),
            "target" => file.name = val.to_string(),
            "uid" => file.uid = val.to_string(),
            "gid" => file.gid = val.to_string(),
            "mode" => {
                let parsed = if let Some(oct) =
                    val.strip_prefix("0o").or_else(|| val.strip_prefix("0").filter(|r| !r.is_empty()))
                {
                    u32::from_str_radix(oct, 8)
                } else if let Some(hex) = val.strip_prefix("0x") {
                    u32::from_str_radix(hex, 16)
                } else {
                    val.parse::<u32>()
                };
                file.mode = parsed.map_err(|_| {
                    format!("invalid mode specified: strconv.ParseUint: parsing {val:?}: invalid syntax")
                })?;
            }
            _ => return Err(format!("invalid field in {word} request: {key}")),
        }
    }
    if source.is_empty() {
        return Err("source is required".into());
    }
    if file.name.is_empty() {
        file.name = source.clone();
    }
    Ok((source, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_go_units() {
        assert_eq!(ram_in_bytes("512m"), Ok(512 * 1024 * 1024));
        assert_eq!(ram_in_bytes("1.5GiB"), Ok(1_610_612_736));
        assert_eq!(ram_in_bytes("100"), Ok(100));
        assert_eq!(ram_in_bytes("10x"), Err("invalid suffix: 'x'".into()));
        assert_eq!(ram_in_bytes("abc"), Err("invalid size: 'abc'".into()));
    }

    #[test]
    fn cpus_parse_like_docker() {
        assert_eq!(cpus("1.5"), Ok(1_500_000_000));
        assert_eq!(cpus("3/2"), Ok(1_500_000_000));
        assert_eq!(cpus("x"), Err("failed to parse x as a rational number".into()));
        assert_eq!(cpus("0.0000000001"), Err("value is too precise".into()));
    }

    #[test]
    fn ports_parse_like_docker() {
        let p = ports("8080:80").expect("ok");
        assert_eq!((p[0].published_port, p[0].target_port, p[0].protocol.as_str()), (8080, 80, "tcp"));
        let p = ports("published=80,target=8000,mode=host").expect("ok");
        assert_eq!((p[0].published_port, p[0].target_port, p[0].publish_mode.as_str()), (80, 8000, "host"));
        assert_eq!(ports("80").expect("ok")[0].published_port, 0);
        assert_eq!(ports("abc"), Err("invalid containerPort: abc".into()));
        assert_eq!(ports("published=80"), Err("missing mandatory field 'target'".into()));
        assert_eq!(ports("127.0.0.1:80:80"), Err("hostip is not supported".into()));
    }

    #[test]
    fn mounts_and_prefs() {
        let m = mount("type=bind,source=/data,target=/srv,readonly").expect("ok");
        assert_eq!(
            (m.kind.as_str(), m.source.as_str(), m.target.as_str(), m.read_only),
            ("bind", "/data", "/srv", true)
        );
        assert_eq!(mount("source=/x"), Err("target is required".into()));
        assert_eq!(mount("foo"), Err("invalid field 'foo' must be a key=value pair".into()));
        assert_eq!(pref("spread=node.labels.zone"), Ok("node.labels.zone".into()));
        assert!(pref("pack=x").is_err());
        assert_eq!(shlex("sh -c 'echo hi'"), ["sh", "-c", "echo hi"]);
    }
}
