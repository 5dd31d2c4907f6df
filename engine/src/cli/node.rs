//! `docker node …` (docker/cli cli/command/node).

use super::command::{Args, Command};
use super::flags::{INSPECT_PRETTY_FLAGS, Kind, Parsed, flag};
use super::format::{self, FORMAT_HELP, Format, natural_cmp};
use super::{CliError, Ctx, error_text};
use crate::api::{ApiError, Filters};
use crate::time::bytes_size;
use crate::types::{Node, NodeAvailability, NodeRole, TlsInfo, to_go_json_indent};
use gotmpl::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const NODE_TABLE: &str = "table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}";

pub const NODE: Command = Command {
    name: "node",
    aliases: &[],
    usage: "",
    short: "Manage Swarm nodes",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "demote",
            aliases: &[],
            usage: "NODE [NODE...]",
            short: "Demote one or more nodes from manager in the swarm",
            flags: &[],
            args: Args::Min(1),
            run: Some(demote),
            subs: &[],
        },
        Command {
            name: "inspect",
            aliases: &[],
            usage: "[OPTIONS] self|NODE [NODE...]",
            short: "Display detailed information on one or more nodes",
            flags: INSPECT_PRETTY_FLAGS,
            args: Args::Min(1),
            run: Some(inspect),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List nodes in the swarm",
            flags: &[
                flag("quiet", Some('q'), Kind::Bool, "", "Only display IDs"),
                flag("format", None, Kind::String, "", FORMAT_HELP),
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
            ],
            args: Args::None,
            run: Some(list),
            subs: &[],
        },
        Command {
            name: "promote",
            aliases: &[],
            usage: "NODE [NODE...]",
            short: "Promote one or more nodes to manager in the swarm",
            flags: &[],
            args: Args::Min(1),
            run: Some(promote),
            subs: &[],
        },
        Command {
            name: "ps",
            aliases: &[],
            usage: "[OPTIONS] [NODE...]",
            short: "List tasks running on one or more nodes, defaults to current node",
            flags: &[
                flag("no-trunc", None, Kind::Bool, "", "Do not truncate output"),
                flag("no-resolve", None, Kind::Bool, "", "Do not map IDs to Names"),
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
                flag("format", None, Kind::String, "", "Pretty-print tasks using a Go template"),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display task IDs"),
            ],
            args: Args::Min(0),
            run: Some(ps),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove"],
            usage: "[OPTIONS] NODE [NODE...]",
            short: "Remove one or more nodes from the swarm",
            flags: &[flag("force", Some('f'), Kind::Bool, "", "Force remove a node from the swarm")],
            args: Args::Min(1),
            run: Some(remove),
            subs: &[],
        },
        Command {
            name: "update",
            aliases: &[],
            usage: "[OPTIONS] NODE",
            short: "Update a node",
            flags: &[
                flag("role", None, Kind::String, "", "Role of the node (\"worker\", \"manager\")"),
                flag(
                    "availability",
                    None,
                    Kind::String,
                    "",
                    "Availability of the node (\"active\", \"pause\", \"drain\")",
                ),
                flag("label-add", None, Kind::List, "", "Add or update a node label (\"key=value\")"),
                flag("label-rm", None, Kind::List, "", "Remove a node label if exists"),
            ],
            args: Args::Exact(1),
            run: Some(update),
            subs: &[],
        },
    ],
};

/// docker/cli `node.Reference`: "self" is this node's ID from /info.
fn reference(ctx: &mut Ctx, r: &str) -> Result<String, CliError> {
    if r != "self" {
        return Ok(r.to_string());
    }
    let info = ctx.call(|api| api.info())?;
    if info.swarm.node_id.is_empty() {
        ctx.call(|api| api.node_list(&Filters::default()))?;
        return Err(CliError::msg("node ID not found in /info"));
    }
    Ok(info.swarm.node_id)
}

/// docker/cli `nodeContext.TLSStatus`.
fn tls_status(n: &Node, cluster: Option<&TlsInfo>) -> &'static str {
    match cluster {
        Some(c) if *c != TlsInfo::default() && n.description.tls_info != TlsInfo::default() => {
            if n.description.tls_info == *c { "Ready" } else { "Needs Rotation" }
        }
        _ => "Unknown",
    }
}

fn row(n: &Node, self_id: &str, cluster_tls: Option<&TlsInfo>) -> Value {
    let manager = match &n.manager_status {
        Some(m) if m.leader => "Leader".to_string(),
        Some(m) => format::pretty(m.reachability.as_str()),
        None => String::new(),
    };
    let m: BTreeMap<std::sync::Arc<str>, Value> = BTreeMap::from(
        [
            ("ID", Value::String(n.id.as_str().into())),
            ("Self", Value::Bool(n.id == self_id)),
            ("Hostname", Value::String(n.description.hostname.as_str().into())),
            ("Status", Value::String(format::pretty(n.status.state.as_str()).into())),
            ("Availability", Value::String(format::pretty(n.spec.availability.as_str()).into())),
            ("ManagerStatus", Value::String(manager.into())),
            ("EngineVersion", Value::String(n.description.engine.engine_version.as_str().into())),
            ("TLSStatus", Value::String(tls_status(n, cluster_tls).into())),
        ]
        .map(|(k, v)| (k.into(), v)),
    );
    Value::Map(m.into())
}

fn node_header() -> Value {
    let m = BTreeMap::from([
        ("ID", "ID"),
        ("Self", ""),
        ("Hostname", "HOSTNAME"),
        ("Status", "STATUS"),
        ("Availability", "AVAILABILITY"),
        ("ManagerStatus", "MANAGER STATUS"),
        ("EngineVersion", "ENGINE VERSION"),
        ("TLSStatus", "TLS STATUS"),
    ]);
    format::data(&m)
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let f = p.filters();
    let mut nodes = ctx.call(|api| api.node_list(&f))?;
    let quiet = p.bool("quiet");
    let info = if !nodes.is_empty() && !quiet { Some(ctx.call(|api| api.info())?) } else { None };
    let self_id = info.as_ref().map(|i| i.swarm.node_id.clone()).unwrap_or_default();
    let cluster_tls = info.as_ref().and_then(|i| i.swarm.cluster.as_ref()).map(|c| &c.tls_info);
    let src = match p.string("format").unwrap_or("") {
        "raw" if quiet => "node_id: {{.ID}}",
        "raw" => {
            "node_id: {{.ID}}\\nhostname: {{.Hostname}}\\nstatus: {{.Status}}\\navailability: {{.Availability}}\\nmanager_status: {{.ManagerStatus}}\\n"
        }
        other => format::list_template(other, quiet, NODE_TABLE),
    };
    nodes.sort_by(|a, b| natural_cmp(&a.description.hostname, &b.description.hostname));
    let rows: Vec<Value> = nodes.iter().map(|n| row(n, &self_id, cluster_tls)).collect();
    let text = format::write(&Format::new(src), &node_header(), &rows).map_err(CliError::msg)?;
    ctx.out.push_str(&text);
    Ok(())
}

fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut fmt = p.string("format").unwrap_or("").to_string();
    if p.bool("pretty") {
        fmt = "pretty".into();
    }
    if fmt.starts_with("pretty") && fmt != "pretty" {
        return Err(CliError::msg("cannot supply extra formatting options to the pretty template"));
    }
    let template = match fmt.as_str() {
        "" | "pretty" => None,
        "json" => Some(format::parse("{{json .}}").map_err(|e| CliError::msg(format!("template parsing error: {e}")))?),
        t => Some(format::parse(t).map_err(|e| CliError::msg(format!("template parsing error: {e}")))?),
    };
    let mut found = Vec::new();
    let mut errs = Vec::new();
    let mut text = String::new();
    for r in &p.args {
        let node = reference(ctx, r).and_then(|id| ctx.call(|api| api.node_inspect(&id)));
        match node {
            Err(e) => {
                errs.push(error_text(e));
                if fmt == "pretty" {
                    break;
                }
            }
            Ok(n) => match (&template, fmt.as_str()) {
                (_, "pretty") => text.push_str(&pretty(&n)),
                (Some(t), _) => match t.execute_to_string(&format::data(&n)) {
                    Ok(s) => {
                        text.push_str(&s);
                        text.push('\n');
                    }
                    Err(e) => errs.push(format!("template parsing error: {e}")),
                },
                (None, _) => found.push(n),
            },
        }
    }
    if template.is_none() && fmt != "pretty" {
        text = if found.is_empty() { "[]\n".into() } else { to_go_json_indent(&found) + "\n" };
    }
    ctx.out.push_str(&text);
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

/// docker/cli's `nodeInspectPrettyTemplate`, rendered.
fn pretty(n: &Node) -> String {
    let mut s = format!("ID:\t\t\t{}\n", n.id);
    if !n.spec.name.is_empty() {
        let _ = writeln!(s, "Name:\t\t\t{}", n.spec.name);
    }
    if !n.spec.labels.is_empty() {
        let _ = write!(s, "Labels:\n{}", format::label_lines(&n.spec.labels));
    }
    let _ = writeln!(s, "Hostname:              \t{}", n.description.hostname);
    let _ = writeln!(s, "Joined at:             \t{}", format::pretty(&n.created_at.go_string()));
    let _ = write!(s, "Status:\n State:\t\t\t{}\n", format::pretty(n.status.state.as_str()));
    if !n.status.message.is_empty() {
        let _ = writeln!(s, " Message:              \t{}", format::pretty(&n.status.message));
    }
    let _ = writeln!(s, " Availability:         \t{}", format::pretty(n.spec.availability.as_str()));
    if !n.status.addr.is_empty() {
        let _ = writeln!(s, " Address:\t\t{}", n.status.addr);
    }
    if let Some(m) = &n.manager_status {
        let _ = write!(
            s,
            "Manager Status:\n Address:\t\t{}\n Raft Status:\t\t{}\n Leader:\t\t{}\n",
            m.addr,
            format::pretty(m.reachability.as_str()),
            if m.leader { "Yes" } else { "No" }
        );
    }
    let d = &n.description;
    let _ =
        write!(s, "Platform:\n Operating System:\t{}\n Architecture:\t\t{}\n", d.platform.os, d.platform.architecture);
    let mem = if d.resources.memory_bytes == 0 { String::new() } else { bytes_size(d.resources.memory_bytes as f64) };
    let _ = write!(s, "Resources:\n CPUs:\t\t\t{}\n Memory:\t\t{mem}\n", d.resources.nano_cpus / 1_000_000_000);
    if !d.engine.plugins.is_empty() {
        let mut by_type: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for pl in &d.engine.plugins {
            by_type.entry(&pl.kind).or_default().push(&pl.name);
        }
        s.push_str("Plugins:\n");
        for (k, v) in by_type {
            let _ = writeln!(s, " {k}:\t\t{}", v.join(", "));
        }
    }
    let _ = writeln!(s, "Engine Version:\t\t{}", d.engine.engine_version);
    if !d.engine.labels.is_empty() {
        let _ = write!(s, "Engine Labels:\n{}", format::label_lines(&d.engine.labels));
    }
    let tls = &d.tls_info;
    if *tls != TlsInfo::default() {
        let _ = write!(
            s,
            "TLS Info:\n TrustRoot:\n{}\n Issuer Subject:\t{}\n Issuer Public Key:\t{}\n",
            tls.trust_root, tls.cert_issuer_subject, tls.cert_issuer_public_key
        );
    }
    s
}

/// docker/cli `updateNodes`: inspect, merge, update, one node after the other.
fn update_nodes(
    ctx: &mut Ctx,
    refs: &[String],
    merge: &dyn Fn(&mut Ctx, &mut Node) -> Result<bool, CliError>,
    success: &dyn Fn(&mut Ctx, &str),
) -> Result<(), CliError> {
    for r in refs {
        let mut node = ctx.call(|api| api.node_inspect(r))?;
        if !merge(ctx, &mut node)? {
            continue;
        }
        let (id, version, spec) = (node.id.clone(), node.version.index, node.spec.clone());
        ctx.call(|api| api.node_update(&id, version, spec))?;
        success(ctx, r);
    }
    Ok(())
}

fn promote(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    update_nodes(
        ctx,
        &p.args,
        &|ctx, node| {
            if node.spec.role == NodeRole::Manager {
                ctx.println(format!("Node {} is already a manager.", node.id));
                return Ok(false);
            }
            node.spec.role = NodeRole::Manager;
            Ok(true)
        },
        &|ctx, r| ctx.println(format!("Node {r} promoted to a manager in the swarm.")),
    )
}

fn demote(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    update_nodes(
        ctx,
        &p.args,
        &|ctx, node| {
            if node.spec.role == NodeRole::Worker {
                ctx.println(format!("Node {} is already a worker.", node.id));
                return Ok(false);
            }
            node.spec.role = NodeRole::Worker;
            Ok(true)
        },
        &|ctx, r| ctx.println(format!("Manager {r} demoted in the swarm.")),
    )
}

fn update(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let role = p.string("role").filter(|_| p.changed("role")).map(str::to_string);
    let avail = p.string("availability").filter(|_| p.changed("availability")).map(str::to_string);
    let add = p.list("label-add").to_vec();
    let rm = p.list("label-rm").to_vec();
    update_nodes(
        ctx,
        &p.args[..1],
        &|_, node| {
            if let Some(r) = &role {
                // The daemon rejects what the CLI passes through unchecked.
                node.spec.role = match r.as_str() {
                    "worker" => NodeRole::Worker,
                    "manager" => NodeRole::Manager,
                    _ => return Err(ApiError::invalid(format!("invalid Role: {r:?}")).into()),
                };
            }
            if let Some(a) = &avail {
                node.spec.availability = NodeAvailability::parse(a)
                    .ok_or_else(|| ApiError::invalid(format!("invalid Availability: {a:?}")))?;
            }
            for kv in &add {
                let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
                node.spec.labels.insert(k.to_string(), v.to_string());
            }
            for k in &rm {
                if node.spec.labels.remove(k).is_none() {
                    return Err(CliError::msg(format!("key {k} doesn't exist in node's labels")));
                }
            }
            Ok(true)
        },
        &|ctx, r| ctx.println(r),
    )
}

fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let force = p.bool("force");
    let mut errs = Vec::new();
    for id in &p.args {
        match ctx.call(|api| api.node_remove(id, force)) {
            Ok(()) => ctx.println(id),
            Err(e) => errs.push(error_text(e)),
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

fn ps(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let refs = if p.args.is_empty() { vec!["self".to_string()] } else { p.args.clone() };
    let base = p.filters();
    let mut errs = Vec::new();
    let mut tasks = Vec::new();
    for r in &refs {
        let node = reference(ctx, r).and_then(|id| ctx.call(|api| api.node_inspect(&id)));
        match node {
            Err(e) => errs.push(error_text(e)),
            Ok(n) => {
                let mut f = base.clone();
                f.add("node", &n.id);
                match ctx.call(|api| api.task_list(&f)) {
                    Ok(t) => tasks.extend(t),
                    Err(e) => errs.push(error_text(e)),
                }
            }
        }
    }
    if (errs.is_empty() || !tasks.is_empty())
        && let Err(e) = super::service::show::print_tasks(ctx, tasks, p)
    {
        errs.push(error_text(e));
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}
