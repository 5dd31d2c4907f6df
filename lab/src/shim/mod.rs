//! The commands a pane's shell finds first on its PATH: `docker` (swarmlab's own
//! docker command line, over HTTP to the node's socket) and `hostname` (the virtual
//! node's name and address). The swarmlab binary becomes them by its argv[0].

pub mod http;
pub mod remote;

use http::UnixTransport;
use remote::RemoteApi;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use swarmlab_engine::cli::{self, Env};

/// Environment variables a pane sets for its shims.
pub const ENV_RUNTIME: &str = "SWARMLAB_RUNTIME";
pub const ENV_HOSTNAME: &str = "SWARMLAB_HOSTNAME";
pub const ENV_ADDR: &str = "SWARMLAB_ADDR";

/// `word` as one shell word: as it is when it is plain, else single-quoted.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-{}".contains(c);
    if !word.is_empty() && word.chars().all(plain) { word.to_string() } else { crate::term::shell::quote(word) }
}

/// `docker <args…>` against the daemon DOCKER_HOST (or `-H`) names.
pub fn docker(args: &[String]) -> ExitCode {
    let (host, argv) = cli::take_host(args);
    // The shell's completion passes the line typed so far: a `-H` in it names the
    // daemon to ask for names, as it would for the command itself.
    let completing = argv.first().is_some_and(|a| a.starts_with("__complete"));
    let (host, argv) = match argv.split_first() {
        Some((complete, line)) if completing => {
            let (typed_host, rest) = cli::take_host(line);
            (typed_host.or(host), std::iter::once(complete.clone()).chain(rest).collect())
        }
        _ => (host, argv),
    };
    let host = host.or_else(|| std::env::var("DOCKER_HOST").ok()).unwrap_or("unix:///var/run/docker.sock".into());
    let Some(path) = socket_for(&host) else {
        return print(cli::cannot_connect(&host));
    };
    let mut transport = UnixTransport::new(path);
    if transport.connect().is_err() && !is_local_only(&argv) {
        return print(cli::cannot_connect(&host));
    }
    if std::env::var_os(ENV_HOSTNAME).is_some() && !completing {
        // Tell the lab what the learner ran, for lesson checks ("ran docker node ls").
        // Quoted as a shell would need it, so that the check reads back the same words.
        let command = std::iter::once("docker".to_string())
            .chain(args.iter().map(|a| shell_word(a)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = remote::Transport::send(
            &mut transport,
            crate::wire::Req::new("POST", "/swarmlab/history").json(&[command]),
        );
    }
    let width =
        std::io::stdout().is_terminal().then(|| crossterm::terminal::size().map(|(w, _)| usize::from(w)).unwrap_or(80));
    let cwd = crate::headless::files::working_dir();
    let env = Env {
        width,
        progress_limit: None,
        read: Some(&crate::headless::files::read_with_stdin),
        var: Some(&env_var),
        cwd: cwd.as_deref(),
    };
    let mut api = RemoteApi::new(transport);
    let mut stdout = std::io::stdout();
    let mut live = |s: &str| {
        let _ = stdout.write_all(s.as_bytes());
        let _ = stdout.flush();
    };
    let out = cli::run_live(&argv, &mut api, env, &mut live);
    print(out)
}

/// Help and `--version` print without a daemon, as docker's do.
fn is_local_only(argv: &[String]) -> bool {
    argv.is_empty() || argv.iter().any(|a| matches!(a.as_str(), "--help" | "-h" | "--version" | "-v" | "help"))
}

/// The socket behind a docker host: `unix://PATH`, or a node of this lab named by its
/// hostname or address in the lab's block (`tcp://127.10.0.12:2375`, `node2`).
pub fn socket_for(host: &str) -> Option<PathBuf> {
    if let Some(path) = host.strip_prefix("unix://") {
        return Some(PathBuf::from(path));
    }
    let runtime = PathBuf::from(std::env::var_os(ENV_RUNTIME)?);
    socket_in(&runtime, crate::block::from_env(), host)
}

/// A lab node's socket in `runtime`, by name or by address in `block`.
fn socket_in(runtime: &std::path::Path, block: swarmlab_engine::sim::Block, host: &str) -> Option<PathBuf> {
    let bare = host.strip_prefix("tcp://").unwrap_or(host);
    let name = bare.rsplit_once(':').map_or(bare, |(h, _)| h);
    if let Ok(ip) = name.parse::<std::net::Ipv4Addr>() {
        let n = block.node_of(ip, 1000)?;
        return Some(runtime.join(format!("node{n}.sock")));
    }
    Some(runtime.join(format!("{name}.sock")))
}

fn print(out: cli::Output) -> ExitCode {
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(u8::try_from(out.code).unwrap_or(1))
}

/// `lab …` in a pane: sent to the lab through the node's socket.
pub fn lab(args: &[String]) -> ExitCode {
    let host = std::env::var("DOCKER_HOST").unwrap_or_default();
    let Some(path) = socket_for(&host) else {
        eprintln!("lab: this shell is not in a swarmlab pane (DOCKER_HOST is {host:?})");
        return ExitCode::from(2);
    };
    let mut transport = UnixTransport::new(path);
    let req = crate::wire::Req::new("POST", "/swarmlab/lab").json(&args);
    use remote::Transport;
    let reply = match transport.send(req) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lab: the lab does not answer: {}", e.message);
            return ExitCode::from(1);
        }
    };
    let v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    print!("{}", v["stdout"].as_str().unwrap_or_default());
    eprint!("{}", v["stderr"].as_str().unwrap_or_default());
    ExitCode::from(u8::try_from(v["code"].as_u64().unwrap_or(1)).unwrap_or(1))
}

/// `hostname [-i|-s|-f]`: the virtual node's name, or with `-i` its address.
pub fn hostname(args: &[String]) -> ExitCode {
    let name = std::env::var(ENV_HOSTNAME).unwrap_or_else(|_| "localhost".into());
    let addr = std::env::var(ENV_ADDR).unwrap_or_else(|_| "127.0.0.1".into());
    match args.first().map(String::as_str) {
        None | Some("-s" | "--short" | "-f" | "--fqdn" | "--long") => println!("{name}"),
        Some("-i" | "--ip-address" | "-I" | "--all-ip-addresses") => println!("{addr}"),
        Some(other) => {
            eprintln!("hostname: you must be root to change the host name ({other})");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The pane's environment, for `${VAR}` in compose files.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod shell_word_tests {
    #[test]
    fn recorded_commands_split_back_into_the_same_words() {
        let args = ["node", "ls", "--format", "{{.ID}} {{.Status}}", "it's", "", "$HOME"];
        let line: Vec<String> = args.iter().map(|a| super::shell_word(a)).collect();
        let lookup = |_: &str| Some("X".to_string());
        let mut sub = |_: &str| Ok(String::new());
        let back = crate::headless::words::split(&line.join(" "), &lookup, &mut sub).unwrap();
        assert_eq!(back, args);
    }
}

#[cfg(test)]
mod socket_tests {
    use super::socket_in;
    use std::path::Path;
    use swarmlab_engine::sim::Block;

    #[test]
    fn a_host_names_a_node_by_name_or_by_its_address_in_the_labs_block() {
        let run = Path::new("/run/lab");
        let block = Block::loopback(11);
        let sock = |h| socket_in(run, block, h);
        assert_eq!(sock("node2"), Some(run.join("node2.sock")));
        assert_eq!(sock("tcp://127.11.0.12:2375"), Some(run.join("node2.sock")));
        assert_eq!(sock("127.11.0.13"), Some(run.join("node3.sock")));
        assert_eq!(sock("127.10.0.12"), None, "another lab's address is not this lab's node");
    }
}
