//! The simulated registry: well-known images with their default commands and sizes,
//! and what a container running a given command does (serve HTTP, exit, sleep…).
//! Lessons can make an image missing or crash on start to teach restarts and rollbacks.

use std::collections::BTreeMap;
use std::time::Duration;

/// What a registry knows of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub repository: &'static str,
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// Compressed size, which sets how long a first pull takes.
    pub size_mb: u32,
    /// A process that ignores SIGTERM as PID 1 waits for the stop grace period.
    pub stops_on_sigterm: bool,
    /// The HTTP port its server listens on, when it is a web server.
    pub http_port: Option<u16>,
}

const fn image(
    repository: &'static str,
    entrypoint: &'static [&'static str],
    cmd: &'static [&'static str],
    size_mb: u32,
    http_port: Option<u16>,
) -> ImageInfo {
    ImageInfo { repository, entrypoint, cmd, size_mb, stops_on_sigterm: true, http_port }
}

/// Images a swarm tutorial reaches for, by repository name.
pub const CATALOGUE: &[ImageInfo] = &[
    image("nginx", &["/docker-entrypoint.sh"], &["nginx", "-g", "daemon off;"], 68, Some(80)),
    image("httpd", &[], &["httpd-foreground"], 58, Some(80)),
    image("redis", &["docker-entrypoint.sh"], &["redis-server"], 45, None),
    image("postgres", &["docker-entrypoint.sh"], &["postgres"], 150, None),
    image("mysql", &["docker-entrypoint.sh"], &["mysqld"], 170, None),
    ImageInfo { stops_on_sigterm: false, ..image("alpine", &[], &["/bin/sh"], 4, None) },
    ImageInfo { stops_on_sigterm: false, ..image("busybox", &[], &["sh"], 2, None) },
    ImageInfo { stops_on_sigterm: false, ..image("ubuntu", &[], &["/bin/bash"], 30, None) },
    image("traefik/whoami", &["/whoami"], &[], 3, Some(80)),
    image("containous/whoami", &["/whoami"], &[], 3, Some(80)),
    image("instavote/vote", &["gunicorn", "app:app", "-b", "0.0.0.0:80"], &[], 45, Some(80)),
    image("dockersamples/examplevotingapp_vote", &["python", "app.py"], &[], 45, Some(80)),
    image("dockersamples/examplevotingapp_result", &["docker-entrypoint.sh"], &["node", "server.js"], 60, Some(80)),
    image("dockersamples/examplevotingapp_worker", &["dotnet", "Worker.dll"], &[], 70, None),
    image("dockersamples/visualizer", &["npm", "start"], &[], 60, Some(8080)),
    image("traefik", &["/entrypoint.sh"], &["traefik"], 45, Some(80)),
    image("portainer/portainer-ce", &["/portainer"], &[], 80, Some(9000)),
    image("registry", &["/entrypoint.sh"], &["/etc/docker/registry/config.yml"], 10, Some(5000)),
    image("node", &["docker-entrypoint.sh"], &["node"], 400, None),
    image("python", &[], &["python3"], 370, None),
];

/// A reference split into repository and tag: `nginx:1.27` -> ("nginx", "1.27").
pub fn split_ref(reference: &str) -> (String, String) {
    let without_digest = reference.split('@').next().unwrap_or(reference);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match without_digest[last_slash..].rfind(':') {
        Some(i) => (&without_digest[..last_slash + i], &without_digest[last_slash + i + 1..]),
        None => (without_digest, "latest"),
    };
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    (repo.to_string(), tag.to_string())
}

/// What lessons can do to an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The registry does not have it: tasks are rejected ("No such image").
    Missing,
    /// Its containers exit with this code as soon as they start.
    Crash(i64),
}

/// The registry every node pulls from.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    faults: BTreeMap<String, Fault>,
}

impl Registry {
    fn key(reference: &str) -> String {
        let (repo, tag) = split_ref(reference);
        format!("{repo}:{tag}")
    }

    pub fn set_fault(&mut self, reference: &str, fault: Option<Fault>) {
        match fault {
            Some(f) => self.faults.insert(Self::key(reference), f),
            None => self.faults.remove(&Self::key(reference)),
        };
    }

    pub fn fault(&self, reference: &str) -> Option<Fault> {
        self.faults.get(&Self::key(reference)).copied()
    }

    /// The digest the registry reports for a reference, or None when it has no such image.
    pub fn digest(&self, reference: &str) -> Option<String> {
        if self.fault(reference) == Some(Fault::Missing) {
            return None;
        }
        let key = Self::key(reference);
        Some(format!("sha256:{}", crate::ids::hex(&crate::ids::sha256(format!("swarmlab image {key}").as_bytes()))))
    }

    /// `nginx` -> `nginx:latest@sha256:…`, as the docker CLI pins service images.
    pub fn pin(&self, reference: &str) -> Option<String> {
        if reference.contains('@') {
            return Some(reference.to_string());
        }
        Some(pinned(reference, &self.digest(reference)?))
    }

    /// How long a node takes to pull an image it does not have.
    pub fn pull_time(&self, reference: &str) -> Duration {
        let (repo, _) = split_ref(reference);
        let mb = lookup(&repo).map_or(20, |i| i.size_mb);
        Duration::from_millis(800 + u64::from(mb) * 40)
    }
}

/// `nginx` + digest -> `nginx:latest@sha256:…`, as moby's client pins service images.
pub fn pinned(reference: &str, digest: &str) -> String {
    let (_, tag) = split_ref(reference);
    let name = reference.strip_suffix(&format!(":{tag}")).unwrap_or(reference);
    format!("{name}:{tag}@{digest}")
}

/// moby's client warning when the registry cannot give an image's digest.
pub fn digest_warning(image: &str) -> String {
    format!(
        "image {image} could not be accessed on a registry to record\nits digest. Each node will access {image} independently,\npossibly leading to different nodes running different\nversions of the image.\n"
    )
}

pub fn lookup(repository: &str) -> Option<&'static ImageInfo> {
    CATALOGUE.iter().find(|i| i.repository == repository)
}

/// What a container's process does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// Runs until stopped; answers HTTP on `http_port` when it has one.
    Serve { http_port: Option<u16> },
    /// Exits with `code` after `after`, printing `output`.
    Exit { code: i64, after: Duration, output: Vec<String> },
    /// Prints a line every second until stopped (ping).
    Ticker { line: String, limit: Option<u64> },
}

/// The process a container runs: image defaults overridden by the service's
/// command (entrypoint) and args, as Docker combines them.
pub fn process(image: &str, command: &[String], args: &[String]) -> Vec<String> {
    let (repo, _) = split_ref(image);
    let info = lookup(&repo);
    let entrypoint: Vec<String> = if command.is_empty() {
        info.map(|i| i.entrypoint.iter().map(|s| s.to_string()).collect()).unwrap_or_default()
    } else {
        command.to_vec()
    };
    let cmd: Vec<String> = if !args.is_empty() {
        args.to_vec()
    } else if command.is_empty() {
        info.map(|i| i.cmd.iter().map(|s| s.to_string()).collect()).unwrap_or_default()
    } else {
        Vec::new()
    };
    entrypoint.into_iter().chain(cmd).collect()
}

/// What running `argv` in a container of `image` does.
pub fn behaviour(image: &str, argv: &[String]) -> Behaviour {
    let (repo, _) = split_ref(image);
    let info = lookup(&repo);
    let http_port = info.and_then(|i| i.http_port);
    let quick = |code: i64, output: Vec<String>| Behaviour::Exit { code, after: Duration::from_millis(100), output };
    let Some(prog) = argv.first() else {
        // An unknown image with no command: assume a long-running service.
        return Behaviour::Serve { http_port };
    };
    let name = prog.rsplit('/').next().unwrap_or(prog).to_string();
    let rest = &argv[1..];
    match name.as_str() {
        "sh" | "bash" | "ash" if rest.first().map(String::as_str) == Some("-c") => {
            let script = rest.get(1).cloned().unwrap_or_default();
            shell_behaviour(image, &script, http_port)
        }
        // A shell with no terminal and no script exits at once.
        "sh" | "bash" | "ash" => quick(0, Vec::new()),
        "sleep" => match rest.first().map(String::as_str) {
            Some("infinity") | Some("inf") => Behaviour::Serve { http_port: None },
            Some(n) => match n.parse::<f64>() {
                Ok(secs) if secs >= 0.0 => {
                    Behaviour::Exit { code: 0, after: Duration::from_secs_f64(secs), output: Vec::new() }
                }
                _ => quick(1, vec![format!("sleep: invalid number '{n}'")]),
            },
            None => quick(1, vec!["sleep: missing operand".into()]),
        },
        "echo" => quick(0, vec![rest.join(" ")]),
        "true" => quick(0, Vec::new()),
        "false" => quick(1, Vec::new()),
        "exit" => quick(rest.first().and_then(|c| c.parse().ok()).unwrap_or(0), Vec::new()),
        "ping" => {
            let target = rest.iter().rfind(|a| !a.starts_with('-')).cloned().unwrap_or_else(|| "localhost".into());
            let limit = rest.iter().position(|a| a == "-c").and_then(|i| rest.get(i + 1)).and_then(|c| c.parse().ok());
            Behaviour::Ticker { line: format!("64 bytes from {target}: seq={{seq}} ttl=64 time=0.080 ms"), limit }
        }
        "tail" if rest.iter().any(|a| a == "-f" || a == "-F") => Behaviour::Serve { http_port: None },
        // whoami listens where `--port N` (or `--port=N`) says.
        "whoami" => Behaviour::Serve { http_port: flag_port(rest).or(http_port) },
        _ => Behaviour::Serve { http_port },
    }
}

fn flag_port(args: &[String]) -> Option<u16> {
    args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--port") {
        Some("") => args.get(i + 1)?.parse().ok(),
        Some(v) => v.strip_prefix('=')?.parse().ok(),
        None => None,
    })
}

/// `sh -c SCRIPT`: the few scripts tutorials use, else a long-running process.
/// A script's statements (`a; b && c`), in order.
fn statements(script: &str) -> Vec<&str> {
    script.split(';').flat_map(|s| s.split("&&")).map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// What `sh -c 'echo …; echo …; CMD'` prints before its last statement runs.
pub fn prelude(argv: &[String]) -> Vec<String> {
    let name = argv.first().map(|p| p.rsplit('/').next().unwrap_or(p));
    if !matches!(name, Some("sh" | "bash" | "ash")) || argv.get(1).map(String::as_str) != Some("-c") {
        return Vec::new();
    }
    let script = argv.get(2).map_or("", String::as_str);
    let stmts = statements(script);
    stmts[..stmts.len().saturating_sub(1)]
        .iter()
        .filter_map(|s| s.strip_prefix("echo").filter(|r| r.is_empty() || r.starts_with(' ')))
        .map(|r| r.split_whitespace().map(|w| w.trim_matches(['"', '\''])).collect::<Vec<_>>().join(" "))
        .collect()
}

fn shell_behaviour(image: &str, script: &str, http_port: Option<u16>) -> Behaviour {
    // The last statement is what keeps running (or exits); echoes before it are the
    // prelude the agent logs at start.
    let last = statements(script).last().copied().unwrap_or("");
    let words: Vec<String> = last.split_whitespace().map(str::to_string).collect();
    match words.first().map(String::as_str) {
        Some("exit") => Behaviour::Exit {
            code: words.get(1).and_then(|c| c.parse().ok()).unwrap_or(0),
            after: Duration::from_millis(100),
            output: Vec::new(),
        },
        Some("while") | Some("for") => Behaviour::Ticker { line: "…".into(), limit: None },
        Some(_) => behaviour(image, &words),
        None => Behaviour::Exit { code: 0, after: Duration::from_millis(100), output: Vec::new() },
    }
    .with_default_port(http_port)
}

impl Behaviour {
    fn with_default_port(self, http_port: Option<u16>) -> Behaviour {
        match self {
            Behaviour::Serve { http_port: None } => Behaviour::Serve { http_port },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn references_split_like_docker() {
        assert_eq!(split_ref("nginx"), ("nginx".into(), "latest".into()));
        assert_eq!(split_ref("nginx:1.27@sha256:abc"), ("nginx".into(), "1.27".into()));
        assert_eq!(split_ref("localhost:5000/app"), ("localhost:5000/app".into(), "latest".into()));
        assert_eq!(split_ref("docker.io/library/redis:7"), ("redis".into(), "7".into()));
    }

    #[test]
    fn commands_combine_like_docker() {
        assert_eq!(process("nginx", &[], &[]), v(&["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]));
        assert_eq!(process("alpine", &[], &v(&["ping", "docker.com"])), v(&["ping", "docker.com"]));
        assert_eq!(process("nginx", &v(&["sleep"]), &[]), v(&["sleep"]));
    }

    #[test]
    fn behaviours() {
        assert_eq!(behaviour("nginx", &process("nginx", &[], &[])), Behaviour::Serve { http_port: Some(80) });
        assert!(matches!(behaviour("alpine", &process("alpine", &[], &[])), Behaviour::Exit { code: 0, .. }));
        assert!(matches!(behaviour("alpine", &v(&["sh", "-c", "exit 3"])), Behaviour::Exit { code: 3, .. }));
        assert!(
            matches!(behaviour("alpine", &v(&["sleep", "5"])), Behaviour::Exit { code: 0, after, .. } if after == Duration::from_secs(5))
        );
        assert!(matches!(behaviour("alpine", &v(&["ping", "docker.com"])), Behaviour::Ticker { limit: None, .. }));
    }

    #[test]
    fn faults_and_digests() {
        let mut r = Registry::default();
        assert!(r.pin("nginx").is_some_and(|p| p.starts_with("nginx:latest@sha256:")));
        assert!(r.pin("nginx:1.27").is_some_and(|p| p.starts_with("nginx:1.27@sha256:")));
        r.set_fault("nginx:1.99", Some(Fault::Missing));
        assert_eq!(r.pin("nginx:1.99"), None);
        assert_eq!(r.digest("docker.io/library/nginx:1.99"), None);
        r.set_fault("nginx:1.99", None);
        assert!(r.digest("nginx:1.99").is_some());
    }
}
