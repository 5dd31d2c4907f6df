//! The root command's help, and what `docker <unknown>` says.

use super::CliError;
use super::flags::{Kind, flag, usages};

/// The command list of `docker --help` (Docker 28.2.2), verbatim.
const ROOT_COMMANDS: &str = include_str!("root_commands.txt");

const GLOBAL_FLAGS: &[super::flags::Flag] = &[
    flag("config", None, Kind::String, "/root/.docker", "Location of client config files"),
    flag(
        "context",
        Some('c'),
        Kind::String,
        "",
        "Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with \"docker context use\")",
    ),
    flag("debug", Some('D'), Kind::Bool, "", "Enable debug mode"),
    flag("host", Some('H'), Kind::List, "", "Daemon socket to connect to"),
    flag(
        "log-level",
        Some('l'),
        Kind::String,
        "info",
        "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")",
    ),
    flag("tls", None, Kind::Bool, "", "Use TLS; implied by --tlsverify"),
    flag("tlscacert", None, Kind::String, "/root/.docker/ca.pem", "Trust certs signed only by this CA"),
    flag("tlscert", None, Kind::String, "/root/.docker/cert.pem", "Path to TLS certificate file"),
    flag("tlskey", None, Kind::String, "/root/.docker/key.pem", "Path to TLS key file"),
    flag("tlsverify", None, Kind::Bool, "", "Use TLS and verify the remote"),
    flag("version", Some('v'), Kind::Bool, "", "Print version information and quit"),
];

/// Docker's global options, for completing `docker -…`.
pub(super) fn global_flags() -> &'static [super::flags::Flag] {
    GLOBAL_FLAGS
}

/// The global option `word` (`-H`, `--host`, `--log-level=…`) names.
pub(super) fn global_flag(word: &str) -> Option<&'static super::flags::Flag> {
    let name = word.trim_start_matches('-');
    let name = name.split_once('=').map_or(name, |(n, _)| n);
    GLOBAL_FLAGS.iter().find(|f| f.long == name || (name.len() == 1 && f.short == name.chars().next()))
}

pub fn root(cols: usize) -> String {
    format!(
        "Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\n{ROOT_COMMANDS}\nGlobal Options:\n{}\n\nRun 'docker COMMAND --help' for more information on a command.\n\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n",
        usages(GLOBAL_FLAGS, cols.saturating_sub(1)).trim_end()
    )
}

/// Docker commands that exist but that this lab does not simulate (it runs a swarm,
/// not standalone containers or images).
const NOT_SIMULATED: &[&str] = &[
    "attach",
    "build",
    "builder",
    "commit",
    "compose",
    "container",
    "context",
    "cp",
    "create",
    "diff",
    "events",
    "exec",
    "export",
    "history",
    "image",
    "images",
    "import",
    "inspect",
    "kill",
    "load",
    "login",
    "logout",
    "logs",
    "manifest",
    "network",
    "pause",
    "plugin",
    "port",
    "ps",
    "pull",
    "push",
    "rename",
    "restart",
    "rm",
    "rmi",
    "run",
    "save",
    "search",
    "start",
    "stats",
    "stop",
    "system",
    "tag",
    "top",
    "trust",
    "unpause",
    "update",
    "volume",
    "wait",
    "config",
    "secret",
    "service",
    "stack",
];

pub fn unknown_top_level(name: &str) -> CliError {
    if NOT_SIMULATED.contains(&name) {
        return CliError::msg(format!(
            "swarmlab: 'docker {name}' is not available in this lab yet; it simulates Docker Swarm (swarm, node, service, ps, logs, inspect, info, version)."
        ));
    }
    CliError::msg(format!("docker: unknown command: docker {name}\n\nRun 'docker --help' for more information"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_help_matches_docker_28() {
        let real = include_str!("../../tests/fixtures/docker-help.txt");
        assert_eq!(super::root(80), real);
    }
}
