//! `docker network …` (docker/cli cli/command/network).

use super::command::{Args, Command};
use super::flags::{Kind, Parsed, flag};
use super::format::{self, Format, natural_cmp, text as s};
use super::{CliError, Ctx, error_text, objects};
use crate::types::{Ipam, IpamPool, NetworkCreateRequest, NetworkInspect};
use gotmpl::Value;
use std::collections::BTreeMap;

const NETWORK_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

/// docker/cli's network rm asks before removing the routing mesh.
const INGRESS_WARNING: &str = "WARNING! Before removing the routing-mesh network, make sure all the nodes in your swarm run the same docker engine version. Otherwise, removal may not be effective and functionality of newly create ingress networks will be impaired.\nAre you sure you want to continue?";

pub const NETWORK: Command = Command {
    name: "network",
    aliases: &[],
    usage: "",
    short: "Manage networks",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "connect",
            aliases: &[],
            usage: "[OPTIONS] NETWORK CONTAINER",
            short: "Connect a container to a network",
            flags: &[
                flag("alias", None, Kind::Strings, "", "Add network-scoped alias for the container"),
                flag("driver-opt", None, Kind::Strings, "", "driver options for the network"),
                flag(
                    "gw-priority",
                    None,
                    Kind::Int,
                    "",
                    "Highest gw-priority provides the default gateway. Accepts positive and negative values.",
                ),
                flag("ip", None, Kind::String, "", "IPv4 address (e.g., \"172.30.100.104\")"),
                flag("ip6", None, Kind::String, "", "IPv6 address (e.g., \"2001:db8::33\")"),
                flag("link", None, Kind::List, "", "Add link to another container"),
                flag("link-local-ip", None, Kind::Strings, "", "Add a link-local address for the container"),
            ],
            args: Args::Exact(2),
            run: Some(connect),
            subs: &[],
        },
        Command {
            name: "create",
            aliases: &[],
            usage: "[OPTIONS] NETWORK",
            short: "Create a network",
            flags: &[
                flag("attachable", None, Kind::Bool, "", "Enable manual container attachment"),
                flag(
                    "aux-address",
                    None,
                    Kind::Map,
                    "map[]",
                    "Auxiliary IPv4 or IPv6 addresses used by Network driver",
                ),
                flag("config-from", None, Kind::String, "", "The network from which to copy the configuration"),
                flag("config-only", None, Kind::Bool, "", "Create a configuration only network"),
                flag("driver", Some('d'), Kind::String, "bridge", "Driver to manage the Network"),
                flag("gateway", None, Kind::Strings, "", "IPv4 or IPv6 Gateway for the master subnet"),
                flag("ingress", None, Kind::Bool, "", "Create swarm routing-mesh network"),
                flag("internal", None, Kind::Bool, "", "Restrict external access to the network"),
                flag("ip-range", None, Kind::Strings, "", "Allocate container ip from a sub-range"),
                flag("ipam-driver", None, Kind::String, "default", "IP Address Management Driver"),
                flag("ipam-opt", None, Kind::Map, "map[]", "Set IPAM driver specific options"),
                flag("ipv4", None, Kind::Bool, "true", "Enable or disable IPv4 address assignment"),
                flag("ipv6", None, Kind::Bool, "", "Enable or disable IPv6 address assignment"),
                flag("label", None, Kind::List, "", "Set metadata on a network"),
                flag("opt", Some('o'), Kind::Map, "map[]", "Set driver specific options"),
                flag("scope", None, Kind::String, "", "Control the network's scope"),
                flag("subnet", None, Kind::Strings, "", "Subnet in CIDR format that represents a network segment"),
            ],
            args: Args::Exact(1),
            run: Some(create),
            subs: &[],
        },
        Command {
            name: "disconnect",
            aliases: &[],
            usage: "[OPTIONS] NETWORK CONTAINER",
            short: "Disconnect a container from a network",
            flags: &[flag("force", Some('f'), Kind::Bool, "", "Force the container to disconnect from a network")],
            args: Args::Exact(2),
            run: Some(connect),
            subs: &[],
        },
        Command {
            name: "inspect",
            aliases: &[],
            usage: "[OPTIONS] NETWORK [NETWORK...]",
            short: "Display detailed information on one or more networks",
            flags: &[
                flag("format", Some('f'), Kind::String, "", super::format::INSPECT_FORMAT_HELP),
                flag("verbose", Some('v'), Kind::Bool, "", "Verbose output for diagnostics"),
            ],
            args: Args::Min(1),
            run: Some(inspect),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List networks",
            flags: &[
                flag("filter", Some('f'), Kind::Filter, "", "Provide filter values (e.g. \"driver=bridge\")"),
                flag("format", None, Kind::String, "", super::format::FORMAT_HELP),
                flag("no-trunc", None, Kind::Bool, "", "Do not truncate the output"),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display network IDs"),
            ],
            args: Args::None,
            run: Some(list),
            subs: &[],
        },
        Command {
            name: "prune",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Remove all unused networks",
            flags: &[
                flag("filter", None, Kind::Filter, "", "Provide filter values (e.g. \"until=<timestamp>\")"),
                flag("force", Some('f'), Kind::Bool, "", "Do not prompt for confirmation"),
            ],
            args: Args::None,
            run: Some(prune),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove"],
            usage: "NETWORK [NETWORK...]",
            short: "Remove one or more networks",
            flags: &[flag("force", Some('f'), Kind::Bool, "", "Do not error if the network does not exist")],
            args: Args::Min(1),
            run: Some(remove),
            subs: &[],
        },
    ],
};

fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (subnets, ranges, gateways) = (p.strings("subnet"), p.strings("ip-range"), p.strings("gateway"));
    if subnets.len() < ranges.len() || subnets.len() < gateways.len() {
        return Err(CliError::msg("every ip-range or gateway must have a corresponding subnet"));
    }
    let pools: Vec<IpamPool> = subnets
        .iter()
        .enumerate()
        .map(|(i, subnet)| IpamPool {
            subnet: subnet.clone(),
            ip_range: ranges.get(i).cloned().unwrap_or_default(),
            gateway: gateways.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let ipam = Ipam {
        driver: p.string("ipam-driver").unwrap_or("default").to_string(),
        options: Some(super::flags::kv_map(p.list("ipam-opt"))),
        config: Some(pools),
    };
    let req = NetworkCreateRequest {
        name: p.args[0].clone(),
        driver: p.string("driver").unwrap_or("bridge").to_string(),
        scope: p.string("scope").unwrap_or("").to_string(),
        enable_ipv4: p.changed("ipv4").then(|| p.bool("ipv4")),
        enable_ipv6: p.changed("ipv6").then(|| p.bool("ipv6")),
        ipam: Some(ipam),
        internal: p.bool("internal"),
        attachable: p.bool("attachable"),
        ingress: p.bool("ingress"),
        options: super::flags::kv_map(p.list("opt")),
        labels: super::flags::kv_map(p.list("label")),
    };
    let id = ctx.call(|api| api.network_create(req))?;
    ctx.println(id);
    Ok(())
}

fn row(n: &NetworkInspect, trunc: bool) -> Value {
    let id = if trunc { n.id.chars().take(12).collect() } else { n.id.clone() };
    let labels: Vec<String> = n.labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    format::row([
        ("ID", s(id)),
        ("Name", s(&n.name)),
        ("Driver", s(&n.driver)),
        ("Scope", s(&n.scope)),
        ("IPv4", s(n.enable_ipv4.to_string())),
        ("IPv6", s(n.enable_ipv6.to_string())),
        ("Internal", s(n.internal.to_string())),
        ("Labels", s(labels.join(","))),
        ("CreatedAt", s(n.created.go_string())),
    ])
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let f = p.filters();
    let mut nets = ctx.call(|api| api.network_list(&f))?;
    nets.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    let src = match p.string("format").unwrap_or("") {
        "raw" if p.bool("quiet") => "network_id: {{.ID}}",
        "raw" => "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n",
        other => super::format::list_template(other, p.bool("quiet"), NETWORK_TABLE),
    };
    let trunc = !p.bool("no-trunc");
    let rows: Vec<Value> = nets.iter().map(|n| row(n, trunc)).collect();
    let header = format::data(&BTreeMap::from([
        ("ID", "NETWORK ID"),
        ("Name", "NAME"),
        ("Driver", "DRIVER"),
        ("Scope", "SCOPE"),
        ("IPv4", "IPV4"),
        ("IPv6", "IPV6"),
        ("Internal", "INTERNAL"),
        ("Labels", "LABELS"),
        ("CreatedAt", "CREATED AT"),
    ]));
    ctx.out.push_str(&format::write(&Format::new(src), &header, &rows).map_err(CliError::msg)?);
    Ok(())
}

fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    objects::inspect(ctx, p, |api, name| api.network_inspect(name), |_| String::new())
}

/// Each network in turn: its name once removed, the daemon's error otherwise; then
/// docker/cli's `exit status 1` when one failed.
fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut failed = false;
    for name in &p.args {
        if let Ok(n) = ctx.call(|api| api.network_inspect(name))
            && n.ingress
            && !super::prompt::confirm(ctx, INGRESS_WARNING)
        {
            continue;
        }
        match ctx.call(|api| api.network_remove(name)) {
            Ok(()) => ctx.println(name),
            Err(CliError::Api(e)) if p.bool("force") && e.status == 404 => {}
            Err(e) => {
                ctx.err.push_str(&error_text(e));
                ctx.err.push('\n');
                failed = true;
            }
        }
    }
    if failed { Err(CliError::msg("exit status 1")) } else { Ok(()) }
}

/// `network prune`: every custom network no service uses and no container is on.
fn prune(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    const WARNING: &str = "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?";
    if !p.bool("force") && !super::prompt::confirm(ctx, WARNING) {
        return Err(CliError::msg("network prune has been cancelled"));
    }
    let nets = ctx.call(|api| api.network_list(&crate::api::Filters::default()))?;
    let mut removed = Vec::new();
    for n in nets.iter().filter(|n| !matches!(n.name.as_str(), "bridge" | "host" | "none" | "docker_gwbridge")) {
        if n.ingress || n.containers.as_ref().is_some_and(|c| !c.is_empty()) {
            continue;
        }
        if ctx.call(|api| api.network_remove(&n.id)).is_ok() {
            removed.push(n.name.clone());
        }
    }
    if !removed.is_empty() {
        ctx.println("Deleted Networks:");
        for n in removed {
            ctx.println(n);
        }
    }
    Ok(())
}

/// Containers here are a swarm's tasks, attached to their service's networks by the
/// swarm itself: connecting one by hand is refused with a way to do it.
fn connect(_ctx: &mut Ctx, _p: &Parsed) -> Result<(), CliError> {
    Err(CliError::msg(
        "swarmlab: containers here are swarm tasks; attach their service instead: docker service update --network-add NETWORK SERVICE",
    ))
}
