//! From flags to a service spec: docker/cli's `serviceOptions.ToService` for create
//! and `updateService` for update.

use super::super::CliError;
use super::super::flags::Parsed;
use super::parse;
use crate::cli::flags::kv_map;
use crate::time::parse_go_duration;
use crate::types::*;

fn nanos(p: &Parsed, name: &str) -> Option<i64> {
    p.string(name).filter(|_| p.changed(name)).and_then(parse_go_duration).map(|d| d.as_nanos() as i64)
}

fn uint(p: &Parsed, name: &str) -> Option<u64> {
    p.string(name).filter(|_| p.changed(name)).and_then(|v| v.parse().ok())
}

/// `-e NAME` takes the variable from the client's environment; here there is none,
/// so it is left out as docker does for an unset variable.
fn env_list(items: &[String]) -> Vec<String> {
    items.iter().filter(|e| e.contains('=')).cloned().collect()
}

fn ports(p: &Parsed, name: &str) -> Vec<PortConfig> {
    p.list(name).iter().flat_map(|v| parse::ports(v).unwrap_or_default()).collect()
}

fn restart_policy(p: &Parsed, base: Option<RestartPolicy>) -> Option<RestartPolicy> {
    let names = ["restart-condition", "restart-delay", "restart-max-attempts", "restart-window"];
    if !names.iter().any(|n| p.changed(n)) {
        return base;
    }
    let mut r = base.unwrap_or_default();
    if let Some(c) = p.string("restart-condition").filter(|_| p.changed("restart-condition")) {
        r.condition = c.to_string();
    }
    if let Some(d) = nanos(p, "restart-delay") {
        r.delay = Some(d);
    }
    if let Some(n) = uint(p, "restart-max-attempts") {
        r.max_attempts = Some(n);
    }
    if let Some(w) = nanos(p, "restart-window") {
        r.window = Some(w);
    }
    Some(r)
}

fn update_config(p: &Parsed, prefix: &str, base: Option<UpdateConfig>) -> Option<UpdateConfig> {
    let keys = ["parallelism", "delay", "monitor", "failure-action", "max-failure-ratio", "order"];
    let name = |k: &str| format!("{prefix}-{k}");
    if !keys.iter().any(|k| p.changed(&name(k))) {
        return base;
    }
    let mut c = base.unwrap_or(UpdateConfig { parallelism: 1, ..UpdateConfig::default() });
    if let Some(v) = uint(p, &name("parallelism")) {
        c.parallelism = v;
    }
    if let Some(v) = nanos(p, &name("delay")) {
        c.delay = v;
    }
    if let Some(v) = nanos(p, &name("monitor")) {
        c.monitor = v;
    }
    if let Some(v) = p.string(&name("failure-action")).filter(|_| p.changed(&name("failure-action"))) {
        c.failure_action = v.to_string();
    }
    if let Some(v) = p.string(&name("max-failure-ratio")).filter(|_| p.changed(&name("max-failure-ratio"))) {
        c.max_failure_ratio = v.parse().unwrap_or(0.0);
    }
    if let Some(v) = p.string(&name("order")).filter(|_| p.changed(&name("order"))) {
        c.order = v.to_string();
    }
    Some(c)
}

fn resources(p: &Parsed, base: Option<ResourceRequirements>) -> ResourceRequirements {
    let mut r = base.unwrap_or_default();
    let limits = r.limits.get_or_insert_with(Limit::default);
    if let Some(v) = p.string("limit-cpu").filter(|_| p.changed("limit-cpu")) {
        limits.nano_cpus = parse::cpus(v).unwrap_or(0);
    }
    if let Some(v) = p.string("limit-memory").filter(|_| p.changed("limit-memory")) {
        limits.memory_bytes = parse::ram_in_bytes(v).unwrap_or(0);
    }
    if let Some(v) = p.string("limit-pids").filter(|_| p.changed("limit-pids")) {
        limits.pids = v.parse().unwrap_or(0);
    }
    let res = r.reservations.get_or_insert_with(Reservation::default);
    if let Some(v) = p.string("reserve-cpu").filter(|_| p.changed("reserve-cpu")) {
        res.nano_cpus = parse::cpus(v).unwrap_or(0);
    }
    if let Some(v) = p.string("reserve-memory").filter(|_| p.changed("reserve-memory")) {
        res.memory_bytes = parse::ram_in_bytes(v).unwrap_or(0);
    }
    r
}

fn prefs(values: &[String]) -> Vec<PlacementPreference> {
    values
        .iter()
        .filter_map(|v| parse::pref(v).ok())
        .map(|d| PlacementPreference { spread: Some(SpreadOver { spread_descriptor: d }) })
        .collect()
}

/// `docker service create`.
pub fn create(p: &Parsed) -> Result<ServiceSpec, CliError> {
    let image = p.args[0].clone();
    let mode_name = p.string("mode").unwrap_or("replicated");
    let replicas = uint(p, "replicas");
    let mut mode = ServiceMode::default();
    match mode_name {
        "replicated" => mode.replicated = Some(ReplicatedService { replicas }),
        "global" => {
            if replicas.is_some() {
                return Err(CliError::msg("replicas can only be used with replicated or replicated-job mode"));
            }
            mode.global = Some(GlobalService {});
        }
        "replicated-job" => {
            mode.replicated_job =
                Some(ReplicatedJob { max_concurrent: uint(p, "max-concurrent"), total_completions: replicas });
        }
        "global-job" => {
            if replicas.is_some() {
                return Err(CliError::msg("replicas can only be used with replicated or replicated-job mode"));
            }
            mode.global_job = Some(GlobalService {});
        }
        other => return Err(CliError::msg(format!("Unknown mode: {other}, only replicated and global supported"))),
    }
    if p.changed("max-concurrent") && mode.replicated_job.is_none() {
        return Err(CliError::msg("max-concurrent can only be used with replicated-job mode"));
    }
    let is_job = mode.replicated_job.is_some() || mode.global_job.is_some();
    let mut restart = restart_policy(p, None);
    if is_job && restart.as_ref().is_none_or(|r| r.condition.is_empty()) {
        // Jobs restart on failure only, unless asked otherwise.
        restart.get_or_insert_with(RestartPolicy::default).condition = "on-failure".into();
    }
    let container = ContainerSpec {
        image,
        labels: kv_map(p.list("container-label")),
        command: p.string("entrypoint").map(parse::shlex).unwrap_or_default(),
        args: p.args[1..].to_vec(),
        hostname: p.string("hostname").unwrap_or_default().to_string(),
        env: env_list(p.list("env")),
        dir: p.string("workdir").unwrap_or_default().to_string(),
        user: p.string("user").unwrap_or_default().to_string(),
        init: Some(p.bool("init")),
        tty: p.bool("tty"),
        read_only: p.bool("read-only"),
        mounts: p.list("mount").iter().filter_map(|m| parse::mount(m).ok()).collect(),
        stop_grace_period: nanos(p, "stop-grace-period"),
        dns_config: Some(DnsConfig {}),
        // Filled in by refs::resolve, which asks the daemon for the IDs.
        secrets: Vec::new(),
        configs: Vec::new(),
        isolation: p.string("isolation").unwrap_or_default().to_string(),
    };
    let placement = Placement {
        constraints: p.list("constraint").to_vec(),
        preferences: prefs(p.list("placement-pref")),
        max_replicas: uint(p, "replicas-max-per-node").unwrap_or(0),
        platforms: Vec::new(),
    };
    Ok(ServiceSpec {
        name: p.string("name").unwrap_or_default().to_string(),
        labels: kv_map(p.list("label")),
        task_template: TaskSpec {
            container_spec: Some(container),
            resources: Some(resources(p, None)),
            restart_policy: restart,
            placement: Some(placement),
            networks: p
                .list("network")
                .iter()
                .map(|n| NetworkAttachmentConfig { target: n.clone(), aliases: Vec::new() })
                .collect(),
            force_update: 0,
            runtime: String::new(),
        },
        mode,
        update_config: update_config(p, "update", None),
        rollback_config: update_config(p, "rollback", None),
        endpoint_spec: Some(EndpointSpec {
            mode: p.string("endpoint-mode").unwrap_or("vip").to_lowercase(),
            ports: ports(p, "publish"),
        }),
    })
}

fn remove_keys(map: &mut Labels, keys: &[String]) {
    for k in keys {
        map.remove(k.split_once('=').map_or(k.as_str(), |(k, _)| k));
    }
}

/// `docker service update`: merges the flags into the current spec.
pub fn update(spec: &mut ServiceSpec, p: &Parsed) -> Result<(), CliError> {
    let s = |name: &str| p.string(name).filter(|_| p.changed(name)).map(str::to_string);
    remove_keys(&mut spec.labels, p.list("label-rm"));
    spec.labels.extend(kv_map(p.list("label-add")));
    let is_job = spec.mode.replicated_job.is_some() || spec.mode.global_job.is_some();
    if let Some(n) = uint(p, "replicas") {
        if let Some(r) = spec.mode.replicated.as_mut() {
            r.replicas = Some(n);
        } else if let Some(j) = spec.mode.replicated_job.as_mut() {
            j.total_completions = Some(n);
        } else {
            return Err(CliError::msg("replicas can only be used with replicated or replicated-job mode"));
        }
    }
    if let Some(n) = uint(p, "max-concurrent") {
        match spec.mode.replicated_job.as_mut() {
            Some(j) => j.max_concurrent = Some(n),
            None => return Err(CliError::msg("max-concurrent can only be used with replicated-job mode")),
        }
    }
    let t = &mut spec.task_template;
    let c = t.container_spec.get_or_insert_with(ContainerSpec::default);
    if let Some(v) = s("image") {
        c.image = v;
    }
    if p.changed("args") {
        c.args = p.string("args").map(parse::shlex).unwrap_or_default();
    }
    if p.changed("entrypoint") {
        c.command = p.string("entrypoint").map(parse::shlex).unwrap_or_default();
    }
    for (name, field) in
        [("hostname", &mut c.hostname), ("workdir", &mut c.dir), ("user", &mut c.user), ("isolation", &mut c.isolation)]
    {
        if let Some(v) = s(name) {
            *field = v;
        }
    }
    if p.changed("tty") {
        c.tty = p.bool("tty");
    }
    if p.changed("read-only") {
        c.read_only = p.bool("read-only");
    }
    if p.changed("init") {
        c.init = Some(p.bool("init"));
    }
    if let Some(v) = nanos(p, "stop-grace-period") {
        c.stop_grace_period = Some(v);
    }
    let rm_env: Vec<&String> = p.list("env-rm").iter().collect();
    c.env.retain(|e| !rm_env.iter().any(|k| e.split('=').next() == Some(k.split('=').next().unwrap_or(k))));
    for e in env_list(p.list("env-add")) {
        let key = e.split('=').next().unwrap_or("").to_string();
        c.env.retain(|x| x.split('=').next() != Some(key.as_str()));
        c.env.push(e);
    }
    remove_keys(&mut c.labels, p.list("container-label-rm"));
    c.labels.extend(kv_map(p.list("container-label-add")));
    let rm_mounts = p.list("mount-rm");
    c.mounts.retain(|m| !rm_mounts.contains(&m.target));
    for m in p.list("mount-add").iter().filter_map(|m| parse::mount(m).ok()) {
        c.mounts.retain(|x| x.target != m.target);
        c.mounts.push(m);
    }
    let placement = t.placement.get_or_insert_with(Placement::default);
    let rm_c = p.list("constraint-rm");
    placement.constraints.retain(|x| !rm_c.contains(x));
    for x in p.list("constraint-add") {
        if !placement.constraints.contains(x) {
            placement.constraints.push(x.clone());
        }
    }
    let rm_p = prefs(p.list("placement-pref-rm"));
    placement.preferences.retain(|x| !rm_p.contains(x));
    placement.preferences.extend(prefs(p.list("placement-pref-add")));
    if let Some(n) = uint(p, "replicas-max-per-node") {
        placement.max_replicas = n;
    }
    if ["limit-cpu", "limit-memory", "limit-pids", "reserve-cpu", "reserve-memory"].iter().any(|n| p.changed(n)) {
        t.resources = Some(resources(p, t.resources.take()));
    }
    t.restart_policy = restart_policy(p, t.restart_policy.take());
    if p.bool("force") {
        t.force_update += 1;
    }
    if !is_job {
        spec.update_config = update_config(p, "update", spec.update_config.take());
    }
    spec.rollback_config = update_config(p, "rollback", spec.rollback_config.take());
    let endpoint = spec.endpoint_spec.get_or_insert_with(EndpointSpec::default);
    if let Some(m) = s("endpoint-mode") {
        endpoint.mode = m.to_lowercase();
    }
    let rm_ports: Vec<PortConfig> = ports(p, "publish-rm");
    endpoint.ports.retain(|x| !rm_ports.iter().any(|r| r.target_port == x.target_port && r.protocol == x.protocol));
    for port in ports(p, "publish-add") {
        endpoint.ports.retain(|x| {
            !(x.published_port == port.published_port && x.protocol == port.protocol && port.published_port != 0)
        });
        endpoint.ports.push(port);
    }
    Ok(())
}
