//! Files on the machine: what the docker command line reads (`secret create NAME
//! FILE`, `stack deploy -c`), with Go's error wording since the engine does no I/O,
//! and the sandbox that keeps headless sessions inside their directory.
//!
//! Trust model: a pane is the learner's own shell and reads what they can. The
//! headless shell plays lessons and answers written by someone else (`verify`,
//! `check`, the lab's replays): its commands reach only the files of the lesson's
//! own directory. `swarmlab run` plays the user's script in the directory it was
//! started in, and reaches further only when asked (`--host-files`).

use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The largest file swarmlab reads, as the daemon's largest request: beyond it a
/// read is refused, never cut short.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// Go's `*PathError` text for a failed open or read.
fn go_error(op: &str, path: &str, e: &FileError) -> String {
    format!("{op} {path}: {}", e.go_text())
}

/// Why a file could not be had.
#[derive(Debug)]
pub enum FileError {
    Io(io::Error),
    /// Larger than [`MAX_FILE`].
    TooLarge,
    /// Outside the session's directory; the text says why, in the lab's words.
    Outside(&'static str),
}

impl FileError {
    /// As Go's os package words it (docker's messages).
    fn go_text(&self) -> String {
        match self {
            FileError::Io(e) => match e.kind() {
                io::ErrorKind::NotFound => "no such file or directory".into(),
                io::ErrorKind::PermissionDenied => "permission denied".into(),
                io::ErrorKind::IsADirectory => "is a directory".into(),
                _ => e.to_string(),
            },
            other => other.c_text().into(),
        }
    }

    /// As the C library words it (cat's and sed's messages).
    pub fn c_text(&self) -> &'static str {
        match self {
            FileError::Io(e) => match e.kind() {
                io::ErrorKind::NotFound => "No such file or directory",
                io::ErrorKind::PermissionDenied => "Permission denied",
                io::ErrorKind::IsADirectory => "Is a directory",
                _ => "Input/output error",
            },
            FileError::TooLarge => "file too large (swarmlab reads files of up to 16 MiB)",
            FileError::Outside(why) => why,
        }
    }
}

impl From<io::Error> for FileError {
    fn from(e: io::Error) -> Self {
        FileError::Io(e)
    }
}

/// Reads all of `from`, refusing more than [`MAX_FILE`] bytes.
fn read_limited(from: impl Read) -> Result<Vec<u8>, FileError> {
    let mut data = Vec::new();
    from.take(MAX_FILE + 1).read_to_end(&mut data)?;
    if data.len() as u64 > MAX_FILE {
        return Err(FileError::TooLarge);
    }
    Ok(data)
}

/// A whole file, at most [`MAX_FILE`] bytes.
pub fn read_file(at: &Path) -> Result<Vec<u8>, FileError> {
    let f = std::fs::File::open(at)?;
    if f.metadata()?.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory).into());
    }
    read_limited(f)
}

/// A file's content, for a pane's docker; `-` reads standard input (the pane's shell
/// pipes into it).
pub fn read_with_stdin(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        return read_limited(io::stdin()).map_err(|e| go_error("read", "/dev/stdin", &e));
    }
    read_file(Path::new(path)).map_err(|e| open_or_read(path, &e))
}

/// A file's content; `-` is empty (tests have no standard input to give).
pub fn read_without_stdin(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" { Ok(Vec::new()) } else { read_file(Path::new(path)).map_err(|e| open_or_read(path, &e)) }
}

/// Go says `open` when the file could not be opened, `read` when reading it failed.
fn open_or_read(path: &str, e: &FileError) -> String {
    let op = match e {
        FileError::Io(io) if io.kind() == io::ErrorKind::IsADirectory => "read",
        FileError::TooLarge => "read",
        _ => "open",
    };
    go_error(op, path, e)
}

/// The process's working directory, for paths docker makes absolute.
pub fn working_dir() -> Option<String> {
    std::env::current_dir().ok().map(|d| d.to_string_lossy().into_owned())
}

/// How far a headless session's commands may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The lesson's directory only: `verify`, `check`, the lab's replays.
    Lesson,
    /// The directory `swarmlab run` was started in.
    Script,
    /// Anywhere the user can (`swarmlab run --host-files`).
    Host,
}

impl Reach {
    fn refusal(self) -> &'static str {
        match self {
            Reach::Lesson => "outside the lesson's directory: lessons and answers use only their own files",
            Reach::Script | Reach::Host => {
                "outside the directory swarmlab run works in (`swarmlab run --host-files` allows it)"
            }
        }
    }
}

/// The files a headless session works with: relative names start in its directory
/// and, unless it reaches the host, no name leads out of it (absolute paths, `..`,
/// symbolic links: the path the system would open is what is checked).
#[derive(Debug)]
pub struct Sandbox {
    dir: Workdir,
    /// `dir` with its links resolved, to compare resolved paths with.
    real: PathBuf,
    reach: Reach,
}

impl Sandbox {
    pub fn new(dir: Workdir, reach: Reach) -> Sandbox {
        let real = std::fs::canonicalize(dir.path()).unwrap_or_else(|_| dir.path().to_path_buf());
        Sandbox { dir, real, reach }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The same directory, every file of the user's reachable.
    pub fn widened(self) -> Sandbox {
        Sandbox { reach: Reach::Host, ..self }
    }

    /// The path `name` stands for, if the session may use it.
    pub fn resolve(&self, name: &str) -> Result<PathBuf, FileError> {
        let joined = self.dir.path().join(name);
        if self.reach == Reach::Host {
            return Ok(joined);
        }
        let outside = FileError::Outside(self.reach.refusal());
        // Lexically first, so that nothing is learnt about files outside, not even
        // whether they exist.
        let inside = |p: &Path| p.starts_with(&self.real) || p.starts_with(self.dir.path());
        if !inside(&lexical(&joined)) {
            return Err(outside);
        }
        // Then as the system would open it: links followed, `..` after a link too.
        match std::fs::canonicalize(&joined) {
            Ok(real) if real.starts_with(&self.real) => Ok(real),
            Ok(_) => Err(outside),
            Err(e) => {
                // Missing: say so only if the nearest existing ancestor is inside.
                let ancestor = joined.ancestors().skip(1).find_map(|a| std::fs::canonicalize(a).ok());
                match ancestor {
                    Some(a) if a.starts_with(&self.real) => Err(e.into()),
                    _ => Err(outside),
                }
            }
        }
    }

    /// Reads `name` (`-`, standard input, is empty: sessions have none).
    pub fn read(&self, name: &str) -> Result<Vec<u8>, FileError> {
        if name == "-" {
            return Ok(Vec::new());
        }
        read_file(&self.resolve(name)?)
    }

    /// Replaces the content of `name`, an existing file (sed -i).
    pub fn write(&self, name: &str, data: &[u8]) -> Result<(), FileError> {
        let at = self.resolve(name)?;
        std::fs::write(at, data)?;
        Ok(())
    }

    /// As docker's read callback: Go's wording.
    pub fn read_for_docker(&self, name: &str) -> Result<Vec<u8>, String> {
        self.read(name).map_err(|e| open_or_read(name, &e))
    }
}

/// `p` with `.` and `..` taken out by text alone.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The directory a lesson's files are put in: the panes start there, and headless
/// runs read and edit them there. A temporary one is removed when dropped.
#[derive(Debug)]
pub struct Workdir {
    path: PathBuf,
    /// Holds a temporary directory; removes it when dropped.
    _temporary: Option<tempfile::TempDir>,
}

/// Temporary directories are named `swarmlab-files-<pid>-<random>`: a later run can
/// tell one left by a killed process and remove it.
const TEMP_PREFIX: &str = "swarmlab-files-";

impl Workdir {
    /// `path`, created if missing; it stays when dropped.
    pub fn at(path: &Path) -> io::Result<Workdir> {
        std::fs::create_dir_all(path)?;
        Ok(Workdir { path: path.to_path_buf(), _temporary: None })
    }

    /// `path` as it is, not created; it stays when dropped.
    pub fn existing(path: &Path) -> Workdir {
        Workdir { path: path.to_path_buf(), _temporary: None }
    }

    /// A fresh private directory under the system's temporary one, gone when dropped;
    /// those of killed runs are removed first.
    pub fn temporary() -> io::Result<Workdir> {
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let base = std::env::temp_dir();
        SWEPT.call_once(|| {
            sweep_temporary(&base);
        });
        let dir = tempfile::Builder::new().prefix(&format!("{TEMP_PREFIX}{}-", std::process::id())).tempdir_in(base)?;
        Ok(Workdir { path: dir.path().to_path_buf(), _temporary: Some(dir) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes each (name, text), replacing what a learner may have changed: a lesson
    /// (re)opened starts from its files as written. A link in the file's place is
    /// replaced, not followed.
    pub fn provide<'a>(&self, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> io::Result<()> {
        for (name, text) in files {
            if !is_plain_name(name) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{name:?} is not a plain file name")));
            }
            let at = self.path.join(name);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(&at)?,
                _ => {}
            }
            std::fs::write(at, text)?;
        }
        Ok(())
    }
}

/// A file name alone: no directory, no `..`, nothing hidden behind a separator.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Removes `swarmlab-files-<pid>-*` directories under `base` that belong to this
/// user and whose process is gone. Returns what it removed.
pub fn sweep_temporary(base: &Path) -> Vec<PathBuf> {
    crate::runtime::sweep_dead(base, |_, name| {
        let pid = name.strip_prefix(TEMP_PREFIX)?.split('-').next()?.parse::<u32>().ok()?;
        Some(crate::runtime::alive(pid))
    })
}

#[cfg(test)]
mod tests;
