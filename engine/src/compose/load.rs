//! Loading a compose file as `docker stack deploy` does (docker/cli compose/loader and
//! stack/loader): parse, refuse forbidden options, substitute variables, validate the
//! shape with the schema's wording (`services.api1 must be a mapping`, `services.web
//! Additional property imag is not allowed`), convert, and collect the warnings for
//! options swarm ignores. Every error names file, line and column.

use super::check::{Ctx, at, entries, key_at, only, string_or_number};
use super::model::*;
use super::yaml::{self, Node, Value};
use std::collections::BTreeMap;

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

/// Loads one compose file. `lookup` gives environment variables for substitution.
pub fn load(file: &str, text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Loaded, LoadError> {
    load_all(&[(file.to_string(), text.to_string())], lookup)
}

/// Loads `-c` files for `stack deploy` (docker/cli's `LoadComposefile`): merged, and
/// every service must end up with a valid image reference.
pub fn load_all(files: &[(String, String)], lookup: &dyn Fn(&str) -> Option<String>) -> Result<Loaded, LoadError> {
    let (loaded, positions) = merge_files(files, lookup)?;
    for s in &loaded.compose.services {
        let problem = if s.image.is_empty() {
            Some("no image specified".to_string())
        } else {
            crate::reference::parse_any(&s.image).err().map(|e| e.to_string())
        };
        if let Some(problem) = problem {
            let (file, (line, column)) = positions.get(&s.name).cloned().unwrap_or_default();
            let message = format!("invalid image reference for service {}: {problem}", s.name);
            return Err(LoadError { file, line, column, message });
        }
    }
    Ok(loaded)
}

/// Loads `-c` files for `stack config` (docker/cli's loader alone): merged, images
/// as written.
pub fn config_all(files: &[(String, String)], lookup: &dyn Fn(&str) -> Option<String>) -> Result<Loaded, LoadError> {
    merge_files(files, lookup).map(|(loaded, _)| loaded)
}

/// Where each service is named: its file, line and column.
type Named = BTreeMap<String, (String, (u32, u32))>;

/// `-c` files in order, each merged over the ones before, as docker/cli does; the
/// warnings cover them all.
fn merge_files(
    files: &[(String, String)],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(Loaded, Named), LoadError> {
    let mut merged: Option<Compose> = None;
    let mut unsupported = std::collections::BTreeSet::new();
    let mut deprecated = BTreeMap::new();
    let mut positions: Named = BTreeMap::new();
    for (file, text) in files {
        let (parsed, at) = parse_file(file, text, lookup)?;
        unsupported.extend(parsed.unsupported);
        deprecated.extend(parsed.deprecated);
        for (name, pos) in at {
            positions.insert(name, (file.clone(), pos));
        }
        merged = Some(match merged {
            None => parsed.compose,
            Some(base) => super::merge::merge(base, parsed.compose),
        });
    }
    let compose = merged.unwrap_or_default();
    let mut warnings = Vec::new();
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
    Ok((Loaded { compose, warnings }, positions))
}

/// One file, before merging: its model, what it uses that swarm ignores, and where
/// each service is named.
pub(super) struct ParsedFile {
    pub compose: Compose,
    unsupported: std::collections::BTreeSet<String>,
    deprecated: BTreeMap<&'static str, &'static str>,
}

type Positions = BTreeMap<String, (u32, u32)>;

pub(super) fn parse_file(
    file: &str,
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(ParsedFile, Positions), LoadError> {
    let cx = Ctx { file };
    let mut root = yaml::parse(text).map_err(|(line, column, e)| cx.err((line, column), e))?;
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
            compose.services.push(super::service::service(&cx, &k.name, svc, &path)?);
        }
    }
    compose.services.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(n) = root.get("networks") {
        for (k, v) in entries(&cx, n, "networks")? {
            compose.networks.insert(k.name.clone(), super::objects::network(&cx, &k.name, v)?);
        }
    }
    if let Some(n) = root.get("volumes") {
        for (k, v) in entries(&cx, n, "volumes")? {
            compose.volumes.insert(k.name.clone(), super::objects::volume(&cx, &k.name, v)?);
        }
    }
    for (section, out) in [("secrets", &mut compose.secrets), ("configs", &mut compose.configs)] {
        if let Some(n) = root.get(section) {
            for (k, v) in entries(&cx, n, section)? {
                out.insert(k.name.clone(), super::objects::file_object(&cx, section, &k.name, v)?);
            }
        }
    }
    let mut positions = Positions::new();
    if let Some(Value::Map(e)) = root.get("services").map(|n| &n.value) {
        for (k, _) in e {
            positions.insert(k.name.clone(), key_at(k));
        }
    }
    Ok((ParsedFile { compose, unsupported, deprecated }, positions))
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
        let broken = load_str("services:\n  web:\n image: x\n    bad: [").unwrap_err();
        assert_eq!(broken, "docker-compose.yml:3:2: yaml: while parsing a block mapping, did not find expected key");
    }

    #[test]
    fn external_objects_are_named_as_docker_cli_names_them() {
        let c = load_str(
            "services:\n  web: {image: x}\nnetworks:\n  front: {external: true}\nvolumes:\n  v: {external: {name: data}}\n  w: {external: true}\nsecrets:\n  s: {external: true}\n",
        )
        .expect("loads")
        .compose;
        assert_eq!((c.networks["front"].name.as_str(), c.networks["front"].external), ("front", true));
        assert_eq!(c.volumes["v"].name, "data");
        assert_eq!(c.volumes["w"].name, "w");
        assert_eq!(c.secrets["s"].name, "s");
        for (section, word) in [("networks", "network"), ("volumes", "volume"), ("configs", "config")] {
            let text =
                format!("services:\n  web: {{image: x}}\n{section}:\n  o:\n    name: o\n    external: {{name: o}}\n");
            let e = load_str(&text).unwrap_err();
            assert!(
                e.ends_with(&format!("{word} o: {word}.external.name and {word}.name conflict; only use {word}.name")),
                "{e}"
            );
        }
    }
}
