//! `docker config …` (docker/cli cli/command/config).

use super::command::{Args, Command};
use super::flags::{INSPECT_PRETTY_FLAGS, Kind, OBJECT_LS_FLAGS, Parsed, flag};
use super::format;
use super::{CliError, Ctx, objects};
use crate::types::{Config, ConfigSpec, Driver};
use base64::Engine;
use std::fmt::Write as _;

const CONFIG_TABLE: &str = "table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}";

pub const CONFIG: Command = Command {
    name: "config",
    aliases: &[],
    usage: "",
    short: "Manage Swarm configs",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "create",
            aliases: &[],
            usage: "[OPTIONS] CONFIG file|-",
            short: "Create a config from a file or STDIN",
            flags: &[
                flag("label", Some('l'), Kind::List, "", "Config labels"),
                flag("template-driver", None, Kind::String, "", "Template driver"),
            ],
            args: Args::Exact(2),
            run: Some(create),
            subs: &[],
        },
        Command {
            name: "inspect",
            aliases: &[],
            usage: "[OPTIONS] CONFIG [CONFIG...]",
            short: "Display detailed information on one or more configs",
            flags: INSPECT_PRETTY_FLAGS,
            args: Args::Min(1),
            run: Some(inspect),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List configs",
            flags: OBJECT_LS_FLAGS,
            args: Args::None,
            run: Some(list),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove"],
            usage: "CONFIG [CONFIG...]",
            short: "Remove one or more configs",
            flags: &[],
            args: Args::Min(1),
            run: Some(remove),
            subs: &[],
        },
    ],
};

/// Go's `%q` for a path: double quotes, backslash escapes.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let (name, file) = (p.args[0].clone(), p.args[1].clone());
    let data = objects::read_data(ctx, &file, "config")
        .map_err(|e| CliError::msg(format!("Error reading content from {}: {e}", quoted(&file))))?;
    let template = p.string("template-driver").unwrap_or("");
    let spec = ConfigSpec {
        name,
        labels: super::flags::kv_map(p.list("label")),
        data: base64::engine::general_purpose::STANDARD.encode(&data),
        driver: None,
        templating: (!template.is_empty()).then(|| Driver { name: template.to_string(), ..Driver::default() }),
    };
    let id = ctx.call(|api| api.config_create(spec))?;
    ctx.println(id);
    Ok(())
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let f = p.filters();
    let configs = ctx.call(|api| api.config_list(&f))?;
    objects::list(ctx, p, configs, CONFIG_TABLE)
}

/// docker/cli `configInspectPrettyTemplate` (its tabs printed as they are).
fn pretty(x: &Config) -> String {
    let mut o = format!("ID:\t\t\t{}\nName:\t\t\t{}\n", x.id, x.spec.name);
    if !x.spec.labels.is_empty() {
        let _ = write!(o, "Labels:\n{}", format::label_lines(&x.spec.labels));
    }
    let data = base64::engine::general_purpose::STANDARD.decode(x.spec.data.as_bytes()).unwrap_or_default();
    let _ = writeln!(o, "Created at:            \t{}", format::pretty(&x.created_at.go_string()));
    let _ = writeln!(o, "Updated at:            \t{}", format::pretty(&x.updated_at.go_string()));
    let _ = write!(o, "Data:\n{}\n", String::from_utf8_lossy(&data));
    o
}

fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    objects::inspect(ctx, p, |api, name| api.config_inspect(name), pretty)
}

fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    objects::remove(ctx, p, |api, name| api.config_remove(name))
}
