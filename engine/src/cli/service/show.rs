//! `docker service ls|ps|inspect|logs`, and the task table `node ps` shares.

use super::super::flags::Parsed;
use super::super::format::{self, Format, ellipsis, natural_cmp, natural_less, text as s};
use super::super::{CliError, Ctx, error_text};
use crate::time::{Timestamp, bytes_size, go_duration, human_duration};
use crate::types::{LogsOptions, ModeKind, PortConfig, Service, Task, to_go_json_indent};
use gotmpl::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

const SERVICE_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}";
pub const TASK_TABLE: &str =
    "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}";

/// `nginx:latest@sha256:…` -> `nginx:latest`, as the list views show images.
pub fn short_image(image: &str) -> String {
    image.split('@').next().unwrap_or(image).to_string()
}

fn mode_name(s: &Service) -> &'static str {
    match s.spec.mode.kind() {
        ModeKind::Global => "global",
        ModeKind::Replicated => "replicated",
        ModeKind::ReplicatedJob => "replicated job",
        ModeKind::GlobalJob => "global job",
    }
}

fn replicas(s: &Service) -> String {
    let st = s.service_status.clone().unwrap_or_default();
    let (running, desired, completed) = (st.running_tasks, st.desired_tasks, st.completed_tasks);
    match s.spec.mode.kind() {
        ModeKind::ReplicatedJob => {
            let total = s.spec.mode.replicated_job.as_ref().and_then(|j| j.total_completions).unwrap_or(1);
            format!("{running}/{desired} ({completed}/{total} completed)")
        }
        ModeKind::GlobalJob => format!("{running}/{desired} ({completed}/{} completed)", desired + completed),
        ModeKind::Replicated => {
            let max = s.spec.task_template.placement.as_ref().map_or(0, |p| p.max_replicas);
            if max > 0 { format!("{running}/{desired} (max {max} per node)") } else { format!("{running}/{desired}") }
        }
        ModeKind::Global => format!("{running}/{desired}"),
    }
}

/// docker/cli `serviceContext.Ports`: ingress ports, consecutive ones as ranges.
fn ports(list: &[PortConfig]) -> String {
    let mut sorted: Vec<&PortConfig> = list.iter().filter(|p| p.publish_mode == "ingress").collect();
    sorted.sort_by(|a, b| (&a.protocol, a.published_port).cmp(&(&b.protocol, b.published_port)));
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(u32, u32, u32, u32, String)> = None;
    let show = |(p0, p1, t0, t1, proto): &(u32, u32, u32, u32, String)| {
        let range = |a: u32, b: u32| if b > a { format!("{a}-{b}") } else { a.to_string() };
        format!("*:{}->{}/{proto}", range(*p0, *p1), range(*t0, *t1))
    };
    for p in sorted {
        match run.as_mut() {
            Some(r) if r.4 == p.protocol && p.published_port == r.1 + 1 && p.target_port == r.3 + 1 => {
                r.1 = p.published_port;
                r.3 = p.target_port;
            }
            _ => {
                if let Some(r) = run.take() {
                    out.push(show(&r));
                }
                run = Some((p.published_port, p.published_port, p.target_port, p.target_port, p.protocol.clone()));
            }
        }
    }
    if let Some(r) = run {
        out.push(show(&r));
    }
    out.join(", ")
}

pub fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let services = ctx.call(|api| api.service_list(&p.filters(), !p.bool("quiet")))?;
    print_services(ctx, services, p)
}

/// docker/cli `service.ListFormatWrite`, sorted by name.
pub fn print_services(ctx: &mut Ctx, mut services: Vec<Service>, p: &Parsed) -> Result<(), CliError> {
    let quiet = p.bool("quiet");
    services.sort_by(|a, b| natural_cmp(&a.spec.name, &b.spec.name));
    let src = crate::cli::format::list_template(p.string("format").unwrap_or(""), quiet, SERVICE_TABLE);
    let table = src.starts_with("table");
    let rows: Vec<Value> = services
        .iter()
        .map(|svc| {
            format::row(vec![
                ("ID", s(if table { svc.id[..12.min(svc.id.len())].to_string() } else { svc.id.clone() })),
                ("Name", s(&svc.spec.name)),
                ("Mode", s(mode_name(svc))),
                ("Replicas", s(replicas(svc))),
                ("Image", s(short_image(&svc.spec.container().image))),
                ("Ports", s(ports(&svc.endpoint.ports))),
            ])
        })
        .collect();
    let header = format::row(vec![
        ("ID", s("ID")),
        ("Name", s("NAME")),
        ("Mode", s("MODE")),
        ("Replicas", s("REPLICAS")),
        ("Image", s("IMAGE")),
        ("Ports", s("PORTS")),
    ]);
    ctx.out.push_str(&format::write(&Format::new(src), &header, &rows).map_err(CliError::msg)?);
    Ok(())
}

/// docker/cli `task.Print`: rows sorted by name, newest first, older ones indented.
pub fn print_tasks(ctx: &mut Ctx, tasks: Vec<Task>, p: &Parsed) -> Result<(), CliError> {
    let quiet = p.bool("quiet");
    // docker/cli service/node ps: `-q` implies --no-trunc.
    let trunc = !p.bool("no-trunc") && !quiet;
    let resolve = !p.bool("no-resolve");
    let src = crate::cli::format::list_template(p.string("format").unwrap_or(""), quiet, TASK_TABLE);
    let table = src.starts_with("table");
    let now = ctx.call(|api| Ok(api.now()))?;
    let mut service_names: BTreeMap<String, String> = BTreeMap::new();
    let mut node_names: BTreeMap<String, String> = BTreeMap::new();
    let mut rows: Vec<(String, Timestamp, Task)> = Vec::new();
    for t in tasks {
        if !service_names.contains_key(&t.service_id) {
            let name = if resolve {
                ctx.call(|api| api.service_inspect(&t.service_id, false))
                    .map(|s| s.spec.name)
                    .unwrap_or_else(|_| t.service_id.clone())
            } else {
                t.service_id.clone()
            };
            service_names.insert(t.service_id.clone(), name);
        }
        if !t.node_id.is_empty() && !node_names.contains_key(&t.node_id) {
            let name = if resolve {
                ctx.call(|api| api.node_inspect(&t.node_id))
                    .map(|n| n.description.hostname)
                    .unwrap_or_else(|_| t.node_id.clone())
            } else {
                t.node_id.clone()
            };
            node_names.insert(t.node_id.clone(), name);
        }
        let service = &service_names[&t.service_id];
        let name = if t.slot != 0 { format!("{service}.{}", t.slot) } else { format!("{service}.{}", t.node_id) };
        rows.push((name, t.created_at, t));
    }
    rows.sort_by(|a, b| {
        if a.0 != b.0 {
            if natural_less(&a.0, &b.0) { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater }
        } else {
            b.1.cmp(&a.1)
        }
    });
    let mut prev = String::new();
    let values: Vec<Value> = rows
        .iter()
        .map(|(name, _, t)| {
            let shown = if *name == prev && table { format!(" \\_ {name}") } else { name.clone() };
            prev = name.clone();
            let image = t.spec.container_spec.as_ref().map(|c| c.image.clone()).unwrap_or_default();
            let err = if trunc { ellipsis(&t.status.err, 30) } else { t.status.err.clone() };
            let ports: Vec<String> = t
                .status
                .port_status
                .ports
                .iter()
                .map(|p| format!("*:{}->{}/{}", p.published_port, p.target_port, p.protocol))
                .collect();
            format::row(vec![
                ("ID", s(if trunc { t.id[..12.min(t.id.len())].to_string() } else { t.id.clone() })),
                ("Name", s(shown)),
                ("Image", s(if trunc { short_image(&image) } else { image })),
                ("Node", s(node_names.get(&t.node_id).cloned().unwrap_or_default())),
                ("DesiredState", s(format::pretty(t.desired_state.as_str()))),
                (
                    "CurrentState",
                    s(format!(
                        "{} {} ago",
                        format::pretty(t.status.state.as_str()),
                        human_duration(now.since(t.status.timestamp)).to_lowercase()
                    )),
                ),
                ("Error", s(if err.is_empty() { err } else { format!("\"{err}\"") })),
                ("Ports", s(ports.join(","))),
            ])
        })
        .collect();
    let header = format::row(vec![
        ("ID", s("ID")),
        ("Name", s("NAME")),
        ("Image", s("IMAGE")),
        ("Node", s("NODE")),
        ("DesiredState", s("DESIRED STATE")),
        ("CurrentState", s("CURRENT STATE")),
        ("Error", s("ERROR")),
        ("Ports", s("PORTS")),
    ]);
    ctx.out.push_str(&format::write(&Format::new(src), &header, &values).map_err(CliError::msg)?);
    Ok(())
}

pub fn ps(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let base = p.filters();
    let mut tasks = Vec::new();
    let mut errs = Vec::new();
    for name in &p.args {
        let mut f = base.clone();
        match ctx.call(|api| api.service_inspect(name, false)) {
            Ok(s) => f.add("service", &s.id),
            Err(_) => {
                errs.push(format!("no such service: {name}"));
                continue;
            }
        }
        match ctx.call(|api| api.task_list(&f)) {
            Ok(t) => tasks.extend(t),
            Err(e) => errs.push(error_text(e)),
        }
    }
    if !errs.is_empty() && tasks.is_empty() {
        return Err(CliError::msg(errs.join("\n")));
    }
    print_tasks(ctx, tasks, p)?;
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

pub fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let pretty = p.bool("pretty");
    let fmt = p.string("format").unwrap_or("").to_string();
    if pretty && !fmt.is_empty() {
        return Err(CliError::msg("--format is incompatible with human friendly format"));
    }
    let template = match fmt.as_str() {
        "" => None,
        "json" => Some(format::parse("{{json .}}").map_err(|e| CliError::msg(format!("template parsing error: {e}")))?),
        t => Some(format::parse(t).map_err(|e| CliError::msg(format!("template parsing error: {e}")))?),
    };
    let now = ctx.call(|api| Ok(api.now()))?;
    let (mut found, mut errs, mut text) = (Vec::new(), Vec::new(), String::new());
    for name in &p.args {
        match ctx.call(|api| api.service_inspect(name, true)) {
            Ok(svc) => match &template {
                _ if pretty => text.push_str(&pretty_service(&svc, now)),
                Some(t) => match t.execute_to_string(&format::template_data(&svc, &fmt)) {
                    Ok(out) => {
                        text.push_str(&out);
                        text.push('\n');
                    }
                    Err(e) => errs.push(format!("template parsing error: {e}")),
                },
                None => found.push(svc),
            },
            Err(_) => errs.push(format!("Error: no such service: {name}")),
        }
    }
    if template.is_none() && !pretty {
        text = if found.is_empty() { "[]\n".into() } else { to_go_json_indent(&found) + "\n" };
    }
    ctx.out.push_str(&text);
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

fn float(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// docker/cli's `serviceInspectPrettyTemplate`, rendered.
fn pretty_service(svc: &Service, now: Timestamp) -> String {
    let spec = &svc.spec;
    let mut o = format!("\nID:\t\t{}\nName:\t\t{}", svc.id, spec.name);
    if !spec.labels.is_empty() {
        o.push_str("\nLabels:");
        for (k, v) in &spec.labels {
            let _ = if v.is_empty() { write!(o, "\n {k}") } else { write!(o, "\n {k}={v}") };
        }
    }
    o.push_str("\nService Mode:");
    match spec.mode.kind() {
        ModeKind::Global => o.push_str("\tGlobal"),
        ModeKind::Replicated => {
            o.push_str("\tReplicated");
            if let Some(n) = spec.mode.replicated.as_ref().and_then(|r| r.replicas) {
                let _ = write!(o, "\n Replicas:\t{n}");
            }
        }
        _ => {}
    }
    if let Some(u) = &svc.update_status {
        let _ = write!(o, "\nUpdateStatus:\n State:\t\t{}", u.state);
        if let Some(at) = u.started_at {
            let _ = write!(o, "\n Started:\t{} ago", human_duration(now.since(at)));
        }
        if let (Some(at), true) = (u.completed_at, u.state.ends_with("completed")) {
            let _ = write!(o, "\n Completed:\t{} ago", human_duration(now.since(at)));
        }
        let _ = write!(o, "\n Message:\t{}", u.message);
    }
    o.push_str("\nPlacement:");
    let placement = spec.task_template.placement.clone().unwrap_or_default();
    if !placement.constraints.is_empty() {
        let _ = write!(o, "\n Constraints:\t[{}]", placement.constraints.join(" "));
    }
    if !placement.preferences.is_empty() {
        let prefs: Vec<String> = placement
            .preferences
            .iter()
            .filter_map(|p| p.spread.as_ref().map(|s| format!("Spread={}", s.spread_descriptor)))
            .collect();
        let _ = write!(o, "\n Preferences:   [{}]", prefs.join(" "));
    }
    if placement.max_replicas > 0 {
        let _ = write!(o, "\n Max Replicas Per Node:   {}", placement.max_replicas);
    }
    for (title, order, cfg) in
        [("UpdateConfig", "Update", &spec.update_config), ("RollbackConfig", "Rollback", &spec.rollback_config)]
    {
        let Some(c) = cfg else { continue };
        let _ = write!(o, "\n{title}:\n Parallelism:\t{}", c.parallelism);
        if c.delay > 0 {
            let _ = write!(o, "\n Delay:\t\t{}", go_duration(Duration::from_nanos(c.delay as u64)));
        }
        let _ = write!(o, "\n On failure:\t{}", c.failure_action);
        if c.monitor > 0 {
            let _ = write!(o, "\n Monitoring Period: {}", go_duration(Duration::from_nanos(c.monitor as u64)));
        }
        let _ = write!(
            o,
            "\n Max failure ratio: {}\n {order} order:{}{}",
            float(c.max_failure_ratio as f64),
            if order == "Update" { "      " } else { "    " },
            c.order
        );
    }
    let c = spec.container();
    let _ = write!(o, "\nContainerSpec:\n Image:\t\t{}", c.image);
    if !c.args.is_empty() {
        o.push_str("\n Args:\t\t");
        for a in &c.args {
            let _ = write!(o, "{a} ");
        }
    }
    if !c.env.is_empty() {
        o.push_str("\n Env:\t\t");
        for e in &c.env {
            let _ = write!(o, "{e} ");
        }
    }
    if !c.dir.is_empty() {
        let _ = write!(o, "\n Dir:\t\t{}", c.dir);
    }
    if let Some(init) = c.init {
        let _ = write!(o, "\n Init:\t\t{init}");
    }
    if !c.user.is_empty() {
        let _ = write!(o, "\n User: {}", c.user);
    }
    if !c.mounts.is_empty() {
        o.push_str("\nMounts:");
        for m in &c.mounts {
            let _ = write!(
                o,
                "\n Target:\t{}\n  Source:\t{}\n  ReadOnly:\t{}\n  Type:\t\t{}",
                m.target, m.source, m.read_only, m.kind
            );
        }
    }
    let target = |f: &Option<crate::types::FileTarget>| f.as_ref().map(|f| f.name.clone()).unwrap_or_default();
    if !c.configs.is_empty() {
        o.push_str("\nConfigs:");
        for r in &c.configs {
            let _ = write!(o, "\n Target:\t{}\n  Source:\t{}", target(&r.file), r.config_name);
        }
    }
    if !c.secrets.is_empty() {
        o.push_str("\nSecrets:");
        for r in &c.secrets {
            let _ = write!(o, "\n Target:\t{}\n  Source:\t{}", target(&r.file), r.secret_name);
        }
    }
    if let Some(r) = &spec.task_template.resources {
        o.push_str("\nResources:");
        if let Some(res) = r.reservations.as_ref().filter(|x| x.nano_cpus > 0 || x.memory_bytes > 0) {
            o.push_str("\n Reservations:");
            if res.nano_cpus > 0 {
                let _ = write!(o, "\n  CPU:\t\t{}", float(res.nano_cpus as f64 / 1e9));
            }
            if res.memory_bytes > 0 {
                let _ = write!(o, "\n  Memory:\t{}", bytes_size(res.memory_bytes as f64));
            }
        }
        if let Some(l) = r.limits.as_ref().filter(|x| x.nano_cpus > 0 || x.memory_bytes > 0) {
            o.push_str("\n Limits:");
            if l.nano_cpus > 0 {
                let _ = write!(o, "\n  CPU:\t\t{}", float(l.nano_cpus as f64 / 1e9));
            }
            if l.memory_bytes > 0 {
                let _ = write!(o, "\n  Memory:\t{}", bytes_size(l.memory_bytes as f64));
            }
        }
        if let Some(pids) = r.limits.as_ref().map(|l| l.pids).filter(|p| *p > 0) {
            let _ = write!(o, "\n  PIDs:\t\t{pids}");
        }
    }
    if !spec.task_template.networks.is_empty() {
        o.push_str("\nNetworks:");
        for n in &spec.task_template.networks {
            let _ = write!(o, " {}", n.target);
        }
        o.push(' ');
    }
    let mode = spec.endpoint_spec.as_ref().map(|e| e.mode.clone()).unwrap_or_default();
    let _ = write!(o, "\nEndpoint Mode:\t{mode}");
    if !svc.endpoint.ports.is_empty() {
        o.push_str("\nPorts:");
        for p in &svc.endpoint.ports {
            let _ = write!(
                o,
                "\n PublishedPort = {}\n  Protocol = {}\n  TargetPort = {}\n  PublishMode = {}",
                p.published_port, p.protocol, p.target_port, p.publish_mode
            );
        }
        o.push(' ');
    }
    o.push_str("\n\n");
    o
}

pub fn logs(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = p.args[0].clone();
    let tail = match p.string("tail").unwrap_or("all") {
        "all" => None,
        n => Some(n.parse::<usize>().map_err(|_| CliError::msg(format!("invalid tail value: {n}")))?),
    };
    let opts = LogsOptions { tail, timestamps: p.bool("timestamps") };
    let lines = ctx.call(|api| api.service_logs(&name, &opts))?;
    let no_task_ids = p.bool("no-task-ids");
    let raw = p.bool("raw");
    let width = lines.iter().map(|l| shorten(&l.source, no_task_ids, p.bool("no-trunc")).len()).max().unwrap_or(0);
    for l in lines {
        let mut line = String::new();
        if !raw {
            let src = shorten(&l.source, no_task_ids, p.bool("no-trunc"));
            let _ = write!(line, "{src:<width$}    | ");
        }
        if opts.timestamps {
            line.push_str(&l.timestamp.rfc3339_nano_fixed());
            line.push(' ');
        }
        line.push_str(&l.text);
        ctx.println(line);
    }
    Ok(())
}

/// `web.1.<task id>@node1` with the task ID cut to 12 characters (or left out).
fn shorten(source: &str, no_task_ids: bool, no_trunc: bool) -> String {
    let Some((task, node)) = source.split_once('@') else { return source.to_string() };
    let mut parts: Vec<&str> = task.rsplitn(2, '.').collect();
    parts.reverse();
    match parts.as_slice() {
        [name, id] if no_task_ids => format!("{name}@{node}"),
        [name, id] if !no_trunc => format!("{name}.{}@{node}", &id[..id.len().min(12)]),
        _ => source.to_string(),
    }
}
