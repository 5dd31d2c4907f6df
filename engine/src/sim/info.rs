//! `/info` and `/version` of a virtual node: a Docker 28.2.2 engine on Linux.

use super::{Cluster, ENGINE_VERSION, Membership};
use crate::types::*;
use std::collections::BTreeMap;

pub const API_VERSION: &str = "1.50";
pub const MIN_API_VERSION: &str = "1.24";
const GIT_COMMIT: &str = "45873be";
const GO_VERSION: &str = "go1.24.3";
const KERNEL: &str = "6.8.0-60-generic";
const BUILD_TIME: &str = "Fri May 30 12:07:26 2025";
const CONTAINERD: (&str, &str) = ("1.7.27", "05044ec0a9a75232cad458027ca83437aae3f4da");
const RUNC: (&str, &str) = ("1.2.5", "v1.2.5-0-g59923ef");
const INIT: (&str, &str) = ("0.19.0", "de40ad0");

pub(super) fn version() -> SystemVersion {
    let details = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let component =
        |name: &str, version: &str, details| ComponentVersion { name: name.into(), version: version.into(), details };
    SystemVersion {
        platform: BTreeMap::from([("Name".to_string(), "Docker Engine - Community".to_string())]),
        components: vec![
            component(
                "Engine",
                ENGINE_VERSION,
                details(&[
                    ("ApiVersion", API_VERSION),
                    ("Arch", "amd64"),
                    ("BuildTime", "2025-05-30T12:07:26.000000000+00:00"),
                    ("Experimental", "false"),
                    ("GitCommit", GIT_COMMIT),
                    ("GoVersion", GO_VERSION),
                    ("KernelVersion", KERNEL),
                    ("MinAPIVersion", MIN_API_VERSION),
                    ("Os", "linux"),
                ]),
            ),
            component("containerd", CONTAINERD.0, details(&[("GitCommit", CONTAINERD.1)])),
            component("runc", RUNC.0, details(&[("GitCommit", RUNC.1)])),
            component("docker-init", INIT.0, details(&[("GitCommit", INIT.1)])),
        ],
        version: ENGINE_VERSION.into(),
        api_version: API_VERSION.into(),
        min_api_version: MIN_API_VERSION.into(),
        git_commit: GIT_COMMIT.into(),
        go_version: GO_VERSION.into(),
        os: "linux".into(),
        arch: "amd64".into(),
        kernel_version: KERNEL.into(),
        build_time: BUILD_TIME.into(),
    }
}

pub(super) fn info(sim: &Cluster, idx: usize) -> SystemInfo {
    let m = &sim.machines()[idx];
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    SystemInfo {
        id: m.engine_id.clone(),
        system_time: sim.now().rfc3339_nano(),
        driver: "overlay2".into(),
        driver_status: vec![
            ["Backing Filesystem".into(), "extfs".into()],
            ["Supports d_type".into(), "true".into()],
            ["Using metacopy".into(), "false".into()],
            ["Native Overlay Diff".into(), "true".into()],
            ["userxattr".into(), "false".into()],
        ],
        plugins: PluginsInfo {
            volume: strings(&["local"]),
            network: strings(&["bridge", "host", "ipvlan", "macvlan", "null", "overlay"]),
            authorization: None,
            log: strings(&[
                "awslogs",
                "fluentd",
                "gcplogs",
                "gelf",
                "journald",
                "json-file",
                "local",
                "splunk",
                "syslog",
            ]),
        },
        logging_driver: "json-file".into(),
        cgroup_driver: "systemd".into(),
        cgroup_version: "2".into(),
        kernel_version: KERNEL.into(),
        operating_system: "Ubuntu 24.04.2 LTS".into(),
        os_type: "linux".into(),
        architecture: "x86_64".into(),
        ncpu: m.nano_cpus / 1_000_000_000,
        mem_total: m.memory_bytes,
        docker_root_dir: "/var/lib/docker".into(),
        name: m.hostname.clone(),
        server_version: ENGINE_VERSION.into(),
        runtimes: BTreeMap::from([
            ("io.containerd.runc.v2".to_string(), RuntimeInfo { path: "runc".into() }),
            ("runc".to_string(), RuntimeInfo { path: "runc".into() }),
        ]),
        default_runtime: "runc".into(),
        swarm: swarm_info(sim, idx),
        init_binary: "docker-init".into(),
        containerd_commit: Commit { id: CONTAINERD.1.into() },
        runc_commit: Commit { id: RUNC.1.into() },
        init_commit: Commit { id: INIT.1.into() },
        security_options: strings(&["name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"]),
        ..SystemInfo::default()
    }
}

/// moby `Cluster.Info`.
fn swarm_info(sim: &Cluster, idx: usize) -> SwarmInfo {
    let m = &sim.machines()[idx];
    let mut info = SwarmInfo::default();
    match &m.membership {
        Membership::Inactive => return info,
        Membership::Pending { .. } => {
            info.local_node_state = LocalNodeState::Pending;
            return info;
        }
        Membership::Active { .. } => info.local_node_state = LocalNodeState::Active,
    }
    let (Some(node_id), Some(swarm)) = (m.node_id(), sim.swarm_of(idx)) else {
        return info;
    };
    let leader = swarm.leader_for(node_id);
    let store = leader.and_then(|l| swarm.replica(l)).unwrap_or_else(|| swarm.store());
    info.node_id = node_id.to_string();
    let me = store.nodes.get(node_id);
    info.node_addr = me.map(|n| n.status.addr.clone()).unwrap_or_default();
    let reachable = swarm.reachable_managers(leader);
    let peers: Vec<Peer> = store
        .managers()
        .filter(|n| leader.is_none() || reachable.contains(&n.id))
        .map(|n| Peer {
            node_id: n.id.clone(),
            addr: n.manager_status.as_ref().map(|s| s.addr.clone()).unwrap_or_default(),
        })
        .collect();
    info.remote_managers = Some(peers);
    let is_manager = me.is_some_and(|n| n.manager_status.is_some());
    if is_manager && leader.is_some() {
        info.control_available = true;
        info.cluster = store.cluster.as_ref().map(|c| c.info.clone());
        info.nodes = store.nodes.len() as i64;
        info.managers = store.managers().count() as i64;
        if info.managers == 2 {
            info.warnings.push(
                "WARNING: Running Swarm in a two-manager configuration. This configuration provides\n         no fault tolerance, and poses a high risk to lose control over the cluster.\n         Refer to https://docs.docker.com/engine/swarm/admin_guide/ to configure the\n         Swarm for fault-tolerance."
                    .into(),
            );
        }
    } else if is_manager {
        info.control_available = true;
        info.error = format!("rpc error: code = Unknown desc = {}", crate::api::ERR_NO_LEADER);
    }
    info
}
