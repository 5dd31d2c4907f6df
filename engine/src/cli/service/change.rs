//! `docker service create|update|rollback|scale|rm`.

use super::super::flags::Parsed;
use super::super::{CliError, Ctx};
use super::{progress, spec};

fn warn(ctx: &mut Ctx, warnings: Vec<String>) {
    for w in warnings {
        ctx.err.push_str(&w);
        ctx.err.push('\n');
    }
}

/// docker/cli's tail of create, update and rollback: the warnings, the service's
/// name or ID, then the progress unless detached.
fn report(ctx: &mut Ctx, p: &Parsed, warnings: Vec<String>, service: &str) -> Result<(), CliError> {
    warn(ctx, warnings);
    ctx.println(service);
    if p.bool("detach") {
        return Ok(());
    }
    progress::wait(ctx, service, p.bool("quiet"))
}

/// docker/cli sends `QueryRegistry` unless `--no-resolve-image`: the daemon pins the
/// image to its digest, or warns that it could not.
fn resolve(p: &Parsed) -> bool {
    !p.bool("no-resolve-image")
}

pub fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut spec = spec::create(p)?;
    super::refs::resolve(ctx, p, &mut spec, false)?;
    let query = resolve(p);
    let (id, warnings) = ctx.call(|api| api.service_create(super::tagged(spec), query))?;
    report(ctx, p, warnings, &id)
}

pub fn update(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = p.args[0].clone();
    let service = ctx.call(|api| api.service_inspect(&name, false))?;
    let rollback = p.bool("rollback");
    if rollback && p.changed_names().iter().any(|n| !matches!(*n, "rollback" | "detach" | "quiet")) {
        return Err(CliError::msg("other flags may not be combined with --rollback"));
    }
    let mut s = service.spec.clone();
    if !rollback {
        spec::update(&mut s, p)?;
        super::refs::resolve(ctx, p, &mut s, true)?;
        update_networks(ctx, p, &mut s)?;
    }
    let query = resolve(p) && p.changed("image");
    let warnings =
        ctx.call(|api| api.service_update(&service.id, service.version.index, super::tagged(s), rollback, query))?;
    report(ctx, p, warnings, &name)
}

/// docker/cli updateNetworks: names become IDs through the daemon, removals first,
/// then additions, sorted by ID.
fn update_networks(ctx: &mut Ctx, p: &Parsed, s: &mut crate::types::ServiceSpec) -> Result<(), CliError> {
    let mut remove = std::collections::BTreeSet::new();
    for name in p.list("network-rm") {
        remove.insert(ctx.call(|api| api.network_inspect(name))?.id);
    }
    let nets = &mut s.task_template.networks;
    nets.retain(|n| !remove.contains(&n.target));
    for name in p.list("network-add") {
        let id = ctx.call(|api| api.network_inspect(name))?.id;
        if nets.iter().any(|n| n.target == id) {
            return Err(CliError::msg(format!("service is already attached to network {name}")));
        }
        nets.push(crate::types::NetworkAttachmentConfig { target: id, aliases: Vec::new() });
    }
    if p.changed("network-add") || p.changed("network-rm") {
        nets.sort_by(|a, b| a.target.cmp(&b.target));
    }
    Ok(())
}

pub fn rollback(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = p.args[0].clone();
    let service = ctx.call(|api| api.service_inspect(&name, false))?;
    let warnings = ctx.call(|api| {
        api.service_update(&service.id, service.version.index, super::tagged(service.spec.clone()), true, false)
    })?;
    report(ctx, p, warnings, &name)
}

pub fn scale(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut errs = Vec::new();
    let mut scaled = Vec::new();
    for arg in &p.args {
        let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
        let replicas: u64 = match value.parse() {
            Ok(n) => n,
            Err(_) => {
                errs.push(format!(
                    "{name}: invalid replicas value {value}: strconv.ParseUint: parsing {value:?}: invalid syntax"
                ));
                continue;
            }
        };
        let result = ctx.call(|api| api.service_inspect(name, false)).and_then(|service| {
            let mut s = service.spec.clone();
            if let Some(r) = s.mode.replicated.as_mut() {
                r.replicas = Some(replicas);
            } else if let Some(j) = s.mode.replicated_job.as_mut() {
                j.total_completions = Some(replicas);
            } else {
                return Err(CliError::msg("scale can only be used with replicated or replicated-job mode"));
            }
            ctx.call(|api| api.service_update(&service.id, service.version.index, super::tagged(s), false, false))
        });
        match result {
            Ok(warnings) => {
                warn(ctx, warnings);
                ctx.println(format!("{name} scaled to {replicas}"));
                scaled.push(name.to_string());
            }
            Err(e) => errs.push(format!("{name}: {}", super::super::error_text(e))),
        }
    }
    if !p.bool("detach") {
        for name in scaled {
            if let Err(e) = progress::wait(ctx, &name, false) {
                errs.push(format!("{name}: {}", super::super::error_text(e)));
            }
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

pub fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut errs = Vec::new();
    for name in &p.args {
        match ctx.call(|api| api.service_remove(name)) {
            Ok(()) => ctx.println(name),
            Err(e) => errs.push(super::super::error_text(e)),
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}
