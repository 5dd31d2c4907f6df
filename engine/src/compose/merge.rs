//! Several `-c` files: docker/cli's loader merges each over the ones before
//! (cli/compose/loader/merge.go: mergo with override and appended slices, and keyed
//! merges for ports, secrets, configs and volumes).

use super::model::*;
use std::collections::BTreeMap;

fn text(base: &mut String, over: String) {
    if !over.is_empty() {
        *base = over;
    }
}

fn some<T>(base: &mut Option<T>, over: Option<T>) {
    if over.is_some() {
        *base = over;
    }
}

/// Merges `over` into `base` where a key matches, appends it otherwise.
fn keyed<T, K: PartialEq>(base: &mut Vec<T>, over: Vec<T>, key: impl Fn(&T) -> K) {
    for item in over {
        match base.iter_mut().find(|b| key(b) == key(&item)) {
            Some(b) => *b = item,
            None => base.push(item),
        }
    }
}

fn appended(base: &mut Vec<String>, over: Vec<String>) {
    for item in over {
        if !base.contains(&item) {
            base.push(item);
        }
    }
}

fn deploy(base: &mut Deploy, over: Deploy) {
    text(&mut base.mode, over.mode);
    some(&mut base.replicas, over.replicas);
    base.labels.extend(over.labels);
    some(&mut base.update_config, over.update_config);
    some(&mut base.rollback_config, over.rollback_config);
    some(&mut base.limits.nano_cpus, over.limits.nano_cpus);
    some(&mut base.limits.memory_bytes, over.limits.memory_bytes);
    some(&mut base.reservations.nano_cpus, over.reservations.nano_cpus);
    some(&mut base.reservations.memory_bytes, over.reservations.memory_bytes);
    some(&mut base.restart_policy, over.restart_policy);
    appended(&mut base.constraints, over.constraints);
    appended(&mut base.preferences, over.preferences);
    some(&mut base.max_replicas_per_node, over.max_replicas_per_node);
    text(&mut base.endpoint_mode, over.endpoint_mode);
}

fn service(base: &mut ServiceConfig, over: ServiceConfig) {
    text(&mut base.image, over.image);
    some(&mut base.command, over.command);
    some(&mut base.entrypoint, over.entrypoint);
    base.environment.extend(over.environment);
    text(&mut base.hostname, over.hostname);
    base.labels.extend(over.labels);
    keyed(&mut base.ports, over.ports, |p| (p.published, p.target, p.protocol.clone(), p.mode.clone()));
    base.networks.extend(over.networks);
    keyed(&mut base.secrets, over.secrets, |r| r.source.clone());
    keyed(&mut base.configs, over.configs, |r| r.source.clone());
    keyed(&mut base.volumes, over.volumes, |v| v.target.clone());
    some(&mut base.stop_grace_period, over.stop_grace_period);
    text(&mut base.user, over.user);
    text(&mut base.working_dir, over.working_dir);
    deploy(&mut base.deploy, over.deploy);
}

/// `over` on top of `base`.
pub fn merge(mut base: Compose, over: Compose) -> Compose {
    let mut services: BTreeMap<String, ServiceConfig> = base.services.drain(..).map(|s| (s.name.clone(), s)).collect();
    for s in over.services {
        match services.get_mut(&s.name) {
            Some(b) => service(b, s),
            None => {
                services.insert(s.name.clone(), s);
            }
        }
    }
    base.services = services.into_values().collect();
    base.networks.extend(over.networks);
    base.volumes.extend(over.volumes);
    base.secrets.extend(over.secrets);
    base.configs.extend(over.configs);
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Compose {
        super::super::load::parse_file("f.yml", text, &|_| None).expect("loads").0.compose
    }

    #[test]
    fn a_later_file_overrides_and_extends() {
        let base = load(
            "version: '3.8'\nservices:\n  web:\n    image: nginx:1\n    ports: ['80:80']\n    deploy:\n      replicas: 1\n      placement: {constraints: [node.role==worker]}\n",
        );
        let over = load(
            "version: '3.8'\nservices:\n  web:\n    image: nginx:2\n    ports: ['443:443']\n    deploy:\n      replicas: 3\n  db:\n    image: redis\n",
        );
        let m = merge(base, over);
        assert_eq!(m.services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["db", "web"]);
        let web = &m.services[1];
        assert_eq!(web.image, "nginx:2");
        assert_eq!(web.ports.len(), 2);
        assert_eq!(web.deploy.replicas, Some(3));
        assert_eq!(web.deploy.constraints, ["node.role==worker"]);
    }
}
