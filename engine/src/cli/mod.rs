//! The docker command line: argv in, Docker's exact output out. It reaches the daemon
//! only through [`Api`], so it prints the same against the embedded engine, a node's
//! socket or a real Docker daemon.

mod command;
mod complete;
mod config;
mod container;
pub mod flags;
pub mod format;
mod help;
mod network;
mod node;
mod objects;
mod prompt;
mod secret;
pub mod service;
mod stack;
mod swarm;
mod system;

use crate::api::{Api, ApiError};
use command::{Command, Resolved};
use std::time::Duration;

/// What a docker invocation printed and how it exited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    /// Time the real command would have spent waiting on the daemon.
    pub delay: Duration,
}

/// The terminal the command runs in, and what the client's machine offers it: the
/// engine does no I/O, so callers that have a file system and an environment lend
/// them here.
#[derive(Clone, Copy, Default)]
pub struct Env<'a> {
    /// Columns, when stdout is a terminal; None when piped (help then wraps at 80).
    pub width: Option<usize>,
    /// How long progress output may wait for a service before giving up as if
    /// interrupted (Ctrl-C); None waits as long as it takes, as docker does.
    pub progress_limit: Option<std::time::Duration>,
    /// Reads a file the command names as given (relative to the client's working
    /// directory; `-` for standard input), with Go's error text (`open x: no such
    /// file or directory`).
    pub read: Option<ReadFile<'a>>,
    /// The client's environment variables, for `${VAR}` in compose files; None has
    /// none set.
    pub var: Option<LookupVar<'a>>,
    /// The client's working directory, which relative paths in compose files start
    /// from; None leaves them relative.
    pub cwd: Option<&'a str>,
}

/// How a command reads a file it names: its bytes, or Go's error text.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, String>;

/// How a command looks up one of the client's environment variables.
pub type LookupVar<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How a command fails: printed on stderr, with docker's exit code.
#[derive(Debug)]
pub enum CliError {
    Status { code: i32, message: String },
    Api(ApiError),
}

impl CliError {
    pub fn status(code: i32, message: impl Into<String>) -> Self {
        CliError::Status { code, message: message.into() }
    }
    pub fn msg(message: impl Into<String>) -> Self {
        Self::status(1, message)
    }
}

/// What a failed command prints.
pub fn error_text(e: CliError) -> String {
    match e {
        CliError::Api(a) => a.to_string(),
        CliError::Status { message, .. } => message,
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        CliError::Api(e)
    }
}

/// A running command: the daemon it talks to and what it has printed so far.
pub struct Ctx<'a> {
    pub api: &'a mut dyn Api,
    pub env: Env<'a>,
    pub out: String,
    pub err: String,
    delay: Duration,
    /// Where stdout goes as soon as it is flushed, for commands that print while they
    /// wait (progress bars in a terminal); None collects everything in `out`.
    live: Option<&'a mut dyn FnMut(&str)>,
}

impl Ctx<'_> {
    pub fn println(&mut self, s: impl AsRef<str>) {
        self.out.push_str(s.as_ref());
        self.out.push('\n');
    }
    /// Hands what was printed so far to the live sink, if there is one.
    pub fn flush(&mut self) {
        if let Some(live) = self.live.as_mut()
            && !self.out.is_empty()
        {
            live(&self.out);
            self.out.clear();
        }
    }
    /// Calls the daemon, keeping track of how long the call would block.
    pub fn call<T>(&mut self, f: impl FnOnce(&mut dyn Api) -> Result<T, ApiError>) -> Result<T, CliError> {
        f(&mut *self.api).map_err(|e| {
            self.delay += e.delay;
            CliError::Api(e)
        })
    }
}

pub(crate) static ROOT: Command = Command {
    name: "docker",
    aliases: &[],
    usage: "[OPTIONS] COMMAND",
    short: "A self-sufficient runtime for containers",
    flags: &[],
    args: command::Args::None,
    run: None,
    subs: &[
        config::CONFIG,
        container::EXEC,
        system::INFO,
        container::INSPECT,
        container::LOGS,
        network::NETWORK,
        node::NODE,
        container::PS,
        secret::SECRET,
        service::SERVICE,
        stack::STACK,
        swarm::SWARM,
        system::VERSION,
    ],
};

/// Global flags docker accepts before the command, and how many words each takes.
fn global_flag_arity(arg: &str) -> Option<usize> {
    match arg {
        "-D" | "--debug" | "--tls" | "--tlsverify" => Some(0),
        // -H/--host: callers route the command with `take_host` before calling `run`.
        "-H" | "--host" | "-l" | "--log-level" | "-c" | "--context" | "--config" | "--tlscacert" | "--tlscert"
        | "--tlskey" => Some(1),
        a if ["--host=", "--log-level=", "--context=", "--config="].iter().any(|p| a.starts_with(p)) => Some(0),
        _ => None,
    }
}

/// Splits a `-H/--host` global flag off `argv`: the daemon to talk to is the caller's
/// choice (a node's socket), so callers route the rest of the command there.
pub fn take_host(argv: &[String]) -> (Option<String>, Vec<String>) {
    let mut host = None;
    let mut rest = Vec::with_capacity(argv.len());
    let mut i = 0;
    while i < argv.len() {
        let a = argv[i].as_str();
        if !a.starts_with('-') {
            rest.extend_from_slice(&argv[i..]);
            break;
        }
        if a == "-H" || a == "--host" {
            host = argv.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if let Some(h) = a.strip_prefix("--host=").or_else(|| a.strip_prefix("-H=")) {
            host = Some(h.to_string());
        } else {
            rest.push(argv[i].clone());
            if global_flag_arity(a) == Some(1) {
                rest.extend(argv.get(i + 1).cloned());
                i += 1;
            }
        }
        i += 1;
    }
    (host, rest)
}

/// What the docker CLI says when nothing answers at `host`.
pub fn cannot_connect(host: &str) -> Output {
    Output {
        stderr: format!("Cannot connect to the Docker daemon at {host}. Is the docker daemon running?\n"),
        code: 1,
        ..Output::default()
    }
}

/// Runs `docker <argv…>` against `api`.
pub fn run(argv: &[String], api: &mut dyn Api, env: Env<'_>) -> Output {
    execute(argv, api, env, None)
}

/// Runs `docker <argv…>` against `api`, handing stdout to `live` as it is printed;
/// the returned output then holds only stderr and the exit code.
pub fn run_live<'a>(argv: &[String], api: &'a mut dyn Api, env: Env<'a>, live: &'a mut dyn FnMut(&str)) -> Output {
    execute(argv, api, env, Some(live))
}

fn execute<'a>(argv: &[String], api: &'a mut dyn Api, env: Env<'a>, live: Option<&'a mut dyn FnMut(&str)>) -> Output {
    let mut ctx = Ctx { api, env, out: String::new(), err: String::new(), delay: Duration::ZERO, live };
    let code = match dispatch(argv, &mut ctx) {
        Ok(()) => 0,
        Err(CliError::Status { code, message }) => {
            ctx.err.push_str(&message);
            ctx.err.push('\n');
            code
        }
        Err(CliError::Api(e)) => {
            ctx.err.push_str(&e.to_string());
            ctx.err.push('\n');
            1
        }
    };
    ctx.flush();
    Output { stdout: ctx.out, stderr: ctx.err, code, delay: ctx.delay }
}

/// What a docker command line means, as the command line reads it: the command
/// ("docker swarm join-token"), its flags by their long names, its arguments. None
/// when it is not a docker command this command line knows, or its flags do not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub path: String,
    pub flags: std::collections::BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
}

/// Reads `argv` (after `docker`) as the command line would, without running it.
pub fn invocation(argv: &[String]) -> Option<Invocation> {
    let (_, argv) = take_host(argv);
    let start = argv.iter().position(|a| !a.starts_with('-'))?;
    let rest = &argv[start..];
    let (resolved, args) = resolve(ROOT.find(rest.first()?)?, &rest[1..]);
    let parsed = flags::parse(resolved.cmd.flags, args, interspersed(resolved.cmd)).ok()?;
    let flags = parsed.changed_names().into_iter().map(|n| (n, parsed.list(n).to_vec())).collect();
    Some(Invocation { path: resolved.path, flags, args: parsed.args.clone() })
}

/// Walks from the top-level command `cmd` down its subcommands as `args` name them;
/// returns where it stopped and the arguments left.
fn resolve<'a>(mut cmd: &'a Command, mut args: &'a [String]) -> (Resolved<'a>, &'a [String]) {
    let mut path = format!("docker {}", cmd.name);
    while let Some(sub) = args.first().filter(|a| !a.starts_with('-')).and_then(|a| cmd.find(a)) {
        cmd = sub;
        path = format!("{path} {}", sub.name);
        args = &args[1..];
    }
    (Resolved { cmd, path }, args)
}

/// Commands that run a command of their own (`service create IMAGE [COMMAND] [ARG...]`,
/// `exec`) stop reading flags at the first argument, as cobra's SetInterspersed(false).
fn interspersed(cmd: &Command) -> bool {
    !cmd.usage.ends_with("[ARG...]")
}

fn dispatch(argv: &[String], ctx: &mut Ctx) -> Result<(), CliError> {
    let mut i = 0;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "-h" | "--help" => {
                ctx.out.push_str(&help::root(ctx.env.width.unwrap_or(80)));
                return Ok(());
            }
            "-v" | "--version" => {
                ctx.println(format!("Docker version {}, build e6534b4", crate::sim::ENGINE_VERSION));
                return Ok(());
            }
            _ => {}
        }
        match global_flag_arity(a) {
            Some(n) => i += 1 + n,
            None if a.starts_with('-') => {
                let msg = format!(
                    "unknown flag: {a}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information"
                );
                return Err(CliError::status(125, msg));
            }
            None => break,
        }
    }
    let rest = &argv[i.min(argv.len())..];
    let Some(first) = rest.first() else {
        ctx.out.push_str(&help::root(ctx.env.width.unwrap_or(80)));
        return Ok(());
    };
    if let Some(nodesc) = ["__complete", "__completeNoDesc"].iter().position(|c| c == first) {
        let out = complete::complete(&rest[1..], &mut *ctx.api, nodesc == 0);
        if out.code != 0 {
            return Err(CliError::status(out.code, out.stderr.trim_end().to_string()));
        }
        ctx.out.push_str(&out.stdout);
        ctx.err.push_str(&out.stderr);
        return Ok(());
    }
    let Some(top) = ROOT.find(first) else {
        return Err(help::unknown_top_level(first));
    };
    let (resolved, args) = resolve(top, &rest[1..]);
    let cmd = resolved.cmd;
    let parsed = flags::parse(cmd.flags, args, interspersed(cmd)).map_err(|e| resolved.flag_error(&e))?;
    let cols = ctx.env.width.unwrap_or(80);
    if parsed.help {
        ctx.out.push_str(&resolved.help(cols));
        return Ok(());
    }
    resolved.check_args(&parsed)?;
    match cmd.run {
        Some(run) => run(ctx, &parsed),
        None => {
            ctx.err.push_str(&resolved.help(cols));
            Ok(())
        }
    }
}
