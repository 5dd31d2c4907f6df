//! `docker exec` in a simulated container: a few commands (cat, ls, env, hostname,
//! echo, true, false) over the files the container would have, secrets under
//! /run/secrets and configs at their targets among them.

use super::client::NodeClient;
use crate::api::{ApiError, ApiResult};
use base64::Engine;
use std::collections::BTreeMap;

impl NodeClient<'_> {
    pub(super) fn exec_impl(&mut self, reference: &str, argv: &[String]) -> ApiResult<(String, i32)> {
        let c = self.local_container(reference)?.clone();
        if !c.running() {
            return Err(ApiError::new(409, format!("container {} is not running", c.id)));
        }
        let files = self.container_files(&c);
        Ok(run(argv, &files, &c.hostname))
    }

    /// The files a container sees: its hostname, and the secrets and configs its task
    /// references, with their data from the swarm's store.
    fn container_files(&self, c: &crate::agent::executor::Container) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::from([("/etc/hostname".to_string(), format!("{}\n", c.hostname).into_bytes())]);
        let Some(store) = self.machine_ref().cluster_id().and_then(|id| self.sim().swarm(id)).map(|s| &s.store) else {
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

/// Runs one command line (busybox's words) over `files`.
fn run(argv: &[String], files: &BTreeMap<String, Vec<u8>>, hostname: &str) -> (String, i32) {
    let args = &argv[1..];
    match argv[0].as_str() {
        "cat" => {
            let (mut out, mut code) = (String::new(), 0);
            for f in args {
                match files.get(f) {
                    Some(data) => out.push_str(&String::from_utf8_lossy(data)),
                    None => {
                        out.push_str(&format!("cat: can't open '{f}': No such file or directory\n"));
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
        assert_eq!(run(&argv("cat /run/secrets/db_pw"), &files, "h"), ("s3cret".into(), 0));
        assert_eq!(run(&argv("ls /run/secrets"), &files, "h"), ("db_pw\n".into(), 0));
        assert_eq!(run(&argv("cat /nope"), &files, "h").1, 1);
        assert_eq!(run(&argv("frob"), &files, "h").1, 126);
    }
}
