//! Files the docker command line reads on the learner's machine (`secret create NAME
//! FILE`), with Go's error wording, since the engine itself does no I/O.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Go's `*PathError` text for a failed open or read.
fn go_error(op: &str, path: &str, e: &std::io::Error) -> String {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    };
    format!("{op} {path}: {what}")
}

/// A file's content; `-` reads standard input (the pane's shell pipes into it).
pub fn read_with_stdin(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut data = Vec::new();
        std::io::stdin().take(1024 * 1024).read_to_end(&mut data).map_err(|e| e.to_string())?;
        return Ok(data);
    }
    read(path)
}

/// A file's content; scripts have no standard input to give, so `-` is empty.
pub fn read_without_stdin(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" { Ok(Vec::new()) } else { read(path) }
}

/// A file's content, a relative path starting from `dir` (the process's working
/// directory when None); errors name the path as given, as Go's do. `-` is empty.
pub fn read_in(dir: Option<&Path>, path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        return Ok(Vec::new());
    }
    match dir {
        Some(d) => read_at(&d.join(path), path),
        None => read(path),
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    read_at(Path::new(path), path)
}

fn read_at(at: &Path, path: &str) -> Result<Vec<u8>, String> {
    let mut f = std::fs::File::open(at).map_err(|e| go_error("open", path, &e))?;
    let mut data = Vec::new();
    f.by_ref().take(1024 * 1024).read_to_end(&mut data).map_err(|e| go_error("read", path, &e))?;
    Ok(data)
}

/// The process's working directory, for paths docker makes absolute.
pub fn working_dir() -> Option<String> {
    std::env::current_dir().ok().map(|d| d.to_string_lossy().into_owned())
}

/// The directory a lesson's files are put in: the panes start there, and headless
/// runs read and edit them there. A temporary one is removed when dropped.
#[derive(Debug)]
pub struct Workdir {
    path: PathBuf,
    temporary: bool,
}

impl Workdir {
    /// `path`, created if missing; it stays when dropped.
    pub fn at(path: &Path) -> std::io::Result<Workdir> {
        std::fs::create_dir_all(path)?;
        Ok(Workdir { path: path.to_path_buf(), temporary: false })
    }

    /// A fresh directory under the system's temporary one, gone when dropped.
    pub fn temporary() -> std::io::Result<Workdir> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("swarmlab-files-{}-{n}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(Workdir { path, temporary: true })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes each (name, text), replacing what a learner may have changed: a lesson
    /// (re)opened starts from its files as written.
    pub fn provide<'a>(&self, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> std::io::Result<()> {
        for (name, text) in files {
            std::fs::write(self.path.join(name), text)?;
        }
        Ok(())
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_like_go() {
        assert_eq!(
            read_without_stdin("/nonexistent/file").unwrap_err(),
            "open /nonexistent/file: no such file or directory"
        );
        assert_eq!(read_without_stdin("/").unwrap_err(), "read /: is a directory");
        assert_eq!(read_without_stdin("-").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn a_workdir_holds_the_files_and_relative_reads_start_there() {
        let dir = Workdir::temporary().unwrap();
        dir.provide([("stack.yml", "services: {}\n")]).unwrap();
        assert_eq!(read_in(Some(dir.path()), "stack.yml").unwrap(), b"services: {}\n");
        assert_eq!(read_in(Some(dir.path()), "gone.yml").unwrap_err(), "open gone.yml: no such file or directory");
        let path = dir.path().to_path_buf();
        drop(dir);
        assert!(!path.exists(), "a temporary workdir is removed");
        let kept = Workdir::at(&path).unwrap();
        drop(kept);
        assert!(path.exists(), "a workdir given by path stays");
        std::fs::remove_dir_all(&path).unwrap();
    }
}
