//! The headless shell: plays transcript scripts (`swarmlab run`), lessons and
//! answers (`verify`, `check`, the lab's replays) against a simulated cluster and
//! prints what a learner would have seen, prompt and output, line by line.

pub mod files;
pub mod script;
pub mod sed;
pub mod words;

use files::{Reach, Sandbox, Workdir};
use script::Step;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

/// Commands run without a terminal; progress output gives up after five minutes
/// of virtual time, as a learner pressing Ctrl-C would.
const PROGRESS_LIMIT: Duration = Duration::from_secs(300);

/// The longest virtual sleep: a century (the clock itself stops in 2262).
const MAX_SLEEP: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Busy instants one `sleep` may simulate: ten replicas restarting forever make
/// about 4,000 an hour of virtual time (half a second of work here), so this is a
/// day of such a cluster, some ten seconds. An idle cluster costs none.
const SLEEP_WORK: usize = 100_000;

/// How deep `$(…)` may nest: far more than anyone types, far less than the stack holds.
const MAX_NESTING: usize = 32;

/// The outcome of a run: the transcript and whether every step went as expected.
pub struct Transcript {
    pub text: String,
    pub failures: Vec<String>,
}

/// What one shell command printed and returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub struct Session {
    pub cluster: Cluster,
    vars: BTreeMap<String, String>,
    /// Every command run, with the node it ran on, for checks like "ran on node2".
    pub history: Vec<(String, String)>,
    /// The files its commands may use: a lesson's directory, or where `run` started.
    files: Sandbox,
    /// How many `$(…)` are being expanded, one inside the other.
    depth: usize,
    /// Busy instants one `sleep` may simulate.
    pub sleep_work: usize,
}

impl Session {
    pub fn new(config: ClusterConfig) -> Self {
        Self::on(Cluster::new(config))
    }

    /// A session over an existing cluster (the lab's, when it fast-forwards), its
    /// commands working in the process's directory and not outside it.
    pub fn on(cluster: Cluster) -> Self {
        let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let files = Sandbox::new(Workdir::existing(&here), Reach::Script);
        Session { cluster, vars: BTreeMap::new(), history: Vec::new(), files, depth: 0, sleep_work: SLEEP_WORK }
    }

    /// The same session, playing a lesson or answers in `dir`: no file outside it.
    pub fn in_dir(self, dir: Workdir) -> Self {
        Session { files: Sandbox::new(dir, Reach::Lesson), ..self }
    }

    /// The same session, reaching every file the user can (`run --host-files`).
    pub fn with_host_files(self) -> Self {
        Session { files: self.files.widened(), ..self }
    }

    /// Where relative file names start.
    pub fn dir(&self) -> &Path {
        self.files.path()
    }

    /// Runs one command line on node `idx`, as a pane's shell would, and records it.
    pub fn run(&mut self, idx: usize, line: &str) -> Run {
        let node = self.cluster.machines().get(idx).map(|m| m.hostname.clone()).unwrap_or_default();
        self.history.push((node, line.to_string()));
        let run = self.exec(idx, line);
        self.cluster.advance(Duration::ZERO);
        run
    }

    /// Runs one script line's command on node `idx`.
    fn exec(&mut self, idx: usize, line: &str) -> Run {
        if let Some((name, value)) = words::assignment(line) {
            return match self.expand(idx, value) {
                Ok(words) => {
                    self.vars.insert(name.to_string(), words.join(" "));
                    Run { stdout: String::new(), stderr: String::new(), code: 0 }
                }
                Err(e) => Run { stdout: String::new(), stderr: format!("swarmlab: {e}\n"), code: 2 },
            };
        }
        match self.expand(idx, line) {
            Ok(words) => self.command(idx, &words),
            Err(e) => Run { stdout: String::new(), stderr: format!("swarmlab: {e}\n"), code: 2 },
        }
    }

    fn expand(&mut self, idx: usize, text: &str) -> Result<Vec<String>, String> {
        if self.depth >= MAX_NESTING {
            return Err(format!("$(…) nested more than {MAX_NESTING} levels deep"));
        }
        self.depth += 1;
        let vars = self.vars.clone();
        let lookup = move |n: &str| vars.get(n).cloned();
        let mut sub = |cmd: &str| -> Result<String, String> {
            let words = self.expand(idx, cmd)?;
            Ok(self.command(idx, &words).stdout)
        };
        let words = words::split(text, &lookup, &mut sub);
        self.depth -= 1;
        words
    }

    fn command(&mut self, idx: usize, words: &[String]) -> Run {
        let ok = |stdout: String| Run { stdout, stderr: String::new(), code: 0 };
        let Some(name) = words.first() else {
            return ok(String::new());
        };
        let machine = &self.cluster.machines()[idx];
        match name.as_str() {
            "docker" => {
                let (host, argv) = cli::take_host(&words[1..]);
                let target = match &host {
                    None => Some(idx),
                    Some(h) => self.node_for_host(h),
                };
                let files = &self.files;
                let cwd = files.path().to_string_lossy().into_owned();
                let read = |path: &str| files.read_for_docker(path);
                let env = Env {
                    width: None,
                    progress_limit: Some(PROGRESS_LIMIT),
                    read: Some(&read),
                    var: None,
                    cwd: Some(&cwd),
                };
                let out = match target {
                    Some(t) => cli::run(&argv, &mut self.cluster.client(t), env),
                    None => cli::cannot_connect(host.as_deref().unwrap_or_default()),
                };
                self.cluster.advance(out.delay);
                Run { stdout: out.stdout, stderr: out.stderr, code: out.code }
            }
            "hostname" if words.get(1).map(String::as_str) == Some("-i") => ok(format!("{}\n", machine.addr)),
            "hostname" => ok(format!("{}\n", machine.hostname)),
            "echo" => ok(format!("{}\n", words[1..].join(" "))),
            "lab" => self.lab(&words[1..]),
            "cat" => self.cat(&words[1..]),
            "sed" => self.sed(&words[1..]),
            "curl" => self.curl(&words[1..]),
            "true" => ok(String::new()),
            "false" => Run { stdout: String::new(), stderr: String::new(), code: 1 },
            "sleep" => self.sleep(&words[1..]),
            other => Run { stdout: String::new(), stderr: format!("sh: 1: {other}: not found\n"), code: 127 },
        }
    }

    /// `sleep NUMBER[smhd]…` in virtual time: idle stretches pass in one jump; a
    /// cluster that stays busy is simulated for at most [`SLEEP_WORK`] instants.
    fn sleep(&mut self, args: &[String]) -> Run {
        let fail = |message: String| Run { stdout: String::new(), stderr: message, code: 1 };
        let d = match parse_sleep(args) {
            Ok(d) => d,
            Err(message) => return fail(message),
        };
        match self.cluster.advance_at_most(d, self.sleep_work) {
            Ok(()) => Run { stdout: String::new(), stderr: String::new(), code: 0 },
            Err(done) => fail(format!(
                "sleep: swarmlab stopped after {} of virtual time: the cluster never went quiet (a task restarting forever?), and simulating {} more would take too long; sleep less at a time\n",
                human(done),
                human(d.saturating_sub(done)),
            )),
        }
    }

    /// `cat FILE…`, to look at a lesson's files.
    fn cat(&mut self, args: &[String]) -> Run {
        let mut run = Run { stdout: String::new(), stderr: String::new(), code: 0 };
        for name in args {
            match self.files.read(name) {
                Ok(bytes) => run.stdout.push_str(&String::from_utf8_lossy(&bytes)),
                Err(e) => {
                    let _ = writeln!(run.stderr, "cat: {name}: {}", e.c_text());
                    run.code = 1;
                }
            }
        }
        run
    }

    /// `sed [-i] [-e] 's/RE/REPLACEMENT/[g]' FILE…` (see [`crate::headless::sed`]): edits a
    /// lesson's file in place, as a learner would in a real shell.
    fn sed(&mut self, args: &[String]) -> Run {
        let sed::Invocation { in_place, sub, files } = match sed::Invocation::parse(args) {
            Ok(i) => i,
            Err((message, code)) => return Run { stdout: String::new(), stderr: format!("{message}\n"), code },
        };
        let mut run = Run { stdout: String::new(), stderr: String::new(), code: 0 };
        for name in files {
            let text = match self.files.read(&name) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    let _ = writeln!(run.stderr, "sed: can't read {name}: {}", e.c_text());
                    run.code = 2;
                    continue;
                }
            };
            let edited = sub.apply(&text);
            if !in_place {
                run.stdout.push_str(&edited);
            } else if let Err(e) = self.files.write(&name, edited.as_bytes()) {
                let _ = writeln!(run.stderr, "sed: couldn't edit {name}: {}", e.c_text());
                run.code = 4;
            }
        }
        run
    }

    /// `curl [-s] [http://]ADDR:PORT[/path]` against a node's published port, through
    /// the routing mesh.
    fn curl(&mut self, args: &[String]) -> Run {
        let Some(url) = args.iter().find(|a| !a.starts_with('-')) else {
            return Run { stdout: String::new(), stderr: "curl: no URL specified\n".into(), code: 2 };
        };
        let rest = url.strip_prefix("http://").unwrap_or(url);
        let hostport = rest.split('/').next().unwrap_or(rest);
        let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "80"));
        let port: u32 = port.parse().unwrap_or(80);
        let refused = || Run {
            stdout: String::new(),
            stderr: format!(
                "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"
            ),
            code: 7,
        };
        let Some(idx) = self.cluster.machines().iter().position(|m| m.addr.to_string() == host || m.hostname == host)
        else {
            return refused();
        };
        match self.cluster.route(idx, port) {
            Some(a) if a.status == 200 => Run { stdout: a.body, stderr: String::new(), code: 0 },
            Some(_) => Run { stdout: String::new(), stderr: "curl: (52) Empty reply from server\n".into(), code: 52 },
            None => refused(),
        }
    }

    /// `lab …`: what a lesson can do to the simulated world (see [`crate::control`]).
    fn lab(&mut self, args: &[String]) -> Run {
        use crate::control::{self, Applied, Clock};
        // Transcripts stay the same wherever they run: English, as docker's output.
        let texts = crate::i18n::Texts::new(crate::i18n::Lang::En);
        let fail =
            |said: control::Said| Run { stdout: String::new(), stderr: format!("lab: {}", said.text(&texts)), code: 2 };
        let action = match control::parse(args) {
            Ok(a) => a,
            Err(e) => return fail(e),
        };
        match control::apply(&mut self.cluster, &action) {
            Ok(Applied::Done(said)) => Run { stdout: said.text(&texts), stderr: String::new(), code: 0 },
            Ok(Applied::ForTheClock(Clock::Skip)) => {
                self.cluster.run_until_idle_within(crate::clock::SKIP_LIMIT);
                Run { stdout: control::done(Clock::Skip).text(&texts), stderr: String::new(), code: 0 }
            }
            Ok(Applied::ForTheClock(_)) => fail(control::live_only()),
            Err(e) => fail(e),
        }
    }

    /// The node a `-H` value names: `nodeN`, `unix://…/nodeN.sock`, or the node's
    /// address (`tcp://127.10.0.12:2375`, `127.10.0.12`).
    fn node_for_host(&self, host: &str) -> Option<usize> {
        let h = host.strip_prefix("unix://").or_else(|| host.strip_prefix("tcp://")).unwrap_or(host);
        let h = h.rsplit('/').next().unwrap_or(h);
        let h = h.strip_suffix(".sock").unwrap_or(h);
        let ip = h.rsplit_once(':').map_or(h, |(ip, _)| ip);
        self.cluster.machines().iter().position(|m| m.hostname == h || m.addr.to_string() == ip)
    }

    /// Plays `steps`, printing `node$ command` then its output, as in a terminal.
    pub fn play(&mut self, steps: &[Step]) -> Transcript {
        let mut text = String::new();
        let mut failures = Vec::new();
        for step in steps {
            let _ = writeln!(text, "{}$ {}", step.node, step.command);
            let Some(idx) = self.cluster.machine_index(&step.node) else {
                let msg = format!("line {}: there is no node {:?} in this lab", step.line, step.node);
                let _ = writeln!(text, "swarmlab: {msg}");
                failures.push(msg);
                continue;
            };
            let run = self.run(idx, &step.command);
            text.push_str(&run.stdout);
            text.push_str(&run.stderr);
            let failed = run.code != 0;
            if failed != step.expect_failure {
                let what = if failed {
                    format!("failed (exit {})", run.code)
                } else {
                    "succeeded, but was expected to fail".into()
                };
                failures.push(format!("line {}: `{}` {what}", step.line, step.command));
            }
        }
        Transcript { text, failures }
    }
}

/// GNU sleep's operands, NUMBER[SUFFIX] (s, m, h, d), added up; errors in its words,
/// and past [`MAX_SLEEP`] in the lab's.
fn parse_sleep(args: &[String]) -> Result<Duration, String> {
    const TRY: &str = "Try 'sleep --help' for more information.\n";
    if args.is_empty() {
        return Err(format!("sleep: missing operand\n{TRY}"));
    }
    let mut secs = 0.0_f64;
    for a in args {
        if let Some(opt) = a.strip_prefix('-').and_then(|o| o.chars().next()) {
            return Err(format!("sleep: invalid option -- '{opt}'\n{TRY}"));
        }
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 && !v.is_nan() => secs += v * mult,
            _ => return Err(format!("sleep: invalid time interval '{a}'\n{TRY}")),
        }
    }
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d <= MAX_SLEEP => Ok(d),
        _ => Err(format!(
            "sleep: {} is longer than swarmlab's virtual clock runs: at most {} days at a time\n",
            args.join(" "),
            MAX_SLEEP.as_secs() / 86_400
        )),
    }
}

/// A duration as a learner reads it: `3d 4h`, `12m 5s`, `40s`.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    let parts = [(s / 86_400, "d"), (s / 3_600 % 24, "h"), (s / 60 % 60, "m"), (s % 60, "s")];
    let shown: Vec<String> = parts
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if shown.is_empty() { "0s".into() } else { shown.join(" ") }
}

/// Parses and plays a script on a fresh cluster, in the process's directory and not
/// outside it.
pub fn run_script(source: &str, name: &str, config: ClusterConfig) -> Result<Transcript, String> {
    let steps = script::parse(source, name)?;
    Ok(Session::new(config).play(&steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sleep(args: &[&str]) -> Result<Duration, String> {
        parse_sleep(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn sleeps_parse_like_gnu_sleep() {
        assert_eq!(sleep(&["20"]), Ok(Duration::from_secs(20)));
        assert_eq!(sleep(&["1.5"]), Ok(Duration::from_millis(1500)));
        assert_eq!(sleep(&["2m"]), Ok(Duration::from_secs(120)));
        assert_eq!(sleep(&["1m", "30"]), Ok(Duration::from_secs(90)), "operands add up");
        assert_eq!(
            sleep(&["x"]),
            Err("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n".into())
        );
        assert_eq!(sleep(&[]), Err("sleep: missing operand\nTry 'sleep --help' for more information.\n".into()));
        assert!(sleep(&["-1"]).unwrap_err().starts_with("sleep: invalid option -- '1'"));
        assert!(sleep(&["nan"]).is_err());
    }

    #[test]
    fn sleeps_past_the_clock_are_refused_not_a_crash() {
        for huge in ["1e20", "999999999d", "inf", "36501d"] {
            let e = sleep(&[huge]).unwrap_err();
            assert!(e.contains("longer than swarmlab's virtual clock runs: at most 36500 days"), "{huge}: {e}");
        }
        assert!(sleep(&["36500d"]).is_ok());
        let mut s = Session::new(ClusterConfig::default());
        let r = s.run(0, "sleep 1e20");
        assert_eq!(r.code, 1);
        assert_eq!(s.run(0, "sleep 365d").code, 0, "an idle cluster sleeps a year in one jump");
    }

    #[test]
    fn a_busy_cluster_sleeps_within_a_budget_of_work() {
        let mut s = Session::new(ClusterConfig::default());
        s.sleep_work = 20_000;
        assert_eq!(s.run(0, "docker swarm init").code, 0);
        assert_eq!(s.run(0, "docker service create -d --replicas 10 --name crash busybox false").code, 0);
        let start = s.cluster.now();
        let r = s.run(0, "sleep 3650d");
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.starts_with("sleep: swarmlab stopped after "), "{}", r.stderr);
        let slept = s.cluster.now().since(start);
        assert!(slept > Duration::from_secs(3600) && slept < Duration::from_secs(3650 * 86_400), "{slept:?}");
        assert_eq!(s.run(0, "docker service ls -q").code, 0, "the session carries on");
    }

    #[test]
    fn durations_read_as_a_learner_reads_them() {
        assert_eq!(human(Duration::from_secs(40)), "40s");
        assert_eq!(human(Duration::from_secs(3 * 86_400 + 4 * 3600 + 7)), "3d 4h");
        assert_eq!(human(Duration::from_secs(3600 + 5)), "1h");
        assert_eq!(human(Duration::ZERO), "0s");
    }

    #[test]
    fn host_flag_routes_to_the_named_node() {
        let t = run_script(
            "node1$ docker swarm init\nnode3$ docker -H node1 node ls -q\nnode3$ docker --host tcp://127.10.0.11:2375 info --format '{{.Name}}'\nnode3$ ! docker -H unix:///nowhere.sock info\n",
            "t",
            ClusterConfig::default(),
        )
        .unwrap();
        assert!(t.failures.is_empty(), "{:?}\n{}", t.failures, t.text);
        assert!(t.text.contains("info --format '{{.Name}}'\nnode1\n"), "{}", t.text);
        assert!(
            t.text
                .contains("Cannot connect to the Docker daemon at unix:///nowhere.sock. Is the docker daemon running?")
        );
    }

    #[test]
    fn cat_and_sed_work_on_the_sessions_files() {
        let dir = Workdir::temporary().unwrap();
        dir.provide([("stack.yml", "replicas: 2\nimage: nginx:1.27\n")]).unwrap();
        let mut s = Session::new(ClusterConfig::default()).in_dir(dir);
        let r = s.run(0, "sed -i 's/replicas: 2/replicas: 4/' stack.yml");
        assert_eq!((r.code, r.stderr.as_str()), (0, ""));
        assert_eq!(s.run(0, "sed s/nginx/httpd/ stack.yml").stdout, "replicas: 4\nimage: httpd:1.27\n");
        assert_eq!(s.run(0, "cat stack.yml").stdout, "replicas: 4\nimage: nginx:1.27\n", "printing does not edit");
        let missing = s.run(0, "sed -i s/a/b/ gone.yml");
        assert_eq!(
            (missing.code, missing.stderr.as_str()),
            (2, "sed: can't read gone.yml: No such file or directory\n")
        );
        let missing = s.run(0, "cat gone.yml");
        assert_eq!((missing.code, missing.stderr.as_str()), (1, "cat: gone.yml: No such file or directory\n"));
        assert_eq!(s.run(0, "sed -i 's/a/b' stack.yml").code, 1);
        assert!(s.dir().join("stack.yml").is_file());
    }

    #[test]
    fn unknown_nodes_and_commands_are_reported() {
        let t = run_script("node9$ docker info\nnode1$ frobnicate\n", "t", ClusterConfig::default()).unwrap();
        assert_eq!(t.failures.len(), 2);
        assert!(t.text.contains("sh: 1: frobnicate: not found"));
    }
}
