//! Lessons: the bundled course verifies in both languages, every authoring error names
//! its file and line, verification catches checks that cannot tell, and grading says
//! which steps a learner's commands pass.

use std::path::{Path, PathBuf};
use swarmlab::i18n::{Lang, Texts};
use swarmlab::lesson::{self, verify};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn errors(text: &str) -> Vec<String> {
    match lesson::parse(text, Path::new("l.md")) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

const GOOD: &str = "---\nid: t\ntitle: T\nnodes: 2\n---\n\nIntro.\n\n## Init\n\nText.\n\n```node1\ndocker swarm init\n```\n\n```hint\nJust do it.\n```\n\n```solution\nnode1$ docker swarm init\n```\n\n```check\n$ docker info --format '{{.Swarm.LocalNodeState}}'\nequals: active\n```\n";

#[test]
fn the_bundled_course_verifies_in_both_languages() {
    for lang in ["en", "fr"] {
        let course = lesson::load_course(&root().join("lessons").join(lang)).expect("the course parses");
        assert_eq!(course.lessons.len(), 13);
        for l in &course.lessons {
            let r = verify::verify(l);
            assert!(r.passed(), "{}: {:?}", l.path.display(), r.steps);
            assert_eq!(r.steps.len(), l.steps.len());
        }
    }
    let en = lesson::load_course(&root().join("lessons/en")).unwrap().lessons;
    let fr = lesson::load_course(&root().join("lessons/fr")).unwrap().lessons;
    assert_eq!(verify::parity(&en, &fr), Vec::<String>::new());
}

#[test]
fn every_lesson_in_summary_exists_in_both_languages() {
    let names = |lang: &str| -> Vec<String> {
        lesson::summary(&root().join("lessons").join(lang))
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("en"), names("fr"));
    for lang in ["en", "fr"] {
        for n in names(lang) {
            for other in ["en", "fr"] {
                assert!(root().join("lessons").join(other).join(&n).is_file(), "{other}/{n} is missing");
            }
        }
    }
}

#[test]
fn a_good_lesson_parses_into_steps() {
    let l = lesson::parse(GOOD, Path::new("l.md")).unwrap();
    assert_eq!((l.id.as_str(), l.nodes.len(), l.steps.len()), ("t", 2, 1));
    assert_eq!(l.intro, "Intro.");
    let s = &l.steps[0];
    assert_eq!(s.line, 9);
    assert_eq!(s.hints, vec!["Just do it.".to_string()]);
    assert_eq!(s.runnables().next(), Some(("node1", &["docker swarm init".to_string()][..])));
    assert!(verify::verify(&l).passed());
}

const WITH_FILES: &str = "---\nid: f\ntitle: F\nnodes: 1\nsetup: swarm\n---\n\n## Deploy\n\n```file stack.yml\nservices:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\n```\n\n```solution\nnode1$ docker stack deploy -c stack.yml s\n```\n\n```check\n$ docker service ls --format '{{.Name}} {{.Replicas}}'\nequals: s_web 2/2\n```\n\n## Edit and redeploy\n\n```solution\nnode1$ sed -i 's/replicas: 2/replicas: 3/' stack.yml\nnode1$ docker stack deploy -c stack.yml s\n```\n\n```check\n$ docker service ls --format '{{.Name}} {{.Replicas}}'\nequals: s_web 3/3\n```\n";

#[test]
fn a_lesson_provides_files_its_steps_deploy_and_edit() {
    let l = lesson::parse(WITH_FILES, Path::new("l.md")).unwrap();
    assert_eq!(l.files.len(), 1);
    assert_eq!((l.files[0].name.as_str(), l.files[0].line), ("stack.yml", 10));
    assert!(l.files[0].text.starts_with("services:\n  web:\n"));
    assert!(matches!(&l.steps[0].parts[0], lesson::Part::File { name, .. } if name == "stack.yml"));
    let r = verify::verify(&l);
    assert!(r.passed(), "{:?}", r.steps);
    // Without the edit, redeploying changes nothing: step 2 does not pass.
    let unedited = swarmlab::headless::script::parse(
        "node1$ docker stack deploy -c stack.yml s\nnode1$ docker stack deploy -c stack.yml s\n",
        "answers",
    )
    .unwrap();
    let g = verify::grade(&l, &unedited).unwrap();
    assert!(g.steps[0].passed && !g.steps[1].passed, "{:?}", g.steps);
    // Each session starts from the files as written, whatever an earlier one edited.
    assert!(verify::verify(&l).passed());
    // A name the lesson does not provide fails as docker does, naming it as given.
    let mut session = verify::start(&l, 1).unwrap();
    let run = session.run(0, "docker stack deploy -c other.yml s");
    assert_eq!((run.code, run.stderr.as_str()), (1, "open other.yml: no such file or directory\n"));
    let run = session.run(0, "cat stack.yml");
    assert_eq!(run.stdout, l.files[0].text);
}

#[test]
fn provided_files_are_checked_for_names_duplicates_and_drift() {
    let cases: &[(&str, &str)] = &[
        (
            &WITH_FILES.replace("```file stack.yml", "```file ../stack.yml"),
            "l.md:10: file name \"../stack.yml\": a plain file name",
        ),
        (&WITH_FILES.replace("```file stack.yml", "```file"), "l.md:10: a `file` block names its file"),
        (
            &WITH_FILES.replace("## Edit and redeploy\n", "## Edit and redeploy\n\n```file stack.yml\nx: 1\n```\n"),
            "file stack.yml is already provided at line 10",
        ),
        (
            &WITH_FILES.replace("## Deploy\n", "```file a.txt\nx\n```\n\n## Deploy\n"),
            "l.md:8: a `file a.txt` block before the first `##` step",
        ),
    ];
    for (text, want) in cases {
        let errs = errors(text);
        assert!(errs.iter().any(|e| e.starts_with(want) || e.contains(want)), "want {want:?}, got {errs:?}");
    }
    let en = lesson::parse(WITH_FILES, Path::new("en/l.md")).unwrap();
    let fr = lesson::parse(&WITH_FILES.replace("replicas: 2\n```", "replicas: 5\n```"), Path::new("fr/l.md")).unwrap();
    assert_eq!(verify::parity(&[en], &[fr]), vec!["fr/l.md:10: file stack.yml differs from en/l.md:10".to_string()]);
}

#[test]
fn play_with_docker_blocks_run_on_the_matching_node() {
    let l = lesson::parse(&GOOD.replace("```node1", "```.term2"), Path::new("l.md")).unwrap();
    assert_eq!(l.steps[0].runnables().next().map(|(n, _)| n), Some("node2"));
}

#[test]
fn authoring_errors_name_file_and_line() {
    let cases: &[(&str, &str)] = &[
        (&GOOD.replace("```node1", "```node7"), "l.md:13: unknown node \"node7\""),
        (&GOOD.replace("node1$ docker swarm init", "node5$ docker swarm init"), "l.md:22: unknown node \"node5\""),
        (
            &GOOD.replace("equals: active\n", ""),
            "l.md:26: the query `docker info --format '{{.Swarm.LocalNodeState}}'` has no expectation",
        ),
        (&GOOD.replace("equals: active", "frob: 3"), "l.md:27: unknown expectation \"frob\""),
        (&GOOD.replace("equals: active", "matches: ([a"), "l.md:27: matches: not a regular expression"),
        (&GOOD.replace("$ docker info", "$ ls /"), "l.md:26: a check query is a docker command"),
        (&GOOD.replace("```check\n$ docker", "```check\nran: node9 docker"), "l.md:26: ran: unknown node \"node9\""),
        (&format!("{GOOD}\n```node1\ndocker node ls\n"), "l.md:30: unterminated ``` block"),
        (&GOOD.replace("---\nid: t", "id: t"), "l.md:1: a lesson starts with a front matter"),
        (&GOOD.replace("nodes: 2", "nodes: two"), "l.md:2: front matter:"),
        (&GOOD.replace("nodes: 2", "nodes: 2\ncolour: red"), "l.md:2: front matter:"),
        (
            &GOOD.replace("```check\n$ docker info --format '{{.Swarm.LocalNodeState}}'\nequals: active\n```\n", ""),
            "l.md:9: step \"Init\" has no ```check block",
        ),
        (&GOOD.replace("## Init", "Init"), "no steps"),
        (&GOOD.replace("Intro.", "```hint\nearly\n```"), "l.md:7: a `hint` block before the first `##` step"),
    ];
    for (text, want) in cases {
        let errs = errors(text);
        assert!(errs.iter().any(|e| e.starts_with(want) || e.contains(want)), "want {want:?}, got {errs:?}");
    }
}

#[test]
fn french_english_drift_is_reported_with_file_and_line() {
    let en = lesson::parse(GOOD, Path::new("en/l.md")).unwrap();
    let fr_text = GOOD.replace("equals: active", "equals: inactive");
    let fr = lesson::parse(&fr_text, Path::new("fr/l.md")).unwrap();
    let drift = verify::parity(std::slice::from_ref(&en), std::slice::from_ref(&fr));
    assert_eq!(drift, vec!["fr/l.md:9: this step's check differs from en/l.md:9".to_string()]);
    let fewer = lesson::parse(&GOOD.replace("id: t", "id: u"), Path::new("fr/l.md")).unwrap();
    assert!(verify::parity(std::slice::from_ref(&en), &[fewer])[0].contains("lesson \"u\" stands where"));
    assert!(verify::parity(&[en], &[])[0].contains("1 lessons in English and 0 in French"));
}

#[test]
fn a_summary_naming_a_missing_file_is_an_error_with_its_line() {
    let dir = std::env::temp_dir().join(format!("swarmlab-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("SUMMARY.md"), "# Summary\n\n- [Gone](gone.md)\n").unwrap();
    let errs = lesson::load_course(&dir).unwrap_err();
    assert!(errs[0].to_string().contains("SUMMARY.md:3: "), "{errs:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn verification_catches_checks_that_cannot_tell_and_broken_solutions() {
    // `inactive` and `active` both contain "active": this check cannot tell.
    let always =
        GOOD.replace("```check\n$ docker", "```check\nnode1$ docker").replace("equals: active", "contains: active");
    let r = verify::verify(&lesson::parse(&always, Path::new("l.md")).unwrap());
    assert!(!r.passed());
    assert!(r.steps[0].message.as_deref().unwrap_or("").contains("already holds before the solution"));

    let broken = GOOD.replace("node1$ docker swarm init", "node1$ docker swarm join --token x 1.2.3.4");
    let r = verify::verify(&lesson::parse(&broken, Path::new("l.md")).unwrap());
    assert!(r.steps[0].message.as_deref().unwrap_or("").contains("the solution failed"), "{r:?}");

    let wrong = GOOD.replace("node1$ docker swarm init", "node1$ docker info");
    let r = verify::verify(&lesson::parse(&wrong, Path::new("l.md")).unwrap());
    assert!(r.steps[0].message.as_deref().unwrap_or("").contains("does not hold after the solution"), "{r:?}");
    let xml = verify::junit("swarmlab verify", &[r]);
    assert!(xml.contains("<failure") && xml.contains("1. Init"), "{xml}");
}

#[test]
fn grading_says_which_steps_a_learners_commands_pass() {
    let path = root().join("lessons/en/01-first-swarm.md");
    let l = lesson::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
    let answers = swarmlab::headless::script::parse(
        "node1$ docker info\nnode1$ docker swarm init --advertise-addr 127.10.0.11\nnode1$ docker service create -d --name hello --replicas 2 nginx\n",
        "answers",
    )
    .unwrap();
    let r = verify::grade(&l, &answers).unwrap();
    let passed: Vec<bool> = r.steps.iter().map(|s| s.passed).collect();
    assert_eq!(passed, vec![true, true, false, false]);
    assert!(r.steps[2].message.as_deref().unwrap_or("").contains("hello 2/2"), "{:?}", r.steps[2]);
    assert_eq!(r.steps[3].message.as_deref(), Some("not reached"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Whatever an author writes, parsing answers with a lesson or with errors.
    #[test]
    fn any_text_parses_or_errs_without_panicking(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("---".to_string()),
                proptest::prelude::Just("```".to_string()),
                proptest::prelude::Just("```check".to_string()),
                proptest::prelude::Just("```solution".to_string()),
                proptest::prelude::Just("```node1".to_string()),
                proptest::prelude::Just("## Step".to_string()),
                proptest::prelude::Just("id: x".to_string()),
                proptest::prelude::Just("title: y".to_string()),
                proptest::prelude::Just("$ docker info".to_string()),
                proptest::prelude::Just("node1$ docker swarm init".to_string()),
                proptest::prelude::Just("equals: x".to_string()),
                proptest::prelude::Just("ran: node1 docker".to_string()),
                "[ -~]{0,30}",
            ],
            0..40,
        )
    ) {
        let text = lines.join("\n");
        if let Ok(l) = lesson::parse(&text, Path::new("fuzz.md")) {
            verify::verify(&l);
        }
    }
}

/// Grades a lesson's own solutions with one line replaced by a plausible mistake:
/// the step it belongs to must not pass.
fn wrong_answer_fails(file: &str, right: &str, wrong: &str, step: usize) {
    let path = root().join("lessons/en").join(file);
    let l = lesson::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
    let mut script = String::new();
    for s in &l.steps {
        for line in &s.solution {
            script.push_str(&format!("{}$ {}\n", line.node, line.command));
        }
    }
    assert!(script.contains(right), "{file}: no {right:?} in the solutions");
    let answers = swarmlab::headless::script::parse(&script.replacen(right, wrong, 1), "answers").unwrap();
    let r = verify::grade(&l, &answers).unwrap();
    assert!(!r.steps[step].passed, "{file}: {wrong:?} passed step {}", step + 1);
    let all = swarmlab::headless::script::parse(&script, "answers").unwrap();
    assert!(verify::grade(&l, &all).unwrap().steps.iter().all(|s| s.passed), "{file}: the right answers pass");
}

#[test]
fn first_swarm_lesson_rejects_plausible_wrong_answers() {
    let f = "01-first-swarm.md";
    // The swarm created on another host: node1 is not its leader.
    wrong_answer_fails(f, "node1$ docker swarm init", "node2$ docker swarm init", 1);
    // One replica short.
    wrong_answer_fails(f, "--name hello --replicas 3", "--name hello --replicas 2", 2);
    // The services, not their tasks.
    wrong_answer_fails(f, "docker service ps hello", "docker service ls", 3);
}

#[test]
fn joining_lesson_rejects_plausible_wrong_answers() {
    let f = "02-joining.md";
    // The manager's command, not the worker's. (Later in the answers, `join-token
    // --rotate worker` prints the worker's command too: by its meaning it would pass
    // step 1, so this one is graded alone.)
    let path = root().join("lessons/en").join(f);
    let l = lesson::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
    let grade = |line: &str| verify::grade(&l, &swarmlab::headless::script::parse(line, "answers").unwrap()).unwrap();
    assert!(!grade("node1$ docker swarm join-token manager\n").steps[0].passed);
    assert!(grade("node1$ docker swarm join-token worker\n").steps[0].passed);
    // Another node joined: node2 is still outside.
    wrong_answer_fails(f, "node2$ docker swarm join", "node3$ docker swarm join", 1);
    // The grade names the slip, in the learner's words, and says the way back.
    let slipped = "node1$ docker swarm join-token worker\nnode3$ docker swarm join --token $(docker -H node1 swarm join-token -q worker) node1:2377\n";
    let r = grade(slipped);
    assert!(r.steps[0].passed && !r.steps[1].passed);
    let text = swarmlab::lesson::explain::lines(&r.steps[1].feedback, &Texts::new(Lang::En)).join("\n");
    assert!(
        text.starts_with(
            "- This step runs `docker swarm join` on node2; you ran it on node3, where it may have changed the cluster"
        ),
        "{text}"
    );
    assert!(r.steps[1].feedback.needs_redo());
    // node3 joins with the worker token: still one manager.
    wrong_answer_fails(f, "join-token -q manager) node1:2377", "join-token -q worker) node1:2377", 2);
    // The manager token rotated instead of the worker's.
    wrong_answer_fails(f, "join-token --rotate worker", "join-token --rotate manager", 3);
}

#[test]
fn inspecting_nodes_lesson_rejects_plausible_wrong_answers() {
    let f = "03-inspecting-nodes.md";
    // A table, not one field.
    wrong_answer_fails(f, "docker node inspect --format '{{.Status.Addr}} {{.Spec.Role}}' node2", "docker node ls", 0);
    // The label on another node.
    wrong_answer_fails(f, "--label-add zone=east node2", "--label-add zone=east node3", 1);
    // A worker promoted instead of the named node.
    wrong_answer_fails(f, "docker node promote node2", "docker node promote node3", 2);
    // The wrong node demoted: node2 stays a manager.
    wrong_answer_fails(f, "docker node demote node2", "docker node demote node3", 3);
}

#[test]
fn raft_lesson_rejects_plausible_wrong_answers() {
    let f = "04-raft-quorum.md";
    // Only one manager promoted: two managers, not three.
    wrong_answer_fails(f, "docker node promote node2 node3", "docker node promote node2", 0);
    // A follower powered off instead of the leader: no election.
    wrong_answer_fails(f, "node2$ lab node off node1", "node2$ lab node off node3", 1);
    // Demoting the wrong node leaves node3 a manager.
    wrong_answer_fails(f, "docker node demote node3", "docker node demote node2", 4);
    // Plain `swarm init` on a node already in a swarm is refused.
    wrong_answer_fails(
        f,
        "docker swarm init --force-new-cluster --advertise-addr $(hostname -i)",
        "docker swarm init --advertise-addr $(hostname -i)",
        6,
    );
}

#[test]
fn availability_lesson_rejects_plausible_wrong_answers() {
    let f = "05-availability.md";
    // Drain instead of pause: node2 loses its tasks.
    wrong_answer_fails(f, "--availability pause node2", "--availability drain node2", 1);
    // Pause instead of drain: node3 keeps its tasks.
    wrong_answer_fails(f, "--availability drain node3", "--availability pause node3", 3);
    // Scaling to the wrong count.
    wrong_answer_fails(f, "docker service scale -d web=9", "docker service scale -d web=8", 2);
    // A plain update changes nothing and moves nothing.
    wrong_answer_fails(f, "docker service update --force -d web", "docker service update -d web", 5);
}

#[test]
fn services_lesson_rejects_plausible_wrong_answers() {
    let f = "06-services.md";
    // One replica instead of two.
    wrong_answer_fails(f, "--name greeter --replicas 2", "--name greeter --replicas 1", 0);
    // `docker ps` shows this node's containers, not the service's tasks.
    wrong_answer_fails(f, "node1$ docker service ps greeter", "node1$ docker ps", 1);
    // A label is not an environment variable.
    wrong_answer_fails(f, "--env-add GREETING=hi", "--label-add GREETING=hi", 3);
    // Scaling to zero keeps the service.
    wrong_answer_fails(f, "node1$ docker service rm greeter", "node1$ docker service scale greeter=0", 4);
}

#[test]
fn routing_mesh_lesson_rejects_plausible_wrong_answers() {
    let f = "07-routing-mesh.md";
    // Published port and target swapped.
    wrong_answer_fails(f, "-p 8080:80", "-p 80:8080", 0);
    // Scaled to the wrong count.
    wrong_answer_fails(f, "docker service scale -d web=6", "docker service scale -d web=3", 2);
    // --publish-rm by the published port removes nothing: 8080 stays beside 9090.
    wrong_answer_fails(f, "--publish-rm 80 --publish-add", "--publish-rm 8080 --publish-add", 3);
}

#[test]
fn rolling_updates_lesson_rejects_plausible_wrong_answers() {
    let f = "08-rolling-updates.md";
    // Parallelism left at its default of 1.
    wrong_answer_fails(f, "--update-parallelism 2 --update-delay 10s", "--update-delay 10s", 0);
    // Updating to the image already running does not roll back.
    wrong_answer_fails(f, "node1$ docker service rollback -d web", "node1$ docker service update -d --force web", 2);
    // Without the failure action the broken update only pauses.
    wrong_answer_fails(f, "--update-failure-action rollback --image nginx:1.28", "--image nginx:1.28", 4);
}

#[test]
fn placement_lesson_rejects_plausible_wrong_answers() {
    let f = "09-placement.md";
    // The wrong role: the admin tasks go to the workers.
    wrong_answer_fails(
        f,
        "--replicas 2 --constraint node.role==manager",
        "--replicas 2 --constraint node.role==worker",
        0,
    );
    // node4 labelled like the others.
    wrong_answer_fails(f, "--label-add zone=west node4", "--label-add zone=east node4", 1);
    // No spread: two tasks per worker.
    wrong_answer_fails(f, " --placement-pref spread=node.labels.zone nginx", " nginx", 2);
    // Replicated instead of global.
    wrong_answer_fails(f, "--name agent --mode global", "--name agent --replicas 3", 3);
    // No limit: all six run.
    wrong_answer_fails(f, "--replicas 6 --replicas-max-per-node 1", "--replicas 6", 4);
}

#[test]
fn self_healing_lesson_rejects_plausible_wrong_answers() {
    let f = "10-self-healing.md";
    // Crashing a task of another service leaves web's history clean.
    wrong_answer_fails(f, "node1$ lab crash web.1", "node1$ lab crash nope.1", 1);
    // The default policy restarts the job: more than one task.
    wrong_answer_fails(f, "--name once --restart-condition none", "--name once", 2);
    // Without the cap, attempts go on.
    wrong_answer_fails(f, "--restart-max-attempts 2 --restart-delay 2s", "--restart-delay 2s", 3);
    // Draining is not a failure: node3 stays Ready.
    wrong_answer_fails(f, "node1$ lab node off node3", "node1$ docker node update --availability drain node3", 4);
}

#[test]
fn stacks_lesson_rejects_plausible_wrong_answers() {
    let f = "11-stacks.md";
    // Another stack name: shop has no services.
    wrong_answer_fails(f, "docker stack deploy -c stack.yml shop", "docker stack deploy -c stack.yml web", 0);
    // Listing the services is not listing the tasks.
    wrong_answer_fails(f, "docker stack ps shop", "docker stack services shop", 1);
    // The image left as it was.
    wrong_answer_fails(f, "node1$ sed -i 's/nginx:1.27/nginx:1.28/' stack.yml", "node1$ true", 2);
    // Scaled by hand and not redeployed: six, not what the file says.
    wrong_answer_fails(
        f,
        "node1$ docker service scale shop_web=6\nnode1$ docker stack deploy -c stack.yml shop",
        "node1$ docker service scale shop_web=6",
        3,
    );
    // Removing the services one by one leaves the stack's network.
    wrong_answer_fails(f, "node1$ docker stack rm shop", "node1$ docker service rm shop_web shop_cache", 4);
}

#[test]
fn secrets_lesson_rejects_plausible_wrong_answers() {
    let f = "12-secrets-configs.md";
    wrong_answer_fails(f, "secret create db_password db_password.txt", "secret create db_pass db_password.txt", 0);
    // The password in the environment instead of a secret.
    wrong_answer_fails(f, "--secret db_password -e POSTGRES_PASSWORD_FILE", "-e POSTGRES_PASSWORD_FILE", 1);
    // Without a target the config lands at /site_conf.
    wrong_answer_fails(f, "--config source=site_conf,target=/etc/nginx/conf.d/default.conf", "--config site_conf", 2);
    // Without target= the application's file name changes.
    wrong_answer_fails(f, "--secret-add source=db_password_v2,target=db_password", "--secret-add db_password_v2", 3);
    // Deployed under another stack name: its objects are not app_*.
    wrong_answer_fails(f, "docker stack deploy -c app.yml app", "docker stack deploy -c app.yml db", 4);
}

#[test]
fn the_bundled_course_is_summary_md_in_order() {
    for (lang, code) in [("en", swarmlab::i18n::Lang::En), ("fr", swarmlab::i18n::Lang::Fr)] {
        let listed: Vec<String> = lesson::load_course(&root().join("lessons").join(lang))
            .unwrap()
            .lessons
            .into_iter()
            .map(|l| l.id)
            .collect();
        let bundled: Vec<String> = lesson::bundled(code).into_iter().map(|l| l.id).collect();
        assert_eq!(bundled, listed, "{lang}: the binary's lessons differ from SUMMARY.md");
    }
}

#[test]
fn final_challenge_rejects_plausible_wrong_answers() {
    let f = "13-final-challenge.md";
    // node3 joined as a worker: two managers.
    wrong_answer_fails(
        f,
        "node3$ docker swarm join --token $(docker -H node1 swarm join-token -q manager)",
        "node3$ docker swarm join --token $(docker -H node1 swarm join-token -q worker)",
        0,
    );
    // Every manager in one zone.
    wrong_answer_fails(f, "--label-add zone=b node3", "--label-add zone=a node3", 0);
    // Managers only, but spread over a label nobody has: two tasks on node3.
    wrong_answer_fails(f, "s/WEB_SPREAD/node.labels.zone/", "s/WEB_SPREAD/node.labels.rack/", 0);
    // The API on the wrong role.
    wrong_answer_fails(f, "s/API_CONSTRAINT/node.role==worker/", "s/API_CONSTRAINT/node.role==manager/", 0);
    // Published on the wrong port.
    wrong_answer_fails(f, "s/API_PORTS/8080:80/", "s/API_PORTS/80:8080/", 0);
    // A placeholder left in the file: the deploy fails, nothing runs.
    wrong_answer_fails(f, "node1$ sed -i 's/API_REPLICAS/4/' shop.yml", "node1$ true", 0);
    // The services by hand, outside any stack.
    wrong_answer_fails(
        f,
        "node1$ docker stack deploy -c shop.yml shop",
        "node1$ docker service create -d --name shop_web --replicas 6 --constraint node.role==manager --placement-pref spread=node.labels.zone nginx\nnode1$ docker service create -d --name shop_api --replicas 4 --constraint node.role==worker -p 8080:80 traefik/whoami",
        0,
    );
}

#[test]
fn verify_rejects_a_variable_carried_from_one_pane_to_another() {
    let path = root().join("tests/fixtures/cross-pane.md");
    let errors = lesson::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 12, "the line that uses it");
    assert!(errors[0].to_string().contains("cross-pane.md:12: `$TOKEN` is set on node1, but this runs on node2"));
    let code = swarmlab::lesson::cli::verify_cmd(&[path], None, None);
    assert_eq!(code, std::process::ExitCode::from(2), "an authoring error");
}

/// What every lesson file parses to: steps, their parts, hints, solutions and checks.
/// The snapshot holds the parser to the lessons as written (a new parser must read
/// them the same).
#[test]
fn every_lesson_parses_to_the_same_structure() {
    for lang in ["en", "fr"] {
        let dir = root().join("lessons").join(lang);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md") && n != "SUMMARY.md")
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let relative = Path::new("lessons").join(lang).join(&name);
            let lesson = lesson::parse(&text, &relative).unwrap();
            insta::assert_snapshot!(
                format!("structure_{lang}_{}", name.trim_end_matches(".md")),
                format!("{lesson:#?}")
            );
        }
    }
}
