//! Lessons and answers are written by someone else: played by `verify`, `check` and the
//! lab's replays, their commands reach no file outside the lesson's directory. A canary
//! file outside it must stay as it was and never be echoed, whatever path trick a
//! command uses.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use swarmlab::headless::script;
use swarmlab::lesson::{self, Lesson, verify};

const CANARY: &str = "SAFE=1\ncanary-secret-line\n";

/// A scratch directory holding the canary; removed when dropped.
struct Canary {
    dir: tempfile::TempDir,
}

impl Canary {
    fn new() -> Canary {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("canary.txt"), CANARY).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("dirlink")).unwrap();
        Canary { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("canary.txt")
    }

    /// The canary's path reached with `..` from any directory: up to the root, then down.
    fn dotted(&self) -> String {
        format!("{}{}", "../".repeat(40), self.path().display().to_string().trim_start_matches('/'))
    }

    /// Every way a command might name the canary.
    fn tricks(&self) -> Vec<String> {
        let p = self.path().display().to_string();
        vec![
            p.clone(),
            self.dotted(),
            format!("./{}", self.dotted()),
            format!("{}/dirlink/canary.txt", self.dir.path().display()),
            format!("/proc/self/root{p}"),
        ]
    }

    fn assert_untouched(&self, shown: &str) {
        assert_eq!(std::fs::read_to_string(self.path()).unwrap(), CANARY, "the canary was changed");
        assert!(!shown.contains("canary-secret-line"), "the canary was shown:\n{shown}");
    }
}

fn lesson(solution: &str, files: &str) -> Lesson {
    let text = format!(
        "---\nid: hostile\ntitle: Hostile\nnodes: 1\nsetup: swarm\n---\n\nIntro.\n\n## One\n\nText.\n\n{files}```solution\nnode1$ {solution}\n```\n\n```check\n$ docker service ls -q\nlines: 1\n```\n"
    );
    lesson::parse(&text, Path::new("hostile.md")).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
}

/// Everything a verify run shows: its messages and its JUnit report.
fn verified(l: &Lesson) -> (bool, String) {
    let r = verify::verify(l);
    let shown = format!("{r:?}\n{}", verify::junit("t", std::slice::from_ref(&r)));
    (r.passed(), shown)
}

#[test]
fn a_lesson_solution_cannot_read_or_edit_a_file_outside_its_directory() {
    let canary = Canary::new();
    for path in canary.tricks() {
        for command in [
            format!("sed -i 's/SAFE=1/SAFE=1; touch pwned/' {path}"),
            format!("cat {path}"),
            format!("sed s/x/y/ {path}"),
            format!("docker secret create s {path}"),
            format!("docker config create c {path}"),
            format!("docker stack deploy -c {path} s"),
        ] {
            let (passed, shown) = verified(&lesson(&command, ""));
            assert!(!passed, "{command} passed");
            assert!(shown.contains("outside the lesson's directory"), "{command}:\n{shown}");
            canary.assert_untouched(&shown);
        }
    }
}

#[test]
fn a_compose_file_the_lesson_provides_cannot_point_its_secrets_outside() {
    let canary = Canary::new();
    for path in canary.tricks() {
        let files = format!(
            "```file stack.yml\nservices:\n  web:\n    image: nginx\n    secrets: [pw]\nsecrets:\n  pw:\n    file: {path}\n```\n\n"
        );
        let (passed, shown) = verified(&lesson("docker stack deploy -c stack.yml s", &files));
        assert!(!passed, "{path}");
        assert!(shown.contains("outside the lesson's directory"), "{path}:\n{shown}");
        canary.assert_untouched(&shown);
    }
}

#[test]
fn a_lesson_cannot_provide_a_file_outside_its_directory() {
    for name in ["../x.yml", "/tmp/x.yml", "a/b.yml"] {
        let text = format!(
            "---\nid: t\ntitle: T\nnodes: 1\n---\n\n## One\n\n```file {name}\nx\n```\n\n```solution\nnode1$ true\n```\n"
        );
        assert!(lesson::parse(&text, Path::new("t.md")).is_err(), "{name}");
    }
}

#[test]
fn graded_answers_cannot_reach_the_graders_files() {
    let canary = Canary::new();
    let l = lesson("docker service create -d --name web nginx", "");
    for path in canary.tricks() {
        let answers = format!(
            "node1$ cat {path}\nnode1$ sed -i s/SAFE=1/pwned/ {path}\nnode1$ docker config create c {path}\nnode1$ docker config inspect --pretty c\nnode1$ docker service create -d --name web nginx\n"
        );
        let steps = script::parse(&answers, "answers").unwrap();
        let r = verify::grade(&l, &steps).unwrap();
        let shown = format!("{r:?}\n{}", verify::junit("t", std::slice::from_ref(&r)));
        assert!(r.passed(), "the honest part still counts:\n{shown}");
        canary.assert_untouched(&shown);
    }
}

#[test]
fn setup_commands_are_confined_too() {
    let canary = Canary::new();
    let text = format!(
        "---\nid: t\ntitle: T\nnodes: 1\nsetup:\n  swarm: true\n  commands:\n    - \"node1$ sed -i s/SAFE=1/pwned/ {}\"\n---\n\n## One\n\n```solution\nnode1$ docker service create -d nginx\n```\n\n```check\n$ docker service ls -q\nlines: 1\n```\n",
        canary.dotted()
    );
    let l = lesson::parse(&text, Path::new("t.md")).unwrap();
    let (passed, shown) = verified(&l);
    assert!(!passed);
    assert!(shown.contains("setup failed"), "{shown}");
    canary.assert_untouched(&shown);
}

#[test]
fn a_course_lists_only_its_own_lessons() {
    let canary = Canary::new();
    let course = tempfile::tempdir().unwrap();
    let evil = canary.dir.path().join("evil.md");
    std::fs::write(&evil, CANARY).unwrap();
    let dotted = format!("{}{}", "../".repeat(40), evil.display().to_string().trim_start_matches('/'));
    std::fs::write(course.path().join("SUMMARY.md"), format!("- [x]({dotted})\n")).unwrap();
    let e = lesson::load_course(course.path()).unwrap_err();
    assert!(e[0].message.contains("outside the course's directory"), "{e:?}");
    assert_eq!((e[0].line, e[0].path.file_name().unwrap().to_str()), (1, Some("SUMMARY.md")));
    std::fs::write(course.path().join("SUMMARY.md"), "- [x](link.md)\n").unwrap();
    std::os::unix::fs::symlink(&evil, course.path().join("link.md")).unwrap();
    assert!(lesson::load_course(course.path()).is_err());
    canary.assert_untouched("");
}

/// A hostile command: a file-taking command and a path trick, chosen at random.
fn hostile(canary: &Canary) -> impl Strategy<Value = String> {
    let paths = canary.tricks();
    let commands = [
        "cat {}",
        "sed -i s/SAFE=1/pwned/g {}",
        "sed -e s/a/b/ {}",
        "docker secret create s{n} {}",
        "docker config create c{n} {}",
        "docker stack deploy -c {} s{n}",
        "docker stack config -c {}",
        "X=$(cat {})",
        "echo $(cat {})",
    ];
    (0..commands.len(), 0..paths.len(), 0..1000u32)
        .prop_map(move |(c, p, n)| commands[c].replace("{}", &paths[p]).replace("{n}", &n.to_string()))
}

#[test]
fn random_hostile_lessons_and_answers_leave_the_canary_alone() {
    use proptest::test_runner::{Config, TestRunner};
    let canary = Canary::new();
    let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
    let strategy = (proptest::collection::vec(hostile(&canary), 1..6), hostile(&canary));
    runner
        .run(&strategy, |(answers, solution)| {
            let text: String = answers.iter().map(|c| format!("node1$ {c}\n")).collect();
            let steps = script::parse(&text, "answers").unwrap();
            let r = verify::grade(&lesson("docker service create -d nginx", ""), &steps).unwrap();
            let graded = format!("{r:?}\n{}", verify::junit("t", std::slice::from_ref(&r)));
            let (_, verified) = verified(&lesson(&solution, ""));
            for shown in [graded, verified] {
                prop_assert_eq!(std::fs::read_to_string(canary.path()).unwrap(), CANARY);
                prop_assert!(!shown.contains("canary-secret-line"), "{}", shown);
            }
            Ok(())
        })
        .unwrap();
}
