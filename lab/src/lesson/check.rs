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
    /// `$ docker …` (on a manager) or `node2$ docker …`, then what its answer must be.
    Query { line: usize, node: Option<String>, command: String, expects: Vec<Expect> },
    /// `ran: node2 docker node ls`: the learner ran a command starting so on node2.
    Ran { line: usize, node: String, prefix: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The output, trimmed, is exactly this.
    Equals(String),
    Contains(String),
    /// A regular expression found in the output.
    Matches(String),
    /// So many non-empty lines.
    Lines(usize),
    /// The exit code (0 unless said).
    Exit(i32),
}

/// How a check went: the first thing that did not hold, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub passed: bool,
    pub failure: Option<String>,
}

/// The node a check's `$` queries run on: the leader, else the first manager that runs
/// (which then answers as Docker would without a leader).
pub fn manager(c: &Cluster) -> Option<usize> {
    let leader =
        c.machines().iter().enumerate().position(|(i, m)| {
            m.up && m.node_id().zip(c.swarm_of(i)).is_some_and(|(id, s)| s.leader_node() == Some(id))
        });
    leader.or_else(|| {
        c.machines().iter().enumerate().position(|(i, m)| {
            let Membership::Active { node_id, .. } = &m.membership else { return false };
            m.up && c.swarm_of(i).and_then(|s| s.store().nodes.get(node_id)).is_some_and(|n| n.manager_status.is_some())
        })
    })
}

/// Runs one query's docker command on node `idx`: words split as a shell would, no
/// variables, no substitutions.
pub fn query(c: &mut Cluster, idx: usize, command: &str) -> (String, i32) {
    let lookup = |_: &str| None;
    let mut no_subst = |_: &str| Err("command substitution is not allowed in checks".to_string());
    let words = match words::split(command, &lookup, &mut no_subst) {
        Ok(w) => w,
        Err(e) => return (e, 2),
    };
    match words.split_first() {
        Some((docker, args)) if docker == "docker" => {
            let out = cli::run(args, &mut c.client(idx), Env::default());
            (out.stdout, out.code)
        }
        _ => (format!("a check runs docker commands only: {command}"), 2),
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Check {
    /// Evaluates every item; `history` is what was run where, oldest first.
    pub fn evaluate(&self, c: &mut Cluster, history: &[(String, String)]) -> Outcome {
        for item in &self.items {
            if let Some(failure) = item.failure(c, history) {
                return Outcome { passed: false, failure: Some(failure) };
            }
        }
        Outcome { passed: true, failure: None }
    }
}

impl Item {
    fn failure(&self, c: &mut Cluster, history: &[(String, String)]) -> Option<String> {
        match self {
            Item::Ran { node, prefix, .. } => {
                let want = normalise(prefix);
                let ran = history.iter().any(|(n, cmd)| n == node && normalise(cmd).starts_with(&want));
                (!ran).then(|| format!("`{prefix}` was not run on {node}"))
            }
            Item::Query { node, command, expects, .. } => {
                let idx = match node {
                    Some(n) => c.machine_index(n),
                    None => manager(c),
                };
                let Some(idx) = idx else {
                    return Some(match node {
                        Some(n) => format!("there is no node {n}"),
                        None => "no manager answers".to_string(),
                    });
                };
                let (out, code) = query(c, idx, command);
                let want_code = expects.iter().find_map(|e| if let Expect::Exit(n) = e { Some(*n) } else { None });
                if code != want_code.unwrap_or(0) {
                    return Some(format!("`{command}` exited with {code}"));
                }
                expects.iter().find_map(|e| e.failure(command, &out))
            }
        }
    }
}

impl Expect {
    fn failure(&self, command: &str, out: &str) -> Option<String> {
        let ok = match self {
            Expect::Equals(want) => out.trim() == want.trim(),
            Expect::Contains(want) => out.contains(want.as_str()),
            Expect::Matches(re) => regex::Regex::new(re).is_ok_and(|r| r.is_match(out)),
            Expect::Lines(n) => out.lines().filter(|l| !l.trim().is_empty()).count() == *n,
            Expect::Exit(_) => true,
        };
        (!ok).then(|| format!("`{command}` printed {:?}, expected {self:?}", out.trim()))
    }
}
