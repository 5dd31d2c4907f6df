//! `docker stack deploy` (docker/cli stack/loader and stack/swarm/deploy_composefile.go):
//! load and merge the files, then create or update the stack's networks, secrets,
//! configs and services, in that order, each named and labelled by the stack.

use super::{Ctx, Parsed, detached, stack_filter, valid_name};
use crate::api::Filters;
use crate::cli::CliError;
use crate::compose::convert::{self, LABEL_IMAGE, Namespace};
use crate::types::{ConfigReference, SecretReference, ServiceSpec};
use std::fmt::Write as _;

/// Reads the files named by `-c` (`-` for standard input), with Go's error text.
pub(super) fn read_files(ctx: &Ctx, files: &[String]) -> Result<Vec<(String, String)>, CliError> {
    if files.is_empty() {
        return Err(CliError::msg("Specify a Compose file (with --compose-file)"));
    }
    let Some(read) = ctx.env.read else { return Err(CliError::msg("no file system to read the Compose file from")) };
    files
        .iter()
        .map(|f| {
            let bytes = read(f).map_err(CliError::msg)?;
            Ok((f.clone(), String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect()
}

/// The directory relative `file:` paths start from: the first compose file's, made
/// absolute from the client's working directory as docker/cli's `filepath.Abs` does (or
/// the working directory itself for `-`).
pub(super) fn working_dir(cwd: Option<String>, first: &str) -> String {
    let cwd = cwd.unwrap_or_default();
    if first == "-" {
        return cwd;
    }
    let dir = match first.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => first[..i].to_string(),
        None => String::new(),
    };
    match (dir.starts_with('/'), cwd.is_empty(), dir.is_empty()) {
        (true, _, _) | (_, true, _) => dir,
        (false, false, true) => cwd,
        (false, false, false) => format!("{}/{}", cwd.trim_end_matches('/'), dir.trim_start_matches("./")),
    }
}

pub fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let stack = p.args[0].clone();
    valid_name(&stack)?;
    let files = read_files(ctx, &p.strings("compose-file"))?;
    let lookup = ctx.env.var;
    let env = move |k: &str| lookup.and_then(|f| f(k));
    let loaded = crate::compose::load_all(&files, &env).map_err(|e| CliError::msg(e.to_string()))?;
    for w in &loaded.warnings {
        ctx.err.push_str(w);
        ctx.err.push('\n');
    }
    let resolve = p.string("resolve-image").unwrap_or("always").to_string();
    if !matches!(resolve.as_str(), "always" | "changed" | "never") {
        return Err(CliError::msg(format!("Invalid option {resolve} for flag --resolve-image")));
    }
    if detached(p) && !p.changed("detach") {
        ctx.err.push_str(
            "Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n",
        );
    }
    let info = ctx.call(|api| api.info())?;
    if !info.swarm.control_available {
        return Err(CliError::msg(
            "this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again",
        ));
    }
    let compose = loaded.compose;
    let ns = Namespace(&stack);
    if p.bool("prune") {
        prune(ctx, ns, &compose)?;
    }
    networks(ctx, ns, &compose)?;
    let dir = working_dir(ctx.env.cwd.map(str::to_string), &files[0].0);
    let read = ctx.env.read;
    let reader =
        move |path: &str| read.map_or_else(|| Err(format!("open {path}: no such file or directory")), |r| r(path));
    let secrets = convert::file_objects(ns, &compose.secrets, &dir, &reader).map_err(CliError::msg)?;
    objects(ctx, secrets, "secret")?;
    let configs = convert::file_objects(ns, &compose.configs, &dir, &reader).map_err(CliError::msg)?;
    objects(ctx, configs, "config")?;
    let mut ids = Vec::new();
    let existing = ctx.call(|api| api.service_list(&stack_filter(Filters::default(), &stack), false))?;
    for s in &compose.services {
        let mut spec = convert::service(ns, s, &compose, &env).map_err(CliError::msg)?;
        references(ctx, ns, s, &compose, &mut spec)?;
        ids.push(deploy_service(ctx, spec, &existing, &resolve)?);
    }
    if detached(p) {
        return Ok(());
    }
    let mut errs = Vec::new();
    for id in ids {
        if let Err(e) = crate::cli::service::progress::wait(ctx, &id, p.bool("quiet")) {
            errs.push(format!("{id}: {}", crate::cli::error_text(e)));
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

/// `--prune`: removes the stack's services the files no longer name.
fn prune(ctx: &mut Ctx, ns: Namespace, compose: &crate::compose::model::Compose) -> Result<(), CliError> {
    let f = stack_filter(Filters::default(), ns.0);
    let mut old = match ctx.call(|api| api.service_list(&f, false)) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(ctx.err, "Failed to list services: {}", crate::cli::error_text(e));
            Vec::new()
        }
    };
    old.retain(|s| !compose.services.iter().any(|c| c.name == ns.descope(&s.spec.name)));
    old.sort_by(|a, b| a.spec.name.cmp(&b.spec.name));
    for s in old {
        ctx.println(format!("Removing service {}", s.spec.name));
        if let Err(e) = ctx.call(|api| api.service_remove(&s.id)) {
            let _ = write!(ctx.err, "Failed to remove service {}: {}", s.id, crate::cli::error_text(e));
        }
    }
    Ok(())
}

/// External networks must exist and be swarm-scoped; the stack's own are created
/// unless they exist.
fn networks(ctx: &mut Ctx, ns: Namespace, compose: &crate::compose::model::Compose) -> Result<(), CliError> {
    let (create, external) = convert::networks(ns, compose);
    for name in external.iter().filter(|n| !matches!(n.as_str(), "bridge" | "host" | "none" | "default")) {
        match ctx.call(|api| api.network_inspect(name)) {
            Err(CliError::Api(e)) if e.status == 404 => {
                return Err(CliError::msg(format!(
                    "network {name:?} is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed"
                )));
            }
            Err(e) => return Err(e),
            Ok(n) if n.scope != "swarm" => {
                return Err(CliError::msg(format!(
                    "network {name:?} is declared as external, but it is not in the right scope: {:?} instead of \"swarm\"",
                    n.scope
                )));
            }
            Ok(_) => {}
        }
    }
    let existing = ctx.call(|api| api.network_list(&stack_filter(Filters::default(), ns.0)))?;
    for (name, req) in create {
        if existing.iter().any(|n| n.name == name) {
            continue;
        }
        ctx.println(format!("Creating network {name}"));
        ctx.call(|api| api.network_create(req))
            .map_err(|e| CliError::msg(format!("failed to create network {name}: {}", crate::cli::error_text(e))))?;
    }
    Ok(())
}

/// Secrets or configs: created when new, their labels updated when they exist (the
/// daemon refuses a change of content).
fn objects(ctx: &mut Ctx, specs: Vec<crate::types::SecretSpec>, word: &str) -> Result<(), CliError> {
    let secret = word == "secret";
    for spec in specs {
        let name = spec.name.clone();
        let found = ctx.call(|api| if secret { api.secret_inspect(&name) } else { api.config_inspect(&name) });
        match found {
            Ok(o) => {
                let (id, version) = (o.id.clone(), o.version.index);
                ctx.call(|api| {
                    if secret { api.secret_update(&id, version, spec) } else { api.config_update(&id, version, spec) }
                })
                .map_err(|e| CliError::msg(format!("failed to update {word} {name}: {}", crate::cli::error_text(e))))?;
            }
            Err(CliError::Api(e)) if e.status == 404 => {
                ctx.println(format!("Creating {word} {name}"));
                ctx.call(|api| if secret { api.secret_create(spec) } else { api.config_create(spec) }).map_err(
                    |e| CliError::msg(format!("failed to create {word} {name}: {}", crate::cli::error_text(e))),
                )?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// docker/cli's ParseSecrets / ParseConfigs for a service: real names to IDs.
fn references(
    ctx: &mut Ctx,
    ns: Namespace,
    s: &crate::compose::model::ServiceConfig,
    compose: &crate::compose::model::Compose,
    spec: &mut ServiceSpec,
) -> Result<(), CliError> {
    let refs = convert::service_refs(ns, s, compose).map_err(CliError::msg)?;
    let wrap = |e: CliError| CliError::msg(format!("service {}: {}", s.name, crate::cli::error_text(e)));
    let secret_ids =
        crate::cli::service::refs::ids(ctx, "secret", refs.secrets.iter().map(|r| &r.0).collect()).map_err(wrap)?;
    let config_ids =
        crate::cli::service::refs::ids(ctx, "config", refs.configs.iter().map(|r| &r.0).collect()).map_err(wrap)?;
    let Some(c) = spec.task_template.container_spec.as_mut() else { return Ok(()) };
    c.secrets = refs
        .secrets
        .into_iter()
        .map(|(name, file)| SecretReference {
            file: Some(file),
            secret_id: secret_ids.get(&name).cloned().unwrap_or_default(),
            secret_name: name,
        })
        .collect();
    c.configs = refs
        .configs
        .into_iter()
        .map(|(name, file)| ConfigReference {
            file: Some(file),
            config_id: config_ids.get(&name).cloned().unwrap_or_default(),
            config_name: name,
        })
        .collect();
    Ok(())
}

/// Creates the service, or updates the one the stack has by that name; its ID.
fn deploy_service(
    ctx: &mut Ctx,
    mut spec: ServiceSpec,
    existing: &[crate::types::Service],
    resolve: &str,
) -> Result<String, CliError> {
    let name = spec.name.clone();
    let image = spec.container().image.clone();
    let Some(old) = existing.iter().find(|s| s.spec.name == name) else {
        ctx.println(format!("Creating service {name}"));
        let query = resolve != "never";
        // docker/cli does not print the daemon's warnings on create here.
        let (id, _) = ctx
            .call(|api| api.service_create(crate::cli::service::tagged(spec), query))
            .map_err(|e| CliError::msg(format!("failed to create service {name}: {}", crate::cli::error_text(e))))?;
        return Ok(id);
    };
    ctx.println(format!("Updating service {name} (id: {})", old.id));
    let unchanged = old.spec.labels.get(LABEL_IMAGE) == Some(&image);
    let query = match resolve {
        "always" => true,
        "changed" => !unchanged,
        _ => false,
    };
    if !query && unchanged {
        // Keep the digest the registry gave on the previous deploy.
        if let Some(c) = spec.task_template.container_spec.as_mut() {
            c.image = old.spec.container().image.clone();
        }
    }
    spec.task_template.force_update = old.spec.task_template.force_update;
    let warnings = ctx
        .call(|api| api.service_update(&old.id, old.version.index, crate::cli::service::tagged(spec), false, query))
        .map_err(|e| CliError::msg(format!("failed to update service {name}: {}", crate::cli::error_text(e))))?;
    for w in warnings {
        ctx.err.push_str(&w);
        ctx.err.push('\n');
    }
    Ok(old.id.clone())
}

#[cfg(test)]
mod tests {
    use super::working_dir;

    #[test]
    fn relative_compose_files_resolve_from_the_working_directory() {
        let cwd = || Some("/home/me/app".to_string());
        assert_eq!(working_dir(cwd(), "docker-compose.yml"), "/home/me/app");
        assert_eq!(working_dir(cwd(), "deploy/stack.yml"), "/home/me/app/deploy");
        assert_eq!(working_dir(cwd(), "/srv/stack.yml"), "/srv");
        assert_eq!(working_dir(cwd(), "-"), "/home/me/app");
        assert_eq!(working_dir(None, "deploy/stack.yml"), "deploy");
    }
}
