//! Compares swarmlab's docker command line with recordings of the real docker CLI
//! 28.2.2 (tests/fixtures/real, recorded against a real single-node swarm): stdout,
//! stderr and exit code must be identical. These cases need no normalisation: no IDs,
//! tokens, hostnames or timestamps appear in them.

mod common;

use common::docker;
use swarmlab_engine::sim::{Cluster, ClusterConfig};

/// Where the command ran: a node outside any swarm, or the manager of a 1-node swarm.
#[derive(Clone, Copy)]
enum On {
    Fresh,
    Manager,
    /// A manager with a replicated service `web` and a global service `glob`.
    Services,
    /// A manager with a secret `db_pw` (from /tmp/pw.txt) and a config `app_conf`
    /// (from /tmp/app.conf).
    Secrets,
    /// Secrets, and a service `sv` using both.
    InUse,
    /// Stacks `x` (tests/fixtures/compose/stack.yml) and `s` (sc.yml) deployed.
    Stacks,
}

const CASES: &[(&str, On, &str)] = &[
    ("00-leave-notinswarm", On::Fresh, "swarm leave"),
    ("01-nodels-notinswarm", On::Fresh, "node ls"),
    ("02-jointoken-notinswarm", On::Fresh, "swarm join-token worker"),
    ("04-init-again", On::Manager, "swarm init"),
    ("09-jt-bad", On::Manager, "swarm join-token foo"),
    ("18-leave-refuse", On::Manager, "swarm leave"),
    ("25-node-inspect-nosuch", On::Manager, "node inspect nosuch"),
    ("26-node-rm-nosuch", On::Manager, "node rm nosuch"),
    ("27-node-ps", On::Manager, "node ps"),
    ("28-join-already", On::Manager, "swarm join --token SWMTKN-1-xyz 127.0.0.1:2377"),
    ("29-unknown-flag", On::Manager, "node ls --bogus"),
    ("30-unknown-cmd", On::Manager, "node bogus"),
    ("31-swarm-update", On::Manager, "swarm update --task-history-limit 3"),
    ("36-help-node", On::Manager, "node --help"),
    ("37-help-nodels", On::Manager, "node ls --help"),
    ("38-help-swarm", On::Manager, "swarm --help"),
    ("39-help-init", On::Manager, "swarm init --help"),
    ("40-help-join", On::Manager, "swarm join --help"),
    ("41-help-leave", On::Manager, "swarm leave --help"),
    ("42-help-jt", On::Manager, "swarm join-token --help"),
    ("43-help-promote", On::Manager, "node promote --help"),
    ("44-help-update", On::Manager, "node update --help"),
    ("45-help-inspect", On::Manager, "node inspect --help"),
    ("46-help-rm", On::Manager, "node rm --help"),
    ("47-help-ps", On::Manager, "node ps --help"),
    ("48-help-demote", On::Manager, "node demote --help"),
    ("49-help-swupdate", On::Manager, "swarm update --help"),
    ("52-node-update-noargs", On::Manager, "node update"),
    ("53-nodels-args", On::Manager, "node ls extra"),
    ("54-jt-noargs", On::Manager, "swarm join-token"),
    ("60-leave-force", On::Manager, "swarm leave --force"),
    ("62-join-bad", On::Fresh, "swarm join --token foo 127.0.0.1:2377"),
    (
        "63-join-noaddr",
        On::Fresh,
        "swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx",
    ),
    ("65-bogus-top", On::Manager, "bogus"),
    ("66-swarm-nocmd", On::Manager, "swarm"),
    ("67-node-nocmd", On::Manager, "node"),
    ("71-demote-last", On::Manager, "node demote node1"),
    ("80-bad-avail", On::Manager, "node update --availability foo node1"),
    ("81-role", On::Manager, "node update --role worker node1"),
    ("87-label-rm-missing", On::Manager, "node update --label-rm nosuch node1"),
    ("89-node-ps-bad", On::Manager, "node ps nosuch"),
    ("90-promote-nosuch", On::Manager, "node promote nosuch"),
    ("98-update-nochange", On::Manager, "swarm update"),
    ("99-update-bad", On::Manager, "swarm update --task-history-limit abc"),
    ("a1-unlock-active", On::Manager, "swarm unlock"),
    ("a2-unlockkey-off", On::Manager, "swarm unlock-key"),
    ("a3-unlockkey-rotate-off", On::Manager, "swarm unlock-key --rotate"),
    ("a4-ca-expiry", On::Manager, "swarm ca --cert-expiry 1h"),
    ("a5-help-ca", On::Manager, "swarm ca --help"),
    ("a6-help-unlockkey", On::Manager, "swarm unlock-key --help"),
    ("a7-help-unlock", On::Manager, "swarm unlock --help"),
    ("a8-version-help", On::Manager, "version --help"),
    ("a9-info-help", On::Manager, "info --help"),
    ("b1-unlock-inactive", On::Fresh, "swarm unlock"),
    ("s12-dup", On::Services, "service create --name web bbweb:1"),
    ("s13-scale-nosuch", On::Services, "service scale nosuch=2"),
    ("s14-ps-nosuch", On::Services, "service ps nosuch"),
    ("s15-inspect-nosuch", On::Services, "service inspect nosuch"),
    ("s16-bad-publish", On::Services, "service create --publish abc bbweb:1"),
    ("s30-scale-global", On::Services, "service scale glob=2"),
    ("s32-rm-nosuch", On::Services, "service rm nosuch"),
    ("s33-create-noimage", On::Services, "service create"),
    ("s34-bad-mode", On::Services, "service create --mode foo bbweb:1"),
    ("s35-bad-mem", On::Services, "service create --limit-memory 10x bbweb:1"),
    ("s36-bad-dur", On::Services, "service create --restart-delay 5 bbweb:1"),
    ("s37-bad-constraint", On::Services, "service create --constraint foo bbweb:1"),
    ("s38-help-create", On::Manager, "service create --help"),
    ("s39-help-update", On::Manager, "service update --help"),
    ("s40-help-service", On::Manager, "service --help"),
    ("s41-help-ps", On::Manager, "service ps --help"),
    ("s42-help-ls", On::Manager, "service ls --help"),
    ("h1-help-logs", On::Manager, "service logs --help"),
    ("h2-help-scale", On::Manager, "service scale --help"),
    ("h3-help-rollback", On::Manager, "service rollback --help"),
    ("h4-help-inspect", On::Manager, "service inspect --help"),
    ("h5-help-rm", On::Manager, "service rm --help"),
    ("h6-help-ps", On::Manager, "ps --help"),
    ("h7-help-logs", On::Manager, "logs --help"),
    ("h8-help-inspect", On::Manager, "inspect --help"),
    ("h9-scale-bad", On::Services, "service scale web"),
    ("h10-publish-long-bad", On::Services, "service create --publish published=80 nginx"),
    ("h11-mount-bad", On::Services, "service create --mount source=/x nginx"),
    ("h12-cpu-bad", On::Services, "service create --limit-cpu abc nginx"),
    ("h13-ratio-bad", On::Services, "service create --update-max-failure-ratio x nginx"),
    ("h14-restart-cond-bad", On::Services, "service create --restart-condition bad nginx"),
    ("h15-failure-action-bad", On::Services, "service create --update-failure-action nope nginx"),
    ("h16-order-bad", On::Services, "service create --rollback-order sideways nginx"),
    ("sec-help", On::Manager, "secret --help"),
    ("sec-help-create", On::Manager, "secret create --help"),
    ("sec-help-ls", On::Manager, "secret ls --help"),
    ("sec-help-inspect", On::Manager, "secret inspect --help"),
    ("sec-help-rm", On::Manager, "secret rm --help"),
    ("sec-nocmd", On::Manager, "secret"),
    ("sec-create-noargs", On::Manager, "secret create"),
    ("sec-create-dup", On::Secrets, "secret create db_pw /tmp/pw.txt"),
    ("sec-create-nofile", On::Secrets, "secret create other /nonexistent/file"),
    ("sec-create-badname", On::Secrets, "secret create 'bad name' /tmp/pw.txt"),
    ("sec-rm-nosuch", On::Secrets, "secret rm nope"),
    ("sec-inspect-nosuch", On::Secrets, "secret inspect nope"),
    ("sec-ls-format", On::Secrets, "secret ls --format '{{.Name}}|{{.Driver}}'"),
    ("sec-inspect-format", On::Secrets, "secret inspect --format '{{.Spec.Name}} {{.Spec.Labels}}' db_pw"),
    ("sec-ls-filter", On::Secrets, "secret ls -q --filter name=nomatch"),
    ("cfg-help", On::Manager, "config --help"),
    ("cfg-help-create", On::Manager, "config create --help"),
    ("cfg-help-ls", On::Manager, "config ls --help"),
    ("cfg-help-inspect", On::Manager, "config inspect --help"),
    ("cfg-help-rm", On::Manager, "config rm --help"),
    ("cfg-nocmd", On::Manager, "config"),
    ("cfg-create-noargs", On::Manager, "config create"),
    ("cfg-create-dup", On::Secrets, "config create app_conf /tmp/app.conf"),
    ("cfg-create-nofile", On::Secrets, "config create other /nonexistent/file"),
    ("cfg-create-badname", On::Secrets, "config create 'bad name' /tmp/app.conf"),
    ("cfg-rm-nosuch", On::Secrets, "config rm nope"),
    ("cfg-inspect-nosuch", On::Secrets, "config inspect nope"),
    ("cfg-ls-format", On::Secrets, "config ls --format '{{.Name}}|{{.Labels}}'"),
    ("cfg-inspect-format", On::Secrets, "config inspect --format '{{.Spec.Name}} {{.Spec.Labels}}' app_conf"),
    ("ref-secret-rm-inuse", On::InUse, "secret rm db_pw"),
    ("ref-config-rm-inuse", On::InUse, "config rm app_conf"),
    ("ref-create-nosuch", On::Secrets, "service create --secret nope busybox"),
    ("ref-create-badfield", On::Secrets, "service create --secret source=db_pw,bogus=1 busybox"),
    ("ref-create-nosource", On::Secrets, "service create --config target=/x busybox"),
    ("exec-help", On::Manager, "exec --help"),
    ("exec-nosuch", On::Manager, "exec nope cat /x"),
    ("exec-noargs", On::Manager, "exec"),
    ("ref-create-dup", On::Secrets, "service create --secret db_pw --secret source=lab,target=db_pw busybox"),
    ("net-help", On::Manager, "network --help"),
    ("net-nocmd", On::Manager, "network"),
    ("net-help-ls", On::Manager, "network ls --help"),
    ("net-help-create", On::Manager, "network create --help"),
    ("net-help-inspect", On::Manager, "network inspect --help"),
    ("net-help-rm", On::Manager, "network rm --help"),
    ("net-rm-nosuch", On::Manager, "network rm nope"),
    ("net-inspect-nosuch", On::Manager, "network inspect nope"),
    ("net-rm-bridge", On::Manager, "network rm bridge"),
    ("net-create-dup-ingress", On::Manager, "network create -d overlay ingress"),
    ("net-create-noargs", On::Manager, "network create"),
    ("net-ls-overlay", On::Manager, "network ls --filter driver=overlay --format '{{.Name}} {{.Driver}} {{.Scope}}'"),
    ("net-ls-format", On::Manager, "network ls --format '{{.Name}}|{{.Driver}}|{{.Scope}}|{{.IPv6}}|{{.Internal}}'"),
    (
        "net-inspect-ingress",
        On::Manager,
        "network inspect --format '{{.Name}} {{.Scope}} {{.Driver}} {{.Ingress}} {{.Attachable}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' ingress",
    ),
    ("net-inspect-host", On::Manager, "network inspect --format '{{.Name}} {{.Scope}} {{.Driver}}' host none bridge"),
    ("net-create-badopt", On::Manager, "network create -d overlay --subnet foo n1"),
    ("stk-help", On::Manager, "stack --help"),
    ("stk-nocmd", On::Manager, "stack"),
    ("stk-help-deploy", On::Manager, "stack deploy --help"),
    ("stk-help-ls", On::Manager, "stack ls --help"),
    ("stk-help-ps", On::Manager, "stack ps --help"),
    ("stk-help-rm", On::Manager, "stack rm --help"),
    ("stk-help-services", On::Manager, "stack services --help"),
    ("stk-ps-nosuch", On::Manager, "stack ps nope"),
    ("stk-services-nosuch", On::Manager, "stack services nope"),
    ("stk-rm-nosuch", On::Manager, "stack rm nope"),
    ("stk-deploy-nofile", On::Manager, "stack deploy x"),
    ("stk-deploy-missing", On::Manager, "stack deploy -c /tmp/nofile.yml y"),
    ("stk-ls-empty", On::Manager, "stack ls"),
    ("stk-ls-bogus", On::Manager, "stack ls --bogus"),
    ("stk-deploy-noname", On::Manager, "stack deploy -c /tmp/stack.yml"),
    ("stk-deploy", On::Manager, "stack deploy -c /tmp/stack.yml x"),
    ("stk-deploy-sc", On::Manager, "stack deploy -c /tmp/sc.yml s"),
    ("stk-ls", On::Stacks, "stack ls"),
    ("stk-services-format", On::Stacks, "stack services x --format '{{.Name}} {{.Mode}} {{.Image}} {{.Ports}}'"),
    (
        "net-ls-stack",
        On::Stacks,
        "network ls --filter label=com.docker.stack.namespace=s --format '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}'",
    ),
];

fn fixture(name: &str, ext: &str) -> String {
    let path = format!("{}/tests/fixtures/real/{name}.{ext}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn matches_real_docker_byte_for_byte() {
    let mut mismatches = Vec::new();
    for (name, on, args) in CASES {
        let mut cluster = match on {
            On::Fresh => Cluster::new(ClusterConfig::default()),
            On::Manager => common::initialised(3, 1),
            On::Services => {
                let mut c = common::initialised(3, 1);
                assert_eq!(docker(&mut c, 0, "service create -d --name web bbweb:1").code, 0);
                assert_eq!(docker(&mut c, 0, "service create -d --mode global --name glob bbweb:1").code, 0);
                c
            }
            On::Stacks => {
                let mut c = common::initialised(3, 1);
                assert_eq!(docker(&mut c, 0, "stack deploy -c /tmp/stack.yml x").code, 0);
                assert_eq!(docker(&mut c, 0, "stack deploy -c /tmp/sc.yml s").code, 0);
                c
            }
            On::Secrets | On::InUse => {
                let mut c = common::initialised(3, 1);
                assert_eq!(docker(&mut c, 0, "secret create db_pw /tmp/pw.txt").code, 0);
                assert_eq!(docker(&mut c, 0, "config create app_conf /tmp/app.conf").code, 0);
                if matches!(on, On::InUse) {
                    let create = "service create -d -q --name sv --secret db_pw --config source=app_conf,target=/etc/app.conf,mode=0400 busybox sleep 1000";
                    assert_eq!(docker(&mut c, 0, create).code, 0);
                }
                c
            }
        };
        let out = docker(&mut cluster, 0, args);
        let rc: i32 = fixture(name, "rc").trim().parse().expect("exit code");
        let (want_out, want_err) = (fixture(name, "out"), fixture(name, "err"));
        if out.stdout != want_out || out.stderr != want_err || out.code != rc {
            mismatches.push(format!(
                "{name}: docker {args}\n--- want (exit {rc})\n{want_out}{want_err}\n--- got (exit {})\n{}{}",
                out.code, out.stdout, out.stderr
            ));
        }
    }
    println!("fidelity: {} commands compared, {} identical", CASES.len(), CASES.len() - mismatches.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The keys of a JSON document in the order they are printed, leaving out the
/// `Type`/`Name` pairs of the engine plugin list (whose length differs by version).
fn key_sequence(json: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = json;
    while let Some(start) = rest.find('"') {
        let tail = &rest[start + 1..];
        let Some(end) = tail.find('"') else { break };
        let word = &tail[..end];
        rest = &tail[end + 1..];
        if rest.starts_with(':') && word != "Type" && word != "Name" {
            keys.push(word.to_string());
        }
    }
    keys
}

#[test]
fn node_inspect_has_dockers_json_shape() {
    let mut cluster = common::initialised(3, 1);
    let ours = docker(&mut cluster, 0, "node inspect self").stdout;
    let real = fixture("11-nodeinspect", "out");
    assert_eq!(key_sequence(&ours), key_sequence(&real));
    assert!(ours.starts_with("[\n    {\n        \"ID\": \""), "{ours}");
}

/// `stack rm` removes networks, secrets and configs in the daemon's order, which is
/// their IDs' order: random on both sides. The lines must match as a set, services
/// first and sorted, and each stack's networks last.
#[test]
fn stack_rm_matches_real_docker_up_to_id_order() {
    let mut c = common::initialised(3, 1);
    assert_eq!(docker(&mut c, 0, "stack deploy -c /tmp/stack.yml x").code, 0);
    assert_eq!(docker(&mut c, 0, "stack deploy -c /tmp/sc.yml s").code, 0);
    let out = docker(&mut c, 0, "stack rm s x");
    let want = fixture("stk-rm", "out");
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let sorted = |t: &str| {
        let mut v: Vec<String> = t.lines().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&out.stdout), sorted(&want));
    let got: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(&got[..2], ["Removing service s_web", "Removing service s_worker"]);
    assert!(got[4..6].iter().all(|l| l.starts_with("Removing network s_")), "{got:?}");
    let after = docker(&mut c, 0, "network ls --format '{{.Name}}'");
    assert_eq!(after.stdout, "bridge\ndocker_gwbridge\nhost\ningress\nnone\n");
}

/// `service inspect --pretty` of a service with a config and a secret, against the
/// real CLI's (recorded with the `InUse` setup). The ID differs, and the real daemon,
/// offline, could not pin the image's digest: those two lines are set aside.
#[test]
fn pretty_inspect_lists_configs_and_secrets_as_docker_does() {
    let mut c = common::initialised(3, 1);
    assert_eq!(docker(&mut c, 0, "secret create db_pw /tmp/pw.txt").code, 0);
    assert_eq!(docker(&mut c, 0, "config create app_conf /tmp/app.conf").code, 0);
    let create = "service create -d -q --name sv --secret db_pw --config source=app_conf,target=/etc/app.conf,mode=0400 busybox sleep 1000";
    assert_eq!(docker(&mut c, 0, create).code, 0);
    let out = docker(&mut c, 0, "service inspect --pretty sv");
    let masked = |t: &str| -> String {
        t.lines().filter(|l| !l.starts_with("ID:") && !l.starts_with(" Image:")).map(|l| format!("{l}\n")).collect()
    };
    let real = fixture("ref-service-inspect-pretty-refs", "out");
    assert!(real.contains("Configs:\n Target:\t/etc/app.conf\n  Source:\tapp_conf\nSecrets:\n"));
    assert_eq!(masked(&out.stdout), masked(&real));
}
