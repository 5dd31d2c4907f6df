//! A learner's progress: where they are and which steps they passed, when. Saved in
//! the XDG data directory by writing a new file and renaming it over the old one, so a
//! kill -9 leaves either the old progress or the new, never half of one. A corrupt
//! file is set aside and the learner starts afresh, with a warning.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The lesson and step the learner was on.
    #[serde(default)]
    pub current: Option<Position>,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub lesson: String,
    pub step: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// Unix seconds when the lesson was first opened.
    pub started: u64,
    /// Step index (0-based) to Unix seconds when its check first held.
    #[serde(default)]
    pub passed: BTreeMap<usize, u64>,
    /// Steps the learner skipped without passing.
    #[serde(default)]
    pub skipped: Vec<usize>,
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `$XDG_DATA_HOME/swarmlab/progress.json`, else `~/.local/share/swarmlab/progress.json`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("swarmlab").join("progress.json"))
}

/// What loading found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    Fresh,
    Resumed,
    /// The file could not be read as progress; it was moved to this path.
    Corrupt(PathBuf),
}

impl Progress {
    pub fn load(path: &Path) -> (Progress, Loaded) {
        let Ok(bytes) = std::fs::read(path) else { return (Progress::default(), Loaded::Fresh) };
        match serde_json::from_slice(&bytes) {
            Ok(p) => (p, Loaded::Resumed),
            Err(_) => {
                let aside = path.with_extension(format!("corrupt-{}.json", now()));
                let _ = std::fs::rename(path, &aside);
                (Progress::default(), Loaded::Corrupt(aside))
            }
        }
    }

    /// Writes atomically: a temporary file, flushed to disk, renamed over the old one.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    pub fn open(&mut self, lesson: &str, step: usize) {
        self.current = Some(Position { lesson: lesson.to_string(), step });
        self.lessons
            .entry(lesson.to_string())
            .or_insert_with(|| LessonProgress { started: now(), ..Default::default() });
    }

    pub fn pass(&mut self, lesson: &str, step: usize) {
        let l = self
            .lessons
            .entry(lesson.to_string())
            .or_insert_with(|| LessonProgress { started: now(), ..Default::default() });
        l.passed.entry(step).or_insert_with(now);
        l.skipped.retain(|s| *s != step);
    }

    pub fn skip(&mut self, lesson: &str, step: usize) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        if !l.passed.contains_key(&step) && !l.skipped.contains(&step) {
            l.skipped.push(step);
        }
    }

    /// The summary an instructor collects: per lesson, steps passed and when.
    pub fn export(&self, user: &str, lessons: &[super::Lesson]) -> serde_json::Value {
        let per_lesson: Vec<serde_json::Value> = lessons
            .iter()
            .map(|l| {
                let p = self.lessons.get(&l.id);
                serde_json::json!({
                    "id": l.id,
                    "title": l.title,
                    "steps": l.steps.len(),
                    "passed": p.map_or(0, |p| p.passed.len()),
                    "skipped": p.map_or(0, |p| p.skipped.len()),
                    "started": p.map(|p| p.started),
                    "passed_at": p.map(|p| &p.passed),
                })
            })
            .collect();
        serde_json::json!({ "user": user, "current": self.current, "lessons": per_lesson })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A progress path in a directory of its own, removed with the returned guard.
    fn tmp() -> (crate::headless::files::Workdir, PathBuf) {
        let dir = crate::headless::files::Workdir::temporary().expect("a temporary directory");
        let path = dir.path().join("state").join("progress.json");
        (dir, path)
    }

    #[test]
    fn saves_and_resumes() {
        let (_dir, path) = tmp();
        let mut p = Progress::default();
        p.open("first-swarm", 2);
        p.pass("first-swarm", 0);
        p.pass("first-swarm", 1);
        p.save(&path).unwrap();
        let (back, how) = Progress::load(&path);
        assert_eq!(how, Loaded::Resumed);
        assert_eq!(back, p);
        assert_eq!(back.current, Some(Position { lesson: "first-swarm".into(), step: 2 }));
        assert!(!path.with_extension(format!("tmp-{}", std::process::id())).exists());
    }

    #[test]
    fn the_export_counts_steps_per_lesson() {
        let lessons = crate::lesson::bundled(crate::i18n::Lang::En);
        let mut p = Progress::default();
        p.open("joining", 0);
        p.pass("joining", 0);
        p.skip("joining", 1);
        p.pass("joining", 2);
        let v = p.export("ada", &lessons);
        assert_eq!(v["user"], "ada");
        assert_eq!(v["current"]["lesson"], "joining");
        let joining = v["lessons"].as_array().unwrap().iter().find(|l| l["id"] == "joining").unwrap();
        assert_eq!(
            (joining["passed"].as_u64(), joining["skipped"].as_u64(), joining["steps"].as_u64()),
            (Some(2), Some(1), Some(4))
        );
        let first = v["lessons"].as_array().unwrap().iter().find(|l| l["id"] == "first-swarm").unwrap();
        assert_eq!(first["passed"], 0);
    }

    #[test]
    fn a_corrupt_or_missing_file_starts_afresh_and_keeps_the_bad_one_aside() {
        let (_dir, path) = tmp();
        assert_eq!(Progress::load(&path), (Progress::default(), Loaded::Fresh));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{\"current\": {\"lesson\": 3").unwrap();
        let (p, how) = Progress::load(&path);
        assert_eq!(p, Progress::default());
        let Loaded::Corrupt(aside) = how else { panic!("{how:?}") };
        assert!(aside.exists() && !path.exists());
        p.save(&path).unwrap();
        assert_eq!(Progress::load(&path).1, Loaded::Resumed);
    }
}
