//! `docker swarm …` (docker/cli cli/command/swarm).

use super::command::{Args, Command};
use super::flags::{Flag, Kind, Parsed, flag};
use super::{CliError, Ctx};
use crate::time::parse_go_duration;
use crate::types::{InitRequest, JoinRequest, LocalNodeState, NodeAvailability, SpecPatch, UpdateFlags};
use std::fmt::Write as _;

const LISTEN_ADDR: Flag =
    flag("listen-addr", None, Kind::NodeAddr, "0.0.0.0:2377", "Listen address (format: \"<ip|interface>[:port]\")");
const ADVERTISE_ADDR: Flag =
    flag("advertise-addr", None, Kind::String, "", "Advertised address (format: \"<ip|interface>[:port]\")");
const DATA_PATH_ADDR: Flag = flag(
    "data-path-addr",
    None,
    Kind::String,
    "",
    "Address or interface to use for data path traffic (format: \"<ip|interface>\")",
);
const AVAILABILITY: Flag =
    flag("availability", None, Kind::String, "active", "Availability of the node (\"active\", \"pause\", \"drain\")");
const TASK_HISTORY: Flag = flag("task-history-limit", None, Kind::Int64, "5", "Task history retention limit");
const HEARTBEAT: Flag =
    flag("dispatcher-heartbeat", None, Kind::Duration, "5s", "Dispatcher heartbeat period (ns|us|ms|s|m|h)");
const MAX_SNAPSHOTS: Flag =
    flag("max-snapshots", None, Kind::Uint64, "", "Number of additional Raft snapshots to retain");
const SNAPSHOT_INTERVAL: Flag =
    flag("snapshot-interval", None, Kind::Uint64, "10000", "Number of log entries between Raft snapshots");
const CERT_EXPIRY: Flag =
    flag("cert-expiry", None, Kind::Duration, "2160h0m0s", "Validity period for node certificates (ns|us|ms|s|m|h)");
const EXTERNAL_CA: Flag =
    flag("external-ca", None, Kind::ExternalCa, "", "Specifications of one or more certificate signing endpoints");

const INIT_FLAGS: &[Flag] = &[
    LISTEN_ADDR,
    ADVERTISE_ADDR,
    DATA_PATH_ADDR,
    flag(
        "data-path-port",
        None,
        Kind::Uint32,
        "",
        "Port number to use for data path traffic (1024 - 49151). If no value is set or is set to 0, the default port (4789) is used.",
    ),
    flag("force-new-cluster", None, Kind::Bool, "", "Force create a new cluster from current state"),
    flag(
        "autolock",
        None,
        Kind::Bool,
        "",
        "Enable manager autolocking (requiring an unlock key to start a stopped manager)",
    ),
    AVAILABILITY,
    flag("default-addr-pool", None, Kind::IpNetSlice, "[]", "default address pool in CIDR format"),
    flag("default-addr-pool-mask-length", None, Kind::Uint32, "24", "default address pool subnet mask length"),
    TASK_HISTORY,
    HEARTBEAT,
    MAX_SNAPSHOTS,
    SNAPSHOT_INTERVAL,
    CERT_EXPIRY,
    EXTERNAL_CA,
];

const UPDATE_FLAGS: &[Flag] = &[
    flag("autolock", None, Kind::Bool, "", "Change manager autolocking setting (true|false)"),
    TASK_HISTORY,
    HEARTBEAT,
    MAX_SNAPSHOTS,
    SNAPSHOT_INTERVAL,
    CERT_EXPIRY,
    EXTERNAL_CA,
];

pub const SWARM: Command = Command {
    name: "swarm",
    aliases: &[],
    usage: "",
    short: "Manage Swarm",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "ca",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Display and rotate the root CA",
            flags: &[
                flag(
                    "ca-cert",
                    None,
                    Kind::PemFile,
                    "",
                    "Path to the PEM-formatted root CA certificate to use for the new cluster",
                ),
                flag(
                    "ca-key",
                    None,
                    Kind::PemFile,
                    "",
                    "Path to the PEM-formatted root CA key to use for the new cluster",
                ),
                CERT_EXPIRY,
                flag(
                    "detach",
                    Some('d'),
                    Kind::Bool,
                    "",
                    "Exit immediately instead of waiting for the root rotation to converge",
                ),
                EXTERNAL_CA,
                flag("quiet", Some('q'), Kind::Bool, "", "Suppress progress output"),
                flag(
                    "rotate",
                    None,
                    Kind::Bool,
                    "",
                    "Rotate the swarm CA - if no certificate or key are provided, new ones will be generated",
                ),
            ],
            args: Args::None,
            run: Some(ca),
            subs: &[],
        },
        Command {
            name: "init",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Initialize a swarm",
            flags: INIT_FLAGS,
            args: Args::None,
            run: Some(init),
            subs: &[],
        },
        Command {
            name: "join",
            aliases: &[],
            usage: "[OPTIONS] HOST:PORT",
            short: "Join a swarm as a node and/or manager",
            flags: &[
                LISTEN_ADDR,
                ADVERTISE_ADDR,
                DATA_PATH_ADDR,
                flag("token", None, Kind::String, "", "Token for entry into the swarm"),
                AVAILABILITY,
            ],
            args: Args::Exact(1),
            run: Some(join),
            subs: &[],
        },
        Command {
            name: "join-token",
            aliases: &[],
            usage: "[OPTIONS] (worker|manager)",
            short: "Manage join tokens",
            flags: &[
                flag("rotate", None, Kind::Bool, "", "Rotate join token"),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display token"),
            ],
            args: Args::Exact(1),
            run: Some(join_token),
            subs: &[],
        },
        Command {
            name: "leave",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Leave the swarm",
            flags: &[flag("force", Some('f'), Kind::Bool, "", "Force this node to leave the swarm, ignoring warnings")],
            args: Args::None,
            run: Some(leave),
            subs: &[],
        },
        Command {
            name: "unlock",
            aliases: &[],
            usage: "",
            short: "Unlock swarm",
            flags: &[],
            args: Args::None,
            run: Some(unlock),
            subs: &[],
        },
        Command {
            name: "unlock-key",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Manage the unlock key",
            flags: &[
                flag("quiet", Some('q'), Kind::Bool, "", "Only display token"),
                flag("rotate", None, Kind::Bool, "", "Rotate unlock key"),
            ],
            args: Args::None,
            run: Some(unlock_key),
            subs: &[],
        },
        Command {
            name: "update",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Update the swarm",
            flags: UPDATE_FLAGS,
            args: Args::None,
            run: Some(update),
            subs: &[],
        },
    ],
};

/// docker/cli `runCA`: shows the root CA; rotating it is not simulated.
fn ca(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let sw = ctx.call(|api| api.swarm_inspect())?;
    if p.bool("rotate") {
        return Err(CliError::msg("swarmlab: rotating the swarm's root CA is not simulated in this lab."));
    }
    for f in ["ca-cert", "ca-key", "cert-expiry", "external-ca"] {
        if p.changed(f) {
            return Err(CliError::msg(format!("`--{f}` flag requires the `--rotate` flag to update the CA")));
        }
    }
    let root = sw.cluster.tls_info.trust_root.trim();
    if root.is_empty() {
        return Err(CliError::msg("No CA information available"));
    }
    ctx.println(root);
    Ok(())
}

fn availability(p: &Parsed) -> Result<Option<NodeAvailability>, CliError> {
    let Some(a) = p.string("availability").filter(|_| p.changed("availability")) else {
        return Ok(None);
    };
    NodeAvailability::parse(&a.to_lowercase())
        .map(Some)
        .ok_or_else(|| CliError::msg(format!("invalid availability {a:?}, only active, pause and drain are supported")))
}

fn duration_nanos(p: &Parsed, name: &str) -> Option<i64> {
    p.string(name).and_then(parse_go_duration).map(|d| d.as_nanos() as i64)
}

/// docker/cli `swarmOptions.mergeSwarmSpec`: only flags given on the command line.
fn spec_patch(p: &Parsed) -> SpecPatch {
    let get = |n: &str| p.string(n).filter(|_| p.changed(n));
    SpecPatch {
        task_history_retention_limit: get("task-history-limit").and_then(|v| v.parse().ok()),
        snapshot_interval: get("snapshot-interval").and_then(|v| v.parse().ok()),
        keep_old_snapshots: get("max-snapshots").and_then(|v| v.parse().ok()),
        heartbeat_period: duration_nanos(p, "dispatcher-heartbeat").filter(|_| p.changed("dispatcher-heartbeat")),
        node_cert_expiry: duration_nanos(p, "cert-expiry").filter(|_| p.changed("cert-expiry")),
        auto_lock_managers: p.changed("autolock").then(|| p.bool("autolock")),
    }
}

fn init(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let req = InitRequest {
        listen_addr: p.string("listen-addr").unwrap_or("0.0.0.0:2377").to_string(),
        advertise_addr: p.string("advertise-addr").unwrap_or_default().to_string(),
        data_path_addr: p.string("data-path-addr").unwrap_or_default().to_string(),
        data_path_port: p.string("data-path-port").and_then(|v| v.parse().ok()).unwrap_or(0),
        force_new_cluster: p.bool("force-new-cluster"),
        spec: spec_patch(p),
        auto_lock_managers: p.bool("autolock"),
        availability: availability(p)?,
        default_addr_pool: p.list("default-addr-pool").to_vec(),
        subnet_size: p.string("default-addr-pool-mask-length").and_then(|v| v.parse().ok()).unwrap_or(24),
    };
    let node_id = ctx.call(|api| api.swarm_init(req))?;
    ctx.println(format!("Swarm initialized: current node ({node_id}) is now a manager.\n"));
    print_join_command(ctx, &node_id, true, false)?;
    ctx.println("To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.");
    if p.bool("autolock") {
        let key = ctx.call(|api| api.swarm_unlock_key()).map_err(|e| wrap("could not fetch unlock key", e))?;
        print_unlock_command(ctx, &key);
    }
    Ok(())
}

fn wrap(context: &str, e: CliError) -> CliError {
    match e {
        CliError::Api(a) => CliError::msg(format!("{context}: {a}")),
        other => other,
    }
}

fn print_unlock_command(ctx: &mut Ctx, key: &str) {
    if !key.is_empty() {
        let _ = write!(
            ctx.out,
            "To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n    {key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n"
        );
    }
}

/// docker/cli `runUnlock`: only a locked manager asks for its key, and managers lock
/// only when they restart with autolock on.
fn unlock(ctx: &mut Ctx, _: &Parsed) -> Result<(), CliError> {
    let info = ctx.call(|api| api.info())?;
    match info.swarm.local_node_state {
        LocalNodeState::Inactive => Err(CliError::msg("Error: This node is not part of a swarm")),
        LocalNodeState::Locked => Err(CliError::msg("swarmlab: locked managers are not simulated in this lab yet.")),
        _ => Err(CliError::msg("Error: swarm is not locked")),
    }
}

fn unlock_key(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let quiet = p.bool("quiet");
    if p.bool("rotate") {
        let sw = ctx.call(|api| api.swarm_inspect())?;
        if !sw.cluster.spec.encryption_config.auto_lock_managers {
            return Err(CliError::msg("cannot rotate because autolock is not turned on"));
        }
        let flags = UpdateFlags { rotate_manager_unlock_key: true, ..UpdateFlags::default() };
        ctx.call(|api| api.swarm_update(sw.cluster.version.index, sw.cluster.spec, flags))?;
        if !quiet {
            ctx.println("Successfully rotated manager unlock key.");
        }
    }
    let key = ctx.call(|api| api.swarm_unlock_key()).map_err(|e| wrap("could not fetch unlock key", e))?;
    if key.is_empty() {
        return Err(CliError::msg("no unlock key is set"));
    }
    if quiet {
        ctx.println(&key);
    } else {
        print_unlock_command(ctx, &key);
    }
    Ok(())
}

fn join(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let req = JoinRequest {
        listen_addr: p.string("listen-addr").unwrap_or("0.0.0.0:2377").to_string(),
        advertise_addr: p.string("advertise-addr").unwrap_or_default().to_string(),
        data_path_addr: p.string("data-path-addr").unwrap_or_default().to_string(),
        remote_addrs: p.args.clone(),
        join_token: p.string("token").unwrap_or_default().to_string(),
        availability: availability(p)?,
    };
    ctx.call(|api| api.swarm_join(req))?;
    let info = ctx.call(|api| api.info())?;
    let role = if info.swarm.control_available { "manager" } else { "worker" };
    ctx.println(format!("This node joined a swarm as a {role}."));
    Ok(())
}

fn join_token(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let role = p.args[0].as_str();
    let (worker, manager) = (role == "worker", role == "manager");
    if !worker && !manager {
        return Err(CliError::msg(format!("unknown role {role}")));
    }
    if p.bool("rotate") {
        let sw = ctx.call(|api| api.swarm_inspect())?;
        let flags =
            UpdateFlags { rotate_worker_token: worker, rotate_manager_token: manager, ..UpdateFlags::default() };
        ctx.call(|api| api.swarm_update(sw.cluster.version.index, sw.cluster.spec, flags))?;
        if !p.bool("quiet") {
            ctx.println(format!("Successfully rotated {role} join token.\n"));
        }
    }
    let sw = ctx.call(|api| api.swarm_inspect())?;
    if p.bool("quiet") {
        let token = if worker { sw.join_tokens.worker } else { sw.join_tokens.manager };
        ctx.println(token);
        return Ok(());
    }
    let info = ctx.call(|api| api.info())?;
    print_join_command(ctx, &info.swarm.node_id, worker, manager)
}

fn print_join_command(ctx: &mut Ctx, node_id: &str, worker: bool, manager: bool) -> Result<(), CliError> {
    let node = ctx.call(|api| api.node_inspect(node_id))?;
    let sw = ctx.call(|api| api.swarm_inspect())?;
    if let Some(ms) = node.manager_status {
        for (wanted, role, token) in
            [(worker, "worker", &sw.join_tokens.worker), (manager, "manager", &sw.join_tokens.manager)]
        {
            if wanted {
                ctx.println(format!(
                    "To add a {role} to this swarm, run the following command:\n\n    docker swarm join --token {token} {}\n",
                    ms.addr
                ));
            }
        }
    }
    Ok(())
}

fn leave(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let force = p.bool("force");
    ctx.call(|api| api.swarm_leave(force))?;
    ctx.println("Node left the swarm.");
    Ok(())
}

fn update(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    if p.count() == 0 {
        // docker/cli: PreRunE returns pflag.ErrHelp, so cobra prints the help.
        ctx.out.push_str(
            &super::command::Resolved { cmd: &SWARM.subs[7], path: "docker swarm update".into() }
                .help(ctx.env.width.unwrap_or(80)),
        );
        return Ok(());
    }
    let mut sw = ctx.call(|api| api.swarm_inspect())?;
    let was_locked = sw.cluster.spec.encryption_config.auto_lock_managers;
    spec_patch(p).apply_to(&mut sw.cluster.spec);
    let now_locked = sw.cluster.spec.encryption_config.auto_lock_managers;
    let (version, spec) = (sw.cluster.version.index, sw.cluster.spec);
    ctx.call(|api| api.swarm_update(version, spec, UpdateFlags::default()))?;
    ctx.println("Swarm updated.");
    if now_locked && !was_locked {
        let key = ctx.call(|api| api.swarm_unlock_key()).map_err(|e| wrap("could not fetch unlock key", e))?;
        print_unlock_command(ctx, &key);
    }
    Ok(())
}
