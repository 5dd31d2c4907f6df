//! `docker service …` (docker/cli cli/command/service).

mod change;
mod flags;
pub mod parse;
pub mod progress;
pub(crate) mod refs;
pub mod show;
mod spec;

use super::command::{Args, Command};
use super::flags::{INSPECT_PRETTY_FLAGS, Kind, OBJECT_LS_FLAGS, flag};

const DETACH: super::flags::Flag =
    flag("detach", Some('d'), Kind::Bool, "", "Exit immediately instead of waiting for the service to converge");

pub const SERVICE: Command = Command {
    name: "service",
    aliases: &[],
    usage: "",
    short: "Manage Swarm services",
    flags: &[],
    args: Args::None,
    run: None,
    subs: &[
        Command {
            name: "create",
            aliases: &[],
            usage: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
            short: "Create a new service",
            flags: flags::CREATE,
            args: Args::Min(1),
            run: Some(change::create),
            subs: &[],
        },
        Command {
            name: "inspect",
            aliases: &[],
            usage: "[OPTIONS] SERVICE [SERVICE...]",
            short: "Display detailed information on one or more services",
            flags: INSPECT_PRETTY_FLAGS,
            args: Args::Min(1),
            run: Some(show::inspect),
            subs: &[],
        },
        Command {
            name: "logs",
            aliases: &[],
            usage: "[OPTIONS] SERVICE|TASK",
            short: "Fetch the logs of a service or task",
            flags: &[
                flag("details", None, Kind::Bool, "", "Show extra details provided to logs"),
                flag("follow", Some('f'), Kind::Bool, "", "Follow log output"),
                flag("no-resolve", None, Kind::Bool, "", "Do not map IDs to Names in output"),
                flag("no-task-ids", None, Kind::Bool, "", "Do not include task IDs in output"),
                flag("no-trunc", None, Kind::Bool, "", "Do not truncate output"),
                flag("raw", None, Kind::Bool, "", "Do not neatly format logs"),
                flag(
                    "since",
                    None,
                    Kind::String,
                    "",
                    "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)",
                ),
                flag("tail", Some('n'), Kind::String, "all", "Number of lines to show from the end of the logs"),
                flag("timestamps", Some('t'), Kind::Bool, "", "Show timestamps"),
            ],
            args: Args::Exact(1),
            run: Some(show::logs),
            subs: &[],
        },
        Command {
            name: "ls",
            aliases: &["list"],
            usage: "[OPTIONS]",
            short: "List services",
            flags: OBJECT_LS_FLAGS,
            args: Args::None,
            run: Some(show::list),
            subs: &[],
        },
        Command {
            name: "ps",
            aliases: &[],
            usage: "[OPTIONS] SERVICE [SERVICE...]",
            short: "List the tasks of one or more services",
            flags: &[
                flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
                flag("format", None, Kind::String, "", "Pretty-print tasks using a Go template"),
                flag("no-resolve", None, Kind::Bool, "", "Do not map IDs to Names"),
                flag("no-trunc", None, Kind::Bool, "", "Do not truncate output"),
                flag("quiet", Some('q'), Kind::Bool, "", "Only display task IDs"),
            ],
            args: Args::Min(1),
            run: Some(show::ps),
            subs: &[],
        },
        Command {
            name: "rm",
            aliases: &["remove"],
            usage: "SERVICE [SERVICE...]",
            short: "Remove one or more services",
            flags: &[],
            args: Args::Min(1),
            run: Some(change::remove),
            subs: &[],
        },
        Command {
            name: "rollback",
            aliases: &[],
            usage: "[OPTIONS] SERVICE",
            short: "Revert changes to a service's configuration",
            flags: &[DETACH, flag("quiet", Some('q'), Kind::Bool, "", "Suppress progress output")],
            args: Args::Exact(1),
            run: Some(change::rollback),
            subs: &[],
        },
        Command {
            name: "scale",
            aliases: &[],
            usage: "SERVICE=REPLICAS [SERVICE=REPLICAS...]",
            short: "Scale one or multiple replicated services",
            flags: &[DETACH],
            args: Args::Scale,
            run: Some(change::scale),
            subs: &[],
        },
        Command {
            name: "update",
            aliases: &[],
            usage: "[OPTIONS] SERVICE",
            short: "Update a service",
            flags: flags::UPDATE,
            args: Args::Exact(1),
            run: Some(change::update),
            subs: &[],
        },
    ],
};

/// moby's client adds `:latest` to an image without tag or digest before it sends a
/// spec (`imageWithTagString` in client/service_create.go and service_update.go).
pub fn tagged(mut spec: crate::types::ServiceSpec) -> crate::types::ServiceSpec {
    if let Some(c) = spec.task_template.container_spec.as_mut() {
        let image = &c.image;
        let last = image.rsplit('/').next().unwrap_or(image);
        let valid = !image.is_empty() && !image.chars().any(|ch| ch.is_whitespace() || ch.is_ascii_uppercase());
        if valid && !image.contains('@') && !last.contains(':') {
            c.image = format!("{image}:latest");
        }
    }
    spec
}
