//! What `docker secret` and `docker config` share: labels and filters from flags,
//! listing sorted by name, inspecting as JSON or a template, removing several.

use super::flags::Parsed;
use super::format::{self, Format, natural_cmp, text as s};
use super::{CliError, Ctx, error_text};
use crate::api::ApiResult;
use crate::time::human_duration;
use crate::types::{Secret, to_go_json_indent};
use gotmpl::Value;
use std::collections::BTreeMap;

/// The table docker/cli prints: rows sorted by name, times as "… ago".
pub fn list(ctx: &mut Ctx, p: &Parsed, mut objects: Vec<Secret>, table: &str) -> Result<(), CliError> {
    let now = ctx.call(|api| Ok(api.now()))?;
    let src = super::format::list_template(p.string("format").unwrap_or(""), p.bool("quiet"), table);
    objects.sort_by(|a, b| natural_cmp(&a.spec.name, &b.spec.name));
    let ago = |t: crate::time::Timestamp| format!("{} ago", human_duration(now.since(t)));
    let rows: Vec<Value> = objects
        .iter()
        .map(|x| {
            let labels: Vec<String> = x.spec.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format::row([
                ("ID", s(&x.id)),
                ("Name", s(&x.spec.name)),
                ("Driver", s(x.spec.driver.as_ref().map_or("", |d| d.name.as_str()))),
                ("CreatedAt", s(ago(x.created_at))),
                ("UpdatedAt", s(ago(x.updated_at))),
                ("Labels", s(labels.join(","))),
            ])
        })
        .collect();
    let header = format::data(&BTreeMap::from([
        ("ID", "ID"),
        ("Name", "NAME"),
        ("Driver", "DRIVER"),
        ("CreatedAt", "CREATED"),
        ("UpdatedAt", "UPDATED"),
        ("Labels", "LABELS"),
    ]));
    ctx.out.push_str(&format::write(&Format::new(src), &header, &rows).map_err(CliError::msg)?);
    Ok(())
}

/// `inspect` with --pretty (`pretty` renders one), a template, or JSON: docker/cli's
/// inspect.Inspect prints what it found, then what it could not.
pub fn inspect<T: serde::Serialize>(
    ctx: &mut Ctx,
    p: &Parsed,
    get: fn(&mut dyn crate::api::Api, &str) -> ApiResult<T>,
    pretty: fn(&T) -> String,
) -> Result<(), CliError> {
    if p.changed("pretty") && p.bool("pretty") {
        for name in &p.args {
            let x = ctx.call(|api| get(api, name))?;
            ctx.out.push_str(&pretty(&x));
        }
        return Ok(());
    }
    let parse = |t: &str| format::parse(t).map_err(|e| CliError::status(64, format!("template parsing error: {e}")));
    let fmt = p.string("format").unwrap_or("");
    let template = match fmt {
        "" => None,
        "json" => Some(parse("{{json .}}")?),
        t => Some(parse(t)?),
    };
    let (mut found, mut errs) = (Vec::new(), Vec::new());
    for name in &p.args {
        match ctx.call(|api| get(api, name)) {
            Ok(x) => found.push(x),
            Err(e) => errs.push(error_text(e)),
        }
    }
    match template {
        None => ctx.out.push_str(&(to_go_json_indent(&found) + "\n")),
        Some(t) => {
            for x in &found {
                match t.execute_to_string(&format::template_data(x, fmt)) {
                    Ok(out) => ctx.println(out),
                    Err(e) => errs.push(format!("template parsing error: {e}")),
                }
            }
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

/// Removes each named object, printing its name; the errors together at the end.
pub fn remove(
    ctx: &mut Ctx,
    p: &Parsed,
    rm: fn(&mut dyn crate::api::Api, &str) -> ApiResult<()>,
) -> Result<(), CliError> {
    let mut errs = Vec::new();
    for name in &p.args {
        match ctx.call(|api| rm(api, name)) {
            Ok(()) => ctx.println(name),
            Err(e) => errs.push(error_text(e)),
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

/// docker/cli readSecretData / readConfigData: a file, or `-` for standard input.
pub fn read_data(ctx: &Ctx, file: &str, word: &str) -> Result<Vec<u8>, String> {
    let what = if file == "-" { "STDIN".to_string() } else { file.to_string() };
    if file.is_empty() {
        return Err(format!("{word} file is required"));
    }
    let Some(read) = ctx.env.read else {
        return Err(format!("error reading from {what}: no file system here"));
    };
    let data = read(file).map_err(|e| format!("error reading from {what}: {e}"))?;
    if data.is_empty() {
        return Err(format!("error reading from {what}: data is empty"));
    }
    Ok(data)
}
