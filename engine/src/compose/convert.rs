//! From a loaded compose file to what `docker stack deploy` sends the daemon: docker/cli
//! cli/compose/convert. Names are scoped by the stack (`<stack>_<name>`) and every
//! object carries the stack's label. Pure: file contents come in through `read`.

use super::model::{Compose, Deploy, FileObject, FileReference, NetworkConfig, Resources, ServiceConfig};
use crate::types::*;
use std::collections::BTreeMap;

pub const LABEL_NAMESPACE: &str = "com.docker.stack.namespace";
pub const LABEL_IMAGE: &str = "com.docker.stack.image";

/// The stack a deploy works in.
#[derive(Debug, Clone, Copy)]
pub struct Namespace<'a>(pub &'a str);

impl Namespace<'_> {
    pub fn scope(&self, name: &str) -> String {
        format!("{}_{name}", self.0)
    }
    pub fn descope<'n>(&self, name: &'n str) -> &'n str {
        name.strip_prefix(&format!("{}_", self.0)).unwrap_or(name)
    }
    fn labels(&self, mut labels: BTreeMap<String, String>) -> BTreeMap<String, String> {
        labels.insert(LABEL_NAMESPACE.into(), self.0.into());
        labels
    }
}

/// Networks not made by the stack: docker's own and those declared external.
fn user_defined(name: &str) -> bool {
    !matches!(name, "default" | "bridge" | "host" | "none") && !name.starts_with("container:")
}

/// The networks the services use: those to create (by real name), and the external
/// ones, which must exist already.
pub fn networks(ns: Namespace, compose: &Compose) -> (BTreeMap<String, NetworkCreateRequest>, Vec<String>) {
    let mut used: Vec<&str> = Vec::new();
    for s in &compose.services {
        if s.networks.is_empty() {
            used.push("default");
        }
        used.extend(s.networks.keys().map(String::as_str));
    }
    used.sort_unstable();
    used.dedup();
    let (mut create, mut external) = (BTreeMap::new(), Vec::new());
    for internal in used {
        let nw = compose.networks.get(internal).cloned().unwrap_or_default();
        if nw.external {
            external.push(nw.name.clone());
            continue;
        }
        let name = if nw.name.is_empty() { ns.scope(internal) } else { nw.name.clone() };
        let req = NetworkCreateRequest {
            name: name.clone(),
            driver: if nw.driver.is_empty() { "overlay".into() } else { nw.driver.clone() },
            attachable: nw.attachable,
            labels: ns.labels(nw.labels.clone()),
            ..NetworkCreateRequest::default()
        };
        create.insert(name, req);
    }
    (create, external)
}

/// docker/cli joins a relative `file:` to the compose file's directory.
fn path_in(dir: &str, file: &str) -> String {
    if file.starts_with('/') || dir.is_empty() {
        file.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), file.trim_start_matches("./"))
    }
}

/// The secrets or configs the file declares (external ones excepted), with their data.
pub fn file_objects(
    ns: Namespace,
    objects: &BTreeMap<String, FileObject>,
    dir: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<SecretSpec>, String> {
    use base64::Engine;
    let mut out = Vec::new();
    for (key, o) in objects.iter().filter(|(_, o)| !o.external) {
        let data = read(&path_in(dir, &o.file))?;
        out.push(SecretSpec {
            name: if o.name.is_empty() { ns.scope(key) } else { o.name.clone() },
            labels: ns.labels(o.labels.clone()),
            data: base64::engine::general_purpose::STANDARD.encode(data),
            ..SecretSpec::default()
        });
    }
    Ok(out)
}

/// A service's secret or config references: the real name of each (the daemon's
/// ID is the caller's to fill in) and its file target.
fn references(
    ns: Namespace,
    refs: &[FileReference],
    declared: &BTreeMap<String, FileObject>,
    word: &str,
) -> Result<Vec<(String, FileTarget)>, String> {
    let mut out = Vec::new();
    for r in refs {
        let obj = declared.get(&r.source).ok_or_else(|| format!("undefined {word} {:?}", r.source))?;
        let name = match (&obj.name, obj.external) {
            (n, _) if !n.is_empty() => n.clone(),
            (_, true) => r.source.clone(),
            _ => ns.scope(&r.source),
        };
        let target = FileTarget {
            name: if r.target.is_empty() { r.source.clone() } else { r.target.clone() },
            uid: if r.uid.is_empty() { "0".into() } else { r.uid.clone() },
            gid: if r.gid.is_empty() { "0".into() } else { r.gid.clone() },
            mode: r.mode.unwrap_or(0o444),
        };
        out.push((name, target));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn nanos(d: Option<std::time::Duration>) -> Option<i64> {
    d.map(|d| d.as_nanos() as i64)
}

fn mode(d: &Deploy) -> Result<ServiceMode, String> {
    let mut m = ServiceMode::default();
    let no_replicas = || match d.replicas {
        Some(_) => Err("replicas can only be used with replicated or replicated-job mode".to_string()),
        None => Ok(()),
    };
    match d.mode.as_str() {
        "global" => {
            no_replicas()?;
            m.global = Some(GlobalService {});
        }
        "global-job" => {
            no_replicas()?;
            m.global_job = Some(GlobalService {});
        }
        "replicated-job" => {
            m.replicated_job = Some(ReplicatedJob { max_concurrent: d.replicas, total_completions: d.replicas })
        }
        "replicated" | "" => m.replicated = Some(ReplicatedService { replicas: d.replicas }),
        other => return Err(format!("Unknown mode: {other}")),
    }
    Ok(m)
}

fn update_config(c: &Option<super::model::UpdateConfig>) -> Option<UpdateConfig> {
    c.as_ref().map(|c| UpdateConfig {
        parallelism: c.parallelism.unwrap_or(1),
        delay: nanos(c.delay).unwrap_or(0),
        failure_action: c.failure_action.clone(),
        monitor: nanos(c.monitor).unwrap_or(0),
        max_failure_ratio: c.max_failure_ratio.unwrap_or(0.0),
        order: c.order.clone(),
    })
}

fn resources(d: &Deploy) -> ResourceRequirements {
    let set = |r: &Resources| r.nano_cpus.is_some() || r.memory_bytes.is_some();
    ResourceRequirements {
        limits: set(&d.limits).then(|| Limit {
            nano_cpus: d.limits.nano_cpus.unwrap_or(0),
            memory_bytes: d.limits.memory_bytes.unwrap_or(0),
            pids: 0,
        }),
        reservations: set(&d.reservations).then(|| Reservation {
            nano_cpus: d.reservations.nano_cpus.unwrap_or(0),
            memory_bytes: d.reservations.memory_bytes.unwrap_or(0),
        }),
    }
}

/// The networks a service joins, by real name, each with the service's compose name
/// as an alias (so `api` resolves inside the stack).
fn service_networks(
    ns: Namespace,
    s: &ServiceConfig,
    declared: &BTreeMap<String, NetworkConfig>,
) -> Result<Vec<NetworkAttachmentConfig>, String> {
    let default = BTreeMap::from([("default".to_string(), Vec::new())]);
    let wanted = if s.networks.is_empty() { &default } else { &s.networks };
    let mut out = Vec::new();
    for (name, aliases) in wanted {
        let cfg = declared.get(name);
        if cfg.is_none() && name != "default" {
            return Err(format!("undefined network {name:?}"));
        }
        let target = cfg.map(|c| c.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| ns.scope(name));
        let mut aliases = aliases.clone();
        if user_defined(&target) {
            aliases.push(s.name.clone());
        }
        out.push(NetworkAttachmentConfig { target, aliases });
    }
    out.sort_by(|a, b| a.target.cmp(&b.target));
    Ok(out)
}

/// What a service's secrets and configs resolve to, by real name.
pub struct Refs {
    pub secrets: Vec<(String, FileTarget)>,
    pub configs: Vec<(String, FileTarget)>,
}

/// The names of the secrets and configs a service references.
pub fn service_refs(ns: Namespace, s: &ServiceConfig, compose: &Compose) -> Result<Refs, String> {
    let wrap = |e: String| format!("service {}: {e}", s.name);
    Ok(Refs {
        secrets: references(ns, &s.secrets, &compose.secrets, "secret").map_err(wrap)?,
        configs: references(ns, &s.configs, &compose.configs, "config").map_err(wrap)?,
    })
}

/// docker/cli convert.Service. `env` gives the value of a variable listed without one;
/// secret and config references are left for the caller to resolve to IDs.
pub fn service(
    ns: Namespace,
    s: &ServiceConfig,
    compose: &Compose,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ServiceSpec, String> {
    let wrap = |e: String| format!("service {}: {e}", s.name);
    let d = &s.deploy;
    let mut environment: Vec<String> = s
        .environment
        .iter()
        .map(|(k, v)| match v.clone().or_else(|| env(k)) {
            Some(v) => format!("{k}={v}"),
            None => k.clone(),
        })
        .collect();
    environment.sort();
    let mut mounts = Vec::new();
    for v in &s.volumes {
        let source = match (v.kind.as_str(), compose.volumes.get(&v.source)) {
            ("volume", Some(vol)) if !vol.name.is_empty() => vol.name.clone(),
            ("volume", Some(_)) => ns.scope(&v.source),
            ("volume", None) if !v.source.is_empty() => return Err(wrap(format!("undefined volume {:?}", v.source))),
            _ => v.source.clone(),
        };
        mounts.push(Mount { kind: v.kind.clone(), source, target: v.target.clone(), read_only: v.read_only });
    }
    let mut ports: Vec<PortConfig> = s
        .ports
        .iter()
        .map(|p| PortConfig {
            protocol: if p.protocol.is_empty() { "tcp".into() } else { p.protocol.clone() },
            target_port: p.target,
            published_port: p.published.unwrap_or(0),
            publish_mode: if p.mode.is_empty() { "ingress".into() } else { p.mode.clone() },
            ..PortConfig::default()
        })
        .collect();
    ports.sort_by_key(|p| p.published_port);
    let container = ContainerSpec {
        image: s.image.clone(),
        labels: ns.labels(s.labels.clone()),
        command: s.entrypoint.clone().unwrap_or_default(),
        args: s.command.clone().unwrap_or_default(),
        hostname: s.hostname.clone(),
        env: environment,
        dir: s.working_dir.clone(),
        user: s.user.clone(),
        mounts,
        stop_grace_period: nanos(s.stop_grace_period),
        ..ContainerSpec::default()
    };
    let restart_policy = d.restart_policy.as_ref().map(|r| RestartPolicy {
        condition: r.condition.clone(),
        delay: nanos(r.delay),
        max_attempts: r.max_attempts,
        window: nanos(r.window),
    });
    let placement = Placement {
        constraints: d.constraints.clone(),
        preferences: d
            .preferences
            .iter()
            .map(|p| PlacementPreference { spread: Some(SpreadOver { spread_descriptor: p.clone() }) })
            .collect(),
        max_replicas: d.max_replicas_per_node.unwrap_or(0),
        platforms: Vec::new(),
    };
    let mut labels = ns.labels(d.labels.clone());
    labels.insert(LABEL_IMAGE.into(), s.image.clone());
    Ok(ServiceSpec {
        name: ns.scope(&s.name),
        labels,
        task_template: TaskSpec {
            container_spec: Some(container),
            resources: Some(resources(d)),
            restart_policy,
            placement: Some(placement),
            networks: service_networks(ns, s, &compose.networks).map_err(wrap)?,
            ..TaskSpec::default()
        },
        mode: mode(d).map_err(wrap)?,
        update_config: update_config(&d.update_config),
        rollback_config: update_config(&d.rollback_config),
        endpoint_spec: Some(EndpointSpec {
            mode: if d.endpoint_mode.is_empty() { "vip".into() } else { d.endpoint_mode.to_lowercase() },
            ports,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compose(text: &str) -> Compose {
        super::super::load("docker-compose.yml", text, &|_| None).expect("loads").compose
    }

    const STACK: &str = r#"
version: "3.8"
services:
  web:
    image: nginx:alpine
    ports: ["8080:80"]
    networks:
      front:
        aliases: [www]
    secrets: [pw]
    environment:
      - B=2
      - A
    deploy:
      replicas: 2
      resources: {limits: {memory: 64M}}
  db:
    image: redis
networks:
  front: {}
secrets:
  pw: {file: ./pw.txt}
"#;

    #[test]
    fn names_are_scoped_and_labelled_by_the_stack() {
        let c = compose(STACK);
        let ns = Namespace("x");
        let (nets, external) = networks(ns, &c);
        assert_eq!(nets.keys().collect::<Vec<_>>(), ["x_default", "x_front"]);
        assert!(external.is_empty());
        assert_eq!(nets["x_front"].driver, "overlay");
        assert_eq!(nets["x_front"].labels[LABEL_NAMESPACE], "x");
        let web = c.services.iter().find(|s| s.name == "web").unwrap();
        let spec = service(ns, web, &c, &|k| (k == "A").then(|| "1".to_string())).unwrap();
        assert_eq!(spec.name, "x_web");
        assert_eq!(spec.labels[LABEL_IMAGE], "nginx:alpine");
        assert_eq!(spec.task_template.networks[0].target, "x_front");
        assert_eq!(spec.task_template.networks[0].aliases, ["www", "web"]);
        assert_eq!(spec.task_template.container_spec.as_ref().unwrap().env, ["A=1", "B=2"]);
        let limits = spec.task_template.resources.as_ref().unwrap().limits.as_ref().unwrap();
        assert_eq!(limits.memory_bytes, 64 * 1024 * 1024);
        assert_eq!(spec.mode.replicated.as_ref().unwrap().replicas, Some(2));
        let refs = service_refs(ns, web, &c).unwrap();
        assert_eq!(refs.secrets[0].0, "x_pw");
        assert_eq!(refs.secrets[0].1.mode, 0o444);
    }

    #[test]
    fn secrets_read_beside_the_compose_file() {
        let c = compose(STACK);
        let read = |p: &str| if p == "/srv/app/pw.txt" { Ok(b"s3".to_vec()) } else { Err(format!("open {p}: nope")) };
        let specs = file_objects(Namespace("x"), &c.secrets, "/srv/app", &read).unwrap();
        assert_eq!((specs[0].name.as_str(), specs[0].data.as_str()), ("x_pw", "czM="));
        assert_eq!(
            file_objects(Namespace("x"), &c.secrets, "/elsewhere", &read).unwrap_err(),
            "open /elsewhere/pw.txt: nope"
        );
    }

    #[test]
    fn undefined_references_name_the_service() {
        let c = compose("version: '3.8'\nservices:\n  a:\n    image: x\n    networks: [nope]\n    secrets: [gone]\n");
        let a = &c.services[0];
        assert_eq!(service(Namespace("s"), a, &c, &|_| None).unwrap_err(), "service a: undefined network \"nope\"");
        assert_eq!(service_refs(Namespace("s"), a, &c).err().unwrap(), "service a: undefined secret \"gone\"");
    }
}
