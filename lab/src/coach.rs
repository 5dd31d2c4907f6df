//! The lesson side of the live lab: rebuilding the cluster for a step (setup, then the
//! earlier steps' solutions), evaluating the current step's check against the running
//! cluster, typing a runnable block into its pane at a readable pace, saving progress.

use crate::app::{Model, Msg};
use crate::headless::Session;
use crate::headless::files::Workdir;
use crate::lesson::explain::Feedback;
use crate::lesson::{Lesson, slips, verify};
use crate::world::World;
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

/// How fast a block is typed: readable on a projector.
const KEY_DELAY: Duration = Duration::from_millis(25);
/// A pause after each line, so the previous command can answer first.
const LINE_DELAY: Duration = Duration::from_millis(400);

/// Replaces the cluster by `lesson`'s starting point with steps before `step` solved,
/// and `workdir`'s files by the lesson's (edited as those steps edit them).
pub fn fast_forward(world: &World, lesson: &Lesson, step: usize, workdir: &Path) -> Result<(), String> {
    let dir = Workdir::at(workdir).and_then(|d| d.provide(lesson.file_texts()).map(|()| d)).map_err(|e| {
        format!("{}: cannot write the lesson's files in {}: {e}", lesson.path.display(), workdir.display())
    })?;
    let fresh = world.fresh_cluster();
    let mut result = Ok(());
    world.replace(|_| {
        let mut session = Session::on(fresh).in_dir(dir);
        result = verify::prepare(&mut session, lesson, step).map_err(|f| format!("{}: {f}", lesson.path.display()));
        session.cluster
    });
    result
}

/// Evaluates the current step's check; `since` is where the step's history starts.
pub fn check(world: &World, model: &Model, since: usize) -> Option<Msg> {
    let course = model.course.as_ref()?;
    let check = course.current_step()?.check.as_ref()?;
    let step = course.current_step()?;
    let (history, _) = world.history_since(since);
    let (outcome, slips) = world.quiet(|c| {
        let outcome = check.evaluate(c, &history);
        // Slips only matter to a step that does not hold.
        let slips = if outcome.passed { Vec::new() } else { slips::find(step, &history, &slips::swarms(c)) };
        (outcome, slips)
    });
    let feedback = Feedback { slips, unmet: outcome.unmet };
    Some(Msg::Checked { generation: course.generation, passed: outcome.passed, ran: history, feedback })
}

/// Types `lines` into pane `pane`, key by key, through `tx`.
pub fn type_lines(tx: mpsc::Sender<(usize, Vec<u8>)>, pane: usize, lines: Vec<String>) {
    tokio::spawn(async move {
        for line in lines {
            for ch in line.chars() {
                if tx.send((pane, ch.to_string().into_bytes())).await.is_err() {
                    return;
                }
                tokio::time::sleep(KEY_DELAY).await;
            }
            let _ = tx.send((pane, b"\r".to_vec())).await;
            tokio::time::sleep(LINE_DELAY).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Speed;
    use crate::i18n::Lang;
    use swarmlab_engine::sim::ClusterConfig;

    #[test]
    fn fast_forward_replays_setup_and_earlier_solutions() {
        let lessons = crate::lesson::bundled(Lang::En);
        let joining = &lessons[1];
        let world = World::at(ClusterConfig::default(), Speed::Paused);
        let dir = crate::headless::files::Workdir::temporary().unwrap();
        fast_forward(&world, joining, 2, dir.path()).unwrap();
        let ls = world.quiet(|c| crate::lesson::check::query(c, 0, "docker node ls --format '{{.Hostname}}'")).0;
        assert_eq!(ls.lines().count(), 2, "node1 and the worker of step 2: {ls}");
        // Step 3's check does not hold yet; after its solution it does.
        let step = &joining.steps[2];
        let check = step.check.as_ref().unwrap();
        assert!(!world.quiet(|c| check.evaluate(c, &[])).passed);
        fast_forward(&world, joining, 3, dir.path()).unwrap();
        assert!(world.quiet(|c| check.evaluate(c, &[])).passed);
    }
}
