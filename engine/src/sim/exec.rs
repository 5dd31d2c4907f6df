//! `docker exec` in a simulated container: a few commands (cat, ls, env, hostname,
//! echo, true, false, nslookup, getent hosts) over the files the container would
//! have (secrets under /run/secrets, configs at their targets) and the names the
//! swarm's DNS gives it.

use super::client::NodeClient;
use crate::api::{ApiError, ApiResult};
use base64::Engine;
use std::collections::BTreeMap;
use std::fmt::Write as _;

impl NodeClient<'_> {
    pub(super) fn exec_impl(&mut self, reference: &str, argv: &[String]) -> ApiResult<(String, i32)> {
        let c = self.local_container(reference)?.clone();
        if !c.running() {
            return Err(ApiError::new(409, format!("container {} is not running", c.id)));
        }
        let files = self.container_files(&c);
        let names = self.container_dns(&c);
        Ok(run(argv, &files, &c.hostname, &names))
    }

    /// What the swarm's embedded DNS answers inside a container: on each network its
    /// task joined (ingress has no DNS), every service there by name and alias (its
    /// VIP, or its tasks' addresses with dnsrr), `tasks.<name>` for the addresses of
    /// its running tasks, and the container's own hostname.
    fn container_dns(&self, c: &crate::agent::executor::Container) -> BTreeMap<String, Vec<String>> {
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let Some(store) = self.machine_ref().cluster_id().and_then(|id| self.sim().swarm(id)).map(|s| s.store()) else {
            return names;
        };
        let Some(me) = store.tasks.get(&c.task_id) else { return names };
        let ip = |a: &str| a.split('/').next().unwrap_or(a).to_string();
        for att in me.networks_attachments.iter().filter(|a| !a.network.spec.ingress) {
            let net = &att.network.id;
            if let Some(a) = att.addresses.first() {
                names.entry(c.hostname.clone()).or_default().push(ip(a));
            }
            for svc in store.services.values() {
                let Some(cfg) = svc.spec.task_template.networks.iter().find(|n| n.target == *net) else { continue };
                let mut tasks: Vec<String> = store
                    .service_tasks(&svc.id)
                    .filter(|t| t.status.state == crate::types::TaskState::Running)
                    .flat_map(|t| t.networks_attachments.iter().filter(|a| a.network.id == *net))
                    .filter_map(|a| a.addresses.first().map(|x| ip(x)))
                    .collect();
                tasks.sort();
                let vip: Vec<String> =
                    svc.endpoint.virtual_ips.iter().filter(|v| v.network_id == *net).map(|v| ip(&v.addr)).collect();
                let answer = if svc.endpoint.spec.mode == "dnsrr" { tasks.clone() } else { vip };
                for name in std::iter::once(&svc.spec.name).chain(cfg.aliases.iter()) {
                    if !answer.is_empty() {
                        names.entry(name.clone()).or_default().extend(answer.iter().cloned());
                    }
                    if !tasks.is_empty() {
                        names.entry(format!("tasks.{name}")).or_default().extend(tasks.iter().cloned());
                    }
                }
            }
        }
        names
    }

    /// The files a container sees: its hostname, and the secrets and configs its task
    /// references, with their data from the swarm's store.
    fn container_files(&self, c: &crate::agent::executor::Container) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::from([("/etc/hostname".to_string(), format!("{}\n", c.hostname).into_bytes())]);
        let Some(store) = self.machine_ref().cluster_id().and_then(|id| self.sim().swarm(id)).map(|s| s.store()) else {
            return files;
        };
        let Some(spec) = store.tasks.get(&c.task_id).and_then(|t| t.spec.container_spec.as_ref()) else { return files };
        let decode = |d: &str| base64::engine::general_purpose::STANDARD.decode(d).unwrap_or_default();
        for r in &spec.secrets {
            let target = r.file.as_ref().map_or(r.secret_name.clone(), |f| f.name.clone());
            let path = if target.starts_with('/') { target } else { format!("/run/secrets/{target}") };
            files.insert(path, store.secrets.get(&r.secret_id).map(|s| decode(&s.spec.data)).unwrap_or_default());
        }
        for r in &spec.configs {
            let target = r.file.as_ref().map_or(r.config_name.clone(), |f| f.name.clone());
            let path = if target.starts_with('/') { target } else { format!("/{target}") };
            files.insert(path, store.configs.get(&r.config_id).map(|s| decode(&s.spec.data)).unwrap_or_default());
        }
        files
    }
}

/// busybox nslookup through Docker's embedded DNS server.
fn nslookup(name: &str, names: &BTreeMap<String, Vec<String>>) -> (String, i32) {
    let mut out = String::from("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n");
    match names.get(name) {
        Some(ips) => {
            out.push_str("Non-authoritative answer:\n");
            for ip in ips {
                let _ = write!(out, "Name:\t{name}\nAddress: {ip}\n");
            }
            out.push('\n');
            (out, 0)
        }
        None => {
            let _ = write!(out, "** server can't find {name}: NXDOMAIN\n\n");
            (out, 1)
        }
    }
}

/// Runs one command line (busybox's words) over `files`, with `names` as what the
/// container's DNS resolves.
fn run(
    argv: &[String],
    files: &BTreeMap<String, Vec<u8>>,
    hostname: &str,
    names: &BTreeMap<String, Vec<String>>,
) -> (String, i32) {
    let args = &argv[1..];
    match argv[0].as_str() {
        "cat" => {
            let (mut out, mut code) = (String::new(), 0);
            for f in args {
                match files.get(f) {
                    Some(data) => out.push_str(&String::from_utf8_lossy(data)),
                    None => {
                        let _ = writeln!(out, "cat: can't open '{f}': No such file or directory");
                        code = 1;
                    }
                }
            }
            (out, code)
        }
        "ls" => {
            let dir = args.iter().find(|a| !a.starts_with('-')).map_or("/", String::as_str).trim_end_matches('/');
            let prefix = format!("{dir}/");
            let mut names: Vec<&str> = files
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix))
                .map(|rest| rest.split('/').next().unwrap_or(rest))
                .collect();
            names.dedup();
            if names.is_empty() && !files.contains_key(dir) {
                return (format!("ls: {dir}: No such file or directory\n"), 1);
            }
            if names.is_empty() {
                return (format!("{dir}\n"), 0);
            }
            (names.iter().map(|n| format!("{n}\n")).collect(), 0)
        }
        "hostname" => (format!("{hostname}\n"), 0),
        "nslookup" => match args.first() {
            Some(name) => nslookup(name, names),
            None => (
                "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n"
                    .into(),
                1,
            ),
        },
        // glibc's getent: one line per address, `%-15s %s`.
        "getent" if args.first().is_some_and(|a| a == "hosts") => {
            let found: Vec<String> = args[1..]
                .iter()
                .flat_map(|n| names.get(n).into_iter().flatten().map(move |ip| format!("{ip:<15} {n}\n")))
                .collect();
            if found.is_empty() { (String::new(), 2) } else { (found.concat(), 0) }
        }
        "env" => (
            format!(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME={hostname}\nHOME=/root\n"
            ),
            0,
        ),
        "echo" => (format!("{}\n", args.join(" ")), 0),
        "true" => (String::new(), 0),
        "false" => (String::new(), 1),
        other => (
            format!(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{other}\": executable file not found in $PATH: unknown\n"
            ),
            126,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_words_over_the_files() {
        let files = BTreeMap::from([
            ("/run/secrets/db_pw".to_string(), b"s3cret".to_vec()),
            ("/etc/app.conf".to_string(), b"port=80".to_vec()),
        ]);
        let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let names = BTreeMap::from([("tasks.web".to_string(), vec!["10.0.1.3".to_string(), "10.0.1.4".to_string()])]);
        let run = |s: &str| run(&argv(s), &files, "h", &names);
        assert_eq!(run("cat /run/secrets/db_pw"), ("s3cret".into(), 0));
        assert_eq!(run("ls /run/secrets"), ("db_pw\n".into(), 0));
        assert_eq!(run("cat /nope").1, 1);
        assert_eq!(run("frob").1, 126);
        assert_eq!(run("getent hosts tasks.web"), ("10.0.1.3        tasks.web\n10.0.1.4        tasks.web\n".into(), 0));
        assert_eq!(run("getent hosts nope").1, 2);
        let (out, code) = run("nslookup tasks.web");
        assert!(out.contains("Name:\ttasks.web\nAddress: 10.0.1.4\n") && code == 0, "{out}");
        assert!(run("nslookup nope").0.contains("** server can't find nope: NXDOMAIN"));
    }
}
