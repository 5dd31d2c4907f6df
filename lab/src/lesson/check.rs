//! A step's check: docker queries run on a manager with the answer expected, and
//! "this command was run on node X". Evaluated against the engine here; written as
//! plain docker commands so that the same check can run against a real swarm.

use crate::headless::words;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, Membership};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub line: usize,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `$ docker …` (on a manager) or `node2$ docker …`, then what its answer must be;
    /// `why:` lines under it say, in the lesson's language, what it looks for.
    Query { line: usize, node: Option<String>, command: String, expects: Vec<Expect>, why: Option<String> },
    /// `ran: node2 docker node ls`: the learner ran a command starting so on node2.
    Ran { line: usize, node: String, prefix: String, why: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The output, trimmed, is exactly this.
    Equals(String),
    Contains(String),
    /// A regular expression found in the output.
    Matches(Pattern),
    /// So many non-empty lines.
    Lines(usize),
    /// The exit code (0 unless said).
    Exit(i32),
}

/// A regular expression, compiled once when the lesson is read; equal when written
/// the same.
#[derive(Clone)]
pub struct Pattern(pub regex::Regex);

/// Shown as its source, as the lesson wrote it.
impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Eq for Pattern {}

/// How a check went: every item that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub passed: bool,
    pub unmet: Vec<Unmet>,
}

impl Outcome {
    /// The first item that does not hold, for a course author (English).
    pub fn failure(&self) -> Option<String> {
        self.unmet.first().map(ToString::to_string)
    }
}

/// One item of a check that does not hold: what it expected and what the cluster
/// has, for the learner (see `lesson::explain`) and the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// The item's line in the lesson file.
    pub line: usize,
    /// The author's words for what the item looks for, if they wrote some.
    pub why: Option<String>,
    pub gap: Gap,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// `ran:` found no such command on that node.
    NotRun {
        node: String,
        command: String,
    },
    NoNode(String),
    /// No manager of a swarm runs to ask.
    NoManager,
    /// The query exited with `got` where the check wants `want`; `output` is what it
    /// printed (stdout, else stderr).
    Exit {
        command: String,
        want: i32,
        got: i32,
        output: String,
    },
    /// The query's output does not meet `expect`.
    Output {
        command: String,
        expect: Expect,
        output: String,
    },
}

impl std::fmt::Display for Unmet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.gap {
            Gap::NotRun { node, command } => write!(f, "`{command}` was not run on {node}"),
            Gap::NoNode(n) => write!(f, "there is no node {n}"),
            Gap::NoManager => write!(f, "no manager answers"),
            Gap::Exit { command, got, .. } => write!(f, "`{command}` exited with {got}"),
            Gap::Output { command, expect, output } => {
                write!(f, "`{command}` printed {:?}, expected {expect:?}", output.trim())
            }
        }
    }
}

/// The node a check's `$` queries run on: the leader, else the first manager that runs
/// (which then answers as Docker would without a leader).
pub fn manager(c: &Cluster) -> Option<usize> {
    let leader = c.machines().iter().enumerate().position(|(i, m)| {
        m.reachable() && m.node_id().zip(c.swarm_of(i)).is_some_and(|(id, s)| s.leader_node() == Some(id))
    });
    leader.or_else(|| {
        c.machines().iter().enumerate().position(|(i, m)| {
            let Membership::Active { node_id, .. } = &m.membership else { return false };
            m.reachable()
                && c.swarm_of(i).and_then(|s| s.store().nodes.get(node_id)).is_some_and(|n| n.manager_status.is_some())
        })
    })
}

/// Runs one query's docker command on node `idx`: words split as a shell would, no
/// variables, no substitutions. Its standard output and exit code.
pub fn query(c: &mut Cluster, idx: usize, command: &str) -> (String, i32) {
    let (stdout, _, code) = query_all(c, idx, command);
    (stdout, code)
}

/// Like `query`, with the standard error too.
fn query_all(c: &mut Cluster, idx: usize, command: &str) -> (String, String, i32) {
    let lookup = |_: &str| None;
    let mut no_subst = |_: &str| Err("command substitution is not allowed in checks".to_string());
    let words = match words::split(command, &lookup, &mut no_subst) {
        Ok(w) => w,
        Err(e) => return (String::new(), e, 2),
    };
    match words.split_first() {
        Some((docker, args)) if docker == "docker" => {
            let out = cli::run(args, &mut c.client(idx), Env::default());
            (out.stdout, out.stderr, out.code)
        }
        _ => (String::new(), format!("a check runs docker commands only: {command}"), 2),
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does the command line `ran` do what `want` (a `ran:` item) asks? Both are read as
/// the docker command line reads them: the same command, every flag `want` gives with
/// the same values (in any order, long or short, `--f=v` or `--f v`), and its
/// arguments first. What the docker command line cannot read is compared as text.
pub fn ran_as(want: &str, ran: &str) -> bool {
    match (invocation(want), invocation(ran)) {
        (Some(w), Some(r)) => {
            w.path == r.path
                && w.flags.iter().all(|(name, values)| r.flags.get(name) == Some(values))
                && r.args.starts_with(&w.args)
        }
        _ => normalise(ran).starts_with(&normalise(want)),
    }
}

/// What a typed line does, as a step compares commands: the docker command it runs
/// (`docker swarm join`) and whether it only reads, else the program it runs.
pub fn command_kind(line: &str) -> Option<(String, bool)> {
    if let Some(i) = invocation(line) {
        let verb = i.path.rsplit(' ').next().unwrap_or_default();
        let reads = matches!(verb, "ls" | "ps" | "inspect" | "logs" | "info" | "version" | "top" | "config" | "help")
            || (verb == "join-token" && !i.flags.contains_key("rotate"));
        return Some((i.path, reads));
    }
    let program = line.split_whitespace().next().filter(|p| *p != "docker")?;
    Some((program.to_string(), true))
}

/// A typed line as the docker command line sees it; variables and `$(…)` stand for
/// themselves (a check does not run them).
fn invocation(line: &str) -> Option<cli::Invocation> {
    let lookup = |name: &str| Some(format!("${name}"));
    // One word, whatever it runs: its output is a value (a token), not more flags.
    let mut keep = |_: &str| Ok("$(…)".to_string());
    let words = words::split(line, &lookup, &mut keep).ok()?;
    let (docker, argv) = words.split_first()?;
    if docker != "docker" {
        return None;
    }
    cli::invocation(argv)
}

impl Check {
    /// Evaluates every item; `history` is what was run where, oldest first.
    pub fn evaluate(&self, c: &mut Cluster, history: &[(String, String)]) -> Outcome {
        let unmet: Vec<Unmet> = self.items.iter().filter_map(|item| item.unmet(c, history)).collect();
        Outcome { passed: unmet.is_empty(), unmet }
    }
}

impl Item {
    fn unmet(&self, c: &mut Cluster, history: &[(String, String)]) -> Option<Unmet> {
        let (line, why, gap) = match self {
            Item::Ran { line, node, prefix, why } => {
                let ran = history.iter().any(|(n, cmd)| n == node && ran_as(prefix, cmd));
                if ran {
                    return None;
                }
                (line, why, Gap::NotRun { node: node.clone(), command: prefix.clone() })
            }
            Item::Query { line, node, command, expects, why } => {
                let idx = match node {
                    Some(n) => c.machine_index(n),
                    None => manager(c),
                };
                let gap = match idx {
                    None => Some(node.clone().map_or(Gap::NoManager, Gap::NoNode)),
                    Some(idx) => query_gap(c, idx, command, expects),
                };
                (line, why, gap?)
            }
        };
        Some(Unmet { line: *line, why: why.clone(), gap })
    }
}

/// What a query's answer lacks, if anything.
fn query_gap(c: &mut Cluster, idx: usize, command: &str, expects: &[Expect]) -> Option<Gap> {
    let (out, err, code) = query_all(c, idx, command);
    let want = expects.iter().find_map(|e| if let Expect::Exit(n) = e { Some(*n) } else { None }).unwrap_or(0);
    if code != want {
        let output = if out.trim().is_empty() { err } else { out };
        return Some(Gap::Exit { command: command.to_string(), want, got: code, output });
    }
    let expect = expects.iter().find(|e| !e.holds(&out))?;
    Some(Gap::Output { command: command.to_string(), expect: expect.clone(), output: out })
}

impl Expect {
    fn holds(&self, out: &str) -> bool {
        match self {
            Expect::Equals(want) => out.trim() == want.trim(),
            Expect::Contains(want) => out.contains(want.as_str()),
            Expect::Matches(re) => re.0.is_match(out),
            Expect::Lines(n) => out.lines().filter(|l| !l.trim().is_empty()).count() == *n,
            Expect::Exit(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ran_as;

    #[test]
    fn a_command_is_matched_by_its_meaning_not_its_spelling() {
        let want = "docker swarm join-token --rotate worker";
        assert!(ran_as(want, "docker swarm join-token --rotate worker"));
        assert!(ran_as(want, "docker swarm join-token worker --rotate"), "flags after the argument");
        assert!(ran_as(want, "docker  swarm join-token --rotate=true worker"));
        assert!(!ran_as(want, "docker swarm join-token worker"), "without --rotate");
        assert!(!ran_as(want, "docker swarm join-token --rotate manager"));
        assert!(ran_as("docker info", "docker info --format '{{.Swarm.LocalNodeState}}'"), "more flags are fine");
        assert!(ran_as("docker node ls", "docker node list"), "an alias");
        assert!(ran_as("docker service ps hello", "docker service ps -q hello"));
        assert!(ran_as("docker service ls -q", "docker service ls --quiet"), "short and long");
        assert!(!ran_as("docker node ls", "docker service ls"));
        assert!(ran_as(
            "docker swarm join",
            "docker swarm join --token $(docker -H node1 swarm join-token -q worker) node1:2377"
        ));
        assert!(!ran_as(
            "docker swarm join --token x",
            "docker swarm join --token $(docker swarm join-token -q worker) x"
        ));
        assert!(ran_as("docker ps", "docker -H node2 ps"), "a host flag is not the command");
        assert!(ran_as("hostname -i", "hostname  -i"), "not docker: as text");
    }
}
