//! The command tree, cobra style: finding the command, checking its arguments with
//! docker/cli's messages, and rendering help with docker/cli's usage template.

use super::flags::{self, Flag, Parsed};
use super::{CliError, Ctx};
use std::fmt::Write as _;

/// docker/cli `Annotations["aliases"]`.
const ANNOTATED_ALIASES: &[(&str, &str)] = &[
    ("docker info", "docker system info, docker info"),
    ("docker ps", "docker container ls, docker container list, docker container ps, docker ps"),
    ("docker logs", "docker container logs, docker logs"),
    ("docker exec", "docker container exec, docker exec"),
];

pub type Handler = fn(&mut Ctx, &Parsed) -> Result<(), CliError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    None,
    Exact(usize),
    Min(usize),
    /// cobra `RequiresRangeArgs(min, max)`.
    Range(usize, usize),
    /// `service scale`: one or more SERVICE=REPLICAS.
    Scale,
}

pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// cobra `Use` without the name: "[OPTIONS] NODE [NODE...]".
    pub usage: &'static str,
    pub short: &'static str,
    pub flags: &'static [Flag],
    pub args: Args,
    /// None for a management command: it prints its help on stderr.
    pub run: Option<Handler>,
    pub subs: &'static [Command],
}

impl Command {
    pub fn find(&self, name: &str) -> Option<&Command> {
        self.subs.iter().find(|c| c.name == name || c.aliases.contains(&name))
    }
}

/// A command with the path that reached it ("docker node ls").
pub struct Resolved<'a> {
    pub cmd: &'a Command,
    pub path: String,
}

impl Resolved<'_> {
    pub fn use_line(&self) -> String {
        if self.cmd.usage.is_empty() { self.path.clone() } else { format!("{} {}", self.path, self.cmd.usage) }
    }

    /// cobra FlagErrorFunc: exit 125.
    pub fn flag_error(&self, err: &str) -> CliError {
        CliError::status(
            125,
            format!("{err}\n\nUsage:  {}\n\nRun '{} --help' for more information", self.use_line(), self.path),
        )
    }

    /// docker/cli `cli.NoArgs` / `ExactArgs` / `RequiresMinArgs`.
    pub fn check_args(&self, p: &Parsed) -> Result<(), CliError> {
        let n = p.args.len();
        let (path, use_line) = (&self.path, self.use_line());
        let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
        let msg = match self.cmd.args {
            Args::None if n > 0 && !self.cmd.subs.is_empty() => format!(
                "docker: unknown command: {path} {}\n\nUsage:  {use_line}\n\nRun '{path} --help' for more information",
                p.args[0]
            ),
            Args::None if n > 0 => {
                format!(
                    "docker: '{path}' accepts no arguments\n\nUsage:  {use_line}\n\nRun '{path} --help' for more information"
                )
            }
            Args::Exact(k) if n != k => format!(
                "docker: '{path}' requires {k} {}\n\nUsage:  {use_line}\n\nRun '{path} --help' for more information",
                plural(k)
            ),
            Args::Min(k) if n < k => format!(
                "docker: '{path}' requires at least {k} {}\n\nUsage:  {use_line}\n\nSee '{path} --help' for more information",
                plural(k)
            ),
            Args::Range(lo, hi) if n < lo || n > hi => format!(
                "docker: '{path}' requires at least {lo} and at most {hi} {}\n\nUsage:  {use_line}\n\nRun '{path} --help' for more information",
                plural(hi)
            ),
            Args::Scale if n < 1 => format!(
                "docker: '{path}' requires at least 1 argument\n\nUsage:  {use_line}\n\nSee '{path} --help' for more information"
            ),
            Args::Scale => {
                match p.args.iter().find(|a| a.split_once('=').is_none_or(|(k, v)| k.is_empty() || v.is_empty())) {
                    Some(bad) => format!(
                        "invalid scale specifier '{bad}'.\nSee '{path} --help'.\n\nUsage:  {use_line}\n\n{}",
                        self.cmd.short
                    ),
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
        Err(CliError::status(1, msg))
    }

    /// docker/cli's usage template, for a command below the root.
    pub fn help(&self, cols: usize) -> String {
        let cmd = self.cmd;
        let mut s = String::from("Usage:");
        if cmd.subs.is_empty() {
            let _ = write!(s, "  {}", self.use_line());
        } else {
            let opts = if cmd.flags.is_empty() { "" } else { " [OPTIONS]" };
            let _ = write!(s, "  {}{opts} COMMAND", self.path);
        }
        let _ = write!(s, "\n\n{}", cmd.short);
        // Commands whose alias line docker/cli sets by annotation.
        if let Some(line) = ANNOTATED_ALIASES.iter().find(|(p, _)| *p == self.path).map(|(_, l)| l) {
            let _ = write!(s, "\n\nAliases:\n  {line}");
        } else if !cmd.aliases.is_empty() {
            let parent = self.path.rsplit_once(' ').map(|(p, _)| p).unwrap_or("");
            let mut aliases = self.path.clone();
            for a in cmd.aliases {
                let _ = write!(aliases, ", {parent} {a}");
            }
            let _ = write!(s, "\n\nAliases:\n  {aliases}");
        }
        if !cmd.flags.is_empty() {
            let _ = write!(s, "\n\nOptions:\n{}", flags::usages(cmd.flags, cols.saturating_sub(1)).trim_end());
        }
        if !cmd.subs.is_empty() {
            let pad = cmd.subs.iter().map(|c| c.name.len()).max().unwrap_or(0).max(11);
            s.push_str("\n\nCommands:");
            for c in cmd.subs {
                let _ = write!(s, "\n  {:pad$} {}", c.name, c.short);
            }
            let _ = write!(s, "\n\nRun '{} COMMAND --help' for more information on a command.", self.path);
        }
        s.push('\n');
        s
    }
}
