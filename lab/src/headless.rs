//! `swarmlab run`: plays a transcript script against a fresh simulated cluster and
//! prints what a learner would have seen, prompt and output, line by line.

use crate::files::Workdir;
use crate::script::{self, Step};
use crate::shell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use swarmlab_engine::cli::{self, Env};
use swarmlab_engine::sim::{Cluster, ClusterConfig};

/// Commands run without a terminal; progress output gives up after five minutes
/// of virtual time, as a learner pressing Ctrl-C would.
const PROGRESS_LIMIT: Duration = Duration::from_secs(300);

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
    /// Where relative file names start (a lesson's files); None: the process's own
    /// working directory.
    workdir: Option<Workdir>,
}

impl Session {
    pub fn new(config: ClusterConfig) -> Self {
        Self::on(Cluster::new(config))
    }

    /// A session over an existing cluster (the lab's, when it fast-forwards).
    pub fn on(cluster: Cluster) -> Self {
        Session { cluster, vars: BTreeMap::new(), history: Vec::new(), workdir: None }
    }

    /// The same session, its commands working in `dir`.
    pub fn in_dir(self, dir: Workdir) -> Self {
        Session { workdir: Some(dir), ..self }
    }

    /// Where relative file names start, when not the process's working directory.
    pub fn dir(&self) -> Option<&Path> {
        self.workdir.as_ref().map(Workdir::path)
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
        if let Some((name, value)) = shell::assignment(line) {
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
        let vars = self.vars.clone();
        let lookup = move |n: &str| vars.get(n).cloned();
        let mut sub = |cmd: &str| -> Result<String, String> {
            let words = self.expand(idx, cmd)?;
            Ok(self.command(idx, &words).stdout)
        };
        shell::words(text, &lookup, &mut sub)
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
                let dir = self.workdir.as_ref().map(Workdir::path);
                let cwd = dir.map_or_else(crate::files::working_dir, |d| Some(d.to_string_lossy().into_owned()));
                let read = |path: &str| crate::files::read_in(dir, path);
                let env = Env {
                    width: None,
                    progress_limit: Some(PROGRESS_LIMIT),
                    read: Some(&read),
                    var: None,
                    cwd: cwd.as_deref(),
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
            "sleep" => match words.get(1).and_then(|s| parse_sleep(s)) {
                Some(d) => {
                    self.cluster.advance(d);
                    ok(String::new())
                }
                None => Run { stdout: String::new(), stderr: "sleep: invalid time interval\n".into(), code: 1 },
            },
            other => Run { stdout: String::new(), stderr: format!("sh: 1: {other}: not found\n"), code: 127 },
        }
    }

    /// A path as the shell would open it: relative ones from the working directory.
    fn path(&self, name: &str) -> PathBuf {
        match self.dir() {
            Some(d) => d.join(name),
            None => PathBuf::from(name),
        }
    }

    /// `cat FILE…`, to look at a lesson's files.
    fn cat(&mut self, args: &[String]) -> Run {
        let mut run = Run { stdout: String::new(), stderr: String::new(), code: 0 };
        for name in args {
            match std::fs::read(self.path(name)) {
                Ok(bytes) => run.stdout.push_str(&String::from_utf8_lossy(&bytes)),
                Err(e) => {
                    run.stderr.push_str(&format!("cat: {name}: {}\n", os_error(&e)));
                    run.code = 1;
                }
            }
        }
        run
    }

    /// `sed [-i] [-e] 's/RE/REPLACEMENT/[g]' FILE…` (see [`crate::sed`]): edits a
    /// lesson's file in place, as a learner would in a real shell.
    fn sed(&mut self, args: &[String]) -> Run {
        let crate::sed::Invocation { in_place, sub, files } = match crate::sed::Invocation::parse(args) {
            Ok(i) => i,
            Err((message, code)) => return Run { stdout: String::new(), stderr: format!("{message}\n"), code },
        };
        let mut run = Run { stdout: String::new(), stderr: String::new(), code: 0 };
        for name in files {
            let path = self.path(&name);
            let text = match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    run.stderr.push_str(&format!("sed: can't read {name}: {}\n", os_error(&e)));
                    run.code = 2;
                    continue;
                }
            };
            let edited = sub.apply(&text);
            if !in_place {
                run.stdout.push_str(&edited);
            } else if let Err(e) = std::fs::write(&path, edited) {
                run.stderr.push_str(&format!("sed: couldn't edit {name}: {}\n", os_error(&e)));
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
        use crate::control::{self, Action};
        let fail = |msg: &str| Run { stdout: String::new(), stderr: format!("lab: {msg}\n"), code: 2 };
        let action = match control::parse(args) {
            Ok(a) => a,
            Err(e) => return fail(&e),
        };
        match control::apply(&mut self.cluster, &action) {
            Ok(Some(stdout)) => Run { stdout, stderr: String::new(), code: 0 },
            Ok(None) if action == Action::Skip => {
                self.cluster.run_until_idle_within(crate::world::SKIP_LIMIT);
                Run { stdout: String::new(), stderr: String::new(), code: 0 }
            }
            Ok(None) => fail("speed and reset apply to the live lab only"),
            Err(e) => fail(&e),
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

/// The C library's wording of an I/O error, as cat and sed print it.
fn os_error(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory",
        std::io::ErrorKind::PermissionDenied => "Permission denied",
        std::io::ErrorKind::IsADirectory => "Is a directory",
        _ => "Input/output error",
    }
}

/// GNU sleep's NUMBER[SUFFIX] (s, m, h, d).
fn parse_sleep(s: &str) -> Option<Duration> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then(|| Duration::from_secs_f64(v * mult))
}

/// Parses and plays a script on a fresh cluster.
pub fn run_script(source: &str, name: &str, config: ClusterConfig) -> Result<Transcript, String> {
    let steps = script::parse(source, name)?;
    Ok(Session::new(config).play(&steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_parse_like_gnu_sleep() {
        assert_eq!(parse_sleep("20"), Some(Duration::from_secs(20)));
        assert_eq!(parse_sleep("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_sleep("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_sleep("x"), None);
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
        assert!(s.dir().is_some_and(|d| d.join("stack.yml").is_file()));
    }

    #[test]
    fn unknown_nodes_and_commands_are_reported() {
        let t = run_script("node9$ docker info\nnode1$ frobnicate\n", "t", ClusterConfig::default()).unwrap();
        assert_eq!(t.failures.len(), 2);
        assert!(t.text.contains("sh: 1: frobnicate: not found"));
    }
}
