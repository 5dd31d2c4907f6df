//! The live lab end to end, driven in tmux as a learner would: swarm init on node1,
//! the printed join command typed into node2 and node3, `docker node ls`, the cluster
//! view; then a published service curled twice from a pane, answered by two different
//! containers. Quitting leaves no runtime directory behind.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn start(tag: &str, width: u16, height: u16, cmd: &str) -> Tmux {
        let t = Tmux { socket: format!("swarmlab-test-{tag}-{}", std::process::id()), session: "lab".into() };
        let ok = Command::new("tmux")
            .args(["-L", &t.socket, "new-session", "-d", "-s", &t.session, "-x", &width.to_string()])
            .args(["-y", &height.to_string(), cmd])
            .env_remove("TMUX")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux new-session failed");
        t
    }

    fn keys(&self, keys: &[&str]) {
        let status =
            Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", &self.session]).args(keys).status();
        assert!(status.is_ok_and(|s| s.success()));
    }

    fn type_line(&self, text: &str) {
        self.keys(&["-l", "--", text]);
        self.keys(&["Enter"]);
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p", "-t", &self.session]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }

    /// A tmux format read on the pane (`#{alternate_on}`, `#{mouse_any_flag}` …).
    fn format(&self, format: &str) -> String {
        let out =
            Command::new("tmux").args(["-L", &self.socket, "display", "-p", "-t", &self.session, format]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
    }

    /// Waits until `pred` holds for the screen, or fails with the last screen.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn have(program: &str) -> bool {
    Command::new(program).arg("-V").output().is_ok() || Command::new(program).arg("--version").output().is_ok()
}

/// The text of a pane's rows, its border stripped: the screen between `│` marks.
fn pane_text(screen: &str, column_from: usize) -> String {
    screen
        .lines()
        .map(|l| {
            let chars: Vec<char> = l.chars().skip(column_from).collect();
            let line: String = chars.into_iter().collect();
            line.trim_matches(|c| c == '│' || c == ' ').to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Private runtime and data directories for one test's lab, removed afterwards.
struct Dirs {
    runtime: std::path::PathBuf,
    data: std::path::PathBuf,
}

impl Dirs {
    fn new(tag: &str) -> Dirs {
        let base = std::env::temp_dir().join(format!("swarmlab-tmux-{tag}-{}", std::process::id()));
        let d = Dirs { runtime: base.join("run"), data: base.join("data") };
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&d.runtime).unwrap();
        d
    }

    /// The shell command that starts the lab with `args` in these directories.
    fn lab(&self, args: &str) -> String {
        format!(
            "XDG_RUNTIME_DIR={} XDG_DATA_HOME={} {} {args}",
            self.runtime.display(),
            self.data.display(),
            env!("CARGO_BIN_EXE_swarmlab")
        )
    }
}

impl Drop for Dirs {
    fn drop(&mut self) {
        if let Some(base) = self.runtime.parent() {
            let _ = std::fs::remove_dir_all(base);
        }
    }
}

/// Whether tmux is here; says loudly that `what` did not run when it is not.
fn tmux_or_skip(what: &str) -> bool {
    let here = have("tmux");
    if !here {
        eprintln!("\n\n!!! tmux is not installed: {what} did NOT run !!!\n\n");
    }
    here
}

/// A lab started in tmux with `args` in directories of its own, at its first prompt;
/// None (said loudly) where tmux is missing. The tmux server goes before the directories.
fn lab_at_prompt(tag: &str, width: u16, height: u16, args: &str) -> Option<(Tmux, Dirs)> {
    if !tmux_or_skip(tag) {
        return None;
    }
    let dirs = Dirs::new(tag);
    let t = Tmux::start(tag, width, height, &dirs.lab(args));
    t.wait_for("node1's prompt", |s| s.contains("node1:"));
    Some((t, dirs))
}

#[test]
fn a_learner_builds_a_swarm_and_load_balances_a_service_in_the_lab() {
    if !tmux_or_skip("the lab's end-to-end test") {
        return;
    }
    let dirs = Dirs::new("swarm");
    let runtime = &dirs.runtime;
    let cmd = dirs.lab("play --nodes 3 --lang en --shell /bin/bash");
    let t = Tmux::start("swarm", 220, 50, &cmd);
    t.wait_for("node1's prompt", |s| s.contains("node1:") && s.contains("node3:"));

    t.type_line("docker swarm init --advertise-addr $(hostname -i)");
    let s = t.wait_for("swarm init", |s| s.contains("To add a manager to this swarm"));
    let join = pane_text(&s, 0)
        .lines()
        .find_map(|l| l.find("docker swarm join --token").map(|i| l[i..].trim_end_matches(['│', ' ']).to_string()))
        .expect("the join command is printed");
    assert!(join.ends_with(".11:2377"), "the whole join command fits on one line: {join}");
    for node in ["2", "3"] {
        t.keys(&[&format!("M-{node}")]);
        t.type_line(&join);
    }
    t.wait_for("both joins", |s| s.matches("This node joined a swarm as a worker.").count() == 2);
    t.keys(&["M-1"]);
    t.type_line("clear; docker node ls");
    let s = t.wait_for("node ls", |s| s.lines().filter(|l| l.contains(" Ready ") && l.contains("node")).count() >= 3);
    assert!(s.contains("Leader"));
    // The cluster view: three nodes, one leader, two workers, all Ready.
    let view =
        t.wait_for("the cluster view", |s| s.contains("leader node1") && s.matches("worker · Ready").count() >= 2);
    assert!(view.contains("leader · Ready"), "{view}");

    t.type_line("clear; docker service create --name web --replicas 2 -p 18080:80 nginx");
    t.wait_for("the service to converge", |s| s.contains("verify: Service ") && s.contains(" converged"));
    t.wait_for("both tasks in the cluster view", |s| s.contains("web.1 running") && s.contains("web.2 running"));
    t.type_line("clear; for i in 1 2; do curl -s $(hostname -i):18080 | grep -o 'container <b>[0-9a-f]*'; done");
    let s = t.wait_for("two answers", |s| s.matches("container <b>").count() >= 2);
    let hosts: Vec<&str> = s
        .lines()
        .filter_map(|l| l.split("container <b>").nth(1))
        .map(|h| h.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(hosts.len(), 2, "{s}");
    assert_ne!(hosts[0], hosts[1], "round-robin: two different containers answered");

    t.keys(&["F10"]);
    let start = Instant::now();
    while std::fs::read_dir(runtime).map(|d| d.count()).unwrap_or(0) > 0 {
        assert!(start.elapsed() < Duration::from_secs(10), "the runtime directory is removed on quit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigterm_restores_the_terminal_and_leaves_no_shell_or_socket_behind() {
    if !tmux_or_skip("the lab's SIGTERM test") {
        return;
    }
    let dirs = Dirs::new("term");
    let runtime = &dirs.runtime;
    let cmd = format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("--lang fr --shell /bin/sh"));
    let t = Tmux::start("term", 120, 40, &cmd);
    t.wait_for("node1's prompt", |s| s.contains("node1 $"));
    t.wait_for("French text", |s| s.contains("F10 quitter"));
    let dir = std::fs::read_dir(runtime).unwrap().flatten().map(|e| e.path()).next().expect("the lab's runtime dir");
    let pid: u32 = std::fs::read_to_string(dir.join("pid")).unwrap().trim().parse().unwrap();
    assert!(dir.join("node1.sock").exists());
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    let s = t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
    assert!(!s.contains("node1 $"), "the terminal is back to the shell, without the lab's screen:\n{s}");
    assert!(!dir.exists(), "the runtime directory and its sockets are removed");
    // No shell of the lab survives it (they ran with the runtime dir in their env).
    let marker = format!("SWARMLAB_RUNTIME={}", dir.display());
    let start = Instant::now();
    loop {
        let left: Vec<String> = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())))
            .filter(|e| {
                std::fs::read(e.path().join("environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == marker.as_bytes()))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if left.is_empty() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "orphan processes of the lab: {left:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_french_lesson_checks_itself_and_resumes_where_the_learner_left() {
    if !tmux_or_skip("the lesson's end-to-end test") {
        return;
    }
    let dirs = Dirs::new("lesson");
    let data = &dirs.data;
    let cmd = format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("--lang fr --shell /bin/bash"));
    let t = Tmux::start("lesson", 200, 50, &cmd);
    t.wait_for("lesson 1, step 1", |s| s.contains("Étape 1/4 · Un hôte hors de tout swarm"));
    t.wait_for("node1's prompt", |s| s.contains("node1:"));
    t.type_line("docker info --format '{{.Swarm.LocalNodeState}}'");
    // The step passed, but its text goes on (what `inactive` means): it stays until
    // the learner moves on.
    t.wait_for("step 1 passed, still on screen", |s| {
        s.contains("Étape 1/4") && s.contains("Étape réussie. Lisez la suite")
    });
    t.keys(&["M-Right"]);
    t.wait_for("step 2 to open", |s| s.contains("Étape 2/4 · Créer le swarm"));
    // Alt+t types the step's block into its pane, as an instructor would on a projector.
    t.keys(&["M-t"]);
    t.wait_for("step 2 passed", |s| s.contains("Étape 2/4") && s.contains("Étape réussie. Lisez la suite"));
    t.keys(&["M-Right"]);
    t.wait_for("step 3 to open", |s| s.contains("Étape 3/4 · Votre premier service"));
    t.keys(&["F10"]);
    t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
    let progress = std::fs::read_to_string(data.join("swarmlab/progress.json")).expect("progress saved");
    assert!(progress.contains("\"step\": 2"), "{progress}");

    drop(t);
    let t = Tmux::start("lesson-again", 200, 50, &cmd);
    t.wait_for("the lab to resume at step 3", |s| s.contains("Étape 3/4 · Votre premier service"));
    let s = t.wait_for("the swarm rebuilt by fast-forward", |s| s.contains("leader node1"));
    assert!(s.contains("Ce qu'est un swarm · 1/13"));
    t.keys(&["F10"]);
}

#[test]
fn sigint_and_sigquit_restore_the_terminal_and_remove_the_runtime_directory() {
    if !tmux_or_skip("the lab's SIGINT and SIGQUIT test") {
        return;
    }
    for signal in ["INT", "QUIT"] {
        let dirs = Dirs::new(&format!("sig{signal}"));
        let cmd = format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("play --lang en --shell /bin/sh"));
        let t = Tmux::start(&format!("sig{signal}"), 120, 40, &cmd);
        t.wait_for("node1's prompt", |s| s.contains("node1 $"));
        assert_eq!(t.format("#{alternate_on} #{mouse_any_flag}"), "1 1", "the lab's screen is up");
        let dir =
            std::fs::read_dir(&dirs.runtime).unwrap().flatten().map(|e| e.path()).next().expect("the runtime dir");
        let pid: u32 = std::fs::read_to_string(dir.join("pid")).unwrap().trim().parse().unwrap();
        assert!(Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status().unwrap().success());
        t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
        assert_eq!(
            t.format("#{alternate_on} #{mouse_any_flag} #{cursor_flag}"),
            "0 0 1",
            "SIG{signal}: main screen, no mouse reporting, cursor shown"
        );
        assert!(!dir.exists(), "SIG{signal}: the runtime directory is removed");
    }
}

#[test]
fn a_replica_count_past_the_budget_is_refused_and_the_lab_carries_on() {
    if !tmux_or_skip("the lab's budget test") {
        return;
    }
    let dirs = Dirs::new("budget");
    let cmd = format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("play --managers 1 --lang en --shell /bin/sh"));
    let t = Tmux::start("budget", 200, 50, &cmd);
    t.wait_for("node1's prompt", |s| s.contains("node1 $"));
    t.type_line("docker service create --replicas 10000000 nginx; echo EXIT=$?");
    // The typed line shows `EXIT=$?`: wait for the value.
    let s = t.wait_for("the refusal", |s| s.contains("EXIT=0") || s.contains("EXIT=1"));
    assert!(s.contains("more than this lab simulates"), "{s}");
    assert!(s.contains("EXIT=1"), "{s}");
    t.type_line("clear; docker service create -d --name small --replicas 2 nginx >/dev/null; docker service ls");
    t.wait_for("the lab to go on", |s| s.contains("small") && s.contains("replicated"));
    assert!(!t.screen().contains("LAB-ENDED"));
    t.keys(&["F10"]);
    t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
}

#[test]
fn redoing_a_step_starts_fresh_panes_for_the_lessons_own_nodes() {
    if !tmux_or_skip("the lab's redo test") {
        return;
    }
    let dirs = Dirs::new("redo");
    let cmd =
        format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("--lesson joining --step 2 --lang en --shell /bin/bash"));
    let t = Tmux::start("redo", 100, 30, &cmd);
    t.wait_for("node1's prompt", |s| s.contains("node1:"));
    let s = t.screen();
    assert!(s.contains("node3") && !s.contains("node4"), "lesson 2 has three hosts, the lab five:\n{s}");
    t.type_line("echo BEFORE-REDO");
    t.wait_for("the echo", |s| s.matches("BEFORE-REDO").count() >= 2);
    t.keys(&["M-u"]);
    let s = t.wait_for("a fresh pane", |s| !s.contains("BEFORE-REDO") && s.contains("node1:"));
    std::thread::sleep(Duration::from_millis(500));
    let s2 = t.screen();
    assert!(!s2.contains("shell exited"), "the replaced shell's end is not the new one's:\n{s2}");
    assert!(s.contains("Step 2/4"), "{s}");
    t.keys(&["F10"]);
    t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
}

/// The address `hostname -i` prints in the focused pane.
fn own_address(t: &Tmux) -> String {
    t.type_line("clear; echo \"addr=<$(hostname -i)>\"");
    let s = t.wait_for("hostname -i", |s| s.contains("addr=<1"));
    let at = s.find("addr=<1").map(|i| &s[i + 6..]).unwrap_or_default();
    at.split('>').next().unwrap_or_default().to_string()
}

#[test]
fn two_labs_on_one_machine_take_their_own_addresses_and_ports() {
    if !tmux_or_skip("the two labs' end-to-end test") {
        return;
    }
    let (da, db) = (Dirs::new("block-a"), Dirs::new("block-b"));
    let a = Tmux::start("block-a", 200, 50, &da.lab("play --nodes 3 --managers 1 --lang en --shell /bin/bash"));
    a.wait_for("lab A's panes", |s| s.contains("node1:") && s.contains("node3:"));
    let b = Tmux::start("block-b", 200, 50, &db.lab("play --nodes 3 --managers 1 --lang en --shell /bin/bash"));
    b.wait_for("lab B's panes", |s| s.contains("node1:") && s.contains("node3:"));
    let (addr_a, addr_b) = (own_address(&a), own_address(&b));
    assert!(addr_a.starts_with("127.") && addr_a.ends_with(".0.11"), "{addr_a}");
    assert!(addr_b.starts_with("127.") && addr_b.ends_with(".0.11"), "{addr_b}");
    assert_ne!(addr_a, addr_b, "each lab has its own block");
    // The cluster view shows the lab's own addresses.
    assert!(b.screen().contains(&addr_b), "{}", b.screen());

    a.type_line("clear; docker service create -d --name web --replicas 2 -p 18181:80 nginx");
    a.wait_for("lab A's tasks", |s| s.contains("web.1 running") && s.contains("web.2 running"));
    let probe = "curl -s -o /dev/null -w 'http=%{http_code}\\n' $(hostname -i):18181";
    a.type_line(&format!("clear; {probe}"));
    a.wait_for("lab A answers on its address", |s| s.contains("http=200"));
    // Lab B publishes nothing: its node1 does not answer for lab A's service.
    b.type_line(&format!("clear; {probe}"));
    b.wait_for("lab B's address refuses", |s| s.contains("http=000"));
    // The same port in lab B is its own, not moved to another.
    b.type_line("clear; docker service create -d --name api --replicas 1 -p 18181:80 nginx");
    b.wait_for("lab B's task", |s| s.contains("api.1 running"));
    b.type_line(&format!("clear; {probe}"));
    let s = b.wait_for("lab B answers on its own address", |s| s.contains("http=200"));
    assert!(!s.contains("18182"), "no port moved: {s}");
}

/// The lesson column's text as one line: its rows joined, so that wrapped sentences
/// read whole.
fn lesson_text(screen: &str) -> String {
    let rows = screen.lines().map(|l| {
        let inner: String = l.chars().skip(1).take_while(|c| *c != '│' && *c != '┘' && *c != '┐').collect();
        inner.trim().to_string()
    });
    rows.collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lesson 2 in French as a newcomer plays it, with nothing typed for them: the worker's
/// join goes to the wrong pane, the lesson says so and shows the way back, the
/// footer's key starts the step again, and the lesson ends without Alt+t or the
/// solution.
#[test]
fn a_learner_who_slips_in_lesson_2_reads_why_redoes_the_step_and_finishes_alone() {
    if !tmux_or_skip("the learning loop's end-to-end test") {
        return;
    }
    let dirs = Dirs::new("slip");
    let cmd = format!("{}; echo LAB-ENDED; sleep 30", dirs.lab("--lesson joining --lang fr --shell /bin/bash"));
    let t = Tmux::start("slip", 200, 50, &cmd);
    t.wait_for("lesson 2, step 1", |s| s.contains("Étape 1/4") && s.contains("node1:"));
    t.type_line("docker swarm join-token worker");
    t.wait_for("step 2", |s| s.contains("Étape 2/4"));

    // The slip: the worker's join typed into node3's pane.
    let join =
        |token: &str| format!("docker swarm join --token $(docker -H node1 swarm join-token -q {token}) node1:2377");
    t.keys(&["M-3"]);
    t.type_line(&join("worker"));
    let s = t.wait_for("the explanation", |s| lesson_text(s).contains("vous l'avez lancée sur node3"));
    let said = lesson_text(&s);
    assert!(said.contains("Pas encore :"), "{said}");
    assert!(said.contains("Cette étape lance docker swarm join sur node2"), "{said}");
    assert!(said.contains("Alt+u reprend cette étape sur un cluster neuf"), "the way back: {said}");
    let footer = s.lines().find(|l| l.starts_with('└')).unwrap_or_default();
    assert!(footer.contains("Alt+u refaire l'étape"), "the footer shows the key: {footer}");

    // The key the footer shows: a fresh cluster at the step's start.
    t.keys(&["M-u"]);
    t.wait_for("the step again", |s| s.contains("L'étape 2 reprend sur un cluster neuf"));
    t.wait_for("node3 outside the swarm again", |s| s.matches("hors swarm").count() == 2);
    assert!(!lesson_text(&t.screen()).contains("Pas encore"), "nothing is held against the learner");

    // Done right: node2 joins, then node1 lists the nodes as the step goes on to ask.
    t.keys(&["M-2"]);
    t.type_line(&join("worker"));
    t.wait_for("step 2 passed, still on screen", |s| s.contains("Étape 2/4") && s.contains("Étape réussie"));
    t.keys(&["M-1"]);
    t.type_line("docker node ls");
    t.keys(&["M-Right"]);
    t.wait_for("step 3", |s| s.contains("Étape 3/4"));

    // A second slip, refused by Docker: the manager's join on node2, already a worker.
    t.keys(&["M-2"]);
    t.type_line(&join("manager"));
    let s = t.wait_for("the second explanation", |s| lesson_text(s).contains("vous l'avez lancée sur node2"));
    assert!(s.contains("This node is already part of a swarm"), "{s}");
    assert!(lesson_text(&s).contains("Deux managers attendus"), "the check's own words: {}", lesson_text(&s));
    t.keys(&["M-3"]);
    t.type_line(&join("manager"));
    t.wait_for("step 3 passed", |s| s.contains("Étape réussie") || s.contains("Étape 4/4"));
    if !t.screen().contains("Étape 4/4") {
        t.keys(&["M-Right"]);
    }
    t.wait_for("step 4", |s| s.contains("Étape 4/4"));
    t.keys(&["M-1"]);
    t.type_line("docker swarm join-token --rotate worker");
    t.wait_for("the lesson done", |s| s.contains("Leçon terminée") || s.contains("leçon terminée"));
    t.keys(&["F10"]);
    t.wait_for("the lab to end", |s| s.contains("LAB-ENDED"));
}

/// Tab completes docker commands in a pane, names from the cluster included, as
/// docker's own completion does.
#[test]
fn tab_completes_docker_commands_and_the_clusters_names() {
    let Some((t, _dirs)) =
        lab_at_prompt("complete", 160, 40, "play --nodes 3 --managers 1 --lang en --shell /bin/bash")
    else {
        return;
    };
    t.keys(&["-l", "docker sw"]);
    t.keys(&["Tab"]);
    t.keys(&["-l", "join-t"]);
    t.keys(&["Tab"]);
    t.type_line("-q worker | cut -c1-10");
    t.wait_for("the completed command ran", |s| {
        s.contains("docker swarm join-token -q worker") && s.contains("SWMTKN-1-")
    });
    t.type_line("clear");
    t.keys(&["-l", "docker node inspect "]);
    t.keys(&["Tab", "Tab"]);
    t.wait_for("the node names", |s| s.contains("node1  node2  node3  self"));
    t.keys(&["C-c"]);
    t.keys(&["-l", "docker node update --availability dr"]);
    t.keys(&["Tab"]);
    t.wait_for("the value completed", |s| s.contains("--availability drain "));
}

/// `lab` speaks the lab's language, and follows F9.
#[test]
fn the_lab_command_speaks_the_labs_language() {
    let Some((t, _dirs)) = lab_at_prompt("lablang", 160, 40, "play --nodes 3 --lang fr --shell /bin/bash") else {
        return;
    };
    t.type_line("lab help | head -1; lab node of node2");
    t.wait_for("the help in French", |s| s.contains("Usage :  lab COMMANDE"));
    t.wait_for("the wrong word named", |s| {
        s.contains("lab: action inconnue « of » : off, on, disconnect ou reconnect")
    });
    t.keys(&["F9"]);
    t.type_line("clear; lab node off node3");
    t.wait_for("the confirmation in English", |s| s.contains("node3: powered off (lab node on node3 brings it back)"));
}

/// Where `needle` starts on the screen: (row, column), 1-based as mouse reports count.
fn find_on_screen(screen: &str, needle: &str) -> Option<(usize, usize)> {
    screen.lines().enumerate().find_map(|(row, line)| {
        let byte = line.find(needle)?;
        Some((row + 1, line[..byte].chars().count() + 1))
    })
}

/// The join command node1 prints wraps in a narrow pane; a mouse drag over it copies
/// it as one line, and Alt+v pastes it in node2's pane, where it works.
#[test]
fn a_join_line_wrapped_in_a_narrow_pane_is_copied_whole_and_pasted_with_alt_v() {
    let Some((t, _dirs)) = lab_at_prompt("copy", 80, 24, "--lesson joining --lang en --shell /bin/bash") else {
        return;
    };
    t.type_line("docker swarm join-token worker");
    // Step 1 passes on it: its notice comes first, the copy's after.
    let s = t.wait_for("the join command, step 2", |s| s.contains(":2377") && s.contains("Step 2/4"));
    let (r0, c0) = find_on_screen(&s, "docker swarm join --token SWMTKN").expect("the command's start");
    let (r1, c1) = find_on_screen(&s, ":2377").expect("the command's end");
    assert!(r1 > r0, "the command wraps at 80 columns:\n{s}");
    let end = c1 + ":2377".len() - 1;
    t.keys(&["-l", &format!("\x1b[<0;{c0};{r0}M")]);
    t.keys(&["-l", &format!("\x1b[<32;{end};{r1}M")]);
    t.keys(&["-l", &format!("\x1b[<0;{end};{r1}m")]);
    t.wait_for("the copy said", |s| s.contains("Copied ") && s.contains("Alt+v"));
    t.keys(&["M-2"]);
    t.keys(&["M-v"]);
    t.keys(&["Enter"]);
    t.wait_for("node2 joined", |s| s.contains("This node joined a swarm as a worker."));
}
