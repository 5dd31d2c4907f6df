//! Files the docker command line reads on the learner's machine (`secret create NAME
//! FILE`), with Go's error wording, since the engine itself does no I/O.

use std::io::Read;

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

fn read(path: &str) -> Result<Vec<u8>, String> {
    let mut f = std::fs::File::open(path).map_err(|e| go_error("open", path, &e))?;
    let mut data = Vec::new();
    f.by_ref().take(1024 * 1024).read_to_end(&mut data).map_err(|e| go_error("read", path, &e))?;
    Ok(data)
}

/// The process's working directory, for paths docker makes absolute.
pub fn working_dir() -> Option<String> {
    std::env::current_dir().ok().map(|d| d.to_string_lossy().into_owned())
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
}
