//! The lab's Docker API sockets against the real docker CLI: two identical virtual
//! clusters (same seed, clock paused, events run to idle after each command), one
//! driven by the installed docker CLI over its node sockets, the other by swarmlab's
//! own docker command line over HTTP (the pane shim's path). Every command must print
//! the same bytes and exit with the same code on both.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use swarmlab::clock::Speed;
use swarmlab::shim::http::UnixTransport;
use swarmlab::shim::remote::RemoteApi;
use swarmlab::world::World;
use swarmlab_engine::cli::{self, Env, Output};
use swarmlab_engine::sim::ClusterConfig;

struct Lab {
    world: Arc<World>,
    dir: PathBuf,
}

impl Lab {
    fn start(rt: &tokio::runtime::Runtime, name: &str) -> Lab {
        let dir = std::env::temp_dir().join(format!("swarmlab-daemon-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let world = World::at(ClusterConfig { nodes: 3, seed: 7, ..ClusterConfig::default() }, Speed::Paused);
        let _enter = rt.enter();
        swarmlab::daemon::spawn_all(&world, &dir).expect("bind the node sockets");
        Lab { world, dir }
    }

    fn socket(&self, node: usize) -> PathBuf {
        self.dir.join(format!("node{node}.sock"))
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn real_docker() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("docker")).find(|p| p.is_file())
}

fn run_real(docker: &Path, socket: &Path, args: &[String], config: &Path) -> Output {
    let out = Command::new(docker)
        .args(args)
        .env("DOCKER_HOST", format!("unix://{}", socket.display()))
        .env("DOCKER_CONFIG", config)
        .env_remove("DOCKER_CONTEXT")
        .output()
        .expect("run docker");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
        delay: Default::default(),
    }
}

fn run_shim(socket: &Path, args: &[String]) -> Output {
    let mut api = RemoteApi::new(UnixTransport::new(socket.to_path_buf()));
    cli::run(args, &mut api, Env { read: Some(&swarmlab::headless::files::read_without_stdin), ..Env::default() })
}

/// Splits on spaces, keeping `'…'` together (quotes removed).
fn words(command: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in command.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => out.extend((!cur.is_empty()).then(|| std::mem::take(&mut cur))),
            c => cur.push(c),
        }
    }
    out.extend((!cur.is_empty()).then_some(cur));
    out
}

/// (node, command): `$W` stands for the worker join token, `$F` for a file holding a
/// secret, `$C` and `$S` for a compose file and its edit with one more replica, `$E`
/// for an empty word (what the shell's completion asks about a word not begun).
const SESSION: &[(usize, &str)] = &[
    (1, "version --format {{.Server.Version}}/{{.Server.APIVersion}}"),
    (1, "__complete no"),
    (1, "__complete -"),
    (1, "__complete node $E"),
    (1, "__complete node inspect $E"),
    (2, "node ls"),
    (1, "swarm init --advertise-addr 127.10.0.11"),
    (1, "swarm init"),
    (1, "swarm join-token worker"),
    (1, "swarm join-token -q manager"),
    (2, "swarm join --token $W 127.10.0.11:2377"),
    (3, "swarm join --token $W 127.10.0.11:2377"),
    (3, "swarm join --token SWMTKN-1-bad 127.10.0.11:2377"),
    (1, "node ls"),
    (1, "__complete node inspect $E"),
    (2, "__complete node inspect $E"),
    (1, "__complete node ls -"),
    (1, "__complete node ls -q -"),
    (1, "__complete node ls --f"),
    (1, "__complete node update --availability $E"),
    (1, "__complete node update --role $E"),
    (1, "__complete -H unix:///nowhere.sock no"),
    (1, "__completeNoDesc swarm join-t"),
    (1, "__complete swarm join-token $E"),
    (1, "node promote node2"),
    (1, "node promote node2"),
    (1, "node ls"),
    (2, "node demote node2"),
    (1, "node update --availability drain node3"),
    (1, "node update --label-add zone=a --label-add disk=ssd node3"),
    (1, "node inspect node3"),
    (1, "node inspect --pretty node3"),
    (1, "node update --availability active node3"),
    (1, "node inspect nope"),
    (1, "node inspect --format {{.ID node3"),
    (1, "service inspect --format {{.Spec.Name nope"),
    (3, "node ls"),
    (1, "service create -d --name web --replicas 3 -p 8080:80 nginx"),
    (1, "service create -d --name web nginx"),
    (1, "service create -d --publish bad nginx"),
    (1, "service ls"),
    (1, "__complete service $E"),
    (1, "__complete service ps $E"),
    (1, "__complete service scale $E"),
    (1, "__complete service create --mode $E"),
    (1, "__complete service create --name x $E"),
    (1, "__complete service update --re"),
    (1, "__complete service update --update-order $E"),
    (1, "service ps --format {{.Name}}/{{.Node}}/{{.DesiredState}}/{{.Image}} web"),
    (1, "service scale -d web=5"),
    (1, "service ls"),
    (1, "service update -d --image nginx:1.27 --update-parallelism 2 web"),
    (1, "service inspect web"),
    (1, "service ps -q --filter desired-state=running web"),
    (1, "service update -d --rollback web"),
    (1, "service ls"),
    (1, "node ps --format {{.Name}}/{{.DesiredState}} node2"),
    (3, "service ls"),
    (1, "service rm web"),
    (1, "service rm web"),
    (1, "secret create db_pw $F"),
    (1, "secret create db_pw $F"),
    (1, "secret create -l team=a --label x api_key $F"),
    (1, "secret ls --format {{.Name}}:{{.Labels}}"),
    (1, "secret inspect --format {{.Spec.Name}}/{{.Spec.Labels}} api_key db_pw"),
    (1, "secret inspect --pretty nope"),
    (1, "secret rm db_pw nope api_key"),
    (3, "secret ls"),
    (1, "config create app_conf $F"),
    (1, "config create -l env=prod other $F"),
    (1, "config ls --format {{.Name}}:{{.Labels}}"),
    (1, "config inspect --format {{.Spec.Name}}:{{.Spec.Data}} app_conf"),
    (1, "config create app_conf"),
    (1, "secret create db_pw $F"),
    (1, "config create app_conf $F"),
    (
        1,
        "service create -d --name sv --secret db_pw --config source=app_conf,target=/etc/app.conf,mode=0400 busybox sleep 1000",
    ),
    (
        1,
        "service inspect --format '{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}}:{{.File.Name}}:{{.File.Mode}} {{end}}/{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}:{{.File.Name}}:{{.File.Mode}} {{end}}' sv",
    ),
    (1, "service update -d --secret-rm db_pw --config-add source=other,target=/o sv"),
    (1, "config create other $F"),
    (1, "service update -d --secret-rm db_pw --config-add source=other,target=/o sv"),
    (
        1,
        "service inspect --format '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}:{{.File.Name}} {{end}}' sv",
    ),
    (1, "secret rm db_pw"),
    (1, "config rm app_conf other"),
    (1, "service rm sv"),
    (1, "config rm app_conf other app_conf"),
    (1, "service ls"),
    (1, "network create -d overlay --attachable front"),
    (1, "network create -d overlay front"),
    (1, "network ls --filter driver=overlay --format {{.Name}}/{{.Driver}}/{{.Scope}}"),
    (1, "network inspect front"),
    (1, "network inspect --format '{{.Name}}/{{.Attachable}}/{{range .IPAM.Config}}{{.Subnet}}{{end}}' front ingress"),
    (1, "stack deploy -c $C app"),
    (1, "stack ls"),
    (1, "stack services app"),
    (1, "__complete stack ps $E"),
    (1, "__complete network inspect $E"),
    (1, "stack ps --format {{.Name}}/{{.DesiredState}}/{{.Image}} app"),
    (1, "network ls"),
    (2, "network ls"),
    (1, "service inspect --format '{{.Spec.Labels}}/{{len .Endpoint.VirtualIPs}}' app_web"),
    (1, "stack deploy -c $S app"),
    (1, "stack services app"),
    (1, "network rm front"),
    (1, "stack rm app"),
    (1, "stack rm app"),
    (1, "network rm front nope"),
    (1, "stack config -c $S"),
    (1, "swarm leave"),
    (3, "swarm leave"),
    (1, "node ls"),
    (1, "node rm node3"),
    (1, "node ls"),
];

const COMPOSE: &str = "version: \"3.8\"
services:
  web:
    image: nginx
    ports: [\"8080:80\"]
    networks: [default, front]
    secrets: [pw]
    deploy:
      replicas: 2
networks:
  front:
    external: true
secrets:
  pw:
    file: ./secret.txt
";

#[test]
fn the_real_docker_cli_and_the_shim_print_the_same_through_the_sockets() {
    let Some(docker) = real_docker() else {
        eprintln!("\n\n!!! NO docker CLI ON PATH: the real-client compatibility test did NOT run !!!\n\n");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (real, ours) = (Lab::start(&rt, "real"), Lab::start(&rt, "shim"));
    let config = real.dir.join("docker-config");
    std::fs::create_dir_all(&config).unwrap();
    let mut token = String::new();
    let secret_file = real.dir.join("secret.txt");
    std::fs::write(&secret_file, "s3cret").unwrap();
    let compose = real.dir.join("docker-compose.yml");
    std::fs::write(&compose, COMPOSE).unwrap();
    let scaled = real.dir.join("docker-compose.scaled.yml");
    std::fs::write(&scaled, COMPOSE.replace("replicas: 2", "replicas: 3")).unwrap();
    let mut mismatches = Vec::new();
    for (node, command) in SESSION {
        let args: Vec<String> = words(command)
            .into_iter()
            .map(|w| {
                w.replace("$W", &token)
                    .replace("$F", &secret_file.display().to_string())
                    .replace("$C", &compose.display().to_string())
                    .replace("$S", &scaled.display().to_string())
                    .replace("$E", "")
            })
            .collect();
        let a = run_real(&docker, &real.socket(*node), &args, &config);
        let b = run_shim(&ours.socket(*node), &args);
        if *command == "swarm join-token worker" {
            token = a.stdout.split_whitespace().find(|w| w.starts_with("SWMTKN")).unwrap_or("").to_string();
        }
        if (&a.stdout, &a.stderr, a.code) != (&b.stdout, &b.stderr, b.code) {
            mismatches.push(format!(
                "node{node}$ docker {command}\n--- real docker ({})\n{}{}--- swarmlab ({})\n{}{}",
                a.code, a.stdout, a.stderr, b.code, b.stdout, b.stderr
            ));
        }
        real.world.skip_ahead();
        ours.world.skip_ahead();
    }
    assert!(!token.is_empty(), "the join token was printed");
    assert!(
        mismatches.is_empty(),
        "{} of {} commands differ:\n\n{}",
        mismatches.len(),
        SESSION.len(),
        mismatches.join("\n")
    );
}
