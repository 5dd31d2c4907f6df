//! `--secret` and `--config` (and their `-add`/`-rm` forms): docker/cli's ParseSecrets
//! and ParseConfigs resolve the names to IDs through the daemon before the spec goes.

use super::parse::file_ref;
use crate::api::Filters;
use crate::cli::flags::Parsed;
use crate::cli::{CliError, Ctx};
use crate::types::{ConfigReference, FileTarget, SecretReference, ServiceSpec};
use std::collections::BTreeMap;

/// name -> its file target, as requested; a target twice is refused.
fn requested(values: &[String], word: &str) -> Result<BTreeMap<String, (String, FileTarget)>, CliError> {
    let mut out: BTreeMap<String, (String, FileTarget)> = BTreeMap::new();
    for v in values {
        let (name, file) = file_ref(v, word).map_err(CliError::msg)?;
        if out.contains_key(&file.name) {
            return Err(CliError::msg(format!("duplicate {word} target for {name} not allowed")));
        }
        out.insert(file.name.clone(), (name, file));
    }
    Ok(out)
}

/// The IDs of the named secrets or configs; `secret not found: x` for a missing one.
pub(crate) fn ids(ctx: &mut Ctx, word: &str, names: Vec<&String>) -> Result<BTreeMap<String, String>, CliError> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut f = Filters::default();
    for n in &names {
        f.add("name", n);
    }
    let found =
        if word == "secret" { ctx.call(|api| api.secret_list(&f))? } else { ctx.call(|api| api.config_list(&f))? };
    let by_name: BTreeMap<String, String> = found.into_iter().map(|o| (o.spec.name, o.id)).collect();
    for n in names {
        if !by_name.contains_key(n) {
            return Err(CliError::msg(format!("{word} not found: {n}")));
        }
    }
    Ok(by_name)
}

/// Sets the spec's secrets and configs from the command's flags: `--secret`/`--config`
/// on create; on update the existing ones, less `-rm`, plus `-add`.
pub fn resolve(ctx: &mut Ctx, p: &Parsed, spec: &mut ServiceSpec, update: bool) -> Result<(), CliError> {
    let (secret_flag, config_flag) = if update { ("secret-add", "config-add") } else { ("secret", "config") };
    let secrets = requested(p.list(secret_flag), "secret")?;
    let configs = requested(p.list(config_flag), "config")?;
    let secret_ids = ids(ctx, "secret", secrets.values().map(|(n, _)| n).collect())?;
    let config_ids = ids(ctx, "config", configs.values().map(|(n, _)| n).collect())?;
    let Some(c) = spec.task_template.container_spec.as_mut() else { return Ok(()) };
    if update {
        let rm_s: Vec<&String> = p.list("secret-rm").iter().collect();
        let rm_c: Vec<&String> = p.list("config-rm").iter().collect();
        // docker/cli removes by name only: adding a reference the service already has
        // sends it twice, and the daemon refuses the conflicting target.
        c.secrets.retain(|r| !rm_s.contains(&&r.secret_name));
        c.configs.retain(|r| !rm_c.contains(&&r.config_name));
    } else {
        c.secrets.clear();
        c.configs.clear();
    }
    for (name, file) in secrets.into_values() {
        let secret_id = secret_ids.get(&name).cloned().unwrap_or_default();
        c.secrets.push(SecretReference { file: Some(file), secret_id, secret_name: name });
    }
    for (name, file) in configs.into_values() {
        let config_id = config_ids.get(&name).cloned().unwrap_or_default();
        c.configs.push(ConfigReference { file: Some(file), config_id, config_name: name });
    }
    c.secrets.sort_by_key(|r| target(&r.file));
    c.configs.sort_by_key(|r| target(&r.file));
    Ok(())
}

fn target(f: &Option<FileTarget>) -> String {
    f.as_ref().map(|f| f.name.clone()).unwrap_or_default()
}
