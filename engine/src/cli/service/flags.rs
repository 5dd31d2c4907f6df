//! The flags of `docker service create` and `update`, as docker/cli declares them
//! (usage texts include the defaults docker/cli writes into them).

use super::super::flags::{Flag, Kind, flag};

const fn f(long: &'static str, kind: Kind, usage: &'static str) -> Flag {
    flag(long, None, kind, "", usage)
}
const fn fs(long: &'static str, short: char, kind: Kind, usage: &'static str) -> Flag {
    flag(long, Some(short), kind, "", usage)
}

/// Flags `create` and `update` share, with the defaults `create` declares (`update`
/// declares none: docker/cli passes it no defaults, so its help shows none).
const COMMON: [Flag; 47] = [
    f("credential-spec", Kind::CredentialSpec, "Credential spec for managed service account (Windows only)"),
    fs("detach", 'd', Kind::Bool, "Exit immediately instead of waiting for the service to converge"),
    f("entrypoint", Kind::Command, "Overwrite the default ENTRYPOINT of the image"),
    f("health-cmd", Kind::String, "Command to run to check health"),
    f("health-interval", Kind::DurationOpt, "Time between running the check (ms|s|m|h)"),
    f("health-retries", Kind::Int, "Consecutive failures needed to report unhealthy"),
    f(
        "health-start-period",
        Kind::DurationOpt,
        "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)",
    ),
    f("health-timeout", Kind::DurationOpt, "Maximum time to allow one check to run (ms|s|m|h)"),
    f("hostname", Kind::String, "Container hostname"),
    f("init", Kind::Bool, "Use an init inside each service container to forward signals and reap processes"),
    f("isolation", Kind::String, "Service container isolation mode"),
    f("limit-cpu", Kind::Decimal, "Limit CPUs"),
    f("limit-memory", Kind::Bytes, "Limit Memory"),
    f("limit-pids", Kind::Int64, "Limit maximum number of processes (default 0 = unlimited)"),
    f("log-driver", Kind::String, "Logging driver for service"),
    f("log-opt", Kind::List, "Logging driver options"),
    f("max-concurrent", Kind::UintOpt, "Number of job tasks to run concurrently (default equal to --replicas)"),
    f("no-healthcheck", Kind::Bool, "Disable any container-specified HEALTHCHECK"),
    f("no-resolve-image", Kind::Bool, "Do not query the registry to resolve image digest and supported platforms"),
    fs("quiet", 'q', Kind::Bool, "Suppress progress output"),
    f("read-only", Kind::Bool, "Mount the container's root filesystem as read only"),
    f("replicas", Kind::UintOpt, "Number of tasks"),
    f("replicas-max-per-node", Kind::Uint64, "Maximum number of tasks per node (default 0 = unlimited)"),
    f("reserve-cpu", Kind::Decimal, "Reserve CPUs"),
    f("reserve-memory", Kind::Bytes, "Reserve Memory"),
    flag(
        "restart-condition",
        None,
        Kind::String,
        "any",
        "Restart when condition is met (\"none\", \"on-failure\", \"any\")",
    ),
    flag("restart-delay", None, Kind::DurationOpt, "5s", "Delay between restart attempts (ns|us|ms|s|m|h)"),
    f("restart-max-attempts", Kind::UintOpt, "Maximum number of restarts before giving up"),
    f("restart-window", Kind::DurationOpt, "Window used to evaluate the restart policy (ns|us|ms|s|m|h)"),
    flag("rollback-delay", None, Kind::Duration, "0s", "Delay between task rollbacks (ns|us|ms|s|m|h)"),
    flag(
        "rollback-failure-action",
        None,
        Kind::String,
        "pause",
        "Action on rollback failure (\"pause\", \"continue\")",
    ),
    flag("rollback-max-failure-ratio", None, Kind::Float, "0", "Failure rate to tolerate during a rollback"),
    flag(
        "rollback-monitor",
        None,
        Kind::Duration,
        "5s",
        "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h)",
    ),
    flag("rollback-order", None, Kind::String, "stop-first", "Rollback order (\"start-first\", \"stop-first\")"),
    flag(
        "rollback-parallelism",
        None,
        Kind::Uint64,
        "1",
        "Maximum number of tasks rolled back simultaneously (0 to roll back all at once)",
    ),
    flag(
        "stop-grace-period",
        None,
        Kind::DurationOpt,
        "10s",
        "Time to wait before force killing a container (ns|us|ms|s|m|h)",
    ),
    f("stop-signal", Kind::String, "Signal to stop the container"),
    fs("tty", 't', Kind::Bool, "Allocate a pseudo-TTY"),
    flag("update-delay", None, Kind::Duration, "0s", "Delay between updates (ns|us|ms|s|m|h)"),
    flag(
        "update-failure-action",
        None,
        Kind::String,
        "pause",
        "Action on update failure (\"pause\", \"continue\", \"rollback\")",
    ),
    flag("update-max-failure-ratio", None, Kind::Float, "0", "Failure rate to tolerate during an update"),
    flag(
        "update-monitor",
        None,
        Kind::Duration,
        "5s",
        "Duration after each task update to monitor for failure (ns|us|ms|s|m|h)",
    ),
    flag("update-order", None, Kind::String, "stop-first", "Update order (\"start-first\", \"stop-first\")"),
    flag(
        "update-parallelism",
        None,
        Kind::Uint64,
        "1",
        "Maximum number of tasks updated simultaneously (0 to update all at once)",
    ),
    fs("user", 'u', Kind::String, "Username or UID (format: <name|uid>[:<group|gid>])"),
    f("with-registry-auth", Kind::Bool, "Send registry authentication details to swarm agents"),
    fs("workdir", 'w', Kind::String, "Working directory inside the container"),
];

const fn join<const A: usize, const B: usize, const C: usize>(a: [Flag; A], b: [Flag; B]) -> [Flag; C] {
    let mut out = [flag("", None, Kind::Bool, "", ""); C];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[A + j] = b[j];
        j += 1;
    }
    out
}

const CREATE_ONLY: [Flag; 24] = [
    f("cap-add", Kind::List, "Add Linux capabilities"),
    f("cap-drop", Kind::List, "Drop Linux capabilities"),
    f("config", Kind::Config, "Specify configurations to expose to the service"),
    f("constraint", Kind::List, "Placement constraints"),
    f("container-label", Kind::List, "Container labels"),
    f("dns", Kind::List, "Set custom DNS servers"),
    f("dns-option", Kind::List, "Set DNS options"),
    f("dns-search", Kind::List, "Set custom DNS search domains"),
    flag("endpoint-mode", None, Kind::String, "vip", "Endpoint mode (vip or dnsrr)"),
    fs("env", 'e', Kind::List, "Set environment variables"),
    f("env-file", Kind::List, "Read in a file of environment variables"),
    f("generic-resource", Kind::List, "User defined resources"),
    f("group", Kind::List, "Set one or more supplementary user groups for the container"),
    f("host", Kind::List, "Set one or more custom host-to-IP mappings (host:ip)"),
    fs("label", 'l', Kind::List, "Service labels"),
    flag(
        "mode",
        None,
        Kind::String,
        "replicated",
        "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\")",
    ),
    f("mount", Kind::Mount, "Attach a filesystem mount to the service"),
    f("name", Kind::String, "Service name"),
    f("network", Kind::Network, "Network attachments"),
    f("placement-pref", Kind::Pref, "Add a placement preference"),
    fs("publish", 'p', Kind::Port, "Publish a port as a node port"),
    f("secret", Kind::Secret, "Specify secrets to expose to the service"),
    f("sysctl", Kind::List, "Sysctl options"),
    flag("ulimit", None, Kind::Ulimit, "[]", "Ulimit options"),
];

const UPDATE_ONLY: [Flag; 43] = [
    f("args", Kind::Command, "Service command args"),
    f("cap-add", Kind::List, "Add Linux capabilities"),
    f("cap-drop", Kind::List, "Drop Linux capabilities"),
    f("config-add", Kind::Config, "Add or update a config file on a service"),
    f("config-rm", Kind::List, "Remove a configuration file"),
    f("constraint-add", Kind::List, "Add or update a placement constraint"),
    f("constraint-rm", Kind::List, "Remove a constraint"),
    f("container-label-add", Kind::List, "Add or update a container label"),
    f("container-label-rm", Kind::List, "Remove a container label by its key"),
    f("dns-add", Kind::List, "Add or update a custom DNS server"),
    f("dns-option-add", Kind::List, "Add or update a DNS option"),
    f("dns-option-rm", Kind::List, "Remove a DNS option"),
    f("dns-rm", Kind::List, "Remove a custom DNS server"),
    f("dns-search-add", Kind::List, "Add or update a custom DNS search domain"),
    f("dns-search-rm", Kind::List, "Remove a DNS search domain"),
    f("endpoint-mode", Kind::String, "Endpoint mode (vip or dnsrr)"),
    f("env-add", Kind::List, "Add or update an environment variable"),
    f("env-rm", Kind::List, "Remove an environment variable"),
    f("force", Kind::Bool, "Force update even if no changes require it"),
    f("generic-resource-add", Kind::List, "Add a Generic resource"),
    f("generic-resource-rm", Kind::List, "Remove a Generic resource"),
    f("group-add", Kind::List, "Add an additional supplementary user group to the container"),
    f("group-rm", Kind::List, "Remove a previously added supplementary user group from the container"),
    f("host-add", Kind::List, "Add a custom host-to-IP mapping (\"host:ip\")"),
    f("host-rm", Kind::List, "Remove a custom host-to-IP mapping (\"host:ip\")"),
    f("image", Kind::String, "Service image tag"),
    f("label-add", Kind::List, "Add or update a service label"),
    f("label-rm", Kind::List, "Remove a label by its key"),
    f("mount-add", Kind::Mount, "Add or update a mount on a service"),
    f("mount-rm", Kind::List, "Remove a mount by its target path"),
    f("network-add", Kind::Network, "Add a network"),
    f("network-rm", Kind::List, "Remove a network"),
    f("placement-pref-add", Kind::Pref, "Add a placement preference"),
    f("placement-pref-rm", Kind::Pref, "Remove a placement preference"),
    f("publish-add", Kind::Port, "Add or update a published port"),
    f("publish-rm", Kind::Port, "Remove a published port by its target port"),
    f("rollback", Kind::Bool, "Rollback to previous specification"),
    f("secret-add", Kind::Secret, "Add or update a secret on a service"),
    f("secret-rm", Kind::List, "Remove a secret"),
    f("sysctl-add", Kind::List, "Add or update a Sysctl option"),
    f("sysctl-rm", Kind::List, "Remove a Sysctl option"),
    f("ulimit-add", Kind::Ulimit, "Add or update a ulimit option (default [])"),
    f("ulimit-rm", Kind::List, "Remove a ulimit option"),
];

/// `flags` as `update` declares them: without defaults.
const fn without_defaults<const N: usize>(mut flags: [Flag; N]) -> [Flag; N] {
    let mut i = 0;
    while i < N {
        flags[i].default = "";
        i += 1;
    }
    flags
}

const CREATE_ALL: [Flag; 71] = join(COMMON, CREATE_ONLY);
const UPDATE_ALL: [Flag; 90] = join(without_defaults(COMMON), UPDATE_ONLY);

pub const CREATE: &[Flag] = &CREATE_ALL;
pub const UPDATE: &[Flag] = &UPDATE_ALL;
