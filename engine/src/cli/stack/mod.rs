//! `docker stack …` (docker/cli cli/command/stack): all client side, over the service,
//! network, secret, config and task calls, with the stack's label tying them together.

use std::fmt::Write as _;
mod config;
mod deploy;

use super::command::{Args, Command};
use super::flags::{Kind, Parsed, flag};
use super::format::{self, FORMAT_HELP, Format, natural_cmp, text as s};
use super::{CliError, Ctx, error_text};
use crate::api::Filters;
use crate::compose::convert::LABEL_NAMESPACE;
use gotmpl::Value;
use std::collections::BTreeMap;

const COMPOSE_FILE_HELP: &str = "Path to a Compose file, or \"-\" to read from stdin";

pub const STACK: Command = Command {
    name: "stack",
    aliases: &[],
    usage: "",
    short: "Manage Swarm stacks",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "config",
            aliases: &[],
            usage: "[OPTIONS]",
            short: "Outputs the final config file, after doing merges and interpolations",
            flags: &[
                flag("compose-file", Some('c'), Kind::Strings, "", COMPOSE_FILE_HELP),
                flag("skip-interpolation", None, Kind::Bool, "", "Skip interpolation and output only merged config"),
            ],
            args: Args::None,
            run: Some(config::run),
            subs: &[],
        },
        Command {
            name: "deploy",
            aliases: &["up"],
            usage: "[OPTIONS] STACK",
            short: "Deploy a new stack or update an existing stack",
            flags: &[
                flag("compose-file", Some('c'), Kind::Strings, "", COMPOSE_FILE_HELP),
                flag(
                    "detach",
                    Some('d'),
                    Kind::Bool,
                    "true",
                    "Exit immediately instead of waiting for the stack services to converge",
                ),
                flag("prune", None, Kind::Bool, "", "Prune services that are no longer referenced"),
                flag("quiet", Some('q'), Kind::Bool, "", "Suppress progress output"),
                flag(
                    "resolve-image",
                    None,
                    Kind::String,
                    "always",
                    "Query the registry to resolve image digest and supported platforms (\"always\", \"changed\", \"never\")",
                ),
                flag(
                    "with-registry-auth",
                    None,
                    Kind::Bool,
                    "",
                    "Send registry authentication details to Swarm agents",
                ),
            ],
            args: Args::Exact(1),
            run: Some(deploy::run),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List stacks",
            flags: &[flag("format", None, Kind::String, "", FORMAT_HELP)],
            args: Args::None,
            run: Some(list),
            subs: &[],
        },
        Command {
            name: "ps",
            aliases: &[],
            usage: "[OPTIONS] STACK",
            short: "List the tasks in the stack",
            flags: &[
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
                flag("format", None, Kind::String, "", FORMAT_HELP),
                flag("no-resolve", None, Kind::Bool, "", "Do not map IDs to Names"),
                flag("no-trunc", None, Kind::Bool, "", "Do not truncate output"),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display task IDs"),
            ],
            args: Args::Exact(1),
            run: Some(ps),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove", "down"],
            usage: "[OPTIONS] STACK [STACK...]",
            short: "Remove one or more stacks",
            flags: &[flag("detach", Some('d'), Kind::Bool, "true", "Do not wait for stack removal")],
            args: Args::Min(1),
            run: Some(remove),
            subs: &[],
        },
        Command {
            name: "services",
            aliases: &[],
            usage: "[OPTIONS] STACK",
            short: "List the services in the stack",
            flags: &[
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
                flag("format", None, Kind::String, "", FORMAT_HELP),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display IDs"),
            ],
            args: Args::Exact(1),
            run: Some(services),
            subs: &[],
        },
    ],
};

/// docker/cli validateStackName: not empty once quotes and spaces are trimmed.
fn valid_name(name: &str) -> Result<(), CliError> {
    if name.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'').is_empty() {
        return Err(CliError::msg(format!("invalid stack name: {name:?}")));
    }
    Ok(())
}

/// The filter that selects a stack's objects, over the user's own.
fn stack_filter(base: Filters, name: &str) -> Filters {
    let mut f = base;
    f.add("label", &format!("{LABEL_NAMESPACE}={name}"));
    f
}

/// `--detach` defaults to true: only `--detach=false` waits.
fn detached(p: &Parsed) -> bool {
    !p.changed("detach") || p.bool("detach")
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut f = Filters::default();
    f.add("label", LABEL_NAMESPACE);
    let services = ctx.call(|api| api.service_list(&f, false))?;
    let mut stacks: BTreeMap<String, usize> = BTreeMap::new();
    for svc in &services {
        let Some(name) = svc.spec.labels.get(LABEL_NAMESPACE) else {
            return Err(CliError::msg(format!("cannot get label {LABEL_NAMESPACE} for service {}", svc.id)));
        };
        *stacks.entry(name.clone()).or_default() += 1;
    }
    let mut stacks: Vec<(String, usize)> = stacks.into_iter().collect();
    stacks.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    let src = match p.string("format").unwrap_or("") {
        "" | "table" => "table {{.Name}}\t{{.Services}}",
        other => other,
    };
    let row = |name: &str, services: String| format::row([("Name", s(name)), ("Services", s(services))]);
    let rows: Vec<Value> = stacks.iter().map(|(n, c)| row(n, c.to_string())).collect();
    let header = row("NAME", "SERVICES".into());
    ctx.out.push_str(&format::write(&Format::new(src), &header, &rows).map_err(CliError::msg)?);
    Ok(())
}

fn services(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = &p.args[0];
    valid_name(name)?;
    let f = stack_filter(p.filters(), name);
    let list = ctx.call(|api| api.service_list(&f, !p.bool("quiet")))?;
    if list.is_empty() {
        let _ = writeln!(ctx.err, "Nothing found in stack: {name}");
        return Ok(());
    }
    super::service::show::print_services(ctx, list, p)
}

fn ps(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = &p.args[0];
    valid_name(name)?;
    let f = stack_filter(p.filters(), name);
    let tasks = ctx.call(|api| api.task_list(&f))?;
    if tasks.is_empty() {
        return Err(CliError::msg(format!("nothing found in stack: {name}")));
    }
    super::service::show::print_tasks(ctx, tasks, p)
}

/// docker/cli RunRemove: per stack, its services (sorted), secrets, configs and
/// networks; `Nothing found in stack` when it has none.
fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    for name in &p.args {
        valid_name(name)?;
    }
    let mut errs = Vec::new();
    for name in &p.args {
        let f = stack_filter(Filters::default(), name);
        let mut services = ctx.call(|api| api.service_list(&f, false))?;
        let networks = ctx.call(|api| api.network_list(&f))?;
        let secrets = ctx.call(|api| api.secret_list(&f))?;
        let configs = ctx.call(|api| api.config_list(&f))?;
        if services.len() + networks.len() + secrets.len() + configs.len() == 0 {
            let _ = writeln!(ctx.err, "Nothing found in stack: {name}");
            continue;
        }
        // Services by name; the rest in the daemon's order (by ID), as docker/cli does.
        services.sort_by(|a, b| a.spec.name.cmp(&b.spec.name));
        let mut failed = false;
        // docker/cli prints these without a newline.
        let mut each = |ctx: &mut Ctx, word: &str, id: &str, r: Result<(), CliError>| {
            if let Err(e) = r {
                failed = true;
                let _ = write!(ctx.err, "Failed to remove {word} {id}: {}", error_text(e));
            }
        };
        for svc in &services {
            ctx.println(format!("Removing service {}", svc.spec.name));
            let r = ctx.call(|api| api.service_remove(&svc.id));
            each(ctx, "service", &svc.id, r);
        }
        for sec in &secrets {
            ctx.println(format!("Removing secret {}", sec.spec.name));
            let r = ctx.call(|api| api.secret_remove(&sec.id));
            each(ctx, "secret", &sec.id, r);
        }
        for cfg in &configs {
            ctx.println(format!("Removing config {}", cfg.spec.name));
            let r = ctx.call(|api| api.config_remove(&cfg.id));
            each(ctx, "config", &cfg.id, r);
        }
        for net in &networks {
            ctx.println(format!("Removing network {}", net.name));
            let r = ctx.call(|api| api.network_remove(&net.id));
            each(ctx, "network", &net.id, r);
        }
        if failed {
            errs.push(format!("failed to remove some resources from stack: {name}"));
        } else if !detached(p) {
            wait_removed(ctx, name);
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

/// `stack rm --detach=false`: lets time pass until the stack's tasks are gone.
fn wait_removed(ctx: &mut Ctx, name: &str) {
    let f = stack_filter(Filters::default(), name);
    for _ in 0..600 {
        if ctx.call(|api| api.task_list(&f)).map_or(true, |t| t.is_empty()) {
            return;
        }
        ctx.api.sleep(std::time::Duration::from_millis(500));
    }
}
