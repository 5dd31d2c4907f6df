//! `docker secret …` (docker/cli cli/command/secret).

use super::command::{Args, Command};
use super::flags::{INSPECT_PRETTY_FLAGS, Kind, OBJECT_LS_FLAGS, Parsed, flag};
use super::format;
use super::{CliError, Ctx, objects};
use crate::types::{Driver, Secret, SecretSpec};
use base64::Engine;
use std::fmt::Write as _;

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
            flags: INSPECT_PRETTY_FLAGS,
            args: Args::Min(1),
            run: Some(inspect),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List secrets",
            flags: OBJECT_LS_FLAGS,
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

fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let name = p.args[0].clone();
    let file = p.args.get(1).cloned().unwrap_or_default();
    let driver = p.string("driver").unwrap_or("").to_string();
    let data = if driver.is_empty() {
        objects::read_data(ctx, &file, "secret").map_err(CliError::msg)?
    } else if !file.is_empty() {
        return Err(CliError::msg("When using secret driver secret data must be empty"));
    } else {
        Vec::new()
    };
    let named = |n: &str| (!n.is_empty()).then(|| Driver { name: n.to_string(), ..Driver::default() });
    let spec = SecretSpec {
        name,
        labels: super::flags::kv_map(p.list("label")),
        data: base64::engine::general_purpose::STANDARD.encode(&data),
        driver: named(&driver),
        templating: named(p.string("template-driver").unwrap_or("")),
    };
    let id = ctx.call(|api| api.secret_create(spec))?;
    ctx.println(id);
    Ok(())
}

fn list(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    let f = p.filters();
    let secrets = ctx.call(|api| api.secret_list(&f))?;
    objects::list(ctx, p, secrets, SECRET_TABLE)
}

/// docker/cli `secretInspectPrettyTemplate`.
fn pretty(x: &Secret) -> String {
    let mut o = format!("ID:              {}\nName:              {}\n", x.id, x.spec.name);
    if !x.spec.labels.is_empty() {
        let _ = write!(o, "Labels:\n{}", format::label_lines(&x.spec.labels));
    }
    let _ = writeln!(o, "Driver:            {}", x.spec.driver.as_ref().map_or("", |d| d.name.as_str()));
    let _ = writeln!(o, "Created at:        {}", format::pretty(&x.created_at.go_string()));
    let _ = writeln!(o, "Updated at:        {}", format::pretty(&x.updated_at.go_string()));
    o
}

fn inspect(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    objects::inspect(ctx, p, |api, name| api.secret_inspect(name), pretty)
}

fn remove(ctx: &mut Ctx, p: &Parsed) -> Result<(), CliError> {
    objects::remove(ctx, p, |api, name| api.secret_remove(name))
}
