//! Lessons headless, for CI: `verify` replays each lesson's solutions and requires every
//! check to fail before its solution and hold after; `grade` plays a learner's own
//! commands and says which steps they pass. Both can write a JUnit report.

use super::{Lesson, Step};
use crate::headless::Session;
use crate::headless::files::Workdir;
use crate::headless::script;
use std::time::{Duration, Instant};
use swarmlab_engine::sim::ClusterConfig;

/// How one step went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub title: String,
    pub passed: bool,
    pub message: Option<String>,
    pub time: Duration,
    /// For the step a graded answer stopped at: what its check still lacks.
    /// For a step that does not hold: its slips and unmet check items.
    pub feedback: super::explain::Feedback,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonResult {
    pub id: String,
    pub path: String,
    pub steps: Vec<StepResult>,
}

impl LessonResult {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.passed)
    }
}

/// The commands that build the lesson's starting point, as a transcript script.
pub fn setup_script(lesson: &Lesson) -> Vec<script::Step> {
    let mut steps =
        if lesson.setup.swarm { crate::setup::swarm_script(&lesson.nodes, lesson.managers) } else { Vec::new() };
    steps.extend(lesson.setup.commands.iter().cloned());
    steps
}

/// Plays the lesson's setup, then the solutions of its first `steps` steps, and lets
/// the cluster settle: the lab fast-forwards with it, `verify` starts from it. The
/// error is the first command that failed.
pub fn prepare(session: &mut Session, lesson: &Lesson, steps: usize) -> Result<(), String> {
    let mut script = setup_script(lesson);
    for s in lesson.steps.iter().take(steps) {
        script.extend(s.solution.iter().cloned());
    }
    let t = session.play(&script);
    session.cluster.run_until_idle_within(crate::clock::SKIP_LIMIT);
    t.failures.into_iter().next().map_or(Ok(()), Err)
}

/// A session at the lesson's starting point, working in a temporary directory that
/// holds the lesson's files.
pub fn start(lesson: &Lesson, seed: u64) -> Result<Session, String> {
    let cannot = |e: std::io::Error| format!("{}: cannot write the lesson's files: {e}", lesson.path.display());
    let dir = Workdir::temporary().map_err(cannot)?;
    dir.provide(lesson.file_texts()).map_err(cannot)?;
    let mut s = Session::new(ClusterConfig { nodes: lesson.nodes.len(), seed, ..ClusterConfig::default() }).in_dir(dir);
    prepare(&mut s, lesson, 0).map_err(|f| format!("{}: setup failed: {f}", lesson.path.display()))?;
    s.history.clear();
    Ok(s)
}

/// Does step's check hold now, counting only what was run since `since`?
pub fn holds(session: &mut Session, step: &Step, since: usize) -> super::check::Outcome {
    let history = session.history[since.min(session.history.len())..].to_vec();
    match &step.check {
        Some(c) => c.evaluate(&mut session.cluster, &history),
        None => super::check::Outcome { passed: true, unmet: Vec::new() },
    }
}

/// Plays step `i`'s solution; the check must fail before and hold after.
fn verify_step(session: &mut Session, step: &Step) -> StepResult {
    let started = Instant::now();
    let since = session.history.len();
    let result = |passed, message: Option<String>| StepResult {
        title: step.title.clone(),
        passed,
        message,
        time: started.elapsed(),
        feedback: Default::default(),
    };
    if holds(session, step, since).passed {
        return result(false, Some("the check already holds before the solution: it cannot tell".into()));
    }
    let t = session.play(&step.solution);
    session.cluster.run_until_idle_within(crate::clock::SKIP_LIMIT);
    if let Some(f) = t.failures.first() {
        return result(false, Some(format!("the solution failed: {f}\n{}", t.text)));
    }
    let after = holds(session, step, since);
    match after.failure() {
        None => result(true, None),
        Some(f) => result(false, Some(format!("the check does not hold after the solution: {f}"))),
    }
}

pub fn verify(lesson: &Lesson) -> LessonResult {
    let path = lesson.path.display().to_string();
    let mut out = LessonResult { id: lesson.id.clone(), path, steps: Vec::new() };
    let mut session = match start(lesson, 1) {
        Ok(s) => s,
        Err(e) => {
            let setup = StepResult {
                title: "setup".into(),
                passed: false,
                message: Some(e),
                time: Duration::ZERO,
                feedback: Default::default(),
            };
            out.steps.push(setup);
            return out;
        }
    };
    for step in &lesson.steps {
        let r = verify_step(&mut session, step);
        let stop = !r.passed;
        out.steps.push(r);
        if stop {
            // Later steps build on this one: their results would mean nothing.
            break;
        }
    }
    out
}

/// Plays a learner's commands; a step passes when its check holds after one of them
/// (steps open in order, as in the lab).
pub fn grade(lesson: &Lesson, answers: &[script::Step]) -> Result<LessonResult, String> {
    let mut session = start(lesson, 1)?;
    let mut current = 0;
    let mut since = 0;
    let started = Instant::now();
    let mut passed_at: Vec<Option<Duration>> = vec![None; lesson.steps.len()];
    let mut advance = |session: &mut Session, current: &mut usize, since: &mut usize| {
        while *current < lesson.steps.len() && holds(session, &lesson.steps[*current], *since).passed {
            passed_at[*current] = Some(started.elapsed());
            *current += 1;
            *since = session.history.len();
        }
    };
    for answer in answers {
        session.play(std::slice::from_ref(answer));
        session.cluster.run_until_idle_within(crate::clock::SKIP_LIMIT);
        advance(&mut session, &mut current, &mut since);
    }
    let steps = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let passed = i < current;
            let outcome = (i == current).then(|| holds(&mut session, s, since));
            let feedback = match &outcome {
                Some(o) => {
                    let ran = session.history.get(since..).unwrap_or_default();
                    let slips = super::slips::find(s, ran, &super::slips::swarms(&session.cluster));
                    super::explain::Feedback { slips, unmet: o.unmet.clone() }
                }
                None => Default::default(),
            };
            let message = (!passed).then(|| outcome.and_then(|o| o.failure()).unwrap_or_else(|| "not reached".into()));
            StepResult { title: s.title.clone(), passed, message, time: Duration::ZERO, feedback }
        })
        .collect();
    Ok(LessonResult { id: lesson.id.clone(), path: lesson.path.display().to_string(), steps })
}

/// JUnit XML: a suite per lesson, a case per step.
pub fn junit(name: &str, results: &[LessonResult]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new(name);
    for r in results {
        let mut suite = TestSuite::new(format!("{} ({})", r.id, r.path));
        for (i, s) in r.steps.iter().enumerate() {
            let status = if s.passed {
                TestCaseStatus::success()
            } else {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                st.set_message(s.message.clone().unwrap_or_default());
                st
            };
            let mut case = TestCase::new(format!("{}. {}", i + 1, s.title), status);
            case.set_classname(r.id.clone());
            case.set_time(s.time);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}

/// The two languages must teach the same lesson: same ids, same number of steps, the
/// same checks and solutions, step by step.
pub fn parity(en: &[Lesson], fr: &[Lesson]) -> Vec<String> {
    let mut out = Vec::new();
    if en.len() != fr.len() {
        out.push(format!("SUMMARY.md lists {} lessons in English and {} in French", en.len(), fr.len()));
    }
    for (a, b) in en.iter().zip(fr) {
        let at = |l: &Lesson, line: usize| format!("{}:{line}", l.path.display());
        if a.id != b.id {
            out.push(format!("{}: lesson {:?} stands where {} has {:?}", at(b, 1), b.id, a.path.display(), a.id));
            continue;
        }
        if (a.nodes.len(), a.managers, &a.setup) != (b.nodes.len(), b.managers, &b.setup) {
            out.push(format!("{}: nodes, managers or setup differ from {}", at(b, 1), a.path.display()));
        }
        if a.steps.len() != b.steps.len() {
            out.push(format!("{}: {} steps, but {} has {}", at(b, 1), b.steps.len(), a.path.display(), a.steps.len()));
        }
        for (sa, sb) in a.steps.iter().zip(&b.steps) {
            let same_check = sa.check.as_ref().map(strip) == sb.check.as_ref().map(strip);
            if !same_check {
                out.push(format!("{}: this step's check differs from {}", at(b, sb.line), at(a, sa.line)));
            }
            let cmds = |s: &Step| s.solution.iter().map(|c| (c.node.clone(), c.command.clone())).collect::<Vec<_>>();
            if cmds(sa) != cmds(sb) {
                out.push(format!("{}: this step's solution differs from {}", at(b, sb.line), at(a, sa.line)));
            }
        }
        // The files are what the learner types commands against: the same in both.
        let names = |l: &Lesson| l.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        if names(a) != names(b) {
            out.push(format!(
                "{}: provides files {:?}, but {} provides {:?}",
                at(b, 1),
                names(b),
                a.path.display(),
                names(a)
            ));
        }
        for (fa, fb) in a.files.iter().zip(&b.files).filter(|(fa, fb)| fa.name == fb.name && fa.text != fb.text) {
            out.push(format!("{}: file {} differs from {}", at(b, fb.line), fb.name, at(a, fa.line)));
        }
    }
    out
}

/// A check without its line numbers, to compare across languages.
fn strip(c: &super::check::Check) -> Vec<String> {
    c.items
        .iter()
        .map(|i| match i {
            super::check::Item::Query { node, command, expects, .. } => format!("{node:?} {command} {expects:?}"),
            // `why:` is prose: translated, not compared.
            super::check::Item::Ran { node, prefix, .. } => format!("ran {node} {prefix}"),
        })
        .collect()
}
