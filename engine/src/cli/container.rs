//! The container commands a swarm tutorial uses on a node: `docker ps` (and
//! `container ls`), `docker logs`, `docker inspect`.

use super::command::{Args, Command};
use super::flags::{Kind, Parsed, flag};
use super::format::{self, FORMAT_HELP, Format, INSPECT_FORMAT_HELP, ellipsis, text as s};
use super::{CliError, Ctx};
use crate::time::{Timestamp, human_duration};
use crate::types::{LogsOptions, to_go_json_indent};
use gotmpl::Value;
use std::sync::Arc;

const PS_TABLE: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

pub const PS: Command = Command {
    name: "ps",
    aliases: &[],
    usage: "[OPTIONS]",
    short: "List containers",
    flags: &[
        flag("all", Some('a'), Kind::Bool, "", "Show all containers (default shows just running)"),
        flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
        flag("format", None, Kind::String, "", FORMAT_HELP),
        flag("last", Some('n'), Kind::Int, "-1", "Show n last created containers (includes all states)"),
        flag("latest", Some('l'), Kind::Bool, "", "Show the latest created container (includes all states)"),
        flag("no-trunc", None, Kind::Bool, "", "Don't truncate output"),
        flag("quiet", Some('q'), Kind::Bool, "", "Only display container IDs"),
        flag("size", Some('s'), Kind::Bool, "", "Display total file sizes"),
    ],
    args: Args::None,
    run: Some(ps),
    subs: &[],
};

pub const EXEC: Command = Command {
    name: "exec",
    aliases: &[],
    usage: "[OPTIONS] CONTAINER COMMAND [ARG...]",
    short: "Execute a command in a running container",
    flags: &[
        flag("detach", Some('d'), Kind::Bool, "", "Detached mode: run command in the background"),
        flag("detach-keys", None, Kind::String, "", "Override the key sequence for detaching a container"),
        flag("env", Some('e'), Kind::List, "", "Set environment variables"),
        flag("env-file", None, Kind::List, "", "Read in a file of environment variables"),
        flag("interactive", Some('i'), Kind::Bool, "", "Keep STDIN open even if not attached"),
        flag("privileged", None, Kind::Bool, "", "Give extended privileges to the command"),
        flag("tty", Some('t'), Kind::Bool, "", "Allocate a pseudo-TTY"),
        flag("user", Some('u'), Kind::String, "", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
        flag("workdir", Some('w'), Kind::String, "", "Working directory inside the container"),
    ],
    args: Args::Min(2),
    run: Some(exec),
    subs: &[],
};

/// `docker exec`: the command's output, and its exit code as docker's own.
fn exec(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (container, argv) = (p.args[0].clone(), p.args[1..].to_vec());
    let (out, code) = ctx.call(|api| api.container_exec(&container, &argv))?;
    if code == 126 {
        return Err(CliError::status(126, out.trim_end()));
    }
    ctx.out.push_str(&out);
    if code == 0 { Ok(()) } else { Err(CliError::Status { code, message: String::new() }) }
}

pub const LOGS: Command = Command {
    name: "logs",
    aliases: &[],
    usage: "[OPTIONS] CONTAINER",
    short: "Fetch the logs of a container",
    flags: &[
        flag("details", None, Kind::Bool, "", "Show extra details provided to logs"),
        flag("follow", Some('f'), Kind::Bool, "", "Follow log output"),
        flag(
            "since",
            None,
            Kind::String,
            "",
            "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)",
        ),
        flag("tail", Some('n'), Kind::String, "all", "Number of lines to show from the end of the logs"),
        flag("timestamps", Some('t'), Kind::Bool, "", "Show timestamps"),
        flag(
            "until",
            None,
            Kind::String,
            "",
            "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)",
        ),
    ],
    args: Args::Exact(1),
    run: Some(logs),
    subs: &[],
};

pub const INSPECT: Command = Command {
    name: "inspect",
    aliases: &[],
    usage: "[OPTIONS] NAME|ID [NAME|ID...]",
    short: "Return low-level information on Docker objects",
    flags: &[
        flag("format", Some('f'), Kind::String, "", INSPECT_FORMAT_HELP),
        flag("size", Some('s'), Kind::Bool, "", "Display total file sizes if the type is container"),
        flag("type", None, Kind::String, "", "Only inspect objects of the given type"),
    ],
    args: Args::Min(1),
    run: Some(inspect),
    subs: &[],
};

fn ps(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let all = p.bool("all") || p.bool("latest") || p.string("last").is_some_and(|n| n != "-1");
    let mut list = ctx.call(|api| api.container_list(all))?;
    let trunc = !p.bool("no-trunc");
    for f in p.list("filter") {
        let (k, v) = f.split_once('=').unwrap_or((f, ""));
        match k {
            "name" => list.retain(|c| c.names.iter().any(|n| n.contains(v))),
            "status" => list.retain(|c| c.state == v),
            "label" => list.retain(|c| match v.split_once('=') {
                Some((lk, lv)) => c.labels.get(lk).is_some_and(|x| x == lv),
                None => c.labels.contains_key(v),
            }),
            "id" => list.retain(|c| c.id.starts_with(v)),
            _ => return Err(CliError::Api(crate::api::ApiError::invalid(format!("invalid filter '{k}'")))),
        }
    }
    if p.bool("latest") {
        list.truncate(1);
    } else if let Some(n) = p.string("last").and_then(|n| n.parse::<usize>().ok()) {
        list.truncate(n);
    }
    let now: Timestamp = ctx.call(|api| Ok(api.now()))?;
    let src = super::format::list_template(p.string("format").unwrap_or(""), p.bool("quiet"), PS_TABLE);
    let rows: Vec<Value> = list
        .iter()
        .map(|c| {
            let cmd = if trunc { ellipsis(&c.command, 20) } else { c.command.clone() };
            let names: Vec<String> = c.names.iter().map(|n| n.trim_start_matches('/').to_string()).collect();
            let created = Timestamp(c.created * 1_000_000_000);
            format::row([
                ("ID", s(if trunc { c.id[..12].to_string() } else { c.id.clone() })),
                ("Image", s(&c.image)),
                ("Command", s(format!("{cmd:?}"))),
                ("RunningFor", s(format!("{} ago", human_duration(now.since(created))))),
                ("Status", s(&c.status)),
                ("State", s(&c.state)),
                ("Ports", s("")),
                ("Names", s(names.join(","))),
            ])
        })
        .collect();
    let header: std::collections::BTreeMap<Arc<str>, Value> = [
        ("ID", "CONTAINER ID"),
        ("Image", "IMAGE"),
        ("Command", "COMMAND"),
        ("RunningFor", "CREATED"),
        ("Status", "STATUS"),
        ("State", "STATE"),
        ("Ports", "PORTS"),
        ("Names", "NAMES"),
    ]
    .into_iter()
    .map(|(k, v)| (Arc::from(k), s(v)))
    .collect();
    let text = format::write(&Format::new(src), &Value::Map(Arc::new(header)), &rows).map_err(CliError::msg)?;
    ctx.out.push_str(&text);
    Ok(())
}

fn logs(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let tail = match p.string("tail").unwrap_or("all") {
        "all" => None,
        n => n.parse::<usize>().ok(),
    };
    let opts = LogsOptions { tail, timestamps: p.bool("timestamps") };
    let name = p.args[0].clone();
    let lines = ctx.call(|api| api.container_logs(&name, &opts))?;
    for l in lines {
        if opts.timestamps {
            ctx.println(format!("{} {}", l.timestamp.rfc3339_nano_fixed(), l.text));
        } else {
            ctx.println(l.text);
        }
    }
    Ok(())
}

/// `docker inspect`: containers of this node first, then swarm objects.
fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let template = match p.string("format").unwrap_or("") {
        "" => None,
        "json" => Some(
            format::parse("{{json .}}").map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?,
        ),
        t => Some(format::parse(t).map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?),
    };
    let kind = p.string("type").unwrap_or("");
    let (mut found, mut errs) = (Vec::new(), Vec::new());
    for name in &p.args {
        let mut value = None;
        if kind.is_empty() || kind == "container" {
            value = ctx.call(|api| api.container_inspect(name)).ok().and_then(|c| serde_json::to_value(c).ok());
        }
        if value.is_none() && (kind.is_empty() || kind == "service") {
            value = ctx.call(|api| api.service_inspect(name, false)).ok().and_then(|s| serde_json::to_value(s).ok());
        }
        if value.is_none() && (kind.is_empty() || kind == "node") {
            value = ctx.call(|api| api.node_inspect(name)).ok().and_then(|n| serde_json::to_value(n).ok());
        }
        if value.is_none() && (kind.is_empty() || kind == "task") {
            value = ctx.call(|api| api.task_inspect(name)).ok().and_then(|t| serde_json::to_value(t).ok());
        }
        match value {
            Some(v) => found.push(v),
            None => errs.push(format!("Error: No such object: {name}")),
        }
    }
    match template {
        Some(t) => {
            for v in &found {
                match t.execute_to_string(&format::data(v)) {
                    Ok(s) => ctx.println(s),
                    Err(e) => errs.push(format!("template parsing error: {e}")),
                }
            }
        }
        None => {
            // Objects keep their own field order: print each through its own type.
            let text = if found.is_empty() { "[]".to_string() } else { to_go_json_indent(&found) };
            ctx.println(text);
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}
