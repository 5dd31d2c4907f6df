//! `docker secret …` (docker/cli cli/command/secret).

use super::command::{Args, Command};
use super::flags::{Kind, Parsed, flag};
use super::format::{self, FORMAT_HELP, Format, INSPECT_FORMAT_HELP, natural_less, text as s};
use super::{CliError, Ctx, error_text};
use crate::api::Filters;
use crate::time::human_duration;
use crate::types::{Driver, Secret, SecretSpec, to_go_json_indent};
use base64::Engine;
use gotmpl::Value;
use std::collections::BTreeMap;

const SECRET_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}";

pub const SECRET: Command = Command {
    name: "secret",
    aliases: &[],
    usage: "",
    short: "Manage Swarm secrets",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "create",
            aliases: &[],
            usage: "[OPTIONS] SECRET [file|-]",
            short: "Create a secret from a file or STDIN as content",
            flags: &[
                flag("driver", Some('d'), Kind::String, "", "Secret driver"),
                flag("label", Some('l'), Kind::List, "", "Secret labels"),
                flag("template-driver", None, Kind::String, "", "Template driver"),
            ],
            args: Args::Range(1, 2),
            run: Some(create),
            subs: &[],
        },
        Command {
            name: "inspect",
            aliases: &[],
            usage: "[OPTIONS] SECRET [SECRET...]",
            short: "Display detailed information on one or more secrets",
            flags: &[
                flag("format", Some('f'), Kind::String, "", INSPECT_FORMAT_HELP),
                flag("pretty", None, Kind::Bool, "", "Print the information in a human friendly format"),
            ],
            args: Args::Min(1),
            run: Some(inspect),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List secrets",
            flags: &[
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
                flag("format", None, Kind::String, "", FORMAT_HELP),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display IDs"),
            ],
            args: Args::None,
            run: Some(list),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove"],
            usage: "SECRET [SECRET...]",
            short: "Remove one or more secrets",
            flags: &[],
            args: Args::Min(1),
            run: Some(remove),
            subs: &[],
        },
    ],
};

/// docker/cli `readSecretData`: a file, or `-` for standard input.
fn read_data(ctx: &Ctx, file: &str) -> Result<Vec<u8>, CliError> {
    let what = if file == "-" { "STDIN".to_string() } else { file.to_string() };
    if file.is_empty() {
        return Err(CliError::msg("secret file is required"));
    }
    let Some(read) = ctx.env.read else {
        return Err(CliError::msg(format!("error reading from {what}: no file system here")));
    };
    let data = read(file).map_err(|e| CliError::msg(format!("error reading from {what}: {e}")))?;
    if data.is_empty() {
        return Err(CliError::msg(format!("error reading from {what}: data is empty")));
    }
    Ok(data)
}

fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = p.args[0].clone();
    let file = p.args.get(1).cloned().unwrap_or_default();
    let driver = p.string("driver").unwrap_or("").to_string();
    let data = if driver.is_empty() {
        read_data(ctx, &file)?
    } else if !file.is_empty() {
        return Err(CliError::msg("When using secret driver secret data must be empty"));
    } else {
        Vec::new()
    };
    let labels: BTreeMap<String, String> = p
        .list("label")
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect();
    let named = |n: &str| (!n.is_empty()).then(|| Driver { name: n.to_string(), ..Driver::default() });
    let spec = SecretSpec {
        name,
        labels,
        data: base64::engine::general_purpose::STANDARD.encode(&data),
        driver: named(&driver),
        templating: named(p.string("template-driver").unwrap_or("")),
    };
    let id = ctx.call(|api| api.secret_create(spec))?;
    ctx.println(id);
    Ok(())
}

fn filters(p: &Parsed) -> Filters {
    let mut f = Filters::default();
    for kv in p.list("filter") {
        if let Some((k, v)) = kv.split_once('=') {
            f.add(&k.trim().to_lowercase(), v.trim());
        }
    }
    f
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let f = filters(p);
    let mut secrets = ctx.call(|api| api.secret_list(&f))?;
    let now = ctx.call(|api| Ok(api.now()))?;
    let quiet = p.bool("quiet");
    let src = match p.string("format").unwrap_or("") {
        "" | "table" if quiet => "{{.ID}}",
        "" | "table" => SECRET_TABLE,
        other => other,
    };
    secrets.sort_by(|a, b| {
        if natural_less(&a.spec.name, &b.spec.name) {
            std::cmp::Ordering::Less
        } else if natural_less(&b.spec.name, &a.spec.name) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    let ago = |t: crate::time::Timestamp| format!("{} ago", human_duration(now.since(t)));
    let rows: Vec<Value> = secrets
        .iter()
        .map(|x| {
            let labels: Vec<String> = x.spec.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let m: BTreeMap<std::sync::Arc<str>, Value> = BTreeMap::from(
                [
                    ("ID", s(&x.id)),
                    ("Name", s(&x.spec.name)),
                    ("Driver", s(x.spec.driver.as_ref().map_or("", |d| d.name.as_str()))),
                    ("CreatedAt", s(ago(x.created_at))),
                    ("UpdatedAt", s(ago(x.updated_at))),
                    ("Labels", s(labels.join(","))),
                ]
                .map(|(k, v)| (std::sync::Arc::from(k), v)),
            );
            Value::Map(m.into())
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

/// docker/cli `secretInspectPrettyTemplate`.
fn pretty(x: &Secret) -> String {
    let mut o = format!("ID:              {}\nName:              {}\n", x.id, x.spec.name);
    if !x.spec.labels.is_empty() {
        o.push_str("Labels:\n");
        for (k, v) in &x.spec.labels {
            o.push_str(&format!(" - {k}{}\n", if v.is_empty() { String::new() } else { format!("={v}") }));
        }
    }
    o.push_str(&format!("Driver:            {}\n", x.spec.driver.as_ref().map_or("", |d| d.name.as_str())));
    o.push_str(&format!("Created at:        {}\n", format::pretty(&x.created_at.go_string())));
    o.push_str(&format!("Updated at:        {}\n", format::pretty(&x.updated_at.go_string())));
    o
}

fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let pretty_mode = p.bool("pretty");
    let fmt = p.string("format").unwrap_or("");
    let template = match fmt {
        _ if pretty_mode => None,
        "" => None,
        "json" => Some(
            format::parse("{{json .}}").map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?,
        ),
        t => Some(format::parse(t).map_err(|e| CliError::status(64, format!("template parsing error: {e}")))?),
    };
    if pretty_mode {
        // The pretty template stops at the first secret it cannot get.
        for name in &p.args {
            let x = ctx.call(|api| api.secret_inspect(name))?;
            ctx.out.push_str(&pretty(&x));
        }
        return Ok(());
    }
    // docker/cli inspect.Inspect: what it found, then what it could not.
    let (mut found, mut errs) = (Vec::new(), Vec::new());
    for name in &p.args {
        match ctx.call(|api| api.secret_inspect(name)) {
            Ok(x) => found.push(x),
            Err(e) => errs.push(error_text(e)),
        }
    }
    match template {
        None => ctx.out.push_str(&(if found.is_empty() { "[]".to_string() } else { to_go_json_indent(&found) } + "\n")),
        Some(t) => {
            for x in &found {
                match t.execute_to_string(&format::data(x)) {
                    Ok(out) => ctx.println(out),
                    Err(e) => errs.push(format!("template parsing error: {e}")),
                }
            }
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}

fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let mut errs = Vec::new();
    for name in &p.args {
        match ctx.call(|api| api.secret_remove(name)) {
            Ok(()) => ctx.println(name),
            Err(e) => errs.push(error_text(e)),
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(CliError::msg(errs.join("\n"))) }
}
