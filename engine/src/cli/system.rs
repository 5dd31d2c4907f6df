//! `docker info` and `docker version` (docker/cli cli/command/system).

use super::command::{Args, Command};
use super::flags::{Kind, Parsed, flag};
use super::format::INSPECT_FORMAT_HELP;
use super::{CliError, Ctx, format};
use crate::sim::ENGINE_VERSION;
use crate::time::{bytes_size, human_duration};
use crate::types::{LocalNodeState, SystemInfo};
use std::fmt::Write;
use std::time::Duration;

const CLIENT_GIT_COMMIT: &str = "e6534b4";
const CLIENT_BUILT: &str = "Fri May 30 12:07:14 2025";
const CLIENT_GO: &str = "go1.24.3";

pub const INFO: Command = Command {
    name: "info",
    aliases: &[],
    usage: "[OPTIONS]",
    short: "Display system-wide information",
    flags: &[flag("format", Some('f'), Kind::String, "", INSPECT_FORMAT_HELP)],
    args: Args::None,
    run: Some(info),
    subs: &[],
};

pub const VERSION: Command = Command {
    name: "version",
    aliases: &[],
    usage: "[OPTIONS]",
    short: "Show the Docker version information",
    flags: &[flag("format", Some('f'), Kind::String, "", INSPECT_FORMAT_HELP)],
    args: Args::None,
    run: Some(version),
    subs: &[],
};

fn info(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let info = ctx.call(|api| api.info())?;
    if let Some(f) = p.string("format") {
        let src = if f == "json" { "{{json .}}" } else { f };
        let tmpl = format::parse(src).map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?;
        let mut data = serde_json::to_value(&info).unwrap_or_default();
        if let Some(obj) = data.as_object_mut() {
            obj.insert(
                "ClientInfo".into(),
                serde_json::json!({"Debug": false, "Version": ENGINE_VERSION, "GitCommit": CLIENT_GIT_COMMIT, "GoVersion": CLIENT_GO, "Os": "linux", "Arch": "amd64", "BuildTime": CLIENT_BUILT, "Context": "default", "Plugins": [], "Warnings": null}),
            );
        }
        let text = tmpl.execute_to_string(&format::data(&data)).map_err(|e| CliError::msg(e.to_string()))?;
        ctx.println(text);
        return Ok(());
    }
    let mut out = String::new();
    let _ =
        write!(out, "Client:\n Version:    {ENGINE_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n");
    server_info(&mut out, &info);
    ctx.out.push_str(&out);
    for w in &info.warnings {
        ctx.err.push_str(w);
        ctx.err.push('\n');
    }
    for w in &info.swarm.warnings {
        ctx.err.push_str(w);
        ctx.err.push('\n');
    }
    Ok(())
}

/// docker/cli `prettyPrintServerInfo`.
fn server_info(o: &mut String, i: &SystemInfo) {
    let _ = writeln!(
        o,
        " Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}",
        i.containers, i.containers_running, i.containers_paused, i.containers_stopped
    );
    let _ = writeln!(o, " Images: {}\n Server Version: {}\n Storage Driver: {}", i.images, i.server_version, i.driver);
    for [k, v] in &i.driver_status {
        let _ = writeln!(o, "  {k}: {v}");
    }
    let _ = writeln!(
        o,
        " Logging Driver: {}\n Cgroup Driver: {}\n Cgroup Version: {}",
        i.logging_driver, i.cgroup_driver, i.cgroup_version
    );
    let _ = writeln!(
        o,
        " Plugins:\n  Volume: {}\n  Network: {}\n  Log: {}",
        i.plugins.volume.join(" "),
        i.plugins.network.join(" "),
        i.plugins.log.join(" ")
    );
    let _ = writeln!(o, " Swarm: {}", i.swarm.local_node_state.as_str());
    swarm_info(o, i);
    let runtimes: Vec<&str> = i.runtimes.keys().map(String::as_str).collect();
    let _ = writeln!(o, " Runtimes: {}\n Default Runtime: {}", runtimes.join(" "), i.default_runtime);
    let _ = writeln!(
        o,
        " Init Binary: {}\n containerd version: {}\n runc version: {}\n init version: {}",
        i.init_binary, i.containerd_commit.id, i.runc_commit.id, i.init_commit.id
    );
    if !i.security_options.is_empty() {
        o.push_str(" Security Options:\n");
        for so in &i.security_options {
            let mut parts = so.split(',');
            let name = parts.next().unwrap_or("").trim_start_matches("name=");
            let _ = writeln!(o, "  {name}");
            for kv in parts {
                if let Some(("profile", v)) = kv.split_once('=') {
                    let _ = writeln!(o, "   Profile: {v}");
                }
            }
        }
    }
    let _ = writeln!(
        o,
        " Kernel Version: {}\n Operating System: {}\n OSType: {}\n Architecture: {}",
        i.kernel_version, i.operating_system, i.os_type, i.architecture
    );
    let _ = writeln!(
        o,
        " CPUs: {}\n Total Memory: {}\n Name: {}\n ID: {}",
        i.ncpu,
        bytes_size(i.mem_total as f64),
        i.name,
        i.id
    );
    let _ = writeln!(
        o,
        " Docker Root Dir: {}\n Debug Mode: {}\n Experimental: {}",
        i.docker_root_dir, i.debug, i.experimental_build
    );
    let _ = writeln!(
        o,
        " Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n Live Restore Enabled: {}\n",
        i.live_restore_enabled
    );
}

/// docker/cli `printSwarmInfo`.
fn swarm_info(o: &mut String, i: &SystemInfo) {
    let s = &i.swarm;
    if matches!(s.local_node_state, LocalNodeState::Inactive | LocalNodeState::Locked) {
        return;
    }
    let _ = writeln!(o, "  NodeID: {}", s.node_id);
    if !s.error.is_empty() {
        let _ = writeln!(o, "  Error: {}", s.error);
    }
    let _ = writeln!(o, "  Is Manager: {}", s.control_available);
    if let (Some(c), true, true) = (&s.cluster, s.control_available, s.error.is_empty()) {
        let _ = writeln!(o, "  ClusterID: {}\n  Managers: {}\n  Nodes: {}", c.id, s.managers, s.nodes);
        let pools: String = c.default_addr_pool.iter().map(|p| format!("{p}  ")).collect();
        let _ = writeln!(o, "  Default Address Pool: {pools}\n  SubnetSize: {}", c.subnet_size);
        if c.data_path_port > 0 {
            let _ = writeln!(o, "  Data Path Port: {}", c.data_path_port);
        }
        let spec = &c.spec;
        let _ = writeln!(
            o,
            "  Orchestration:\n   Task History Retention Limit: {}",
            spec.orchestration.task_history_retention_limit.unwrap_or(0)
        );
        let _ = writeln!(o, "  Raft:\n   Snapshot Interval: {}", spec.raft.snapshot_interval);
        if let Some(k) = spec.raft.keep_old_snapshots {
            let _ = writeln!(o, "   Number of Old Snapshots to Retain: {k}");
        }
        let _ = writeln!(
            o,
            "   Heartbeat Tick: {}\n   Election Tick: {}",
            spec.raft.heartbeat_tick, spec.raft.election_tick
        );
        let nanos = |n: i64| Duration::from_nanos(n.max(0) as u64);
        let _ = writeln!(
            o,
            "  Dispatcher:\n   Heartbeat Period: {}",
            human_duration(nanos(spec.dispatcher.heartbeat_period))
        );
        let _ = writeln!(
            o,
            "  CA Configuration:\n   Expiry Duration: {}\n   Force Rotate: {}",
            human_duration(nanos(spec.ca_config.node_cert_expiry)),
            spec.ca_config.force_rotate
        );
        let _ = writeln!(
            o,
            "  Autolock Managers: {}\n  Root Rotation In Progress: {}",
            spec.encryption_config.auto_lock_managers, c.root_rotation_in_progress
        );
    }
    let _ = writeln!(o, "  Node Address: {}", s.node_addr);
    let mut managers: Vec<&str> = s.remote_managers.iter().flatten().map(|p| p.addr.as_str()).collect();
    if !managers.is_empty() {
        managers.sort_unstable();
        o.push_str("  Manager Addresses:\n");
        for m in managers {
            let _ = writeln!(o, "   {m}");
        }
    }
}

fn version(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let v = ctx.call(|api| api.version())?;
    if let Some(f) = p.string("format") {
        let src = if f == "json" { "{{json .}}" } else { f };
        let tmpl = format::parse(src).map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?;
        let mut data = serde_json::json!({
            "Client": {"Version": ENGINE_VERSION, "ApiVersion": v.api_version, "DefaultAPIVersion": v.api_version, "GitCommit": CLIENT_GIT_COMMIT, "GoVersion": CLIENT_GO, "Os": "linux", "Arch": "amd64", "BuildTime": CLIENT_BUILT, "Context": "default"},
            "Server": v,
        });
        if f != "json" {
            // Templates see Go's field name, `APIVersion`; JSON shows the tag, `ApiVersion`.
            for side in ["Client", "Server"] {
                data[side]["APIVersion"] = serde_json::json!(v.api_version);
            }
        }
        let text = tmpl.execute_to_string(&format::data(&data)).map_err(|e| CliError::msg(e.to_string()))?;
        ctx.println(text);
        return Ok(());
    }
    let mut t = format!(
        "Client:\n Version:\t{ENGINE_VERSION}\n API version:\t{}\n Go version:\t{CLIENT_GO}\n Git commit:\t{CLIENT_GIT_COMMIT}\n Built:\t{CLIENT_BUILT}\n OS/Arch:\tlinux/amd64\n Context:\tdefault\n\nServer: {}\n",
        v.api_version,
        v.platform.get("Name").cloned().unwrap_or_default()
    );
    for c in &v.components {
        let _ = writeln!(t, " {}:", c.name);
        if c.name == "Engine" {
            let d = |k: &str| c.details.get(k).cloned().unwrap_or_default();
            let _ = writeln!(
                t,
                "  Version:\t{}\n  API version:\t{} (minimum version {})\n  Go version:\t{}\n  Git commit:\t{}\n  Built:\t{}\n  OS/Arch:\t{}/{}\n  Experimental:\t{}",
                c.version,
                d("ApiVersion"),
                d("MinAPIVersion"),
                d("GoVersion"),
                d("GitCommit"),
                v.build_time,
                d("Os"),
                d("Arch"),
                d("Experimental")
            );
        } else {
            let _ = writeln!(t, "  Version:\t{}", c.version);
            for (k, val) in &c.details {
                let _ = writeln!(t, "  {k}:\t{val}");
            }
        }
    }
    let mut tw = tabwriter::TabWriter::new(Vec::new()).minwidth(19).padding(1);
    let _ = std::io::Write::write_all(&mut tw, t.as_bytes());
    let _ = std::io::Write::flush(&mut tw);
    ctx.out.push_str(&String::from_utf8(tw.into_inner().unwrap_or_default()).unwrap_or_default());
    Ok(())
}
