//! Where the learner is in the course: lesson, step, what is done, which hints and
//! whether the solution are shown, the lesson picker. Pure state; the event loop runs
//! the checks and the fast-forwards it asks for.

use crate::lesson::{Lesson, progress::Progress};

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
        self.reset_step_view();
    }

    fn reset_step_view(&mut self) {
        self.hints = 0;
        self.solution = false;
        self.next_block = 0;
        self.generation += 1;
    }

    /// Moves to another step of the same lesson without touching the cluster.
    pub fn go(&mut self, step: usize) {
        let Some(l) = self.current() else { return };
        if step >= l.steps.len() {
            return;
        }
        let id = l.id.clone();
        if step > self.step && !self.done.get(self.step).copied().unwrap_or(false) {
            self.progress.skip(&id, self.step);
        }
        self.step = step;
        self.progress.open(&id, step);
        self.reset_step_view();
    }

    /// The current step's check held: mark it, open the next. True when it was news.
    pub fn passed(&mut self) -> bool {
        let Some(l) = self.current() else { return false };
        let id = l.id.clone();
        let steps = l.steps.len();
        if self.done.get(self.step).copied().unwrap_or(true) {
            return false;
        }
        self.done[self.step] = true;
        self.progress.pass(&id, self.step);
        if self.step + 1 < steps {
            self.go(self.step + 1);
        } else {
            self.generation += 1;
        }
        true
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn course() -> Course {
        let mut c = Course::new(crate::lesson::bundled(Lang::En), Progress::default());
        c.open(0, 0);
        c
    }

    #[test]
    fn passing_a_step_opens_the_next_and_records_it() {
        let mut c = course();
        assert!(c.passed());
        assert_eq!(c.step, 1);
        assert!(!c.passed() || c.step == 2);
        let p = &c.progress.lessons["first-swarm"];
        assert!(p.passed.contains_key(&0));
        assert_eq!(c.progress.current.as_ref().map(|p| p.step), Some(c.step));
    }

    #[test]
    fn blocks_hints_and_skips() {
        let mut c = course();
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
