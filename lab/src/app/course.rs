//! Where the learner is in the course: lesson, step, what is done, which hints and
//! whether the solution are shown, the lesson picker. Pure state; the event loop runs
//! the checks and the fast-forwards it asks for.

use crate::lesson::{Lesson, Part, progress::Progress};

#[derive(Debug, Clone)]
pub struct Course {
    pub lessons: Vec<Lesson>,
    pub lesson: usize,
    pub step: usize,
    /// Per step of the current lesson: its check has held.
    pub done: Vec<bool>,
    pub hints: usize,
    pub solution: bool,
    /// The next runnable block of the step to type.
    pub next_block: usize,
    /// The lesson picker, open on this entry (lesson, step).
    pub picker: Option<(usize, usize)>,
    pub progress: Progress,
    /// Bumped when the lesson or step changes, so the loop knows to re-check.
    pub generation: u64,
    /// The current step's check held since it opened: it counted, once.
    pub held: bool,
    /// The learner came back to this step by hand: a check that still holds does
    /// not move them on again until they run something.
    revisiting: bool,
    /// What the step's check still lacks, once the learner has run something in it.
    pub feedback: crate::lesson::explain::Feedback,
}

/// What a check that holds did to the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passed {
    /// Nothing new: already counted, or the learner came back and has not acted.
    No,
    /// Counted; the next step is open.
    Moved,
    /// Counted; the step stays on screen, for what it still has to read or type.
    Stayed,
    /// Counted; it was the lesson's last step.
    LessonDone,
}

impl Course {
    pub fn new(lessons: Vec<Lesson>, progress: Progress) -> Course {
        Course {
            lessons,
            lesson: 0,
            step: 0,
            done: Vec::new(),
            hints: 0,
            solution: false,
            next_block: 0,
            picker: None,
            progress,
            generation: 0,
            held: false,
            revisiting: false,
            feedback: Default::default(),
        }
    }

    pub fn current(&self) -> Option<&Lesson> {
        self.lessons.get(self.lesson)
    }

    pub fn current_step(&self) -> Option<&crate::lesson::Step> {
        self.current().and_then(|l| l.steps.get(self.step))
    }

    /// Opens `lesson` at `step` (the loop fast-forwards the cluster to it).
    pub fn open(&mut self, lesson: usize, step: usize) {
        let Some(l) = self.lessons.get(lesson) else { return };
        self.lesson = lesson;
        self.step = step.min(l.steps.len().saturating_sub(1));
        let passed = self.progress.lessons.get(&l.id).map(|p| p.passed.clone()).unwrap_or_default();
        self.done = (0..l.steps.len()).map(|i| passed.contains_key(&i)).collect();
        self.progress.open(&l.id, self.step);
        self.revisiting = false;
        self.reset_step_view();
    }

    fn reset_step_view(&mut self) {
        self.hints = 0;
        self.solution = false;
        self.next_block = 0;
        self.held = false;
        self.feedback = Default::default();
        self.generation += 1;
    }

    /// Moves to another step of the same lesson without touching the cluster, as the
    /// learner asks (Alt+←/→): going back stays back until they act.
    pub fn go(&mut self, step: usize) {
        let Some(l) = self.current() else { return };
        if step >= l.steps.len() {
            return;
        }
        let id = l.id.clone();
        if step > self.step && !self.held && !self.done.get(self.step).copied().unwrap_or(false) {
            self.progress.skip(&id, self.step);
        }
        self.revisiting = step < self.step;
        self.step = step;
        self.progress.open(&id, step);
        self.reset_step_view();
    }

    /// The current step's check holds now; `ran` is what the learner ran since the step
    /// opened (node, command). Progress records it; the learner moves on at once, unless
    /// the step still has something after what they ran.
    pub fn passed(&mut self, ran: &[(String, String)]) -> Passed {
        let Some(l) = self.current() else { return Passed::No };
        if self.held || (self.revisiting && ran.is_empty()) {
            return Passed::No;
        }
        let (id, steps) = (l.id.clone(), l.steps.len());
        let unread = l.steps.get(self.step).is_some_and(|s| left_to_read(s, ran));
        self.held = true;
        self.feedback = Default::default();
        if let Some(d) = self.done.get_mut(self.step) {
            *d = true;
        }
        self.progress.pass(&id, self.step);
        if self.step + 1 >= steps {
            self.generation += 1;
            return Passed::LessonDone;
        }
        if unread {
            return Passed::Stayed;
        }
        // Held, so moving on is no skip; forward, so not a revisit.
        self.go(self.step + 1);
        Passed::Moved
    }

    /// The step held and stays on screen until the learner moves on.
    pub fn waiting_to_move_on(&self) -> bool {
        self.held && self.step + 1 < self.current().map_or(0, |l| l.steps.len())
    }

    pub fn lesson_complete(&self) -> bool {
        !self.done.is_empty() && self.done.iter().all(|d| *d)
    }

    pub fn next_hint(&mut self) {
        let n = self.current_step().map_or(0, |s| s.hints.len());
        self.hints = (self.hints + 1).min(n);
    }

    /// The next runnable block to type: (node, commands); moves past it.
    pub fn take_block(&mut self) -> Option<(String, Vec<String>)> {
        let step = self.current_step()?;
        let (node, commands) = step.runnables().nth(self.next_block)?;
        let out = (node.to_string(), commands.to_vec());
        self.next_block += 1;
        Some(out)
    }

    /// The picker's entries: each lesson, then its steps.
    pub fn picker_entries(&self) -> Vec<(usize, usize)> {
        self.lessons.iter().enumerate().flat_map(|(i, l)| (0..l.steps.len()).map(move |s| (i, s))).collect()
    }

    pub fn picker_move(&mut self, delta: isize) {
        let entries = self.picker_entries();
        let Some(at) = self.picker else { return };
        let pos = entries.iter().position(|e| *e == at).unwrap_or(0) as isize;
        let next = (pos + delta).clamp(0, entries.len() as isize - 1) as usize;
        self.picker = entries.get(next).copied();
    }

    /// Swaps the lessons for the same course in another language, keeping the place.
    pub fn relocalise(&mut self, lessons: Vec<Lesson>) {
        if lessons.len() == self.lessons.len() {
            self.lessons = lessons;
        }
    }
}

/// Does `step` show anything after the last of its blocks the learner ran (a later
/// block, a file, or prose)? When they ran none of them, everything after the first
/// block is still to come.
fn left_to_read(step: &crate::lesson::Step, ran: &[(String, String)]) -> bool {
    let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
    let typed =
        |node: &str, commands: &[String]| commands.iter().any(|c| ran.iter().any(|(n, r)| n == node && same(r, c)));
    let blocks: Vec<(usize, bool)> = step
        .parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Part::Runnable { node, commands } => Some((i, typed(node, commands))),
            _ => None,
        })
        .collect();
    let reached = blocks.iter().rev().find(|(_, t)| *t).or(blocks.first()).map_or(0, |(i, _)| *i);
    step.parts.iter().skip(reached + 1).any(|p| match p {
        Part::Prose(text) => !text.trim().is_empty(),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn ran(node: &str, command: &str) -> Vec<(String, String)> {
        vec![(node.to_string(), command.to_string())]
    }

    /// Four steps: a block alone; a block, then prose; two blocks; the end.
    fn small() -> Course {
        let step = |title: &str, body: &str, check: &str| {
            format!("## {title}\n\n{body}\n\n```solution\nnode1$ true\n```\n\n```check\n{check}\n```\n\n")
        };
        let text = [
            "---\nid: small\ntitle: Small\nnodes: 2\n---\n\n".to_string(),
            step("One", "```node1\ndocker info\n```", "ran: node1 docker info"),
            step("Two", "```node1\ndocker node ls\n```\n\nWhat the table says.", "ran: node1 docker node ls"),
            step("Three", "```node2\ndocker info\n```\n\n```node1\ndocker node ls\n```", "ran: node2 docker info"),
            step("Four", "```node1\ndocker ps\n```", "ran: node1 docker ps"),
        ]
        .concat();
        let lesson = crate::lesson::parse(&text, std::path::Path::new("small.md")).expect("parses");
        let mut c = Course::new(vec![lesson], Progress::default());
        c.open(0, 0);
        c
    }

    #[test]
    fn passing_a_step_opens_the_next_and_records_it() {
        let mut c = small();
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved);
        assert_eq!(c.step, 1);
        let p = &c.progress.lessons["small"];
        assert!(p.passed.contains_key(&0));
        assert_eq!(c.progress.current.as_ref().map(|p| p.step), Some(c.step));
    }

    #[test]
    fn a_step_passed_before_passes_again_after_a_redo_or_a_revisit() {
        let mut c = small();
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved);
        // Redo the lesson (R): step 1 is done in the progress file, and still counts live.
        c.open(0, 0);
        assert!(c.done[0], "progress remembers it");
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved, "the live check moves the learner on");
        // The picker, or a lesson opened again: the same.
        c.open(0, 1);
        c.open(0, 0);
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved);
    }

    #[test]
    fn going_back_stays_back_until_the_learner_acts() {
        let mut c = small();
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved);
        c.go(0);
        assert_eq!(c.passed(&[]), Passed::No, "its check still holds, but the learner came back to read");
        assert_eq!(c.step, 0);
        assert_eq!(c.passed(&ran("node1", "docker info")), Passed::Moved, "once they act, it counts again");
    }

    #[test]
    fn a_step_with_more_to_read_stays_on_screen_when_it_passes() {
        let mut c = small();
        c.open(0, 1);
        assert_eq!(c.passed(&ran("node1", "docker node ls")), Passed::Stayed, "the prose after the block");
        assert!(c.waiting_to_move_on());
        assert_eq!(c.passed(&ran("node1", "docker node ls")), Passed::No, "counted once");
        c.go(2);
        assert!(!c.waiting_to_move_on());
        assert!(c.progress.lessons["small"].skipped.is_empty(), "moving on from a passed step is no skip");
        // The first of two blocks run: the second is still to type.
        assert_eq!(c.passed(&ran("node2", "docker info")), Passed::Stayed, "node1's block is left");
        c.open(0, 2);
        let both = vec![("node2".to_string(), "docker info".to_string()), ("node1".into(), "docker  node ls".into())];
        assert_eq!(c.passed(&both), Passed::Moved, "both blocks typed: nothing left, on to the next");
        c.open(0, 3);
        assert_eq!(c.passed(&[]), Passed::LessonDone);
        assert!(c.lesson_complete() || !c.done[0], "the last step ends the lesson");
    }

    #[test]
    fn blocks_hints_and_skips() {
        let mut c = Course::new(crate::lesson::bundled(Lang::En), Progress::default());
        c.open(0, 0);
        assert_eq!(
            c.take_block(),
            Some(("node1".into(), vec!["docker info --format '{{.Swarm.LocalNodeState}}'".into()]))
        );
        assert_eq!(c.take_block(), None);
        c.next_hint();
        c.next_hint();
        assert_eq!(c.hints, 1, "no more hints than the step has");
        c.go(2);
        assert_eq!(c.progress.lessons["first-swarm"].skipped, vec![0]);
        assert_eq!((c.hints, c.next_block), (0, 0));
        c.picker = Some((0, 3));
        c.picker_move(1);
        assert_eq!(c.picker, Some((1, 0)));
    }
}
