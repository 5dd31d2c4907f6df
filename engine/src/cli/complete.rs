//! `docker __complete ARG… CURRENT`: what the shell's completion asks the docker
//! command line (cobra's hidden command, which docker 28's bash, zsh and fish scripts
//! call). One candidate per line, `word<TAB>description`, then `:DIRECTIVE`; stderr
//! names the directive. Subcommands and flags come from the command tree; node,
//! service, network, secret, config and stack names from the daemon, as docker's own
//! completion functions ask it (cli/command/*/completion.go).

use super::command::Command;
use super::flags::{Flag, Kind};
use super::{Output, ROOT, global_flag_arity, help};
use crate::api::{Api, Filters};
use std::fmt::Write as _;

/// cobra's ShellCompDirective bits.
const ERROR: u8 = 1;
const NO_SPACE: u8 = 2;
const NO_FILE: u8 = 4;

/// `argv` is what follows `__complete` (or `__completeNoDesc`): the words typed so far,
/// the last being the one to complete.
pub fn complete(argv: &[String], api: &mut dyn Api, descriptions: bool) -> Output {
    let Some((current, typed)) = argv.split_last() else {
        return Output { stderr: "requires at least 1 arg(s), only received 0\n".into(), code: 1, ..Output::default() };
    };
    let (candidates, directive) = candidates(typed, current, api);
    let mut stdout = String::new();
    for (word, description) in candidates {
        stdout.push_str(&word);
        if descriptions && !description.is_empty() {
            stdout.push('\t');
            stdout.push_str(&description);
        }
        stdout.push('\n');
    }
    let _ = writeln!(stdout, ":{directive}");
    let stderr = format!("Completion ended with directive: {}\n", directive_name(directive));
    Output { stdout, stderr, code: 0, ..Output::default() }
}

type Candidates = Vec<(String, String)>;

fn candidates(typed: &[String], current: &str, api: &mut dyn Api) -> (Candidates, u8) {
    let mut cmd: &Command = &ROOT;
    let mut path = String::new();
    let mut set: Vec<&'static str> = Vec::new();
    let mut args = 0;
    let mut i = 0;
    // The word before `current` wants a value: the flag it belongs to.
    let mut wants_value: Option<&'static Flag> = None;
    while i < typed.len() {
        let word = typed[i].as_str();
        i += 1;
        if word.starts_with('-') && word != "-" {
            let global = std::ptr::eq(cmd, &ROOT) || word == "-H" || word == "--host";
            if global && let Some(n) = global_flag_arity(word) {
                if n == 1 && i >= typed.len() {
                    wants_value = help::global_flag(word);
                }
                i += n;
                continue;
            }
            let Some(flag) = find_flag(cmd.flags, word) else { continue };
            set.push(flag.long);
            if flag.kind != Kind::Bool && !word.contains('=') {
                if i >= typed.len() {
                    wants_value = Some(flag);
                }
                i += 1;
            }
            continue;
        }
        match cmd.find(word).filter(|_| args == 0) {
            Some(sub) => {
                cmd = sub;
                path = if path.is_empty() { sub.name.to_string() } else { format!("{path} {}", sub.name) };
            }
            None => args += 1,
        }
    }
    if let Some(flag) = wants_value {
        return (flag_values(&path, flag.long).iter().map(|v| (v.to_string(), String::new())).collect(), NO_FILE);
    }
    if current.starts_with('-') {
        let flags = if path.is_empty() { help::global_flags() } else { cmd.flags };
        return (flag_candidates(flags, &set, current), NO_FILE);
    }
    if !cmd.subs.is_empty() && args == 0 {
        let mut subs: Vec<&Command> = cmd.subs.iter().filter(|c| c.name.starts_with(current)).collect();
        subs.sort_by_key(|c| c.name);
        return (subs.iter().map(|c| (c.name.to_string(), c.short.to_string())).collect(), NO_FILE);
    }
    arguments(&path, api)
}

/// A flag as typed: `--name`, `--name=value`, `-n`, or `-n` among bundled short flags.
fn find_flag(flags: &'static [Flag], word: &str) -> Option<&'static Flag> {
    if let Some(long) = word.strip_prefix("--") {
        let long = long.split_once('=').map_or(long, |(n, _)| n);
        return flags.iter().find(|f| f.long == long);
    }
    let short = word.strip_prefix('-')?.chars().last()?;
    flags.iter().find(|f| f.short == Some(short))
}

/// Flags not given yet (repeatable ones always), sorted by name as pflag lists them,
/// the long form then the short one, with the first line of their usage.
fn flag_candidates(flags: &[Flag], set: &[&str], current: &str) -> Candidates {
    let mut sorted: Vec<&Flag> =
        flags.iter().filter(|f| !set.contains(&f.long) || matches!(f.kind, Kind::List | Kind::Filter)).collect();
    sorted.sort_by_key(|f| f.long);
    let mut out = Vec::new();
    for f in sorted {
        let usage = f.usage.lines().next().unwrap_or_default().to_string();
        let long = format!("--{}", f.long);
        if long.starts_with(current) {
            out.push((long, usage.clone()));
        }
        if let Some(s) = f.short.map(|s| format!("-{s}")).filter(|s| s.starts_with(current)) {
            out.push((s, usage));
        }
    }
    out
}

/// The values docker offers for a flag (`completion.FromList`).
fn flag_values(path: &str, flag: &str) -> &'static [&'static str] {
    match (path, flag) {
        ("node update", "role") => &["worker", "manager"],
        ("node update", "availability") => &["active", "pause", "drain"],
        ("service create", "mode") => &["replicated", "global", "replicated-job", "global-job"],
        ("service create" | "service update", "restart-condition") => &["none", "on-failure", "any"],
        ("service create" | "service update", "rollback-order" | "update-order") => &["start-first", "stop-first"],
        ("service create" | "service update", "rollback-failure-action") => &["pause", "continue"],
        ("service create" | "service update", "update-failure-action") => &["pause", "continue", "rollback"],
        _ => &[],
    }
}

/// A command's arguments: names from the daemon where docker completes them, nothing
/// (and no file names) where it says so, else the shell's default.
fn arguments(path: &str, api: &mut dyn Api) -> (Candidates, u8) {
    let none = Filters::default();
    let names: Result<Vec<String>, _> = match path {
        "node demote" | "node inspect" | "node promote" | "node ps" | "node rm" | "node update" => {
            api.node_list(&none).map(|nodes| {
                let mut names: Vec<String> = nodes.into_iter().map(|n| n.description.hostname).collect();
                // Nodes allow "self" as magic word for the current node.
                names.push("self".into());
                names
            })
        }
        "service inspect" | "service logs" | "service ps" | "service rm" | "service rollback" | "service update"
        | "service scale" => api.service_list(&none, false).map(|s| s.into_iter().map(|s| s.spec.name).collect()),
        "network inspect" | "network rm" => api.network_list(&none).map(|n| n.into_iter().map(|n| n.name).collect()),
        "secret inspect" | "secret ls" | "secret rm" => {
            api.secret_list(&none).map(|s| s.into_iter().map(|s| s.spec.name).collect())
        }
        "config inspect" | "config rm" => api.config_list(&none).map(|c| c.into_iter().map(|c| c.spec.name).collect()),
        "stack deploy" | "stack ps" | "stack rm" | "stack services" => api.service_list(&none, false).map(|s| {
            let mut stacks: Vec<String> =
                s.into_iter().filter_map(|s| s.spec.labels.get("com.docker.stack.namespace").cloned()).collect();
            stacks.sort();
            stacks.dedup();
            stacks
        }),
        "config create" | "config ls" | "network create" | "network ls" | "node ls" | "service create"
        | "service ls" | "stack config" | "stack ls" | "swarm ca" | "swarm init" | "swarm leave" | "swarm unlock"
        | "swarm unlock-key" | "swarm update" | "info" | "version" | "ps" | "inspect" => return (Vec::new(), NO_FILE),
        _ => return (Vec::new(), 0),
    };
    match names {
        Err(_) => (Vec::new(), ERROR),
        Ok(names) if path == "service scale" => {
            (names.into_iter().map(|n| (format!("{n}="), String::new())).collect(), NO_SPACE | NO_FILE)
        }
        Ok(names) => (names.into_iter().map(|n| (n, String::new())).collect(), NO_FILE),
    }
}

fn directive_name(d: u8) -> String {
    if d == 0 {
        return "ShellCompDirectiveDefault".into();
    }
    let names = [(ERROR, "Error"), (NO_SPACE, "NoSpace"), (NO_FILE, "NoFileComp")];
    let parts: Vec<String> =
        names.iter().filter(|(bit, _)| d & bit != 0).map(|(_, n)| format!("ShellCompDirective{n}")).collect();
    parts.join(", ")
}
