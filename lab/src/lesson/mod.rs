//! Lessons: markdown files with a front matter and `##` steps, each step holding prose,
//! runnable blocks, hints, a solution and a check (see lessons/README.md). Parsed
//! once into plain data; checked, verified and played from there.

pub mod book;
pub mod check;
pub mod cli;
mod document;
pub mod explain;
mod parse;
pub mod progress;
pub mod slips;
pub mod verify;

pub use parse::{parse, parse_check};

use crate::headless::files::{FileError, Reach, Sandbox, Workdir, read_file};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// Markdown before the first step.
    pub intro: String,
    /// Node hostnames, in order: node1, node2 …
    pub nodes: Vec<String>,
    pub managers: usize,
    pub setup: Setup,
    pub steps: Vec<Step>,
    /// The files it provides, in the panes' working directory from the moment it opens.
    pub files: Vec<LessonFile>,
    /// Where it was read from, for messages.
    pub path: PathBuf,
}

/// A file a lesson provides (a compose file, a secret's content), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonFile {
    pub name: String,
    pub text: String,
    /// 1-based line of its opening fence.
    pub line: usize,
}

impl Lesson {
    /// The files as (name, text), to put in a working directory.
    pub fn file_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|f| (f.name.as_str(), f.text.as_str()))
    }
}

/// What the cluster looks like when the lesson starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// A swarm already formed: node1 leads, `managers` managers, the rest workers.
    pub swarm: bool,
    /// Then these commands, as in a transcript script.
    pub commands: Vec<crate::headless::script::Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: String,
    /// 1-based line of the `##` heading.
    pub line: usize,
    /// What the learner reads, in order.
    pub parts: Vec<Part>,
    pub hints: Vec<String>,
    pub solution: Vec<crate::headless::script::Step>,
    pub check: Option<check::Check>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Markdown text.
    Prose(String),
    /// Commands to type on a node, one per line.
    Runnable { node: String, commands: Vec<String> },
    /// A file the lesson provides, shown as written.
    File { name: String, text: String },
}

impl Step {
    /// The runnable blocks, in order.
    pub fn runnables(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.parts.iter().filter_map(|p| match p {
            Part::Runnable { node, commands } => Some((node.as_str(), commands.as_slice())),
            Part::Prose(_) | Part::File { .. } => None,
        })
    }
}

/// An authoring error: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// One language's course: its SUMMARY.md order and the lessons it lists.
#[derive(Debug, Clone)]
pub struct Course {
    pub dir: PathBuf,
    pub lessons: Vec<Lesson>,
}

/// A lesson or SUMMARY.md as text: UTF-8, a byte-order mark dropped, at most the size
/// swarmlab reads. An error names the line where the text stops being UTF-8.
pub fn read_source(path: &Path) -> Result<String, LessonError> {
    let at = |line: usize, message: String| LessonError { path: path.to_path_buf(), line, message };
    let bytes = read_file(path).map_err(|e| match e {
        FileError::Io(e) => at(0, format!("cannot read: {e}")),
        FileError::TooLarge => at(0, "larger than 16 MiB: not a lesson".into()),
        FileError::Outside(why) => at(0, why.into()),
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            Err(at(line, "not UTF-8 text: lessons are written in UTF-8".into()))
        }
    }
}

/// The lesson files SUMMARY.md lists, in order: `- [Title](file.md)` lines. A course
/// lists only files of its own directory.
pub fn summary(dir: &Path) -> Result<Vec<(PathBuf, usize)>, LessonError> {
    let path = dir.join("SUMMARY.md");
    let text = read_source(&path)?;
    let course = Sandbox::new(Workdir::existing(dir), Reach::Lesson);
    let mut out = Vec::new();
    let lines = document::Lines::of(&text);
    let links = pulldown_cmark::Parser::new(&text).into_offset_iter().filter_map(|(event, range)| match event {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
            Some((lines.line(range.start) - 1, dest_url.to_string()))
        }
        _ => None,
    });
    for (i, target) in links {
        let target = target.as_str();
        if target.ends_with(".md") {
            let relative = Path::new(target);
            let plain = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)));
            let lesson = dir.join(relative);
            // A missing file is fine here: loading it says so, at this line.
            let inside = !matches!(course.resolve(target), Err(FileError::Outside(_)));
            if !plain || !inside {
                return Err(LessonError {
                    path,
                    line: i + 1,
                    message: format!("{target}: outside the course's directory: a course lists only its own lessons"),
                });
            }
            out.push((lesson, i + 1));
        }
    }
    Ok(out)
}

/// Loads every lesson SUMMARY.md lists; all authoring errors, not just the first.
pub fn load_course(dir: &Path) -> Result<Course, Vec<LessonError>> {
    let entries = summary(dir).map_err(|e| vec![e])?;
    let (mut lessons, mut errors) = (Vec::new(), Vec::new());
    for (path, line) in entries {
        if !path.is_file() {
            errors.push(LessonError {
                path: dir.join("SUMMARY.md"),
                line,
                message: format!("{} cannot be read: no such file", path.display()),
            });
            continue;
        }
        match read_source(&path).map_err(|e| vec![e]).and_then(|text| parse(&text, &path)) {
            Ok(l) => lessons.push(l),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok(Course { dir: dir.to_path_buf(), lessons }) } else { Err(errors) }
}

/// The lessons bundled with swarmlab, for the lab when no course directory is given.
pub fn bundled(lang: crate::i18n::Lang) -> Vec<Lesson> {
    let files: &[(&str, &str)] = match lang {
        crate::i18n::Lang::En => BUNDLED_EN,
        crate::i18n::Lang::Fr => BUNDLED_FR,
    };
    files.iter().filter_map(|(name, text)| parse(text, Path::new(name)).ok()).collect()
}

/// Every lesson of one language, by file name, embedded in the binary.
macro_rules! course {
    ($lang:literal: $($file:literal),* $(,)?) => {
        [$((concat!("lessons/", $lang, "/", $file), include_str!(concat!("../../../lessons/", $lang, "/", $file)))),*]
    };
}

/// The course, in SUMMARY.md's order (a test keeps them in step).
macro_rules! lessons {
    ($lang:literal) => {
        course!($lang:
            "01-first-swarm.md",
            "02-joining.md",
            "03-inspecting-nodes.md",
            "04-raft-quorum.md",
            "05-availability.md",
            "06-services.md",
            "07-routing-mesh.md",
            "08-rolling-updates.md",
            "09-placement.md",
            "10-self-healing.md",
            "11-stacks.md",
            "12-secrets-configs.md",
            "13-final-challenge.md",
        )
    };
}

const BUNDLED_EN: &[(&str, &str)] = &lessons!("en");
const BUNDLED_FR: &[(&str, &str)] = &lessons!("fr");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_sources_are_utf8_a_bom_dropped_and_a_bad_byte_named_by_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.md");
        std::fs::write(&path, "\u{feff}---\nid: x\n").unwrap();
        assert_eq!(read_source(&path).unwrap(), "---\nid: x\n");
        std::fs::write(&path, b"---\nid: x\ntitle: \xff\n---\n").unwrap();
        let e = read_source(&path).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "not UTF-8 text: lessons are written in UTF-8"));
    }

    #[test]
    fn a_course_with_nothing_to_verify_fails() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SUMMARY.md"), "# Summary\n").unwrap();
        let code = cli::verify_cmd(&[dir.path().to_path_buf()], None, None);
        assert_eq!(code, std::process::ExitCode::from(2));
    }
}
