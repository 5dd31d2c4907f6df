//! The lab's main screens, drawn on ratatui's TestBackend and compared with reviewed
//! snapshots: a three-node swarm running a service, and the help overlay, at 80x24
//! (usable) and 160x48 (comfortable), in English and French.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use swarmlab::app::snapshot::snapshot;
use swarmlab::app::{Intro, Model, Msg};
use swarmlab::i18n::Lang;
use swarmlab_engine::sim::{Cluster, ClusterConfig};

fn docker(c: &mut Cluster, idx: usize, args: &str) -> String {
    let out = swarmlab_engine::docker(c, idx, args);
    out.stdout + &out.stderr
}

/// A lab where node1 built a swarm of three and runs `web` with 4 replicas; each pane
/// shows what its shell printed.
fn lab(lang: Lang, width: u16, height: u16) -> Model {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut node1 = String::from("node1:~# docker swarm init --advertise-addr 127.10.0.11\r\n");
    node1 += &docker(&mut c, 0, "swarm init --advertise-addr 127.10.0.11").replace('\n', "\r\n");
    let token = docker(&mut c, 0, "swarm join-token -q worker");
    let mut others = Vec::new();
    for i in 1..3 {
        let cmd = format!("swarm join --token {} 127.10.0.11:2377", token.trim());
        let out = docker(&mut c, i, &cmd);
        others.push(format!("node{}:~# docker {cmd}\r\n{}node{}:~# ", i + 1, out.replace('\n', "\r\n"), i + 1));
    }
    docker(&mut c, 0, "service create -d --name web --replicas 4 -p 8080:80 nginx");
    c.run_until_idle();
    node1 += "node1:~# docker service ls\r\n";
    node1 += &docker(&mut c, 0, "service ls").replace('\n', "\r\n");
    node1 += "node1:~# ";
    let intro = Intro { title: "welcome-title", body: "welcome-body", args: Vec::new() };
    let names = (1..=3).map(|i| format!("node{i}")).collect();
    let mut m = Model::new(lang, intro, names, (width, height));
    m.update(Msg::PtyOutput(0, node1.into_bytes()));
    for (i, o) in others.into_iter().enumerate() {
        m.update(Msg::PtyOutput(i + 1, o.into_bytes()));
    }
    m.update(Msg::Cluster(snapshot(&c)));
    m
}

fn render(model: &Model) -> String {
    let (w, h) = model.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| swarmlab::ui::draw(f, model)).expect("draw");
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn main_screen() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        for (w, h) in [(80, 24), (160, 48)] {
            insta::assert_snapshot!(format!("main_{tag}_{w}x{h}"), render(&lab(lang, w, h)));
        }
    }
}

#[test]
fn help_overlay() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let mut m = lab(lang, 80, 24);
        m.help = true;
        insta::assert_snapshot!(format!("help_{tag}_80x24"), render(&m));
    }
}

#[test]
fn zoomed_pane_fills_the_screen() {
    let mut m = lab(Lang::En, 80, 24);
    m.update(Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::F(3),
        crossterm::event::KeyModifiers::NONE,
    )));
    let screen = render(&m);
    assert!(screen.starts_with("┌ node1"), "{screen}");
    assert!(!screen.contains("Cluster"));
}

#[test]
fn lesson_screen() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        for (w, h) in [(80, 24), (160, 48)] {
            let mut m = lab(lang, w, h);
            let mut course = swarmlab::app::course::Course::new(swarmlab::lesson::bundled(lang), Default::default());
            course.open(0, 1);
            course.done[0] = true;
            course.next_hint();
            m.course = Some(course);
            insta::assert_snapshot!(format!("lesson_{tag}_{w}x{h}"), render(&m));
        }
    }
}

/// A step that provides a file shows it, named, before the commands that use it.
#[test]
fn lesson_file_screen() {
    let mut m = lab(Lang::En, 160, 48);
    let lessons = swarmlab::lesson::bundled(Lang::En);
    let stacks = lessons.iter().position(|l| l.id == "stacks").expect("the stacks lesson");
    let mut course = swarmlab::app::course::Course::new(lessons, Default::default());
    course.open(stacks, 0);
    m.course = Some(course);
    let screen = render(&m);
    assert!(screen.contains(" stack.yml "), "{screen}");
    insta::assert_snapshot!("lesson_file_en_160x48", screen);
}

#[test]
fn any_terminal_size_draws_without_panicking() {
    for (w, h) in [(0, 0), (1, 1), (5, 3), (10, 4), (20, 6), (39, 12), (80, 24), (300, 90)] {
        for overlay in 0..4 {
            let mut m = lab(Lang::Fr, w, h);
            m.update(Msg::PtyExited(0));
            let mut course =
                swarmlab::app::course::Course::new(swarmlab::lesson::bundled(Lang::Fr), Default::default());
            course.open(1, 2);
            course.solution = true;
            course.hints = 1;
            match overlay {
                1 => m.help = true,
                2 => course.picker = Some((2, 3)),
                3 => m.zoom = true,
                _ => {}
            }
            m.course = Some(course);
            m.notice = Some(swarmlab::app::Notice::StepDone);
            render(&m);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Whatever a program in a pane prints, and however the terminal is resized, the lab
    /// keeps drawing.
    #[test]
    fn any_output_and_any_resize_keep_the_lab_drawing(
        chunks in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200), 1..8),
        sizes in proptest::collection::vec((0u16..250, 0u16..80), 1..4),
    ) {
        let mut m = lab(Lang::En, 80, 24);
        for (i, chunk) in chunks.into_iter().enumerate() {
            m.update(Msg::PtyOutput(i % 3, chunk));
            let (w, h) = sizes[i % sizes.len()];
            m.update(Msg::Resize(w, h));
            render(&m);
        }
    }
}

/// A learner slipped in lesson 2 (node4's join made a third manager, in a five-node
/// course lab): the step says what its check still wants and what the cluster has,
/// and how to start the step again. Then a step passed with text left to read.
#[test]
fn lesson_feedback_screen() {
    use swarmlab::lesson::check::{Expect, Gap, Unmet};
    use swarmlab::lesson::explain::Feedback;
    for (lang, tag) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let mut m = lab(lang, 160, 48);
        let lessons = swarmlab::lesson::bundled(lang);
        let joining = lessons.iter().position(|l| l.id == "joining").expect("lesson 2");
        let mut course = swarmlab::app::course::Course::new(lessons, Default::default());
        course.open(joining, 2);
        m.course = Some(course);
        let command = "docker node ls --filter role=manager --format '{{.Hostname}}'".to_string();
        let why = m.course.as_ref().and_then(|c| c.current_step()).and_then(|s| match &s.check.as_ref()?.items[0] {
            swarmlab::lesson::check::Item::Query { why, .. } => why.clone(),
            _ => None,
        });
        assert!(why.is_some(), "lesson 2 explains its manager count");
        let unmet = vec![Unmet {
            line: 1,
            why,
            gap: Gap::Output { command, expect: Expect::Lines(2), output: "node1\nnode3\nnode4\n".into() },
        }];
        let generation = m.course.as_ref().map_or(0, |c| c.generation);
        let ran = vec![("node2".to_string(), "docker swarm join --token x node1:2377".to_string())];
        let step = m.course.as_ref().and_then(|c| c.current_step()).expect("step 3").clone();
        let slips = swarmlab::lesson::slips::find(&step, &ran, &[]);
        assert_eq!(slips.len(), 1, "the join ran on node2, not node3");
        let feedback = Feedback { slips, unmet: unmet.clone() };
        // The step before passed a moment ago: its notice gives way to what this one lacks.
        m.notice = Some(swarmlab::app::Notice::StepDone);
        m.update(Msg::Checked { generation, passed: false, ran: ran.clone(), feedback });
        assert_eq!(m.notice, None, "no 'step done' beside 'not there yet'");
        let screen = render(&m);
        assert!(screen.contains("node4"), "{screen}");
        let (slip, redo) = if tag == "fr" {
            ("l'avez lancée sur node2, où elle a pu changer", "Alt+u reprend cette étape")
        } else {
            ("on node3; you ran", "Alt+u starts this step again")
        };
        assert!(screen.contains(slip) && screen.contains(redo), "{screen}");
        insta::assert_snapshot!(format!("lesson_feedback_{tag}_160x48"), screen);
        // Nothing is said before the learner has run anything in the step.
        let mut quiet = lab(lang, 160, 48);
        quiet.course = m.course.clone();
        if let Some(c) = quiet.course.as_mut() {
            c.feedback = Feedback::default();
        }
        quiet.update(Msg::Checked {
            generation,
            passed: false,
            ran: Vec::new(),
            feedback: Feedback { slips: Vec::new(), unmet },
        });
        assert!(quiet.course.as_ref().is_some_and(|c| c.feedback.is_empty()));
        // Passed, with the step's text still to read: it stays, and says how to go on.
        m.update(Msg::Checked { generation, passed: true, ran, feedback: Feedback::default() });
        let screen = render(&m);
        let banner = if tag == "fr" { "Étape réussie. Lisez la suite" } else { "Step passed. Read on" };
        assert!(screen.contains(banner), "{screen}");
        assert!(!screen.contains("node4\n"), "the feedback is gone");
        assert_eq!(m.notice, Some(swarmlab::app::Notice::StepPassed), "not 'the next one is open'");
    }
}

/// A powered-off node's pane says so, in the lab's language.
#[test]
fn a_powered_off_pane_says_so() {
    for (lang, banner) in
        [(Lang::En, "⏻ node2 is powered off · F6 powers it on"), (Lang::Fr, "⏻ node2 est éteint · F6 le rallume")]
    {
        let mut m = lab(lang, 160, 48);
        let mut c = Cluster::new(ClusterConfig::default());
        c.power_off(1);
        m.update(Msg::Cluster(snapshot(&c)));
        let screen = render(&m);
        assert!(screen.contains(banner), "{screen}");
        assert_eq!(screen.matches("⏻").count(), 1, "only node2's pane");
    }
}

/// The lesson pane's Markdown: marks, a nested list, a callout, a recap table and a
/// command too long for the pane, at three sizes in both languages.
#[test]
fn lesson_markdown_screen() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/markdown-{tag}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let lesson = swarmlab::lesson::parse(&text, &path).unwrap();
        for (w, h) in [(80, 24), (120, 40), (200, 50)] {
            let mut m = lab(lang, w, h);
            let mut course = swarmlab::app::course::Course::new(vec![lesson.clone()], Default::default());
            course.open(0, 0);
            course.hints = 1;
            m.course = Some(course);
            m.focus = swarmlab::app::layout::Focus::Lesson;
            // At 80x24 the zoomed lesson, scrolled to the command and the hint.
            m.zoom = w == 80;
            m.lesson_scroll = if w == 80 { 20 } else { 0 };
            let screen = render(&m);
            insta::assert_snapshot!(format!("lesson_markdown_{tag}_{w}x{h}"), screen);
            assert!(!screen.contains("**") && !screen.contains("|---"), "no raw Markdown:\n{screen}");
            // Scrolled past its end (a resize made the text shorter): the end still shows.
            m.lesson_scroll = 500;
            let screen = render(&m);
            let hint = if tag == "fr" { "» Indice 1" } else { "» Hint 1" };
            assert!(screen.contains(hint), "{screen}");
        }
    }
}

/// French typography: no rendered line of any French lesson starts with `: ; ! ? »` or
/// ends with `«`, at any width the lesson pane takes.
#[test]
fn french_lessons_keep_their_punctuation_with_its_word() {
    for lesson in swarmlab::lesson::bundled(Lang::Fr) {
        let mut texts = vec![lesson.intro.clone()];
        for step in &lesson.steps {
            texts.extend(step.parts.iter().filter_map(|p| match p {
                swarmlab::lesson::Part::Prose(t) => Some(t.clone()),
                _ => None,
            }));
            texts.extend(step.hints.iter().cloned());
        }
        for text in &texts {
            for width in (26..=90).step_by(4) {
                for line in swarmlab::ui::markdown::render(text, width, true) {
                    let l: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                    let t = l.trim_start_matches([' ', '│', '▌', '•']).trim_start();
                    assert!(!t.starts_with([':', ';', '!', '?', '»']), "{}: {width}: {l:?}", lesson.id);
                    assert!(!l.trim_end().ends_with('«'), "{}: {width}: {l:?}", lesson.id);
                }
            }
        }
    }
}
